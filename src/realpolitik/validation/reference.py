"""Reference classes for the rebuild: how long wars like this one last, and how soon they resume.

A scenario's daily chance that a war stops (and that a stopped war starts again) is a
number like any other: it must say where it comes from. This module builds that number
from the conflict data in ``../shared/data/conflict`` (Gibler–Miller–Little MIDs,
CoW-MID v5, CoW inter-state wars, UCDP/PRIO armed conflicts; the Thompson–Sakuwa–Suhas
strategic rivalries, for the rounds fit's classes) and the three past rounds
in ``episodes.yaml``: it reads the files, selects comparable episodes by a rule it states
in words, fits duration distributions by maximum likelihood (interval-censored, since
many durations are known only to within a month or a year, and right-censored where a
conflict had not ended when the data stop), compares them by AIC and by observed against
expected counts, and turns the fits into daily hazards with bootstrap intervals.

Reading happens in ``read_*``; everything else is a pure function of what was read.
``python -m realpolitik.validation.reference ceasefire|oil ... --json`` prints the
results (``oil`` is :mod:`realpolitik.validation.oil_reference`).

Durations are whole days, first day to last day inclusive (a one-day clash lasts 1 day):
the same count as "first strike to the first calm day" of the past rounds. A duration
known to be ``d`` days is the event ``d - 1 < T <= d`` of a continuous duration ``T``;
one known to lie between ``lo`` and ``hi`` days is ``lo - 1 < T <= hi``.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import datetime as dt
import hashlib
import json
import logging
import math
import shlex
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, special, stats

from realpolitik.errors import DataError, Problem

__all__ = [
    "AS_OF",
    "WAR_START",
    "SCENARIO_START",
    "FAMILIES",
    "HAZARD_DAYS",
    "ENDED_BY_DAYS",
    "RECURRENCE_WINDOWS",
    "P5",
    "Duration",
    "Dispute",
    "Participation",
    "War",
    "ConflictEpisode",
    "Round",
    "DisputeRule",
    "ReferenceClass",
    "DurationFit",
    "GoodnessOfFit",
    "Recurrence",
    "read_gml",
    "Rivalry",
    "read_rivalries",
    "read_mid5",
    "read_cow_wars",
    "read_ucdp_interstate",
    "duration_classes",
    "read_rounds",
    "select_disputes",
    "war_class",
    "ucdp_class",
    "round_class",
    "fit_durations",
    "fit_class",
    "goodness_of_fit",
    "bootstrap_params",
    "bootstrap_stream",
    "DISPUTE_RULES",
    "log_survival",
    "daily_hazard",
    "ended_by",
    "dispute_recurrence",
    "episode_recurrence",
    "wilson_interval",
    "exponential_rate",
    "ceasefire_reference",
    "file_facts",
    "main",
]

logger = logging.getLogger(__name__)

#: The last day a reference class may know: the bundled scenario starts on 2026-03-08.
AS_OF = dt.date(2026, 3, 7)
#: First strikes of the 2026 war (the news timeline in ``../shared/data/news/iran-2026-timeline``).
WAR_START = dt.date(2026, 2, 28)
#: The bundled scenario's first day: the war has then lasted 8 days (02-28 to 03-07).
SCENARIO_START = dt.date(2026, 3, 8)
#: The duration families fitted, each with its parameters in order.
FAMILIES: dict[str, tuple[str, ...]] = {
    "lognormal": ("mu", "sigma"),  # of log days
    "weibull": ("shape", "scale"),  # scale in days
    "exponential": ("rate",),  # per day: the flat hazard
}
#: Days at which the daily ceasefire hazard is tabled.
HAZARD_DAYS = (7, 14, 30, 60, 90, 180)
#: Days at which P(ended by day d) is tabled.
ENDED_BY_DAYS = (7, 14, 30, 60, 90, 180, 365)
#: Windows (days after an end) in which a resumption is counted.
RECURRENCE_WINDOWS = (30, 90, 365)
#: Permanent members of the UN Security Council, by CoW (and Gleditsch–Ward) code.
P5: dict[int, str] = {2: "United States", 200: "United Kingdom", 220: "France", 365: "Russia/USSR", 710: "China"}
#: CoW codes of the Middle East and North Africa (Morocco 600 to Oman 698; Iran 630, Israel 666).
MIDDLE_EAST = range(600, 699)
#: Bins (days) of the goodness-of-fit table: (0,1], (1,7], ...
GOF_EDGES = (0.0, 1.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0, math.inf)
_Z90 = float(stats.norm.ppf(0.95))
_MAX_BYTES = 50_000_000
_MAX_ROWS = 500_000
_MAX_PROBLEMS = 20


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Duration:
    """How long one episode lasted, in whole days, as far as the data say.

    Attributes:
        episode: the episode's name in its source (``gml:4182``, ``apr-2024``).
        lower: it lasted at least this many days (>= 1).
        upper: and at most this many; ``None`` when it had not ended when the data stop
            (right-censored at ``lower``).
        start: its first day, when known (the earliest possible one).
    """

    episode: str
    lower: int
    upper: int | None
    start: dt.date | None = None

    def __post_init__(self) -> None:
        if self.lower < 1 or (self.upper is not None and self.upper < self.lower):
            raise ValueError(f"{self.episode}: a duration needs 1 <= lower <= upper, got {self.lower}, {self.upper}")

    @property
    def bounds(self) -> tuple[float, float]:
        """The event ``a < T <= b`` of a continuous duration: ``(lower - 1, upper)``,
        ``upper`` infinite when censored."""
        return float(self.lower - 1), math.inf if self.upper is None else float(self.upper)


@dataclass(frozen=True)
class Participation:
    """One state's part in a dispute (GML participant data).

    Attributes:
        state: CoW code.
        side_a: on the side that took the first militarized action.
        start, end: its first and last day in the dispute; a missing day is the first
            (start) or last (end) day of the month, as the data's ``dummy_*day`` columns.
    """

    state: int
    side_a: bool
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Dispute:
    """A militarized interstate dispute (one row of ``gml_mid_disps`` or ``cow_mid_disps``).

    Attributes:
        source: ``gml`` (GML MID 2.2.1) or ``mid5`` (CoW-MID 5.0).
        number: ``dispnum``.
        start_year: ``styear``.
        hostility: ``hostlev``: 1 none, 2 threat, 3 display, 4 use of force, 5 war.
        fatality: ``fatality`` level (0 none, 1 1–25 deaths, ... 6 over 999); ``None`` when missing.
        min_days, max_days: ``mindur``/``maxdur``: its length when missing days are put as
            late/early as possible.
        ongoing: it had not ended when the data stop (GML ``ongo2010``).
        side_a, side_b: CoW codes of the states on each side.
        participations: each state's dates (GML only; empty for MID 5).
        reciprocated: ``recip``: the other side answered with a militarized action of
            its own (GML only; ``None`` when not read or missing).
    """

    source: str
    number: int
    start_year: int
    hostility: int
    fatality: int | None
    min_days: int
    max_days: int
    ongoing: bool
    side_a: frozenset[int]
    side_b: frozenset[int]
    participations: tuple[Participation, ...] = ()
    reciprocated: bool | None = None

    @property
    def states(self) -> frozenset[int]:
        """Every state in the dispute."""
        return self.side_a | self.side_b

    @property
    def start(self) -> dt.date | None:
        """The earliest participant's first day (GML only)."""
        return min((p.start for p in self.participations), default=None)

    @property
    def end(self) -> dt.date | None:
        """The latest participant's last day (GML only)."""
        return max((p.end for p in self.participations), default=None)


@dataclass(frozen=True)
class War:
    """A CoW inter-state war, from its dyad-years (``cow_war_inter``): years only.

    Attributes:
        number: ``warnum``.
        first_year, last_year: the first and last year any dyad fought.
        states: CoW codes of every state in it.
    """

    number: int
    first_year: int
    last_year: int
    states: frozenset[int]


@dataclass(frozen=True)
class ConflictEpisode:
    """An episode of a UCDP/PRIO interstate armed conflict: consecutive years with at
    least 25 battle-related deaths.

    Attributes:
        conflict: ``conflict_id``.
        start: ``start_date2``, the episode's first battle-related death.
        start_precision: ``start_prec2`` (1: the day is known).
        end: ``ep_end_date``; ``None`` when the episode had not ended when the data stop.
        states: Gleditsch–Ward codes on either side (primary and secondary).
    """

    conflict: int
    start: dt.date
    start_precision: int
    end: dt.date | None
    states: frozenset[int]


@dataclass(frozen=True)
class Round:
    """A past round of the Israel/US–Iran conflict (``episodes.yaml``).

    Attributes:
        id: its name.
        start: the first strike.
        calm: the first escalation entry at level 0 after the start.
    """

    id: str
    start: dt.date
    calm: dt.date

    @property
    def days(self) -> int:
        """Days from the first strike to calm."""
        return (self.calm - self.start).days


@dataclass(frozen=True)
class DisputeRule:
    """Which disputes are comparable: a rule that says itself in words.

    Attributes:
        name: the class's name in the results.
        first_year: disputes starting in or after this year.
        min_hostility: the lowest ``hostlev`` admitted (4: use of force, 5: war).
        min_fatality: the lowest ``fatality`` level admitted (1: at least one battle
            death); ``None``: any, missing included.
        p5_or_middle_east: at least one participant is a permanent member of the UN
            Security Council or a Middle East state.
    """

    name: str
    first_year: int = 1946
    min_hostility: int = 4
    min_fatality: int | None = 1
    p5_or_middle_east: bool = True

    def describe(self) -> str:
        """The rule in words, as applied by :meth:`reason_to_drop`."""
        parts = [f"disputes starting in {self.first_year} or later"]
        parts.append("that reached war (hostlev 5)" if self.min_hostility >= 5 else f"that reached a use of force or war (hostlev {self.min_hostility}-5)")
        if self.min_fatality is not None:
            parts.append(f"with fatality level {self.min_fatality} or more ({_FATALITY_WORDS.get(self.min_fatality, '?')})")
        if self.p5_or_middle_east:
            parts.append("with at least one participant that is a permanent member of the UN Security Council (CoW 2, 200, 220, 365, 710) or a Middle East state (CoW 600-698)")
        return ", ".join(parts)

    def reason_to_drop(self, dispute: Dispute) -> str | None:
        """Why a dispute is not in the class (``None``: it is)."""
        if dispute.start_year < self.first_year:
            return f"started before {self.first_year}"
        if dispute.start_year > AS_OF.year:
            return "starts after the as-of date"
        if dispute.hostility < self.min_hostility:
            return f"hostility below {self.min_hostility}"
        if self.min_fatality is not None:
            if dispute.fatality is None:
                return "fatality level missing"
            if dispute.fatality < self.min_fatality:
                return f"fatality level below {self.min_fatality}"
        if self.p5_or_middle_east and not any(s in P5 or s in MIDDLE_EAST for s in dispute.states):
            return "no permanent Security Council member or Middle East state"
        return None


_FATALITY_WORDS = {1: "at least one battle death", 2: "more than 25 battle deaths", 3: "more than 100", 4: "more than 250", 5: "more than 500", 6: "more than 999"}


@dataclass(frozen=True)
class ReferenceClass:
    """The episodes a fit rests on, with the rule that chose them.

    Attributes:
        name: its name in the results.
        source: the files it was read from.
        rule: the selection rule in words.
        durations: one per episode.
        dropped: how many rows each reason removed.
    """

    name: str
    source: str
    rule: str
    durations: tuple[Duration, ...]
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Episodes in the class."""
        return len(self.durations)

    @property
    def censored(self) -> int:
        """Episodes that had not ended when the data stop."""
        return sum(d.upper is None for d in self.durations)

    @property
    def inexact(self) -> int:
        """Ended episodes whose length is known only to within more than a day."""
        return sum(d.upper is not None and d.upper > d.lower for d in self.durations)

    def arrays(self, truncation: float = 0.0) -> tuple[np.ndarray, np.ndarray, int]:
        """The bounds ``(a, b]`` of the episodes known to have lasted more than
        ``truncation`` days, and how many others were left out (too short, or not
        surely longer)."""
        keep = [d for d in self.durations if d.lower > truncation]
        a = np.array([d.bounds[0] for d in keep], dtype=np.float64)
        b = np.array([d.bounds[1] for d in keep], dtype=np.float64)
        if truncation > 0:
            a = np.maximum(a, truncation)
        return a, b, len(self.durations) - len(keep)


@dataclass(frozen=True)
class DurationFit:
    """A duration distribution fitted by maximum likelihood.

    Attributes:
        family: ``lognormal``, ``weibull`` or ``exponential``.
        params: its parameters, in the order of ``FAMILIES[family]``.
        log_likelihood: at the maximum.
        n: episodes fitted.
        truncation: fitted to episodes that lasted more than this many days, with the
            likelihood conditioned on it (0: all).
    """

    family: str
    params: tuple[float, ...]
    log_likelihood: float
    n: int
    truncation: float = 0.0

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2 k - 2 log L``."""
        return 2 * len(self.params) - 2 * self.log_likelihood

    @property
    def named(self) -> dict[str, float]:
        """The parameters by name."""
        return dict(zip(FAMILIES[self.family], self.params, strict=True))


@dataclass(frozen=True)
class GoodnessOfFit:
    """Observed against expected episodes per duration bin.

    Interval-coded and censored episodes are shared out among the bins they may fall
    in, in proportion to the fitted distribution (so observed counts are fractional).
    The chi-square p-value uses ``bins - 1 - parameters`` degrees of freedom: a guide,
    not an exact test, since the counts are partly fitted.

    Attributes:
        edges: bin edges in days (bins ``(e_i, e_i+1]``).
        observed, expected: episodes per bin.
        chi2, df, p_value: Pearson's statistic and its p-value.
    """

    edges: tuple[float, ...]
    observed: tuple[float, ...]
    expected: tuple[float, ...]
    chi2: float
    df: int
    p_value: float


@dataclass(frozen=True)
class Recurrence:
    """How often a dispute or conflict between the same states resumed within a window.

    Attributes:
        window: days after the end.
        eligible: ended episodes whose window lies inside the data.
        recurred: of those, how many resumed within it.
        share, low, high: the proportion and its 90% Wilson interval.
        daily_hazard: the constant daily hazard that gives ``share`` within ``window``
            days, ``-log(1 - share) / window``.
    """

    window: int
    eligible: int
    recurred: int
    share: float
    low: float
    high: float
    daily_hazard: float


# --------------------------------------------------------------------------- reading


def file_facts(path: str | Path) -> dict[str, Any]:
    """A data file's sha256 and its number of data rows (lines after the header), for
    the provenance of a result.

    Example:
        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        ...     _ = f.write("a,b\\n1,2\\n3,4\\n")
        >>> file_facts(f.name)["rows"]
        2
        >>> os.unlink(f.name)
    """
    path = Path(path)
    data = path.read_bytes()
    lines = [line for line in data.splitlines() if line.strip()]
    return {"path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "rows": max(len(lines) - 1, 0)}


class _Table:
    """A CSV file read row by row, with every bad field collected as a Problem."""

    def __init__(self, path: Path, required: Sequence[str]) -> None:
        self.path = path
        self.where = str(path)
        self.problems: list[Problem] = []
        if not path.is_file():
            raise DataError(Problem("no such file (give the conflict folder of ../shared/data)", self.where))
        if path.stat().st_size > _MAX_BYTES:
            raise DataError(Problem(f"is {path.stat().st_size:,} bytes; at most {_MAX_BYTES:,} are read", self.where))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise DataError(Problem("is not UTF-8 text", self.where)) from None
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if header is None:
            raise DataError(Problem("is empty; a CSV with a header line was expected", self.where, 1))
        self.columns = [h.strip() for h in header]
        missing = [c for c in required if c not in self.columns]
        if missing:
            raise DataError(Problem(f"lacks the column(s) {', '.join(missing)} (has {', '.join(self.columns[:12])})", self.where, 1))
        self.rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if reader.line_num > _MAX_ROWS:
                raise DataError(Problem(f"has more than {_MAX_ROWS:,} rows", self.where, reader.line_num))
            if not row or not "".join(row).strip():
                continue
            if len(row) != len(self.columns):
                self.bad(reader.line_num, "", f"has {len(row)} fields; the header has {len(self.columns)}")
                continue
            self.rows.append((reader.line_num, dict(zip(self.columns, row, strict=True))))

    def bad(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(message, self.where, line, self.columns.index(column) + 1 if column in self.columns else None, column))

    def number(self, line: int, row: dict[str, str], column: str, *, missing_ok: bool = False) -> float | None:
        """A numeric field; ``None`` for an empty/NA one when ``missing_ok``."""
        text = row[column].strip()
        if text in ("", "NA", "nan", "NaN"):
            if missing_ok:
                return None
            self.bad(line, column, "is empty; a number was expected")
            return None
        try:
            value = float(text)
        except ValueError:
            self.bad(line, column, f"is not a number: {text[:40]!r}")
            return None
        if not math.isfinite(value):
            self.bad(line, column, f"is not a finite number: {text[:40]!r}")
            return None
        return value

    def integer(self, line: int, row: dict[str, str], column: str, *, missing_ok: bool = False) -> int | None:
        """A whole-number field (written ``12`` or ``12.0``)."""
        value = self.number(line, row, column, missing_ok=missing_ok)
        if value is None:
            return None
        if value != int(value):
            self.bad(line, column, f"is not a whole number: {row[column][:40]!r}")
            return None
        return int(value)

    def date(self, line: int, row: dict[str, str], column: str, *, missing_ok: bool = False) -> dt.date | None:
        """An ISO date field."""
        text = row[column].strip()
        if text in ("", "NA"):
            if not missing_ok:
                self.bad(line, column, "is empty; a date (YYYY-MM-DD) was expected")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.bad(line, column, f"is not a date (YYYY-MM-DD): {text[:40]!r}")
            return None

    def check(self) -> None:
        """Raise every problem found so far (at most the first 20)."""
        if self.problems:
            raise DataError(self.problems[:_MAX_PROBLEMS])


def _day(year: int, month: int, day: int, *, last: bool) -> dt.date:
    """A date whose day may be missing (-9): the first or last of the month then."""
    if day < 1:
        day = calendar.monthrange(year, month)[1] if last else 1
    return dt.date(year, month, day)


def read_gml(folder: str | Path) -> tuple[Dispute, ...]:
    """Read the GML MID 2.2.1 disputes (``gml_mid_disps.csv``), their participants'
    dates and sides (``gml_part.csv``) and which were still going in 2010
    (``gml_dirdisp.csv``, ``ongo2010``).

    Raises:
        DataError: a file is missing or too large, lacks a column, or a field is not
            what it should be (each with its file, line and column).
    """
    folder = Path(folder)
    disps = _Table(folder / "gml_mid_disps.csv", ("dispnum", "styear", "fatality", "mindur", "maxdur", "hostlev", "recip"))
    parts = _Table(folder / "gml_part.csv", ("dispnum", "ccode", "styear", "stmon", "stday", "endyear", "endmon", "endday", "sidea"))
    dyads = _Table(folder / "gml_dirdisp.csv", ("dispnum", "ongo2010"))
    ongoing: set[int] = set()
    for line, row in dyads.rows:
        number, flag = dyads.integer(line, row, "dispnum"), dyads.integer(line, row, "ongo2010", missing_ok=True)
        if number is not None and flag == 1:
            ongoing.add(number)
    dyads.check()
    participations: dict[int, list[Participation]] = {}
    for line, row in parts.rows:
        values = {c: parts.integer(line, row, c) for c in ("dispnum", "ccode", "styear", "stmon", "stday", "endyear", "endmon", "endday", "sidea")}
        if any(v is None for v in values.values()):
            continue
        v: dict[str, int] = values  # type: ignore[assignment]
        try:
            start = _day(v["styear"], v["stmon"], v["stday"], last=False)
            end = _day(v["endyear"], v["endmon"], v["endday"], last=True)
        except ValueError as exc:
            parts.bad(line, "stmon", f"is not a valid date: {exc}")
            continue
        if end < start:
            parts.bad(line, "endyear", f"ends ({end}) before it starts ({start})")
            continue
        participations.setdefault(v["dispnum"], []).append(Participation(v["ccode"], v["sidea"] == 1, start, end))
    parts.check()
    out: list[Dispute] = []
    for line, row in disps.rows:
        fields = _dispute_fields(disps, line, row)
        if fields is None:
            continue
        number, styear, hostlev, fatality, mindur, maxdur = fields
        ps = tuple(participations.get(number, ()))
        if not ps:
            disps.bad(line, "dispnum", f"dispute {number} has no participants in gml_part.csv")
            continue
        recip = disps.integer(line, row, "recip", missing_ok=True)
        out.append(Dispute(
            "gml", number, styear, hostlev, None if fatality is None or fatality < 0 else fatality, mindur, maxdur,
            number in ongoing, frozenset(p.state for p in ps if p.side_a), frozenset(p.state for p in ps if not p.side_a), ps,
            None if recip is None or recip < 0 else recip == 1,
        ))  # fmt: skip
    disps.check()
    return tuple(out)


@dataclass(frozen=True)
class Rivalry:
    """A strategic rivalry (Thompson, Sakuwa and Suhas, ``tss_rivalries``): two states
    that saw each other as competitors and enemies, in the years ``start..end``."""

    name: str
    states: frozenset[int]
    start: int
    end: int

    def between(self, side_a: frozenset[int], side_b: frozenset[int], year: int) -> bool:
        """The rivals stood on opposite sides of a dispute begun in ``year``.

        Example:
            >>> r = Rivalry("Iran-Israel", frozenset({630, 666}), 1979, 2020)
            >>> r.between(frozenset({666}), frozenset({630, 2}), 2010), r.between(frozenset({666, 630}), frozenset({2}), 2010)
            (True, False)
        """
        if not self.start <= year <= self.end:
            return False
        return any(a in self.states and b in self.states and a != b for a in side_a for b in side_b)


def read_rivalries(folder: str | Path) -> tuple[Rivalry, ...]:
    """The strategic rivalries of ``tss_rivalries.csv``.

    Raises:
        DataError: the file is missing or too large, lacks a column, or a field is not
            what it should be (each with its file, line and column).
    """
    table = _Table(Path(folder) / "tss_rivalries.csv", ("rivalry", "ccode1", "ccode2", "start", "end"))
    out: list[Rivalry] = []
    for line, row in table.rows:
        values = [table.integer(line, row, c) for c in ("ccode1", "ccode2", "start", "end")]
        if any(v is None for v in values):
            continue
        a, b, start, end = values  # type: ignore[misc]
        if end < start:
            table.bad(line, "end", f"ends ({end}) before it starts ({start})")
            continue
        out.append(Rivalry(row["rivalry"].strip(), frozenset({a, b}), start, end))
    table.check()
    return tuple(out)


def _dispute_fields(disps: _Table, line: int, row: dict[str, str], *, zero_is_one: bool = False) -> tuple[int, int, int, int | None, int, int] | None:
    """A dispute row's number, start year, hostility level, fatality level (None when
    missing) and least and most duration in days; None when a field is missing or the
    durations are impossible (said through ``disps.bad``). ``zero_is_one``: a least
    duration of 0 is read as 1 day."""
    number = disps.integer(line, row, "dispnum")
    styear = disps.integer(line, row, "styear")
    hostlev = disps.integer(line, row, "hostlev")
    fatality = disps.integer(line, row, "fatality", missing_ok=True)
    mindur = disps.integer(line, row, "mindur")
    maxdur = disps.integer(line, row, "maxdur")
    if number is None or styear is None or hostlev is None or mindur is None or maxdur is None:
        return None
    if zero_is_one and mindur == 0 and maxdur >= 1:
        mindur = 1
    if mindur < 1 or maxdur < mindur:
        disps.bad(line, "maxdur", f"mindur {mindur} and maxdur {maxdur}: need 1 <= mindur <= maxdur")
        return None
    return number, styear, hostlev, fatality, mindur, maxdur


def read_mid5(folder: str | Path) -> tuple[Dispute, ...]:
    """Read the CoW-MID 5.0 disputes (``cow_mid_disps.csv``) and their sides
    (``cow_mid_dirdisps.csv``). No participant dates: these serve durations only.

    Raises:
        DataError: as :func:`read_gml`.
    """
    folder = Path(folder)
    disps = _Table(folder / "cow_mid_disps.csv", ("dispnum", "styear", "fatality", "mindur", "maxdur", "hostlev"))
    dyads = _Table(folder / "cow_mid_dirdisps.csv", ("dispnum", "ccode1", "ccode2", "sidea1", "sidea2"))
    sides: dict[int, tuple[set[int], set[int]]] = {}
    for line, row in dyads.rows:
        values = [dyads.integer(line, row, c) for c in ("dispnum", "ccode1", "ccode2", "sidea1", "sidea2")]
        if any(v is None for v in values):
            continue
        number, c1, c2, a1, a2 = values  # type: ignore[misc]
        a, b = sides.setdefault(number, (set(), set()))
        (a if a1 == 1 else b).add(c1)
        (a if a2 == 1 else b).add(c2)
    dyads.check()
    out: list[Dispute] = []
    for line, row in disps.rows:
        # one dispute (4659) has mindur 0 where its start day is missing: it lasted at least a day
        fields = _dispute_fields(disps, line, row, zero_is_one=True)
        if fields is None:
            continue
        number, styear, hostlev, fatality, mindur, maxdur = fields
        a, b = sides.get(number, (set(), set()))
        out.append(Dispute("mid5", number, styear, hostlev, None if fatality is None or fatality < 0 else fatality, mindur, maxdur, False, frozenset(a), frozenset(b)))
    disps.check()
    return tuple(out)


def read_cow_wars(folder: str | Path) -> tuple[War, ...]:
    """Read the CoW inter-state wars from their dyad-years (``cow_war_inter.csv``).

    Raises:
        DataError: as :func:`read_gml`.
    """
    table = _Table(Path(folder) / "cow_war_inter.csv", ("warnum", "ccode1", "ccode2", "year"))
    years: dict[int, list[int]] = {}
    states: dict[int, set[int]] = {}
    for line, row in table.rows:
        values = [table.integer(line, row, c) for c in ("warnum", "ccode1", "ccode2", "year")]
        if any(v is None for v in values):
            continue
        number, c1, c2, year = values  # type: ignore[misc]
        years.setdefault(number, []).append(year)
        states.setdefault(number, set()).update((c1, c2))
    table.check()
    return tuple(War(n, min(ys), max(ys), frozenset(states[n])) for n, ys in sorted(years.items()))


def read_ucdp_interstate(folder: str | Path) -> tuple[tuple[ConflictEpisode, ...], dt.date]:
    """Read the interstate episodes of the UCDP/PRIO armed conflicts (``ucdp_acd.csv``,
    ``type_of_conflict == interstate``) and the last day the file covers (31 December
    of its last year, any conflict type).

    Raises:
        DataError: as :func:`read_gml`.
    """
    table = _Table(Path(folder) / "ucdp_acd.csv", ("conflict_id", "year", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "type_of_conflict", "start_date2", "start_prec2", "ep_end", "ep_end_date"))
    episodes: dict[tuple[int, dt.date], dict[str, Any]] = {}
    last_year = 0
    for line, row in table.rows:
        year = table.integer(line, row, "year")
        if year is not None:
            last_year = max(last_year, year)
        if row["type_of_conflict"].strip() != "interstate":
            continue
        conflict = table.integer(line, row, "conflict_id")
        start = table.date(line, row, "start_date2")
        precision = table.integer(line, row, "start_prec2")
        ended = table.integer(line, row, "ep_end", missing_ok=True)
        end = table.date(line, row, "ep_end_date", missing_ok=True)
        codes = [table.integer(line, row, c, missing_ok=True) for c in ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd")]
        if None in (conflict, start, precision, year):
            continue
        assert conflict is not None and start is not None and precision is not None
        if ended == 1 and end is None:
            table.bad(line, "ep_end_date", "is empty although ep_end is 1")
            continue
        entry = episodes.setdefault((conflict, start), {"precision": precision, "end": None, "states": set()})
        entry["states"].update(c for c in codes if c is not None)
        if ended == 1 and end is not None:
            entry["end"] = end if entry["end"] is None else max(entry["end"], end)
    table.check()
    if last_year == 0:
        raise DataError(Problem("holds no rows", str(Path(folder) / "ucdp_acd.csv")))
    out = tuple(
        ConflictEpisode(conflict, start, e["precision"], e["end"], frozenset(e["states"]))
        for (conflict, start), e in sorted(episodes.items())
    )
    return out, dt.date(last_year, 12, 31)


def read_rounds(path: str | Path, *, as_of: dt.date = AS_OF) -> tuple[Round, ...]:
    """The past rounds in ``episodes.yaml`` that started on or before ``as_of``, each
    with its first calm day (its first escalation entry at level 0).

    Raises:
        DataError: the file cannot be read (:func:`realpolitik.validation.read_episodes`),
            or a round has no calm entry.
    """
    from realpolitik.validation.history import read_episodes

    out = []
    problems = []
    for episode in read_episodes(path):
        if episode.start > as_of:
            continue
        calm = [when for when, level in episode.escalation_path if level == 0 and when > episode.start]
        if not calm:
            problems.append(Problem(f"round {episode.id!r} has no calm entry (level 0) after its start", str(path), path=f"episodes.{episode.id}"))
            continue
        out.append(Round(episode.id, episode.start, calm[0]))
    if problems:
        raise DataError(problems)
    return tuple(out)


# --------------------------------------------------------------------------- selection


def select_disputes(disputes: Iterable[Dispute], rule: DisputeRule, *, source: str = "") -> ReferenceClass:
    """The disputes a rule admits, as durations (``mindur`` to ``maxdur`` days; a
    dispute still going when the data stop is censored at ``mindur``).

    Example:
        >>> d = Dispute("gml", 1, 1990, 4, 1, 10, 12, False, frozenset({630}), frozenset({645}))
        >>> c = select_disputes([d], DisputeRule("x"))
        >>> c.n, c.durations[0].lower, c.durations[0].upper
        (1, 10, 12)
    """
    kept: list[Duration] = []
    dropped: dict[str, int] = {}
    for d in disputes:
        reason = rule.reason_to_drop(d)
        if reason is not None:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        kept.append(Duration(f"{d.source}:{d.number}", d.min_days, None if d.ongoing else d.max_days, d.start))
    return ReferenceClass(rule.name, source, rule.describe(), tuple(kept), dropped)


def war_class(wars: Iterable[War], *, name: str = "cow_wars", first_year: int = 1946, source: str = "") -> ReferenceClass:
    """CoW inter-state wars that started in or after ``first_year``, as durations known
    to the year: a war fought in years ``y0..y1`` lasted between the days from
    31 December of ``y0`` to 1 January of ``y1`` and those from 1 January of ``y0`` to
    31 December of ``y1`` (1 to 365 days within one year).

    Example:
        >>> war_class([War(1, 1967, 1967, frozenset())]).durations[0].upper
        365
    """
    kept, dropped = [], {}
    for w in wars:
        if w.first_year < first_year or w.first_year > AS_OF.year:
            dropped[f"started before {first_year}"] = dropped.get(f"started before {first_year}", 0) + 1
            continue
        if w.first_year == w.last_year:
            lower = 1
        else:
            lower = (dt.date(w.last_year, 1, 1) - dt.date(w.first_year, 12, 31)).days + 1
        upper = (dt.date(w.last_year, 12, 31) - dt.date(w.first_year, 1, 1)).days + 1
        kept.append(Duration(f"cow_war:{w.number}", lower, upper))
    rule = f"CoW inter-state wars (at least 1,000 battle deaths) starting in {first_year} or later; known to the year only, so each is an interval of days"
    return ReferenceClass(name, source, rule, tuple(kept), dropped)


def ucdp_class(episodes: Iterable[ConflictEpisode], data_end: dt.date, *, name: str = "ucdp_interstate", source: str = "") -> ReferenceClass:
    """UCDP interstate episodes whose first day is known to the day (``start_prec2 == 1``),
    from ``start_date2`` to ``ep_end_date``; an episode not ended by the data's end is
    censored there.

    Example:
        >>> e = ConflictEpisode(1, dt.date(2003, 3, 20), 1, dt.date(2003, 4, 30), frozenset({2, 645}))
        >>> ucdp_class([e], dt.date(2019, 12, 31)).durations[0].lower
        42
    """
    end_of_data = min(data_end, AS_OF)
    kept, dropped = [], {}
    for e in episodes:
        if e.start_precision != 1:
            dropped["first day not known to the day (start_prec2 > 1)"] = dropped.get("first day not known to the day (start_prec2 > 1)", 0) + 1
            continue
        if e.start > end_of_data:
            dropped["starts after the as-of date"] = dropped.get("starts after the as-of date", 0) + 1
            continue
        if e.end is None or e.end > end_of_data:
            kept.append(Duration(f"ucdp:{e.conflict}:{e.start}", (end_of_data - e.start).days + 1, None, e.start))
        else:
            kept.append(Duration(f"ucdp:{e.conflict}:{e.start}", (e.end - e.start).days + 1, (e.end - e.start).days + 1, e.start))
    rule = (
        "UCDP/PRIO interstate armed-conflict episodes (consecutive years with 25 or more battle deaths) whose first battle death "
        f"is dated to the day (start_prec2 = 1), start_date2 to ep_end_date; not ended by {end_of_data}: censored"
    )
    return ReferenceClass(name, source, rule, tuple(kept), dropped)


def round_class(rounds: Iterable[Round], *, source: str = "") -> ReferenceClass:
    """The past rounds as exact durations, first strike to calm.

    Example:
        >>> round_class([Round("jun-2025", dt.date(2025, 6, 13), dt.date(2025, 6, 24))]).durations[0].lower
        11
    """
    durations = tuple(Duration(r.id, r.days, r.days, r.start) for r in rounds)
    return ReferenceClass("rounds", source, "the past rounds of episodes.yaml: days from the first strike to the first calm entry (level 0)", durations)


# --------------------------------------------------------------------------- distributions


def _log_diff(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log(exp(x) - exp(y))`` for ``x >= y``, stably."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return x + np.log(-np.expm1(y - x))


def log_survival(family: str, params: Sequence[float], t: np.ndarray | float) -> np.ndarray:
    """``log P(T > t)`` under a fitted family (``t >= 0``; 0 at ``t = 0``).

    Example:
        >>> float(np.exp(log_survival("exponential", [0.1], 10.0)))  # e^-1
        0.36787944117144233
    """
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(divide="ignore"):
        if family == "lognormal":
            mu, sigma = params
            z = (np.log(t) - mu) / sigma
            return special.log_ndtr(-z)
        if family == "weibull":
            shape, scale = params
            return -((t / scale) ** shape)
        if family == "exponential":
            return -params[0] * t
    raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")


def _log_interval(family: str, params: Sequence[float], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log P(a < T <= b)`` (``b`` may be infinite), and ``log f(a)`` where ``a == b``."""
    exact = a == b
    out = np.empty_like(a)
    if family == "lognormal":
        mu, sigma = params
        with np.errstate(divide="ignore"):
            za = (np.log(a) - mu) / sigma
            zb = (np.log(b) - mu) / sigma
        upper = za > 0  # both in the upper tail: use survival functions
        out = np.where(upper, _log_diff(special.log_ndtr(-za), special.log_ndtr(-zb)), _log_diff(special.log_ndtr(zb), special.log_ndtr(za)))
        if exact.any():
            te = a[exact]
            z = (np.log(te) - mu) / sigma
            out[exact] = -np.log(te) - math.log(sigma) - 0.5 * math.log(2 * math.pi) - 0.5 * z * z
        return out
    if family in ("weibull", "exponential"):
        shape, scale = (params[0], params[1]) if family == "weibull" else (1.0, 1.0 / params[0])
        ha = (a / scale) ** shape
        with np.errstate(over="ignore"):
            hb = np.where(np.isinf(b), np.inf, (b / scale) ** shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = -ha + np.log(-np.expm1(-(hb - ha)))
        if exact.any():
            te = a[exact]
            out[exact] = math.log(shape) - math.log(scale) + (shape - 1) * np.log(te / scale) - (te / scale) ** shape
        return out
    raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")


def _natural(family: str, theta: np.ndarray) -> tuple[float, ...]:
    """Parameters from the unconstrained ones the optimiser moves."""
    if family == "lognormal":
        return float(theta[0]), float(math.exp(theta[1]))
    if family == "weibull":
        return float(math.exp(theta[0])), float(math.exp(theta[1]))
    return (float(math.exp(theta[0])),)


def _unconstrained(family: str, params: Sequence[float]) -> np.ndarray:
    if family == "lognormal":
        return np.array([params[0], math.log(params[1])])
    if family == "weibull":
        return np.array([math.log(params[0]), math.log(params[1])])
    return np.array([math.log(params[0])])


def _start(family: str, a: np.ndarray, b: np.ndarray) -> tuple[float, ...]:
    """Moment guesses from the episodes' midpoints (censored ones at their bound)."""
    mid = np.where(np.isinf(b), a + 1.0, np.where(a == b, a, (a + b) / 2))
    logs = np.log(np.maximum(mid, 0.5))
    m, s = float(logs.mean()), float(logs.std()) or 1.0
    if family == "lognormal":
        return m, s
    if family == "weibull":
        shape = min(max(1.28 / s, 0.1), 10.0)
        return shape, math.exp(m + 0.5772 / shape)
    return (1.0 / float(np.mean(mid)),)


def _negative_log_likelihood(family: str, a: np.ndarray, b: np.ndarray, truncation: float) -> Callable[[np.ndarray], float]:
    def nll(theta: np.ndarray) -> float:
        params = _natural(family, theta)
        ll = _log_interval(family, params, a, b)
        total = float(ll.sum())
        if truncation > 0:
            total -= len(a) * float(log_survival(family, params, truncation))
        return -total if math.isfinite(total) else 1e300

    return nll


def fit_durations(
    lower: Sequence[float] | np.ndarray,
    upper: Sequence[float] | np.ndarray,
    family: str,
    *,
    truncation: float = 0.0,
    start: Sequence[float] | None = None,
) -> DurationFit:
    """Fit a duration family by maximum likelihood to episodes known to lie in
    ``lower < T <= upper`` (``upper`` infinite: censored; ``lower == upper``: exactly
    known, the density counts).

    With ``truncation > 0`` the episodes are those that lasted more than
    ``truncation`` days and the likelihood is conditioned on it (each term divided
    by ``P(T > truncation)``); every ``lower`` must then be at least ``truncation``.

    Raises:
        ValueError: an unknown family, no episodes, bounds out of order, or the
            optimiser did not converge.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> t = rng.lognormal(3.0, 1.0, 4000)
        >>> fit = fit_durations(t, t, "lognormal")
        >>> [round(p, 1) for p in fit.params]
        [3.0, 1.0]
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    a = np.asarray(lower, dtype=np.float64)
    b = np.asarray(upper, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or len(a) == 0:
        raise ValueError("fit_durations needs two equally long, non-empty 1-d arrays of bounds")
    if np.any(a < 0) or np.any(b < a) or np.any(np.isnan(a)) or np.any(np.isnan(b)):
        raise ValueError("every episode needs 0 <= lower <= upper")
    if np.any((a == b) & (a <= 0)):
        raise ValueError("an exactly known duration must be positive")
    if truncation > 0 and np.any(a < truncation):
        raise ValueError(f"with truncation {truncation}, every lower bound must be at least {truncation}")
    nll = _negative_log_likelihood(family, a, b, truncation)
    theta0 = _unconstrained(family, start if start is not None else _start(family, a, b))
    best = optimize.minimize(nll, theta0, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 5_000, "maxfev": 10_000})
    polish = optimize.minimize(nll, best.x, method="BFGS", options={"gtol": 1e-8})
    if polish.success and polish.fun <= best.fun:
        best = polish
    if not math.isfinite(best.fun) or best.fun >= 1e299:
        raise ValueError(f"the {family} fit did not converge ({best.message})")
    return DurationFit(family, _natural(family, best.x), float(-best.fun), len(a), float(truncation))


def fit_class(reference: ReferenceClass, family: str, *, truncation: float = 0.0) -> DurationFit:
    """:func:`fit_durations` on a reference class (its episodes that lasted more than
    ``truncation`` days)."""
    a, b, _ = reference.arrays(truncation)
    return fit_durations(a, b, family, truncation=truncation)


def daily_hazard(family: str, params: Sequence[float], day: np.ndarray | float) -> np.ndarray:
    """The chance that an episode that has lasted ``day`` days ends on the next,
    ``1 - S(day + 1) / S(day)``.

    Example:
        >>> round(float(daily_hazard("exponential", [0.05], 30)), 6) == round(1 - math.exp(-0.05), 6)
        True
    """
    day = np.asarray(day, dtype=np.float64)
    return -np.expm1(log_survival(family, params, day + 1) - log_survival(family, params, day))


def ended_by(family: str, params: Sequence[float], day: np.ndarray | float, *, truncation: float = 0.0) -> np.ndarray:
    """``P(T <= day | T > truncation)``: the chance an episode has ended by ``day``,
    given that it lasted more than ``truncation`` days.

    Example:
        >>> round(float(ended_by("exponential", [0.1], 20, truncation=10)), 4)  # memoryless
        0.6321
    """
    day = np.asarray(day, dtype=np.float64)
    return -np.expm1(log_survival(family, params, day) - log_survival(family, params, truncation))


def goodness_of_fit(a: np.ndarray, b: np.ndarray, fit: DurationFit, *, edges: Sequence[float] = GOF_EDGES) -> GoodnessOfFit:
    """Observed against expected episodes per duration bin (see :class:`GoodnessOfFit`).

    Bins below the fit's truncation are dropped.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> t = np.ceil(rng.exponential(30, 2000))
        >>> fit = fit_durations(t - 1, t, "exponential")
        >>> goodness_of_fit(t - 1, t, fit).p_value > 0.01
        True
    """
    e = np.array([x for x in edges if x >= fit.truncation], dtype=np.float64)
    if fit.truncation > 0 and e[0] > fit.truncation:
        e = np.concatenate([[fit.truncation], e])
    log_s = lambda t: log_survival(fit.family, fit.params, t)  # noqa: E731
    s_edges = np.exp(log_s(e))
    expected = len(a) * (s_edges[:-1] - s_edges[1:]) / float(np.exp(log_s(fit.truncation)))
    observed = np.zeros(len(e) - 1)
    for lo, hi in zip(a, b, strict=True):
        if lo == hi:
            j = int(np.clip(np.searchsorted(e, lo, side="left") - 1, 0, len(observed) - 1))
            observed[j] += 1
            continue
        lo_c = np.clip(e[:-1], lo, hi)
        hi_c = np.clip(e[1:], lo, hi)
        mass = np.maximum(np.exp(log_s(lo_c)) - np.exp(log_s(hi_c)), 0.0)
        total = mass.sum()
        if total > 0:
            observed += mass / total
        else:  # beyond the fit's reach in floating point: the bin the lower bound is in
            observed[int(np.clip(np.searchsorted(e, lo, side="right") - 1, 0, len(observed) - 1))] += 1
    chi2 = float(np.sum((observed - expected) ** 2 / np.maximum(expected, 1e-12)))
    df = max(len(observed) - 1 - len(fit.params), 1)
    return GoodnessOfFit(tuple(float(x) for x in e), tuple(observed.tolist()), tuple(expected.tolist()), chi2, df, float(stats.chi2.sf(chi2, df)))


def bootstrap_params(
    a: np.ndarray, b: np.ndarray, fit: DurationFit, *, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """Refit on ``replicates`` resamples of the episodes (with replacement); one row of
    parameters per resample, started from ``fit``.

    Example:
        >>> t = np.random.default_rng(0).exponential(10, 300)
        >>> fit = fit_durations(t, t, "exponential")
        >>> bootstrap_params(t, t, fit, replicates=20, rng=np.random.default_rng(1)).shape
        (20, 1)
    """
    n = len(a)
    out = np.empty((replicates, len(fit.params)))
    for r in range(replicates):
        i = rng.integers(0, n, n)
        out[r] = fit_durations(a[i], b[i], fit.family, truncation=fit.truncation, start=fit.params).params
    return out


def exponential_rate(total_days: float, events: int, *, level: float = 0.90) -> tuple[float, float, float]:
    """The rate of a flat hazard from ``events`` ends in ``total_days`` of exposure, and
    its exact interval (``2 * total_days * rate`` is chi-square with ``2 * events``
    degrees of freedom).

    Example:
        >>> [round(x, 4) for x in exponential_rate(59, 3)]   # the three rounds: 21 + 27 + 11 days
        [0.0508, 0.0139, 0.1067]
    """
    if events <= 0 or total_days <= 0:
        raise ValueError("a rate needs at least one event and a positive exposure")
    tail = (1 - level) / 2
    return events / total_days, float(stats.chi2.ppf(tail, 2 * events)) / (2 * total_days), float(stats.chi2.ppf(1 - tail, 2 * events)) / (2 * total_days)


def wilson_interval(k: int, n: int, *, level: float = 0.90) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``k / n``.

    Example:
        >>> [round(x, 3) for x in wilson_interval(0, 3)]
        [0.0, 0.474]
    """
    if n == 0:
        return 0.0, 1.0
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _recurrence(gaps: Sequence[float | None], ends: Sequence[dt.date], data_end: dt.date, windows: Sequence[int]) -> tuple[Recurrence, ...]:
    """Recurrence within each window from each episode's gap to the next (``None``: none
    seen) and its end; an episode counts for a window only if the window ends by ``data_end``."""
    out = []
    for w in windows:
        eligible = [g for g, e in zip(gaps, ends, strict=True) if e + dt.timedelta(days=w) <= data_end]
        k = sum(g is not None and g <= w for g in eligible)
        n = len(eligible)
        share = k / n if n else float("nan")
        low, high = wilson_interval(k, n)
        hazard = -math.log1p(-share) / w if n and share < 1 else float("nan")
        out.append(Recurrence(w, n, k, share, low, high, hazard))
    return tuple(out)


def dispute_recurrence(
    reference: ReferenceClass,
    disputes: Sequence[Dispute],
    *,
    data_end: dt.date,
    min_hostility: int = 4,
    windows: Sequence[int] = RECURRENCE_WINDOWS,
) -> tuple[Recurrence, ...]:
    """How often a dispute of the class was followed, within each window after it
    ended, by another dispute with a hostility level of at least ``min_hostility``
    between two of its states that had been on opposite sides (again on opposite sides).

    A pair's part in a dispute runs from the later of their two first days to the
    earlier of their two last days; the gap is from that end to the pair's start in
    a later dispute (0 or more days; disputes starting before the end are overlaps, not
    resumptions). A dispute's gap is the shortest over its pairs. Disputes still going
    when the data stop are left out, and so are those whose window runs past ``data_end``.

    Example:
        >>> p = lambda s, a, d0, d1: Participation(s, a, dt.date(*d0), dt.date(*d1))
        >>> first = Dispute("gml", 1, 2000, 4, 1, 10, 10, False, frozenset({1}), frozenset({2}),
        ...                 (p(1, True, (2000, 1, 1), (2000, 1, 10)), p(2, False, (2000, 1, 1), (2000, 1, 10))))
        >>> second = Dispute("gml", 2, 2000, 4, 0, 1, 1, False, frozenset({2}), frozenset({1}),
        ...                  (p(2, True, (2000, 3, 1), (2000, 3, 1)), p(1, False, (2000, 3, 1), (2000, 3, 1))))
        >>> c = select_disputes([first], DisputeRule("x", first_year=1990, p5_or_middle_east=False))
        >>> [(r.window, r.recurred, r.eligible) for r in dispute_recurrence(c, [first, second], data_end=dt.date(2010, 12, 31))]
        [(30, 0, 1), (90, 1, 1), (365, 1, 1)]
    """
    by_key = {f"{d.source}:{d.number}": d for d in disputes}
    pair_starts: dict[frozenset[int], list[tuple[dt.date, int]]] = {}
    for d in disputes:
        if d.hostility < min_hostility:
            continue
        parts = {p.state: p for p in d.participations}
        for s in d.side_a:
            for t in d.side_b:
                if s in parts and t in parts:
                    pair_starts.setdefault(frozenset((s, t)), []).append((max(parts[s].start, parts[t].start), d.number))
    gaps: list[float | None] = []
    ends: list[dt.date] = []
    for dur in reference.durations:
        d = by_key.get(dur.episode)
        if d is None or d.ongoing or not d.participations:
            continue
        parts = {p.state: p for p in d.participations}
        best: float | None = None
        for s in d.side_a:
            for t in d.side_b:
                if s not in parts or t not in parts:
                    continue
                end = min(parts[s].end, parts[t].end)
                for start, number in pair_starts.get(frozenset((s, t)), ()):
                    if number != d.number and start >= end:
                        gap = (start - end).days
                        best = gap if best is None else min(best, gap)
        gaps.append(best)
        ends.append(d.end)  # type: ignore[arg-type]
    return _recurrence(gaps, ends, data_end, windows)


def episode_recurrence(
    episodes: Sequence[ConflictEpisode], data_end: dt.date, *, windows: Sequence[int] = (*RECURRENCE_WINDOWS, 1825)
) -> tuple[Recurrence, ...]:
    """How often an ended UCDP interstate episode was followed by a new episode of the
    same conflict within each window (gap from ``ep_end_date`` to the next
    ``start_date2``).

    By UCDP's definition a new episode needs a calendar year with fewer than 25 battle
    deaths in between, so gaps under a year are rare by construction.

    Example:
        >>> e1 = ConflictEpisode(7, dt.date(1990, 1, 1), 1, dt.date(1990, 6, 1), frozenset())
        >>> e2 = ConflictEpisode(7, dt.date(1992, 1, 1), 1, dt.date(1992, 2, 1), frozenset())
        >>> [(r.window, r.recurred, r.eligible) for r in episode_recurrence([e1, e2], dt.date(2000, 12, 31), windows=(365, 1825))]
        [(365, 0, 2), (1825, 1, 2)]
    """
    end_of_data = min(data_end, AS_OF)
    by_conflict: dict[int, list[ConflictEpisode]] = {}
    for e in episodes:
        by_conflict.setdefault(e.conflict, []).append(e)
    gaps: list[float | None] = []
    ends: list[dt.date] = []
    for e in episodes:
        if e.end is None or e.end > end_of_data:
            continue
        later = [x.start for x in by_conflict[e.conflict] if x.start > e.end and x.start <= end_of_data]
        gaps.append((min(later) - e.end).days if later else None)
        ends.append(e.end)
    return _recurrence(gaps, ends, end_of_data, windows)


# --------------------------------------------------------------------------- the whole reference


def _rounded(x: float, digits: int = 6) -> float | None:
    """A float for JSON: ``digits`` significant digits; ``None`` for NaN/inf."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def _interval(samples: np.ndarray) -> list[float | None]:
    return [_rounded(float(np.nanpercentile(samples, 5))), _rounded(float(np.nanpercentile(samples, 95)))]


def bootstrap_stream(seed: int, name: str, truncation: float, family: str) -> np.random.Generator:
    """The random stream of one bootstrap (a class, a truncation, a family): each has
    its own, so that any one can be recomputed alone.

    Example:
        >>> a = bootstrap_stream(0, "gml_fatal_force", 8.0, "weibull").integers(0, 100, 3)
        >>> b = bootstrap_stream(0, "gml_fatal_force", 8.0, "weibull").integers(0, 100, 3)
        >>> bool((a == b).all())
        True
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode()), int(round(truncation * 1000)), list(FAMILIES).index(family)])


def _analyse(
    reference: ReferenceClass,
    *,
    truncation: float,
    replicates: int,
    seed: int,
    rounds: Sequence[Round],
    hazard_days: Sequence[int] = HAZARD_DAYS,
    ended_days: Sequence[int] = ENDED_BY_DAYS,
) -> dict[str, Any]:
    """Fit every family to a class, compare them, and table hazards and P(ended by d)
    with bootstrap intervals."""
    a, b, left_out = reference.arrays(truncation)
    hazard_days = [d for d in hazard_days if d >= truncation] if truncation <= 0 else sorted({int(truncation), *[d for d in hazard_days if d > truncation]})
    ended_days = [d for d in ended_days if d > truncation]
    round_days = [r.days for r in rounds if r.days > truncation]
    fits: dict[str, Any] = {}
    for family in FAMILIES:
        fit = fit_durations(a, b, family, truncation=truncation)
        gof = goodness_of_fit(a, b, fit)
        rng = bootstrap_stream(seed, reference.name, truncation, family)
        boot = bootstrap_params(a, b, fit, replicates=replicates, rng=rng) if replicates > 0 else np.empty((0, len(fit.params)))
        hazard_point = daily_hazard(family, fit.params, np.array(hazard_days, dtype=float))
        ended_point = ended_by(family, fit.params, np.array(ended_days, dtype=float), truncation=truncation)
        rounds_point = ended_by(family, fit.params, np.array(round_days, dtype=float), truncation=truncation)
        entry: dict[str, Any] = {
            "params": {k: _rounded(v) for k, v in fit.named.items()},
            "log_likelihood": _rounded(fit.log_likelihood, 8),
            "aic": _rounded(fit.aic, 8),
            "median_days": _rounded(_median(family, fit.params, truncation)),
            "goodness_of_fit": {
                "bins_days": [[_rounded(lo), _rounded(hi)] for lo, hi in zip(gof.edges[:-1], gof.edges[1:], strict=True)],
                "observed": [_rounded(x, 4) for x in gof.observed],
                "expected": [_rounded(x, 4) for x in gof.expected],
                "chi2": _rounded(gof.chi2, 5),
                "df": gof.df,
                "p_value": _rounded(gof.p_value, 4),
            },
            "hazard": [{"day": d, "daily_hazard": _rounded(float(h))} for d, h in zip(hazard_days, hazard_point, strict=True)],
            "ended_by": [{"day": d, "p": _rounded(float(p))} for d, p in zip(ended_days, ended_point, strict=True)],
            "rounds": [{"days": d, "p_ended_by": _rounded(float(p))} for d, p in zip(round_days, rounds_point, strict=True)],
        }
        if replicates > 0:
            entry["params_90"] = {k: _interval(boot[:, i]) for i, k in enumerate(FAMILIES[family])}
            hz = np.array([daily_hazard(family, p, np.array(hazard_days, dtype=float)) for p in boot])
            eb = np.array([ended_by(family, p, np.array(ended_days, dtype=float), truncation=truncation) for p in boot])
            rb = np.array([ended_by(family, p, np.array(round_days, dtype=float), truncation=truncation) for p in boot]) if round_days else np.empty((len(boot), 0))
            for i, row in enumerate(entry["hazard"]):
                row["interval_90"] = _interval(hz[:, i])
            for i, row in enumerate(entry["ended_by"]):
                row["interval_90"] = _interval(eb[:, i])
            for i, row in enumerate(entry["rounds"]):
                row["interval_90"] = _interval(rb[:, i])
        fits[family] = entry
    best = min(fits, key=lambda f: fits[f]["aic"])
    return {
        "truncation_days": truncation,
        "n": len(a),
        "left_out_not_surely_longer": left_out,
        "censored": int(np.isinf(b).sum()),
        "inexact": int(((b > a + 1) & np.isfinite(b)).sum()),
        "best_by_aic": best,
        "delta_aic": {f: _rounded(fits[f]["aic"] - fits[best]["aic"], 5) for f in fits},
        "fits": fits,
    }


def _median(family: str, params: Sequence[float], truncation: float) -> float:
    """The median duration (given ``T > truncation``)."""
    target = math.log(0.5) + float(log_survival(family, params, truncation))
    lo, hi = max(truncation, 1e-9), max(truncation, 1.0) * 2
    while float(log_survival(family, params, hi)) > target:
        hi *= 2
        if hi > 1e9:
            return math.inf
    return float(optimize.brentq(lambda t: float(log_survival(family, params, t)) - target, lo, hi))


#: The headline class and the sensitivity classes built from the MID data.
DISPUTE_RULES = (
    DisputeRule("gml_fatal_force"),
    DisputeRule("gml_fatal_force_any_state", p5_or_middle_east=False),
    DisputeRule("gml_deadly_force", min_fatality=3),
    DisputeRule("gml_force", min_fatality=None),
    DisputeRule("gml_war", min_hostility=5, min_fatality=None, p5_or_middle_east=False),
)


def _classes(gml: Sequence[Dispute], mid5: Sequence[Dispute], wars: Sequence[War], ucdp: Sequence[ConflictEpisode], ucdp_end: dt.date) -> list[ReferenceClass]:
    """Every duration class, the headline (``gml_fatal_force``) first."""
    gml_source = "gml_mid_disps.csv (mindur, maxdur, hostlev, fatality), gml_part.csv (participants, sides, dates), gml_dirdisp.csv (ongo2010)"
    classes = [select_disputes(gml, rule, source=gml_source) for rule in DISPUTE_RULES]
    classes.append(select_disputes(mid5, DisputeRule("mid5_fatal_force"), source="cow_mid_disps.csv, cow_mid_dirdisps.csv (sides)"))
    classes.append(war_class(wars, source="cow_war_inter.csv"))
    classes.append(ucdp_class(ucdp, ucdp_end, source="ucdp_acd.csv"))
    return classes


def duration_classes(conflict: str | Path) -> dict[str, ReferenceClass]:
    """Every duration reference class of the conflict folder, by name (the names of
    ``reference-ceasefire.json``: ``gml_fatal_force``, ``ucdp_interstate``, ...). How
    long regimes lasted once fought over is
    :func:`realpolitik.validation.aims_reference.regime_fall_classes`.

    Raises:
        DataError: a data file cannot be read (every problem with file, line and field).
    """
    conflict = Path(conflict)
    ucdp, ucdp_end = read_ucdp_interstate(conflict)
    return {c.name: c for c in _classes(read_gml(conflict), read_mid5(conflict), read_cow_wars(conflict), ucdp, ucdp_end)}


def ceasefire_reference(
    conflict: str | Path,
    episodes: str | Path,
    *,
    replicates: int = 1000,
    seed: int = 0,
    truncation: float | None = None,
    command: str = "",
) -> dict[str, Any]:
    """Every duration reference class, its fits, hazards and resumption rates, as the
    JSON document ``benchmarks/results/reference-ceasefire.json`` holds.

    The headline class is ``gml_fatal_force`` (see :data:`DISPUTE_RULES`); it is also
    fitted conditioned on lasting more than ``truncation`` days (default: the days the
    2026 war had lasted when the scenario starts, 8), the form the rebuild needs.
    Bootstrap intervals (``replicates`` resamples, seeded) are given for the headline
    fits and the three-round comparison; sensitivity classes get point fits.

    Raises:
        DataError: a data file cannot be read (every problem with file, line and field).
    """
    conflict = Path(conflict)
    episodes = Path(episodes)
    truncation = float((SCENARIO_START - WAR_START).days) if truncation is None else float(truncation)
    gml = read_gml(conflict)
    mid5 = read_mid5(conflict)
    wars = read_cow_wars(conflict)
    ucdp, ucdp_end = read_ucdp_interstate(conflict)
    rounds = read_rounds(episodes)
    gml_end = dt.date(max(p.end.year for d in gml for p in d.participations), 12, 31)
    files = {
        name: file_facts(conflict / name)
        for name in ("gml_mid_disps.csv", "gml_part.csv", "gml_dirdisp.csv", "cow_mid_disps.csv", "cow_mid_dirdisps.csv", "cow_war_inter.csv", "ucdp_acd.csv")
    }
    files["episodes.yaml"] = file_facts(episodes)
    classes = _classes(gml, mid5, wars, ucdp, ucdp_end)
    headline = classes[0]
    rounds_class = round_class(rounds, source=str(episodes.name))

    out_classes: dict[str, Any] = {}
    for c in classes:
        entry: dict[str, Any] = {
            "source": c.source,
            "rule": c.rule,
            "n": c.n,
            "censored": c.censored,
            "inexact": c.inexact,
            "dropped": dict(sorted(c.dropped.items())),
            "quantiles_days_midpoint": _quantiles(c),
        }
        entry["all"] = _analyse(c, truncation=0.0, replicates=replicates if c is headline else 0, seed=seed, rounds=rounds)
        if c is headline:
            entry["lasted_more_than"] = _analyse(c, truncation=truncation, replicates=replicates, seed=seed, rounds=rounds)
        out_classes[c.name] = entry

    rec_gml = dispute_recurrence(headline, gml, data_end=gml_end, min_hostility=4)
    rec_gml_any = dispute_recurrence(headline, gml, data_end=gml_end, min_hostility=1)
    rec_ucdp = episode_recurrence(ucdp, ucdp_end)
    round_gaps = [(b.start - a.calm).days for a, b in zip(rounds, rounds[1:], strict=False)]
    current_gap = (WAR_START - rounds[-1].calm).days if rounds else None
    round_rate = exponential_rate(sum(r.days for r in rounds), len(rounds)) if rounds else None
    all_gaps = [*round_gaps, *([current_gap] if current_gap is not None and current_gap > 0 else [])]
    resume_rate = exponential_rate(sum(all_gaps), len(all_gaps)) if all_gaps else None
    return {
        "what": "reference classes for the duration of wars like the 2026 one (daily ceasefire hazard) and for resumption after an end",
        "command": command,
        "as_of": AS_OF.isoformat(),
        "war_start": WAR_START.isoformat(),
        "scenario_start": SCENARIO_START.isoformat(),
        "bootstrap": {"replicates": replicates, "seed": seed, "resampling": "episodes with replacement, one seeded stream per class, truncation and family (bootstrap_stream); 5th and 95th percentiles"},
        "data": files,
        "results": {
            "rounds": {
                "rule": rounds_class.rule,
                "n": rounds_class.n,
                "durations": [{"id": r.id, "start": r.start.isoformat(), "calm": r.calm.isoformat(), "days": r.days} for r in rounds],
                "gaps_to_next_round_days": round_gaps,
                "gap_last_round_to_war_start_days": current_gap,
                "flat_ceasefire_hazard": None if round_rate is None else {
                    "what": "the constant daily hazard of calm fitted to the rounds (maximum likelihood, 3 ends in their summed days), exact 90% interval",
                    "rate": _rounded(round_rate[0]), "interval_90": [_rounded(round_rate[1]), _rounded(round_rate[2])],
                    "mean_days": _rounded(1 / round_rate[0]),
                },
                "flat_resumption_hazard": None if resume_rate is None else {
                    "what": "the constant daily hazard of a new round after calm, from the gaps calm to next first strike (the last one to the 2026 war's first strikes), exact 90% interval",
                    "rate": _rounded(resume_rate[0]), "interval_90": [_rounded(resume_rate[1]), _rounded(resume_rate[2])],
                    "mean_days": _rounded(1 / resume_rate[0]),
                },
            },
            "headline": headline.name,
            "truncation_days": truncation,
            "classes": out_classes,
            "recurrence": {
                "gml_fatal_force_then_use_of_force": _recurrence_json(rec_gml, f"a later GML dispute with hostlev 4-5 between two states of the dispute that were on opposite sides; disputes ended by {gml_end} minus the window"),
                "gml_fatal_force_then_any_dispute": _recurrence_json(rec_gml_any, "as above, any later GML dispute (threats and displays too)"),
                "ucdp_interstate": _recurrence_json(rec_ucdp, f"a new episode of the same UCDP interstate conflict after ep_end_date; all ended interstate episodes, data to {min(ucdp_end, AS_OF)}"),
            },
        },
    }


def _quantiles(c: ReferenceClass) -> dict[str, float | None]:
    mids = [((d.lower - 1 + d.upper) / 2 if d.upper != d.lower else float(d.lower)) if d.upper is not None else float(d.lower) for d in c.durations]
    if not mids:
        return {}
    q = np.percentile(mids, [10, 25, 50, 75, 90])
    return {f"q{p}": _rounded(float(x), 4) for p, x in zip((10, 25, 50, 75, 90), q, strict=True)}


def _recurrence_json(rows: Sequence[Recurrence], rule: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "windows": [
            {"days": r.window, "eligible": r.eligible, "recurred": r.recurred, "share": _rounded(r.share), "interval_90": [_rounded(r.low), _rounded(r.high)], "daily_hazard": _rounded(r.daily_hazard)}
            for r in rows
        ],
    }


# --------------------------------------------------------------------------- script entry


def _text_ceasefire(doc: dict[str, Any]) -> str:
    res = doc["results"]
    lines = [f"rounds: " + ", ".join(f"{r['id']} {r['days']} d" for r in res["rounds"]["durations"])]
    for name, c in res["classes"].items():
        best = c["all"]["best_by_aic"]
        f = c["all"]["fits"][best]
        lines.append(f"{name}: n={c['n']} (censored {c['censored']}, inexact {c['inexact']}); best {best} {f['params']} median {f['median_days']} d")
    head = res["classes"][res["headline"]]["lasted_more_than"]
    f = head["fits"][head["best_by_aic"]]
    lines.append(f"{res['headline']} lasting > {head['truncation_days']:g} d: n={head['n']}, {head['best_by_aic']} {f['params']}")
    lines += [f"  day {h['day']}: hazard {h['daily_hazard']} {h.get('interval_90', '')}" for h in f["hazard"]]
    return "\n".join(lines)


def _options(parser: argparse.ArgumentParser, *, bootstrap: int | None = None) -> None:
    """The options every subcommand shares: ``--seed``, ``--json`` and, for a
    bootstrap, ``--bootstrap`` with its default."""
    if bootstrap is not None:
        parser.add_argument("--bootstrap", type=int, default=bootstrap, help=f"bootstrap resamples (default {bootstrap})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")


def _with_parameter(scenario: Any, name: str) -> Any:
    """The scenario, once it is known to have the parameter ``--parameter`` names.

    Raises:
        ValueError: it has no such parameter (the message names the option, the
            scenario and the closest names).
    """
    import difflib

    names = sorted(scenario.spec.parameters)
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f" (its parameters: {', '.join(names)})"
        raise ValueError(f"--parameter {name!r}: scenario {scenario.label} has no such parameter{hint}")
    return scenario


def _round_outcome_names() -> list[str]:
    from realpolitik.validation.rounds_fit import ROUND_OUTCOMES

    return list(ROUND_OUTCOMES)


def _class_names() -> list[str]:
    from realpolitik.validation.rounds_fit import CLASS_RECORDS

    return list(CLASS_RECORDS)


@contextlib.contextmanager
def _grid_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on standard error (shown on a terminal only) and the
    callback a fit reports its grid values done to."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m realpolitik.validation.reference ceasefire|oil|aims|fit|rounds ...``: print
    a reference class's fit, or a parameter's fit to one (``--json``: the whole
    document)."""
    parser = argparse.ArgumentParser(prog="python -m realpolitik.validation.reference", description="Reference classes for the rebuild of the bundled scenario.")
    sub = parser.add_subparsers(dest="what", required=True)
    cf = sub.add_parser("ceasefire", help="how long wars like this last; how soon they resume")
    cf.add_argument("--conflict", required=True, help="the conflict folder of ../shared/data")
    cf.add_argument("--episodes", required=True, help="../shared/data/episodes/episodes.yaml")
    _options(cf, bootstrap=1000)
    oil = sub.add_parser("oil", help="how far and for how long wars moved Brent")
    oil.add_argument("--oil", required=True, help="../shared/data/oil/brent-daily.csv")
    _options(oil, bootstrap=1000)
    aims = sub.add_parser("aims", help="how much aims at the other side's regime raise the hazard of war, from both sides")
    aims.add_argument("--conflict", required=True, help="the conflict folder of ../shared/data")
    _options(aims, bootstrap=2000)
    fit = sub.add_parser("fit", help="fit one parameter of a scenario so that its wars last as a class lasted")
    fit.add_argument("--scenario", required=True, help="a bundled scenario's name or a scenario file")
    fit.add_argument("--parameter", required=True, action="append", help="the parameter to fit (repeatable: a joint fit on the product of the grids)")
    fit.add_argument("--support", required=True, action="append", nargs=2, type=float, metavar=("LOW", "HIGH"), help="the range of its flat prior (one per --parameter, in order)")
    fit.add_argument("--conflict", required=True, help="the conflict folder of ../shared/data")
    fit.add_argument("--class", dest="reference", required=True, help="a duration class of reference-ceasefire.json (e.g. ucdp_interstate)")
    fit.add_argument("--condition", required=True, help="the scenario's condition whose first day ends a war (e.g. ceasefire)")
    fit.add_argument("--truncation", type=int, default=(SCENARIO_START - WAR_START).days, help="condition on lasting more than this many days (default 8)")
    fit.add_argument("--points", type=int, default=25, help="grid values per parameter (default 25)")
    fit.add_argument("--runs", type=int, default=4000, help="runs per grid value (default 4000)")
    _options(fit)
    rf = sub.add_parser("rounds", help="fit one parameter of a scenario to the past rounds' recorded facts")
    rf.add_argument("--scenario", required=True, help="a bundled scenario's name or a scenario file (its rounds' variants extend it)")
    rf.add_argument("--parameter", required=True, help="the parameter to fit")
    rf.add_argument("--support", required=True, nargs=2, type=float, metavar=("LOW", "HIGH"), help="the range of its flat prior")
    rf.add_argument("--episodes", required=True, help="../shared/data/episodes/episodes.yaml")
    rf.add_argument("--outcome", required=True, action="append", metavar="NAME[=CONDITION]", help="a recorded outcome to score (repeatable): " + ", ".join(_round_outcome_names()))
    rf.add_argument("--class", dest="classes", action="append", default=[], metavar="NAME=OUTCOME[@ROUND,...]", help="a reference class to score beside the rounds, the outcome it stands for, and the rounds whose variants stand for its cases (default: all; repeatable): " + ", ".join(_class_names()))
    rf.add_argument("--conflict", help="the conflict folder of ../shared/data (for --class)")
    rf.add_argument("--points", type=int, default=25, help="grid values (default 25)")
    rf.add_argument("--runs", type=int, default=4000, help="runs per grid value (default 4000)")
    _options(rf)
    args = parser.parse_args(argv)
    command = "python -m realpolitik.validation.reference " + shlex.join(argv if argv is not None else sys.argv[1:])
    from realpolitik.errors import ScenarioError

    try:
        if args.what == "fit":
            from realpolitik.scenario import load
            from realpolitik.validation.duration_fit import parameter_fit_document, render_fit_text

            if len(args.support) != len(args.parameter):
                raise ValueError(f"give one --support per --parameter ({len(args.parameter)} parameters, {len(args.support)} supports)")
            scenario = load(args.scenario)
            for name in args.parameter:
                _with_parameter(scenario, name)
            with _grid_progress(f"fitting {', '.join(args.parameter)}") as progress:
                doc = parameter_fit_document(
                    scenario, args.conflict, args.reference, args.parameter, args.condition,
                    supports=[tuple(x) for x in args.support], truncation=args.truncation, points=args.points, runs=args.runs, seed=args.seed, command=command, progress=progress,
                )  # fmt: skip
            text = render_fit_text(doc)
        elif args.what == "rounds":
            from realpolitik.scenario import load
            from realpolitik.validation.rounds_fit import parse_class, parse_outcome, render_rounds_text, rounds_fit_document

            outcomes = [parse_outcome(o) for o in args.outcome]
            classes = [parse_class(c) for c in args.classes]
            with _grid_progress(f"fitting {args.parameter}") as progress:
                doc = rounds_fit_document(
                    _with_parameter(load(args.scenario), args.parameter), args.episodes, args.parameter, outcomes,
                    support=tuple(args.support), points=args.points, runs=args.runs, seed=args.seed, command=command, classes=classes, conflict=args.conflict, progress=progress,
                )  # fmt: skip
            text = render_rounds_text(doc)
        elif args.what == "aims":
            from realpolitik.validation.aims_reference import aims_reference, render_aims_text

            doc = aims_reference(args.conflict, replicates=args.bootstrap, seed=args.seed, command=command)
            text = render_aims_text(doc)
        elif args.what == "ceasefire":
            doc = ceasefire_reference(args.conflict, args.episodes, replicates=args.bootstrap, seed=args.seed, command=command)
            text = _text_ceasefire(doc)
        else:
            from realpolitik.validation.oil_reference import oil_reference, render_oil_text

            doc = oil_reference(args.oil, replicates=args.bootstrap, seed=args.seed, command=command)
            text = render_oil_text(doc)
    except (DataError, ScenarioError) as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(doc, indent=1, ensure_ascii=False) if args.json else text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
