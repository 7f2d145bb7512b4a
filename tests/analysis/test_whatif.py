"""What-if: paired comparisons on common random numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import realpolitik
from realpolitik.analysis import what_if
from realpolitik.cli import main
from realpolitik.engine import Intervention, run
from realpolitik.errors import ScenarioError

DIVERT = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east"])


@pytest.fixture(scope="module")
def scenario() -> realpolitik.Scenario:
    return realpolitik.load("default")


def test_a_no_op_intervention_changes_nothing_exactly(scenario) -> None:
    # setting a parameter to a value is a real change; an empty intervention is none
    cmp = what_if(scenario, Intervention(), runs=500, seed=3, horizon=60)
    for d in cmp.deltas:
        assert d.delta.value == 0.0 and d.delta.se == 0.0, d
        assert d.baseline == d.intervention


def test_forcing_an_option_already_forced_is_a_no_op(scenario) -> None:
    # forcing a decision onto the option an intervention already forces changes nothing
    once = run(scenario, runs=300, seed=1, horizon=40, intervention=DIVERT)
    twice = run(scenario, runs=300, seed=1, horizon=40, intervention=DIVERT.merged(DIVERT))
    for name in once.outcomes:
        np.testing.assert_array_equal(once.outcomes[name], twice.outcomes[name])


def test_diverting_interceptors_raises_ukraines_shortfall(scenario) -> None:
    cmp = what_if(scenario, DIVERT, runs=2000, seed=5, horizon=90)
    q5 = cmp.delta("Q5")
    assert q5.delta.low > 0
    assert q5.intervention.value > q5.baseline.value


def test_paired_interval_is_narrower_than_independent_seeds(scenario) -> None:
    runs = 2000
    cmp = what_if(scenario, DIVERT, runs=runs, seed=5, horizon=90)
    other = run(scenario, runs=runs, seed=6, horizon=90, intervention=DIVERT)
    base = run(scenario, runs=runs, seed=5, horizon=90)
    for question in ("Q5", "brent_at_horizon", "russia_windfall"):
        name = cmp.delta(question).question
        paired_variance = cmp.delta(question).delta.se ** 2
        independent = other.outcomes[name] - base.outcomes[name]  # arms on different seeds
        independent_variance = (np.var(other.outcomes[name], ddof=1) + np.var(base.outcomes[name], ddof=1)) / runs
        assert paired_variance < independent_variance, (question, paired_variance, independent_variance, independent.var())


def test_setting_a_parameter_moves_what_depends_on_it(scenario) -> None:
    cheap_help = Intervention.parse(set=["direct_help_cost=2"])
    cmp = what_if(scenario, cheap_help, runs=1000, seed=2, horizon=60)
    assert cmp.delta("Q6").delta.low > 0


def test_forcing_an_event_makes_it_happen(scenario) -> None:
    collapse = Intervention.parse(force_events=["iran_state_collapse@10"])
    cmp = what_if(scenario, collapse, runs=500, seed=2, horizon=60)
    assert cmp.delta("Q7").intervention.value == 1.0


def test_forced_option_starts_on_its_day(scenario) -> None:
    later = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@30"])
    r = run(scenario, runs=200, seed=0, horizon=60, intervention=later)
    share = r.steps[("interceptor_allocation", "p_divert_to_middle_east")]
    assert share[30:].min() == 1.0 and share[:30].max() < 1.0


@pytest.mark.parametrize(
    ("intervention", "message"),
    [
        (Intervention.parse(force=["interceptor_alocation=divert_to_middle_east"]), "did you mean 'interceptor_allocation'"),
        (Intervention.parse(force=["interceptor_allocation=divert"]), "has no option 'divert'"),
        (Intervention.parse(set=["no_such=1"]), "no parameter 'no_such'"),
        (Intervention.parse(force_events=["hormuz_closur@3"]), "did you mean 'hormuz_closure'"),
    ],
)
def test_bad_interventions_are_named(scenario, intervention: Intervention, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        what_if(scenario, intervention, runs=10, seed=0)


@pytest.mark.parametrize("flag", ["--set=x", "--set=x=abc", "--force=a", "--force-event=e"])
def test_malformed_flags_are_refused(capsys, flag: str) -> None:
    assert main(["whatif", flag, "--runs", "10"]) == 1
    assert "expected" in capsys.readouterr().err


def test_intervention_file_with_a_typo_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "iv.yaml"
    path.write_text("set: {direct_help_cost: 2}\nforce_event:\n  - {event: x, day: 3}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"iv.yaml:2:1: force_event: unknown key 'force_event'; did you mean 'force_events'"):
        Intervention.from_file(path)


def test_cli_whatif_json_and_parquet(capsys, tmp_path: Path) -> None:
    iv = tmp_path / "iv.yaml"
    iv.write_text("force:\n  - {decision: interceptor_allocation, option: divert_to_middle_east, from_day: 5}\n", encoding="utf-8")
    target = tmp_path / "w.parquet"
    code = main(["whatif", "--file", str(iv), "--runs", "300", "--horizon", "30", "--json", "--out", str(target)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intervention"] == "--force interceptor_allocation=divert_to_middle_east@5"
    assert data["run"]["command"].startswith("realpolitik whatif russia-iran-2026 --force interceptor_allocation=divert_to_middle_east@5 --runs 300")
    q5 = next(q for q in data["questions"] if "Q5" in q["cites"])
    assert q5["delta"]["value"] > 0
    table = pq.read_table(target).to_pandas()
    questions = table[table["record"] == "question"]
    assert set(questions["arm"]) == {"baseline", "intervention", "delta"}
    assert set(table["record"]) == {"question", "checkpoint", "path"}


def test_paired_errors_of_conditioned_runs_are_on_their_effective_number() -> None:
    from realpolitik.analysis.whatif import _paired

    rng = np.random.default_rng(0)
    x = rng.normal(size=4000)
    y = x + rng.normal(0.1, 1.0, size=4000)
    plain, plain_independent = _paired(x, y)
    few, few_independent = _paired(x, y, effective=40)
    assert few.value == plain.value
    assert few.se == pytest.approx(plain.se * 10) and few_independent == pytest.approx(plain_independent * 10)
    assert _paired(x, y, effective=1e9)[0].se == pytest.approx(plain.se)  # never below the runs' own error


def test_paired_errors_of_conditioned_runs_count_their_replicate_filters() -> None:
    """Replicate filters that disagree about an intervention's effect make its error
    wider than the effective runs alone would; filters that agree leave it at them."""
    from realpolitik.analysis.whatif import _paired

    rng = np.random.default_rng(1)
    clusters = np.repeat(np.arange(8), 500)
    x = rng.normal(size=4000)
    agree = x + rng.normal(0.1, 1.0, size=4000)
    disagree = agree + np.repeat(rng.normal(0.0, 0.5, size=8), 500)  # each filter its own shift
    plain = _paired(x, agree, effective=2000)[0]
    assert _paired(x, agree, effective=2000, lineage=clusters)[0].se == pytest.approx(plain.se, rel=0.6)
    wide = _paired(x, disagree, effective=2000, lineage=clusters)[0]
    assert wide.se > 3 * _paired(x, disagree, effective=2000)[0].se
    # the between-filter error of the mean of the shifted differences
    means = (disagree - x).reshape(8, 500).mean(axis=1)
    assert wide.se == pytest.approx(means.std(ddof=1) / np.sqrt(8), rel=1e-3)  # (up to n / (n - 1))


def test_a_what_if_as_of_a_date_carries_the_runs_clusters() -> None:
    from realpolitik.inference import evidence_as_of

    scenario = realpolitik.load("russia-iran-2026")
    evidence = evidence_as_of(scenario, scenario.spec.clock.as_of)
    comparison = what_if(scenario, Intervention.parse(set=["hormuz_cost=9"]), runs=4000, seed=3, horizon=30, evidence=evidence)
    delta = comparison.delta("Q3")
    assert comparison.conditioning is not None and comparison.conditioning["replicates"] == 4
    assert math.isfinite(delta.delta.se) and delta.delta.se > 0
