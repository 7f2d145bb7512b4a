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


def _half_then(error: BaseException):  # type: ignore[no-untyped-def]
    """A writer that puts part of a file where it was told, then fails as ``error``."""

    def write(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        where = next(a for a in (*args, *kwargs.values()) if isinstance(a, (str, Path)))
        Path(where).write_bytes(b"PK\x03\x04 half")
        raise error

    return write


@pytest.mark.parametrize("suffix", ["parquet", "csv", "xlsx"])
@pytest.mark.parametrize(
    ("error", "code", "says"),
    [(KeyboardInterrupt(), 130, "interrupted: no output was written"), (OSError(28, "No space left on device"), 1, "cannot write it: No space left on device")],
    ids=["ctrl-c", "disk-full"],
)
def test_a_write_that_fails_midway_leaves_the_old_file_and_no_partial_one(
    capsys, monkeypatch, tmp_path: Path, suffix: str, error: BaseException, code: int, says: str
) -> None:
    import openpyxl
    import pyarrow.csv
    import pyarrow.parquet

    writers = {"parquet": (pyarrow.parquet, "write_table"), "csv": (pyarrow.csv, "write_csv"), "xlsx": (openpyxl.Workbook, "save")}
    owner, name = writers[suffix]
    monkeypatch.setattr(owner, name, _half_then(error))
    target = tmp_path / f"out.{suffix}"
    target.write_text("the earlier result")
    got, out, err = _cli(capsys, "run", "--runs", "50", "--horizon", "2", "--out", str(target), "--no-progress")
    assert got == code and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == [target] and target.read_text() == "the earlier result"
