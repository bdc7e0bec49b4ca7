"""Read an analyst's table: a CSV in whatever form French public files use, or an XLSX sheet.

CSV files are decoded as UTF-8 (with or without a byte-order mark), else as Windows-1252 (the
Latin-1 of Excel on Windows; bytes it leaves undefined fall back to Latin-1), and split on the
delimiter — ``;``, ``,``, tab or ``|`` — that cuts the first lines into the same number of
columns. XLSX files are read with openpyxl, the first sheet unless ``sheet`` names another;
cells keep their type (numbers, dates). Rows keep the line number they have in the file (the
header is line 1) so that messages can name them; blank rows are dropped.

Example
-------
>>> table = read_table(tmp_path / "laureats.csv")                       # doctest: +SKIP
>>> table.encoding, table.delimiter, table.columns[:2]                    # doctest: +SKIP
('cp1252', ';', ['Bénéficiaire', 'SIRET'])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import LoaderError

__all__ = ["DELIMITERS", "Table", "read_table"]

DELIMITERS = (";", ",", "\t", "|")
_SNIFF_LINES = 50


@dataclass
class Table:
    """A table read from a file: its header and its rows, each with its line in the file."""

    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""

    @property
    def name(self) -> str:
        """The file (and sheet) for messages."""
        return f'{self.path} (sheet "{self.sheet}")' if self.sheet else str(self.path)


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file into a `Table`.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (or ``.txt``, ``.tsv``) or ``.xlsx`` file.
    sheet : str, optional
        The sheet of an XLSX file (its name, or its number from 1); the first one by default.

    Raises
    ------
    LoaderError
        When the file cannot be read, has no header, repeats a column name, or a row has more
        cells than the header has columns.
    """
    path = Path(path)
    if not path.is_file():
        raise LoaderError(f'No file "{path}".')
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in (".xls", ".ods"):
        raise LoaderError(f"{path}: {path.suffix} files are not read; save the sheet as .xlsx or .csv (UTF-8) and load that.")
    if sheet is not None:
        raise LoaderError(f"{path}: --sheet is for .xlsx files; a CSV file has a single table.")
    return _read_csv(path)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file's bytes and the encoding used: UTF-8 (BOM or not), else Windows-1252, else Latin-1.

    >>> decode("Bénéficiaire".encode("cp1252"))
    ('Bénéficiaire', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfSIRET")
    ('SIRET', 'utf-8-sig')
    """
    for encoding in ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def sniff_delimiter(text: str) -> str:
    """The delimiter that cuts the most of the first lines into as many columns as the header.

    >>> sniff_delimiter('siren,nom\\n552032534,"Danone; SA"\\n')
    ','
    """
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)]
        if not rows or len(rows[0]) < 2:
            continue
        score = (sum(len(r) == len(rows[0]) for r in rows[1:]), len(rows[0]))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path) -> Table:
    try:
        text, encoding = decode(path.read_bytes())
    except OSError as exc:
        raise LoaderError(f"{path}: cannot read the file: {exc}") from exc
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        table = Table(path, _header(path, header), format="csv", encoding=encoding, delimiter=delimiter)
        line = reader.line_num + 1
        for cells in reader:
            _add_row(table, line, cells)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise LoaderError(f"{path}:{reader.line_num}: not readable as CSV: {exc}") from exc
    return table


def _header(path: Path, cells: list[Any] | None) -> list[str]:
    names = [" ".join(str(c if c is not None else "").split()) for c in cells or []]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise LoaderError(f"{path}:1: the first line must name the columns; it is empty.")
    seen: set[str] = set()
    for position, name in enumerate(names, 1):
        if name and name in seen:
            raise LoaderError(f'{path}:1: column {position} repeats the name "{name}"; give each column its own name.')
        seen.add(name)
    return names


def _add_row(table: Table, line: int, cells: list[Any] | tuple[Any, ...]) -> None:
    cells = list(cells)
    while cells and cells[-1] in (None, ""):
        cells.pop()
    if not any(c not in (None, "") and str(c).strip() for c in cells):
        return
    if len(cells) > len(table.columns):
        raise LoaderError(
            f"{table.name}:{line}: {len(cells)} cells but the header names {len(table.columns)} columns; "
            "quote cells that contain the delimiter, or name the extra columns."
        )
    table.rows.append((line, {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(table.columns) if c}))


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise LoaderError(f"{path}: not readable as an XLSX workbook: {exc}") from exc
    try:
        ws = book[_sheet_name(path, book.sheetnames, sheet)]
        rows = ws.iter_rows(values_only=True)
        table = Table(path, _header(path, next(rows, None)), format="xlsx", sheet=ws.title)
        for line, cells in enumerate(rows, 2):
            _add_row(table, line, cells)
    finally:
        book.close()
    return table


def _sheet_name(path: Path, names: list[str], sheet: str | None) -> str:
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    listed = ", ".join(f'"{n}"' for n in names)
    raise LoaderError(f'{path}: no sheet "{sheet}"; its sheets are {listed} (give --sheet NAME or its number).')
