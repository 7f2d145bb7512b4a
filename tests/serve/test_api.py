"""The page's API in-process: the same JSON as the commands, refusals that name the
field, jobs that can be cancelled, and nothing served but the page's own files."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from realpolitik._output import json_ready
from realpolitik.cli import main
from realpolitik.engine import Intervention
from realpolitik.errors import ScenarioError
from realpolitik.inference import evidence_as_of, update
from realpolitik.scenario import load
from realpolitik.serve import MAX_BODY_BYTES, Request, ServeApp, ServeSettings, start_server
from tests.serve.conftest import AS_OF

RUNS, SEED, HORIZON = 200, 3, 30
LOCAL = {"Host": "127.0.0.1:8765"}


def _get(app: ServeApp, target: str, **headers: str):  # type: ignore[no-untyped-def]
    return app.handle(Request("GET", target, {**LOCAL, **headers}))


def _post(app: ServeApp, target: str, body: Any, **headers: str):  # type: ignore[no-untyped-def]
    raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return app.handle(Request("POST", target, {**LOCAL, "Content-Type": "application/json", **headers}, raw))


def _cli_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What the command prints on standard output."""
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    return json.loads(_cli_text(capsys, *args))


def _wait(app: ServeApp, job_id: str, *, timeout: float = 60.0) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = _get(app, f"/api/jobs/{job_id}").json()
        if state["state"] not in ("queued", "running"):
            return state  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture(scope="module")
def app() -> ServeApp:
    served = ServeApp(load("default"), ServeSettings(runs=RUNS, seed=SEED, horizon=HORIZON))
    yield served
    served.close()


@pytest.fixture(scope="module")
def as_of_app(news: tuple[Path, Path]) -> ServeApp:
    db, prices = news
    scenario = load("default")
    evidence = evidence_as_of(scenario, AS_OF, db=db, prices=[f"brent={prices}"])
    served = ServeApp(scenario, ServeSettings(runs=RUNS, seed=SEED, horizon=HORIZON, evidence=evidence, db=db))
    yield served
    served.close()


def test_the_public_names_are_pinned() -> None:
    import realpolitik.serve

    assert sorted(realpolitik.serve.__all__) == [
        "DEFAULT_PORT", "HOST", "LocalServer", "MAX_BODY_BYTES", "MAX_JSON_DEPTH", "MAX_RUNS",
        "Request", "Response", "ServeApp", "ServeSettings", "start_server",
    ]  # fmt: skip


# -- the same JSON as the commands -------------------------------------------------


@pytest.mark.parametrize("query", ["", f"?runs=150&seed=5"])
def test_answers_are_what_run_json_prints(app: ServeApp, capsys: pytest.CaptureFixture[str], query: str) -> None:
    runs, seed = (150, 5) if query else (RUNS, SEED)
    expected = _cli_text(capsys, "run", "--runs", str(runs), "--seed", str(seed), "--horizon", str(HORIZON), "--json", "--as-of", "start")  # the app serves unconditioned runs
    response = _get(app, f"/api/answers{query}")
    assert response.status == 200 and response.content_type == "application/json"
    assert response.body.decode("utf-8") == expected  # byte for byte


def test_whatif_is_what_whatif_json_prints_for_the_same_file(app: ServeApp, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    intervention = {
        "set": {"direct_help_cost": 4},
        "force": [{"decision": "interceptor_allocation", "option": "divert_to_middle_east", "from_day": 2}],
        "force_events": [{"event": "hormuz_closure", "day": 5}],
    }
    file = tmp_path / "iv.yaml"
    file.write_text(yaml.safe_dump(intervention), encoding="utf-8")
    printed = _cli_text(capsys, "whatif", "--file", str(file), "--runs", "120", "--seed", "7", "--horizon", str(HORIZON), "--json", "--as-of", "start")
    response = _post(app, "/api/whatif", {**intervention, "runs": 120, "seed": 7})
    assert response.status == 200, response.body
    assert response.body.decode("utf-8") == printed  # byte for byte
    expected = json.loads(printed)
    assert expected["intervention"] == "--set direct_help_cost=4 --force interceptor_allocation=divert_to_middle_east@2 --force-event hormuz_closure@5"


def test_scenario_is_the_description(app: ServeApp) -> None:
    describe = pytest.importorskip("realpolitik.scenario").__dict__.get("describe")
    if describe is None:
        pytest.skip("realpolitik.scenario.describe is not there yet")
    response = _get(app, "/api/scenario")
    assert response.status == 200
    assert response.json() == json.loads(json.dumps(json_ready(describe(app.scenario).to_dict())))


def test_paths_are_the_per_step_summaries(app: ServeApp) -> None:
    paths = _get(app, "/api/paths").json()
    results = app.scenario.run(runs=RUNS, seed=SEED, horizon=HORIZON)
    assert paths["days"] == list(results.days) and paths["dates"][0] == "2026-02-28" and len(paths["dates"]) == HORIZON + 1
    brent = next(e for e in paths["elements"] if e["id"] == "brent")
    assert brent["kind"] == "continuous" and brent["unit"] == "USD/bbl"
    assert set(brent["stats"]) >= {"q05", "q25", "q50", "q75", "q95", "mean"}
    assert brent["stats"]["q50"] == results.steps[("brent", "q50")].tolist()
    kinds = {e["id"]: e["kind"] for e in paths["elements"]}
    assert kinds["interceptor_allocation"] == "decision" and kinds["hormuz_closure"] == "event" and kinds["escalation"] == "levels"
    assert paths["observed"] == [] and paths["as_of"] is None


def test_as_of_answers_paths_news_and_update(as_of_app: ServeApp, news: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, prices = news
    expected = _cli_json(
        capsys, "run", "--runs", str(RUNS), "--seed", str(SEED), "--horizon", str(HORIZON), "--as-of", AS_OF.isoformat(),
        "--db", str(db), "--prices", f"brent={prices}", "--json",
    )  # fmt: skip
    assert _get(as_of_app, "/api/answers").json() == expected
    paths = _get(as_of_app, "/api/paths").json()
    assert paths["as_of"] == "2026-03-12" and paths["dates"][0] == "2026-03-12"
    # the closes up to the as-of date (from HISTORY_DAYS before it), never the row after it
    assert paths["observed"] == [{"series": "brent", "variable": "brent", "source": str(prices), "dates": ["2026-02-27", "2026-03-09", "2026-03-10", "2026-03-11"], "values": [71.32, 90.1, 92.5, 91.0]}]
    stored = _get(as_of_app, "/api/news").json()
    assert [(o["indicator"], o["happened"]) for o in stored["observations"]] == [("mfa_condemnation", "2026-03-10")]
    assert stored["observations"][0]["text"].startswith("On March 10, the <b>ministry</b>")  # data, escaped by the page
    assert stored["db"] == str(db) and stored["ignored_future"] >= 1
    job = _post(as_of_app, "/api/jobs", {"kind": "update", "since": "2026-03-11"}).json()
    done = _wait(as_of_app, job["id"])
    assert done["state"] == "done", done
    scenario, evidence = as_of_app.scenario, as_of_app.settings.evidence
    direct = update(scenario, evidence, since=dt.date(2026, 3, 11), runs=RUNS, seed=SEED, horizon=HORIZON)
    assert done["result"] == json.loads(json.dumps(json_ready(direct.to_dict())))
    assert any(m["indicator"] in ("mfa_condemnation", "brent") for q in done["result"]["questions"] for m in q["movers"])


def test_an_update_without_as_of_is_refused(app: ServeApp) -> None:
    response = _post(app, "/api/jobs", {"kind": "update"})
    assert response.status == 400 and "--as-of" in response.json()["error"]


# -- refusals that name the field ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field", "says"),
    [
        ({"runs": 0}, 400, "runs", "1 to 200,000"),
        ({"runs": 200_001}, 400, "runs", "1 to 200,000"),
        ({"runs": 2.5}, 400, "runs", "whole number"),
        ({"runs": True}, 400, "runs", "whole number"),
        ({"seed": -1}, 400, "seed", "whole number"),
        ({"seed": 2**63}, 400, "seed", "whole number"),
        ({"set": [1]}, 400, "set", "must be a mapping"),
        ({"set": {"direct_help_cost": "high"}}, 400, "set.direct_help_cost", "finite number"),
        ({"set": {"no_such_parameter": 1}}, 400, "set", "no parameter 'no_such_parameter'"),
        ({"force": {"decision": "d"}}, 400, "force", "must be a list"),
        ({"force": [{"decision": "interceptor_allocation"}]}, 400, "force[0]", "each forced decision"),
        ({"force": [{"decision": "interceptor_allocation", "option": "divert_to_middle_east", "from_day": 0}]}, 400, "force[0].from_day", "whole day"),
        ({"force": [{"decision": "interceptor_allocation", "option": "no_option"}]}, 400, "force", "has no option 'no_option'"),
        ({"force_events": [{"event": "hormuz_closure", "day": "3"}]}, 400, "force_events[0].day", "whole day"),
        ({"force_events": [{"event": "no_event", "day": 3}]}, 400, "force_events", "no event 'no_event'"),
        ({"forse": []}, 400, "forse", "did you mean 'force'"),
        ([1, 2], 400, "body", "JSON object"),
        ({"set": {"a": [[[[[[1]]]]]]}}, 400, "body", "nested more than"),
    ],
)
def test_a_bad_whatif_body_is_a_400_naming_the_field(app: ServeApp, body: Any, status: int, field: str, says: str) -> None:
    response = _post(app, "/api/whatif", body)
    assert response.status == status, response.body
    refused = response.json()
    assert refused["field"] == field and says in refused["error"], refused


@pytest.mark.parametrize(
    ("raw", "headers", "status", "says"),
    [
        (b"{not json", {}, 400, "not JSON"),
        (b'{"set": {"x": NaN}}', {}, 400, "not JSON"),
        (b"\xff\xfe", {}, 400, "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, {}, 400, "nested"),
        (b"{}", {"Content-Type": "text/plain"}, 415, "application/json"),
        (b" " * (MAX_BODY_BYTES + 1), {}, 413, "larger than"),
    ],
)
def test_a_body_that_is_not_bounded_json_is_refused(app: ServeApp, raw: bytes, headers: dict[str, str], status: int, says: str) -> None:
    response = _post(app, "/api/whatif", raw, **headers)
    assert response.status == status and says in response.json()["error"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("runs=0", "runs"), ("runs=abc", "runs"), ("runs=1e3", "runs"), ("seed=-1", "seed"), (f"seed={2**63}", "seed"), ("runs=5&runs=6", "runs"), ("horizon=5", "horizon")],
)
def test_a_bad_query_is_a_400_naming_the_field(app: ServeApp, query: str, field: str) -> None:
    response = _get(app, f"/api/answers?{query}")
    assert response.status == 400 and response.json()["field"] == field


def test_an_intervention_mapping_is_checked_as_a_file_is(tmp_path: Path) -> None:
    for text in ("force: [{decision: d, option: o, from_day: 2.7}]", "set: {x: .inf}", "force_evnts: []", "force_events: [{event: e}]"):
        path = tmp_path / "iv.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        with pytest.raises(ScenarioError) as from_file:
            Intervention.from_file(path)
        with pytest.raises(ScenarioError) as from_mapping:
            Intervention.from_mapping(yaml.safe_load(text), "request body")
        assert [(p.path, p.message) for p in from_file.value.problems] == [(p.path, p.message) for p in from_mapping.value.problems]
        assert all(p.file == "request body" and p.line is None for p in from_mapping.value.problems)


# -- jobs ---------------------------------------------------------------------------


def test_a_job_reports_progress_and_its_result(app: ServeApp, capsys: pytest.CaptureFixture[str]) -> None:
    started = _post(app, "/api/jobs", {"kind": "answers", "runs": 90, "seed": 11})
    assert started.status == 202 and started.json()["state"] in ("queued", "running")
    done = _wait(app, started.json()["id"])
    assert done["state"] == "done" and done["done"] == done["total"] > 0
    assert done["result"] == _cli_json(capsys, "run", "--runs", "90", "--seed", "11", "--horizon", str(HORIZON), "--json", "--as-of", "start")


def test_a_job_is_cancelled_between_steps_and_the_next_one_runs(app: ServeApp) -> None:
    started = _post(app, "/api/jobs", {"kind": "whatif", "runs": 60_000, "force_events": [{"event": "hormuz_closure", "day": 3}]}).json()
    busy = _post(app, "/api/jobs", {"kind": "answers"})
    assert busy.status == 409 and busy.json()["id"] == started["id"]
    end = time.monotonic() + 30
    while _get(app, f"/api/jobs/{started['id']}").json()["done"] == 0 and time.monotonic() < end:
        time.sleep(0.02)
    state = app.handle(Request("DELETE", f"/api/jobs/{started['id']}", LOCAL)).json()
    assert state["state"] == "cancelled" and "result" not in state
    assert 0 < state["done"] < state["total"]
    after = _post(app, "/api/jobs", {"kind": "answers", "runs": 50})
    assert after.status == 202
    assert _wait(app, after.json()["id"])["state"] == "done"
    assert _get(app, f"/api/jobs/{started['id']}").json()["state"] == "cancelled"


@pytest.mark.parametrize(
    ("method", "target", "status"),
    [("GET", "/api/jobs/0123456789abcdef", 404), ("DELETE", "/api/jobs/0123456789abcdef", 404), ("GET", "/api/jobs/../../etc", 404), ("PUT", "/api/answers", 405), ("POST", "/api/answers", 405)],
)
def test_unknown_jobs_and_methods(app: ServeApp, method: str, target: str, status: int) -> None:
    assert app.handle(Request(method, target, {**LOCAL, "Content-Type": "application/json"}, b"{}")).status == status


def test_a_bad_job_kind_is_named(app: ServeApp) -> None:
    response = _post(app, "/api/jobs", {"kind": "rm -rf"})
    assert response.status == 400 and response.json()["field"] == "kind"


# -- what is served, and to whom ------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/static/../_app.py",
        "/static/..%2f_app.py",
        "/static/%2e%2e/%2e%2e/serve/_app.py",
        "/static/app.js/../../_app.py",
        "/static//etc/passwd",
        "//etc/passwd",
        "/../../../../etc/passwd",
        "/static/index.html",
        "/static/",
        "/_app.py",
        "/static/app.js%00.py",
        "/%2e%2e/pyproject.toml",
        "///",
        "//evil.example/",
        "http://127.0.0.1:8765/",
    ],
)
def test_no_file_but_the_page_is_served(app: ServeApp, target: str) -> None:
    response = _get(app, target)
    assert response.status in (400, 404) and response.content_type == "application/json"
    assert b"import" not in response.body and b"root:" not in response.body


def test_the_page_and_its_files_are_served(app: ServeApp) -> None:
    page = _get(app, "/")
    assert page.status == 200 and page.content_type.startswith("text/html") and b'src="/static/app.js"' in page.body
    assert dict(page.headers)["Content-Security-Policy"].startswith("default-src 'self'")
    assert b"http://" not in page.body and b"https://" not in page.body  # nothing from the network
    for target in ("/static/app.js", "/static/app.css", "/static/plotly.min.js"):
        assert _get(app, target).status == 200, target
    script = _get(app, "/static/app.js").body
    for sink in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"document.write", b"eval(", b"new Function"):
        assert sink not in script, sink  # data reaches the page as text only


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Host": "evil.example"}, 403),
        ({"Host": "evil.example:8765"}, 403),
        ({"Host": "127.0.0.1.evil.example"}, 403),
        ({"Host": "localhost:8765"}, 200),
        ({"Host": "127.0.0.1"}, 200),
        ({"Host": "127.0.0.1:8765", "Origin": "http://evil.example"}, 403),
        ({"Host": "127.0.0.1:8765", "Origin": "null"}, 403),
        ({"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:8765"}, 200),
        ({"Host": "127.0.0.1:8765", "Sec-Fetch-Site": "cross-site"}, 403),
        ({"Host": "127.0.0.1:8765", "Sec-Fetch-Site": "same-origin"}, 200),
    ],
)
def test_only_requests_to_localhost_from_the_page_are_answered(app: ServeApp, headers: dict[str, str], status: int) -> None:
    assert app.handle(Request("GET", "/api/settings", headers)).status == status
    assert app.handle(Request("GET", "/api/settings", {})).status == 403  # no Host at all


def test_the_server_listens_on_localhost_and_bounds_bodies() -> None:
    served = ServeApp(load("default"), ServeSettings(runs=50, horizon=10))
    with start_server(served, port=0).start() as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/static/../../_app.py")
        response = connection.getresponse()
        assert response.status == 404 and b"import" not in response.read()
        connection.request("GET", "/api/settings")
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["runs"] == 50
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        connection.request("GET", "/api/settings", headers={"Host": "rebound.example"})
        response = connection.getresponse()
        assert response.status == 403 and "127.0.0.1 or localhost" in json.loads(response.read())["error"]
        connection.close()
        big = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        big.putrequest("POST", "/api/whatif")
        big.putheader("Content-Type", "application/json")
        big.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
        big.endheaders()  # the body is never sent: the server answers from the header
        response = big.getresponse()
        assert response.status == 413
        big.close()


def test_serve_prints_the_url_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "serve", "--port", "0", "--runs", "50", "--horizon", "10", "--no-open"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert "http://127.0.0.1:" in line, line + process.stderr.read()  # type: ignore[union-attr]
        url = line.split("at ", 1)[1].split()[0]
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/api/settings")
        assert json.loads(connection.getresponse().read())["runs"] == 50
        connection.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "stopped" in process.stderr.read()  # type: ignore[union-attr]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--db", "x.duckdb"], 2, "no news store"),
        (["--port", "70000"], 2, "--port"),
        (["--runs", "0"], 2, "runs"),
        (["--as-of", "yesterday"], 2, "YYYY-MM-DD"),
    ],
)
def test_bad_serve_options_are_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str], code: int, says: str) -> None:
    assert main(["serve", *args]) == code
    assert says in capsys.readouterr().err
