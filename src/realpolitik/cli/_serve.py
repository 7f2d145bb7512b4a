"""The ``serve`` command: a local web page on a scenario (``realpolitik.serve``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from realpolitik.cli._app import (
    AsOfOpt,
    HorizonOpt,
    NewsDbOpt,
    PricesOpt,
    ScenarioArg,
    SeedOpt,
    ThresholdOpt,
    _evidence_or_none,
    _Failure,
    _load_or_fail,
    app,
    err,
    out,
)
from realpolitik.scenario import DEFAULT_SCENARIO
from realpolitik.serve import DEFAULT_PORT, MAX_RUNS, ServeApp, ServeSettings, start_server

__all__ = ["serve_command"]


@app.command("serve")
def serve_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    port: Annotated[int, typer.Option("--port", min=0, max=65_535, help="The port on 127.0.0.1 to listen on (0: a free one).")] = DEFAULT_PORT,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=MAX_RUNS, help="Monte Carlo runs the page starts with (it may ask for others).")] = 2_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    as_of: AsOfOpt = None,
    db: NewsDbOpt = None,
    prices: PricesOpt = None,
    threshold: ThresholdOpt = 0.5,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the page in a web browser.")] = False,
) -> None:
    """Serve a local web page (127.0.0.1 only): answers, paths, what-ifs and the news."""
    loaded = _load_or_fail(scenario)
    evidence = _evidence_or_none(loaded, as_of, db, prices, threshold)
    served = ServeApp(loaded, ServeSettings(runs=runs, seed=seed, horizon=horizon, threshold=threshold, evidence=evidence, db=db))
    try:
        server = start_server(served, port=port)
    except OSError as exc:
        raise _Failure(1, [f"error: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (give another --port, or --port 0 for a free one)"]) from None
    out.print(escape(f"serving {loaded.label} at {server.url}  (Ctrl-C stops)"), soft_wrap=True)
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        server.shutdown()
