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


_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth twenty-first"
).split()


def _in_figures(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


@pytest.mark.parametrize(("n", "word"), list(enumerate(_ORDINAL_WORDS, start=1)))
def test_a_century_in_figures_or_in_words_is_its_hundreds(n: int, word: str) -> None:
    expected = DateValue(f"{n - 1:02d}", "century")
    assert normalise_date(f"the {_in_figures(n)} century", None) == normalise_date(f"the {word} century", None) == expected


_ANCHORS = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))
_TENSES = st.sampled_from([None, "past", "present", "future"])


@given(_ANCHORS)
def test_this_quarter_holds_the_anchor_and_last_and_next_quarter_border_it(anchor: dt.date) -> None:
    this, last, following = (period_bounds(normalise_date(f"{w} quarter", anchor).value) for w in ("this", "last", "next"))
    assert this[0] <= anchor <= this[1]
    assert last[1] + dt.timedelta(days=1) == this[0] and this[1] + dt.timedelta(days=1) == following[0]
    assert normalise_date("the quarter", anchor, tense="past") == normalise_date("last quarter", anchor)
    assert normalise_date("the quarter", anchor, tense="future") == normalise_date("this quarter", anchor)


@given(_ANCHORS, _TENSES, st.integers(1, 4))
def test_a_quarter_named_by_ordinal_or_by_number_is_the_same(anchor: dt.date, tense: str | None, q: int) -> None:
    by_number = normalise_date(f"Q{q}", anchor, tense=tense)
    assert normalise_date(f"the {_ORDINAL_WORDS[q - 1]} quarter", anchor, tense=tense) == by_number
    assert normalise_date(f"{_in_figures(q)} quarter", anchor, tense=tense) == by_number
    assert normalise_date(f"the {_ORDINAL_WORDS[q - 1]} quarter of 2025", None) == normalise_date(f"Q{q} 2025", None) == DateValue(f"2025-Q{q}", "quarter")


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


@given(_ANCHORS, st.dates(min_value=dt.date(1500, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["Tuesday, ", "Tues. ", "Sun "]))
def test_a_weekday_in_front_of_a_date_changes_nothing(anchor: dt.date, day: dt.date, weekday: str) -> None:
    month = _MONTH_NAMES[day.month - 1]
    for text in (f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"):
        assert normalise_date(weekday + text, None) == normalise_date(text, None) == DateValue(day.isoformat(), "day")
    for text in (f"{month} {day.day}", f"{day.day}th of {month}"):
        assert normalise_date(weekday + text, anchor, tense="past") == normalise_date(text, anchor, tense="past")


@given(_ANCHORS, st.sampled_from([("one day ago", "yesterday"), ("a week ago", "last week"), ("a month ago", "last month"), ("one year ago", "last year")]))
def test_one_unit_ago_is_the_last_one(anchor: dt.date, texts: tuple[str, str]) -> None:
    assert normalise_date(texts[0], anchor) == normalise_date(texts[1], anchor)


_WORDS = st.sampled_from(
    "sepember september sept sep. march may 8th 2025 99999999999 0 13 days weeks months years decades centuries "
    "ago from now later last next this quarter q3 first third century twenty-first 21st of the , on in tuesday".split()
)


@given(_ANCHORS, _TENSES, st.one_of(st.text(max_size=40), st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)))
def test_any_text_gets_a_value_or_unknown_never_an_error(anchor: dt.date, tense: str | None, text: str) -> None:
    """An article's text is not ours: whatever a date expression holds, it is read or
    it is unknown (it raised KeyError on "sepember 2025" and OverflowError on
    "99999999999 days ago")."""
    found = normalise_date(text, anchor, tense=tense)  # type: ignore[arg-type]
    assert isinstance(found, DateValue)


@pytest.mark.parametrize("text", ["sepember 2025", "99999999999 days ago"])
def test_what_raised_before_is_unknown(text: str) -> None:
    assert normalise_date(text, SUNDAY) == DateValue(None, "unknown")


@pytest.mark.parametrize(
    ("text", "value"),
    [("thirteen years ago", "2013"), ("sixty days ago", "2026-01-07"), ("seventeen months later", "2027-08"), ("ninety days ago", "2025-12-08")],
)
def test_every_number_word_counts_in_a_span_ago_or_later(text: str, value: str) -> None:
    """The counts of "N days ago" are every number word the module knows (it read
    only some: "thirteen years ago" was left unresolved)."""
    assert normalise_date(text, SUNDAY).value == value
