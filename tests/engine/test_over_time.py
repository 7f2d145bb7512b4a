"""A probability question's answer over time (``Answer.over_time``): the same
estimator as the answer on its date and checkpoints, on every recorded day."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.engine import run
from realpolitik.scenario import load
from tests.scenario.minimal import MINIMAL

# an ``at`` question (holds on the day) beside the minimal scenario's ``by`` one
AT = MINIMAL + """\
  high_on_day:
    kind: probability
    text: Is the ladder at its top on day 25?
    condition: ladder == high
    at: 25
    checkpoints: [5, 12]
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("over-time") / "at.yaml"
    path.write_text(AT, encoding="utf-8")
    return load(path)


def _series(results, question):  # type: ignore[no-untyped-def]
    o = results.answer(question).over_time
    return o.days, o.value, o.low, o.high


def test_over_time_agrees_with_the_answer_and_its_checkpoints(scenario) -> None:  # type: ignore[no-untyped-def]
    r = run(scenario, runs=600, seed=3)
    for name in ("shocked", "high_on_day"):
        a = r.answer(name)
        assert a.over_time is not None
        assert a.over_time.days[0] == 0 and a.over_time.days[-1] == a.day
        assert a.over_time.at(a.day) == a.estimate
        for c in a.checkpoints:
            assert a.over_time.at(c.day) == c.estimate, (name, c.day)
        assert (a.over_time.low <= a.over_time.value).all() and (a.over_time.value <= a.over_time.high).all()
        assert [d.isoformat() for d in a.over_time.dates] == a.to_dict()["over_time"]["dates"]
    # "by": the share that has seen the shock never falls; the minimal scenario's
    # ladder only climbs, so the share at its top on each day does not fall either,
    # but it is counted on the day, not read off a first day
    assert (np.diff(r.answer("shocked").over_time.value) >= 0).all()
    assert r.answer("price_end").over_time is None
    assert r.to_dict()["answers"][1]["over_time"] is None


def test_over_time_stops_at_the_horizon_and_beyond_it_is_none(scenario) -> None:  # type: ignore[no-untyped-def]
    r = run(scenario, runs=50, seed=1, horizon=20)
    assert r.answer("high_on_day").status == "beyond_horizon"
    assert r.answer("high_on_day").over_time is None
    assert r.answer("shocked").over_time.days[-1] == 20


@settings(max_examples=8, deadline=None)
@given(batch=st.integers(1, 300), seed=st.integers(0, 2**32))
def test_over_time_does_not_depend_on_the_batch_size(scenario, batch: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    whole = run(scenario, runs=300, seed=seed, horizon=28)
    parts = run(scenario, runs=300, seed=seed, horizon=28, batch_size=batch)
    for name in ("shocked", "high_on_day"):
        for mine, theirs in zip(_series(parts, name), _series(whole, name)):
            np.testing.assert_array_equal(mine, theirs)
