"""The rolling backtest: forecasts as of dates inside each round, each on only what was
known by then, scored against what followed (``backtest --rolling``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import realpolitik
import realpolitik.cli._validation  # noqa: F401  (registers the commands, as cli/__init__ does)
from realpolitik.cli import main
from realpolitik.errors import DataError
from realpolitik.inference import read_prices
from realpolitik.validation import (
    AsOfForecast,
    Episode,
    RollingBacktest,
    episode_reports,
    find_rounds,
    forecast_as_of,
    moved_start,
    read_episodes,
    read_oil,
    rolling_backtest,
    rolling_rounds,
    score_as_of,
)

RUNS = 300


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def data(shared_data: Path) -> tuple[Path, Path]:
    """(the EIA Brent CSV, episodes.yaml) from ../shared/data; skips when it is absent."""
    return shared_data / "oil" / "brent-daily.csv", shared_data / "episodes" / "episodes.yaml"


@pytest.fixture(scope="module")
def plan(data):  # type: ignore[no-untyped-def]
    """The bundled scenario, the episodes, and the rolling rounds with the default dates."""
    oil, episodes_path = data
    base = realpolitik.load("default")
    episodes = read_episodes(episodes_path)
    return base, episodes, rolling_rounds(base, find_rounds(base, episodes), oil)


def _poison_oil(source: Path, target: Path, after: dt.date, *, garbage: bool) -> Path:
    """A copy of the oil file whose rows after ``after`` are changed: unreadable text
    (``garbage``) or prices one and a half times as high, and with rows appended."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        date, price = line.split(",")
        if dt.date.fromisoformat(date) > after:
            line = f"{date},NOT A PRICE" if garbage else f"{date},{float(price) * 1.5:.2f}"
        out.append(line)
    out += ["2099-01-01,1000", "2099-01-02,garbage" if garbage else "2099-01-02,1"]
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def _poison_episode(episode: Episode, after: dt.date) -> Episode:
    """The episode with its record after ``after`` rewritten: a red line crossed the next
    day, every other later entry dropped, and every true/false fact flipped."""
    kept = tuple((when, level) for when, level in episode.escalation_path if when <= after)
    return dataclasses.replace(
        episode,
        escalation_path=kept + ((after + dt.timedelta(days=1), 4),),
        hormuz="closed",
        facts={k: not v for k, v in episode.facts.items()},
    )


# ---------------------------------------------------------------- what a forecast is told


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2025, 6, 13), []),  # the first day's entry is the variant's initial state
        (dt.date(2025, 6, 14), [("tit_for_tat_round", "2025-06-14")]),
        (dt.date(2025, 6, 21), [("tit_for_tat_round", "2025-06-14")]),
        (dt.date(2025, 6, 22), [("tit_for_tat_round", "2025-06-14"), ("red_line_strikes", "2025-06-22")]),
        # level 3 again on 06-23; level 0 (the ceasefire, 06-24) has no indicator
        (dt.date(2025, 6, 30), [("tit_for_tat_round", "2025-06-14"), ("red_line_strikes", "2025-06-22"), ("tit_for_tat_round", "2025-06-23")]),
    ],
)
def test_episode_facts_become_reports_up_to_the_as_of_date(as_of: dt.date, expected: list[tuple[str, str]]) -> None:
    june = Episode(
        "jun-2025",
        dt.date(2025, 6, 13),
        dt.date(2025, 6, 30),
        ((dt.date(2025, 6, 13), 3), (dt.date(2025, 6, 14), 3), (dt.date(2025, 6, 22), 4), (dt.date(2025, 6, 23), 3), (dt.date(2025, 6, 24), 0)),
        "open",
        {"russia_veto": False},
    )
    reports = episode_reports(june, as_of)
    assert [(o.indicator, o.date.isoformat()) for o in reports] == expected
    assert all(o.confidence == 1.0 and o.label.startswith("jun-2025: escalation level") for o in reports)


def test_the_bundled_scenario_has_every_indicator_the_episodes_report() -> None:
    from realpolitik.validation import ESCALATION_REPORTS

    indicators = {i.name for i in realpolitik.load("default").model.indicators}
    assert {n for names in ESCALATION_REPORTS.values() for n in names} <= indicators


def test_the_current_round_starts_earlier_from_the_close_before_it(data, plan) -> None:
    oil, _ = data
    base, _, rounds = plan
    current = rounds[-1]
    assert current.id == "russia-iran-2026" and current.episode is None
    assert current.as_of == (dt.date(2026, 2, 28), dt.date(2026, 3, 2), dt.date(2026, 3, 4), dt.date(2026, 3, 6))
    # the scenario starts on the war's first day: its own round is not moved
    assert current.start == base.spec.clock.start == dt.date(2026, 2, 28) and current.derived == ""
    assert current.scenario.spec == base.spec
    # moved a day earlier, it starts from the close before that day, without its log
    closes = read_prices(oil, "brent", as_of=dt.date(2026, 2, 26))
    moved = moved_start(base, dt.date(2026, 2, 27), closes)
    assert moved.spec.clock.start == dt.date(2026, 2, 27) and moved.spec.variables["brent"].initial == "71.66"  # EIA close of 2026-02-26
    assert moved.spec.clock.as_of is None and moved.spec.log is None
    # everything but the clock, the log and Brent's start is the scenario's own
    assert moved.spec.parameters == base.spec.parameters
    assert [r.id for r in rounds] == ["apr-2024", "oct-2024", "jun-2025", "russia-iran-2026"]
    assert rounds[0].as_of == tuple(dt.date(2024, 4, 1) + dt.timedelta(days=d) for d in (0, 3, 7, 14))


# ---------------------------------------------------------------- nothing after the as-of date


@pytest.mark.parametrize(("round_index", "as_of"), [(2, dt.date(2025, 6, 20)), (0, dt.date(2024, 4, 1)), (3, dt.date(2026, 3, 2))])
def test_a_forecast_is_bit_identical_when_everything_after_its_date_is_poisoned(data, plan, tmp_path: Path, round_index: int, as_of: dt.date) -> None:
    oil, _ = data
    base, _, rounds = plan
    clean = rounds[round_index]
    poisoned_oil = _poison_oil(oil, tmp_path / "poisoned.csv", as_of, garbage=True)
    poisoned = dataclasses.replace(clean, episode=_poison_episode(clean.episode, as_of)) if clean.episode is not None else clean
    if clean.episode is None:  # the current round's scenario is derived from the (poisoned) file too
        poisoned = rolling_rounds(base, (), poisoned_oil)[-1]
    a = forecast_as_of(clean, as_of, oil, runs=RUNS, seed=3)
    b = forecast_as_of(poisoned, as_of, poisoned_oil, runs=RUNS, seed=3)
    assert isinstance(a, AsOfForecast)
    assert a == b  # every run's Brent, every probability, the reports, the random walk's start
    assert a.last_close_date <= as_of
    with pytest.raises(DataError):  # the poison is real: the whole file is unreadable
        read_oil(poisoned_oil)


def test_later_data_change_the_scores_never_the_forecasts(data, plan, tmp_path: Path) -> None:
    oil, episodes_path = data
    base, episodes, _ = plan
    after = dt.date(2024, 4, 8)  # the last as-of date of the round below
    changed_oil = _poison_oil(oil, tmp_path / "changed.csv", after, garbage=False)
    changed_episodes = tuple(_poison_episode(e, after) if e.id == "apr-2024" else e for e in episodes)
    options = {"offsets": (0, 7), "current_as_of": (), "runs": RUNS, "seed": 1}
    a = rolling_backtest(base, find_rounds(base, episodes)[:1], oil, episodes=episodes, **options)
    b = rolling_backtest(base, find_rounds(base, changed_episodes)[:1], changed_oil, episodes=changed_episodes, **options)
    fa, fb = a.rounds[0].forecasts, b.rounds[0].forecasts
    assert [f.forecast for f in fa] == [f.forecast for f in fb]
    assert [s.model_crps for f in fa for s in f.oil] != [s.model_crps for f in fb for s in f.oil]
    later = [(s.observed, t.observed) for f, g in zip(fa, fb) for s, t in zip(f.oil, g.oil) if s.observed_date > after]
    assert later and all(t == pytest.approx(1.5 * s, abs=0.01) for s, t in later)
    assert [e.happened for f in fa for e in f.events] != [e.happened for f in fb for e in f.events]


# ---------------------------------------------------------------- scores and structure


@pytest.fixture(scope="module")
def result(data, plan) -> RollingBacktest:
    oil, episodes_path = data
    base, episodes, _ = plan
    return rolling_backtest(base, find_rounds(base, episodes), oil, episodes=episodes, runs=RUNS, seed=0, episodes_path=str(episodes_path))


def test_every_round_is_forecast_from_every_date_and_scored(result: RollingBacktest) -> None:
    assert [r.round for r in result.rounds] == ["apr-2024", "oct-2024", "jun-2025", "russia-iran-2026"]
    for r in result.rounds[:3]:
        assert [f.forecast.day for f in r.forecasts] == [0, 3, 7, 14]
        for f in r.forecasts:
            assert [s.day for s in f.oil] == [7, 30]
            for s in f.oil:
                assert s.observed_date > f.forecast.last_close_date and s.observed_date <= s.date
                assert s.baseline[1] == pytest.approx(f.forecast.last_close)  # the random walk starts on the as-of date
                assert s.model[0] <= s.model[1] <= s.model[2]
    metrics = [h.metric for h in result.headline]
    assert metrics == ["crps_brent", "crps_brent_day_7", "crps_brent_day_30", "brier", "log"]
    assert all(math.isfinite(h.ratio) and h.ratio > 0 for h in result.headline)
    assert result.ratio("crps_brent", "jun-2025") == result.rounds[2].headline[0].ratio


def test_an_outcome_known_by_the_as_of_date_is_not_scored(result: RollingBacktest) -> None:
    june = result.rounds[2]
    last = june.forecasts[-1]  # 2025-06-27: the ceasefire came on 06-24
    assert "ceasefire_30d" not in [e.outcome for e in last.events]
    assert "ceasefire_30d: had happened by the as-of date (2025-06-24)" in last.skipped
    first = june.forecasts[0]
    ceasefire = next(e for e in first.events if e.outcome == "ceasefire_30d")
    assert ceasefire.happened and ceasefire.by_day == 30
    assert [e.by_day for e in june.forecasts[1].events] == [27] * 5  # the window still ends 30 days after the start


def test_the_current_round_is_scored_where_the_data_reach(result: RollingBacktest) -> None:
    current = result.rounds[-1]
    first = current.forecasts[0]
    # as of Saturday 2026-02-28, day 7 is Saturday 2026-03-07: the close is Friday's, the series' last
    assert [(s.day, s.observed_date.isoformat(), s.observed) for s in first.oil] == [(7, "2026-03-06", 95.74)]
    assert first.forecast.last_close_date == dt.date(2026, 2, 27)
    assert "Brent on 2026-03-30: the oil series ends 2026-03-06" in first.skipped
    assert all(not f.oil for f in current.forecasts[1:])
    assert all("outcomes: none recorded for this round" in f.skipped for f in current.forecasts)
    # the forecasts are made all the same, e.g. for the dates after the series ends
    assert set(current.forecasts[-1].forecast.brent) == {7, 30}
    assert current.forecasts[-1].forecast.brent_points == 5  # 03-02 to 03-06


def test_json_parquet_and_report(result: RollingBacktest, tmp_path: Path) -> None:
    data = json.loads(result.to_json())
    assert data["run"]["rolling"] is True and data["run"]["offsets"] == [0, 3, 7, 14]
    assert data["run"]["command"].startswith("realpolitik backtest russia-iran-2026 --rolling --oil ")
    assert "--offsets 0,3,7,14 --current-as-of 2026-02-28,2026-03-02,2026-03-04,2026-03-06 --runs 300 --seed 0" in data["run"]["command"]
    june = data["rounds"][2]
    assert june["start"] == "2025-06-13" and [f["as_of"] for f in june["forecasts"]] == ["2025-06-13", "2025-06-16", "2025-06-20", "2025-06-27"]
    last = june["forecasts"][-1]
    assert [r["indicator"] for r in last["reports"]] == ["tit_for_tat_round", "red_line_strikes", "tit_for_tat_round"]
    assert set(last) >= {"as_of", "day", "reports", "brent_points", "last_close", "volatility", "brent", "probabilities", "warnings", "oil", "events", "skipped"}
    assert data["rounds"][3]["derived"] == ""  # the scenario starts on the war's first day
    table = pq.read_table(result.write_parquet(tmp_path / "rolling.parquet"))
    assert table.column_names == ["round", "as_of", "item", "metric", "model", "baseline", "observed"]
    assert table.schema.metadata[b"realpolitik.command"].decode() == result.command
    text = result.to_markdown()
    assert text.startswith("## Rolling backtest") and "| all | crps_brent |" in text and result.command in text


def test_an_as_of_date_outside_the_data_is_a_data_error(data, plan) -> None:
    oil, _ = data
    base, episodes, _ = plan
    with pytest.raises(DataError, match=r"russia-iran-2026 as of 2026-03-09: after the oil series ends \(2026-03-06\)"):
        rolling_backtest(base, (), oil, episodes=episodes, current_as_of=(dt.date(2026, 3, 9),), runs=10)
    with pytest.raises(DataError, match=r"apr-2024 as of 2024-07-10: outside the clock of russia-iran-2024-04"):
        rolling_backtest(base, find_rounds(base, episodes)[:1], oil, episodes=episodes, offsets=(100,), current_as_of=(), runs=10)


def test_scoring_reads_only_the_forecast(result: RollingBacktest, data, plan) -> None:
    oil, _ = data
    _, episodes, _ = plan
    scored = result.rounds[0].forecasts[1]
    again = score_as_of(scored.forecast, read_oil(oil), episodes[0], base_rate={e.outcome: e.baseline_p for e in scored.events})
    assert again == scored


# ---------------------------------------------------------------- the command


@pytest.mark.slow
def test_backtest_rolling_json(capsys, data, result: RollingBacktest) -> None:
    oil, episodes = data
    code, out, err = _cli(capsys, "backtest", "--rolling", "--oil", str(oil), "--episodes", str(episodes), "--json", "--runs", "300")
    assert code == 0, err
    printed = json.loads(out)
    assert [r["round"] for r in printed["rounds"]] == ["apr-2024", "oct-2024", "jun-2025", "russia-iran-2026"]
    assert printed["run"]["command"].endswith("--runs 300 --seed 0")
    assert {h["metric"] for h in printed["headline"]} == {"crps_brent", "crps_brent_day_7", "crps_brent_day_30", "brier", "log"}
    # the command only calls the library: the same figures as the same call from Python
    assert printed["headline"] == json.loads(result.to_json())["headline"]


def test_backtest_rolling_table_and_report(capsys, data, tmp_path: Path) -> None:
    oil, episodes = data
    report = tmp_path / "rolling.md"
    args = ["--oil", str(oil), "--episodes", str(episodes), "--offsets", "0,7", "--current-as-of", "none", "--runs", "50", "--no-progress", "--report", str(report)]
    code, out, err = _cli(capsys, "backtest", "--rolling", *args)
    assert code == 0, err
    assert "rolling backtest of russia-iran-2026" in out and "crps_brent_day_30" in out
    assert "reproduce: realpolitik backtest russia-iran-2026 --rolling" in out and "--offsets 0,7 --current-as-of none --runs 50" in out
    assert report.read_text(encoding="utf-8").startswith("## Rolling backtest")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--current-as-of", "2026-03-09"], 1, "russia-iran-2026 as of 2026-03-09: after the oil series ends (2026-03-06)"),
        (["--current-as-of", "1988-01-01"], 1, "the random walk needs 250 returns up to the date"),
        (["--current-as-of", "2026-13-01"], 2, "--current-as-of: give dates YYYY-MM-DD"),
        (["--offsets", "0,soon"], 2, "--offsets: give whole days"),
        (["--offsets", "-3"], 2, "--offsets: days after a round's start are 0 or more"),
        (["--offsets", "100"], 1, "outside the clock of russia-iran-2024-04"),
        (["--oil", "/no/such/brent.csv"], 1, "no such oil price file"),
        (["--episodes", "/no/such/episodes.yaml"], 1, "no such episodes file"),
    ],
)
def test_backtest_rolling_bad_input_is_a_clear_error(capsys, data, args: list[str], code: int, message: str) -> None:
    oil, episodes = data
    defaults = {"--oil": str(oil), "--episodes": str(episodes)}
    for option in ("--oil", "--episodes"):
        if option in args:
            defaults.pop(option)
    paths = [x for pair in defaults.items() for x in pair]
    got, _, err = _cli(capsys, "backtest", "--rolling", *paths, *args, "--runs", "10", "--no-progress")
    assert got == code and message in err, err
    assert "Traceback" not in err


def test_rolling_options_need_rolling(capsys, data) -> None:
    oil, episodes = data
    code, _, err = _cli(capsys, "backtest", "--oil", str(oil), "--episodes", str(episodes), "--offsets", "0,3", "--runs", "10")
    assert code == 2 and "add --rolling" in err
