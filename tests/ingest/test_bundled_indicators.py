"""The bundled scenario's indicators, declared in event terms, on the two source articles."""

from __future__ import annotations

import pytest

import realpolitik
from realpolitik.ingest import extract, observations_of, read_articles, scenario_patterns, scenario_vocabulary


@pytest.fixture(scope="module")
def events(sources_dir, nlp):
    scenario = realpolitik.load("default")
    return list(extract(read_articles([sources_dir]), nlp, scenario_vocabulary(scenario), scenario_patterns(scenario)))


def _with(results, indicator: str) -> list:
    return [e for r in results for e in r.events if indicator in e.indicators]


@pytest.mark.parametrize(
    ("indicator", "inventory", "modality", "source"),
    [
        ("mfa_condemnation", "I5", "asserted", "russia"),
        ("lavrov_calls", "I4", "asserted", "russia"),
        ("delegation_in_moscow", "I1", "conditional", "iran"),
        ("russian_veto", "I3", "predicted", "russia"),
        ("patriots_redirected", "I10", "hypothetical_or_feared", None),
        ("irgc_frustration", "I11", "reported", "iran"),
    ],
)
def test_each_indicator_is_found_with_its_modality(events, indicator: str, inventory: str, modality: str, source: str | None) -> None:
    found = _with(events, indicator)
    assert found, f"{indicator} ({inventory}) not matched"
    assert any(e.modality == modality and e.source == source for e in found), [(e.modality, e.source, e.text[:60]) for e in found]


def test_only_present_assertions_and_reports_become_observations(events) -> None:
    observed = {o.indicator for r in events for o in observations_of(r)}
    assert "irgc_frustration" in observed  # reported, in a dated article
    assert not observed & {"delegation_in_moscow", "russian_veto", "patriots_redirected"}  # conditional, predicted, feared
