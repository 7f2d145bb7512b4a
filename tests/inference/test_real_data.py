"""The bundled scenario conditioned on the shared 2026 timeline as ingest reads it
(not its own curated log) and on the Brent closes, as of 2026-03-07, describes the
situation the timeline does.

The bundled scenario starts on the war's first day (2026-02-28) and carries a log of
the first week written by hand; here that log is left out (``log: null``), so that
the runs rest only on what `realpolitik ingest` extracts from the raw timeline.
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
name: russia-iran-2026-from-the-news
log: null
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
    assert c.price_points["brent"] == 5  # the closes of 2026-03-02..06 (02-27's is before the start)
    assert c.days[-1].date == AS_OF


def test_the_war_is_at_least_tit_for_tat(conditioned) -> None:  # type: ignore[no-untyped-def]
    scenario, _, c = conditioned
    tit_for_tat = scenario.model.level_codes["tit_for_tat"]
    assert np.mean(c.origin.state["escalation"] >= tit_for_tat) >= 0.9


def test_brent_is_centred_on_the_last_close(conditioned) -> None:  # type: ignore[no-untyped-def]
    _, _, c = conditioned
    assert abs(np.median(c.origin.state["brent"]) / 95.74 - 1) < 0.03  # EIA close of 2026-03-06


@pytest.mark.xfail(strict=True, reason=(
    "From the raw timeline Hormuz comes out disrupted in only 5-40% of runs (the scenario's curated log gives 99%): ingest "
    "reads the four Hormuz days as claims at confidence 0.45-0.8, which under the observation model weigh little against "
    "the covered days that do not name Hormuz; a model of attributed claims (whose claim, how often true) is what is missing"
))
def test_hormuz_is_disrupted(conditioned) -> None:  # type: ignore[no-untyped-def]
    _, _, c = conditioned
    assert np.mean(c.origin.state["hormuz"] != 0) >= 0.9
