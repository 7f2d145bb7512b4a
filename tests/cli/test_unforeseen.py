"""The net under every command: an error no command foresaw is one line (exit 1), and
its traceback only with --debug."""

from __future__ import annotations

import pytest

import realpolitik.cli._app as cli
from realpolitik.cli import main


def test_an_unforeseen_error_is_one_line_and_its_traceback_only_with_debug(capsys, monkeypatch) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("something no command foresaw")

    monkeypatch.setattr(cli, "_load_or_fail", broken)
    assert main(["run", "--runs", "10"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "unexpected KeyError" in err and "--debug" in err
    assert main(["run", "--runs", "10", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "unexpected KeyError" in err


@pytest.mark.parametrize("argv", [["--debug", "--version"], ["--version", "--debug"]])
def test_debug_goes_anywhere(capsys, argv: list[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("realpolitik ")
