"""Reading what happened: the oil series and the episodes, with problems at their lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from realpolitik.validation import DataError, read_episodes, read_oil
from realpolitik.validation.history import trading_days


def test_oil_lookups(world) -> None:
    oil = read_oil(world.oil)
    start = dt.date(2024, 3, 4)  # a Monday
    assert oil.close_before(start)[0] == dt.date(2024, 3, 1)  # the Friday before
    assert oil.close_on_or_before(dt.date(2024, 3, 10))[0] == dt.date(2024, 3, 8)  # a Sunday -> Friday
    assert oil.close_on_or_before(dt.date(2030, 1, 1)) is None
    prices = oil.prices[np.searchsorted(oil.dates, np.datetime64(start)) - 251 : np.searchsorted(oil.dates, np.datetime64(start))]
    assert oil.log_return_sd(start) == pytest.approx(np.diff(np.log(prices)).std(ddof=1))
    with pytest.raises(ValueError, match="250 trading days"):
        oil.log_return_sd(dt.date(2023, 2, 1))


def test_trading_days_count_weekdays() -> None:
    assert trading_days(dt.date(2024, 3, 1), dt.date(2024, 3, 8)) == 5
    assert trading_days(dt.date(2024, 3, 1), dt.date(2024, 3, 3)) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Day,Close\n2024-01-01,1\n", ":1: the first line must be 'Date,Price'"),
        ("Date,Price\n2024-01-01,80\n2024-01-02,abc\n2024-01-03,-1\n", ":3: Price: not a positive number: 'abc'"),
        ("Date,Price\n2024-01-02,80\n2024-01-01,81\n", ":3: Date: 2024-01-01 is not after the row before"),
        ("Date,Price\nxx,80\n", ":2: Date: not an ISO date"),
    ],
)
def test_bad_oil_files_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "oil.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_oil(path)
    assert expected in str(info.value)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"Date,Price\n2024-01-01,80\n\xff\xfe\x00\n")
    with pytest.raises(DataError, match=":3: is not UTF-8 text"):
        read_oil(binary)
    if "abc" in text:
        assert len(info.value.problems) == 2  # every bad row, not the first only


def test_missing_data_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such oil price file"):
        read_oil(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="no such episodes file"):
        read_episodes(tmp_path / "nope.yaml")


def test_episodes_outcomes(world) -> None:
    episodes = read_episodes(world.episodes)
    assert [e.id for e in episodes] == ["r1", "r2", "r3"]
    r1, r2, r3 = episodes
    # calm on day 10, 40 and 70 after the start: a ceasefire within 30 days only in r1
    assert [e.outcomes["ceasefire_30d"] for e in episodes] == [True, False, False]
    assert r1.outcomes["flared"] is True and r2.outcomes["flared"] is False
    assert r1.outcomes["hormuz_closed"] is False
    assert r1.level_on(r1.start) == 1 and r1.level_on(r1.start - dt.timedelta(days=1)) is None


def test_the_ladder_outcomes_count_30_days_from_the_start(tmp_path: Path) -> None:
    """``tit_for_tat_30d`` (level 2 or more) and ``red_line_30d`` (level 4) hold when the
    path reaches the level within 30 days of the start, day 30 included."""
    path = tmp_path / "episodes.yaml"
    rows = []
    for k, (tft, red) in enumerate(((30, 30), (31, 31), (5, None))):
        start = dt.date(2024, 1 + 3 * k, 1)
        steps = [(0, 1), (tft, 2)] + ([(red, 4)] if red is not None else [])
        path_text = ", ".join(f"{{date: {(start + dt.timedelta(days=d)).isoformat()}, level: {lv}}}" for d, lv in steps)
        rows.append(f"  - id: e{k}\n    start: {start}\n    end: {start + dt.timedelta(days=60)}\n    hormuz: open\n    escalation_path: [{path_text}]\n")
    path.write_text("episodes:\n" + "".join(rows), encoding="utf-8")
    got = [(e.outcomes["tit_for_tat_30d"], e.outcomes["red_line_30d"]) for e in read_episodes(path)]
    assert got == [(True, True), (False, False), (True, False)]


def test_bad_episodes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "episodes.yaml"
    path.write_text(
        "episodes:\n"
        "  - id: a\n    start: 2024-01-01\n    end: 2024-01-31\n    hormuz: shut\n"
        "    escalation_path: [{date: 2024-01-01, level: 1}]\n"
        "  - id: b\n    start: 2024-02-01\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        read_episodes(path)
    text = [str(p) for p in info.value.problems]
    assert any(":5:13: episodes[0].hormuz: hormuz is open, disrupted or closed" in t for t in text), text
    assert any(":7:5: episodes[1]: missing 'end', 'escalation_path', 'hormuz'" in t for t in text), text


def test_the_shared_episodes_record_the_five_outcomes(shared_data: Path) -> None:
    episodes = read_episodes(shared_data / "episodes" / "episodes.yaml")
    assert [e.id for e in episodes] == ["apr-2024", "oct-2024", "jun-2025"]
    for e in episodes:
        for name in ("russia_veto", "russia_military_help", "hormuz_closed", "talks_hosted_by_russia", "ceasefire_30d"):
            assert name in e.outcomes
    # every round had both sides striking within a month; only jun-2025 crossed the red line
    assert [(e.outcomes["tit_for_tat_30d"], e.outcomes["red_line_30d"]) for e in episodes] == [(True, False), (True, False), (True, True)]
