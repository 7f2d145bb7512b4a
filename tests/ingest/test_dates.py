"""Date normalisation against the article's date: values, precisions, direction by tense."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realpolitik.ingest import DateValue, normalise_date, period_bounds

SUNDAY = dt.date(2026, 3, 8)


@pytest.mark.parametrize(
    ("text", "tense", "value", "precision"),
    [
        ("on Tuesday", "past", "2026-03-03", "day"),
        ("on Tuesday", "future", "2026-03-10", "day"),
        ("last Tuesday", "future", "2026-03-03", "day"),
        ("next Friday", "past", "2026-03-13", "day"),
        ("Sunday", "past", "2026-03-08", "day"),
        ("yesterday", None, "2026-03-07", "day"),
        ("today", None, "2026-03-08", "day"),
        ("tomorrow", None, "2026-03-09", "day"),
        ("three days ago", None, "2026-03-05", "day"),
        ("last week", None, "2026-W09", "week"),
        ("this week", None, "2026-W10", "week"),
        ("two weeks ago", None, "2026-W08", "week"),
        ("last month", None, "2026-02", "month"),
        ("earlier this month", None, "2026-03", "month"),
        ("in January 2025", None, "2025-01", "month"),
        ("January", "past", "2026-01", "month"),
        ("December", "past", "2025-12", "month"),
        ("December", "future", "2026-12", "month"),
        ("March 8, 2026", None, "2026-03-08", "day"),
        ("8 March 2026", None, "2026-03-08", "day"),
        ("Feb. 27", "past", "2026-02-27", "day"),
        ("Nov. 27", "past", "2025-11-27", "day"),
        ("Nov. 27", "future", "2026-11-27", "day"),
        ("2026-03-04", None, "2026-03-04", "day"),
        ("in 2022", None, "2022", "year"),
        ("last year", None, "2025", "year"),
        ("next year", None, "2027", "year"),
        ("two years ago", None, "2024", "year"),
        ("the 1990s", None, "199", "decade"),
        ("the 18th century", None, "17", "century"),
        ("the third quarter", "past", "2025-Q3", "quarter"),
        ("the first quarter of 2025", None, "2025-Q1", "quarter"),
        ("last summer", None, "2025-SU", "season"),
        ("nineteen ninety-six", None, "1996", "year"),
        ("the weekend", "past", "2026-W10-WE", "week"),
    ],
)
def test_expressions_normalise_against_the_anchor(text: str, tense: str | None, value: str, precision: str) -> None:
    assert normalise_date(text, SUNDAY, tense=tense) == DateValue(value, precision)


@pytest.mark.parametrize(("text", "value"), [("now", "PRESENT_REF"), ("recently", "PAST_REF"), ("in the coming weeks", "FUTURE_REF"), ("the near future", "FUTURE_REF")])
def test_vague_references_have_no_precision(text: str, value: str) -> None:
    result = normalise_date(text, SUNDAY)
    assert result == DateValue(value, "unknown") and not result.resolved


@pytest.mark.parametrize("text", ["on Tuesday", "last week", "yesterday", "three years ago"])
def test_relative_expressions_stay_unresolved_without_an_anchor(text: str) -> None:
    assert normalise_date(text, None) == DateValue(None, "unknown")


@pytest.mark.parametrize("text", ["", "the strikes", "a ministry", "quickly"])
def test_what_is_not_a_date_is_unknown(text: str) -> None:
    assert not normalise_date(text, SUNDAY).resolved


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 6))
def test_a_weekday_lies_in_the_week_before_or_after_the_anchor_by_tense(anchor: dt.date, weekday: int) -> None:
    back = dt.date.fromisoformat(normalise_date(_WEEKDAYS[weekday], anchor, tense="past").value)
    ahead = dt.date.fromisoformat(normalise_date(_WEEKDAYS[weekday], anchor, tense="future").value)
    assert back.weekday() == ahead.weekday() == weekday
    assert 0 <= (anchor - back).days <= 6
    assert 0 <= (ahead - anchor).days <= 6


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 400))
def test_days_ago_counts_back_from_the_anchor(anchor: dt.date, days: int) -> None:
    assert normalise_date(f"{days} days ago", anchor).value == (anchor - dt.timedelta(days=days)).isoformat()


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)), st.sampled_from(["yesterday", "last week", "last month", "last year", "on Friday", "in March", "two years ago"]))
def test_a_past_expression_never_lies_more_than_a_month_or_so_ahead(anchor: dt.date, text: str) -> None:
    # the tense comes from a parse and may be wrong, so a past clause keeps a month's slack
    # ("said Feb. 27" on Feb. 20 is more likely a parse of "said it will ... Feb. 27")
    value = normalise_date(text, anchor, tense="past")
    assert value.resolved
    start, end = period_bounds(value.value)
    assert start <= end and (start - anchor).days <= 62


def test_period_bounds_of_each_precision() -> None:
    assert period_bounds("2026-03-08") == (SUNDAY, SUNDAY)
    assert period_bounds("2026-W10") == (dt.date(2026, 3, 2), SUNDAY)
    assert period_bounds("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_bounds("2025-Q4") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert period_bounds("2025-WI") == (dt.date(2025, 12, 1), dt.date(2026, 2, 28))
    assert period_bounds("2025") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert period_bounds("17") == (dt.date(1700, 1, 1), dt.date(1799, 12, 31))
    assert period_bounds(None) is None and period_bounds("FUTURE_REF") is None
