"""The bundled scenario conditioned on the shared 2026 timeline and Brent closes as of
2026-03-07 describes the situation the timeline does (where the model can reach it).

The bundled scenario starts on 2026-03-08 with its own judgement of that morning; to be
filtered on the news and prices of the war's first week it must start earlier. The
variant here starts on 2026-02-27 (the last close before the strikes) at the lowest
rung, and widens only what the test needs, each said below: Hormuz's cost to Iran (a
wider prior) and how often a day's summary restates a disruption that goes on (the
indicator's ``p_report``). The bundled scenario's rebuild (the model issue) is where
these become sourced dynamics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import realpolitik
from realpolitik.inference import condition, evidence_as_of

from tests.conftest import SHARED

TIMELINE = SHARED / "data" / "news" / "iran-2026-timeline" / "before-2026-03-08.jsonl"
BRENT = SHARED / "data" / "oil" / "brent-daily.csv"
AS_OF = dt.date(2026, 3, 7)

PREWAR = """\
extends: russia-iran-2026
name: russia-iran-2026-prewar
clock: {start: 2026-02-27, horizon_days: 180}
variables:
  brent: {initial: 71.32, rationale: "EIA Brent close on 2026-02-27 (brent-daily.csv)"}
  escalation: {initial: calm, rationale: "The day before the strikes of 28 February"}
parameters:
  hormuz_cost:
    prior: {dist: uniform, low: 0, high: 8.5}
    rationale: "Widened for this test (judgement): the bundled 6-8.5 makes a disruption in the first week all but impossible"
indicators:
  hormuz_disruption:
    p_report: 0.4
    rationale: "Widened for this test (judgement): a daily summary restates a disruption that goes on on some days, not every day"
"""


@pytest.fixture(scope="module")
def conditioned(tmp_path_factory):  # type: ignore[no-untyped-def]
    if not TIMELINE.is_file() or not BRENT.is_file():
        pytest.skip("../shared/data (the 2026 timeline and Brent closes) is absent")
    pytest.importorskip("spacy")
    from realpolitik.ingest import ingest, load_pipeline
    from realpolitik.store import Store

    folder = tmp_path_factory.mktemp("prewar")
    path = folder / "prewar.yaml"
    path.write_text(PREWAR, encoding="utf-8")
    scenario = realpolitik.load(path)
    db = folder / "news.duckdb"
    with Store(db) as store:
        ingest([str(TIMELINE)], store=store, nlp=load_pipeline(), scenario=scenario, today=AS_OF)
    evidence = evidence_as_of(scenario, AS_OF, db=db, prices={"brent": BRENT})
    return scenario, evidence, condition(scenario, evidence, runs=6000, seed=1)


def test_the_timeline_and_closes_are_read_up_to_the_date(conditioned) -> None:  # type: ignore[no-untyped-def]
    _, evidence, c = conditioned
    assert evidence.reports and all(o.date <= AS_OF for o in evidence.reports)
    assert {o.indicator for o in evidence.reports} >= {"hormuz_disruption", "tit_for_tat_round"}
    assert c.price_points["brent"] == 6  # the closes of 2026-02-27 and 2026-03-02..06
    assert c.days[-1].date == AS_OF


def test_the_war_is_at_least_tit_for_tat(conditioned) -> None:  # type: ignore[no-untyped-def]
    scenario, _, c = conditioned
    tit_for_tat = scenario.model.level_codes["tit_for_tat"]
    assert np.mean(c.origin.state["escalation"] >= tit_for_tat) >= 0.9


def test_brent_is_centred_on_the_last_close(conditioned) -> None:  # type: ignore[no-untyped-def]
    _, _, c = conditioned
    assert abs(np.median(c.origin.state["brent"]) / 95.74 - 1) < 0.03  # EIA close of 2026-03-06


@pytest.mark.xfail(strict=True, reason=(
    "Hormuz disrupted with probability 0.6-0.7, not >= 0.9: the three Hormuz reports are extracted with confidence "
    "0.45-0.65 (claims), which under the observation model weighs about as much as no report; the model issue "
    "(sourced Hormuz dynamics) and the news issue (attributed claims) are where this is met"
))
def test_hormuz_is_disrupted(conditioned) -> None:  # type: ignore[no-untyped-def]
    _, _, c = conditioned
    assert np.mean(c.origin.state["hormuz"] != 0) >= 0.9
