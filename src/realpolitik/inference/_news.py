"""The news a store holds for a scenario, as :func:`~realpolitik.inference.update`
and :func:`~realpolitik.inference.watch` take it: the observations and the days
they cover.

This is where the ``inference`` layer reads the ``store``; the likelihoods and the
update itself stay pure functions of the observations and dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from realpolitik.errors import RealpolitikError
from realpolitik.inference._likelihood import Observation
from realpolitik.store import Store

__all__ = ["StoredNews", "news_date", "stored_news", "stored_observations"]


@dataclass(frozen=True)
class StoredNews:
    """The observations of a scenario's indicators a news store holds, and the days
    the news covers: what an update or a ranking of what to watch starts from.

    Attributes:
        observations: the reports dated up to ``now``, oldest first, labelled by
            article and event.
        now: the last day the news covers: the one asked for, else the newest
            stored article's publication day (else, with no news, the fallback day).
        covered_from: the oldest stored article's publication day; None when no
            article is dated (the news is then taken to start at its earliest
            observation).
    """

    observations: tuple[Observation, ...]
    now: dt.date
    covered_from: dt.date | None


def stored_observations(store: Store, scenario: str, *, until: dt.date | None = None) -> tuple[list[Observation], tuple[dt.date, dt.date] | None]:
    """The observations a news store holds for ``scenario`` (up to ``until``), labelled
    by article and event, and the first and last days its articles cover."""
    return _labelled(store, scenario, until), store.coverage()


def _labelled(store: Store, scenario: str, until: dt.date | None, published_until: dt.date | None = None) -> list[Observation]:
    """The store's observations of ``scenario`` up to ``until`` (and from articles
    published up to ``published_until``), labelled by article and event."""
    stored = store.observations(scenario, until=until, published_until=published_until)
    return [Observation(o.indicator, o.happened, o.confidence, f"{o.article} #{o.event}: {o.text[:80]}") for o in stored]


def news_date(store: Store | None, *, now: dt.date | None = None, today: dt.date | None = None) -> tuple[dt.date, dt.date | None]:
    """The day the news runs to (``now``, else the newest stored article's publication
    day, else ``today``) and the first day it covers (None without dated articles).

    Raises:
        RealpolitikError: no dated article and no ``today`` (no ``now`` either).

    Example:
        >>> news_date(None, today=dt.date(2026, 3, 12))
        (datetime.date(2026, 3, 12), None)
    """
    coverage = store.coverage() if store is not None else None
    if coverage is not None:
        first, newest = coverage
    elif today is not None:
        first, newest = None, today
    else:
        where = "the news store holds no dated article" if store is not None else "no news store"
        raise RealpolitikError(f"{where}: nothing to update with")
    return now or newest, first


def stored_news(store: Store | None, scenario: str, *, now: dt.date | None = None, today: dt.date | None = None) -> StoredNews:
    """The news ``store`` holds for ``scenario``, up to ``now`` (default: its newest article).

    No news at all (no store, or one whose articles carry no publication date) leaves
    nothing to update with, which is an error; a ranking of what to watch goes on
    against the prior instead, on ``today``. The caller reads the clock, so that the
    same store and arguments always give the same news.

    Args:
        store: an open news store, or None for no news.
        scenario: the name of the scenario whose indicators' observations to read.
        now: the last day the news covers; observations after it are left out.
        today: the day the news runs to when there is none and no ``now``; giving
            it makes no news acceptable.

    Raises:
        RealpolitikError: there is no news and no ``today``.
        DataError: the store cannot be read (a damaged file, a row no ingest writes);
            the message names the store's file (see :class:`~realpolitik.store.Store`).

    Example:
        >>> stored_news(None, "russia-iran-2026", today=dt.date(2026, 3, 12))
        StoredNews(observations=(), now=datetime.date(2026, 3, 12), covered_from=None)
    """
    last, first = news_date(store, now=now, today=today)
    observations = _labelled(store, scenario, last) if store is not None else []
    return StoredNews(tuple(observations), last, first)
