"""Reference classes for the rebuild: duration fits, hazards, resumption, oil paths.

Hand-made data where the right answer is known first; then the real data of
``../shared/data`` (skipped when absent): the committed results in
``benchmarks/results/reference-*.json`` are reproduced, and nothing dated after
2026-03-07 is read.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import realpolitik.validation.oil_reference as oil
import realpolitik.validation.reference as ref
from realpolitik.errors import DataError
from realpolitik.validation.history import OilSeries
from tests.conftest import ROOT, SHARED

DATA = SHARED / "data"
RESULTS = ROOT / "benchmarks" / "results"
CEASEFIRE_JSON = RESULTS / "reference-ceasefire.json"
OIL_JSON = RESULTS / "reference-oil.json"


# --------------------------------------------------------------------------- the public surface


def test_public_names_are_pinned() -> None:
    assert sorted(ref.__all__) == sorted([
        "AS_OF", "WAR_START", "SCENARIO_START", "FAMILIES", "HAZARD_DAYS", "ENDED_BY_DAYS", "RECURRENCE_WINDOWS", "P5", "DISPUTE_RULES",
        "Duration", "Dispute", "Participation", "War", "ConflictEpisode", "Round", "DisputeRule", "ReferenceClass", "DurationFit",
        "GoodnessOfFit", "Recurrence", "Rivalry", "read_rivalries", "read_gml", "read_mid5", "read_cow_wars", "read_ucdp_interstate", "read_rounds",
        "select_disputes", "war_class", "ucdp_class", "round_class", "fit_durations", "fit_class", "goodness_of_fit",
        "bootstrap_params", "bootstrap_stream", "log_survival", "daily_hazard", "ended_by", "dispute_recurrence",
        "episode_recurrence", "wilson_interval", "exponential_rate", "ceasefire_reference", "file_facts", "main", "duration_classes",
    ])  # fmt: skip
    assert sorted(oil.__all__) == sorted([
        "OIL_EPISODES", "SHARE_DAYS", "BAND_DAYS", "OilEpisode", "OilPath", "RandomWalkBand", "DecaySeries", "FearFit",
        "PhysicalFit", "read_brent", "measure_episode", "random_walk_band", "decay_series", "fit_fear_decay",
        "fit_physical_persistence", "block_bootstrap", "oil_reference", "render_oil_text", "RiseSeries", "RiseFit",
        "rise_series", "rise_path", "fit_fear_rise", "RED_LINE_SCALE_MAX",
    ])  # fmt: skip
    for module in (ref, oil):
        for name in module.__all__:
            assert hasattr(module, name), name


# --------------------------------------------------------------------------- duration fits on known answers


def test_lognormal_mle_recovers_its_parameters_from_whole_days() -> None:
    t = np.random.default_rng(7).lognormal(3.0, 1.2, 5000)
    days = np.ceil(t)  # what the data hold: whole days, i.e. d - 1 < T <= d
    fit = ref.fit_durations(days - 1, days, "lognormal")
    mu, sigma = fit.params
    assert abs(mu - 3.0) < 0.06 and abs(sigma - 1.2) < 0.04


def test_exactly_known_lognormal_durations_give_the_closed_form_mle() -> None:
    t = np.random.default_rng(1).lognormal(2.0, 0.7, 500)
    mu, sigma = ref.fit_durations(t, t, "lognormal").params
    assert mu == pytest.approx(np.log(t).mean(), abs=1e-6)
    assert sigma == pytest.approx(np.log(t).std(), abs=1e-6)


def test_exactly_known_weibull_durations_match_scipy() -> None:
    t = np.random.default_rng(2).weibull(0.6, 800) * 120
    shape, _, scale = stats.weibull_min.fit(t, floc=0)
    fit = ref.fit_durations(t, t, "weibull")
    assert fit.params[0] == pytest.approx(shape, rel=1e-3)
    assert fit.params[1] == pytest.approx(scale, rel=1e-3)


def test_interval_and_right_censored_durations_match_scipy_censored_data() -> None:
    rng = np.random.default_rng(3)
    t = rng.lognormal(4.0, 1.5, 600)
    lo, hi = np.floor(t / 30) * 30, np.floor(t / 30) * 30 + 30  # known to the month
    censored = t > 400
    lo[censored], hi[censored] = 400.0, np.inf
    data = stats.CensoredData(interval=np.column_stack([lo[~censored], hi[~censored]]), right=np.full(censored.sum(), 400.0))
    s, _, scale = stats.lognorm.fit(data, floc=0)
    mu, sigma = ref.fit_durations(lo, hi, "lognormal").params
    assert mu == pytest.approx(math.log(scale), abs=2e-3)
    assert sigma == pytest.approx(s, abs=2e-3)


def test_censoring_is_handled_and_ignoring_it_is_biased() -> None:
    t = np.random.default_rng(4).exponential(100.0, 4000)
    censored = t > 80
    lo = np.where(censored, 80.0, np.ceil(t) - 1)
    hi = np.where(censored, np.inf, np.ceil(t))
    (rate,) = ref.fit_durations(lo, hi, "exponential").params
    assert rate == pytest.approx(0.01, rel=0.06)
    (naive,) = ref.fit_durations(lo, np.where(censored, 80.0, hi), "exponential").params  # as if they ended at 80
    assert naive > 0.015


def test_a_fit_conditioned_on_lasting_recovers_the_whole_distribution() -> None:
    t = np.random.default_rng(5).lognormal(3.0, 1.5, 20_000)
    days = np.ceil(t[t > 8])
    mu, sigma = ref.fit_durations(np.maximum(days - 1, 8), days, "lognormal", truncation=8).params
    assert abs(mu - 3.0) < 0.1 and abs(sigma - 1.5) < 0.07


def test_the_hazard_of_an_exponential_is_flat_and_memoryless() -> None:
    days = np.array([1, 7, 14, 30, 60, 90, 180, 365], dtype=float)
    assert np.allclose(ref.daily_hazard("exponential", [0.03], days), 1 - math.exp(-0.03), rtol=1e-12)
    assert ref.ended_by("exponential", [0.03], 38.0, truncation=8) == pytest.approx(1 - math.exp(-0.03 * 30))
    t = np.random.default_rng(6).exponential(40.0, 3000)
    fit = ref.fit_durations(t, t, "exponential")
    h = ref.daily_hazard("exponential", fit.params, days)
    assert np.ptp(h) < 1e-12 and h[0] == pytest.approx(1 / 40, rel=0.06)


@pytest.mark.parametrize(("shape", "falls"), [(0.5, True), (1.5, False)])
def test_the_weibull_hazard_falls_below_shape_one_and_rises_above(shape: float, falls: bool) -> None:
    h = ref.daily_hazard("weibull", [shape, 100.0], np.array([7.0, 30.0, 90.0]))
    assert (np.all(np.diff(h) < 0)) == falls


def test_ended_by_is_conditional_on_lasting() -> None:
    params = (4.0, 1.3)
    s = lambda d: float(np.exp(ref.log_survival("lognormal", params, d)))  # noqa: E731
    assert ref.ended_by("lognormal", params, 30.0, truncation=8) == pytest.approx(1 - s(30) / s(8))
    assert ref.ended_by("lognormal", params, 30.0) == pytest.approx(stats.lognorm.cdf(30, 1.3, scale=math.exp(4.0)))


def test_goodness_of_fit_tells_a_wrong_family_from_a_right_one() -> None:
    days = np.ceil(np.random.default_rng(8).lognormal(3.0, 2.0, 1500))
    right = ref.goodness_of_fit(days - 1, days, ref.fit_durations(days - 1, days, "lognormal"))
    wrong = ref.goodness_of_fit(days - 1, days, ref.fit_durations(days - 1, days, "exponential"))
    assert right.p_value > 0.01 and wrong.p_value < 1e-6
    assert sum(right.observed) == pytest.approx(1500) and sum(right.expected) == pytest.approx(1500)


def test_bootstrap_intervals_cover_the_true_rate() -> None:
    t = np.random.default_rng(9).exponential(50.0, 400)
    fit = ref.fit_durations(t, t, "exponential")
    boot = ref.bootstrap_params(t, t, fit, replicates=200, rng=np.random.default_rng(10))[:, 0]
    assert np.percentile(boot, 5) < 0.02 < np.percentile(boot, 95)


def test_bootstrap_streams_are_separate_and_reproducible() -> None:
    draw = lambda *k: ref.bootstrap_stream(*k).integers(0, 10**9)  # noqa: E731
    assert draw(0, "a", 8.0, "weibull") == draw(0, "a", 8.0, "weibull")
    assert len({draw(0, "a", 8.0, "weibull"), draw(0, "a", 0.0, "weibull"), draw(0, "a", 8.0, "lognormal"), draw(0, "b", 8.0, "weibull"), draw(1, "a", 8.0, "weibull")}) == 5


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(0, 3, 0.0, 0.4742), (3, 3, 0.5258, 1.0), (87, 218, 0.3461, 0.4546)],
)
def test_wilson_interval(k: int, n: int, low: float, high: float) -> None:
    assert ref.wilson_interval(k, n) == pytest.approx((low, high), abs=1e-4)


def test_exponential_rate_has_the_exact_chi_square_interval() -> None:
    rate, low, high = ref.exponential_rate(59, 3)
    assert rate == pytest.approx(3 / 59)
    assert low == pytest.approx(stats.chi2.ppf(0.05, 6) / 118) and high == pytest.approx(stats.chi2.ppf(0.95, 6) / 118)


def test_fitting_rejects_what_it_cannot_fit() -> None:
    with pytest.raises(ValueError, match="unknown family"):
        ref.fit_durations([1.0], [2.0], "gamma")
    with pytest.raises(ValueError, match="lower <= upper"):
        ref.fit_durations([3.0], [2.0], "weibull")
    with pytest.raises(ValueError, match="at least 8"):
        ref.fit_durations([1.0, 9.0], [2.0, 10.0], "weibull", truncation=8)


# --------------------------------------------------------------------------- selection and resumption


def _dispute(number: int = 1, *, year: int = 1990, hostility: int = 4, fatality: int | None = 1, states: tuple[int, int] = (630, 645), days: tuple[int, int] = (10, 12), ongoing: bool = False) -> ref.Dispute:
    return ref.Dispute("gml", number, year, hostility, fatality, days[0], days[1], ongoing, frozenset({states[0]}), frozenset({states[1]}))


@pytest.mark.parametrize(
    ("dispute", "reason"),
    [
        (_dispute(), None),
        (_dispute(year=1940), "started before 1946"),
        (_dispute(hostility=3), "hostility below 4"),
        (_dispute(fatality=0), "fatality level below 1"),
        (_dispute(fatality=None), "fatality level missing"),
        (_dispute(states=(90, 91)), "no permanent Security Council member or Middle East state"),
        (_dispute(states=(2, 91)), None),
        (_dispute(states=(666, 91)), None),
    ],
)
def test_the_rule_admits_or_says_why_not(dispute: ref.Dispute, reason: str | None) -> None:
    assert ref.DisputeRule("gml_fatal_force").reason_to_drop(dispute) == reason


def test_a_class_keeps_intervals_censors_the_ongoing_and_counts_the_dropped() -> None:
    c = ref.select_disputes([_dispute(1), _dispute(2, days=(30, 60), ongoing=True), _dispute(3, hostility=2)], ref.DisputeRule("x"))
    assert [(d.lower, d.upper) for d in c.durations] == [(10, 12), (30, None)]
    assert (c.n, c.censored, c.inexact, c.dropped) == (2, 1, 1, {"hostility below 4": 1})
    a, b, left_out = c.arrays(20)
    assert a.tolist() == [29.0] and b.tolist() == [math.inf] and left_out == 1
    assert "hostlev 4-5" in c.rule and "fatality level 1 or more" in c.rule


def test_wars_known_to_the_year_become_day_intervals() -> None:
    one, many = ref.war_class([ref.War(1, 1967, 1967, frozenset()), ref.War(2, 1980, 1988, frozenset())]).durations
    assert (one.lower, one.upper) == (1, 365)
    assert many.lower == (dt.date(1988, 1, 1) - dt.date(1980, 12, 31)).days + 1
    assert many.upper == (dt.date(1988, 12, 31) - dt.date(1980, 1, 1)).days + 1


def test_ucdp_episodes_need_a_dated_start_and_are_censored_at_the_data_end() -> None:
    episodes = [
        ref.ConflictEpisode(1, dt.date(2003, 3, 20), 1, dt.date(2003, 4, 30), frozenset()),
        ref.ConflictEpisode(2, dt.date(1990, 12, 31), 5, dt.date(1991, 2, 28), frozenset()),
        ref.ConflictEpisode(3, dt.date(2024, 12, 1), 1, None, frozenset()),
    ]
    c = ref.ucdp_class(episodes, dt.date(2024, 12, 31))
    assert [(d.lower, d.upper) for d in c.durations] == [(42, 42), (31, None)]
    assert sum(c.dropped.values()) == 1


def _part(state: int, side_a: bool, start: tuple[int, int, int], end: tuple[int, int, int]) -> ref.Participation:
    return ref.Participation(state, side_a, dt.date(*start), dt.date(*end))


def test_resumption_counts_pairs_on_opposite_sides_within_each_window() -> None:
    first = ref.Dispute("gml", 1, 2000, 4, 1, 10, 10, False, frozenset({1}), frozenset({2}), (_part(1, True, (2000, 1, 1), (2000, 1, 10)), _part(2, False, (2000, 1, 1), (2000, 1, 10))))
    again = ref.Dispute("gml", 2, 2000, 4, 0, 1, 1, False, frozenset({2}), frozenset({1}), (_part(2, True, (2000, 3, 1), (2000, 3, 1)), _part(1, False, (2000, 3, 1), (2000, 3, 1))))
    threat = ref.Dispute("gml", 3, 2000, 2, 0, 1, 1, False, frozenset({2}), frozenset({1}), (_part(2, True, (2000, 1, 20), (2000, 1, 20)), _part(1, False, (2000, 1, 20), (2000, 1, 20))))
    late = ref.Dispute("gml", 4, 2010, 4, 1, 5, 5, False, frozenset({1}), frozenset({3}), (_part(1, True, (2010, 6, 1), (2010, 6, 5)), _part(3, False, (2010, 6, 1), (2010, 6, 5))))
    everything = [first, again, threat, late]
    c = ref.select_disputes([first, late], ref.DisputeRule("x", first_year=1990, p5_or_middle_east=False))
    force = ref.dispute_recurrence(c, everything, data_end=dt.date(2010, 12, 31), min_hostility=4)
    assert [(r.window, r.recurred, r.eligible) for r in force] == [(30, 0, 2), (90, 1, 2), (365, 1, 1)]  # 2010-06-05 + 365 is past the data
    anything = ref.dispute_recurrence(c, everything, data_end=dt.date(2010, 12, 31), min_hostility=1)
    assert [r.recurred for r in anything] == [1, 1, 1]  # the threat 10 days after
    assert force[1].daily_hazard == pytest.approx(-math.log(0.5) / 90)


def test_ucdp_resumption_is_a_new_episode_of_the_same_conflict() -> None:
    e = [
        ref.ConflictEpisode(7, dt.date(1990, 1, 1), 1, dt.date(1990, 6, 1), frozenset()),
        ref.ConflictEpisode(7, dt.date(1992, 1, 1), 1, dt.date(1992, 2, 1), frozenset()),
        ref.ConflictEpisode(8, dt.date(1991, 1, 1), 1, dt.date(1991, 1, 5), frozenset()),
    ]
    rows = ref.episode_recurrence(e, dt.date(2000, 12, 31), windows=(365, 1825))
    assert [(r.recurred, r.eligible) for r in rows] == [(0, 3), (1, 3)]


# --------------------------------------------------------------------------- reading: bounded, clear errors


def _write_gml(folder: Path, *, hostlev: str = "4.0", header: str = "dispnum,styear,stmon,outcome,settle,fatality,mindur,maxdur,hiact,hostlev,recip") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "gml_mid_disps.csv").write_text(f"{header}\n1.0,1990.0,1.0,5.0,3.0,1.0,10.0,12.0,16.0,4.0,1.0\n2.0,1991.0,1.0,5.0,3.0,1.0,3.0,3.0,16.0,{hostlev},1.0\n")
    (folder / "gml_part.csv").write_text(
        "dispnum,ccode,styear,stmon,stday,endyear,endmon,endday,sidea\n"
        "1.0,630.0,1990.0,1.0,1.0,1990.0,1.0,-9.0,1.0\n1.0,645.0,1990.0,1.0,1.0,1990.0,1.0,12.0,0.0\n"
        "2.0,630.0,1991.0,1.0,5.0,1991.0,1.0,7.0,1.0\n2.0,645.0,1991.0,1.0,5.0,1991.0,1.0,7.0,0.0\n"
    )
    (folder / "gml_dirdisp.csv").write_text("dispnum,ongo2010\n1.0,0.0\n2.0,1.0\n")


def test_read_gml_reads_disputes_their_sides_and_dates(tmp_path: Path) -> None:
    _write_gml(tmp_path)
    first, second = ref.read_gml(tmp_path)
    assert first.side_a == {630} and first.side_b == {645} and not first.ongoing and first.reciprocated
    assert first.end == dt.date(1990, 1, 31)  # a missing end day is the month's last
    assert second.ongoing and (second.min_days, second.max_days) == (3, 3)


def test_a_bad_field_is_reported_with_its_file_line_and_column(tmp_path: Path) -> None:
    _write_gml(tmp_path, hostlev="four")
    with pytest.raises(DataError) as caught:
        ref.read_gml(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("gml_mid_disps.csv") and problem.line == 3 and problem.path == "hostlev" and problem.column == 10
    assert "not a number" in problem.message


def test_a_missing_column_or_file_is_reported(tmp_path: Path) -> None:
    _write_gml(tmp_path, header="dispnum,styear,stmon,outcome,settle,fatality,mindur,maxdur,hiact,hostility,recip")
    with pytest.raises(DataError, match="lacks the column"):
        ref.read_gml(tmp_path)
    with pytest.raises(DataError, match="no such file"):
        ref.read_cow_wars(tmp_path / "nowhere")


def test_rivalries_are_read_and_a_bad_row_named(tmp_path: Path) -> None:
    path = tmp_path / "tss_rivalries.csv"
    path.write_text("tssr_id,rivalry,ccode1,ccode2,start,end\n1,Iran-Iraq 2,630.0,645.0,1958.0,2003.0\n2,Iran-Israel,630.0,666.0,1979.0,2020.0\n")
    first, second = ref.read_rivalries(tmp_path)
    assert first.name == "Iran-Iraq 2" and first.states == {630, 645} and (second.start, second.end) == (1979, 2020)
    assert first.between(frozenset({630}), frozenset({645}), 1980) and not first.between(frozenset({630}), frozenset({645}), 2004)
    path.write_text("tssr_id,rivalry,ccode1,ccode2,start,end\n1,Iran-Iraq 2,630.0,645.0,1958.0,1950.0\n2,x,630.0,66x,1979.0,2020.0\n")
    with pytest.raises(DataError) as caught:
        ref.read_rivalries(tmp_path)
    assert [(p.line, p.path) for p in caught.value.problems] == [(2, "end"), (3, "ccode2")]


def test_rounds_after_the_as_of_date_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "episodes.yaml"
    path.write_text(
        "episodes:\n"
        "  - {id: a, start: 2025-06-13, end: 2025-06-30, hormuz: open, escalation_path: [{date: 2025-06-13, level: 3}, {date: 2025-06-24, level: 0}]}\n"
        "  - {id: b, start: 2026-04-01, end: 2026-04-30, hormuz: closed, escalation_path: [{date: 2026-04-01, level: 4}, {date: 2026-04-02, level: 0}]}\n"
    )
    (only,) = ref.read_rounds(path)
    assert (only.id, only.days) == ("a", 11)


# --------------------------------------------------------------------------- oil on known answers


def _synthetic_series(premiums: dict[dt.date, tuple[float, float]], *, noise: float = 0.002, seed: int = 0) -> OilSeries:
    """Business days 2017-2021 at 70 USD with small noise, plus for each first day a
    premium ``a * 2**(-t / h)`` (t calendar days from it)."""
    days = np.arange(np.datetime64("2017-01-02"), np.datetime64("2021-12-31"))
    days = days[np.is_busday(days)]
    logp = math.log(70.0) + np.random.default_rng(seed).normal(0, noise, len(days))
    for first, (a, h) in premiums.items():
        t = (days - np.datetime64(first)).astype(int)
        logp = logp + np.where(t >= 0, a * np.exp2(-np.maximum(t, 0) / h), 0.0)
    return OilSeries(days, np.exp(logp))


def test_a_known_fear_half_life_is_recovered_from_prices() -> None:
    firsts = {dt.date(2019, 3, 4): (0.15, 5.0), dt.date(2020, 3, 2): (0.08, 5.0), dt.date(2021, 3, 1): (0.20, 5.0)}
    series = _synthetic_series(firsts)
    paths = [oil.measure_episode(series, oil.OilEpisode(f"e{i}", d, "fear", None, "")) for i, d in enumerate(firsts)]
    assert all(p.jump_day == 0 for p in paths)
    assert paths[0].left[7] == pytest.approx(2 ** (-7 / 5), abs=0.03)
    fit = oil.fit_fear_decay([oil.decay_series(p, window=30) for p in paths])
    assert fit.half_life == pytest.approx(5.0, rel=0.1)
    assert fit.amplitudes["e2"] == pytest.approx(0.20, rel=0.1)


def test_a_known_fear_build_up_is_recovered_from_noisy_rounds() -> None:
    rng = np.random.default_rng(5)
    rungs = {"a": ((0, 1), (12, 1)), "b": ((0, 2),), "c": ((0, 2), (9, 1))}
    amplitude = {"a": 0.11, "b": 0.12, "c": 0.05}
    series = []
    for key, r in rungs.items():
        t = np.array([d for d in range(40) if d % 7 not in (5, 6)], dtype=float)  # weekdays only
        x = oil.rise_path(amplitude[key], 6.0, 0.3, r, 39)[t.astype(int)] + rng.normal(0, 0.002, len(t))
        series.append(oil.RiseSeries(key, t, x, r))
    fit = oil.fit_fear_rise(series)
    assert fit.half_life == pytest.approx(6.0, rel=0.1) and fit.uptake == pytest.approx(0.3, rel=0.1)
    assert fit.amplitudes["c"] == pytest.approx(0.05, rel=0.1)
    assert fit.rise_days == pytest.approx(math.log(0.5) / math.log(1 - fit.uptake))


def test_the_red_line_is_fitted_as_a_rung_of_its_own() -> None:
    """A round whose prices took no fear from its red line gives a scale near 0, one
    whose red line doubled a rung's fear a scale near 2, with the rest unchanged."""
    for scale in (0.0, 2.0):
        rng = np.random.default_rng(7)
        series = []
        for key, amplitude, rungs, red in (("a", 0.11, ((0, 1), (12, 1)), ()), ("b", 0.12, ((0, 2),), ()), ("c", 0.1, ((0, 2),), (9,))):
            t = np.array([d for d in range(40) if d % 7 not in (5, 6)], dtype=float)
            x = oil.rise_path(amplitude, 6.0, 0.3, rungs, 39, red_line=red, red_line_scale=scale)[t.astype(int)] + rng.normal(0, 0.002, len(t))
            series.append(oil.RiseSeries(key, t, x, rungs, red))
        fit = oil.fit_fear_rise(series)
        assert fit.red_line_scale == pytest.approx(scale, abs=0.15)
        assert fit.amplitudes["c"] == pytest.approx(0.1, rel=0.1) and fit.half_life == pytest.approx(6.0, rel=0.15)
    assert oil.fit_fear_rise(series[:2]).red_line_scale is None  # no round climbed to it: nothing to fit


@settings(max_examples=60, deadline=None)
@given(
    amplitude=st.floats(0.0, 0.5), half_life=st.floats(0.5, 50.0), uptake=st.floats(0.01, 1.0),
    rungs=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 3)), max_size=3, unique_by=lambda r: r[0]), red=st.integers(0, 20),
)  # fmt: skip
def test_a_red_line_at_scale_one_is_one_more_rung(amplitude: float, half_life: float, uptake: float, rungs: list[tuple[int, int]], red: int) -> None:
    merged = dict(rungs)
    merged[red] = merged.get(red, 0) + 1
    apart = oil.rise_path(amplitude, half_life, uptake, rungs, 25, red_line=[red], red_line_scale=1.0)
    assert apart == pytest.approx(oil.rise_path(amplitude, half_life, uptake, sorted(merged.items()), 25), abs=1e-12)
    none = oil.rise_path(amplitude, half_life, uptake, rungs, 25, red_line=[red], red_line_scale=0.0)
    assert none == pytest.approx(oil.rise_path(amplitude, half_life, uptake, rungs, 25), abs=1e-12)


def test_the_build_up_peaks_later_the_slower_the_uptake() -> None:
    fast, slow = oil.rise_path(0.1, 5.0, 0.9, [(0, 1)], 30), oil.rise_path(0.1, 5.0, 0.2, [(0, 1)], 30)
    assert int(np.argmax(fast)) < int(np.argmax(slow)) and fast.max() > slow.max()
    assert oil.rise_path(0.1, 5.0, 1.0, [(0, 1)], 10) == pytest.approx(0.1 * 2.0 ** (-np.arange(11) / 5.0))


def test_a_known_physical_persistence_is_recovered() -> None:
    rng = np.random.default_rng(11)
    t = np.arange(0.0, 80.0)
    series = [oil.DecaySeries(k, t, a * np.exp2(-t / 3) + p * np.exp(-0.01 * t) + rng.normal(0, 0.002, len(t))) for k, a, p in (("x", 0.1, 0.3), ("y", 0.05, 0.2))]
    fit = oil.fit_physical_persistence(series, 3.0)
    assert fit.rate == pytest.approx(0.01, abs=0.002)
    assert fit.persistence == pytest.approx(math.exp(-0.01), abs=0.002) and fit.half_life == pytest.approx(math.log(2) / fit.rate)


def test_the_random_walk_band_is_the_normal_quantile_times_the_spread() -> None:
    series = _synthetic_series({}, noise=0.02)
    first = dt.date(2020, 6, 3)  # a Wednesday: the walk starts from Tuesday's close
    band = oil.random_walk_band(series, first, 30)
    sigma = series.log_return_sd(first, 250)
    assert band.steps == 23 and band.sigma == pytest.approx(sigma)  # weekdays 06-03 to 07-03
    assert band.log_width == pytest.approx(2 * stats.norm.ppf(0.95) * sigma * math.sqrt(23))
    assert band.relative_width == pytest.approx(2 * math.sinh(band.log_width / 2))


def test_block_bootstrap_of_a_perfect_fit_is_the_fit() -> None:
    s = oil.DecaySeries("a", np.arange(12.0), np.linspace(0.2, 0.0, 12))
    (out,) = oil.block_bootstrap([s], [s.x.copy()], np.random.default_rng(0))
    assert np.array_equal(out.x, s.x)


def test_read_brent_stops_at_the_as_of_date_without_parsing_later_rows(tmp_path: Path) -> None:
    path = tmp_path / "brent.csv"
    path.write_text("Date,Price\n2026-03-05,88.59\n2026-03-06,95.74\n2026-03-09,999999\n2026-03-10,not a price\ngarbage\n")
    series, unread = oil.read_brent(path)
    assert series.last_date == dt.date(2026, 3, 6) and unread == 3


# --------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def conflict_data() -> Path:
    """``../shared/data`` with its conflict folder and episodes; skips when absent."""
    if not (DATA / "conflict" / "gml_mid_disps.csv").is_file() or not (DATA / "episodes" / "episodes.yaml").is_file():
        pytest.skip("../shared/data/conflict is absent (a fresh clone has no shared data)")
    return DATA


@pytest.fixture(scope="module")
def brent() -> Path:
    """``../shared/data/oil/brent-daily.csv``; skips when absent."""
    path = DATA / "oil" / "brent-daily.csv"
    if not path.is_file():
        pytest.skip("../shared/data/oil is absent (a fresh clone has no shared data)")
    return path


@pytest.fixture(scope="module")
def ceasefire_points(conflict_data: Path) -> dict[str, Any]:
    """The ceasefire reference recomputed without the bootstrap (point estimates)."""
    return ref.ceasefire_reference(conflict_data / "conflict", conflict_data / "episodes" / "episodes.yaml", replicates=0)


def _last_digit(committed: float) -> float:
    """One unit of the 6th significant digit of a value written with 6 (``%.6g``),
    and at least 1e-12: an optimiser's answer at its bound (an amplitude of 1e-18,
    which is zero) differs in every digit between processors, and so may the 6th digit
    of any iterative fit's answer."""
    if committed == 0:
        return 1e-12
    return max(10 ** (math.floor(math.log10(abs(committed))) - 5) * 1.0001, 1e-12)


def _same(recomputed: Any, committed: Any, where: str = "") -> None:
    """Every value ``recomputed`` holds is in ``committed``, equal (floats: to the
    6 significant digits written, one unit of the last either way)."""
    if isinstance(recomputed, dict):
        assert isinstance(committed, dict), where
        for key, value in recomputed.items():
            assert key in committed, f"{where}.{key} is not in the committed file"
            _same(value, committed[key], f"{where}.{key}")
    elif isinstance(recomputed, list):
        assert isinstance(committed, list) and len(recomputed) == len(committed), where
        for i, (a, b) in enumerate(zip(recomputed, committed, strict=True)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(recomputed, float) and isinstance(committed, float):
        assert abs(recomputed - committed) <= _last_digit(committed), f"{where}: {recomputed} against {committed}"
    else:
        assert recomputed == committed, where


def test_the_committed_ceasefire_file_names_its_command_and_data(conflict_data: Path) -> None:
    doc = json.loads(CEASEFIRE_JSON.read_text())
    assert doc["command"] == "python -m realpolitik.validation.reference ceasefire --conflict ../shared/data/conflict --episodes ../shared/data/episodes/episodes.yaml --json"
    assert doc["bootstrap"]["replicates"] == 1000 and doc["bootstrap"]["seed"] == 0
    for name, facts in doc["data"].items():
        path = conflict_data / ("episodes" if name == "episodes.yaml" else "conflict") / name
        assert ref.file_facts(path)["sha256"] == facts["sha256"], f"{name} has changed since the file was written"
        assert ref.file_facts(path)["rows"] == facts["rows"]


def test_the_selection_counts_and_fits_are_those_committed(ceasefire_points: dict[str, Any]) -> None:
    committed = json.loads(CEASEFIRE_JSON.read_text())["results"]
    _same(ceasefire_points["results"], committed, "results")
    head = committed["classes"]["gml_fatal_force"]
    assert (head["n"], head["censored"], head["lasted_more_than"]["n"]) == (223, 5, 176)
    assert [r["days"] for r in committed["rounds"]["durations"]] == [21, 27, 11]
    assert committed["recurrence"]["gml_fatal_force_then_use_of_force"]["windows"][2]["recurred"] == 87


def test_the_committed_intervals_bracket_their_points() -> None:
    committed = json.loads(CEASEFIRE_JSON.read_text())["results"]["classes"]["gml_fatal_force"]
    for part in ("all", "lasted_more_than"):
        for family, fit in committed[part]["fits"].items():
            for name, (low, high) in fit["params_90"].items():
                assert low <= fit["params"][name] <= high, (part, family, name)
            for row in fit["hazard"] + fit["ended_by"]:
                low, high = row["interval_90"]
                assert low <= row.get("daily_hazard", row.get("p")) <= high, (part, family, row)


@pytest.mark.slow
def test_the_headline_bootstrap_is_reproduced(conflict_data: Path) -> None:
    """The intervals the rebuild cites (the headline class, lasting more than 8 days,
    Weibull): 1,000 refits on their own seeded stream (about 25 s)."""
    committed = json.loads(CEASEFIRE_JSON.read_text())["results"]["classes"]["gml_fatal_force"]["lasted_more_than"]["fits"]["weibull"]
    gml = ref.read_gml(conflict_data / "conflict")
    c = ref.select_disputes(gml, ref.DISPUTE_RULES[0])
    a, b, _ = c.arrays(8.0)
    fit = ref.fit_durations(a, b, "weibull", truncation=8.0)
    boot = ref.bootstrap_params(a, b, fit, replicates=1000, rng=ref.bootstrap_stream(0, c.name, 8.0, "weibull"))
    for i, name in enumerate(("shape", "scale")):
        _same([float(f"{np.percentile(boot[:, i], q):.6g}") for q in (5, 95)], committed["params_90"][name], f"params_90.{name}")
    hz = np.array([ref.daily_hazard("weibull", p, np.array([8.0, 14, 30, 60, 90, 180])) for p in boot])
    for i, row in enumerate(committed["hazard"]):
        _same([float(f"{np.percentile(hz[:, i], q):.6g}") for q in (5, 95)], row["interval_90"], f"hazard[{i}].interval_90")


def test_rounds_in_the_future_leave_the_ceasefire_results_unchanged(conflict_data: Path, ceasefire_points: dict[str, Any], tmp_path: Path) -> None:
    episodes = tmp_path / "episodes.yaml"
    text = (conflict_data / "episodes" / "episodes.yaml").read_text()
    episodes.write_text(
        text.rstrip("\n") + "\n"
        "  - id: future-2026\n    start: 2026-03-08\n    end: 2026-12-31\n    hormuz: closed\n"
        "    escalation_path:\n      - {date: 2026-03-08, level: 4}\n      - {date: 2026-03-09, level: 0}\n"
    )
    moved = ref.ceasefire_reference(conflict_data / "conflict", episodes, replicates=0)
    assert moved["results"] == ceasefire_points["results"]


def test_the_committed_oil_file_names_its_command_and_data(brent: Path) -> None:
    doc = json.loads(OIL_JSON.read_text())
    assert doc["command"] == "python -m realpolitik.validation.reference oil --oil ../shared/data/oil/brent-daily.csv --json"
    facts = doc["data"]["brent-daily.csv"]
    assert ref.file_facts(brent)["sha256"] == facts["sha256"]
    assert (facts["rows_read"], facts["rows_after_as_of_unread"], facts["last_date_read"]) == (9845, 0, "2026-03-06")


def test_the_oil_paths_and_fits_are_those_committed(brent: Path) -> None:
    recomputed = oil.oil_reference(brent, replicates=0)["results"]
    committed = json.loads(OIL_JSON.read_text())["results"]
    for part in (recomputed["fear"], recomputed["physical"], recomputed["rise"], recomputed["rise"]["red_line"]):  # intervals need the bootstrap: compared in the slow test
        for key in [k for k, v in part.items() if v is None and ("interval" in k or k.startswith("bootstrap"))]:
            del part[key]
    _same(recomputed, committed, "results")
    assert [e["id"] for e in committed["episodes"] if e["supply"] == "fear"] == ["apr-2024", "oct-2024", "jun-2025"]


@pytest.mark.slow
def test_the_oil_bootstrap_is_reproduced(brent: Path) -> None:
    """The whole oil result, intervals included (1,000 block resamples, about a minute)."""
    _same(oil.oil_reference(brent)["results"], json.loads(OIL_JSON.read_text())["results"], "results")


def test_the_oil_episodes_of_the_rounds_are_those_of_episodes_yaml(conflict_data: Path) -> None:
    rounds = {r.id: r.start for r in ref.read_rounds(conflict_data / "episodes" / "episodes.yaml")}
    assert {e.id: e.first_day for e in oil.OIL_EPISODES if e.supply == "fear"} == rounds


def test_absurd_oil_rows_after_the_as_of_date_change_nothing(brent: Path, tmp_path: Path) -> None:
    copy = tmp_path / "brent-daily.csv"
    shutil.copy(brent, copy)
    with copy.open("a") as f:
        f.write("2026-03-08,0.01\n2026-03-09,99999\n2026-03-10,-5\n2026-03-11,not a price\nnot even a date,1\n")
    before = oil.oil_reference(brent, replicates=20)
    after = oil.oil_reference(copy, replicates=20)
    assert after["results"] == before["results"]
    assert after["data"]["brent-daily.csv"]["rows_after_as_of_unread"] == 5
    assert after["data"]["brent-daily.csv"]["last_date_read"] == "2026-03-06"


# --------------------------------------------------------------------------- the script entry


def test_the_script_prints_json_with_its_command(brent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ref.main(["oil", "--oil", str(brent), "--bootstrap", "5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["command"].endswith(f"oil --oil {brent} --bootstrap 5 --json") and doc["bootstrap"]["replicates"] == 5


def test_the_script_reports_a_data_problem_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ref.main(["ceasefire", "--conflict", str(tmp_path), "--episodes", str(tmp_path / "episodes.yaml"), "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err
    assert "gml_mid_disps.csv" in err and "no such file" in err
