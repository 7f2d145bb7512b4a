"""Fitting a parameter so that a scenario's wars last as a reference class lasted.

A hand-written scenario whose war ends at a known daily rate first (the fit must find
the rate the durations were drawn at); then the committed fit of the bundled
scenario's ``pressure_effect`` (``benchmarks/results/reference-pressure.json``) and
``collapse_scale`` (``reference-collapse-scale.json``) are reproduced from
``../shared/data`` (skipped when absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import realpolitik
import realpolitik.validation.duration_fit as fit_module
from realpolitik.errors import DataError, ScenarioError
from realpolitik.validation.duration_fit import bin_edges, coarsen, fit_parameter_to_durations, fit_parameters_to_durations, model_survival, parameter_fit_document, survival_log_likelihood
from realpolitik.validation.aims_reference import regime_fall_classes
from realpolitik.validation.reference import Duration, ReferenceClass, duration_classes, file_facts, main
from tests.conftest import ROOT, SHARED

PRESSURE_JSON = ROOT / "benchmarks" / "results" / "reference-pressure.json"
COLLAPSE_JSON = ROOT / "benchmarks" / "results" / "reference-collapse-scale.json"

ENDING = """\
name: ending
clock: {start: 2024-01-01, horizon_days: 150}
parameters:
  rate: {prior: {dist: uniform, low: 0.001, high: 0.1}}
  unrelated: {prior: {dist: uniform, low: 0, high: 1}}
variables:
  ended: {type: boolean}
events:
  end: {hazard: rate, effects: {ended: true}}
"""


@pytest.fixture(scope="module")
def ending(tmp_path_factory: pytest.TempPathFactory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("ending") / "ending.yaml"
    path.write_text(ENDING)
    return realpolitik.load(path)


def _class(rate: float, n: int = 300, seed: int = 1, censor: int = 400) -> ReferenceClass:
    """``n`` wars that each end on a day with probability ``rate``, still going at ``censor`` days."""
    days = np.random.default_rng(seed).geometric(rate, size=n)
    durations = tuple(Duration(f"w{i}", int(d), int(d)) if d <= censor else Duration(f"w{i}", censor, None) for i, d in enumerate(days))
    return ReferenceClass(f"geometric {rate}", "drawn", f"geometric, daily end {rate}", durations)


@pytest.mark.parametrize("truncation", [0, 8])
@pytest.mark.parametrize("rate", [0.012, 0.03])
def test_the_fit_finds_the_rate_the_durations_were_drawn_at(ending: realpolitik.Scenario, rate: float, truncation: int) -> None:
    fit = fit_parameter_to_durations(ending, "rate", _class(rate), "ended", support=(0.002, 0.06), truncation=truncation, points=29, runs=3000, seed=0)
    assert fit.quantile(0.05) <= rate <= fit.quantile(0.95)
    assert fit.sd < 0.006
    assert abs(fit.mean - rate) < 2.5 * fit.sd
    assert sum(fit.posterior) == pytest.approx(1.0)
    # the model at the best value ends wars as the class did, bin by bin
    best = fit.ended[int(np.argmax(fit.log_likelihood))]
    assert np.max(np.abs(np.array(best) - np.array(fit.class_ended))) < 0.08


def test_more_durations_narrow_the_posterior(ending: realpolitik.Scenario) -> None:
    few = fit_parameter_to_durations(ending, "rate", _class(0.02, n=30), "ended", support=(0.002, 0.06), points=29, runs=2000)
    many = fit_parameter_to_durations(ending, "rate", _class(0.02, n=600), "ended", support=(0.002, 0.06), points=29, runs=2000)
    assert many.sd < few.sd / 2


def test_the_fit_is_reproducible_and_ignores_the_parameters_own_prior(ending: realpolitik.Scenario) -> None:
    from realpolitik.scenario import Prior

    c = _class(0.02, n=80)
    first = fit_parameter_to_durations(ending, "rate", c, "ended", support=(0.002, 0.06), points=9, runs=500, seed=3)
    again = fit_parameter_to_durations(ending, "rate", c, "ended", support=(0.002, 0.06), points=9, runs=500, seed=3)
    refitted = fit_parameter_to_durations(ending.with_priors({"rate": Prior(dist="normal", mean=0.02, sd=0.001, low=0.0)}), "rate", c, "ended", support=(0.002, 0.06), points=9, runs=500, seed=3)
    assert first.log_likelihood == again.log_likelihood == refitted.log_likelihood
    other = fit_parameter_to_durations(ending, "rate", c, "ended", support=(0.002, 0.06), points=9, runs=500, seed=4)
    assert other.log_likelihood != first.log_likelihood


@pytest.mark.parametrize("rate", [0.02, 0.004])
def test_the_fitted_prior_is_a_normal_cut_to_the_support_with_the_posteriors_mean_and_sd(ending: realpolitik.Scenario, rate: float) -> None:
    """Away from the support's ends the cut normal is the posterior's own normal; at
    0.004, piled against the lower end, it is centred lower so that once cut its mean
    and sd are the posterior's."""
    from scipy import stats

    fit = fit_parameter_to_durations(ending, "rate", _class(rate), "ended", support=(0.002, 0.06), points=15, runs=1000)
    prior = fit.prior()
    assert (prior.dist, prior.low, prior.high) == ("normal", 0.002, 0.06)
    a, b = (prior.low - prior.mean) / prior.sd, (prior.high - prior.mean) / prior.sd
    mean, var = stats.truncnorm.stats(a, b, loc=prior.mean, scale=prior.sd, moments="mv")
    assert float(mean) == pytest.approx(fit.mean, abs=2e-4) and float(var) ** 0.5 == pytest.approx(fit.sd, abs=2e-4)
    ending.with_priors({"rate": prior})  # a prior the scenario accepts


def test_a_joint_fit_gives_a_parameter_nothing_reads_a_flat_marginal(ending: realpolitik.Scenario) -> None:
    """Fitted with ``unrelated`` (read by nothing), ``rate``'s marginal is its fit alone:
    every point runs the same seed, so the likelihood does not move along
    ``unrelated``'s axis at all."""
    c = _class(0.02, n=120)
    alone = fit_parameter_to_durations(ending, "rate", c, "ended", support=(0.002, 0.06), points=7, runs=800, seed=2)
    joint = fit_parameters_to_durations(ending, ("rate", "unrelated"), c, "ended", supports=((0.002, 0.06), (0.0, 1.0)), points=7, runs=800, seed=2)
    assert len(joint.values) == 49 and joint.values[:2] == ((alone.grid[0], joint.axes[1][0]), (alone.grid[0], joint.axes[1][1]))
    assert joint.marginal("rate").posterior == pytest.approx(alone.posterior, abs=1e-12)
    assert joint.marginal("unrelated").posterior == pytest.approx([1 / 7] * 7, abs=1e-12)
    assert joint.correlation() == pytest.approx(0.0, abs=1e-9)
    doc = joint.to_dict()
    assert doc["parameters"] == ["rate", "unrelated"] and doc["marginals"]["rate"]["posterior"] == alone.to_dict()["posterior"]
    with pytest.raises(ValueError, match="one support per parameter"):
        fit_parameters_to_durations(ending, ("rate", "unrelated"), c, "ended", supports=((0.002, 0.06),))
    with pytest.raises(ValueError, match="distinct parameters"):
        fit_parameters_to_durations(ending, ("rate", "rate"), c, "ended", supports=((0.002, 0.06), (0.002, 0.06)))


def test_episodes_are_binned_by_what_is_surely_known() -> None:
    edges = bin_edges(8, 190)
    assert edges == (8, 14, 30, 60, 90, 120, 150, 190)
    c = ReferenceClass("x", "", "", (Duration("short", 3, 3), Duration("exact", 20, 20), Duration("range", 25, 70), Duration("long", 400, 400), Duration("going", 100, None)))
    pairs, left = coarsen(c, edges)
    assert left == 1
    # exact 20 days: after 14, by 30; 25-70: after 14 (it lasted at least 24), by 90;
    # 400: beyond the horizon; still going at 100: surely past 90, perhaps beyond
    assert pairs.tolist() == [[1, 2], [1, 4], [7, 8], [4, 8]]


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda s, c: fit_parameter_to_durations(s, "nope", c, "ended", support=(0, 1)), ScenarioError, "no parameter 'nope'"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", c, "no_such_thing", support=(0, 1)), ScenarioError, "no_such_thing"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", c, "ended", support=(1, 0)), ValueError, "low < high"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", c, "ended", support=(0, float("inf"))), ValueError, "low < high"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", c, "ended", support=(0, 1), truncation=500), ValueError, "horizon of 150 days"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", ReferenceClass("short", "", "", (Duration("a", 3, 3),)), "ended", support=(0, 1), truncation=8), ValueError, "surely lasted more than 8"),
        (lambda s, c: fit_parameter_to_durations(s, "rate", c, "ended", support=(0, 1), points=1), ValueError, "at least 2"),
    ],
)
def test_what_cannot_be_fitted_is_refused_with_the_reason(ending: realpolitik.Scenario, call, error: type[Exception], says: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=None) as caught:
        call(ending, _class(0.02, n=20))
    assert says in str(caught.value)


# --------------------------------------------------------------------------- the bundled fit, on ../shared/data


@pytest.fixture(scope="module")
def conflict() -> Path:
    path = SHARED / "data" / "conflict"
    if not (path / "ucdp_acd.csv").is_file():
        pytest.skip("../shared/data/conflict is absent (a fresh clone has no shared data)")
    return path


def test_an_unknown_class_is_refused_on_the_command_line(conflict: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fit", "--scenario", "russia-iran-2026", "--parameter", "pressure_effect", "--support", "0", "1.2", "--conflict", str(conflict), "--class", "nope", "--condition", "ceasefire"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no reference class 'nope'" in err and "ucdp_interstate" in err and "Traceback" not in err


def test_a_war_class_does_not_need_the_leader_ids_a_regime_class_does(conflict: Path, ending: realpolitik.Scenario, tmp_path: Path) -> None:
    for f in conflict.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    part = (tmp_path / "gml_part.csv").read_text().splitlines()
    drop = part[0].split(",").index("obsid_end")
    (tmp_path / "gml_part.csv").write_text("\n".join(",".join(c for i, c in enumerate(row.split(",")) if i != drop) for row in part) + "\n")
    doc = parameter_fit_document(ending, tmp_path, "ucdp_interstate", ["rate"], "ended", supports=[(0.001, 0.02)], truncation=8, points=2, runs=100, seed=0)
    assert doc["results"]["reference"] == "ucdp_interstate"
    with pytest.raises(DataError, match="lacks the column.*obsid_end"):
        parameter_fit_document(ending, tmp_path, "gml_regime_war", ["rate"], "ended", supports=[(0.001, 0.02)], truncation=8, points=2, runs=100, seed=0)


def test_the_committed_fit_names_its_command_and_the_scenario_cites_it() -> None:
    doc = json.loads(PRESSURE_JSON.read_text())
    assert doc["command"].startswith("python -m realpolitik.validation.reference fit --scenario russia-iran-2026 --parameter pressure_effect")
    scenario = realpolitik.load("russia-iran-2026")
    r = doc["results"]
    assert r["parameters"] == ["pressure_effect", "pause_effect"]
    for name in r["parameters"]:
        spec = scenario.spec.parameters[name]
        assert spec.basis == "data" and spec.data.file == "benchmarks/results/reference-pressure.json"
        written = r["marginals"][name]["prior"]
        assert (spec.prior.mean, spec.prior.sd, spec.prior.low, spec.prior.high) == (written["mean"], written["sd"], written["low"], written["high"])


@pytest.mark.parametrize(("path", "rows"), [(PRESSURE_JSON, (0, 17, 130, 255)), (COLLAPSE_JSON, (0, 3, 12))], ids=["pressure", "collapse"])
def test_a_committed_fit_is_reproduced(conflict: Path, path: Path, rows: tuple[int, ...]) -> None:
    """A fit the bundled scenario's priors come from: the class's bins, and a few of its
    grid points run again (each point runs on the same seed, so each one reproduces
    alone; the joint pressure fit takes about 5 minutes with the command it names, the
    collapse fit 15 seconds)."""
    doc = json.loads(path.read_text())
    r = doc["results"]
    names = r.get("parameters", [r.get("parameter")])
    classes = duration_classes(conflict) | regime_fall_classes(conflict)
    cuts = tuple(r["edges_days"])
    pairs, _ = coarsen(classes[r["reference"]], cuts)
    assert list(np.bincount(np.minimum(pairs[:, 1], len(cuts)), minlength=len(cuts) + 1)[1:]) == r["observed_per_bin"]
    scenario = realpolitik.load("russia-iran-2026")
    for row in [r["grid"][i] for i in rows]:
        values = dict(zip(names, row.get("values", [row.get("value")]), strict=True))
        survival = model_survival(scenario, values, r["condition"], cuts, runs=r["runs_per_value"], seed=r["seed"])
        assert survival_log_likelihood(survival, pairs, 0.5 / r["runs_per_value"]) == pytest.approx(row["log_likelihood"], abs=1e-4)
        assert [round(1 - x / survival[0], 4) for x in survival] == pytest.approx(row["ended_by_edge"], abs=1e-4)
    weights = np.exp(np.array([g["log_likelihood"] for g in r["grid"]]) - max(g["log_likelihood"] for g in r["grid"]))
    assert [g["posterior"] for g in r["grid"]] == pytest.approx(list(weights / weights.sum()), abs=2e-4)  # (from rounded log-likelihoods)
    for name, facts in doc["data"].items():
        assert file_facts(conflict / name)["sha256"] == facts["sha256"], f"{name} has changed since the fit was written"


def test_the_collapse_fit_is_the_scenarios_prior_and_rests_on_regimes_fought_over() -> None:
    doc = json.loads(COLLAPSE_JSON.read_text())
    assert doc["command"].startswith("python -m realpolitik.validation.reference fit --scenario russia-iran-2026 --parameter collapse_scale")
    r = doc["results"]
    assert (r["parameter"], r["reference"], r["condition"]) == ("collapse_scale", "gml_regime_war", "iran_state_collapse > 0")
    spec = realpolitik.load("russia-iran-2026").spec.parameters["collapse_scale"]
    assert spec.basis == "data" and spec.data.file == "benchmarks/results/reference-collapse-scale.json"
    assert (spec.prior.mean, spec.prior.sd, spec.prior.low, spec.prior.high) == (r["prior"]["mean"], r["prior"]["sd"], r["prior"]["low"], r["prior"]["high"])
    assert r["class_ended_by_edge"][-1] < 0.1  # fewer than one regime in ten fell within the horizon


def test_the_document_names_its_command_data_and_fit(conflict: Path, ending: realpolitik.Scenario) -> None:
    doc = parameter_fit_document(ending, conflict, "ucdp_interstate", ["rate"], "ended", supports=[(0.001, 0.02)], truncation=8, points=3, runs=200, seed=0, command="the command")
    assert doc["command"] == "the command" and doc["scenario"]["name"] == "ending"
    assert set(doc["data"]) >= {"ucdp_acd.csv", "gml_mid_disps.csv"} and len(doc["results"]["grid"]) == 3
    assert doc["results"]["prior"]["dist"] == "normal" and 0.001 <= doc["results"]["posterior"]["mean"] <= 0.02
    joint = parameter_fit_document(ending, conflict, "ucdp_interstate", ["rate", "unrelated"], "ended", supports=[(0.001, 0.02), (0, 1)], truncation=8, points=2, runs=200, seed=0)
    assert joint["results"]["parameters"] == ["rate", "unrelated"] and len(joint["results"]["grid"]) == 4
    assert joint["what"].startswith("rate and unrelated fitted")
    with pytest.raises(DataError, match="no reference class 'nope'"):
        parameter_fit_document(ending, conflict, "nope", ["rate"], "ended", supports=[(0.001, 0.02)], truncation=8, points=3, runs=200, seed=0)


def test_the_command_fits_several_parameters_jointly_and_refuses_a_missing_support(conflict: Path, ending: realpolitik.Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["fit", "--scenario", str(ending.path), "--conflict", str(conflict), "--class", "ucdp_interstate", "--condition", "ended", "--points", "2", "--runs", "100"]
    assert main([*base, "--parameter", "rate", "--support", "0.001", "0.02", "--parameter", "unrelated", "--support", "0", "1"]) == 0
    text = capsys.readouterr().out
    assert "rate and unrelated fitted to ucdp_interstate" in text and "unrelated: posterior mean 0.5" in text and "posterior correlation" in text
    assert main([*base, "--parameter", "rate", "--support", "0.001", "0.02", "--parameter", "unrelated"]) == 2
    assert "give one --support per --parameter (2 parameters, 1 supports)" in capsys.readouterr().err


def test_public_names_are_pinned() -> None:
    assert sorted(fit_module.__all__) == sorted(
        ["GridPosterior", "JointFit", "ParameterFit", "bin_edges", "fit_parameters_to_durations", "coarsen", "fit_parameter_to_durations", "flat_grid", "model_survival", "normalised", "parameter_fit_document", "render_fit_text", "survival_log_likelihood", "truncated_normal_matching"]
    )
