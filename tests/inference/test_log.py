"""A scenario's own log: dated, sourced reports and series values up to its as-of
date, so that its answers as of that morning need no news store or price file."""

from __future__ import annotations

import json

import pytest

from realpolitik.cli import main
from realpolitik.errors import ScenarioError
from realpolitik.inference import evidence_as_of, run_as_of
from realpolitik.scenario import load

# a price observed by a series, and a news indicator of a shock
LOGGED = """\
name: logged
clock: {start: 2026-01-01, step_days: 1, horizon_days: 40, as_of: 2026-01-11}
parameters:
  rate: {prior: {dist: uniform, low: 0.01, high: 0.3}, rationale: judgement}
  drift: {prior: {dist: normal, mean: 0, sd: 0.02}, rationale: judgement}
variables:
  price:
    type: continuous
    bounds: [1, 1000]
    initial: 100
    observed_by: {series: close, error: lognormal, sd: 0.01, rationale: judgement}
  shocked: {type: boolean}
events:
  shock: {hazard: rate, effects: {shocked: true}, once: true}
mechanisms:
  walk: {target: price, update: "price * exp(drift + 0.01 * normal())"}
indicators:
  shock_reported:
    observes: shocked
    p_report: 0.9
    false_rate: 0.01
    event: {type: ASSAULT}
questions:
  shock_by_end: {kind: probability, text: "Has the shock happened?", condition: shocked}
  price_end: {kind: quantiles, text: "Where is the price?", value: price}
log:
  covered: [2026-01-02, 2026-01-05]
  reports:
    - {indicator: shock_reported, date: 2026-01-05, rationale: "judgement: a test's report"}
  series:
    close:
      rationale: "judgement: a test's closes"
      values: {2026-01-02: 101.0, 2026-01-05: 104.0, 2026-01-08: 107.5, 2026-01-09: 108.0}
"""


@pytest.fixture
def logged(write_scenario):  # type: ignore[no-untyped-def]
    return write_scenario(LOGGED, "logged.yaml")


def test_the_log_is_the_evidence_as_of_the_scenarios_date(logged) -> None:  # type: ignore[no-untyped-def]
    scenario = load(logged)
    evidence = evidence_as_of(scenario, scenario.spec.clock.as_of)
    assert [(o.indicator, o.date.isoformat()) for o in evidence.reports] == [("shock_reported", "2026-01-05")]
    assert [p.name for p in evidence.prices] == ["close"] and len(evidence.prices[0].values) == 4
    assert len(evidence.covered) == 4
    results = run_as_of(scenario, evidence, runs=2000, seed=1, horizon=1)
    # the shock was reported: it has happened in (nearly) every run; the price a day
    # after the as-of date is near the last close (108 on 2026-01-09), far from the prior's 100
    assert results.answer("shock_by_end").estimate.value > 0.95
    assert 104 < results.answer("price_end").quantiles[0.5].value < 114
    prior = run_as_of(scenario, evidence_as_of(scenario, scenario.spec.clock.start), runs=400, seed=1, horizon=11)
    assert prior.answer("shock_by_end").estimate.value < 0.9


def test_run_with_no_arguments_answers_as_of_the_scenarios_date(logged, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", str(logged), "--runs", "300", "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run"]["as_of"] == "2026-01-11" and "--as-of 2026-01-11" in data["run"]["command"]
    assert len(data["conditioning"]["observations"]) == 1
    # the printed command reproduces it
    command = data["run"]["command"].split()[2:]
    assert main(["run", *command, "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == data["answers"]
    # "start": from the start, on nothing observed
    assert main(["run", str(logged), "--runs", "300", "--json", "--no-progress", "--as-of", "start"]) == 0
    start = json.loads(capsys.readouterr().out)
    assert start["run"]["as_of"] is None and "conditioning" not in start


def test_an_earlier_as_of_date_reads_nothing_of_the_log_after_it(logged, write_scenario) -> None:  # type: ignore[no-untyped-def]
    scenario = load(logged)
    early = evidence_as_of(scenario, __import__("datetime").date(2026, 1, 4))
    assert early.reports == () and [len(p.values) for p in early.prices] == [1]
    assert early.future == 1 + 3  # the report and three closes after the date
    # what the log holds after the date cannot change the answers as of it
    poisoned = write_scenario(
        LOGGED.replace("2026-01-08: 107.5", "2026-01-08: 900.0").replace("date: 2026-01-05", "date: 2026-01-06"), "poisoned.yaml"
    )
    a = run_as_of(scenario, early, runs=200, seed=3)
    b = run_as_of(load(poisoned), evidence_as_of(load(poisoned), __import__("datetime").date(2026, 1, 4)), runs=200, seed=3)
    assert [x.estimate for x in a.answers] == [x.estimate for x in b.answers]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("indicator: shock_reported", "indicator: shock_reportd"), "no indicator 'shock_reportd'; did you mean 'shock_reported'?"),
        (("date: 2026-01-05", "date: 2026-01-12"), "after clock.as_of"),
        (("    close:\n", "    closing:\n"), "no variable is observed by a series 'closing'"),
        (("as_of: 2026-01-11", "as_of: 2026-03-01"), "outside the clock"),
        (("clock: {start: 2026-01-01, step_days: 1, horizon_days: 40, as_of: 2026-01-11}", "clock: {start: 2026-01-01, step_days: 1, horizon_days: 40}"), "a log needs clock.as_of"),
    ],
)
def test_a_bad_log_is_an_error_naming_its_line(write_scenario, change, message) -> None:  # type: ignore[no-untyped-def]
    path = write_scenario(LOGGED.replace(*change), "bad.yaml")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    problems = [p for p in caught.value.problems if message in p.message]
    assert problems, [str(p) for p in caught.value.problems]
    assert problems[0].line is not None and problems[0].file.endswith("bad.yaml")


def test_given_prices_replace_the_logs_series_of_the_same_name(logged, tmp_path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "close.csv"
    csv.write_text("Date,Price\n2026-01-03,99.0\n2026-01-10,98.0\n", encoding="utf-8")
    scenario = load(logged)
    evidence = evidence_as_of(scenario, scenario.spec.clock.as_of, prices=[f"close={csv}"])
    assert [p.values for p in evidence.prices] == [(99.0, 98.0)]
