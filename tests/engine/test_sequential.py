"""Sequential moves within a step: a decision taken ``after`` others chooses from the
state their chosen options leave, on the same step, in both steps (NumPy and Numba)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import Intervention, run
from realpolitik.engine._step import Streams, advance, initial_state
from realpolitik.scenario import describe
from tests.engine.strategies import scenario_texts

#: A strikes on about 5% of days; B can retaliate only where A's decision says strike,
#: and then always does (utility 50).
STRIKE_AND_REPLY = """\
name: strike-and-reply
clock: {{start: 2026-01-01, step_days: 1, horizon_days: 60}}
actors:
  a:
    decisions:
      attack:
        options:
          hold: {{}}
          strike: {{utility: -3}}
  b:
    decisions:
      response:{after}
        options:
          absorb: {{}}
          retaliate: {{when: "attack == strike", utility: 50}}
"""

#: Three decisions that read each other (utilities, effects, preconditions), with an
#: event and a mechanism that read them too.
INTERLOCKED = """\
name: interlocked
clock: {start: 2026-01-01, step_days: 1, horizon_days: 60}
parameters:
  cost: {prior: {dist: uniform, low: 1, high: 3}}
variables:
  tension: {type: continuous, bounds: [0, 10], initial: 1}
  rung: {type: levels, levels: [calm, tense, war], initial: calm}
  talks: {type: boolean}
actors:
  hawk:
    rationality: 1.5
    interests:
      standing: {value: "-0.3 * tension"}
    decisions:
      raid:
        options:
          wait: {utility: "0.5 * (raid == wait)"}
          hit: {utility: "-cost + 0.8 * (reply == counter)", effects: {tension: "tension + 1 + 0.2 * normal()", rung: "max(rung, tense)"}}
      talk:
        options:
          refuse: {}
          offer: {utility: "-1 + 0.5 * tension - (raid == hit)", effects: {talks: true}}
  dove:
    decisions:
      reply:
        options:
          absorb: {utility: "0.3"}
          counter: {when: "tension > 1.5", utility: "2 * (raid == hit) - 1 + 0.1 * (talk == offer)", effects: {tension: "tension + 0.5", rung: "where(raid == hit, war, rung)"}}
          accept: {when: talks, utility: "tension - 2 + (reply == counter)", effects: {talks: false, tension: "tension * 0.5"}}
events:
  incident:
    hazard: "0.02 + 0.05 * (raid == hit) + 0.02 * (reply == counter)"
    effects: {tension: "tension + uniform()"}
mechanisms:
  cooling: {target: tension, update: "tension * 0.95 + 0.1 * normal()"}
questions:
  war: {kind: probability, text: "war?", condition: "rung == war"}
"""

#: What the step made of INTERLOCKED (200 runs, seed 5, 60 steps) before decisions
#: could be taken ``after`` others, computed with that commit's ``_step.advance``:
#: per decision, how many run-steps chose each option; the incident's fires; the
#: final rungs. Plain, and with ``--force raid=hit@10``.
BEFORE_STAGES = {
    "plain": {"raid": [11717, 283], "talk": [9181, 2819], "reply": [10855, 93, 1052], "incident": 241, "rung": [84, 114, 2]},
    "forced": {"raid": [1753, 10247], "talk": [6011, 5989], "reply": [4070, 4674, 3256], "incident": 834, "rung": [0, 0, 200]},
}


def _load(tmp_path: Path, text: str, name: str = "scenario.yaml") -> realpolitik.Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return realpolitik.load(path)


def _with_after(text: str, after: dict[str, str]) -> str:
    """``text`` with an ``after:`` line put under each named decision."""
    for decision, names in after.items():
        text, n = re.subn(rf"^(\s+){decision}:\n", lambda m: f"{m.group(0)}{m.group(1)}  after: {names}\n", text, count=1, flags=re.M)
        assert n == 1, decision
    return text


def _first_day(paths: np.ndarray, code: int) -> np.ndarray:
    """Per run (column), the first day its path holds ``code``; -1 where it never does."""
    hit = paths == code
    return np.where(hit.any(axis=0), hit.argmax(axis=0), -1)


# ---------------------------------------------------------------- the point


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_a_decision_after_another_responds_on_the_same_day(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    if backend == "numba":
        request.getfixturevalue("kernel_cache")
    runs = 300
    lagged = _load(tmp_path, STRIKE_AND_REPLY.format(after=""), "lagged.yaml")
    same_day = _load(tmp_path, STRIKE_AND_REPLY.format(after="\n        after: [attack]"), "same-day.yaml")
    a = run(lagged, runs=runs, seed=1, keep_trajectories=runs, backend=backend).trajectories
    b = run(same_day, runs=runs, seed=1, keep_trajectories=runs, backend=backend).trajectories
    # Taking B after A changes no draw of A's.
    np.testing.assert_array_equal(a["attack"], b["attack"])
    strike = _first_day(b["attack"], 1)
    struck = strike > 0
    assert 0.5 < struck.mean() < 1  # most runs strike at some point, not all
    # With after: B retaliates first on the day A first strikes, in every run where A strikes.
    np.testing.assert_array_equal(_first_day(b["response"], 1)[struck], strike[struck])
    np.testing.assert_array_equal(_first_day(b["response"], 1)[~struck], -1)
    # Without: a day late (and not at all when A first strikes on the last day).
    horizon = a["attack"].shape[0] - 1
    late = np.where(strike[struck] < horizon, strike[struck] + 1, -1)
    np.testing.assert_array_equal(_first_day(a["response"], 1)[struck], late)
    # Every day, not just the first: B's response is A's attack of the same day, or of the day before.
    np.testing.assert_array_equal(b["response"][1:], b["attack"][1:])
    np.testing.assert_array_equal(a["response"][2:], a["attack"][1:-1])


def test_a_forced_decision_is_seen_by_the_later_stages_on_its_day(tmp_path: Path) -> None:
    forced = Intervention.parse(force=["attack=strike@5"])
    same_day = _load(tmp_path, STRIKE_AND_REPLY.format(after="\n        after: [attack]"), "same-day.yaml")
    lagged = _load(tmp_path, STRIKE_AND_REPLY.format(after=""), "lagged.yaml")
    b = run(same_day, runs=50, seed=2, keep_trajectories=50, intervention=forced).trajectories
    a = run(lagged, runs=50, seed=2, keep_trajectories=50, intervention=forced).trajectories
    assert (b["response"][5:] == 1).all() and (a["response"][6:] == 1).all()
    assert not (a["response"][5] == 1).all()


# ---------------------------------------------------------------- no after: as before


def _counts(scenario: realpolitik.Scenario, intervention: Intervention | None = None) -> dict[str, object]:
    model, streams = scenario.model, Streams.of(scenario.model)
    compiled = (intervention or Intervention()).compile(model)
    clock = scenario.spec.clock
    ids = np.arange(200, dtype=np.uint64)
    state = initial_state(model, streams, 5, ids, clock.start.toordinal(), compiled)
    chosen = {d.name: np.zeros(len(d.options), dtype=np.int64) for d in model.decisions}
    with np.errstate(all="ignore"):
        for step in range(1, clock.horizon_days + 1):
            advance(model, streams, state, seed=5, step=step, day=step, step_days=1, today=clock.start.toordinal() + step, runs=ids, intervention=compiled)
            for d in model.decisions:
                chosen[d.name] += np.bincount(state[d.name], minlength=len(d.options))
    return {
        **{name: counts.tolist() for name, counts in chosen.items()},
        "incident": int(state["incident"].sum()),
        "rung": np.bincount(state["rung"], minlength=3).tolist(),
    }


def test_without_after_the_step_is_the_one_before_stages(tmp_path: Path) -> None:
    scenario = _load(tmp_path, INTERLOCKED)
    assert scenario.model.stages == ((0, 1, 2),)
    assert _counts(scenario) == BEFORE_STAGES["plain"]
    assert _counts(scenario, Intervention.parse(force=["raid=hit@10"])) == BEFORE_STAGES["forced"]


def test_an_empty_after_changes_nothing(tmp_path: Path) -> None:
    plain = _load(tmp_path, INTERLOCKED, "plain.yaml")
    empty = _load(tmp_path, _with_after(INTERLOCKED, {"raid": "[]", "talk": "[]", "reply": "[]"}), "empty.yaml")
    a, b = run(plain, runs=300, seed=1), run(empty, runs=300, seed=1)
    assert a.to_json().replace(plain.sha256, "") == b.to_json().replace(empty.sha256, "").replace("empty.yaml", "plain.yaml")


def test_after_changes_the_answers_but_no_other_draws(tmp_path: Path) -> None:
    plain = _load(tmp_path, INTERLOCKED, "plain.yaml")
    staged = _load(tmp_path, _with_after(INTERLOCKED, {"reply": "[raid]"}), "staged.yaml")
    assert staged.model.stages == ((0, 1), (2,))
    assert _counts(staged) != _counts(plain)
    # raid comes first in both and reads only the start of the step: its choices stay.
    a, b = run(plain, runs=200, seed=3, keep_trajectories=200), run(staged, runs=200, seed=3, keep_trajectories=200)
    first_day_reply_differs = int(np.argmax((a.trajectories["reply"] != b.trajectories["reply"]).any(axis=1)))
    assert first_day_reply_differs > 0
    np.testing.assert_array_equal(a.trajectories["raid"][:first_day_reply_differs + 1], b.trajectories["raid"][:first_day_reply_differs + 1])


# ---------------------------------------------------------------- stages


@pytest.mark.parametrize(
    ("after", "stages"),
    [
        ({}, ((0, 1, 2),)),
        ({"reply": "[raid]"}, ((0, 1), (2,))),
        ({"raid": "[reply]"}, ((1, 2), (0,))),
        ({"raid": "[talk]", "talk": "[reply]"}, ((2,), (1,), (0,))),
        ({"reply": "[raid, talk]", "talk": "[raid]"}, ((0,), (1,), (2,))),
        ({"talk": "[raid]", "reply": "[raid]"}, ((0,), (1, 2))),
    ],
)
def test_decisions_are_staged_by_after_in_file_order(tmp_path: Path, after: dict[str, str], stages: tuple[tuple[int, ...], ...]) -> None:
    assert _load(tmp_path, _with_after(INTERLOCKED, after)).model.stages == stages


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ({"raid": "[raid]"}, r":16:17: actors\.hawk\.decisions\.raid\.after\[0\]: decision 'raid' cannot come after itself"),
        ({"raid": "[replly]"}, r":16:17: actors\.hawk\.decisions\.raid\.after\[0\]: 'replly' is not a decision; did you mean 'reply'\?"),
        ({"raid": "[talk, tension]"}, r":16:23: actors\.hawk\.decisions\.raid\.after\[1\]: 'tension' is a variable, not a decision"),
        ({"raid": "[reply]", "reply": "[talk]", "talk": "[raid]"}, r"actors\.\w+\.decisions\.\w+\.after\[0\]: decisions come after one another in a circle: (raid|reply|talk) -> \w+ -> \w+ -> \1"),
        ({"raid": "talk"}, r":16:16: actors\.hawk\.decisions\.raid\.after: Input should be a valid list"),
    ],
)
def test_a_wrong_after_is_an_error_at_its_place(tmp_path: Path, after: dict[str, str], expected: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(_with_after(INTERLOCKED, after), encoding="utf-8")
    errors = [str(p) for p in realpolitik.check(path).problems if p.severity == "error"]
    assert len(errors) == 1 and re.search(expected, errors[0]) and errors[0].startswith(str(path)), errors


def test_a_decision_named_twice_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(_with_after(INTERLOCKED, {"reply": "[raid, raid]"}), encoding="utf-8")
    problems = realpolitik.check(path).problems
    assert [(p.severity, p.path) for p in problems if "named twice" in p.message] == [("warning", "actors.dove.decisions.reply.after[1]")]
    assert realpolitik.load(path).model.decisions[2].after == ("raid",)


def test_describe_lists_what_a_decision_comes_after(tmp_path: Path) -> None:
    scenario = _load(tmp_path, _with_after(INTERLOCKED, {"reply": "[raid, talk]"}))
    data = describe(scenario).to_dict()
    assert {d["name"]: d["after"] for d in data["decisions"]} == {"raid": [], "talk": [], "reply": ["raid", "talk"]}


# ---------------------------------------------------------------- both steps alike


def _step_both(scenario: realpolitik.Scenario, **options: object) -> tuple[str | None, str | None]:
    """``test_numba``'s side-by-side stepping of NumPy and the kernel (imported when
    called: that module needs Numba)."""
    pytest.importorskip("numba")
    from tests.engine.test_numba import _step_both as step_both

    return step_both(scenario, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def kernel_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Numba installed, and kernels cached under .pytest_cache (as ``test_numba`` keeps them)."""
    pytest.importorskip("numba")
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("realpolitik-kernels") if cache is not None else tmp_path_factory.mktemp("kernels")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REALPOLITIK_CACHE", str(folder))
        yield folder


@pytest.mark.parametrize(
    "after",
    [
        {"reply": "[raid]"},
        {"reply": "[raid, talk]", "talk": "[raid]"},
        {"raid": "[reply]"},
    ],
)
@pytest.mark.usefixtures("kernel_cache")
def test_both_steps_agree_with_stages(tmp_path: Path, after: dict[str, str]) -> None:
    scenario = _load(tmp_path, _with_after(INTERLOCKED, after))
    assert _step_both(scenario, runs=300, seed=7) == (None, None)
    assert _step_both(scenario, runs=101, seed=1, intervention=Intervention.parse(force=["raid=hit@10", "reply=counter@20"])) == (None, None)


@st.composite
def _staged_texts(draw: st.DrawFn) -> str:
    """A random scenario (``scenario_texts``) whose decisions come after one another at random, without circles."""
    text = draw(scenario_texts())
    decisions = re.findall(r"^      (a\d+d\d+):$", text, flags=re.M)
    order = draw(st.permutations(decisions))
    after = {}
    for k, name in enumerate(order):
        earlier = draw(st.lists(st.sampled_from(order[:k]), min_size=1, unique=True)) if k else []
        if earlier or draw(st.booleans()):
            after[name] = "[" + ", ".join(earlier) + "]"
    return _with_after(text, after)


@settings(max_examples=6, deadline=None)
@given(text=_staged_texts(), runs=st.integers(1, 40), seed=st.integers(0, 2**63 - 1))
@pytest.mark.usefixtures("kernel_cache")
def test_random_staged_scenarios_step_alike(tmp_path_factory: pytest.TempPathFactory, text: str, runs: int, seed: int) -> None:
    scenario = _load(tmp_path_factory.mktemp("staged"), text)
    numpy_error, numba_error = _step_both(scenario, runs=runs, seed=seed)
    assert numba_error == numpy_error
