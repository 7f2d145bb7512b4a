"""An output that cannot be written is one line naming the path: refused before any
work where it can be seen then, and an operating-system error on the write itself is
an OutputError (nothing half-written), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik._atomic import atomic_path
from realpolitik.cli import main
from realpolitik.errors import OutputError


def _cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("command", "flag"),
    [(["run", "--runs", "50", "--horizon", "2"], "--out"), (["report", "--runs", "50", "--samples", "0", "--horizon", "2"], "--output"),
     (["forecast", "--runs", "50", "--days", "1"], "--out")],
    ids=["run", "report", "forecast"],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_work(capsys, tmp_path: Path, command: list[str], flag: str) -> None:
    for bad, says in ((str(tmp_path), "is a folder"), (str(tmp_path / ("a" * 300)), "longer than 200 bytes"), (str(tmp_path / "none" / "x"), "does not exist")):
        code, out, err = _cli(capsys, *command, flag, bad, "--no-progress")
        assert code == 2 and out == "", err
        assert err.startswith(f"error: {flag}") and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_os_error_on_the_write_is_an_output_error_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        with atomic_path(tmp_path):
            pass
    with pytest.raises(OutputError, match="/proc/nowhere/x.txt: cannot write there"):
        with atomic_path("/proc/nowhere/x.txt"):
            pass
    target = tmp_path / "x.txt"
    with pytest.raises(OutputError, match="x.txt: cannot write it: No space left on device"):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise OSError(28, "No space left on device")  # what a full disk raises mid-write
    assert list(tmp_path.iterdir()) == []  # nothing left, partial or final
