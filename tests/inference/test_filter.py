"""The particle filter behind answers as of a date, against exact answers and laws.

A linear-Gaussian scenario is checked against the Kalman filter; a regime-switching
one against hidden runs it did not see (interval coverage, the true regime's
posterior); answers as of a date must not depend on anything dated after it, on
batch sizes, or on silence outside the days the news covered.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import run
from realpolitik.errors import DataError, RealpolitikError, ScenarioError
from realpolitik.inference import (
    Evidence,
    Observation,
    PriceSeries,
    condition,
    evidence_as_of,
    read_prices,
    run_as_of,
    systematic_indices,
)

START = dt.date(2026, 1, 1)

# x_t = a x_{t-1} + s e_t, x_0 ~ N(m0, p0), y_t = x_t + r n_t: the Kalman filter is exact.
KALMAN_A, KALMAN_S, KALMAN_R, KALMAN_M0, KALMAN_SD0 = 0.9, 0.5, 0.8, 1.0, 2.0
KALMAN = f"""\
name: kalman
clock: {{start: {START.isoformat()}, step_days: 1, horizon_days: 60}}
parameters:
  x0: {{prior: {{dist: normal, mean: {KALMAN_M0}, sd: {KALMAN_SD0}}}}}
  a: {{value: {KALMAN_A}}}
  s: {{value: {KALMAN_S}}}
variables:
  x: {{type: continuous, initial: x0, observed_by: {{series: y, error: normal, sd: {KALMAN_R}}}}}
mechanisms:
  ar1: {{target: x, update: "a * x + s * normal()"}}
questions:
  level: {{kind: quantiles, text: "Where is x?", value: x, at: 10}}
"""

# A hidden regime (crisis or calm, switching rarely) that tilts a price's drift; an
# indicator reports the crisis, a price series observes the price.
P_REPORT, FALSE_RATE, PRICE_SD = 0.3, 0.1, 0.03
REGIME = f"""\
name: regime
clock: {{start: {START.isoformat()}, step_days: 1, horizon_days: 90}}
parameters:
  u: {{prior: {{dist: uniform, low: 0, high: 1}}}}
  p0: {{prior: {{dist: lognormal, median: 80, sigma: 0.1}}}}
variables:
  crisis: {{type: boolean, initial: "u < 0.4"}}
  price:
    type: continuous
    bounds: [0, null]
    initial: p0
    observed_by: {{series: brent, error: lognormal, sd: {PRICE_SD}}}
events:
  flare: {{hazard: 0.003, when: "not crisis", effects: {{crisis: true}}}}
  calm: {{hazard: 0.003, when: crisis, effects: {{crisis: false}}}}
mechanisms:
  drift: {{target: price, update: "price * exp(0.02 * normal() + where(crisis, 0.006, -0.003))"}}
indicators:
  alarm: {{observes: crisis, p_report: {P_REPORT}, false_rate: {FALSE_RATE}}}
questions:
  in_crisis: {{kind: probability, text: "In crisis in ten days?", condition: crisis, at: 10}}
  brent: {{kind: quantiles, text: "Price in ten days?", value: price, at: 10}}
"""


def _day(d: int) -> dt.date:
    return START + dt.timedelta(days=d)


@pytest.fixture(scope="module")
def kalman(tmp_path_factory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("kalman") / "kalman.yaml"
    path.write_text(KALMAN, encoding="utf-8")
    return realpolitik.load(path)


@pytest.fixture(scope="module")
def regime(tmp_path_factory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("regime") / "regime.yaml"
    path.write_text(REGIME, encoding="utf-8")
    return realpolitik.load(path)


def _flat_prices(days: int, level: float = 80.0) -> PriceSeries:
    return PriceSeries("brent", tuple(_day(d) for d in range(days + 1)), (level,) * (days + 1))


def _write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("Date,Price\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


# --- 1. the Kalman filter --------------------------------------------------------


def test_linear_gaussian_filter_matches_kalman(kalman) -> None:
    days, runs = 30, 20_000
    rng = np.random.default_rng(7)
    x = rng.normal(KALMAN_M0, KALMAN_SD0)
    ys = []
    for t in range(days + 1):
        if t > 0:
            x = KALMAN_A * x + KALMAN_S * rng.normal()
        ys.append(x + KALMAN_R * rng.normal())
    # the exact filter: observe y_0 on the initial state, then predict and update daily
    mean, var = KALMAN_M0, KALMAN_SD0**2
    for t, y in enumerate(ys):
        if t > 0:
            mean, var = KALMAN_A * mean, KALMAN_A**2 * var + KALMAN_S**2
        gain = var / (var + KALMAN_R**2)
        mean, var = mean + gain * (y - mean), (1 - gain) * var

    series = PriceSeries("y", tuple(_day(t) for t in range(days + 1)), tuple(ys))
    c = condition(kalman, Evidence(_day(days), prices=(series,)), runs=runs, seed=11)
    xs = np.asarray(c.origin.state["x"])
    assert len(xs) == runs and c.price_points == {"y": days + 1}
    # The final runs are a resample of the last day's weighted ensemble: its error is
    # that of the weighted estimate (variance / ESS) plus the resampling's
    # (variance / runs). Over 40 seeds the realised errors were about 0.7 of these
    # standard errors; 4 of them leave a margin without hiding a wrong update
    # (no update at all would give a mean 0.2 and a variance 1.3 off).
    ess = c.days[-1].ess
    se_mean = math.sqrt(var * (1 / ess + 1 / runs))
    rel_se_var = math.sqrt(2 * (1 / ess + 1 / runs))  # sd of a Gaussian sample variance, relative
    assert abs(xs.mean() - mean) < 4 * se_mean, (xs.mean(), mean, se_mean)
    assert abs(xs.var() / var - 1) < 4 * rel_se_var, (xs.var(), var, rel_se_var)
    assert ess > 0.3 * runs and not c.warnings


# --- 2. hidden truths --------------------------------------------------------------


@pytest.mark.slow
def test_filter_covers_hidden_runs_and_finds_their_regime(regime) -> None:
    days, replications, runs = 60, 400, 400
    # the hidden truths: the scenario's own runs under a seed no filter uses
    truth = run(regime, runs=replications, seed=10_007, horizon=days, keep_trajectories=replications)
    prices = np.asarray(truth.trajectories["price"])
    crisis = np.asarray(truth.trajectories["crisis"]).astype(bool)
    assert prices.shape == (days + 1, replications)
    rng = np.random.default_rng(2024)
    dates = [_day(d) for d in range(days + 1)]
    covered = 0
    p_true = {10: [], days: []}
    for j in range(replications):
        # what was seen, from the declared observation models
        reported = rng.random(days + 1) < np.where(crisis[:, j], P_REPORT, FALSE_RATE)
        seen = prices[:, j] * np.exp(PRICE_SD * rng.normal(size=days + 1))
        reports = tuple(Observation("alarm", dates[d], 1.0, f"r{d}") for d in range(days + 1) if reported[d])
        series = PriceSeries("brent", tuple(dates), tuple(seen.tolist()))
        for as_of in p_true:
            evidence = Evidence(dates[as_of], tuple(r for r in reports if r.date <= dates[as_of]), frozenset(dates[: as_of + 1]), (series,))
            state = condition(regime, evidence, runs=runs, seed=j).origin.state
            p_true[as_of].append(float(np.mean(np.asarray(state["crisis"]).astype(bool) == crisis[as_of, j])))
            if as_of == days:
                low, high = np.quantile(state["price"], [0.05, 0.95])
                covered += bool(low <= prices[days, j] <= high)
    coverage = covered / replications
    # 400 replications: a standard error of 1.5 points around 90%. Measured 87.3%
    # here; over 1,500 replications 88.4% (400 runs per filter: a few points short,
    # as a small resampled ensemble's tails are) and 90.3% with 3,000 runs.
    assert 0.85 <= coverage <= 0.95, coverage
    early, late = np.mean(p_true[10]), np.mean(p_true[days])
    # measured 0.80 and 0.90; the difference's standard error is about 0.016
    assert late > early + 0.05, (early, late)
    assert early > 0.6  # better than the prior's 0.6 for calm


# --- 3. the future ------------------------------------------------------------------


def test_nothing_after_the_as_of_date_changes_the_answers(regime, tmp_path) -> None:
    as_of = 15
    past = [f"{_day(d).isoformat()},{80 + 0.3 * d:.2f}" for d in range(as_of + 1)]
    future_rows = [f"{_day(as_of + 1).isoformat()},1e9", "not-a-date,xyz", f"{_day(as_of + 3).isoformat()},abc", f"{_day(as_of + 2).isoformat()},-5"]
    plain = _write_csv(tmp_path / "plain.csv", past)
    spoiled = _write_csv(tmp_path / "spoiled.csv", past + future_rows)
    reports = [Observation("alarm", _day(2), 1.0, "a"), Observation("alarm", _day(7), 0.8, "b")]
    future_reports = [Observation("alarm", _day(d), 1.0, f"late{d}") for d in (as_of + 1, as_of + 5, as_of + 40)]

    before = evidence_as_of(regime, _day(as_of), prices={"brent": plain}, reports=reports)
    after = evidence_as_of(regime, _day(as_of), prices=[f"brent={spoiled}"], reports=reports + future_reports)
    first = run_as_of(regime, before, runs=300, seed=3, horizon=10)
    second = run_as_of(regime, after, runs=300, seed=3, horizon=10)

    assert first.to_dict()["answers"] == second.to_dict()["answers"]
    assert first.conditioning["ignored_future"] == 0
    assert second.conditioning["ignored_future"] == len(future_rows) + len(future_reports)
    assert second.conditioning["prices"]["brent"] == {"points": as_of + 1, "source": str(spoiled), "ignored_future": len(future_rows)}
    assert len(second.conditioning["observations"]) == len(reports)


# --- 4. reproducibility ---------------------------------------------------------------


def test_answers_as_of_a_date_repeat_for_any_batch_size_and_follow_the_seed(regime) -> None:
    evidence = Evidence(_day(12), (Observation("alarm", _day(4), 1.0, "a"),), frozenset(_day(d) for d in range(13)), (_flat_prices(12),))
    default = run_as_of(regime, evidence, runs=300, seed=5, horizon=10).to_dict()["answers"]
    batched = run_as_of(regime, evidence, runs=300, seed=5, horizon=10, batch_size=64).to_dict()["answers"]
    other = run_as_of(regime, evidence, runs=300, seed=6, horizon=10).to_dict()["answers"]
    assert batched == default
    assert other != default


# --- 5. diagnostics ---------------------------------------------------------------------


def test_an_impossible_price_is_a_surprise_and_collapses_the_ensemble(regime) -> None:
    shock = 5
    calm = _flat_prices(10)
    values = list(calm.values)
    values[shock] = 10_000.0  # 125 times the prior's median, 0.03 log-sd of error
    shocked = PriceSeries("brent", calm.dates, tuple(values))

    quiet = condition(regime, Evidence(_day(10), prices=(calm,)), runs=500, seed=1)
    assert quiet.warnings == () and all(d.surprises == () for d in quiet.days)

    c = condition(regime, Evidence(_day(10), prices=(shocked,)), runs=500, seed=1)
    day = next(d for d in c.days if d.date == _day(shock))
    assert [s.split(" (")[0] for s in day.surprises] == [f"brent=10000 on {_day(shock).isoformat()}"]
    assert day.ess < 0.05 * 500 and day.resampled
    date = _day(shock).isoformat()
    assert any(w.startswith(date) and "effective sample size" in w for w in c.warnings), c.warnings
    assert any(w.startswith(date) and "did not expect brent=10000" in w for w in c.warnings), c.warnings
    assert all(not d.surprises for d in c.days if d.date < _day(shock))  # (the fall back to 80 is one too)


# --- 6. silence ---------------------------------------------------------------------------


def test_silence_is_evidence_only_on_covered_days(regime) -> None:
    as_of = _day(15)
    reports = (Observation("alarm", _day(3), 1.0, "a"), Observation("alarm", _day(8), 1.0, "b"))

    def answers(covered: set[dt.date], silent: frozenset[str] | None = None) -> list[dict]:
        evidence = Evidence(as_of, reports, frozenset(covered), silent=silent)
        return run_as_of(regime, evidence, runs=2000, seed=8, horizon=10).to_dict()["answers"]

    base = answers(set())
    # days already covered by their reports, days outside the window: nothing new
    assert answers({_day(3), _day(8)}) == base
    assert answers({START - dt.timedelta(days=3), _day(16), _day(40)}) == base
    # every day covered: eleven more days without the alarm, each evidence of calm
    every_day = {_day(d) for d in range(16)}
    quiet = answers(every_day)
    assert quiet != base
    p_quiet, p_base = quiet[0]["estimate"]["value"], base[0]["estimate"]["value"]
    assert p_quiet < p_base - 0.05, (p_quiet, p_base)
    # covered, but no source could have reported the alarm: its absence says nothing
    assert answers(every_day, silent=frozenset()) == base


# --- 7. bad input ---------------------------------------------------------------------------


def test_bad_price_rows_are_all_named_with_line_and_field(tmp_path) -> None:
    path = _write_csv(
        tmp_path / "bad.csv",
        ["2026-01-01,80", "2026-13-02,81", "2026-01-03,eighty", "2026-01-04,0", "2026-01-05,82", "2026-01-02,83", "2026-01-06,84", "2026-02-01,oops"],
    )
    with pytest.raises(DataError) as info:
        read_prices(path, "brent", as_of=_day(10))
    found = {(p.file, p.line, p.path) for p in info.value.problems}
    assert found == {(str(path), 3, "Date"), (str(path), 4, "Price"), (str(path), 5, "Price"), (str(path), 7, "Date")}
    assert str(path) in str(info.value)


def test_a_missing_file_or_header_is_named(tmp_path) -> None:
    with pytest.raises(DataError, match="no such price file"):
        read_prices(tmp_path / "absent.csv", "brent")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("day,close\n2026-01-01,80\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_prices(wrong, "brent")
    assert (info.value.problems[0].file, info.value.problems[0].line) == (str(wrong), 1)


def test_an_as_of_date_outside_the_clock_is_refused(regime) -> None:
    with pytest.raises(RealpolitikError, match=f"before the start of regime \\({START.isoformat()}\\)"):
        run_as_of(regime, Evidence(START - dt.timedelta(days=1)), runs=10, horizon=5)
    with pytest.raises(RealpolitikError, match="after the end of the clock"):
        condition(regime, Evidence(START + dt.timedelta(days=91)), runs=10)


def test_evidence_about_what_the_scenario_lacks_is_refused(regime) -> None:
    with pytest.raises(ScenarioError, match="indicator 'alrm', which scenario 'regime' does not have"):
        condition(regime, Evidence(_day(5), (Observation("alrm", _day(2), 1.0, "x"),)), runs=10)
    wti = PriceSeries("wti", (_day(1),), (70.0,))
    with pytest.raises(ScenarioError, match="observed by a series 'wti'"):
        condition(regime, Evidence(_day(5), prices=(wti,)), runs=10)


# --- laws ------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=300).filter(lambda w: sum(w) > 0),
    st.floats(0, 1, exclude_max=True),
)
def test_systematic_resampling_copies_each_run_its_share(raw: list[float], u: float) -> None:
    w = np.array(raw)
    picks = np.bincount(systematic_indices(w, u), minlength=len(w))
    assert picks.sum() == len(w)
    assert (np.abs(picks - len(w) * w / w.sum()) < 1 + 1e-9).all()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 1e-3, 1.0, 7.0, 1e6]), min_size=1, max_size=300).filter(lambda w: sum(w) > 0),
    st.floats(0, 1, exclude_max=True),
)
def test_systematic_resampling_never_copies_an_impossible_run(raw: list[float], u: float) -> None:
    # up to the largest u below 1, where (u + runs - 1) / runs rounds up to 1.0
    w = np.array(raw)
    assert (w[systematic_indices(w, u)] > 0).all()


_FUTURE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), st.floats(1e-3, 1e6)), min_size=1, max_size=40),
    st.integers(-5, 220),
    st.lists(_FUTURE_TEXT, max_size=5),
)
def test_read_prices_never_returns_a_row_after_as_of(tmp_path_factory, rows, as_of_day: int, garbage: list[str]) -> None:
    days = np.cumsum([gap for gap, _ in rows]).tolist()
    lines = [f"{_day(d).isoformat()},{v!r}" for d, (_, v) in zip(days, rows)]
    later = [i for i, d in enumerate(days) if d > as_of_day]
    if later:  # whatever follows the first row after as_of is not looked at
        at = later[0] + 1
        lines[at:at] = [g.replace("\r", " ").replace("\n", " ") for g in garbage]
    path = _write_csv(tmp_path_factory.mktemp("prices") / "p.csv", lines)
    series = read_prices(path, "brent", as_of=_day(as_of_day))
    kept = [i for i, d in enumerate(days) if d <= as_of_day]
    assert series.dates == tuple(_day(days[i]) for i in kept)
    assert series.values == tuple(rows[i][1] for i in kept)
    assert all(d <= _day(as_of_day) for d in series.dates)
    assert (series.future > 0) == bool(later)


@pytest.mark.parametrize("tail", [b"2026-03-01," + b"9" * 200_000 + b"\n", b"Source: EIA \xa9 2026\n"], ids=["huge-field", "latin-1"])
def test_rows_after_as_of_are_not_even_parsed(tmp_path, tail: bytes) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"Date,Price\n2026-01-01,80\n2026-01-02,81\n2026-02-01,82\n" + tail)
    series = read_prices(path, "brent", as_of=_day(1))
    assert series.values == (80.0, 81.0)


# --- 7. a day the runs could hardly produce is run again with copies ----------------------

# A rare strike (0.5% a day), reported on day 5 almost surely and almost never falsely: few
# runs have struck by day 5, so the day's observations leave a small effective sample,
# and the filter runs day 5 again with copies of each run. Given the report, the strike
# came on day d <= 5 with probability proportional to 0.995^(d-1): by day 2, 0.403.
RARE = f"""\
name: rare
clock: {{start: {START.isoformat()}, step_days: 1, horizon_days: 30}}
variables:
  struck: {{type: boolean}}
  strike_day: {{type: continuous, initial: 99}}
events:
  strike: {{hazard: 0.005, once: true, effects: {{struck: true, strike_day: day}}}}
indicators:
  strike_reported: {{observes: struck, p_report: 0.99, false_rate: 0.0001}}
questions:
  early: {{kind: probability, text: "Struck by day 2?", condition: "strike_day <= 2", at: 0}}
"""


@pytest.fixture(scope="module")
def rare(tmp_path_factory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("rare") / "rare.yaml"
    path.write_text(RARE, encoding="utf-8")
    return realpolitik.load(path)


def test_a_day_that_collapses_the_runs_is_run_again_with_copies_and_stays_unbiased(rare) -> None:
    evidence = Evidence(_day(5), (Observation("strike_reported", _day(5), 1.0, "a"),))
    c = condition(rare, evidence, runs=4000, seed=2)
    (day,) = c.days
    assert day.branched > 1 and day.ess_first is not None and day.ess_first < 0.05 * 4000
    assert day.ess > day.ess_first  # runs whose copies struck on day 5 itself count too (each once)
    struck = np.asarray(c.origin.state["struck"], dtype=bool)
    assert struck.mean() > 0.99
    strike_day = np.asarray(c.origin.state["strike_day"])
    exact = (1 - 0.995**2) / (1 - 0.995**5)
    assert abs(float(np.mean(strike_day <= 2)) - exact) < 0.05
    assert c.to_dict()["days"][0]["branched"] == day.branched


def test_a_branched_day_repeats_for_the_seed_and_on_either_step(rare) -> None:
    from realpolitik.engine._backends import numba_available

    evidence = Evidence(_day(5), (Observation("strike_reported", _day(5), 1.0, "a"),))
    first = condition(rare, evidence, runs=1000, seed=3, backend="numpy")
    again = condition(rare, evidence, runs=1000, seed=3, backend="numpy")
    assert first.days[0].branched > 1
    for name, values in first.origin.state.items():
        assert np.array_equal(values, again.origin.state[name]), name
    if numba_available():
        other = condition(rare, evidence, runs=1000, seed=3, backend="numba")
        for name, values in first.origin.state.items():
            assert np.array_equal(values, other.origin.state[name]), name


def test_answers_as_of_a_date_give_their_errors_on_the_effective_runs(rare) -> None:
    from realpolitik.engine._questions import proportion

    evidence = Evidence(_day(5), (Observation("strike_reported", _day(5), 1.0, "a"),))
    results = run_as_of(rare, evidence, runs=4000, seed=4, horizon=5)
    effective = min(d["ess"] for d in results.conditioning["days"])
    answer = results.answer("early")
    # the answer's own: no more than the filter's, fewer where its replicate filters disagree
    assert answer.effective_runs is not None and answer.effective_runs <= effective + 1e-9 and effective < 4000 / 5
    hits = round(answer.estimate.value * 4000)
    assert answer.estimate == proportion(hits, 4000, answer.effective_runs)
    assert answer.estimate.se == pytest.approx(math.sqrt(answer.estimate.value * (1 - answer.estimate.value) / answer.effective_runs))
    assert results.to_dict()["answers"][0]["effective_runs"] == pytest.approx(answer.effective_runs)
    assert results.conditioning["replicates"] == 4
    unconditioned = rare.run(runs=4000, seed=4, horizon=5)
    assert unconditioned.answer("early").effective_runs is None



RECURRING = f"""\
name: recurring
clock: {{start: {START.isoformat()}, step_days: 1, horizon_days: 60}}
parameters:
  rate: {{prior: {{dist: uniform, low: 0.01, high: 0.8}}}}
variables:
  last_strike: {{type: continuous, initial: -1}}
events:
  strike: {{hazard: rate, effects: {{last_strike: day}}}}
indicators:
  strike_reported: {{observes: "last_strike == day", p_report: 0.95, false_rate: 0.01}}
questions:
  pace: {{kind: quantiles, text: "The daily rate of strikes", value: rate, at: 0}}
"""


def test_the_errors_of_answers_as_of_a_date_are_their_spread_over_seeds(tmp_path) -> None:
    """Forty days of reports: the runs of each filter descend from a few dozen of its
    start's runs, so counting runs would overstate what an answer rests on. The
    errors come from the replicate filters' spread, and over seeds the answers
    spread about as far as their errors say."""
    path = tmp_path / "recurring.yaml"
    path.write_text(RECURRING, encoding="utf-8")
    scenario = realpolitik.load(path)
    rng = np.random.default_rng(7)
    days = [d for d in range(1, 41) if rng.random() < 0.6]
    evidence = Evidence(_day(40), tuple(Observation("strike_reported", _day(d), 1.0, "a") for d in days), covered=frozenset(_day(d) for d in range(1, 41)))
    values, errors = [], []
    for seed in range(16):
        results = run_as_of(scenario, evidence, runs=8000, seed=seed, horizon=5)
        assert results.conditioning["replicates"] == 8
        answer = results.answer("pace")
        values.append(answer.estimate.value)
        errors.append(answer.estimate.se)
    assert 0.6 < float(np.std(values, ddof=1) / np.sqrt(np.mean(np.square(errors)))) < 1.6


def test_replicate_filters_are_independent_and_few_runs_keep_one(rare) -> None:
    from realpolitik.inference._filter import replicates

    evidence = Evidence(_day(5), (Observation("strike_reported", _day(5), 1.0, "a"),))
    assert [replicates(n) for n in (1, 999, 3999, 4000, 7999, 8000, 10**6)] == [1, 1, 1, 4, 4, 8, 8]
    split = condition(rare, evidence, runs=8000, seed=1)
    # every run's cluster is its replicate filter: eight blocks of 1,000
    assert split.replicates == 8 and np.array_equal(split.origin.lineage, np.repeat(np.arange(8), 1000))
    distinct, worth = split.to_dict()["lineages"].values()
    assert 1 <= worth <= distinct <= 8000
    one = condition(rare, evidence, runs=200, seed=1)
    assert one.replicates == 1 and one.origin.lineage.max() < 200  # each run's ancestor at the start
    chosen = condition(rare, evidence, runs=8000, seed=1, split=1)
    assert chosen.replicates == 1
    for bad in (0, 8001):
        with pytest.raises(ValueError, match="split the runs into 1 to 8,000 filters"):
            condition(rare, evidence, runs=8000, seed=1, split=bad)


def test_one_filter_whose_runs_descend_from_few_says_its_errors_are_understated(tmp_path) -> None:
    path = tmp_path / "recurring.yaml"
    path.write_text(RECURRING, encoding="utf-8")
    scenario = realpolitik.load(path)
    evidence = Evidence(_day(40), tuple(Observation("strike_reported", _day(d), 1.0, "a") for d in range(1, 41, 2)), covered=frozenset(_day(d) for d in range(1, 41)))
    one = condition(scenario, evidence, runs=1000, seed=0)
    assert one.replicates == 1 and one.lineages[1] < 20
    assert any("are understated" in w and "--runs 4,000" in w for w in one.warnings)
    split = condition(scenario, evidence, runs=8000, seed=0)
    assert not any("are understated" in w for w in split.warnings)


def test_a_filter_no_run_of_which_fits_goes_on_from_the_others_and_says_so(tmp_path) -> None:
    """A price observed to a millionth: every weight but the best few underflows to 0,
    so only one of the independent filters has a run that fits. The others go on from
    its runs (not an error, as one filter of the same runs would not be), and the
    warning says the errors are understated."""
    path = tmp_path / "kalman.yaml"
    path.write_text(KALMAN.replace(f"sd: {KALMAN_R}", "sd: 0.000001"), encoding="utf-8")
    scenario = realpolitik.load(path)
    evidence = Evidence(_day(3), prices=(PriceSeries("y", (_day(3),), (1.7,)),))
    c = condition(scenario, evidence, runs=4000, seed=0)
    assert c.replicates == 4
    assert any("of the 4 independent filters could not produce what was observed" in w for w in c.warnings)
    assert np.all(np.abs(c.origin.state["x"] - 1.7) < 0.5)


# --- reports the runs read as false ----------------------------------------------

# A blockade the runs can start only at a daily chance they choose (``rate``), and an
# indicator that reports it (1% false reports a day).
BLOCKADE = f"""\
name: blockade
clock: {{start: {START.isoformat()}, step_days: 1, horizon_days: 30}}
parameters:
  rate: {{value: 0.3}}
variables:
  blocked: {{type: boolean}}
events:
  blockade: {{hazard: rate, effects: {{blocked: true}}}}
indicators:
  shipping_stalled: {{observes: blocked, p_report: 0.6, false_rate: 0.01}}
questions:
  blocked_now: {{kind: probability, text: "Blocked?", condition: blocked, at: 6}}
"""


@pytest.mark.parametrize(("rate", "warned"), [(0.3, False), (0.0, True)])
def test_a_latest_report_the_runs_cannot_follow_is_named(tmp_path: Path, rate: float, warned: bool) -> None:
    """Reports of a blockade on days 2, 4 and 6: runs that can start one follow the
    news and earn no warning; runs that never can read every report as a false one,
    and the warning names the indicator, its latest report and how many earlier ones
    were read so too (the answer contradicts the news, whatever its error says)."""
    path = tmp_path / "blockade.yaml"
    path.write_text(BLOCKADE.replace("value: 0.3", f"value: {rate}"), encoding="utf-8")
    scenario = realpolitik.load(path)
    reports = tuple(Observation("shipping_stalled", _day(d), 1.0, f"r{d}") for d in (2, 4, 6))
    c = condition(scenario, Evidence(_day(6), reports, frozenset(_day(d) for d in range(7))), runs=1000, seed=3)
    named = [w for w in c.warnings if "latest report of shipping_stalled" in w]
    if warned:
        assert named == [
            f"the runs read the latest report of shipping_stalled ({_day(6).isoformat()}) as false, and 2 earlier: its condition holds in 0% of the runs "
            "after that day's news, so answers that hang on it contradict what was reported (more --runs, or a scenario that allows it)"
        ]
    else:
        assert named == [] and float(np.mean(c.origin.state["blocked"])) > 0.95


def test_filters_that_read_the_latest_report_as_false_are_counted() -> None:
    from realpolitik.inference._filter import _disbelief_warnings

    readings = [("x", _day(1), 0.7, 0), ("x", _day(3), 0.8, 3)]
    assert _disbelief_warnings(readings, 8) == [
        f"3 of the 8 independent filters read the latest report of x ({_day(3).isoformat()}) as false: they pull the answers that hang on it away from "
        "what was reported (the filters' spread counts it in the errors; more --runs)"
    ]
    assert _disbelief_warnings(readings, 1) == []  # one filter, which follows the news
    assert _disbelief_warnings([("x", _day(1), 0.1, 1), ("x", _day(3), 0.9, 0)], 1) == []  # the news brought the runs round


def test_a_report_no_run_can_explain_brings_the_day_again_with_more_copies(tmp_path: Path) -> None:
    """A blockade the prior starts on 0.05% of days: among 300 runs, on the day of the
    first report, usually none holds it, every run pays the same false-report
    likelihood and the weights stay even (no low effective sample to say so). The
    filter reads that report as doubted and runs the day again with 64 copies of each
    run (19,200 draws), among which some start the blockade, and the runs follow the
    news from then on."""
    path = tmp_path / "blockade.yaml"
    path.write_text(BLOCKADE.replace("value: 0.3", "value: 0.0005"), encoding="utf-8")
    scenario = realpolitik.load(path)
    reports = tuple(Observation("shipping_stalled", _day(d), 1.0, f"r{d}") for d in (2, 4, 6))
    c = condition(scenario, Evidence(_day(6), reports, frozenset(_day(d) for d in range(7))), runs=300, seed=5)
    first = next(d for d in c.days if d.date == _day(2))
    assert first.branched == 64
    assert float(np.mean(c.origin.state["blocked"])) > 0.9
    assert not any("as false" in w for w in c.warnings)
