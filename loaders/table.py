"""Read an analyst's table: a CSV in whatever form French public files use, or an XLSX sheet.

CSV files (``.gz`` ones too) are decoded as UTF-8 (with or without a byte-order mark), else as
Windows-1252 (the Latin-1 of Excel on Windows; bytes it leaves undefined fall back to Latin-1),
and split on the delimiter — ``;``, ``,``, tab or ``|`` — that cuts the first lines into the same
number of columns. XLSX files are read with openpyxl, the first sheet unless ``sheet`` names
another; cells keep their type (numbers, dates). `open_table` reads the header only;
`Table.rows` streams the rows from the file each time it is called, so that a table of any size
is read in constant memory. Rows keep the line number they have in the file (the header is
line 1) so that messages can name them; blank rows are dropped. Lines, cells and decompressed
sizes are bounded (`loaders.bounded`).

Example
-------
>>> table = open_table(tmp_path / "laureats.csv")                       # doctest: +SKIP
>>> table.encoding, table.delimiter, table.columns[:2]                   # doctest: +SKIP
('cp1252', ';', ['Bénéficiaire', 'SIRET'])
>>> next(table.rows())                                                   # doctest: +SKIP
(2, {'Bénéficiaire': 'Nacon', 'SIRET': '552 032 534 00013', ...})
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterator
from contextlib import closing
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from graph.errors import LoaderError
from loaders.bounded import max_cell_chars, max_line_bytes, open_decompressed
from loaders.workbook import check_workbook, open_workbook, sheet_name, workbook_rows

__all__ = ["DELIMITERS", "Table", "decode", "open_table", "sniff_delimiter"]

DELIMITERS = (";", ",", "\t", "|")
_SNIFF_LINES = 50
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


@dataclass
class Table:
    """A table in a file: its header, how to read it, and an estimate of its lines (for progress)."""

    path: Path
    columns: list[str]
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    lines: int = 0

    @property
    def name(self) -> str:
        """The file (and sheet) for messages."""
        return f'{self.path} (sheet "{self.sheet}")' if self.sheet else str(self.path)

    def rows(self, columns: Collection[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
        """The non-blank rows as ``(line, {column: cell})``, read from the file again on each call.

        ``columns`` limits each row's dict to those columns (all by default); every cell is checked.
        """
        wanted = [(i, c) for i, c in enumerate(self.columns) if c and (columns is None or c in columns)]
        names, pick = [c for _, c in wanted], itemgetter(*(i for i, _ in wanted)) if len(wanted) > 1 else None
        full = max((i for i, _ in wanted), default=-1) + 1  # a row with this many cells has every column wanted
        records = _csv_records(self) if self.format == "csv" else workbook_rows(self.path, self.sheet)
        limit = max_cell_chars()
        with closing(records):
            for line, cells in records:
                if line > 1 and _check_row(self, line, cells, limit):
                    size = len(cells)
                    if pick is not None and size >= full:
                        yield line, dict(zip(names, pick(cells)))
                    else:
                        yield line, {c: (cells[i] if i < size else None) for i, c in wanted}


def open_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Open a CSV (or ``.csv.gz``) or XLSX file as a `Table`: its header and format, not yet its rows.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (or ``.txt``, ``.tsv``, gzip'd or not) or ``.xlsx`` file.
    sheet : str, optional
        The sheet of an XLSX file (its name, or its number from 1); the first one by default.

    Raises
    ------
    LoaderError
        When the file cannot be read, has no header, or repeats a column name; reading its rows
        raises it too for a row with more cells than the header has columns, a line or cell over
        the limits, or damaged data.
    """
    path = Path(path)
    if not path.is_file():
        raise LoaderError(f'No file "{path}".')
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix in (".xls", ".ods"):
        raise LoaderError(f"{path}: {path.suffix} files are not read; save the sheet as .xlsx or .csv (UTF-8) and load that.")
    if sheet is not None:
        raise LoaderError(f"{path}: --sheet is for .xlsx files; a CSV file has a single table.")
    return _open_csv(path)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file's bytes and the encoding used: UTF-8 (BOM or not), else Windows-1252, else Latin-1.

    >>> decode("Bénéficiaire".encode("cp1252"))
    ('Bénéficiaire', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfSIRET")
    ('SIRET', 'utf-8-sig')
    """
    for encoding in ("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", "cp1252", "latin-1"):
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
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)]
        except csv.Error:  # a cell over csv's limit: the reading proper reports it, with its line
            continue
        if not rows or len(rows[0]) < 2:
            continue
        score = (sum(len(r) == len(rows[0]) for r in rows[1:]), len(rows[0]))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _scan(path: Path) -> tuple[str, int]:
    """The encoding of a CSV file and its number of lines, read block by block; refuse a line over the limit."""
    decoder, utf8, undefined, lines, carry, limit = codecs.getincrementaldecoder("utf-8")(), True, False, 0, 0, max_line_bytes()
    with open_decompressed(path) as handle:
        first = block = handle.read(1 << 20)
        if b"\x00" in first[:65536]:
            raise LoaderError(f"{path}: a binary file (it holds NUL bytes), not a CSV table; a spreadsheet must be saved as .xlsx or as CSV in UTF-8.")
        while block:
            pieces = block.split(b"\n")
            if carry + len(pieces[0]) > limit or max(map(len, pieces)) > limit:
                _refuse_long_line(path, pieces, carry, lines, limit)
            carry = _tail(pieces, carry)
            lines += len(pieces) - 1
            undefined = undefined or _CP1252_UNDEFINED.search(block) is not None
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            block = handle.read(1 << 20)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return ("utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"), lines
    return ("latin-1" if undefined else "cp1252"), lines


def _refuse_long_line(path: Path, pieces: list[bytes], carry: int, lines: int, limit: int) -> None:
    """Raise for the first of ``pieces`` (lines cut at ``\\n``; ``\\r`` may cut them too) longer than ``limit``."""
    for index, piece in enumerate(pieces):
        lengths = [len(segment) for segment in piece.split(b"\r")]
        lengths[0] += carry if index == 0 else 0
        if max(lengths) > limit:
            raise LoaderError(f"{path}:{lines + index + 1}: the line is longer than {limit:,} bytes, the limit (TDI_MAX_LINE_BYTES).")


def _tail(pieces: list[bytes], carry: int) -> int:
    """The length of the line still open at the end of a block (after its last ``\\n`` or ``\\r``)."""
    last = pieces[-1]
    cut = last.rfind(b"\r")
    if cut >= 0:
        return len(last) - cut - 1
    return (carry if len(pieces) == 1 else 0) + len(last)


def _text(table: Table) -> TextIO:
    return io.TextIOWrapper(open_decompressed(table.path), encoding=table.encoding, newline="")


def _open_csv(path: Path) -> Table:
    encoding, lines = _scan(path)
    table = Table(path, [], format="csv", encoding=encoding, lines=lines)
    with _text(table) as handle:
        head = "".join(handle.readline() for _ in range(_SNIFF_LINES))
    table.delimiter = sniff_delimiter(head)
    with closing(_csv_records(table)) as records:
        table.columns = _header(table, next(records, (1, []))[1])
    return table


def _csv_records(table: Table) -> Iterator[tuple[int, list[str]]]:
    """Every record of a CSV file (the header first) with the line it starts on; lines were checked by `_scan`."""
    csv.field_size_limit(max(max_line_bytes(), max_cell_chars()) + 1)  # longer cells are refused by _check_row, with their column
    with _text(table) as handle:
        reader = csv.reader(handle, delimiter=table.delimiter)
        line = 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise LoaderError(f"{table.path}:{reader.line_num}: not readable as CSV: {exc}") from None


def _header(table: Table, cells: list[Any] | tuple[Any, ...] | None) -> list[str]:
    names = [" ".join(str(c if c is not None else "").split()) for c in cells or []]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise LoaderError(f"{table.path}:1: the first line must name the columns; it is empty.")
    seen: set[str] = set()
    for position, name in enumerate(names, 1):
        if len(name) > max_cell_chars():
            raise LoaderError(f"{table.path}:1: column {position}: the name is longer than {max_cell_chars():,} characters, the limit.")
        if name and name in seen:
            raise LoaderError(f'{table.path}:1: column {position} repeats the name "{name}"; give each column its own name.')
        seen.add(name)
    return names


def _check_row(table: Table, line: int, cells: list[Any] | tuple[Any, ...], limit: int) -> bool:
    """Whether a row holds anything; refuse one with more cells than columns, or a cell over ``limit``."""
    texts = cells if table.format == "csv" else [c if isinstance(c, str) else "" if c is None else "x" for c in cells]
    joined = "".join(texts)
    if not joined or joined.isspace():
        return False
    if len(texts) > len(table.columns):
        used = len(texts)
        while not texts[used - 1].strip():  # trailing empty cells are no extra columns
            used -= 1
        if used > len(table.columns):
            raise LoaderError(
                f"{table.name}:{line}: {used} cells but the header names {len(table.columns)} columns; "
                "quote cells that contain the delimiter, or name the extra columns."
            )
    if len(joined) > limit and max(map(len, texts)) > limit:  # no cell is longer than the whole row
        position = next(i for i, text in enumerate(texts) if len(text) > limit)
        column = table.columns[position] if position < len(table.columns) and table.columns[position] else f"number {position + 1}"
        raise LoaderError(
            f'{table.name}:{line}: column "{column}": the cell holds {len(texts[position]):,} characters; '
            f"the limit is {limit:,} (TDI_MAX_CELL_CHARS)."
        )
    return True


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    check_workbook(path)
    with open_workbook(path) as book:
        name = sheet_name(path, book.sheetnames, sheet)
        lines = book[name].max_row or 0
    table = Table(path, [], format="xlsx", sheet=name, lines=lines)
    with closing(workbook_rows(path, name)) as records:
        table.columns = _header(table, next(records, (1, []))[1])
    return table
