"""What every result object shares: JSON text and atomic Parquet, CSV and Excel files.

A result class defines ``to_dict()`` (plain data) and ``to_arrow()`` (a table) and
inherits :class:`ResultOutput` for ``to_json()``, ``tables()`` and ``write()``, which
picks Parquet, CSV or a workbook by the file's extension.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from realpolitik._atomic import atomic_path
from realpolitik.errors import OutputError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["OUTPUT_SUFFIXES", "ResultOutput", "json_ready"]

#: the file extensions :meth:`ResultOutput.write` accepts, each naming its format
OUTPUT_SUFFIXES = (".parquet", ".csv", ".xlsx")

#: table schema metadata key whose value describes a sheet on the workbook's ``about`` sheet
_ABOUT_KEY = b"realpolitik.about"
_EXCEL_CELL_CHARS = 32_767  # Excel's limit on the text of one cell
_EXCEL_SHEET_CHARS = 31


def json_ready(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by ``None`` (JSON has neither).

    Example:
        >>> json_ready({"a": [1.0, float("nan")]})
        {'a': [1.0, None]}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


class ResultOutput:
    """Mixin: ``to_json()`` from ``to_dict()``; ``tables()`` and the files from ``to_arrow()``."""

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def to_arrow(self) -> Any:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`, NaN written as null."""
        return json.dumps(json_ready(self.to_dict()), indent=2)

    def tables(self) -> dict[str, pa.Table]:
        """:meth:`to_arrow` as named tables, one sheet each in a workbook.

        A table with a ``record`` column (``Results``: ``answer``, ``checkpoint``,
        ``step``) becomes one table per record value, in order of first appearance and
        without the column; any other table is one table named after the result. A
        result may override this; a table's schema metadata ``realpolitik.about``, if
        set, says what its sheet holds.

        Example:
            >>> import pyarrow as pa
            >>> class Demo(ResultOutput):
            ...     def to_arrow(self):
            ...         return pa.table({"record": ["a", "b", "a"], "value": [1, 2, 3]})
            >>> {name: t.column("value").to_pylist() for name, t in Demo().tables().items()}
            {'a': [1, 3], 'b': [2]}
        """
        return _split(self.to_arrow(), _snake(type(self).__name__))

    def write(self, path: str | Path) -> Path:
        """Write the result to ``path`` in the format its extension names, atomically.

        ``.parquet``: :meth:`to_arrow` with its schema metadata (the reproducing
        command, the scenario's hash). ``.csv``: the same table as UTF-8 text with a
        header row, ISO dates and NaN as an empty field; a CSV file has no standard
        place for the command, so it is not in it (the terminal prints it). ``.xlsx``:
        a sheet ``about`` (the command, the scenario's hash, the version and what each
        sheet holds), then one sheet per table of :meth:`tables`.

        Raises:
            OutputError: the extension is none of ``.parquet``, ``.csv``, ``.xlsx``, or
                the file cannot be written (nothing is left half-written).
        """
        path = Path(path)
        writers = {".parquet": self.write_parquet, ".csv": self.write_csv, ".xlsx": self.write_xlsx}
        writer = writers.get(path.suffix.lower())
        if writer is None:
            what = f"a {path.suffix} file" if path.suffix else "a file without an extension"
            raise OutputError(f"{path}: cannot write {what}: give a .parquet, .csv or .xlsx file")
        return writer(path)

    def write_parquet(self, path: str | Path) -> Path:
        """Write :meth:`to_arrow` to a Parquet file, atomically (no partial file on error)."""
        import pyarrow.parquet as pq

        path = Path(path)
        table = self.to_arrow()
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp)
        return path

    def write_csv(self, path: str | Path) -> Path:
        """Write :meth:`to_arrow` to a CSV file (UTF-8, a header row, ISO dates, NaN as
        an empty field), atomically."""
        import pyarrow.csv as pcsv

        path = Path(path)
        table = _nan_as_null(self.to_arrow())
        with atomic_path(path) as tmp:
            pcsv.write_csv(table, tmp)
        return path

    def write_xlsx(self, path: str | Path) -> Path:
        """Write an Excel workbook, atomically: a sheet ``about``, then one sheet per
        table of :meth:`tables`: numbers as numbers (to 16 significant digits; Excel
        shows 15), dates as dates, the header row frozen.

        Rows are streamed (openpyxl's write-only mode): 10 to 15 seconds of CPU per
        100,000 rows of ``Results``' table, a few megabytes of memory beyond the table.
        """
        from openpyxl import Workbook

        path = Path(path)
        whole = self.to_arrow()
        meta = {k.decode(): v.decode() for k, v in (whole.schema.metadata or {}).items() if k.startswith(b"realpolitik.")}
        # one to_arrow() (the slow part of a large result) unless a result defines its own tables
        overridden = type(self).tables is not ResultOutput.tables
        tables = self.tables() if overridden else _split(whole, _snake(type(self).__name__))
        book = Workbook(write_only=True)
        taken = {"about", "history"}  # Excel reserves "History"
        sheets = {_sheet_name(name, taken): table for name, table in tables.items()}
        _write_about(book.create_sheet("about"), meta, sheets)
        for name, table in sheets.items():
            _write_sheet(book.create_sheet(name), table)
        with atomic_path(path) as tmp:
            book.save(tmp)
        return path


def _split(table: pa.Table, name: str) -> dict[str, pa.Table]:
    """The default :meth:`ResultOutput.tables`: one table per ``record`` value, else
    the table itself under ``name``."""
    import pyarrow.compute as pc

    if "record" not in table.column_names or table.num_rows == 0:
        return {name: table}
    record = table.column("record")
    rest = table.drop_columns(["record"])
    out = {}
    for value in pc.unique(record).to_pylist():  # in order of first appearance
        mask = pc.is_null(record) if value is None else pc.equal(record, value)
        about = f"the rows whose record is {value!r}"
        out[str(value)] = rest.filter(mask).replace_schema_metadata({**(rest.schema.metadata or {}), _ABOUT_KEY: about.encode()})
    return out


def _snake(name: str) -> str:
    """``SensitivityResult`` -> ``sensitivity_result``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.lstrip("_")).lower()


def _sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (at most 31 characters, none of ``[]:*?/\\``, no
    apostrophe at either end) that no earlier sheet has (compared case-blind)."""
    base = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name).strip("'")[:_EXCEL_SHEET_CHARS] or "sheet"
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        tail = f" ({n})"
        candidate = base[: _EXCEL_SHEET_CHARS - len(tail)] + tail
    taken.add(candidate.lower())
    return candidate


def _nan_as_null(table: pa.Table) -> pa.Table:
    """``table`` with every floating-point NaN made a null (an empty cell or field)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            column = table.column(i)
            table = table.set_column(i, field, pc.if_else(pc.is_nan(column), pa.scalar(None, field.type), column))
    return table


def _cells(column: pa.ChunkedArray) -> list[Any]:
    """A column as values openpyxl writes faithfully: NaN empty, infinities as the
    text ``inf``/``-inf`` (a workbook has no number for them), times without a zone in
    UTC, text without the characters XML forbids and never read as a formula."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_timestamp(kind):
        column = column.cast(pa.timestamp("us"), safe=False)  # UTC wall time; Excel has no zones
    if pa.types.is_floating(kind):
        values = [None if v is None or math.isnan(v) else v for v in column.to_pylist()]
        if pc.any(pc.is_inf(column)).as_py():
            values = [("inf" if v > 0 else "-inf") if v is not None and math.isinf(v) else v for v in values]
        return values
    plain = (pa.types.is_integer, pa.types.is_boolean, pa.types.is_decimal, pa.types.is_date, pa.types.is_time, pa.types.is_timestamp, pa.types.is_duration)
    if any(is_(kind) for is_ in plain):
        return column.to_pylist()
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return [_text(v) for v in column.to_pylist()]
    return [None if v is None else _text(json.dumps(json_ready(v), default=str)) for v in column.to_pylist()]


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _Text(str):
    """Text that starts with ``=``: written as text, not as a formula."""


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = _XML_ILLEGAL.sub("", value)[:_EXCEL_CELL_CHARS]
    return _Text(value) if value.startswith("=") else value


def _width(values: list[Any], header: str) -> float:
    """A column width that shows the header and the first rows' values, within 8 to 60."""

    def shown(v: Any) -> int:
        if isinstance(v, float):
            return len(f"{v:.10g}")
        return 10 if hasattr(v, "isoformat") else len(str(v))

    longest = max([len(header), *(shown(v) for v in values[:500] if v is not None)])
    return float(min(max(longest + 2, 8), 60))


def _row(sheet: Any, values: list[Any]) -> list[Any]:
    """Cells for one row: text that would read as a formula is marked as text."""
    from openpyxl.cell import WriteOnlyCell

    if not any(isinstance(v, _Text) for v in values):
        return values
    out = []
    for v in values:
        if isinstance(v, _Text):
            cell = WriteOnlyCell(sheet, str(v))
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(v)
    return out


def _header(sheet: Any, names: list[str]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, _text(name))
        cell.font = Font(bold=True)
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _write_sheet(sheet: Any, table: pa.Table) -> None:
    from openpyxl.utils import get_column_letter

    columns = [_cells(table.column(i)) for i in range(table.num_columns)]
    for i, (name, values) in enumerate(zip(table.column_names, columns), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _width(values, name)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, table.column_names))
    for values in zip(*columns):
        sheet.append(_row(sheet, list(values)))


def _write_about(sheet: Any, meta: dict[str, str], tables: dict[str, pa.Table]) -> None:
    """The ``about`` sheet: what reproduces the result, then what each sheet holds."""
    from importlib.metadata import PackageNotFoundError, version

    facts = {key.removeprefix("realpolitik."): value for key, value in meta.items() if key != "realpolitik.about"}
    if "version" not in facts:
        try:
            facts["version"] = version("realpolitik")
        except PackageNotFoundError:
            facts["version"] = "0+unknown"
    first = [key for key in ("command", "sha256", "version") if key in facts]
    labels = {"sha256": "scenario sha256", "version": "realpolitik version"}
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.column_dimensions["C"].width = 10
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, ["what", "value"]))
    for key in first + [k for k in facts if k not in first]:
        sheet.append(_row(sheet, [labels.get(key, key), _text(facts[key])]))
    sheet.append([])
    sheet.append(_header(sheet, ["sheet", "holds", "rows"]))
    for name, table in tables.items():
        said = (table.schema.metadata or {}).get(_ABOUT_KEY, b"the result's table").decode()
        sheet.append(_row(sheet, [_text(name), _text(f"{said}; columns: {', '.join(table.column_names)}"), table.num_rows]))
