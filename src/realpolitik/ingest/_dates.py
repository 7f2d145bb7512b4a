"""Dates in news text, normalised against the article's date.

An expression ("on Tuesday", "last week", "in January 2025", "yesterday", "three
years ago") becomes a TimeML-style value (``2026-03-10``, ``2026-W10``,
``2025-01``, ``2023``, ``199`` for the 1990s, ``2025-Q1``, ``2025-SU``) with its
precision. Relative expressions need an anchor (the article's date); without one
they stay unresolved (precision ``"unknown"``). The tense of the clause decides the
direction of a bare "Tuesday" or "March": past tense looks back, future tense ahead.

These are hand-written rules over the expression's text (spaCy finds the DATE
entities; nothing here needs spaCy), so they are pure and cheap.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "parse_day",
    "PRECISIONS",
    "DateValue",
    "normalise_date",
    "parse_absolute_date",
    "period_bounds",
]

Precision = Literal["day", "week", "month", "season", "quarter", "year", "decade", "century", "unknown"]
Tense = Literal["past", "present", "future"]

#: Every precision a normalised date can have, finest first.
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "season", "quarter", "year", "decade", "century", "unknown")


@dataclass(frozen=True)
class DateValue:
    """A normalised date.

    Attributes:
        value: a TimeML-style value: ``YYYY-MM-DD``, ``YYYY-Www`` (ISO week),
            ``YYYY-MM``, ``YYYY-SP|SU|FA|WI`` (season), ``YYYY-Qn``, ``YYYY``,
            ``YYY`` (decade), ``YY`` (century); ``PRESENT_REF``, ``PAST_REF`` or
            ``FUTURE_REF`` for vague references; ``None`` when unresolved.
        precision: one of :data:`PRECISIONS`; ``"unknown"`` for vague or
            unresolved expressions.
    """

    value: str | None
    precision: Precision

    @property
    def resolved(self) -> bool:
        """Whether the value names a calendar period (not a vague reference)."""
        return self.precision != "unknown" and self.value is not None


UNKNOWN = DateValue(None, "unknown")

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = {w: 10 + i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
#: Number words and what they count ("a decade ago" is one).
_NUMBERS = {"a": 1, "an": 1, **_UNITS, **_TEENS, **_TENS, "a hundred": 100, "hundred": 100}
#: Ordinals in words, for quarters ("the third quarter") and centuries ("the twenty-first century").
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
#: How many periods "last", "this", "next" and their synonyms step from the anchor's.
_STEP = {"this": 0, "last": -1, "past": -1, "previous": -1, "the previous": -1, "next": 1, "coming": 1, "following": 1, "the following": 1}

# the month names _MONTHS knows, longest first (a pattern of its own read "sepember",
# which the table does not know)
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = "(" + "|".join(_WEEKDAYS) + ")"
_SEASON_RE = "(" + "|".join(_SEASONS) + ")"
_YEAR_RE = r"((?:1[5-9]|20)\d\d)"
_QUARTER_ORDINAL_RE = r"(first|second|third|fourth|1st|2nd|3rd|4th)"
_SHIFT_RE = r"(?:(last|next|this|past|coming)\s+)?"
#: A count: figures, every number word of _NUMBERS, or a vague one ("several"), longest first.
_NUM_RE = r"(\d+|" + "|".join(sorted([*_NUMBERS, "several", "few", "a few", "many", "some"], key=len, reverse=True)) + ")"
# An optional weekday in front of a date: "Tuesday, March 10", "Tues. March 10".
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+")

# Words that say where in a period, or how sure, without changing the period itself.
_FILLER = re.compile(
    r"^(?:(?:on|in|at|during|by|since|until|till|from|of|for|before|after|around|about|through|throughout|over|"
    r"the|early|earlier|late|later|mid|middle|the middle of|the end of|end of|the beginning of|"
    r"beginning of|the start of|start of|as early as|as late as|as of|some time|sometime|just|only|almost|nearly|"
    r"more than|less than|at least|about|around|roughly|approximately|very|fiscal|calendar)[\s-]+)+"
)
_PAST_REF = re.compile(
    r"^(?:the past|recently|more recently|recent(?:ly)?|previously|formerly|once|earlier|in the past|former(?:ly)?|then|back then|"
    r"at the time|the time|that time|those days|(?:in )?recent (?:days|weeks|months|quarters|years|decades)(?: and (?:days|weeks|months|years))?|"
    r"(?:the )?(?:last|past|previous) (?:few |several |couple of |many )?(?:days|weeks|months|quarters|years|decades))$"
)
_PRESENT_REF = re.compile(r"^(?:now|currently|current|at present|presently|present|nowadays|these days|right now|today's|the moment|this time|at this time|so far|to date|lately|already|yet|this crucial moment)$")
_FUTURE_REF = re.compile(
    r"^(?:the future|future|in the future|soon|later|eventually|the coming|coming|one day|someday|a later date|as soon as possible|"
    r"(?:the )?(?:near|not too distant|distant) future|(?:the )?(?:near|short|long|medium|longer|shorter)[\s-]term|future (?:days|weeks|months|quarters|years)|"
    r"(?:in )?(?:the )?(?:coming|next few|next several|upcoming) (?:days|weeks|months|quarters|years|decades))$"
)


def _clean(text: str) -> str:
    s = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s+", " ", s).strip(" ,.;:()\"'")
    return s


def _strip_filler(s: str) -> str:
    prev = None
    while prev != s:
        prev = s
        s = _FILLER.sub("", s).strip()
    return s


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _ordinal(word: str) -> int:
    """The number an ordinal names, in figures ("21st") or in words (one of :data:`_ORDINALS`)."""
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(m[1]) if m else _ORDINALS[word]


def _quarter_index(day: dt.date) -> int:
    """The quarter ``day`` lies in, counted from year 0, so that stepping by quarters is adding."""
    return day.year * 4 + (day.month - 1) // 3


def _quarter_of(index: int) -> DateValue:
    """The value of a quarter counted as :func:`_quarter_index` counts (``year * 4 + q - 1``)."""
    return DateValue(f"{index // 4:04d}-Q{index % 4 + 1}", "quarter")


def _month_and_day(s: str, then: str = "") -> tuple[int, int, tuple[str, ...]] | None:
    """Month and day of "March 8" or "8th of March" followed by ``then`` (a pattern).

    Returns the month, the day and what ``then``'s groups captured, or ``None``.
    """
    if m := re.fullmatch(_MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?" + then, s):
        return _MONTHS[m[1]], int(m[2]), m.groups()[2:]
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + then, s):
        return _MONTHS[m[2]], int(m[1]), m.groups()[2:]
    return None


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


# A past-tense clause may still name a date a little ahead ("said it will pay on Dec. 15"
# parses with the past tense of "said"); the tense only rules out dates far on the other side.
_SLACK_DAYS = 31
_SLACK_MONTHS = 1


def _year_of_month(month: int, anchor: dt.date, tense: Tense | None) -> int:
    """The year of a month named without one.

    In the past tense the latest such month not after the anchor's; in the future
    tense the first not before it; otherwise the one nearest the anchor.
    """
    here = anchor.year * 12 + anchor.month - 1
    candidates = [(year * 12 + month - 1, year) for year in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if tense == "past":
        candidates = [c for c in candidates if c[0] - here <= _SLACK_MONTHS]
    elif tense == "future":
        candidates = [c for c in candidates if here - c[0] <= _SLACK_MONTHS]
    return min(candidates, key=lambda c: abs(c[0] - here))[1]


def _year_of_day(month: int, day: int, anchor: dt.date, tense: Tense | None) -> int:
    """The year of a day named without one; as :func:`_year_of_month`, with a week's slack."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(((dt.date(year, month, day) - anchor).days, year))
        except ValueError:
            continue
    if not candidates:
        return anchor.year
    if tense == "past":
        candidates = [c for c in candidates if c[0] <= _SLACK_DAYS] or candidates
    elif tense == "future":
        candidates = [c for c in candidates if c[0] >= -_SLACK_DAYS] or candidates
    return min(candidates, key=lambda c: abs(c[0]))[1]


def _weekday(target: int, anchor: dt.date, tense: Tense | None, shift: str | None) -> dt.date:
    """The date of a weekday named relative to ``anchor``.

    News mostly reports what has happened, so a bare weekday in a past or unknown
    tense is the latest such day on or before the anchor; in the future tense the
    next one on or after it. "last" and "next" force the direction.
    """
    delta = target - anchor.weekday()
    if shift == "last":
        return anchor + dt.timedelta(days=delta - 7 if delta >= 0 else delta)
    if shift == "next":
        return anchor + dt.timedelta(days=delta + 7 if delta <= 0 else delta)
    if shift == "this":
        return anchor + dt.timedelta(days=delta)
    if tense == "future":
        return anchor + dt.timedelta(days=delta % 7)
    return anchor - dt.timedelta(days=(-delta) % 7)


def _date(year: int, month: int, day: int) -> DateValue:
    try:
        return DateValue(dt.date(year, month, day).isoformat(), "day")
    except ValueError:
        return UNKNOWN


def parse_day(text: str) -> dt.date | None:
    """The day ``text`` names on its own (:func:`parse_absolute_date` to a day), else ``None``.

    Example:
        >>> parse_day("8 March 2026"), parse_day("March 2026")
        (datetime.date(2026, 3, 8), None)
    """
    parsed = parse_absolute_date(text)
    return dt.date.fromisoformat(parsed.value) if parsed.precision == "day" and parsed.value else None


def parse_absolute_date(text: str) -> DateValue:
    """Read a date that needs no anchor: ``2026-03-08``, ``8 March 2026``, ``March 2026``, ``1995``.

    Example:
        >>> parse_absolute_date("March 8, 2026")
        DateValue(value='2026-03-08', precision='day')
        >>> parse_absolute_date("in January 2025").value
        '2025-01'
        >>> parse_absolute_date("Tuesday").precision
        'unknown'
    """
    return normalise_date(text, None)


def normalise_date(text: str, anchor: dt.date | None, *, tense: Tense | None = None) -> DateValue:
    """Normalise a date expression against ``anchor`` (the article's date).

    Args:
        text: the expression as written ("on Tuesday", "last week", "in January 2025").
        anchor: the date the text was written; ``None`` resolves absolute dates only.
        tense: the tense of the clause the expression belongs to; it decides whether a
            bare weekday or month lies before or after the anchor (``None``: before).

    Returns:
        The value with its precision; ``DateValue(None, "unknown")`` when the text is
        not a date these rules know.

    Example:
        >>> anchor = dt.date(2026, 3, 8)  # a Sunday
        >>> normalise_date("on Tuesday", anchor)
        DateValue(value='2026-03-03', precision='day')
        >>> normalise_date("on Tuesday", anchor, tense="future").value
        '2026-03-10'
        >>> normalise_date("last week", anchor).value
        '2026-W09'
        >>> normalise_date("yesterday", anchor).value
        '2026-03-07'
        >>> normalise_date("two years ago", anchor)
        DateValue(value='2024', precision='year')
    """
    s = _clean(text)
    if not s:
        return UNKNOWN
    if _PRESENT_REF.match(s):
        return DateValue("PRESENT_REF", "unknown")
    if _PAST_REF.match(s):
        return DateValue("PAST_REF", "unknown")
    if _FUTURE_REF.match(s):
        return DateValue("FUTURE_REF", "unknown")
    s = _strip_filler(s)
    for rule in _ABSOLUTE_RULES:
        found = rule(s)
        if found is not None:
            return found
    if anchor is None:
        return UNKNOWN
    for relative in _RELATIVE_RULES:
        try:
            found = relative(s, anchor, tense)
        except OverflowError:  # "99999999999 days ago": beyond the calendar
            return UNKNOWN
        if found is not None:
            return found
    return UNKNOWN


# -- absolute expressions ------------------------------------------------------------


def _iso(s: str) -> DateValue | None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:t[\d:.]+z?(?:[+-]\d\d:?\d\d)?)?", s)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m and 1 <= int(m[2]) <= 12:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if m and 1 <= int(m[2]) <= 12:
        return DateValue(f"{int(m[1]):04d}-{int(m[2]):02d}", "month")
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        first, second = int(m[1]), int(m[2])
        # month first (US style) unless that cannot be a month
        month, day = (first, second) if first <= 12 else (second, first)
        return _date(int(m[3]), month, day)
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s)
    if m:
        return _date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _day_month_year(s: str) -> DateValue | None:
    s = _WEEKDAY_PREFIX.sub("", s)
    found = _month_and_day(s, r",?\s+(\d{4})")
    if found:
        month, day, (year,) = found
        return _date(int(year), month, day)
    m = re.fullmatch(_MONTH_RE + r",?\s+(?:of\s+)?(\d{4})", s)
    if m:
        return DateValue(f"{int(m[2]):04d}-{_MONTHS[m[1]]:02d}", "month")
    return None


def _year(s: str) -> DateValue | None:
    m = re.fullmatch(r"(?:the\s+)?(?:year\s+)?(?:fy\s*)?" + _YEAR_RE, s)
    if m:
        return DateValue(m[1], "year")
    m = re.fullmatch(r"(?:the\s+)?((?:1[5-9]|20)\d)0'?s", s)
    if m:
        return DateValue(m[1], "decade")
    m = re.fullmatch(r"(?:the\s+)?'?([0-9])0'?s", s)
    if m:
        return DateValue(f"19{m[1]}", "decade")
    # the n-th century is TimeML's n - 1 (its years' hundreds); a range "19th and 20th centuries" is read by its first
    m = re.fullmatch(
        r"(?:the\s+)?(?:(\d{1,2}(?:st|nd|rd|th))(?:\s+(?:and|to|or)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th))?[\s-]+centur(?:y|ies)|([a-z-]+)[\s-]+century)", s
    )
    if m and (m[1] or (m[2] in _ORDINALS)):
        return DateValue(f"{_ordinal(m[1] or m[2]) - 1:02d}", "century")
    m = re.fullmatch(r"(?:the\s+|its\s+)?" + _YEAR_RE + r"\s+(?:(first|second|third|fourth)[\s-]+)?(?:period|quarter|fiscal year|year|season)", s)
    if m:
        return _quarter_of(int(m[1]) * 4 + _ordinal(m[2]) - 1) if m[2] else DateValue(m[1], "year")
    m = re.fullmatch(_SEASON_RE + r"(?:\s+of)?\s+" + _YEAR_RE, s)
    if m:
        return DateValue(f"{m[2]}-{_SEASONS[m[1]]}", "season")
    m = re.fullmatch(r"(?:" + _QUARTER_ORDINAL_RE + r"[\s-]+quarter(?:\s+of)?|q([1-4]))\s+" + _YEAR_RE, s)
    if m:
        q = _ordinal(m[1]) if m[1] else int(m[2])
        return _quarter_of(int(m[3]) * 4 + q - 1)
    return None


def _two_digits(words: str) -> int | None:
    words = words.strip()
    if words in _TEENS:
        return _TEENS[words]
    if words in _TENS:
        return _TENS[words]
    m = re.fullmatch(r"(\w+)[\s-](\w+)", words)
    if m and m[1] in _TENS and m[2] in _UNITS:
        return _TENS[m[1]] + _UNITS[m[2]]
    if m and m[1] in ("oh", "o") and m[2] in _UNITS:
        return _UNITS[m[2]]
    return None


def _spelled_year(s: str) -> DateValue | None:
    """Years as spoken in broadcast transcripts: "nineteen ninety-six", "two thousand"."""
    s = re.sub(r"^(?:the\s+)?(?:year\s+)?", "", s)
    month = None
    m = re.fullmatch(_MONTH_RE + r"\s+(.+)", s)
    if m:
        month, s = _MONTHS[m[1]], m[2]
    season = None
    m = re.fullmatch(_SEASON_RE + r"\s+of\s+(.+)", s)
    if m:
        season, s = _SEASONS[m[1]], m[2]
    year = None
    m = re.fullmatch(r"(nineteen|eighteen|twenty)\s+(.+)", s)
    if m:
        rest = _two_digits(m[2])
        if rest is not None:
            year = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m[1]] + rest
    m = re.fullmatch(r"two thousand(?:\s+(?:and\s+)?(.+))?", s)
    if m:
        rest = 0 if m[1] is None else (_UNITS.get(m[1]) or _two_digits(m[1]))
        if rest is not None:
            year = 2000 + rest
    if year is None:
        return None
    if month:
        return DateValue(f"{year:04d}-{month:02d}", "month")
    if season:
        return DateValue(f"{year:04d}-{season}", "season")
    return DateValue(f"{year:04d}", "year")


def _decade_words(s: str) -> DateValue | None:
    m = re.fullmatch(r"(?:the\s+)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)", s)
    if m:
        return DateValue(f"19{_TENS[m[1][:-3] + 'y'] // 10}", "decade")
    return None


_ABSOLUTE_RULES = (_iso, _day_month_year, _year, _spelled_year, _decade_words)


# -- expressions that need the anchor -----------------------------------------------


def _deictic(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    days = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "last night": -1,
        "yesterday morning": -1,
        "yesterday afternoon": -1,
        "yesterday evening": -1,
        "tomorrow": 1,
        "tomorrow morning": 1,
        "the day before yesterday": -2,
        "day before yesterday": -2,
        "the day after tomorrow": 2,
        "day after tomorrow": 2,
    }
    if s in days:
        return DateValue((anchor + dt.timedelta(days=days[s])).isoformat(), "day")
    m = re.fullmatch(r"(this|last|next|past|previous|coming|the following|following|the previous)\s+(week|month|year|weekend|quarter)", s)
    if m:
        return _unit_offset(m[2], _STEP[m[1]], anchor)
    if s == "weekend":
        # the weekend just past, or the coming one in the future tense
        saturday = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7) if tense == "future" else anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7)
        return DateValue(_iso_week(saturday) + "-WE", "week")
    m = re.fullmatch(r"(week|month|year)", s)
    if m:
        return _unit_offset(m[1], 0, anchor)
    m = re.fullmatch(r"(?:the )?(?:full|whole|entire|current|current fiscal|fiscal) year", s)
    if m:
        return DateValue(f"{anchor.year:04d}", "year")
    m = re.fullmatch(r"(?:this|the)\s+(?:same\s+)?(day|date)", s)
    if m:
        return DateValue(anchor.isoformat(), "day")
    m = re.fullmatch(r"(week|month|year)s?\s+(?:earlier|before)", s)
    if m:
        return _unit_offset(m[1], -1, anchor)
    return None


def _unit_offset(unit: str, step: int, anchor: dt.date) -> DateValue:
    """The day, week, month, quarter or year ``step`` of them from the anchor's."""
    if unit == "day":
        return DateValue((anchor + dt.timedelta(days=step)).isoformat(), "day")
    if unit in ("week", "weekend"):
        return DateValue(_iso_week(anchor + dt.timedelta(weeks=step)), "week")
    if unit == "month":
        year, month = _shift_months(anchor, step)
        return DateValue(f"{year:04d}-{month:02d}", "month")
    if unit == "quarter":
        return _quarter_of(_quarter_index(anchor) + step)
    return DateValue(f"{anchor.year + step:04d}", "year")


def _ago(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(_NUM_RE + r"\s+(day|week|month|year|decade|centur(?:y|ie))s?\s+(ago|earlier|before|from now|later|hence)", s)
    if not m:
        m2 = re.fullmatch(r"(day|week|month|year|decade|centur(?:y|ie))s?\s+(ago)", s)
        if not m2:
            return None
        return DateValue("PAST_REF", "unknown")
    n = _number(m[1])
    if n is None:
        return DateValue("PAST_REF" if m[3] in ("ago", "earlier", "before") else "FUTURE_REF", "unknown")
    sign = -1 if m[3] in ("ago", "earlier", "before") else 1
    unit = m[2]
    if unit in ("day", "week", "month", "year"):
        return _unit_offset(unit, sign * n, anchor)
    if unit == "decade":
        return DateValue(f"{anchor.year + sign * 10 * n:04d}", "year")
    return DateValue(f"{(anchor.year + sign * 100 * n) // 100:02d}", "century")


def _weekday_rule(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(_SHIFT_RE + _WEEKDAY_RE + r"s?(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?", s)
    if not m:
        return None
    shift = {"coming": "next", "past": "last"}.get(m[1] or "", m[1])
    return DateValue(_weekday(_WEEKDAYS[m[2]], anchor, tense, shift).isoformat(), "day")


def _month_day(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    found = _month_and_day(_WEEKDAY_PREFIX.sub("", s))
    if not found:
        return None
    month, day, _ = found
    return _date(_year_of_day(month, day, anchor, tense), month, day)


def _month(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(_SHIFT_RE + _MONTH_RE, s)
    if not m:
        return None
    month = _MONTHS[m[2]]
    where = m[1]
    if where in ("last", "past"):
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif where in ("next", "coming"):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif where == "this":
        year = anchor.year
    else:
        year = _year_of_month(month, anchor, tense)
    return DateValue(f"{year:04d}-{month:02d}", "month")


def _season(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(_SHIFT_RE + _SEASON_RE, s)
    if not m:
        return None
    year = anchor.year + (_STEP[m[1]] if m[1] else 0)
    if not m[1] and tense == "future" and _season_index(m[2]) < _season_index_of(anchor):
        year += 1
    return DateValue(f"{year:04d}-{_SEASONS[m[2]]}", "season")


def _season_index(name: str) -> int:
    return {"winter": 0, "spring": 1, "summer": 2, "autumn": 3, "fall": 3}[name]


def _season_index_of(day: dt.date) -> int:
    return (day.month % 12) // 3


def _month_of_year(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(_MONTH_RE + r",?\s+(?:of\s+)?(this|last|next) year", s)
    if not m:
        return None
    return DateValue(f"{anchor.year + _STEP[m[2]]:04d}-{_MONTHS[m[1]]:02d}", "month")


def _decade(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(r"(?:the\s+)?(last|past|previous|this|next|coming)\s+decade", s)
    if not m:
        return None
    return DateValue(f"{anchor.year // 10 + _STEP[m[1]]:03d}", "decade")


def _quarter(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    current = _quarter_index(anchor)
    if re.fullmatch(r"(?:the\s+)?(?:latest|most recent|recent|last|past|previous|fiscal|just-ended|just ended)?\s*(?:fiscal\s+)?quarter", s):
        # a company reports the quarter that has just ended, unless it speaks of the future
        return _quarter_of(current if tense == "future" else current - 1)
    if re.fullmatch(r"(?:the\s+)?(?:year-ago|year-earlier|year ago|year earlier)\s+(?:quarter|period)", s):
        return _quarter_of(current - 1 - 4)
    m = re.fullmatch(r"(?:(this|last|next) year's\s+)?" + _QUARTER_ORDINAL_RE + r"[\s-]+quarter(?:\s+of\s+(this|last|next) year)?", s)
    if m:
        q, which = _ordinal(m[2]), m[1] or m[3]
    elif m := re.fullmatch(r"q([1-4])", s):
        q, which = int(m[1]), None
    else:
        return None
    if which:
        year = anchor.year + _STEP[which]
    else:
        # a quarter of the anchor's year not yet begun is last year's, unless it speaks of the future
        year = anchor.year - 1 if q > current % 4 + 1 and tense != "future" else anchor.year
    return _quarter_of(year * 4 + q - 1)


def _this_period(s: str, anchor: dt.date, tense: Tense | None) -> DateValue | None:
    m = re.fullmatch(r"(?:earlier|later|early|late)?\s*(this|last|next)\s+(year|month|week)", s)
    if m:
        return _unit_offset(m[2], _STEP[m[1]], anchor)
    return None


_RELATIVE_RULES = (_deictic, _this_period, _ago, _weekday_rule, _month_day, _month, _month_of_year, _season, _decade, _quarter)


def period_bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a normalised value covers, or ``None`` for vague ones.

    Example:
        >>> period_bounds("2025-01")
        (datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
        >>> period_bounds("199")[1]
        datetime.date(1999, 12, 31)
        >>> period_bounds("PAST_REF") is None
        True
    """
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", value):
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            year, q = int(m[1]), int(m[2])
            last = 3 * q
            return dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            year = int(m[1])
            first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[m[2]]
            end_year, end_month = (year + 1, 2) if m[2] == "WI" else (year, first + 2)
            return dt.date(year, first, 1), dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        if m := re.fullmatch(r"(\d{4})", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if m := re.fullmatch(r"(\d{3})", value):
            return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
        if m := re.fullmatch(r"(\d{2})", value):
            return dt.date(max(1, int(value) * 100), 1, 1), dt.date(int(value) * 100 + 99, 12, 31)
    except ValueError:
        return None
    return None
