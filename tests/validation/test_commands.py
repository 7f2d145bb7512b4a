"""The forecast, backtest and calibrate commands: outputs, files, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

import realpolitik
import realpolitik.cli._validation  # noqa: F401  (registers the commands, as cli/__init__ does)
from realpolitik.cli import main


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_forecast_table_and_json(capsys) -> None:
    code, out, _ = _cli(capsys, "forecast", "russia-iran-2026", "--variable", "V2", "--days", "7,30", "--runs", "200", "--seed", "1", "--no-progress")
    assert code == 0
    assert "day 7" in out and "2026-04-07" in out and "q95" in out
    assert "reproduce: realpolitik forecast russia-iran-2026 --variable V2 --days 7,30 --runs 200 --seed 1" in out
    code, out, _ = _cli(capsys, "forecast", "--variable", "escalation", "--days", "30", "--runs", "100", "--json")
    data = json.loads(out)
    assert code == 0 and data["variable"] == "escalation" and "p_at_least_red_line" in data["days"]["30"]


def test_forecast_parquet(capsys, tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    code, _, err = _cli(capsys, "forecast", "--days", "7", "--runs", "50", "--out", str(path))
    assert code == 0 and f"wrote {path}" in err
    assert pq.read_table(path).num_rows == 19


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--days", "7,soon"], 2, "--days: give whole days"),
        (["--variable", "brnt"], 2, "did you mean 'brent'"),
        (["--days", "400"], 2, "day 400 is outside"),
        (["--out", "/no/such/folder/f.parquet"], 2, "--out: folder"),
        (["nope.yaml"], 1, "no such file"),
    ],
)
def test_forecast_errors(capsys, args: list[str], code: int, message: str) -> None:
    got, _, err = _cli(capsys, "forecast", *args, "--runs", "10")
    assert got == code and message in err, err


def test_backtest_names_an_outcome_the_scenario_lacks(capsys, world) -> None:
    # the toy has no 'hormuz' or 'escalation': the bundled outcomes' conditions fail, named
    code, _, err = _cli(capsys, "backtest", str(world.base), "--oil", str(world.oil), "--episodes", str(world.episodes), "--runs", "20")
    assert code == 1
    assert "<backtest of r1 (outcome conditions written for the bundled scenarios)>: questions.backtest_hormuz_closed.condition: unknown name 'hormuz'" in err


@pytest.fixture(scope="module")
def shared_paths(shared_data: Path) -> list[str]:
    return ["--oil", str(shared_data / "oil" / "brent-daily.csv"), "--episodes", str(shared_data / "episodes" / "episodes.yaml")]


def test_backtest_command(capsys, shared_paths: list[str], tmp_path: Path) -> None:
    report, parquet = tmp_path / "bt.md", tmp_path / "bt.parquet"
    code, out, _ = _cli(capsys, "backtest", "russia-iran-2026", *shared_paths, "--runs", "60", "--seed", "2", "--report", str(report), "--out", str(parquet), "--no-progress")
    assert code == 0
    assert "crps_brent" in out and "apr-2024" in out and "ceasefire_30d" in out
    assert "rounds: apr-2024=russia-iran-2024-04, oct-2024=russia-iran-2024-10, jun-2025=russia-iran-2025-06" in out
    assert "reproduce: realpolitik backtest russia-iran-2026 --oil" in out
    assert report.read_text(encoding="utf-8").startswith("## Backtest")
    assert pq.read_table(parquet).num_rows > 0
    code, out, _ = _cli(capsys, "backtest", *shared_paths, "--runs", "30", "--json", "--without-priors")
    data = json.loads(out)
    assert code == 0 and data["run"]["command"].endswith("--runs 30 --seed 0 --without-priors")
    assert [r["round"] for r in data["rounds"]] == ["apr-2024", "oct-2024", "jun-2025"]


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--round", "apr-2024"], 2, "--round: give ID=SCENARIO"),
        (["--round", "may-2024=default"], 2, "--round names no episode 'may-2024'"),
        (["--round", "apr-2024=nope.yaml"], 1, "no such file"),
    ],
)
def test_backtest_round_errors(capsys, shared_paths: list[str], extra: list[str], code: int, message: str) -> None:
    got, _, err = _cli(capsys, "backtest", *shared_paths, *extra, "--runs", "10")
    assert got == code and message in err, err


def test_backtest_data_errors(capsys, tmp_path: Path, shared_paths: list[str]) -> None:
    bad = tmp_path / "oil.csv"
    bad.write_text("Date,Price\n2024-01-01,x\n", encoding="utf-8")
    code, _, err = _cli(capsys, "backtest", "--oil", str(bad), "--episodes", shared_paths[3])
    assert code == 1 and f"{bad}:2: Price: not a positive number" in err
    code, _, err = _cli(capsys, "backtest", "--episodes", shared_paths[3])
    assert code == 2 and "--oil" in err


def test_calibrate_command_writes_a_posterior_a_scenario_can_name(capsys, shared_paths: list[str], tmp_path: Path) -> None:
    posterior = tmp_path / "posterior.yaml"
    code, out, err = _cli(
        capsys, "calibrate", "russia-iran-2026", *shared_paths, "--parameter", "posture_inertia", "--particles", "40",
        "--generations", "2", "--runs", "40", "--without-priors", "--posterior", str(posterior), "--no-progress",
    )
    assert code == 0, err
    assert "posture_inertia" in out and "fitted / scenario" in out and "--without-priors" in out
    written = yaml.safe_load(posterior.read_text(encoding="utf-8"))
    assert list(written["parameters"]) == ["posture_inertia"]
    assert "--parameter posture_inertia" in written["calibration"]["command"]
    child = tmp_path / "calibrated.yaml"
    child.write_text(f"extends: russia-iran-2026\nname: calibrated\npriors: {posterior}\n", encoding="utf-8")
    prior = realpolitik.load(child).spec.parameters["posture_inertia"].prior
    assert prior.dist == "beta" and (prior.low, prior.high) == (1.5, 3.5)


def test_calibrate_rejects_a_parameter_it_cannot_fit(capsys, shared_paths: list[str]) -> None:
    code, _, err = _cli(capsys, "calibrate", *shared_paths, "--parameter", "brent_no_war", "--particles", "20", "--generations", "1", "--runs", "10")
    assert code == 2 and "cannot fit 'brent_no_war'" in err
