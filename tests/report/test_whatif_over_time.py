"""The report's what-if over time: each question's change at its checkpoints, and the
paths the intervention changed, charted day by day with their paired intervals."""

from __future__ import annotations

import json
import re

import pytest

import realpolitik
from realpolitik.analysis import what_if
from realpolitik.engine import Intervention
from realpolitik.report import build_report
from realpolitik.report._build import MAX_PATH_CHARTS


@pytest.fixture(scope="module")
def built() -> tuple[str, realpolitik.analysis.Comparison]:
    scenario = realpolitik.load("default")
    results = scenario.run(runs=400, seed=2, horizon=60)
    cmp = what_if(scenario, Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@10"]), runs=400, seed=2, horizon=60)
    return build_report(results, scenario, whatif=json.loads(cmp.to_json())), cmp


def _section(page: str) -> str:
    match = re.search(r'<section id="whatif">(.*?)</section>', page, re.S)
    assert match
    return match.group(1)


def test_each_question_shows_its_change_at_its_checkpoints(built) -> None:  # type: ignore[no-untyped-def]
    page, cmp = built
    section = _section(page)
    q5 = cmp.delta("Q5")
    for c in q5.checkpoints:
        assert f"on {c.date.isoformat()}:" in section
    # a question with no checkpoints gets no line
    assert section.count("on 2026-") == sum(len(d.checkpoints) for d in cmp.deltas)


def test_the_changed_paths_are_charted_and_only_they(built) -> None:  # type: ignore[no-untyped-def]
    page, cmp = built
    changed = [p for p in cmp.paths if p.changed]
    assert changed, "diverting interceptors changes the shortfall's path"
    charted = re.findall(r"Change over time: ([a-z_]+): ([a-z_]+)", page)
    assert 0 < len(set(charted)) <= MAX_PATH_CHARTS
    names = {(p.element, p.stat) for p in changed}
    assert set(charted) <= names
    assert ("ukraine_interceptor_shortfall", "mean") in set(charted)
    assert f"{len(changed)} of {len(cmp.paths)} per-step statistics changed" in _section(page)


def test_an_empty_intervention_charts_no_path() -> None:
    scenario = realpolitik.load("default")
    results = scenario.run(runs=200, seed=1, horizon=30)
    cmp = what_if(scenario, Intervention(), runs=200, seed=1, horizon=30)
    page = build_report(results, scenario, whatif=json.loads(cmp.to_json()))
    assert "Change over time:" not in page
    assert f"0 of {len(cmp.paths)} per-step statistics changed" in _section(page)
