"""Arguments checked before the work (issue 19, kinds 10 and 11): a day past the
horizon, a backtest file that is not one, an unbounded horizon and a cluster address
that does not answer are one line each, at once, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from realpolitik.cli import main


def _cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    code = main(list(args))
    captured = capsys.readouterr()
    assert time.perf_counter() - started < 30  # refused before the work (the work takes longer)
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_a_day_past_the_horizon_is_refused_before_the_runs(capsys) -> None:
    for command in (["discover", "--outcome", "escalation == red_line"], ["report", "-o", "never.html", "--discover", "escalation == red_line", "--samples", "0"]):
        code, out, err = _cli(capsys, *command, "--by", "9999", "--runs", "100000", "--no-progress")
        assert code == 2 and out == "" and "--by: day 9999 is after the horizon (day 190)" in err
    assert not Path("never.html").exists()


def test_a_backtest_file_that_is_not_one_is_refused_before_the_report(capsys, tmp_path: Path) -> None:
    bad = {
        tmp_path: (2, "is a folder"),
        tmp_path / "missing.json": (2, "no such file"),
        tmp_path / "text.json": (1, "not JSON"),
        tmp_path / "list.json": (1, "no 'run' and 'headline'"),
        tmp_path / "shape.json": (1, "not the output of 'realpolitik backtest --json'"),
        tmp_path / "deep.json": (1, "not JSON"),
    }
    (tmp_path / "text.json").write_text("not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "shape.json").write_text(json.dumps({"run": {"command": 1}, "headline": [{"metric": "x"}]}), encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for path, (expected, says) in bad.items():
        code, _, err = _cli(capsys, "report", "-o", str(tmp_path / "r.html"), "--backtest", str(path), "--runs", "100000", "--samples", "0", "--no-progress")
        assert code == expected and says in err and len(err.strip().splitlines()) == 1, (path, err)
    assert not (tmp_path / "r.html").exists()


def test_the_horizon_is_bounded(capsys) -> None:
    code, out, err = _cli(capsys, "run", "--horizon", "1000000000000", "--no-progress")
    assert code == 2 and out == "" and "--horizon" in err
    import realpolitik

    with pytest.raises(ValueError, match="36,500 days"):
        realpolitik.load("default").run(runs=10, horizon=10**12)


def test_a_cluster_address_that_does_not_answer_fails_at_once(capsys) -> None:
    pytest.importorskip("ray", reason="the ray backend needs Ray (pip install 'realpolitik[cluster]')")
    for address, says in (("127.0.0.1:1", "could not join the Ray cluster at 127.0.0.1:1"), ("garbage", "give HOST:PORT")):
        code, out, err = _cli(capsys, "run", "--runs", "100", "--horizon", "2", "--backend", "ray", "--address", address, "--no-progress")
        assert code == 1 and out == "" and says in err, err


def test_a_horizon_past_the_calendar_is_a_usage_error(capsys, tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    path.write_text(
        "name: late\nclock: {start: 9999-06-01, horizon_days: 30}\nvariables:\n  x: {initial: 1}\n"
        "questions:\n  q: {kind: probability, text: 'x?', condition: 'x > 0'}\n",
        encoding="utf-8",
    )
    code, out, err = _cli(capsys, "run", str(path), "--horizon", "365", "--runs", "10", "--no-progress")
    assert code == 2 and out == "" and "runs past the calendar's last day (9999-12-31)" in err
