"""Every report shows the model's track record: the one kept beside the scenario, a
given backtest instead, or a note saying there is none; losses to a baseline are
said in words, and a scenario changed since it was scored is flagged."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import realpolitik
from realpolitik.report import build_report, track_record, track_record_path, write_track_record
from realpolitik.report._track import read_track_record

NONE = "No track record: this scenario has never been scored against what happened."


def _headline(ratios: dict[str, float]) -> list[dict[str, Any]]:
    return [{"metric": m, "model": r * 2.0, "baseline": 2.0, "ratio": r, "n": 12 if m.startswith("crps") else 15} for m, r in ratios.items()]


def _backtest(ratios: dict[str, float], scenario: str = "russia-iran-2026") -> dict[str, Any]:
    return {
        "run": {"scenario": scenario, "command": f"realpolitik backtest {scenario} --oil o.csv --episodes e.yaml --runs 100 --seed 0", "runs": 100, "seed": 0, "version": "0"},
        "headline": _headline(ratios),
        "rounds": [{"round": "r1"}, {"round": "r2"}, {"round": "r3"}],
    }


@pytest.fixture(scope="module")
def small() -> tuple[realpolitik.Scenario, realpolitik.Results]:
    scenario = realpolitik.load("default")
    return scenario, scenario.run(runs=60, seed=2, horizon=10)


def _section(page: str) -> str:
    match = re.search(r'<section id="backtest">(.*?)</section>', page, re.S)
    assert match, "no track record section"
    return html.unescape(match.group(1))


def test_the_bundled_scenario_shows_its_kept_track_record_without_being_asked(small) -> None:
    scenario, results = small
    kept = json.loads(track_record_path(scenario).read_text(encoding="utf-8"))  # type: ignore[union-attr]
    page = build_report(results, scenario)
    section = _section(page)
    crps = next(h for h in kept["headline"] if h["metric"] == "crps_brent")
    brier = next(h for h in kept["headline"] if h["metric"] == "brier")
    lost = [h for h in kept["headline"] if h["metric"].startswith("crps_brent_day_") and h["ratio"] > 1]
    assert crps["ratio"] < 1 and brier["ratio"] < 1 and lost  # what the record says today; the sentences follow it
    strength = f"On past rounds the model's Brent forecasts beat a random walk ({crps['ratio']:.2f}× its CRPS"
    assert strength in section
    warning = "Its Brent forecasts lost to the random walk at"
    assert warning in section and warning in html.unescape(page[: page.index('<section id="answers">')])
    assert f"event probabilities beat the base rates ({brier['ratio']:.2f}× their" in section
    assert kept["track_record"]["command"] in section
    assert kept["track_record"]["command"] in html.unescape(page[: page.index('<section id="answers">')])  # beside the summary's sentences too
    assert "has changed since" not in section


def test_a_scenario_changed_since_it_was_scored_is_flagged(small, tmp_path: Path) -> None:
    scenario, results = small
    copy = tmp_path / "russia-iran-2026.yaml"
    text = scenario.path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    copy.write_text(text.replace("priors: calibration/", f"priors: {scenario.path.parent}/calibration/", 1) + "\n# edited\n", encoding="utf-8")  # type: ignore[union-attr]
    shutil.copyfile(track_record_path(scenario), tmp_path / "russia-iran-2026.track-record.json")  # type: ignore[arg-type]
    edited = realpolitik.load(copy)
    assert edited.sha256 != scenario.sha256
    section = _section(build_report(edited.run(runs=60, seed=2, horizon=10), edited))
    assert "The scenario has changed since it was scored" in section
    assert f"this report's scenario is {edited.sha256[:16]}…" in section


def test_a_scenario_never_scored_says_so(small) -> None:
    variant = realpolitik.load("russia-iran-2024-04")
    assert track_record_path(variant) is None
    page = build_report(variant.run(runs=60, seed=2, horizon=10), variant)
    assert NONE in _section(page)
    assert NONE in html.unescape(page[: page.index('<section id="answers">')])


def test_a_given_backtest_is_shown_instead_and_left_out_only_when_asked(small) -> None:
    scenario, results = small
    given = _backtest({"crps_brent": 0.8, "crps_brent_day_7": 0.5, "crps_brent_day_30": 1.3, "brier": 0.9, "log": 0.95})
    section = _section(build_report(results, scenario, backtest=given))
    assert "The backtest given with --backtest" in section and given["run"]["command"] in section
    assert "beat a random walk (0.80× its CRPS" in section
    assert "Its Brent forecasts lost to the random walk at day 30 (1.30×)" in section
    assert "event probabilities beat the base rates (0.90× their Brier score, 0.95× on the log score" in section
    assert "does not record the sha256" in section
    left = _section(build_report(results, scenario, track_record=False))
    assert "left out of this report (--no-track-record)" in left


def test_a_backtest_of_another_scenario_is_named(small) -> None:
    scenario, results = small
    section = _section(build_report(results, scenario, backtest=_backtest({"crps_brent": 1.2}, scenario="elsewhere")))
    assert "These scores are of the scenario elsewhere, not of russia-iran-2026" in section


def test_an_unreadable_track_record_is_a_note_not_a_failure(tmp_path: Path) -> None:
    from tests.scenario.minimal import MINIMAL

    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "minimal.track-record.json").write_text('{"not": "a backtest"}', encoding="utf-8")
    scenario = realpolitik.load(path)
    section = _section(build_report(scenario.run(runs=20, seed=0), scenario))
    assert "minimal.track-record.json beside the scenario is not a track record" in section


def test_write_track_record_keeps_the_scores_beside_the_scenario(tmp_path: Path) -> None:
    from tests.scenario.minimal import MINIMAL

    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    scenario = realpolitik.load(path)
    scores = _backtest({"crps_brent": 1.5, "brier": 2.0}, scenario=str(path))
    written = write_track_record(scenario, scores)
    assert written == tmp_path / "minimal.track-record.json" == track_record_path(scenario)
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["track_record"]["sha256"] == scenario.sha256
    assert data["track_record"]["command"] == scores["run"]["command"] + " --json"
    assert {k: v for k, v in data.items() if k != "track_record"} == scores
    with pytest.raises(ValueError, match="scored 'elsewhere'"):
        track_record(scenario, _backtest({"crps_brent": 1.0}, scenario="elsewhere"))
    with pytest.raises(ValueError, match="not the output of 'realpolitik backtest --json'"):
        track_record(scenario, {"run": {}})


def test_losses_are_said_for_each_kind_of_score() -> None:
    t = read_track_record(
        _backtest({"crps_brent": 1.48, "crps_brent_day_1": 0.7, "crps_brent_day_7": 0.4, "crps_brent_day_14": 2.4, "crps_brent_day_30": 4.2, "brier": 4.1, "log": 3.8, "pinball": 1.2}),
        status="given", scenario_label="russia-iran-2026", scenario_sha256="0" * 64,
    )  # fmt: skip
    assert t.warnings[0].startswith("On past rounds the model's Brent forecasts scored 1.48× worse than a random walk (mean CRPS of 12 forecasts over 3 past rounds)")
    assert "it beat the walk at days 1 and 7 (0.70× and 0.40×) and lost at days 14 and 30 (2.40× and 4.20×): do not use its Brent bands beyond day 7" in t.warnings[0]
    assert t.warnings[1].startswith("On past rounds the model's event probabilities scored 4.10× worse than the base rates on the Brier score, 3.80× on the log score")
    assert t.warnings[2].startswith("On past rounds the model's pinball scored 1.20× worse than its baseline")
    assert not t.strengths
