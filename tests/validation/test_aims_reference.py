"""How much regime-change aims raise the hazard of war: hand-made dyads where the
answer is known first, then the committed reference (``reference-aims.json``)
reproduced from ``../shared/data`` (skipped when absent)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import realpolitik
import realpolitik.validation.aims_reference as aims
from realpolitik.errors import DataError
from realpolitik.validation.reference import Duration
from realpolitik.validation.aims_reference import DirectedDyad, RegimeTarget, aim_escalation, aims_reference, pooled_bonus, read_gml_dyads, read_regime_targets, regime_fall_class, regime_fall_classes
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


def _regime_folder(tmp_path: Path, *, disputes: str, parts: str, dyads: str) -> Path:
    (tmp_path / "gml_dirdisp.csv").write_text(HEADER + dyads)
    (tmp_path / "gml_mid_disps.csv").write_text("dispnum,styear,outcome,hostlev,fatality\n" + disputes)
    (tmp_path / "gml_part.csv").write_text("dispnum,ccode,styear,stmon,stday,endyear,endmon,endday,sidea,obsid_start,obsid_end\n" + parts)
    return tmp_path


def _pair(number: int, challenger: int, target: int, challenger_force: int, target_force: int, year: int = 1990) -> str:
    """Both directions of a dyad in which ``challenger`` (side A) seeks ``target``'s regime change."""
    return f"{number},{challenger},{target},{year},1,0,1,0,3,0,-9,-9,{challenger_force}\n{number},{target},{challenger},{year},0,1,0,1,0,3,-9,-9,{target_force}\n"


def test_a_regime_falls_only_when_its_side_lost_and_its_leader_went(tmp_path: Path) -> None:
    folder = _regime_folder(
        tmp_path,
        disputes="1,1990,1,5,6\n2,1990,1,5,6\n3,1990,2,5,6\n4,1990,1,5,6\n5,1990,1,4,1\n6,1940,1,5,6\n",
        parts=(
            "1,2,1990,1,1,1990,3,1,1,USA-1,USA-1\n1,700,1990,1,1,1990,3,1,0,AFG-1,AFG-2\n"  # lost, leader gone: fell on day 60
            "2,2,1990,1,1,1990,3,1,1,USA-1,USA-1\n2,701,1990,1,1,1990,3,1,0,X-1,X-1\n"  # lost, same leader: censored
            "3,2,1990,1,1,1990,3,1,1,USA-1,USA-2\n3,702,1990,1,-9,1990,3,1,0,Y-1,Y-2\n"  # won (victory for B), leader changed: censored
            "4,2,1990,1,1,1990,3,1,1,USA-1,USA-1\n4,703,1990,1,1,1990,3,1,0,Z-1,Z-2\n"  # did not use force: dropped
            "5,2,1990,1,1,1990,1,10,1,USA-1,USA-1\n5,704,1990,1,1,1990,1,10,0,W-1,W-2\n"  # a use of force short of war
            "6,2,1940,1,1,1940,3,1,1,USA-0,USA-0\n6,705,1940,1,1,1940,3,1,0,V-1,V-2\n"  # before 1946: not read
        ),
        dyads=_pair(1, 2, 700, 5, 5) + _pair(2, 2, 701, 5, 5) + _pair(3, 2, 702, 5, 5) + _pair(4, 2, 703, 5, 3) + _pair(5, 2, 704, 4, 4) + _pair(6, 2, 705, 5, 5, 1940),
    )
    targets = {t.state: t for t in read_regime_targets(folder)}
    assert set(targets) == {700, 701, 702, 703, 704}  # the challenger (no one sought its regime's change) and 1940 are not targets
    assert [targets[s].fell for s in (700, 701, 702, 703, 704)] == [True, False, False, True, True]
    assert (targets[702].shortest, targets[702].longest) == (30, 60)  # the first day missing: 1 to 31 January
    war = regime_fall_class(targets.values())
    assert {d.episode: (d.lower, d.upper) for d in war.durations} == {"gml:1:700": (60, 60), "gml:2:701": (60, None), "gml:3:702": (30, None)}
    assert war.dropped == {"the target did not use force": 1, "hostility below 5": 1}
    force = regime_fall_class(targets.values(), min_hostility=4, min_fatality=1, name="force")
    assert force.durations[-1] == Duration("gml:5:704", 10, 10) and force.n == 4


_TARGETS = st.builds(
    lambda n, hostility, fatality, own, shortest, extra, fell: RegimeTarget(n, 700, frozenset({2}), 1990, hostility, fatality, own, shortest, shortest + extra, fell),
    st.integers(1, 10_000), st.integers(1, 5), st.one_of(st.none(), st.integers(0, 6)), st.integers(0, 5), st.integers(1, 5_000), st.integers(0, 60), st.booleans(),
)  # fmt: skip


@given(st.lists(_TARGETS, max_size=40), st.integers(4, 5), st.one_of(st.none(), st.integers(1, 6)))
def test_every_target_is_kept_or_dropped_once_and_only_a_fall_ends(targets: list[RegimeTarget], hostility: int, fatality: int | None) -> None:
    c = regime_fall_class(targets, min_hostility=hostility, min_fatality=fatality)
    assert c.n + sum(c.dropped.values()) == len(targets)
    kept = [t for t in targets if t.hostility >= hostility and t.own_hostility >= 4 and (fatality is None or (t.fatality is not None and t.fatality >= fatality))]
    assert [d.upper is not None for d in c.durations] == [t.fell for t in kept]
    assert all(d.lower == t.shortest and (d.upper is None or d.upper == t.longest) for d, t in zip(c.durations, kept, strict=True))


def test_a_bad_target_row_is_reported_with_its_file_line_and_column(tmp_path: Path) -> None:
    folder = _regime_folder(tmp_path, disputes="1,1990,1,5,6\n", parts="1,700,1990,1,1,1990,2,-9,0,A-1,A-2\n1,700,1990,3,40,1990,3,1,0,A-1,A-2\n", dyads=_pair(1, 2, 700, 5, 5))
    with pytest.raises(DataError) as caught:
        read_regime_targets(folder)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column, problem.path) == (str(folder / "gml_part.csv"), 3, 4, "stmon") and "not a valid date" in problem.message


def test_public_names_are_pinned() -> None:
    assert sorted(aims.__all__) == sorted([
        "REGIME", "REGIME_FALL_CLASSES", "AimEscalation", "DirectedDyad", "RegimeTarget", "aim_escalation", "aims_reference", "own_hostility", "pooled_bonus", "read_gml_dyads",
        "read_regime_targets", "regime_fall_class", "regime_fall_classes", "render_aims_text",
    ])  # fmt: skip


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


def test_regimes_fought_over_in_war_fell_as_the_collapse_fit_says() -> None:
    """The facts the bundled scenario's ``collapse_scale`` cites: 27 targets of wars
    over their regime since 1946, of which Hungary (1956) and Afghanistan (2001) fell
    within 190 days and Iraq (2003) after years; the wider class counts uses of force
    with deaths."""
    conflict = SHARED / "data" / "conflict"
    if not (conflict / "gml_part.csv").is_file():
        pytest.skip("../shared/data/conflict is absent (a fresh clone has no shared data)")
    classes = regime_fall_classes(conflict)
    war, force = classes["gml_regime_war"], classes["gml_regime_force"]
    assert war.n == 27 and {d.episode: d.lower for d in war.durations if d.upper is not None} == {"gml:606:310": 23, "gml:4283:700": 62, "gml:4273:645": 2034}
    assert force.n == 80 and force.n - force.censored == 5
    assert "revision type 3" in war.rule and "gml_part" in war.source
