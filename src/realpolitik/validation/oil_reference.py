"""Oil as history moved it: how far wars pushed Brent, and how fast the push faded.

For each episode — Iraq's invasion of Kuwait (1990), the Abqaiq strike (2019), Russia's
invasion of Ukraine (2022), the three past Israel/US–Iran rounds and the first week of
the 2026 war — this measures the log price path against the no-war price from the
episode's first day: the jump, its peak, and the share of the jump left after 7, 14, 30
and 60 days. The episodes where physical supply was lost are told apart from those
where it was only feared, and a two-component model is fitted:

    price = no-war price × exp(physical term + fear term)

The fear term decays with a half-life, fitted on the fear-only episodes (the three
rounds); the physical term's daily persistence is fitted on the physical episodes
while their supply stayed lost, with the fear half-life held at its fitted value.

The rounds' prices did not jump on their first day: they built up over about a week
(peaks on days 6-11) and then faded. A second fear model, the one the bundled scenario
runs, fits that build-up from each round's first day, against its last close before
it: the fear level jumps by ``a_i`` for each new rung of the escalation ladder on the
day the episodes record it, halves every ``h`` days, and the price takes in a share
``r`` a day of the gap between that level and the premium it holds. The red line (a
strike on nuclear or civilian sites) is a rung of its own: it adds ``s a_i``, with the
multiple ``s`` shared by the rounds (only jun-2025 climbed to it).
Beside them, the width of a random walk's 90% band at +7 and +30 days, from the daily
volatility of the 250 trading days before each episode: a forecast band narrower than
that claims more than a random walk knows.

Only closes dated up to :data:`realpolitik.validation.reference.AS_OF` (2026-03-07) are
read: the reader stops at the first later row without parsing it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy import optimize, stats

from realpolitik.validation.history import OilSeries, trading_days
from realpolitik.validation.reference import AS_OF, WAR_START, file_facts

__all__ = [
    "OIL_EPISODES",
    "SHARE_DAYS",
    "BAND_DAYS",
    "OilEpisode",
    "OilPath",
    "RandomWalkBand",
    "DecaySeries",
    "FearFit",
    "PhysicalFit",
    "RiseSeries",
    "RiseFit",
    "read_brent",
    "measure_episode",
    "random_walk_band",
    "decay_series",
    "fit_fear_decay",
    "fit_physical_persistence",
    "rise_series",
    "rise_path",
    "fit_fear_rise",
    "RED_LINE_SCALE_MAX",
    "block_bootstrap",
    "oil_reference",
    "render_oil_text",
]

#: Days after an episode's first day at which the share of the jump left is measured.
SHARE_DAYS = (7, 14, 30, 60)
#: Horizons (calendar days) of the random walk's band.
BAND_DAYS = (7, 30)
#: Trading days before an episode whose mean log close is its no-war price (as the variants).
BASELINE_DAYS = 20
#: Trading days of returns behind the random walk's volatility (as the backtest).
VOLATILITY_DAYS = 250
#: The jump is the largest excess in the first JUMP_DAYS days; the peak, in the first PEAK_DAYS.
JUMP_DAYS = 14
PEAK_DAYS = 90
#: Days after the jump that the fear decay is fitted on.
FEAR_WINDOW = 30
#: Days after the jump that the physical persistence is fitted on (less if supply came back sooner).
PHYSICAL_WINDOW = 90
#: Search bounds of the fear half-life (days) and of the physical decay rate (per day).
_H_MIN, _H_MAX = 0.05, 5000.0
_RATE_MIN, _RATE_MAX = -0.05, 2.0
#: Windows (days after the jump) of the fear half-life's sensitivity table.
FEAR_WINDOWS = (14, 21, 30, 45, 60)
_Z90 = float(stats.norm.ppf(0.95))
#: Days after a round's jump that the fear build-up is fitted to (from its first day).
RISE_WINDOW = 30
#: The largest multiple of a round's fear per rung the red line is fitted to add.
RED_LINE_SCALE_MAX = 5.0


@dataclass(frozen=True)
class OilEpisode:
    """An episode whose oil path is measured.

    Attributes:
        id: its name.
        first_day: the day it began (the invasion, the strike).
        supply: ``physical`` (supply was lost), ``fear`` (only feared) or ``current``
            (the 2026 war: measured, not fitted).
        supply_back: the last day the physical term is fitted on, when supply came back
            within the window; ``None``: lost throughout it (or not physical).
        basis: what the date and the classification rest on.
        rungs: (day after the first day, new rungs of the escalation ladder that day)
            for the fear build-up fit; empty for the episodes it does not fit.
        red_line: the days after the first day on which the round climbed to the red
            line (a strike on nuclear or civilian sites), a rung of its own in the fit
            (:func:`fit_fear_rise`) and not counted in ``rungs``.
    """

    id: str
    first_day: dt.date
    supply: str
    supply_back: dt.date | None
    basis: str
    rungs: tuple[tuple[int, int], ...] = ()
    red_line: tuple[int, ...] = ()


#: The episodes. Dates of the rounds are those of ``episodes.yaml``; the classification
#: physical/fear and 2019's return of supply are judgement (issue 18). The rounds' rungs
#: are their ``escalation_path`` in ``episodes.yaml`` on the scenario's ladder, as the
#: backtest maps it (level 1 military sites, 2-3 tit for tat, 4 red line): a rung is
#: new when the level passes the highest so far; the red line (jun-2025's US strikes on
#: the nuclear sites, day 9) is kept apart so that its effect is fitted on its own.
OIL_EPISODES: tuple[OilEpisode, ...] = (
    OilEpisode("gulf-1990", dt.date(1990, 8, 2), "physical", None, "Iraq invades Kuwait; the exports of both are lost to the embargo for the whole window (judgement)"),
    OilEpisode("abqaiq-2019", dt.date(2019, 9, 14), "physical", dt.date(2019, 9, 30), "strike on the Abqaiq and Khurais plants; output lost briefly, back by the end of September (judgement)"),
    OilEpisode("ukraine-2022", dt.date(2022, 2, 24), "physical", None, "Russia invades Ukraine; Russian exports under sanctions and diverted for the whole window (judgement)"),
    OilEpisode("apr-2024", dt.date(2024, 4, 1), "fear", None, "episodes.yaml apr-2024: Hormuz open, no supply lost", ((0, 1), (12, 1))),
    OilEpisode("oct-2024", dt.date(2024, 10, 1), "fear", None, "episodes.yaml oct-2024: Hormuz open, no supply lost", ((0, 2),)),
    OilEpisode("jun-2025", dt.date(2025, 6, 13), "fear", None, "episodes.yaml jun-2025: Hormuz open (threatened), no supply lost", ((0, 2),), (9,)),
    OilEpisode("iran-2026", WAR_START, "current", None, "the 2026 war's first strikes (news timeline); closes to 2026-03-06 only; measured, not fitted"),
)


@dataclass(frozen=True)
class RandomWalkBand:
    """The 90% band of a driftless random walk in log price from an episode's last close.

    Attributes:
        horizon: calendar days after the episode's first day.
        steps: trading days (weekdays) from the last close to that day.
        sigma: the daily log-return sd of the 250 trading days before.
        log_width: ``2 * 1.645 * sigma * sqrt(steps)``.
        relative_width: the band's width as a share of the last close.
        usd_width: the same in USD/bbl.
        realised: the log move from the last close to the close on or before that day
            (``None``: not in the data yet).
        inside: whether the realised move was inside the band.
    """

    horizon: int
    steps: int
    sigma: float
    log_width: float
    relative_width: float
    usd_width: float
    realised: float | None
    inside: bool | None


@dataclass(frozen=True)
class OilPath:
    """One episode's oil path against its no-war price.

    Attributes:
        episode: the episode.
        pre_close: (date, price) of the last close before the first day.
        baseline: the no-war price: the geometric mean of the 20 closes before the first day.
        first_close: (date, price) of the first close on or after the first day.
        jump, jump_day: the largest excess ``log(price / baseline)`` in the first 14
            days, and its day (days after the first day).
        peak, peak_day: the same over the first 90 days (as far as the data go).
        excess: the excess at each of :data:`SHARE_DAYS` (close on or before the day;
            ``None`` past the data's end).
        left: ``excess / jump`` at those days.
        bands: the random walk's bands at :data:`BAND_DAYS`.
        path: (days after the first day, date, close, excess) for every close in the
            first 90 days.
        last_day: the last day of data used (days after the first day).
    """

    episode: OilEpisode
    pre_close: tuple[dt.date, float]
    baseline: float
    first_close: tuple[dt.date, float]
    jump: float
    jump_day: int
    peak: float
    peak_day: int
    excess: dict[int, float | None]
    left: dict[int, float | None]
    bands: tuple[RandomWalkBand, ...]
    path: tuple[tuple[int, dt.date, float, float], ...]
    last_day: int


@dataclass(frozen=True)
class DecaySeries:
    """An episode's excess after its jump: the data a decay is fitted on.

    Attributes:
        id: the episode.
        t: days since the jump (>= 0), one per close.
        x: the excess ``log(price / baseline)`` on those days.
    """

    id: str
    t: np.ndarray
    x: np.ndarray


@dataclass(frozen=True)
class FearFit:
    """``x_i(t) = a_i * 2**(-t / half_life)``, least squares over the episodes.

    Attributes:
        half_life: days.
        amplitudes: ``a_i`` by episode.
        residual_sd: of the fit.
        n: closes fitted.
        levels: ``c_i`` by episode, when fitted to a level of their own.
    """

    half_life: float
    amplitudes: dict[str, float]
    residual_sd: float
    n: int
    levels: dict[str, float] = field(default_factory=dict)

    @property
    def at_bound(self) -> bool:
        """The half-life sits at a bound of the search (0.05 or 5000 days): not identified."""
        return not (_H_MIN * 1.001 < self.half_life < _H_MAX * 0.999)


@dataclass(frozen=True)
class PhysicalFit:
    """``x_i(t) = f_i * 2**(-t / fear_half_life) + p_i * exp(-rate * t)``: the physical
    term's daily persistence ``exp(-rate)``, with the fear half-life held fixed.

    Attributes:
        rate: the physical term's daily decay rate (negative: it grew).
        fear_half_life: the fixed fear half-life.
        fear: ``f_i``; physical: ``p_i``, by episode.
        residual_sd, n: of the fit.
    """

    rate: float
    fear_half_life: float
    fear: dict[str, float]
    physical: dict[str, float]
    residual_sd: float
    n: int

    @property
    def at_bound(self) -> bool:
        """The rate sits at a bound of the search (-0.05 or 2 a day): not identified."""
        return not (_RATE_MIN + 1e-6 < self.rate < _RATE_MAX - 1e-6)

    @property
    def persistence(self) -> float:
        """The share of the physical term left after a day, ``exp(-rate)``."""
        return math.exp(-self.rate)

    @property
    def half_life(self) -> float:
        """Days for the physical term to halve (``inf`` when it did not decay)."""
        return math.log(2) / self.rate if self.rate > 0 else math.inf


@dataclass(frozen=True)
class RiseSeries:
    """A round's excess from its first day: the data the fear build-up is fitted on.

    Attributes:
        id: the episode.
        t: days after the first day (>= 0), one per close.
        x: ``log(close / last close before the first day)`` on those days.
        rungs: (day, new rungs that day), as :attr:`OilEpisode.rungs`.
        red_line: the days the red line came, as :attr:`OilEpisode.red_line`.
    """

    id: str
    t: np.ndarray
    x: np.ndarray
    rungs: tuple[tuple[int, int], ...]
    red_line: tuple[int, ...] = ()


@dataclass(frozen=True)
class RiseFit:
    """The fear build-up (see :func:`rise_path`), least squares over the rounds.

    Attributes:
        half_life: days for the fear level to halve.
        uptake: the share of the gap between the fear level and the premium the price
            holds that the price takes in each day.
        amplitudes: ``a_i``, the log premium a new rung adds, by episode.
        residual_sd, n: of the fit.
        red_line_scale: the red line's fear as a multiple of its round's ``a_i``, shared
            by the rounds; ``None`` when no round fitted climbed to it.
    """

    half_life: float
    uptake: float
    amplitudes: dict[str, float]
    residual_sd: float
    n: int
    red_line_scale: float | None = None

    @property
    def rise_days(self) -> float:
        """Days for the price to take in half of a fear level held constant."""
        return math.log(0.5) / math.log(1 - self.uptake) if 0 < self.uptake < 1 else 0.0


_S = TypeVar("_S", DecaySeries, RiseSeries)


# --------------------------------------------------------------------------- reading and measuring


def read_brent(path: str | Path, *, as_of: dt.date = AS_OF) -> tuple[OilSeries, int]:
    """Brent closes up to ``as_of``, and how many rows after it were left unread.

    Raises:
        DataError: the file is missing, too large, not ``Date,Price``, or a row up to
            ``as_of`` is not a date and a positive price (each with its line and field).
    """
    from realpolitik.errors import DataError, Problem
    from realpolitik.inference import read_prices

    if not Path(path).is_file():
        raise DataError(Problem("no such oil price file (give ../shared/data/oil/brent-daily.csv)", str(path)))
    series = read_prices(path, "brent", as_of=as_of)
    if len(series.dates) < 2:
        raise DataError(Problem(f"holds fewer than two prices up to {as_of}", str(path)))
    return OilSeries(np.array(series.dates, dtype="datetime64[D]"), np.array(series.values), str(path)), int(series.future)


def _index_on_or_before(series: OilSeries, day: dt.date, known_until: dt.date | None = None) -> int | None:
    """The last close on or before ``day``; ``None`` after ``known_until`` (default: the
    series' last date): a close that may not have happened yet."""
    if day > (known_until or series.last_date):
        return None
    i = int(np.searchsorted(series.dates, np.datetime64(day, "D"), side="right")) - 1
    return None if i < 0 else i


def random_walk_band(series: OilSeries, first_day: dt.date, horizon: int, *, known_until: dt.date | None = None) -> RandomWalkBand:
    """The 90% band of a driftless random walk in log price from the last close before
    ``first_day`` to ``horizon`` calendar days after it (trading days as in the backtest).

    Example:
        >>> import numpy as np
        >>> days = np.arange(np.datetime64("2020-01-01"), np.datetime64("2021-06-01"))
        >>> days = days[np.is_busday(days)]
        >>> prices = np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.02, len(days)))) * 60
        >>> band = random_walk_band(OilSeries(days, prices), dt.date(2021, 3, 1), 7)
        >>> band.steps, round(band.log_width / (2 * 1.6449 * band.sigma * band.steps ** 0.5), 3)   # Fri 02-26 to Mon 03-08
        (6, 1.0)
    """
    sigma = series.log_return_sd(first_day, VOLATILITY_DAYS)
    close_day, close = series.close_before(first_day)
    until = first_day + dt.timedelta(days=horizon)
    steps = trading_days(close_day, until)
    half = _Z90 * sigma * math.sqrt(steps)
    j = _index_on_or_before(series, until, known_until)
    realised = None if j is None else float(math.log(series.prices[j] / close))
    return RandomWalkBand(
        horizon, steps, sigma, 2 * half, math.exp(half) - math.exp(-half), close * (math.exp(half) - math.exp(-half)),
        realised, None if realised is None else abs(realised) <= half,
    )  # fmt: skip


def measure_episode(series: OilSeries, episode: OilEpisode, *, known_until: dt.date | None = None) -> OilPath:
    """The jump, peak, share left and random-walk bands of one episode (see :class:`OilPath`).

    ``known_until`` is the last day the series was read to (the as-of date): a day after
    the last close but not after it takes that close (a weekend); a later day has none.

    Raises:
        ValueError: the series does not cover the episode's first day and the 250
            trading days before it.
    """
    first = episode.first_day
    i0 = int(np.searchsorted(series.dates, np.datetime64(first, "D"), side="left"))
    if i0 < VOLATILITY_DAYS + 1 or i0 >= len(series.dates):
        raise ValueError(f"{episode.id}: the oil series must cover {first} and {VOLATILITY_DAYS} trading days before it")
    logs = np.log(series.prices)
    baseline = float(np.exp(logs[i0 - BASELINE_DAYS : i0].mean()))
    days = (series.dates[i0:].astype("int64") - np.datetime64(first, "D").astype("int64")).astype(int)
    keep = days <= PEAK_DAYS
    days, closes = days[keep], series.prices[i0 : i0 + int(keep.sum())]
    excess = np.log(closes / baseline)
    in_jump = days <= JUMP_DAYS
    j = int(np.argmax(np.where(in_jump, excess, -np.inf)))
    p = int(np.argmax(excess))
    jump = float(excess[j])
    at: dict[int, float | None] = {}
    for d in SHARE_DAYS:
        k = _index_on_or_before(series, first + dt.timedelta(days=d), known_until)
        at[d] = None if k is None else float(np.log(series.prices[k] / baseline))
    left = {d: (None if x is None else x / jump) for d, x in at.items()}
    path = tuple((int(t), _date(series.dates[i0 + n]), float(c), float(x)) for n, (t, c, x) in enumerate(zip(days, closes, excess, strict=True)))
    bands = tuple(random_walk_band(series, first, h, known_until=known_until) for h in BAND_DAYS)
    pre = series.close_before(first)
    return OilPath(
        episode, pre, baseline, (_date(series.dates[i0]), float(series.prices[i0])), jump, int(days[j]), float(excess[p]), int(days[p]),
        at, left, bands, path, int(days[-1]),
    )  # fmt: skip


def _date(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))


def decay_series(path: OilPath, *, window: int, until: dt.date | None = None) -> DecaySeries:
    """The excess from an episode's jump day to ``window`` days after it (and not past
    ``until``), with ``t`` counted from the jump.

    Example:
        >>> ep = OilEpisode("x", dt.date(2020, 1, 1), "fear", None, "")
        >>> rows = tuple((d, dt.date(2020, 1, 1) + dt.timedelta(days=d), 1.0, 0.1) for d in range(0, 40))
        >>> p = OilPath(ep, (dt.date(2019, 12, 31), 1.0), 1.0, (dt.date(2020, 1, 1), 1.0), 0.1, 3, 0.1, 3, {}, {}, (), rows, 39)
        >>> s = decay_series(p, window=10)
        >>> int(s.t[0]), int(s.t[-1])
        (0, 10)
    """
    last = path.jump_day + window
    if until is not None:
        last = min(last, (until - path.episode.first_day).days)
    rows = [(t - path.jump_day, x) for t, _, _, x in path.path if path.jump_day <= t <= last]
    return DecaySeries(path.episode.id, np.array([r[0] for r in rows], dtype=float), np.array([r[1] for r in rows], dtype=float))


# --------------------------------------------------------------------------- fitting


def fit_fear_decay(series: Sequence[DecaySeries], *, level: bool = False) -> FearFit:
    """Least squares of ``x_i(t) = a_i * 2**(-t / h)``: one amplitude ``a_i >= 0`` per
    episode and one half-life ``h`` shared by all.

    With ``level``, each episode decays to a level ``c_i`` of its own instead of the
    no-war price (``x_i(t) = c_i + a_i * 2**(-t / h)``): the premium's fade measured
    against wherever the market settled.

    Raises:
        ValueError: no series, or one with fewer than three closes.

    Example:
        >>> t = np.arange(0.0, 30.0)
        >>> s = [DecaySeries("a", t, 0.2 * 2 ** (-t / 4)), DecaySeries("b", t, 0.1 * 2 ** (-t / 4))]
        >>> round(fit_fear_decay(s).half_life, 6)
        4.0
    """
    _check(series)
    n = len(series)
    m = n if level else 0

    def residuals(theta: np.ndarray) -> np.ndarray:
        h = math.exp(theta[-1])
        return np.concatenate([s.x - theta[i] * np.exp2(-s.t / h) - (theta[n + i] if level else 0.0) for i, s in enumerate(series)])

    theta0 = np.array([max(float(s.x[0]), 1e-3) for s in series] + [0.0] * m + [math.log(5.0)])
    lower = [0.0] * n + [-np.inf] * m + [math.log(_H_MIN)]
    upper = [np.inf] * n + [np.inf] * m + [math.log(_H_MAX)]
    sol = optimize.least_squares(residuals, theta0, bounds=(lower, upper), xtol=1e-12, ftol=1e-12, gtol=1e-12)
    r = residuals(sol.x)
    levels = {s.id: float(sol.x[n + i]) for i, s in enumerate(series)} if level else {}
    return FearFit(math.exp(sol.x[-1]), {s.id: float(sol.x[i]) for i, s in enumerate(series)}, float(np.sqrt(np.mean(r * r))), len(r), levels)


def fit_physical_persistence(series: Sequence[DecaySeries], fear_half_life: float) -> PhysicalFit:
    """Least squares of ``x_i(t) = f_i * 2**(-t / fear_half_life) + p_i * exp(-rate * t)``:
    per episode a fear and a physical amplitude (both >= 0), one daily decay rate shared
    by all (from -0.05, growth, to 2).

    Raises:
        ValueError: no series, or one with fewer than three closes.

    Example:
        >>> t = np.arange(0.0, 60.0)
        >>> x = 0.1 * 2 ** (-t / 3) + 0.3 * np.exp(-0.01 * t)
        >>> round(fit_physical_persistence([DecaySeries("a", t, x)], 3.0).rate, 6)
        0.01
    """
    _check(series)
    n = len(series)

    def residuals(theta: np.ndarray) -> np.ndarray:
        rate = theta[-1]
        return np.concatenate([s.x - theta[2 * i] * np.exp2(-s.t / fear_half_life) - theta[2 * i + 1] * np.exp(-rate * s.t) for i, s in enumerate(series)])

    theta0 = np.array([v for s in series for v in (max(float(s.x[0]), 1e-3) / 2,) * 2] + [0.01])
    lower = [0.0] * (2 * n) + [_RATE_MIN]
    upper = [np.inf] * (2 * n) + [_RATE_MAX]
    sol = optimize.least_squares(residuals, theta0, bounds=(lower, upper), xtol=1e-12, ftol=1e-12, gtol=1e-12)
    r = residuals(sol.x)
    return PhysicalFit(
        float(sol.x[-1]), fear_half_life, {s.id: float(sol.x[2 * i]) for i, s in enumerate(series)},
        {s.id: float(sol.x[2 * i + 1]) for i, s in enumerate(series)}, float(np.sqrt(np.mean(r * r))), len(r),
    )  # fmt: skip


def rise_series(path: OilPath, *, window: int) -> RiseSeries:
    """A round's excess over its last close before the first day, from the first day to
    ``window`` days after its jump.

    Raises:
        ValueError: the episode has no rungs.
    """
    if not path.episode.rungs:
        raise ValueError(f"{path.episode.id}: the fear build-up is fitted on episodes with rungs")
    last = path.jump_day + window
    base = math.log(path.pre_close[1])
    rows = [(t, math.log(c) - base) for t, _, c, _ in path.path if t <= last]
    return RiseSeries(path.episode.id, np.array([r[0] for r in rows], dtype=float), np.array([r[1] for r in rows]), path.episode.rungs, path.episode.red_line)


def rise_path(
    amplitude: float, half_life: float, uptake: float, rungs: Sequence[tuple[int, int]], days: int, *, red_line: Sequence[int] = (), red_line_scale: float = 1.0,
) -> np.ndarray:
    """The premium the price holds on days ``0..days``: each day the fear level halves
    every ``half_life`` days and adds ``amplitude`` per new rung (``red_line_scale``
    times it on a day in ``red_line``), and the premium moves ``uptake`` of the way to
    it (as the bundled scenario's ``fear_fades`` and ``fear_priced_in``).

    Example:
        >>> [round(float(x), 4) for x in rise_path(0.1, 1e9, 0.5, [(0, 1)], 3)]
        [0.05, 0.075, 0.0875, 0.0937]
        >>> [round(float(x), 4) for x in rise_path(0.1, 1e9, 0.5, [(0, 1)], 3, red_line=[2], red_line_scale=0.0)]
        [0.05, 0.075, 0.0875, 0.0937]
    """
    new = {t: float(n) for t, n in rungs}
    for t in red_line:
        new[t] = new.get(t, 0.0) + red_line_scale
    decay = 2.0 ** (-1.0 / half_life)
    level = held = 0.0
    out = np.empty(days + 1)
    for t in range(days + 1):
        level = level * decay + amplitude * new.get(t, 0.0)
        held += uptake * (level - held)
        out[t] = held
    return out


def fit_fear_rise(series: Sequence[RiseSeries]) -> RiseFit:
    """Least squares of the premium of :func:`rise_path` against each round's excess:
    one amplitude ``a_i >= 0`` per round, one half-life and one uptake shared by all,
    and, when a round climbed to the red line, the red line's multiple of its round's
    amplitude (between 0 and :data:`RED_LINE_SCALE_MAX`), shared by all.

    Raises:
        ValueError: no series, or one with fewer than three closes.

    Example:
        >>> t = np.arange(0.0, 30.0)
        >>> s = [RiseSeries(k, t, rise_path(a, 4.0, 0.3, [(0, 2)], 29), ((0, 2),)) for k, a in (("a", 0.1), ("b", 0.05))]
        >>> f = fit_fear_rise(s)
        >>> round(f.half_life, 4), round(f.uptake, 4), round(f.amplitudes["b"], 4)
        (4.0, 0.3, 0.05)
    """
    _check(series)
    n = len(series)
    red = any(s.red_line for s in series)

    def fitted(theta: np.ndarray) -> list[np.ndarray]:
        h, r = math.exp(theta[n]), 1.0 / (1.0 + math.exp(-theta[n + 1]))
        scale = float(theta[n + 2]) if red else 1.0
        return [rise_path(theta[i], h, r, s.rungs, int(s.t.max()), red_line=s.red_line, red_line_scale=scale)[s.t.astype(int)] for i, s in enumerate(series)]

    def residuals(theta: np.ndarray) -> np.ndarray:
        return np.concatenate([s.x - f for s, f in zip(series, fitted(theta), strict=True)])

    theta0 = np.array([0.05] * n + [math.log(8.0), 0.0] + [1.0] * red)
    lower = [0.0] * n + [math.log(_H_MIN), -12.0] + [0.0] * red
    upper = [np.inf] * n + [math.log(_H_MAX), 12.0] + [RED_LINE_SCALE_MAX] * red
    sol = optimize.least_squares(residuals, theta0, bounds=(lower, upper), xtol=1e-12, ftol=1e-12, gtol=1e-12)
    r = residuals(sol.x)
    return RiseFit(
        math.exp(sol.x[n]), 1.0 / (1.0 + math.exp(-sol.x[n + 1])), {s.id: float(sol.x[i]) for i, s in enumerate(series)},
        float(np.sqrt(np.mean(r * r))), len(r), float(sol.x[n + 2]) if red else None,
    )  # fmt: skip


def _rise_values(fit: RiseFit, series: Sequence[RiseSeries]) -> list[np.ndarray]:
    scale = 1.0 if fit.red_line_scale is None else fit.red_line_scale
    return [
        rise_path(fit.amplitudes[s.id], fit.half_life, fit.uptake, s.rungs, int(s.t.max()), red_line=s.red_line, red_line_scale=scale)[s.t.astype(int)] for s in series
    ]


def _check(series: Sequence[DecaySeries] | Sequence[RiseSeries]) -> None:
    if not series:
        raise ValueError("a decay is fitted on at least one episode")
    for s in series:
        if len(s.t) < 3 or len(s.t) != len(s.x):
            raise ValueError(f"{s.id}: a decay needs at least three closes (has {len(s.t)})")


def block_bootstrap(series: Sequence[_S], fitted: Sequence[np.ndarray], rng: np.random.Generator, *, block: int = 5) -> list[_S]:
    """One resample: each episode's fitted values plus its residuals resampled in
    blocks of ``block`` consecutive closes (keeping a week's autocorrelation).

    Example:
        >>> s = DecaySeries("a", np.arange(10.0), np.arange(10.0))
        >>> out = block_bootstrap([s], [np.arange(10.0)], np.random.default_rng(0))
        >>> bool(np.all(out[0].x == s.x))   # zero residuals resample to zero
        True
    """
    out = []
    for s, f in zip(series, fitted, strict=True):
        resid = s.x - f
        n = len(resid)
        starts = rng.integers(0, max(n - block, 0) + 1, math.ceil(n / block))
        boot = np.concatenate([resid[a : a + block] for a in starts])[:n]
        out.append(replace(s, x=f + boot))
    return out


def _fear_values(fit: FearFit, series: Sequence[DecaySeries]) -> list[np.ndarray]:
    return [fit.amplitudes[s.id] * np.exp2(-s.t / fit.half_life) for s in series]


def _physical_values(fit: PhysicalFit, series: Sequence[DecaySeries]) -> list[np.ndarray]:
    return [fit.fear[s.id] * np.exp2(-s.t / fit.fear_half_life) + fit.physical[s.id] * np.exp(-fit.rate * s.t) for s in series]


# --------------------------------------------------------------------------- the whole reference


def _r(x: float | None, digits: int = 6) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def _q(samples: Sequence[float] | np.ndarray) -> list[float | None] | None:
    a = np.asarray(samples, dtype=float)
    if a.size == 0:
        return None
    return [_r(float(np.percentile(a, 5))), _r(float(np.percentile(a, 95)))]


def oil_reference(path: str | Path, *, replicates: int = 1000, seed: int = 0, command: str = "", as_of: dt.date = AS_OF) -> dict[str, Any]:
    """Every episode's oil path, the fear half-life and the physical persistence with
    block-bootstrap intervals, and the random walk's bands, as the JSON document
    ``benchmarks/results/reference-oil.json`` holds.

    Raises:
        DataError: the oil file cannot be read.
    """
    series, unread = read_brent(path, as_of=as_of)
    paths = [measure_episode(series, e, known_until=max(series.last_date, as_of)) for e in OIL_EPISODES if e.first_day <= as_of]
    fear_paths = [p for p in paths if p.episode.supply == "fear"]
    phys_paths = [p for p in paths if p.episode.supply == "physical"]
    fear_series = [decay_series(p, window=FEAR_WINDOW) for p in fear_paths]
    phys_series = [decay_series(p, window=PHYSICAL_WINDOW, until=p.episode.supply_back) for p in phys_paths]
    fear = fit_fear_decay(fear_series)
    physical = fit_physical_persistence(phys_series, fear.half_life)
    per_fear = {s.id: fit_fear_decay([s]).half_life for s in fear_series}
    loo = {s.id: fit_fear_decay([x for x in fear_series if x is not s]).half_life for s in fear_series}
    windows = {
        w: (fit_fear_decay([decay_series(p, window=w) for p in fear_paths]), fit_fear_decay([decay_series(p, window=w) for p in fear_paths], level=True))
        for w in FEAR_WINDOWS
    }
    fear_level = windows[FEAR_WINDOW][1] if FEAR_WINDOW in windows else fit_fear_decay(fear_series, level=True)
    per_phys = {s.id: fit_physical_persistence([s], fear.half_life) for s in phys_series}
    rise_data = [rise_series(p, window=RISE_WINDOW) for p in fear_paths if p.episode.rungs]
    rise = fit_fear_rise(rise_data) if rise_data else None
    rise_loo = {s.id: fit_fear_rise([x for x in rise_data if x is not s]) for s in rise_data} if len(rise_data) > 1 else {}

    rng = np.random.default_rng(seed)
    fear_fitted = _fear_values(fear, fear_series)
    phys_fitted = _physical_values(physical, phys_series)
    boot_h, boot_rate = [], []
    for _ in range(replicates):
        f = fit_fear_decay(block_bootstrap(fear_series, fear_fitted, rng))
        boot_h.append(f.half_life)
        boot_rate.append(fit_physical_persistence(block_bootstrap(phys_series, phys_fitted, rng), f.half_life).rate)
    boot_h_a, boot_rate_a = np.array(boot_h), np.array(boot_rate)
    boot_rise: list[RiseFit] = []
    if rise is not None:
        rise_rng = np.random.default_rng([seed, 1])
        rise_fitted = _rise_values(rise, rise_data)
        boot_rise = [fit_fear_rise(block_bootstrap(rise_data, rise_fitted, rise_rng)) for _ in range(replicates)]

    def episode_json(p: OilPath) -> dict[str, Any]:
        return {
            "id": p.episode.id,
            "first_day": p.episode.first_day.isoformat(),
            "supply": p.episode.supply,
            "basis": p.episode.basis,
            "pre_close": {"date": p.pre_close[0].isoformat(), "price": p.pre_close[1]},
            "baseline": _r(p.baseline),
            "first_close": {"date": p.first_close[0].isoformat(), "price": p.first_close[1], "excess": _r(math.log(p.first_close[1] / p.baseline))},
            "jump": _r(p.jump),
            "jump_pct": _r(100 * math.expm1(p.jump), 4),
            "jump_day": p.jump_day,
            "peak": _r(p.peak),
            "peak_day": p.peak_day,
            "excess": {str(d): _r(x) for d, x in p.excess.items()},
            "left": {str(d): _r(x, 4) for d, x in p.left.items()},
            "last_day_in_data": p.last_day,
            "random_walk": [
                {
                    "horizon_days": b.horizon, "trading_days": b.steps, "sigma_daily": _r(b.sigma, 5), "log_width": _r(b.log_width, 5),
                    "relative_width": _r(b.relative_width, 5), "usd_width": _r(b.usd_width, 5), "realised_log_move": _r(b.realised, 5), "inside_band": b.inside,
                }
                for b in p.bands
            ],  # fmt: skip
            "path": [[t, d.isoformat(), c, _r(x, 6)] for t, d, c, x in p.path],
        }

    return {
        "what": "oil paths of past war episodes against their no-war price; fear half-life and physical persistence; random-walk bands",
        "command": command,
        "as_of": as_of.isoformat(),
        "bootstrap": {"replicates": replicates, "seed": seed, "resampling": "residuals in blocks of 5 closes within each episode, 5th and 95th percentiles"},
        "data": {"brent-daily.csv": {**file_facts(path), "rows_read": len(series.dates), "rows_after_as_of_unread": unread, "last_date_read": series.last_date.isoformat()}},
        "results": {
            "conventions": {
                "baseline": f"no-war price: geometric mean of the {BASELINE_DAYS} closes before the first day",
                "excess": "log(close / baseline); a day's close is the last on or before it",
                "jump": f"largest excess in days 0-{JUMP_DAYS} after the first day; peak: the same over days 0-{PEAK_DAYS}",
                "left": "excess on the day / jump",
                "random_walk": f"driftless, daily sd of the {VOLATILITY_DAYS} log returns before the first day, from the last close before it, weekdays as steps; 90% band",
                "fear_window_days": FEAR_WINDOW,
                "physical_window_days": PHYSICAL_WINDOW,
            },
            "episodes": [episode_json(p) for p in paths],
            "fear": {
                "episodes": [s.id for s in fear_series],
                "model": "excess = a_i * 2^(-t/h), t days since the jump, least squares",
                "half_life_days": _r(fear.half_life),
                "interval_90": _q(boot_h_a),
                "amplitudes": {k: _r(v) for k, v in fear.amplitudes.items()},
                "residual_sd": _r(fear.residual_sd),
                "n_closes": fear.n,
                "per_episode_half_life": {k: _r(v) for k, v in per_fear.items()},
                "leave_one_out_half_life": {k: _r(v) for k, v in loo.items()},
                "to_a_level_of_their_own": {
                    "model": "excess = c_i + a_i * 2^(-t/h): the fade toward wherever each market settled",
                    "half_life_days": _r(fear_level.half_life),
                    "levels": {k: _r(v) for k, v in fear_level.levels.items()},
                },
                "window_sensitivity": [
                    {"window_days": w, "half_life_days": _r(f.half_life), "at_bound": f.at_bound, "half_life_to_own_level_days": _r(g.half_life), "own_level_at_bound": g.at_bound}
                    for w, (f, g) in windows.items()
                ],
            },
            "rise": _rise_json(rise, rise_data, rise_loo, boot_rise),
            "physical": {
                "episodes": [s.id for s in phys_series],
                "model": "excess = f_i * 2^(-t/h_fear) + p_i * exp(-rate t), h_fear fixed at the fear fit, while supply was lost",
                "windows_days": {s.id: int(s.t[-1]) for s in phys_series},
                "rate_per_day": _r(physical.rate),
                "rate_interval_90": _q(boot_rate_a),
                "persistence_per_day": _r(physical.persistence),
                "persistence_interval_90": _q(np.exp(-boot_rate_a)),
                "half_life_days": _r(physical.half_life),
                "share_left_after_30_days": _r(math.exp(-30 * physical.rate)),
                "share_left_after_30_days_interval_90": _q(np.exp(-30 * boot_rate_a)),
                "fear_amplitudes": {k: _r(v) for k, v in physical.fear.items()},
                "physical_amplitudes": {k: _r(v) for k, v in physical.physical.items()},
                "residual_sd": _r(physical.residual_sd),
                "n_closes": physical.n,
                "per_episode_rate": {k: {"rate": _r(v.rate), "persistence": _r(v.persistence), "at_bound": v.at_bound} for k, v in per_phys.items()},
            },
        },
    }


def _rise_json(fit: RiseFit | None, data: Sequence[RiseSeries], loo: dict[str, RiseFit], boot: Sequence[RiseFit]) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {
        "episodes": [s.id for s in data],
        "rungs": {s.id: [list(r) for r in s.rungs] for s in data},
        "model": (
            "excess over the last close before the first day = held_i(t); each day level = level * 2^(-1/h) + a_i * (new rungs below the red line "
            "+ s * the red line if it came that day), held += r * (level - held); t days since the first day, least squares"
        ),
        "window_days": RISE_WINDOW,
        "half_life_days": _r(fit.half_life),
        "half_life_interval_90": _q([b.half_life for b in boot]),
        "uptake_per_day": _r(fit.uptake),
        "uptake_interval_90": _q([b.uptake for b in boot]),
        "rise_half_days": _r(fit.rise_days),
        "amplitudes_per_rung": {k: _r(v) for k, v in fit.amplitudes.items()},
        "amplitude_geometric_mean": _r(math.exp(float(np.mean(np.log(np.maximum(list(fit.amplitudes.values()), 1e-12)))))),
        "residual_sd": _r(fit.residual_sd),
        "n_closes": fit.n,
        "leave_one_out": {k: {"half_life_days": _r(v.half_life), "uptake_per_day": _r(v.uptake), "red_line_scale": _r(v.red_line_scale)} for k, v in loo.items()},
        "red_line": _red_line_json(fit, data, boot),
    }


def _red_line_json(fit: RiseFit, data: Sequence[RiseSeries], boot: Sequence[RiseFit]) -> dict[str, Any] | None:
    """The red line's fear as a multiple of its round's fear per rung, with the
    bootstrap's interval and moments."""
    if fit.red_line_scale is None:
        return None
    scales = np.array([b.red_line_scale for b in boot if b.red_line_scale is not None])
    return {
        "days": {s.id: list(s.red_line) for s in data if s.red_line},
        "model": f"on a day the round climbs to the red line the fear level adds s * a_i instead of a_i; s shared, fitted in [0, {RED_LINE_SCALE_MAX:g}]",
        "scale": _r(fit.red_line_scale),
        "at_bound": bool(fit.red_line_scale <= 1e-6 or fit.red_line_scale >= RED_LINE_SCALE_MAX - 1e-6),
        "scale_interval_90": _q(scales),
        "bootstrap_mean": _r(float(scales.mean())) if scales.size else None,
        "bootstrap_sd": _r(float(scales.std(ddof=1))) if scales.size > 1 else None,
    }


def render_oil_text(doc: dict[str, Any]) -> str:
    """A short table of the oil reference for the terminal."""
    res = doc["results"]
    lines = ["episode        supply    jump  day  peak  day   left@7  @14   @30   @60   rw90@7  rw90@30"]
    for e in res["episodes"]:
        left = "  ".join("  -  " if e["left"][k] is None else f"{e['left'][k]:+.2f}" for k in ("7", "14", "30", "60"))
        rw = "  ".join(f"{b['relative_width']:.3f}" for b in e["random_walk"])
        lines.append(f"{e['id']:14s} {e['supply']:8s} {e['jump']:.3f} {e['jump_day']:3d} {e['peak']:.3f} {e['peak_day']:3d}   {left}   {rw}")
    f, p = res["fear"], res["physical"]
    lines.append(f"fear half-life {f['half_life_days']} d, 90% {f['interval_90']}; leave-one-out {f['leave_one_out_half_life']}")
    if res.get("rise"):
        r = res["rise"]
        lines.append(f"fear build-up: half-life {r['half_life_days']} d, uptake {r['uptake_per_day']}/day (90% {r['uptake_interval_90']}); per rung {r['amplitudes_per_rung']}")
    lines.append(f"physical persistence {p['persistence_per_day']}/day, 90% {p['persistence_interval_90']}; share left after 30 d {p['share_left_after_30_days']}")
    return "\n".join(lines)
