"""Indicator and decision patterns: what matches, and laws of matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realpolitik.ingest import EVENT_TYPES, Event, EventPattern, apply_patterns, matches


def _event(kind: str = "ACCUSE", source: str | None = "Russia", target: str | None = "Israel", text: str = "Russia condemned the strikes on Iran") -> Event:
    return Event(kind, source, target, "asserted", None, None, "unknown", 0, len(text), text, 0.8, "condemn", 7, 16)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (EventPattern("any"), True),
        (EventPattern("type", types={"ACCUSE", "REJECT"}), True),
        (EventPattern("other type", types={"ASSAULT"}), False),
        (EventPattern("source", sources={"Russia"}), True),
        (EventPattern("other source", sources={"Iran"}), False),
        (EventPattern("target", targets={"Israel", "United States"}), True),
        (EventPattern("other target", targets={"Iran"}), False),
        (EventPattern("keyword", keywords=("strike",)), True),
        (EventPattern("keyword case", keywords=("CONDEMN",)), True),
        (EventPattern("phrase", keywords=("the strikes",)), True),
        (EventPattern("any keyword", keywords=("veto", "strikes")), True),
        (EventPattern("no keyword", keywords=("veto",)), False),
        (EventPattern("no part word", keywords=("rike",)), False),
        (EventPattern("I5", types={"ACCUSE"}, sources={"Russia"}, targets={"Israel", "United States"}, keywords=("strike",)), True),
    ],
)
def test_what_a_pattern_matches(pattern: EventPattern, expected: bool) -> None:
    assert matches(_event(), pattern) is expected


def test_a_pattern_with_a_source_does_not_match_an_event_without_one() -> None:
    assert not matches(_event(source=None), EventPattern("p", sources={"Russia"}))
    assert matches(_event(source=None), EventPattern("p", types={"ACCUSE"}))


def test_applying_patterns_names_the_indicators_and_the_first_decision() -> None:
    patterns = [
        EventPattern("I5", types={"ACCUSE"}, sources={"Russia"}),
        EventPattern("I9", types={"ASSAULT"}),
        EventPattern("condemn_only", types={"ACCUSE"}, kind="decision"),
        EventPattern("any_russian_move", sources={"Russia"}, kind="decision"),
        EventPattern("I7", keywords=("strikes",)),
    ]
    event = apply_patterns(_event(), patterns)
    assert (event.indicators, event.decision) == (("I5", "I7"), "condemn_only")
    untouched = apply_patterns(_event(kind="AID", source="Iran"), patterns[:3])
    assert (untouched.indicators, untouched.decision) == ((), None)


def test_patterns_refuse_unknown_types_and_kinds() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        EventPattern("bad", types={"CONDEMN"})
    with pytest.raises(ValueError, match="kind must be"):
        EventPattern("bad", kind="observation")  # type: ignore[arg-type]


def test_a_single_string_is_one_item() -> None:
    pattern = EventPattern("p", types="ACCUSE", sources="Russia", keywords="strike")
    assert (pattern.types, pattern.sources, pattern.keywords) == (frozenset({"ACCUSE"}), frozenset({"Russia"}), ("strike",))


_ACTORS = st.sampled_from(["Russia", "Iran", "Israel", "United States", None])
_EVENTS = st.builds(_event, st.sampled_from(EVENT_TYPES), _ACTORS, _ACTORS, st.sampled_from(["Russia vetoed it", "strikes on Iran", "talks in Doha", ""]))
_PATTERNS = st.builds(
    EventPattern,
    st.just("p"),
    st.frozensets(st.sampled_from(EVENT_TYPES), max_size=3),
    st.frozensets(st.sampled_from(["Russia", "Iran", "Israel"]), max_size=2),
    st.frozensets(st.sampled_from(["Russia", "Iran", "Israel"]), max_size=2),
    st.lists(st.sampled_from(["strike", "veto", "talks"]), max_size=2).map(tuple),
)


@given(_EVENTS, _PATTERNS)
def test_dropping_a_condition_never_loses_a_match(event: Event, pattern: EventPattern) -> None:
    if matches(event, pattern):
        for looser in (
            EventPattern("p", frozenset(), pattern.sources, pattern.targets, pattern.keywords),
            EventPattern("p", pattern.types, frozenset(), pattern.targets, pattern.keywords),
            EventPattern("p", pattern.types, pattern.sources, frozenset(), pattern.keywords),
            EventPattern("p", pattern.types, pattern.sources, pattern.targets, ()),
        ):
            assert matches(event, looser)


@given(_EVENTS)
def test_the_empty_pattern_matches_every_event(event: Event) -> None:
    assert matches(event, EventPattern("everything"))


def test_a_class_of_sites_matches_its_members_and_nothing_else() -> None:
    from dataclasses import replace as _replace

    from realpolitik.ingest import Event, EventPattern, matches

    base = Event("ASSAULT", "Israel", "Iran", "asserted", None, None, "unknown", 0, 1, "x", 0.9, "hit", 0, 1)
    red_line = EventPattern("red_line", types={"ASSAULT"}, targets={"Iran"}, keywords=("civilian", "nuclear", "energy infrastructure"))
    for text, expected in [
        ("strikes hit the Gandhi hospitals in Tehran", True),
        ("a girls' elementary school was struck", True),
        ("a refinery in Abadan burned", True),
        ("the reactor at Bushehr", True),
        ("strikes hit missile launch pads", False),
    ]:
        assert matches(_replace(base, text=text), red_line) is expected, text
