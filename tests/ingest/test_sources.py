"""The issue's checks on the two source articles (../shared/sources): what ingest must find.

The articles are read from ../shared; only a few words of each are used here, as locators.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.ingest import ActorVocabulary, ArticleResult, Event, default_vocabulary, extract, read_articles

# What a scenario supplies: its actors with officials' names (the default vocabulary knows only countries).
SCENARIO_ACTORS = {"russia": ["Russia", "Putin", "Lavrov"], "iran": ["Iran", "Revolutionary Guard"], "united_states": ["United States"], "israel": ["Israel"]}


@pytest.fixture(scope="module")
def results(sources_dir: Path, nlp) -> dict[str, ArticleResult]:
    vocabulary = ActorVocabulary.from_mapping(SCENARIO_ACTORS, base=default_vocabulary())
    out = {}
    for item in extract(read_articles(sorted(sources_dir.glob("*.txt"))), nlp, vocabulary):
        assert isinstance(item, ArticleResult), str(item)
        out[Path(item.article.path).name[:3]] = item
    return out


def _find(result: ArticleResult, locator: str, **wanted: object) -> Event:
    """The event whose clause holds ``locator`` and has every wanted attribute."""
    candidates = [e for e in result.events if locator in e.text]
    assert candidates, f"no event around {locator!r}"
    for event in candidates:
        if all(getattr(event, k) == v for k, v in wanted.items()):
            return event
    raise AssertionError(f"around {locator!r}: {[(e.type, e.source, e.target, e.modality, e.claimant) for e in candidates]}, wanted {wanted}")


def test_the_article_date_comes_from_the_head_of_the_text(results) -> None:
    assert str(results["000"].article.published) == "2026-03-08"
    assert results["003"].article.published is None


def test_russias_foreign_ministry_condemning_the_strikes_is_an_asserted_accusation(results) -> None:
    _find(results["003"], "denounced the aerial campaign", type="ACCUSE", source="russia", modality="asserted")
    _find(results["003"], "calculated provocation", type="ACCUSE", source="russia", modality="asserted")


def test_lavrovs_calls_are_asserted_consultations_with_each_country(results) -> None:
    events = [e for e in results["003"].events if "working the phones" in e.text]
    assert {(e.type, e.source, e.modality) for e in events} == {("CONSULT", "russia", "asserted")}
    assert sorted(e.target for e in events) == ["Egypt", "Jordan", "Qatar"]


def test_the_iranian_delegation_landing_in_moscow_is_conditional(results) -> None:
    _find(results["003"], "delegation land in Moscow", type="CONSULT", source="iran", target="russia", modality="conditional")


def test_the_expected_veto_is_predicted(results) -> None:
    _find(results["003"], "veto power", type="REJECT", source="russia", modality="predicted")


def test_ukraines_fear_for_its_patriot_interceptors_is_feared(results) -> None:
    event = _find(results["000"], "Patriot systems", modality="hypothetical_or_feared")
    assert event.type == "SANCTION"  # military aid redirected: aid reduced


def test_the_revolutionary_guard_general_blaming_russia_is_reported(results) -> None:
    event = _find(results["000"], "blaming Russia", type="ACCUSE", target="russia", modality="reported")
    assert event.source == "iran" and event.claimant == "Leaked audio recordings"


def test_the_2025_treaty_and_the_2022_drone_deal_are_historical(results) -> None:
    treaty = _find(results["000"], "treaty", modality="historical")
    assert (treaty.date, treaty.date_precision) == ("2025-01", "month")
    deals = [e for e in results["000"].events if "Shahed drones" in e.text and e.trigger == "sign deal"]
    assert {(e.source, e.modality, e.claimant, e.date) for e in deals} == {("russia", "historical", "The West", "2022"), ("iran", "historical", "The West", "2022")}


def test_russia_offering_no_military_assistance_is_negated(results) -> None:
    _find(results["000"], "offering no military assistance", type="AID", modality="negated")
