"""describe: every element a user can question and change, with the flag that changes
it; and the starter scenario that ``init`` writes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import Intervention
from realpolitik.errors import ScenarioError
from realpolitik.scenario import Description, Prior, describe, load, prior_ppf, write_starter
from realpolitik.scenario._describe import starter_scenario
from tests.scenario.minimal import MINIMAL

#: A scenario that names a calibration posterior: the bundled one as it was before its
#: rebuild, frozen for the benchmarks' peers.
REFERENCE_MODEL = str(Path(__file__).resolve().parents[2] / "benchmarks" / "peers" / "reference-model.yaml")

#: The JSON shape the local web page reads (keys may be added, never renamed).
SHAPE = {
    "scenario": {"name", "label", "file", "start", "horizon_days", "sha256"},
    "actors": {"name", "cites", "decisions"},
    "decisions": {"name", "actor", "cites", "options", "force"},
    "parameters": {"name", "cites", "prior", "low", "high", "default", "source", "rationale", "set"},
    "variables": {"name", "cites", "kind", "initial", "levels", "unit"},
    "events": {"name", "cites", "force_event"},
    "indicators": {"name", "cites", "observes"},
    "questions": {"name", "cites", "text", "kind", "mode", "date"},
}
SECTIONS = [key for key in SHAPE if key != "scenario"]


@pytest.fixture(scope="module")
def bundled() -> realpolitik.Scenario:
    return load("default")


@pytest.fixture(scope="module")
def description(bundled) -> Description:
    return describe(bundled)


def test_every_element_of_the_bundled_scenario_is_listed(bundled, description: Description) -> None:
    model, spec = bundled.model, bundled.spec
    assert [p.name for p in description.parameters] == [p.name for p in model.parameters]
    assert [d.name for d in description.decisions] == [d.name for d in model.decisions]
    assert [e.name for e in description.events] == [e.name for e in model.events]
    assert [v.name for v in description.variables] == [v.name for v in model.variables]
    assert [i.name for i in description.indicators] == [i.name for i in model.indicators]
    assert [q.name for q in description.questions] == [q.name for q in model.questions]
    assert [a.name for a in description.actors] == list(spec.actors)
    for d in description.decisions:
        compiled = next(x for x in model.decisions if x.name == d.name)
        assert d.actor == compiled.actor
        assert [o.name for o in d.options] == [o.name for o in compiled.options]
        assert d.name in next(a for a in description.actors if a.name == d.actor).decisions


def test_the_json_has_the_shape_the_web_page_reads(description: Description) -> None:
    data = json.loads(json.dumps(description.to_dict()))
    assert list(data) == ["scenario", *SECTIONS]
    assert SHAPE["scenario"] <= set(data["scenario"])
    assert data["scenario"]["start"] == "2026-02-28" and len(data["scenario"]["sha256"]) == 64
    for section in SECTIONS:
        assert data[section], section
        for entry in data[section]:
            assert SHAPE[section] <= set(entry), (section, SHAPE[section] - set(entry))
    for d in data["decisions"]:
        assert all({"name", "cites"} <= set(o) for o in d["options"])
    for p in data["parameters"]:
        assert {"distribution", "text"} <= set(p["prior"]) and {"kind", "text"} <= set(p["source"])
        assert p["source"]["kind"] in ("data", "passage", "judgement")


def test_the_printed_flags_are_accepted_by_whatif(bundled, description: Description) -> None:
    for p in description.parameters:
        flag = p.set.replace("VALUE", repr(p.default))
        assert flag.startswith(f"--set {p.name}=")
        Intervention.parse(set=[flag.removeprefix("--set ")]).compile(bundled.model)
        Intervention.parse(set=[p.example.removeprefix("--set ")]).compile(bundled.model)
    for d in description.decisions:
        for option in d.options:
            for tail in (option.name, f"{option.name}@5"):
                flag = d.force.replace("OPTION[@DAY]", tail)
                compiled = Intervention.parse(force=[flag.removeprefix("--force ")]).compile(bundled.model)
                assert compiled.forced_option(d.name, 5) == [o.name for o in d.options].index(option.name)
        Intervention.parse(force=[d.example.removeprefix("--force ")]).compile(bundled.model)
    for e in description.events:
        flag = e.force_event.replace("DAY", "30")
        assert Intervention.parse(force_events=[flag.removeprefix("--force-event ")]).compile(bundled.model).fires(e.name, 30)
        Intervention.parse(force_events=[e.example.removeprefix("--force-event ")]).compile(bundled.model)


def test_a_flag_naming_nothing_is_refused_so_the_check_above_can_fail(bundled) -> None:
    with pytest.raises(ScenarioError):
        Intervention.parse(set=["no_such_parameter=1"]).compile(bundled.model)
    with pytest.raises(ScenarioError):
        Intervention.parse(force=["russia_posture=OPTION"]).compile(bundled.model)


def test_low_and_high_are_the_priors_quantiles_or_support(bundled, description: Description) -> None:
    priors = {p.name: p.prior for p in bundled.model.parameters}
    for p in description.parameters:
        prior = priors[p.name]
        q05, q50, q95 = prior_ppf(prior, np.array([0.05, 0.5, 0.95]))
        assert p.default == pytest.approx(q50)
        if p.range == "support":
            ends = prior_ppf(prior, np.array([0.0, 1.0]))  # the ends of the support
            assert (p.low, p.high) == pytest.approx(tuple(ends), rel=1e-9), p.name
        else:
            assert p.range == "5%-95%"
            assert (p.low, p.high) == pytest.approx((q05, q95)), p.name
    by_name = {p.name: p for p in description.parameters}
    assert (by_name["hormuz_cost"].low, by_name["hormuz_cost"].high, by_name["hormuz_cost"].prior.text) == (6.0, 8.5, "uniform(6, 8.5)")
    assert by_name["brent_daily_volatility"].range == "5%-95%"  # a lognormal has no upper end


@pytest.mark.parametrize(
    ("name", "kind", "text"),
    [
        ("fear_half_life", "data", "data: benchmarks/results/reference-oil.json"),  # basis: data
        ("hormuz_cost", "passage", "S3: “nobody actually wants a total war”"),
        ("felt_loss_rate", "judgement", "judgement"),  # basis: judgement
        ("russia_export_volume", "judgement", "judgement"),  # "the sources give no figure"
    ],
)
def test_where_each_number_comes_from(description: Description, name: str, kind: str, text: str) -> None:
    p = next(p for p in description.parameters if p.name == name)
    assert (p.source.kind, p.source.text) == (kind, text)
    assert p.rationale


def test_a_fitted_prior_is_data_in_a_variant_too_and_not_without_the_posterior(write_scenario) -> None:
    def fear(scenario: realpolitik.Scenario):  # type: ignore[no-untyped-def]
        return next(p for p in describe(scenario).parameters if p.name == "fear_premium_per_level")

    inherited = fear(load(write_scenario(f"extends: {REFERENCE_MODEL}\nname: child\n")))  # the parent names the posterior
    assert (inherited.source.kind, inherited.prior.distribution) == ("data", "beta")
    written = fear(load(REFERENCE_MODEL, priors=False))
    assert (written.source.kind, written.prior.text) == ("passage", "uniform(5, 15)")


def test_a_rationale_naming_a_data_file_is_data_and_a_bare_number_is_judgement(write_scenario) -> None:
    text = MINIMAL.replace(
        "rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1]}",
        'rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1], rationale: "Fitted to shocks.csv (2010-2025)."}\n'
        "  other: {value: 3}",
    )
    d = describe(load(write_scenario(text)))
    rate, other = d.parameters
    assert (rate.source.kind, rate.source.text, rate.source.file) == ("data", "data: shocks.csv", "shocks.csv")
    assert (other.source.kind, other.prior.text, other.low, other.high, other.default) == ("judgement", "fixed(3)", 3.0, 3.0, 3.0)
    assert other.example == "--set other=3"


def test_variables_show_their_initial_values_levels_and_units(description: Description) -> None:
    v = {x.name: x for x in description.variables}
    assert (v["escalation"].kind, v["escalation"].initial, v["escalation"].levels[0]) == ("levels", "tit_for_tat", "calm")
    assert (v["brent"].initial, v["brent"].unit, v["brent"].levels, v["brent"].bounds) == (71.32, "USD/bbl", None, (20.0, 250.0))
    assert v["talks_offered"].initial is False
    assert v["iran_export_share"].initial == "iran_initial_exports"  # an expression of parameters


def test_questions_say_how_to_ask_for_them(description: Description, write_scenario) -> None:
    q = {x.name: x for x in description.questions}
    assert q["red_line_crossed"].ids == ("Q2",) and q["red_line_crossed"].date == dt.date(2026, 9, 6)
    assert q["brent_at_horizon"].ids == ()  # Q4 is cited by two questions: results.answer("Q4") is ambiguous
    scenario = load(write_scenario(MINIMAL.replace("condition: shock > 0", "condition: shock > 0\n    cites: [Q1]\n    by: 20")))
    results = scenario.run(runs=50)
    scenario_description = describe(scenario)
    for question in scenario_description.questions:
        answer = eval(question.ask, {"results": results})  # the text it prints, as a user would type it
        assert answer.question == question.name
        assert all(results.answer(cid).question == question.name for cid in question.ids)
    shocked = scenario_description.questions[0]
    assert (shocked.ids, shocked.mode, shocked.day, shocked.checkpoints) == (("Q1",), "by", 20, (dt.date(2026, 1, 11),))


_PRIORS = st.one_of(
    st.tuples(st.floats(-1e3, 1e3), st.floats(1e-3, 1e3)).map(lambda t: Prior(dist="uniform", low=t[0], high=t[0] + t[1])),
    st.tuples(st.floats(-1e3, 1e3), st.floats(1e-2, 1e2)).map(lambda t: Prior(dist="normal", mean=t[0], sd=t[1])),
    st.tuples(st.floats(1e-4, 1e3), st.floats(0.01, 2)).map(lambda t: Prior(dist="lognormal", median=t[0], sigma=t[1])),
    st.tuples(st.floats(0.2, 50), st.floats(0.2, 50)).map(lambda t: Prior(dist="beta", a=t[0], b=t[1])),
    st.tuples(st.floats(-1e3, 1e3), st.floats(0, 1), st.floats(1e-3, 1e3)).map(
        lambda t: Prior(dist="triangular", low=t[0], mode=t[0] + t[1] * t[2], high=t[0] + t[2])
    ),
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=5).map(lambda v: Prior(dist="categorical", values=v)),
)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("describe") / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return load(path)


@settings(max_examples=60, deadline=None)
@given(prior=_PRIORS)
def test_any_prior_is_described_within_its_range_and_settable(minimal, prior: Prior) -> None:
    scenario = minimal.with_priors({"rate": prior})
    (p,) = describe(scenario).parameters
    assert p.low <= p.default <= p.high
    q05, q95 = prior_ppf(prior, np.array([0.05, 0.95]))
    assert p.low <= q05 + 1e-9 * (1 + abs(q05)) and q95 <= p.high + 1e-9 * (1 + abs(q95))
    data = describe(scenario).to_dict()["parameters"][0]["prior"]
    numbers = {k: v for k, v in data.items() if k not in ("distribution", "text")}
    assert Prior(dist=data["distribution"], **numbers) == prior  # the JSON gives the prior back
    Intervention.parse(set=[p.example.removeprefix("--set ")]).compile(scenario.model)


# --- the starter scenario ------------------------------------------------------------


def test_the_starter_loads_runs_and_answers_both_questions(tmp_path: Path) -> None:
    path = write_starter("border-crisis", tmp_path, start=dt.date(2026, 5, 1))
    assert path == tmp_path / "border-crisis.yaml"
    scenario = load(path)
    assert scenario.name == "border-crisis" and scenario.spec.clock.start == dt.date(2026, 5, 1)
    kinds = {q.kind for q in scenario.model.questions}
    assert {"probability", "quantiles"} <= kinds
    results = scenario.run(runs=200, seed=1)
    assert 0 < results.answer("Q1").estimate.value < 1
    assert 0 <= results.answer("Q2").estimate.value <= 1


def test_the_starter_cites_no_source_and_says_judgement(tmp_path: Path) -> None:
    path = write_starter("mine", tmp_path, start=dt.date(2026, 1, 1))
    report = realpolitik.check(path)
    assert report.ok and not report.problems and not report.locators and report.missing == []
    scenario = load(path)
    assert scenario.spec.sources == {}
    d = describe(scenario)
    assert d.parameters and all(p.source.kind == "judgement" and "Judgement" in (p.rationale or "") for p in d.parameters)
    assert len(d.actors) in (2, 3) and d.decisions and d.events and d.indicators and scenario.model.mechanisms
    text = path.read_text(encoding="utf-8")
    assert "docs/scenario-language.md" in text and "russia" not in text.lower() and "../shared" not in text


@pytest.mark.parametrize("name", ["2026", "true", "null", "yes", "1e5", "-", "a-", "x_y-z"])
def test_a_name_yaml_would_read_as_a_number_or_boolean_stays_text(tmp_path: Path, name: str) -> None:
    if not name[0].isalnum():
        with pytest.raises(ValueError):
            starter_scenario(name, dt.date(2026, 1, 1))
        return
    path = write_starter(name, tmp_path, start=dt.date(2026, 1, 1))
    assert load(path).name == name


@pytest.mark.parametrize(
    "name",
    ["", "../evil", "a/b", "a\\b", "my crisis", ".hidden", "x" * 65, "naïve", "a:b", 'a"b', "a\nb", "con", "LPT1", "crisis.json"],
)
def test_an_unsafe_name_is_refused_before_anything_is_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        write_starter(name, tmp_path, start=dt.date(2026, 1, 1))
    assert list(tmp_path.iterdir()) == []


def test_a_yaml_ending_is_dropped_and_an_existing_file_is_kept(tmp_path: Path) -> None:
    path = write_starter("crisis.yaml", tmp_path, start=dt.date(2026, 1, 1))
    assert path.name == "crisis.yaml"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_starter("crisis", tmp_path, start=dt.date(2026, 1, 1))
    assert path.read_text(encoding="utf-8") == "mine"
    write_starter("crisis", tmp_path, start=dt.date(2026, 1, 1), overwrite=True)
    assert load(path).name == "crisis"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crisis.yaml"]  # no temporary file left
