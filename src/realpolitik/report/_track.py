"""The model's track record: its backtest beside the naive baselines, in words.

A report shows how the model did on past rounds without being asked: a scenario's
track record is a saved ``realpolitik backtest --json`` kept beside the scenario file
(``russia-iran-2026.track-record.json`` beside ``russia-iran-2026.yaml``) with the
sha256 of the scenario it scored, so the report can say when the scenario has
changed since. Where the model loses to a baseline the report says so in a plain
sentence; a scenario with no track record gets a note saying it has none.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from realpolitik._atomic import atomic_path
from realpolitik.report._format import number

if TYPE_CHECKING:
    from realpolitik.scenario import Scenario

__all__ = [
    "SUFFIX",
    "read_backtest_summary",
    "Score",
    "TrackRecord",
    "track_record_path",
    "track_record",
    "write_track_record",
    "read_track_record",
    "no_track_record",
    "load_track_record",
]

#: A track record's file name is the scenario file's stem and this.
SUFFIX = ".track-record.json"
#: A track record larger than this is not one (a backtest's JSON is a few kB).
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Score:
    """One headline score of the backtest, the model's beside the baseline's.

    Attributes:
        metric: the backtest's name for it (``crps_brent``, ``crps_brent_day_7``,
            ``brier``, ``log``).
        label: what it scores, in words.
        model, baseline: the mean scores (lower is better).
        ratio: model over baseline: below 1 the model beats the baseline.
        n: how many forecasts the means are over.
    """

    metric: str
    label: str
    model: float
    baseline: float
    ratio: float
    n: int

    @property
    def better(self) -> bool:
        """Whether the model beat the baseline."""
        return math.isfinite(self.ratio) and self.ratio < 1


@dataclass(frozen=True)
class TrackRecord:
    """What the report says about the model's record on past rounds.

    Attributes:
        status: ``bundled`` (kept beside the scenario), ``given`` (``--backtest``),
            ``none`` (the scenario has never been scored), ``unreadable`` (the file
            beside the scenario is not a track record) or ``left_out`` (not asked for).
        note: one sentence on where the scores come from, or why there are none.
        command: the command that reproduces the scores.
        version: the package version that scored them.
        runs: Monte Carlo runs per round.
        rounds: the past rounds scored.
        scores: the headline scores.
        warnings: a plain sentence for each way the model loses to a baseline.
        strengths: a plain sentence for each way it beats one.
        changed: a sentence when the scenario has changed since it was scored.
        path: the file the scores were read from, if any.
        sha256: the scenario's sha256 when it was scored, if recorded.
    """

    status: str
    note: str
    command: str | None = None
    version: str | None = None
    runs: int | None = None
    rounds: tuple[str, ...] = ()
    scores: tuple[Score, ...] = ()
    warnings: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    changed: str | None = None
    path: str | None = None
    sha256: str | None = None

    @property
    def shown(self) -> bool:
        """Whether there are scores to show."""
        return bool(self.scores)


def read_backtest_summary(data: Mapping[str, Any]) -> dict[str, Any]:
    """The headline rows of a backtest's ``to_dict()``, formatted, as the report shows
    them (callers check a saved backtest with it before any long work).

    Raises:
        ValueError: ``data`` is not a backtest's ``to_dict()`` output.
    """
    try:
        run = data["run"]
        rows = [
            {
                "metric": str(h["metric"]),
                "model": number(h["model"]),
                "baseline": number(h["baseline"]),
                "ratio": number(h["ratio"]),
                "better": h["ratio"] is not None and h["ratio"] < 1,
                "n": int(h["n"]),
            }
            for h in data["headline"]
        ]
        return {"command": str(run["command"]), "version": run.get("version"), "runs": int(run["runs"]), "rows": rows}
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not the output of 'realpolitik backtest --json' (missing or malformed {exc})") from None
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not the output of 'realpolitik backtest --json' ({exc})") from None


def track_record_path(scenario: Scenario) -> Path | None:
    """The track record kept beside the scenario's file, if there is one.

    Example:
        >>> from realpolitik import load
        >>> track_record_path(load("default")).name
        'russia-iran-2026.track-record.json'
        >>> track_record_path(load("russia-iran-2024-04")) is None
        True
    """
    if scenario.path is None:
        return None
    path = scenario.path.with_name(scenario.path.stem + SUFFIX)
    return path if path.is_file() else None


def track_record(scenario: Scenario, backtest: Mapping[str, Any]) -> dict[str, Any]:
    """A backtest's ``to_dict()`` as the scenario's track record: the same data with a
    ``track_record`` entry naming the scenario, the sha256 it was scored on and the
    command that wrote it.

    Raises:
        ValueError: ``backtest`` is not a backtest's ``to_dict()`` or scored another scenario.
    """
    summary = read_backtest_summary(backtest)
    scored = backtest["run"].get("scenario")
    if scored is not None and Path(str(scored)).stem not in (Path(scenario.label).stem, scenario.name):
        raise ValueError(f"the backtest scored {scored!r}, not {scenario.label!r}: run 'realpolitik backtest {scenario.label} ... --json'")
    meta = {
        "scenario": scenario.label,
        "sha256": scenario.sha256,
        "command": f"{summary['command']} --json",
        "about": (
            "The scenario's backtest on past rounds (the output of the command), shown in every report of the scenario; "
            "sha256 is the scenario's when it was scored. Written by realpolitik.report.write_track_record."
        ),
    }
    return {"track_record": meta, **{k: v for k, v in backtest.items() if k != "track_record"}}


def write_track_record(scenario: Scenario, backtest: Mapping[str, Any], path: str | Path | None = None) -> Path:
    """Write :func:`track_record` beside the scenario's file (or to ``path``), atomically.

    Returns:
        The path written.

    Raises:
        ValueError: as :func:`track_record`, or the scenario has no file and no
            ``path`` is given.
    """
    if path is None:
        if scenario.path is None:
            raise ValueError(f"{scenario.name} was not read from a file: give the path to write its track record to")
        path = scenario.path.with_name(scenario.path.stem + SUFFIX)
    path = Path(path)
    text = json.dumps(track_record(scenario, backtest), indent=1, ensure_ascii=False) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def no_track_record(status: str, note: str, path: str | None = None) -> TrackRecord:
    """A track record with no scores: why there are none."""
    return TrackRecord(status=status, note=note, path=path)


def _label(metric: str) -> str:
    if metric == "crps_brent":
        return "CRPS of Brent, all days"
    if metric.startswith("crps_brent_day_"):
        return f"CRPS of Brent, day {metric.removeprefix('crps_brent_day_')}"
    return {"brier": "Brier score of the outcomes", "log": "log score of the outcomes"}.get(metric, metric)


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _days(scores: list[tuple[int, Score]]) -> str:
    """``days 1 and 7 (0.70× and 0.39×)``."""
    return f"day{'s' if len(scores) > 1 else ''} {_and([str(d) for d, _ in scores])} ({_and([_times(s.ratio) for _, s in scores])})"


def _day(metric: str) -> int | None:
    tail = metric.removeprefix("crps_brent_day_")
    return int(tail) if tail != metric and tail.isdigit() else None


def _brent_sentences(overall: Score, days: list[tuple[int, Score]], rounds: int) -> tuple[str | None, str | None]:
    where = f"mean CRPS of {overall.n} forecasts" + (f" over {rounds} past rounds" if rounds else "")
    won = [(d, s) for d, s in days if s.better]
    lost = [(d, s) for d, s in days if not s.better]
    detail = ""
    if won and lost:
        detail = f"; it beat the walk at {_days(won)} and lost at {_days(lost)}"
    if not overall.better:
        horizon = ""
        if won and lost and max(d for d, _ in won) < min(d for d, _ in lost):
            horizon = f" beyond day {max(d for d, _ in won)}"
        warning = (
            f"On past rounds the model's Brent forecasts scored {_times(overall.ratio)} worse than a random walk ({where}){detail}: "
            f"do not use its Brent bands{horizon} without checking them against a random walk from the latest close."
        )
        return warning, None
    strength = f"On past rounds the model's Brent forecasts beat a random walk ({_times(overall.ratio)} its CRPS; {where}){detail}."
    warning = None
    if lost:
        warning = f"Its Brent forecasts lost to the random walk at {_days(lost)}: check its bands at those horizons against a random walk from the latest close."
    return warning, strength


def _event_sentences(brier: Score | None, log: Score | None, rounds: int) -> tuple[str | None, str | None]:
    main = brier or log
    if main is None:
        return None, None
    other = log if main is brier else None
    where = f"{main.n} outcomes" + (f" in {rounds} past rounds" if rounds else "")
    also = f", {_times(other.ratio)} on the log score" if other is not None and math.isfinite(other.ratio) else ""
    name = "Brier score" if main is brier else "log score"
    if not main.better:
        return (
            f"On past rounds the model's event probabilities scored {_times(main.ratio)} worse than the base rates on the {name}{also} ({where}): "
            "treat its event probabilities as what the model implies, not as forecasts, and set them beside the base rates.",
            None,
        )
    return None, f"On past rounds the model's event probabilities beat the base rates ({_times(main.ratio)} their {name}{also}; {where})."


def read_track_record(
    data: Mapping[str, Any],
    *,
    status: str,
    scenario_label: str,
    scenario_sha256: str,
    path: str | None = None,
) -> TrackRecord:
    """Read a backtest's ``to_dict()`` (or a track record) into what the report says.

    Args:
        data: the backtest's JSON (``realpolitik backtest --json``), with a
            ``track_record`` entry when it is a scenario's track record.
        status: ``bundled`` or ``given``.
        scenario_label, scenario_sha256: the scenario the report is about, to say
            when the scores are of another scenario or of an earlier version of it.
        path: where the data was read from.

    Raises:
        ValueError: ``data`` is not a backtest's ``to_dict()`` output.

    Example:
        >>> t = read_track_record({"run": {"command": "realpolitik backtest s --runs 10 --seed 0", "runs": 10},
        ...     "headline": [{"metric": "crps_brent", "model": 3.0, "baseline": 2.0, "ratio": 1.5, "n": 12}]},
        ...     status="given", scenario_label="s", scenario_sha256="ab")
        >>> t.warnings[0][:75]
        "On past rounds the model's Brent forecasts scored 1.50× worse than a random"
    """
    summary = read_backtest_summary(data)
    scores = []
    for h in data["headline"]:
        model, baseline, ratio = (float(h[k]) if h.get(k) is not None else math.nan for k in ("model", "baseline", "ratio"))
        scores.append(Score(str(h["metric"]), _label(str(h["metric"])), model, baseline, ratio, int(h["n"])))
    rounds_data = data.get("rounds") or []
    rounds = tuple(str(r.get("round")) for r in rounds_data if isinstance(r, Mapping) and r.get("round"))
    by = {s.metric: s for s in scores}
    warnings: list[str] = []
    strengths: list[str] = []
    if "crps_brent" in by:
        days = sorted((d, s) for s in scores if (d := _day(s.metric)) is not None)
        warning, strength = _brent_sentences(by["crps_brent"], days, len(rounds))
        warnings += [warning] if warning else []
        strengths += [strength] if strength else []
    warning, strength = _event_sentences(by.get("brier"), by.get("log"), len(rounds))
    warnings += [warning] if warning else []
    strengths += [strength] if strength else []
    known = {"crps_brent", "brier", "log"}
    for s in scores:
        if s.metric in known or _day(s.metric) is not None or not math.isfinite(s.ratio):
            continue
        if s.better:
            strengths.append(f"On past rounds the model's {s.metric} beat its baseline ({_times(s.ratio)}).")
        else:
            warnings.append(f"On past rounds the model's {s.metric} scored {_times(s.ratio)} worse than its baseline: do not rely on it without checking it.")

    meta = data.get("track_record") if isinstance(data.get("track_record"), Mapping) else {}
    scored = meta.get("scenario") or data["run"].get("scenario")
    changed = None
    if scored is not None and str(scored) not in (scenario_label,) and Path(str(scored)).stem != Path(scenario_label).stem:
        changed = f"These scores are of the scenario {scored}, not of {scenario_label}: they describe another model."
    elif meta.get("sha256") and meta["sha256"] != scenario_sha256:
        changed = (
            f"The scenario has changed since it was scored (scored on sha256 {str(meta['sha256'])[:16]}…, this report's scenario is "
            f"{scenario_sha256[:16]}…): these scores describe an earlier version of the model; run the command below again to score this one."
        )
    elif status == "given" and not meta.get("sha256"):
        changed = "The file does not record the sha256 of the scenario it scored, so whether the scenario has changed since cannot be checked."
    command = str(meta.get("command") or summary["command"])
    where = f"{len(rounds)} past rounds ({', '.join(rounds)})" if rounds else "past rounds"
    if status == "bundled":
        note = f"The track record kept with the scenario: its backtest on {where}, {summary['runs']:,} runs each, beside naive baselines."
    else:
        note = f"The backtest given with --backtest: {where}, {summary['runs']:,} runs each, beside naive baselines."
    return TrackRecord(
        status=status,
        note=note,
        command=command,
        version=summary["version"],
        runs=summary["runs"],
        rounds=rounds,
        scores=tuple(scores),
        warnings=tuple(warnings),
        strengths=tuple(strengths),
        changed=changed,
        path=path,
        sha256=str(meta["sha256"]) if meta.get("sha256") else None,
    )


def load_track_record(scenario: Scenario, sha256: str) -> TrackRecord:
    """The track record kept beside the scenario, read, or a note saying there is none
    (or that the file there cannot be read: a report is not refused for it)."""
    path = track_record_path(scenario)
    if path is None:
        return no_track_record("none", "No track record: this scenario has never been scored against what happened.")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, Mapping):
            raise ValueError("not a JSON object")
        return read_track_record(data, status="bundled", scenario_label=scenario.label, scenario_sha256=sha256, path=str(path))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return no_track_record("unreadable", f"No track record shown: {path.name} beside the scenario is not a track record ({str(exc)[:200]}).", str(path))
