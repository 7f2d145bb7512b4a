"""Help and messages a person reads: every ``--help`` at 80 columns without Python
type names; ``check`` with no argument; quantity answers labelled for what they are;
an ambiguous inventory ID named as such."""

from __future__ import annotations

import re

import pytest
import typer

import realpolitik
from realpolitik.cli import app, main
from realpolitik.cli import _app as cli_app
from realpolitik.scenario import DEFAULT_SCENARIO

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
TYPE_NAMES = re.compile(r"<(int|bool|str|float|path|list|int range|float range)\b|list\[")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_fits_80_columns_without_python_type_names(command, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    assert main(([] if command is None else [command]) + ["--help"]) == 0
    text = capsys.readouterr().out
    assert text.strip(), command
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, command
    assert not TYPE_NAMES.search(text), (command, TYPE_NAMES.search(text))
    # the help of an option starts by column 40, so it is never squeezed into a strip
    for line in lines:
        m = re.match(r"(\s+-\S.*?\S)\s{2,}(\S)", line)
        if m:
            assert m.start(2) <= 40, (command, line)


def test_value_options_name_their_value_and_flags_name_none(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    main(["run", "--help"])
    text = capsys.readouterr().out
    for shown in ("--runs N", "--as-of DATE", "--prices NAME=CSV", "--out PATH", "[SCENARIO]"):
        assert shown in text, shown
    assert re.search(r"^\s+--json\s{2,}Print", text, re.M)
    main(["whatif", "--help"])
    text = capsys.readouterr().out
    assert "--force DECISION=OPTION[@DAY]" in text and "--force-event EVENT@DAY" in text


def test_check_without_an_argument_checks_the_bundled_scenario(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"{DEFAULT_SCENARIO}.yaml: ok" in out


def test_quantity_answers_show_the_runs_range_apart_from_the_estimates_interval(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", "--runs", "400", "--horizon", "30", "--no-progress", "--as-of", "start"]) == 0
    out = capsys.readouterr().out
    assert "runs' range" in out and "estimate's 95% interval" in out and "95% interval\n" not in out
    results = realpolitik.load("default").run(runs=400, horizon=30)
    brent = results.answer("brent_at_horizon")
    assert cli_app._spread(brent) == f"90%: {cli_app._fmt(brent.quantiles[0.05].value)} to {cli_app._fmt(brent.quantiles[0.95].value)}"
    assert cli_app._spread(brent) in out
    # the probability's row has no runs' range: its interval is the estimate's only
    assert cli_app._answer_cells(results.answer("Q2"))[1] == ""


def test_an_inventory_id_cited_by_several_questions_names_them() -> None:
    results = realpolitik.load("default").run(runs=50, horizon=10)
    cited = [a.question for a in results.answers if "Q4" in a.cites]
    assert len(cited) == 2
    with pytest.raises(KeyError, match="cited by several questions") as caught:
        results.answer("Q4")
    for name in cited:
        assert name in str(caught.value)
    assert results.answer(cited[1]).question == cited[1]
    with pytest.raises(KeyError, match="no question 'Q99'"):
        results.answer("Q99")
