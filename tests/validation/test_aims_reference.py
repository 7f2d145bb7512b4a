"""How much regime-change aims raise the hazard of war: hand-made dyads where the
answer is known first, then the committed reference (``reference-aims.json``)
reproduced from ``../shared/data`` (skipped when absent)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import realpolitik
import realpolitik.validation.aims_reference as aims
from realpolitik.errors import DataError
from realpolitik.validation.aims_reference import DirectedDyad, aim_escalation, aims_reference, pooled_bonus, read_gml_dyads
from tests.conftest import ROOT, SHARED
from tests.validation.test_reference import _same

AIMS_JSON = ROOT / "benchmarks" / "results" / "reference-aims.json"
HEADER = "dispnum,ccode1,ccode2,year,sidea1,sidea2,revstate1,revstate2,revtype11,revtype12,revtype21,revtype22,hostlev1\n"


def _dyads(p_regime: float, p_other: float, n_regime: int, n_other: int, seed: int = 0) -> list[DirectedDyad]:
    """Dyads of which exactly the shares ``p_regime`` and ``p_other`` reached war, in a random order."""
    wars = np.concatenate([np.arange(n_regime) < round(p_regime * n_regime), np.arange(n_other) < round(p_other * n_other)])
    order = np.random.default_rng(seed).permutation(n_regime + n_other)
    out = []
    for i in order:
        regime, war = i < n_regime, bool(wars[i])
        out.append(DirectedDyad(i, 1, 2, 1990, frozenset({3}) if regime else frozenset({2}), frozenset({3}) if regime else frozenset({1}), 5 if war else 4))
    return out


def test_the_log_ratio_of_cumulative_hazards_is_recovered() -> None:
    truth = math.log(math.log(1 - 0.3) / math.log(1 - 0.05))
    rows = aim_escalation(_dyads(0.3, 0.05, 600, 6000), replicates=400)
    for side in ("target", "challenger"):
        war = next(r for r in rows if (r.side, r.threshold) == (side, 5))
        assert war.interval_90[0] <= truth <= war.interval_90[1]
        assert abs(war.log_ratio - truth) < 0.01  # the +1/2 correction only
        force = next(r for r in rows if (r.side, r.threshold) == (side, 4))
        assert force.regime == force.regime_n  # every dyad reached force at least


def test_no_difference_gives_a_ratio_near_zero_whose_interval_holds_it() -> None:
    rows = aim_escalation(_dyads(0.1, 0.1, 500, 5000), replicates=400)
    war = next(r for r in rows if (r.side, r.threshold) == ("target", 5))
    assert war.interval_90[0] < 0 < war.interval_90[1]


def test_old_disputes_are_left_out_and_a_group_without_dyads_is_refused() -> None:
    old = [DirectedDyad(i, 1, 2, 1900, frozenset(), frozenset({3 if i % 2 else 2}), 5) for i in range(10)]
    with pytest.raises(ValueError, match="since 1946"):
        aim_escalation(old, replicates=0)


def test_the_pooled_bonus_spans_both_sides_intervals() -> None:
    rows = aim_escalation(_dyads(0.3, 0.05, 300, 3000), replicates=200)
    mean, sd = pooled_bonus(rows)
    war = [r for r in rows if r.threshold == 5]
    assert mean - 1.6449 * sd == pytest.approx(min(r.interval_90[0] for r in war), abs=1e-4)
    assert mean + 1.6449 * sd == pytest.approx(max(r.interval_90[1] for r in war), abs=1e-4)


def test_dyad_years_are_merged_and_same_side_pairs_dropped(tmp_path: Path) -> None:
    (tmp_path / "gml_dirdisp.csv").write_text(
        HEADER
        + "10,2,95,1988,1,0,1,0,3,0,-9,-9,3\n"  # the US seeking Panama's regime change
        + "10,2,95,1989,1,0,1,0,3,0,-9,-9,4\n"
        + "10,95,2,1988,0,1,0,1,0,3,-9,-9,4\n"  # Panama facing it
        + "11,2,200,1990,1,1,0,0,0,0,-9,-9,4\n"  # allies: dropped
    )
    dyads = {(d.dispute, d.state): d for d in read_gml_dyads(tmp_path)}
    assert set(dyads) == {(10, 2), (10, 95)}
    us, panama = dyads[(10, 2)], dyads[(10, 95)]
    assert (us.first_year, us.hostility, us.own_aims, us.opponent_aims) == (1988, 4, frozenset({3}), frozenset())
    assert (panama.own_aims, panama.opponent_aims) == (frozenset(), frozenset({3}))


def test_a_bad_field_is_reported_with_its_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "gml_dirdisp.csv").write_text(HEADER + "10,2,95,1988,1,0,1,0,3,0,-9,-9,high\n")
    with pytest.raises(DataError) as caught:
        read_gml_dyads(tmp_path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.path) == (2, 13, "hostlev1") and "not a number" in problem.message
    with pytest.raises(DataError, match="no such file"):
        read_gml_dyads(tmp_path / "nowhere")


def test_public_names_are_pinned() -> None:
    assert sorted(aims.__all__) == sorted(["REGIME", "AimEscalation", "DirectedDyad", "aim_escalation", "aims_reference", "pooled_bonus", "read_gml_dyads", "render_aims_text"])


# --------------------------------------------------------------------------- on ../shared/data


def test_the_committed_reference_is_reproduced_and_the_scenario_cites_it() -> None:
    conflict = SHARED / "data" / "conflict"
    if not (conflict / "gml_dirdisp.csv").is_file():
        pytest.skip("../shared/data/conflict is absent (a fresh clone has no shared data)")
    doc = json.loads(AIMS_JSON.read_text())
    assert doc["command"] == "python -m realpolitik.validation.reference aims --conflict ../shared/data/conflict --json"
    again = aims_reference(conflict, replicates=doc["bootstrap"]["replicates"], seed=doc["bootstrap"]["seed"])
    _same(again["results"], doc["results"], "results")
    assert again["data"]["gml_dirdisp.csv"]["sha256"] == doc["data"]["gml_dirdisp.csv"]["sha256"]
    spec = realpolitik.load("russia-iran-2026").spec.parameters["regime_change_push"]
    pooled = doc["results"]["pooled_war_bonus"]
    assert spec.basis == "data" and spec.data.file == "benchmarks/results/reference-aims.json"
    assert (spec.prior.mean, spec.prior.sd) == (pooled["mean"], pooled["sd"])
