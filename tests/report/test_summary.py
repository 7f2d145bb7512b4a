"""The summary leads the report: each answer in a sentence with its intervals named for
what they are, what moves it, the news to watch, and the commands behind the numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from typing import Any

import pytest

import realpolitik
from realpolitik.inference import watch
from realpolitik.report import build_report
from realpolitik.report._build import SENSITIVITY_SKIPPED
from realpolitik.report._format import interval, number, percent
from realpolitik.report._inputs import read_sensitivity, read_watch
from realpolitik.report._summary import answer_sentence, drivers_sentence, news_sentence, quantity_range, watch_sentences


@pytest.fixture(scope="module")
def ran() -> tuple[realpolitik.Scenario, realpolitik.Results]:
    scenario = realpolitik.load("default")
    return scenario, scenario.run(runs=400, seed=3, horizon=45)


@pytest.fixture(scope="module")
def ranked(ran: tuple[realpolitik.Scenario, realpolitik.Results]) -> dict[str, Any]:
    scenario, _ = ran
    return watch(scenario, [], now=scenario.spec.clock.start, runs=400, seed=3, horizon=45).to_dict()


def _sensitivity(questions: list[str]) -> dict[str, Any]:
    return {
        "method": "morris",
        "command": "realpolitik sensitivity russia-iran-2026 --method morris --samples 20 --seed 3 --horizon 45",
        "questions": [
            {"id": q, "parameters": [{"name": n, "mu_star": m, "mu_star_conf": 0.01, "sigma": 0.1} for n, m in (("small", 0.1), ("big", 2.0), ("none", 0.0), ("mid", 0.5), ("least", 0.05))]}
            for q in questions
        ],
    }


def _dates(ran: tuple[realpolitik.Scenario, realpolitik.Results]) -> tuple[dt.date, dt.date]:
    info = ran[1].info
    return info.start, info.start + dt.timedelta(days=info.horizon_days)


def test_a_quantity_gives_its_90_percent_range_and_apart_the_interval_of_its_mean(ran) -> None:
    a = ran[1].answer("brent_at_horizon")
    text = answer_sentence(a, *_dates(ran))
    q05, q95 = a.quantiles[0.05].value, a.quantiles[0.95].value
    assert f"90% range of the runs (q05–q95) {number(q05)} to {number(q95, a.unit)}" in text
    assert f"mean {number(a.estimate.value, a.unit)} (95% interval of the estimate of the mean, not of the quantity: {interval(a.estimate.low, a.estimate.high)})" in text
    # the only 95% interval named in a quantity's sentence is the mean's
    assert re.findall(r"95% interval[^:;)]*", text) == ["95% interval of the estimate of the mean, not of the quantity"]
    assert text.startswith(a.text)


def test_a_probability_gives_its_estimate_and_the_interval_of_the_estimate(ran) -> None:
    a = ran[1].answer("red_line_crossed")
    text = answer_sentence(a, *_dates(ran))
    assert f"{percent(a.estimate.value)} by {a.date.isoformat()} (95% interval of this estimate: {interval(a.estimate.low, a.estimate.high, as_percent=True)}; 400 runs)" in text


def test_a_first_passage_says_when_it_first_happens(ran) -> None:
    a = ran[1].answer("talks_accepted_by")
    text = answer_sentence(a, *_dates(ran))
    assert "the day it first happens: q10 day" in text and "q50 day" in text and "q90 day" in text
    median = a.quantiles[0.5].value
    assert f"q50 day {number(median)} ({(a.date - dt.timedelta(days=a.day) + dt.timedelta(days=round(median))).isoformat()})" in text


def test_an_answer_beyond_the_horizon_says_so(ran) -> None:
    a = dataclasses.replace(ran[1].answer("red_line_crossed"), status="beyond_horizon", date=dt.date(2026, 9, 4))
    text = answer_sentence(a, *_dates(ran))
    assert "Not answered: its date, 2026-09-04, is after the end of these runs (2026-04-14); run with a longer --horizon." in text


@pytest.mark.parametrize(
    ("quantiles", "expected"),
    [
        ({0.05: 1.0, 0.25: 2.0, 0.5: 3.0, 0.75: 4.0, 0.95: 5.0}, ("90% range", "q05–q95", 1.0, 5.0)),
        ({0.1: 1.0, 0.5: 3.0, 0.9: 5.0}, ("80% range", "q10–q90", 1.0, 5.0)),
        ({0.05: 1.0, 0.5: 3.0}, None),
        ({}, None),
    ],
)
def test_the_range_is_the_widest_central_one_given(quantiles: dict[float, float], expected: tuple[str, str, float, float] | None) -> None:
    assert quantity_range(quantiles) == expected


def test_what_moves_an_answer_comes_from_the_sensitivity_ranking() -> None:
    s = read_sensitivity(_sensitivity(["q"]))
    assert drivers_sentence("q", s, skipped="-") == "Moved most by big (μ* 2.00), mid (0.500) and small (0.100) (Morris screening, mean absolute effect μ*)."
    assert drivers_sentence("other", s, skipped="-") == "The sensitivity analysis did not include this question."
    assert drivers_sentence("q", None, skipped=SENSITIVITY_SKIPPED) == SENSITIVITY_SKIPPED
    assert "not run" in SENSITIVITY_SKIPPED


def test_the_news_to_watch_is_the_indicator_that_moves_the_answer_most(ran, ranked: dict[str, Any]) -> None:
    results = ran[1]
    w = read_watch(ranked)
    for a in results.answers:
        text = news_sentence(a, w)
        movers = [i for i in ranked["indicators"] if i["shifts"].get(a.question, 0) > 0]
        if not movers:
            assert text == "None of the scenario's indicators moves it."
            continue
        best = max(movers, key=lambda i: i["shifts"][a.question])
        assert f"a report of {best['indicator']} (" in text, (a.question, text)
        assert "instead of" in text


def test_what_to_watch_lists_the_ranked_indicators_best_first(ran, ranked: dict[str, Any]) -> None:
    sentences = watch_sentences(read_watch(ranked), ran[1].answers)
    moving = [i["indicator"] for i in ranked["indicators"] if any(v > 0 for v in i["shifts"].values())]
    assert 0 < len(sentences) <= 5
    assert [s.split(" (")[0] for s in sentences] == moving[: len(sentences)]
    assert all("reported on the next day in" in s and "a report would move" in s for s in sentences)


def _summary(page: str) -> str:
    match = re.search(r'<section id="summary">(.*?)</section>', page, re.S)
    assert match, "no summary"
    return html.unescape(match.group(1))


def test_the_summary_is_the_first_section_and_carries_the_commands(ran, ranked: dict[str, Any]) -> None:
    scenario, results = ran
    sensitivity = _sensitivity([a.question for a in results.answers])
    page = build_report(results, scenario, sensitivity=sensitivity, watch=ranked)
    assert page.index('<section id="summary">') < page.index('<section id="answers">') < page.index('<section id="over-time">')
    summary = _summary(page)
    assert summary.count(f'<code class="command-line">{results.info.command}</code>') == len(results.answers)
    assert summary.count(f'<code class="command-line">{sensitivity["command"]}</code>') == len(results.answers)
    assert ranked["command"] in summary and ranked["command"].startswith("realpolitik watch --scenario russia-iran-2026 --runs 400 --seed 3 --horizon 45")
    for a in results.answers:
        assert answer_sentence(a, *_dates(ran)) in summary
    assert "Moved most by big (μ* 2.00)" in summary
    assert "On past rounds the model's" in summary  # the track record, up front


def test_the_summary_says_when_sensitivity_and_watch_were_not_run(ran) -> None:
    scenario, results = ran
    summary = _summary(build_report(results, scenario))
    assert summary.count(SENSITIVITY_SKIPPED) == len(results.answers)
    assert "Not ranked for this report" in summary


def test_the_brief_ranks_what_to_watch_on_the_answers_own_runs(tmp_path) -> None:
    from realpolitik.brief import write_brief
    from realpolitik.inference import evidence_as_of

    scenario = realpolitik.load("default")
    prior = write_brief(scenario, tmp_path / "prior.html", runs=200, seed=4, horizon=30, samples=0)
    assert prior.watch is not None and prior.watch.now == scenario.spec.clock.start
    assert prior.watch.command == "realpolitik watch --scenario russia-iran-2026 --runs 200 --seed 4 --horizon 30 --as-of 2026-02-28"
    assert prior.watch.command in html.unescape((tmp_path / "prior.html").read_text(encoding="utf-8"))
    as_of = dt.date(2026, 3, 12)
    later = write_brief(scenario, tmp_path / "later.html", runs=200, seed=4, horizon=30, samples=0, evidence=evidence_as_of(scenario, as_of), rank_watch=True)
    assert later.watch is not None and later.watch.now == as_of and "--as-of 2026-03-12" in later.watch.command
    skipped = write_brief(scenario, tmp_path / "none.html", runs=200, seed=4, horizon=30, samples=0, rank_watch=False)
    assert skipped.watch is None and "Not ranked for this report" in (tmp_path / "none.html").read_text(encoding="utf-8")


def test_drivers_name_only_parameters_that_clear_the_noise_floor() -> None:
    from realpolitik.report._inputs import read_sensitivity
    from realpolitik.report._summary import drivers_sentence

    def analysis(told: bool) -> object:
        return read_sensitivity({"method": "sobol", "command": "realpolitik sensitivity x", "questions": [
            {"id": "q", "text": "?", "noise_floor": 0.1, "parameters": [
                {"name": "noisy", "S1": 0.3, "S1_conf": 0.2, "ST": 0.5, "ST_conf": 0.45, "distinguishable": False},
                {"name": "real", "S1": 0.2, "S1_conf": 0.02, "ST": 0.3, "ST_conf": 0.03, "distinguishable": told}]}]})  # fmt: skip

    ranked = analysis(True)
    assert [i.name for i in ranked.questions[0].indices] == ["real", "noisy"]  # the one that clears the floor first
    sentence = drivers_sentence("q", ranked, skipped="")
    assert "real" in sentence and "noisy" not in sentence
    assert "told apart from Monte Carlo noise" in drivers_sentence("q", analysis(False), skipped="")
