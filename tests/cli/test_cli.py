"""The command line: run, check, JSON and Parquet outputs, errors, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from realpolitik.cli import main
from tests.scenario.minimal import MINIMAL


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_prints_every_question_with_error_dates_and_command(capsys) -> None:
    code, out, _ = _cli(capsys, "run", "--runs", "300", "--seed", "2", "--horizon", "40", "--no-progress")
    assert code == 0
    for q in [f"Q{i}" for i in range(1, 9)]:
        assert f"({q})" in out
    assert "±" in out and "95% interval" in out and "by 2026-04-17" in out
    assert "reproduce: realpolitik run russia-iran-2026 --runs 300 --seed 2 --horizon 40" in out
    assert "sha256:" in out


def test_run_json_carries_ids_cites_and_reproduction(capsys) -> None:
    code, out, _ = _cli(capsys, "run", "--runs", "200", "--horizon", "30", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["run"]["runs"] == 200 and data["run"]["horizon_days"] == 30
    assert data["run"]["command"] == "realpolitik run russia-iran-2026 --runs 200 --seed 0 --horizon 30 --as-of 2026-03-08"
    assert len(data["run"]["sha256"]) == 64
    cited = {c for a in data["answers"] for c in a["cites"]}
    assert {f"Q{i}" for i in range(1, 9)} <= cited
    for a in data["answers"]:
        assert a["id"] and a["date"] and {"value", "se", "low", "high"} <= set(a["estimate"])


def test_run_out_writes_answers_and_step_summaries(capsys, tmp_path: Path) -> None:
    target = tmp_path / "r.parquet"
    code, _, _ = _cli(capsys, "run", "--runs", "200", "--horizon", "20", "--out", str(target), "--no-progress")
    assert code == 0
    table = pq.read_table(target)
    frame = table.to_pandas()
    assert set(frame["record"]) == {"answer", "checkpoint", "step"}
    brent = frame[(frame.record == "step") & (frame.id == "brent")]
    assert {"mean", "q05", "q50", "q95"} <= set(brent["stat"]) and brent["day"].max() == 20
    assert "V2" in set(brent["cites"].str.split(",").explode())
    escalation = frame[(frame.record == "step") & (frame.id == "escalation") & (frame.day == 20)]
    assert abs(escalation["value"].sum() - 1.0) < 1e-9  # level probabilities
    meta = table.schema.metadata
    assert meta[b"realpolitik.seed"] == b"0" and meta[b"realpolitik.runs"] == b"200"
    assert [p.name for p in tmp_path.iterdir()] == ["r.parquet"]


def test_run_from_a_file_with_a_bad_scenario_prints_errors_not_a_traceback(capsys, write_scenario) -> None:
    path = write_scenario(MINIMAL.replace("hazard: rate", "hazard: rte"))
    code, out, err = _cli(capsys, "run", str(path), "--runs", "10")
    assert code == 1
    assert "Traceback" not in err
    assert f"{path}:" in err and "events.shock.hazard: unknown name 'rte'; did you mean 'rate'?" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--runs", "0"], "--runs"),
        (["run", "--seed", "-3"], "--seed"),
        (["run", "--horizon", "abc"], "--horizon"),
        (["run", "--out", "/no/such/folder/x.parquet"], "does not exist"),
        (["run", "no-such-scenario"], "no such file"),
        (["run", "--runs", "100000000000"], "not enough memory"),
        (["frobnicate"], "No such command"),
    ],
)
def test_bad_command_lines_get_a_clear_error(capsys, args: list[str], message: str) -> None:
    code, _, err = _cli(capsys, *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err


def test_check_lists_every_problem_and_exits_1(capsys, write_scenario) -> None:
    path = write_scenario(MINIMAL.replace("initial: low}", "initial: lwo}").replace("hazard: rate", "hazard: rte"))
    code, out, _ = _cli(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:7:61: variables.ladder.initial: unknown name" in out and "did you mean 'low'?" in out
    assert "did you mean 'rate'?" in out


def test_check_json_for_the_bundled_scenario(capsys, shared_sources: Path, seed_inventory: Path) -> None:
    code, out, _ = _cli(capsys, "check", "default", "--sources", str(shared_sources), "--inventory", str(seed_inventory), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["missing"] == []
    assert data["locators"] and all(c["found"] is True for c in data["locators"])
    # decorative and observed-only rows until the bundled scenario is rebuilt
    # (tests/scenario/test_reach.py pins which); then only modelled and context
    assert {"modelled", "context"} <= {r["status"] for r in data["coverage"]} <= {"modelled", "observed", "context", "decorative"}
    assert all({"name", "kind", "cites"} <= set(d) for d in data["decorative"] + data["observed_only"])
    assert all(r["status"] != "missing" for r in data["coverage"])


def test_ctrl_c_leaves_no_output_file(tmp_path: Path) -> None:
    target = tmp_path / "big.parquet"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "run", "--runs", "400000", "--out", str(target), "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # as a terminal would: a test run started in the background (``pytest &``) has
        # SIGINT ignored, and the child would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(10)  # well past start-up (imports), well before the run ends
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_run_shows_and_json_carries_each_answers_judgement_share(capsys, write_scenario) -> None:
    path = write_scenario(MINIMAL.replace("cites: [M1]}", "cites: [M1], basis: data, data: {file: shocks.csv, fit: a Poisson rate}}"))
    code, out, _ = _cli(capsys, "run", str(path), "--runs", "400", "--json")
    assert code == 0
    shocked = json.loads(out)["answers"][0]
    assert shocked["id"] == "shocked" and set(shocked["judgement_share"]) >= {"share", "reason", "top", "method"}
    assert [c["day"] for c in shocked["checkpoints"]] == [10] and "judgement_share" in shocked["checkpoints"][0]
    if shocked["judgement_share"]["share"] is not None:  # the rate is data, the only parameter
        assert shocked["judgement_share"]["share"] == 0.0
    code, out, _ = _cli(capsys, "run", str(path), "--runs", "400", "--no-progress")
    assert code == 0 and "on judgement" in out


def test_run_as_of_a_date_says_its_errors_come_from_independent_filters(capsys) -> None:
    code, out, _ = _cli(capsys, "run", "--runs", "4000", "--seed", "1", "--horizon", "10", "--no-progress")
    assert code == 0
    assert "between the 4 independent filters" in " ".join(out.split())
    # the shares are withheld for conditioned runs: said once under the table, not as an n/a under every answer
    assert out.count("on judgement") == 1 and "on judgement: n/a, the runs were conditioned" in " ".join(out.split())
    code, out, _ = _cli(capsys, "run", "--runs", "4000", "--seed", "1", "--horizon", "10", "--json")
    data = json.loads(out)
    assert data["run"]["as_of"] == "2026-03-08"
    worth = [a["effective_runs"] for a in data["answers"] if a["status"] == "ok"]
    assert all(w is None or 1 <= w <= 4000 for w in worth) and len(set(worth)) > 1  # each answer its own
