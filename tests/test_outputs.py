"""``--out`` writes Parquet, CSV or an Excel workbook by the file's extension: the CSV
holds the Parquet's table, the workbook its rows one sheet per record after an
``about`` sheet with the reproducing command; any other extension is refused."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from realpolitik._output import ResultOutput
from realpolitik.cli import main
from realpolitik.errors import OutputError

SMALL = ["--runs", "200", "--horizon", "20", "--no-progress"]
INTERVENTION = "force:\n  - {decision: interceptor_allocation, option: divert_to_middle_east, from_day: 5}\n"


def _command(name: str, folder: Path) -> list[str]:
    if name == "run":
        return ["run", *SMALL]
    iv = folder / "iv.yaml"
    iv.write_text(INTERVENTION, encoding="utf-8")
    return ["whatif", "--file", str(iv), *SMALL]


@pytest.fixture(scope="module", params=["run", "whatif"])
def written(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:  # type: ignore[no-untyped-def]
    """The same command written to a .parquet, a .csv and an .xlsx file."""
    folder = tmp_path_factory.mktemp(request.param)
    command = _command(request.param, folder)
    files = {}
    for suffix in ("parquet", "csv", "xlsx"):
        files[suffix] = folder / f"out.{suffix}"
        assert main([*command, "--out", str(files[suffix])]) == 0
    return request.param, files


def _plain(value: Any) -> Any:
    """A Parquet value as a workbook gives it back: NaN and empty text an empty cell,
    a number to 16 significant digits (openpyxl writes so; Excel shows 15), a date at
    midnight."""
    if value == "":
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.16g}")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _expected_sheets(table: pa.Table) -> dict[str, pa.Table]:
    """The documented default: one sheet per record value, in order, without the column."""
    if "record" not in table.column_names:
        return {"comparison": table}
    records = list(dict.fromkeys(table.column("record").to_pylist()))
    frame = table.to_pylist()
    return {r: pa.Table.from_pylist([{k: v for k, v in row.items() if k != "record"} for row in frame if row["record"] == r]) for r in records}


def test_the_csv_holds_the_parquet_table(written) -> None:  # type: ignore[no-untyped-def]
    _, files = written
    parquet = pq.read_table(files["parquet"])
    csv = pcsv.read_csv(files["csv"], convert_options=pcsv.ConvertOptions(column_types=parquet.schema))
    assert csv.column_names == parquet.column_names and csv.num_rows == parquet.num_rows > 0
    nan_as_none = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()} for row in parquet.to_pylist()]
    assert csv.to_pylist() == nan_as_none  # every digit of every number
    header, first = files["csv"].read_text(encoding="utf-8").splitlines()[:2]
    assert header == ",".join(f'"{name}"' for name in parquet.column_names)
    if "date" in parquet.column_names:  # dates as ISO text
        assert parquet.column("date")[0].as_py().isoformat() in first


def test_the_csv_reads_in_pandas_like_the_parquet(written) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    _, files = written
    parquet = pq.read_table(files["parquet"]).to_pandas()
    csv = pd.read_csv(files["csv"], keep_default_na=False, na_values=[""])
    assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet)
    for name in parquet.columns:
        if parquet[name].dtype.kind == "f":
            pd.testing.assert_series_equal(csv[name], parquet[name], check_dtype=False)


def test_the_workbook_has_an_about_sheet_and_a_sheet_per_table(written) -> None:  # type: ignore[no-untyped-def]
    name, files = written
    parquet = pq.read_table(files["parquet"])
    meta = {k.decode(): v.decode() for k, v in parquet.schema.metadata.items()}
    book = openpyxl.load_workbook(files["xlsx"])
    expected = _expected_sheets(parquet)
    assert book.sheetnames == ["about", *expected]

    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True) if row[0]}
    assert about["command"] == meta["realpolitik.command"] and about["command"].startswith(f"realpolitik {name} ")
    assert about["scenario sha256"] == meta["realpolitik.sha256"] and len(about["scenario sha256"]) == 64
    assert about["realpolitik version"]
    for sheet, table in expected.items():
        assert about[sheet].endswith(", ".join(table.column_names))  # what the sheet holds

    for sheet, table in expected.items():
        rows = list(book[sheet].iter_rows(values_only=True))
        assert rows[0] == tuple(table.column_names)
        assert rows[1:] == [tuple(_plain(v) for v in row.values()) for row in table.to_pylist()]
        assert book[sheet].freeze_panes == "A2"


@pytest.mark.parametrize("command", ["run", "whatif", "forecast", "sensitivity"])
@pytest.mark.parametrize("name", ["out.txt", "out", "out.parquet.bak"])
def test_another_extension_is_refused_before_any_work(capsys, tmp_path: Path, command: str, name: str) -> None:
    argv = _command(command, tmp_path) if command in ("run", "whatif") else [command, "--samples" if command == "sensitivity" else "--runs", "20"]
    before = set(tmp_path.iterdir())
    code = main([*argv, "--out", str(tmp_path / name)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    suffix = Path(name).suffix
    says = f"has the extension {suffix}" if suffix else "has no extension"
    assert captured.err == f"error: --out: {name!r} {says}; give a .parquet, .csv or .xlsx file\n"
    assert set(tmp_path.iterdir()) == before


def test_the_extension_is_read_case_blind(capsys, tmp_path: Path) -> None:
    target = tmp_path / "OUT.XLSX"
    assert main(["run", *SMALL, "--out", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames == ["about", "answer", "checkpoint", "step"]


# --- the library: any result, built by hand ------------------------------------------


class _Made(ResultOutput):
    """A result whose table the test chooses."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def to_dict(self) -> dict[str, Any]:
        return {}

    def to_arrow(self) -> pa.Table:
        return self.table


def test_write_refuses_an_extension_it_has_no_format_for(tmp_path: Path) -> None:
    made = _Made(pa.table({"a": [1]}))
    for name, says in (("x.json", "cannot write a .json file"), ("x", "cannot write a file without an extension")):
        with pytest.raises(OutputError, match=f"{name}: {says}: give a .parquet, .csv or .xlsx file"):
            made.write(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_tables_splits_on_record_in_order_of_first_appearance() -> None:
    made = _Made(pa.table({"record": ["step", "answer", "step", None], "v": [1, 2, 3, 4]}))
    tables = made.tables()
    assert list(tables) == ["step", "answer", "None"]
    assert tables["step"].column_names == ["v"] and tables["step"].column("v").to_pylist() == [1, 3]
    assert list(_Made(pa.table({"v": [1]})).tables()) == ["made"]  # no record: named after the result
    assert list(_Made(pa.table({"record": pa.array([], pa.string())})).tables()) == ["made"]


def test_the_workbook_keeps_types_and_writes_what_a_spreadsheet_can_show(tmp_path: Path) -> None:
    zone = dt.timezone(dt.timedelta(hours=2))
    table = pa.table(
        {
            "number": [1.5, float("nan"), float("inf"), None],
            "count": pa.array([1, 2, None, 2**40], pa.int64()),
            "flag": [True, False, None, True],
            "date": pa.array([dt.date(2026, 3, 1), None, dt.date(2026, 3, 3), dt.date(2026, 3, 4)], pa.date32()),
            "at": pa.array([dt.datetime(2026, 3, 1, 12, tzinfo=zone)] * 4, pa.timestamp("ns", tz="+02:00")),
            "text": ["=1+1", "a\x07b", "long" * 10_000, "ü"],
            "kind": pa.array(["x", "y", "x", "y"]).dictionary_encode(),
            "list": [[1, 2], [], None, [float("nan")]],
        },
    ).replace_schema_metadata({"realpolitik.command": "realpolitik demo --x '=y'"})
    path = _Made(table).write(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    rows = list(book["made"].iter_rows(values_only=True))
    assert rows[0] == tuple(table.column_names)
    assert rows[1] == (1.5, 1, True, dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 10), "=1+1", "x", "[1.0, 2.0]")  # time in UTC
    assert rows[2][:4] == (None, 2, False, None) and rows[2][5] == "ab"  # NaN empty; no XML-illegal character
    assert rows[3][0] == "inf" and rows[3][1] is None and len(rows[3][5]) == 32_767
    assert rows[4][:2] == (None, 2**40) and rows[4][5:] == ("ü", "y", "[null]")
    assert book["made"]["F2"].data_type == "s"  # text, not a formula
    assert all(isinstance(v, (int, float)) for v in (rows[1][0], rows[1][1]))
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True) if row[0]}
    assert about["command"] == "realpolitik demo --x '=y'" and about["realpolitik version"]
    widths = [book["made"].column_dimensions[c].width for c in "ABCDEFGH"]
    assert all(8 <= w <= 60 for w in widths) and widths[5] == 60


def test_sheet_names_are_ones_excel_accepts(tmp_path: Path) -> None:
    class Named(_Made):
        def tables(self) -> dict[str, pa.Table]:
            one = pa.table({"v": [1]})
            return {"about": one, "a/b:c*d?[e]": one, "x" * 40: one, "X" * 40: one, "'quoted'": one, "History": one}

    book = openpyxl.load_workbook(Named(pa.table({"v": [1]})).write(tmp_path / "n.xlsx"))
    names = book.sheetnames
    assert names[0] == "about" and len(names) == 7 and len({n.lower() for n in names}) == 7
    assert names[1:] == ["about (2)", "a_b_c_d__e_", "x" * 31, "X" * 27 + " (2)", "quoted", "History (2)"]
    assert all(len(n) <= 31 for n in names)
    holds = [row[0] for row in book["about"].iter_rows(values_only=True)]
    assert names[1:] == holds[holds.index("sheet") + 1 :]


def test_the_csv_has_nan_as_an_empty_field_and_iso_dates(tmp_path: Path) -> None:
    table = pa.table({"d": pa.array([dt.date(2026, 3, 1), None], pa.date32()), "v": [float("nan"), 2.5], "s": ["a,b", ""]})
    path = _Made(table).write(tmp_path / "t.csv")
    assert path.read_bytes().decode("utf-8").splitlines() == ['"d","v","s"', '2026-03-01,,"a,b"', ',2.5,""']
