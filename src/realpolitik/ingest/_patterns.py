"""Indicator and decision patterns: an event described in event terms, and matching.

A scenario declares an indicator as who does what to whom (sources, PLOVER types,
targets) and, optionally, words the event's text must contain. An empty set means
"any". A keyword that names a class of sites (:data:`SITE_CLASSES`: "civilian",
"nuclear", "energy infrastructure" ...) also matches the words for its members: a
strike on "a girls' school" is a strike on a civilian site. The modality is not part of matching: whether a matched event counts as an
observation (asserted, reported or claimed, in the present) is the caller's decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from realpolitik.ingest._events import Event
from realpolitik.ingest._lexicon import EVENT_TYPES

__all__ = ["SITE_CLASSES", "EventPattern", "apply_patterns", "matches"]

#: Keywords that name a class of sites, and the words that name its members (news
#: reports "a hospital was hit", seldom "a civilian site"). A pattern's keyword equal to
#: a class name (case aside) matches any member too. Written for this project.
SITE_CLASSES: dict[str, tuple[str, ...]] = {
    "civilian": (
        "civilian", "school", "kindergarten", "university", "hospital", "clinic", "medical", "ambulance",
        "home", "house", "residential", "apartment", "housing", "neighbourhood", "neighborhood", "mosque",
        "church", "synagogue", "shrine", "court", "courthouse", "stadium", "sports hall", "sports complex",
        "arena", "market", "bazaar", "museum", "heritage site", "World Heritage", "broadcaster", "broadcasting",
        "television station", "desalination", "water supply", "water plant", "bakery", "shelter", "refugee camp",
    ),
    "nuclear": ("nuclear", "reactor", "enrichment", "centrifuge", "uranium", "atomic", "heavy water"),
    "energy infrastructure": (
        "energy infrastructure", "refinery", "oil facility", "oil field", "oilfield", "oil company", "oil terminal",
        "oil depot", "fuel depot", "oil export", "gas field", "gas plant", "gas facility", "pipeline",
        "power station", "power plant", "power grid", "petrochemical", "electricity",
    ),
    "infrastructure": ("infrastructure", "bridge", "railway", "airport", "port", "power plant", "power station", "desalination"),
}  # fmt: skip


@dataclass(frozen=True)
class EventPattern:
    """An event to look for.

    Attributes:
        name: the indicator's or decision option's name, reported on matching events.
        types: PLOVER types that match; empty: any type.
        sources: actor names (as the vocabulary resolves them) that may be the source;
            empty: any source, none included.
        targets: actor names that may be the target; empty: any target, none included.
        keywords: words or phrases of which at least one must occur in the event's
            text (case aside; a plural or -ed/-ing ending still matches; a class of
            :data:`SITE_CLASSES` matches its members too); empty: no condition.
        kind: ``"indicator"`` or ``"decision"``.

    Raises:
        ValueError: a type is not a PLOVER type, or the kind is unknown.
    """

    name: str
    types: frozenset[str] = field(default_factory=frozenset)
    sources: frozenset[str] = field(default_factory=frozenset)
    targets: frozenset[str] = field(default_factory=frozenset)
    keywords: tuple[str, ...] = ()
    kind: Literal["indicator", "decision"] = "indicator"

    def __post_init__(self) -> None:
        for name in ("types", "sources", "targets"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, frozenset(value))
        if isinstance(self.keywords, str):
            object.__setattr__(self, "keywords", (self.keywords,))
        else:
            object.__setattr__(self, "keywords", tuple(self.keywords))
        unknown = sorted(self.types - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"pattern {self.name!r}: unknown event type(s) {unknown}; expected some of {', '.join(EVENT_TYPES)}")
        if self.kind not in ("indicator", "decision"):
            raise ValueError(f"pattern {self.name!r}: kind must be 'indicator' or 'decision', not {self.kind!r}")


@lru_cache(maxsize=1024)
def _keyword_regex(keyword: str) -> re.Pattern[str]:
    phrases = SITE_CLASSES.get(keyword.casefold(), ()) + (keyword,)
    alternatives = [r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in phrases]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?:s|es|ed|d|ing)?(?!\w)", re.IGNORECASE)


def matches(event: Event, pattern: EventPattern) -> bool:
    """Whether ``event`` is an instance of ``pattern``.

    Example:
        >>> e = Event("ACCUSE", "Russia", "Israel", "asserted", None, None, "unknown", 0, 28, "Russia condemned the strikes", 0.9, "condemn", 7, 16)
        >>> matches(e, EventPattern("I5", types={"ACCUSE"}, sources={"Russia"}, keywords=("strike",)))
        True
        >>> matches(e, EventPattern("I5", types={"ACCUSE"}, sources={"Iran"}))
        False
        >>> hit = replace(e, type="ASSAULT", text="Israeli jets struck a girls' school")
        >>> matches(hit, EventPattern("red_line", types={"ASSAULT"}, keywords=("civilian", "nuclear")))
        True
    """
    if pattern.types and event.type not in pattern.types:
        return False
    if pattern.sources and event.source not in pattern.sources:
        return False
    if pattern.targets and event.target not in pattern.targets:
        return False
    if pattern.keywords and not any(_keyword_regex(k).search(event.text) for k in pattern.keywords):
        return False
    return True


def apply_patterns(event: Event, patterns: Iterable[EventPattern]) -> Event:
    """The event with the names of the indicator patterns it matches and the first decision pattern it matches."""
    indicators: list[str] = []
    decision: str | None = None
    for pattern in patterns:
        if matches(event, pattern):
            if pattern.kind == "indicator":
                indicators.append(pattern.name)
            elif decision is None:
                decision = pattern.name
    if not indicators and decision is None:
        return event
    return replace(event, indicators=tuple(indicators), decision=decision)
