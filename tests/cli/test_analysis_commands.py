"""The analysis commands: sensitivity, discover, report — outputs, errors, files."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from realpolitik.cli import main
from realpolitik.engine import numba_available


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sensitivity_json_ranks_parameters_and_writes_parquet(capsys, tmp_path: Path) -> None:
    target = tmp_path / "s.parquet"
    code, out, _ = _cli(capsys, "sensitivity", "--method", "morris", "--samples", "4", "--horizon", "20", "--question", "Q4", "--json", "--out", str(target), "--no-progress")
    assert code != 0  # Q4 is cited by two questions: the error says so
    code, out, err = _cli(capsys, "sensitivity", "--method", "morris", "--samples", "4", "--horizon", "20", "--question", "brent_at_horizon", "--json", "--out", str(target), "--no-progress")
    assert code == 0, err
    data = json.loads(out)
    assert data["method"] == "morris" and data["command"].startswith("realpolitik sensitivity russia-iran-2026 --method morris --samples 4")
    (question,) = data["questions"]
    # the parameters told apart from noise come first, each group by mu* from the largest
    told = [p["distinguishable"] for p in question["parameters"]]
    assert told == sorted(told, reverse=True)
    for group in (True, False):
        stars = [p["mu_star"] for p in question["parameters"] if p["distinguishable"] is group]
        assert stars == sorted(stars, reverse=True)
    assert pq.read_table(target).num_rows > 0


def test_sensitivity_table_ends_with_the_command(capsys) -> None:
    code, out, _ = _cli(capsys, "sensitivity", "--samples", "8", "--horizon", "10", "--question", "Q6", "--no-progress")
    assert code == 0
    assert "total order ST" in out
    assert "reproduce: realpolitik sensitivity russia-iran-2026 --method sobol --samples 8 --seed 0 --horizon 10 --question Q6" in out


def test_sensitivity_rejects_an_unknown_method(capsys) -> None:
    code, _, err = _cli(capsys, "sensitivity", "--method", "fast")
    assert code == 2 and "sobol or morris" in err


def test_discover_prints_rules_and_reproduction(capsys) -> None:
    code, out, _ = _cli(capsys, "discover", "--outcome", "russia_posture == host_talks", "--by", "20", "--runs", "1500", "--horizon", "30", "--threshold", "0.3", "--no-progress")
    assert code == 0
    assert "PRIM boxes" in out and "classification tree" in out
    assert "reproduce: realpolitik discover russia-iran-2026 --outcome 'russia_posture == host_talks' --by 20 --runs 1500" in out


def test_discover_names_a_bad_outcome(capsys) -> None:
    code, _, err = _cli(capsys, "discover", "--outcome", "escalaton == red_line", "--runs", "10")
    assert code == 1
    assert "--outcome" in err and "did you mean 'escalation'" in err


def test_report_writes_one_offline_file(capsys, tmp_path: Path) -> None:
    target = tmp_path / "brief.html"
    iv = tmp_path / "iv.yaml"
    iv.write_text("force:\n  - {decision: interceptor_allocation, option: divert_to_middle_east}\n", encoding="utf-8")
    code, out, err = _cli(
        capsys, "report", "-o", str(target), "--runs", "300", "--horizon", "30", "--samples", "3",
        "--whatif", str(iv), "--discover", "hormuz != open", "--no-progress",
    )
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    for section in ("answers", "fan-charts", "decisions", "sensitivity", "whatif", "discovery", "assumptions"):
        assert f'id="{section}"' in html, section
    assert "realpolitik run russia-iran-2026 --runs 300 --seed 0 --horizon 30" in html
    assert {p.name for p in tmp_path.iterdir()} == {"brief.html", "iv.yaml"}  # no temporary file left


def test_report_refuses_a_bad_intervention_file_before_running(capsys, tmp_path: Path) -> None:
    iv = tmp_path / "iv.yaml"
    iv.write_text("force:\n  - {decision: nobody, option: x}\n", encoding="utf-8")
    code, _, err = _cli(capsys, "report", "-o", str(tmp_path / "r.html"), "--whatif", str(iv), "--runs", "10")
    assert code == 1 and "no decision 'nobody'" in err
    assert not (tmp_path / "r.html").exists()


def test_report_includes_a_saved_backtest(capsys, tmp_path: Path) -> None:
    scores = {
        "run": {"command": "realpolitik backtest russia-iran-2026 --oil o.csv --episodes e.yaml --runs 100 --seed 0", "runs": 100, "version": "0"},
        "headline": [
            {"metric": "crps_brent", "model": 4.2, "baseline": 3.0, "ratio": 1.4, "n": 12},
            {"metric": "brier", "model": 0.1, "baseline": 0.2, "ratio": 0.5, "n": 15},
        ],
        "rounds": [],
    }
    saved = tmp_path / "bt.json"
    saved.write_text(json.dumps(scores), encoding="utf-8")
    target = tmp_path / "r.html"
    code, _, err = _cli(capsys, "report", "-o", str(target), "--runs", "100", "--horizon", "10", "--samples", "0", "--backtest", str(saved), "--no-progress")
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert 'id="backtest"' in html and "crps_brent" in html and "realpolitik backtest russia-iran-2026" in html
    saved.write_text('{"not": "a backtest"}', encoding="utf-8")
    code, _, err = _cli(capsys, "report", "-o", str(target), "--backtest", str(saved))
    assert code == 1 and "not the output of 'realpolitik backtest --json'" in err


def test_the_printed_commands_reproduce_the_numbers_with_the_step_they_used(capsys) -> None:
    # the compiled step agrees with NumPy's to 1e-9, not to the bit, so a command that
    # ran on it must say so to give the same numbers again
    if not numba_available():
        pytest.skip("needs Numba (the compiled step) to have a step to name")
    lines = [
        ["whatif", "--force", "interceptor_allocation=divert_to_middle_east@5", "--runs", "300", "--horizon", "15"],
        ["sensitivity", "--method", "morris", "--samples", "4", "--horizon", "15", "--question", "brent_at_horizon"],
        ["discover", "--outcome", "russia_posture == host_talks", "--by", "10", "--runs", "600", "--horizon", "15", "--threshold", "0.3"],
    ]
    for words in lines:
        code, out, err = _cli(capsys, *words, "--backend", "numba", "--json", "--no-progress")
        assert code == 0, err
        first = json.loads(out)
        command = shlex.split(first["run"]["command"] if words[0] == "whatif" else first["command"])
        assert command[:2] == ["realpolitik", words[0]] and command[-2:] == ["--backend", "numba"], command
        code, again, err = _cli(capsys, *command[1:], "--json", "--no-progress")
        assert code == 0, err
        assert json.loads(again) == first, words[0]
