"""Read XLSX workbooks safely: sizes checked from the zip directory, XML without entities, errors named.

An XLSX file is a zip archive of XML parts. Before openpyxl reads one, `check_workbook` sums
the uncompressed sizes its directory declares (Python's zip reader never returns more than a
member declares) against `loaders.bounded.max_decompressed_bytes`; openpyxl parses the XML with
defusedxml, which refuses entity declarations (no "billion laughs"). A damaged workbook, found
when it is opened or while its rows are read, becomes one `LoaderError` naming the file, the
sheet and the row reached.

Example
-------
>>> check_workbook(tmp_path / "suivi.xlsx")                          # doctest: +SKIP
>>> next(workbook_rows(tmp_path / "suivi.xlsx", "2024"))              # doctest: +SKIP
(1, ('Bénéficiaire', 'SIRET', 'Montant'))
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from loaders.bounded import max_decompressed_bytes, too_big

__all__ = ["check_workbook", "open_workbook", "sheet_name", "workbook_rows"]


def check_workbook(path: Path) -> None:
    """Refuse a file that is not a zip archive, or whose members decompress past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise LoaderError(f"{path}: not readable as an XLSX workbook: {exc}") from None
    if declared > max_decompressed_bytes():
        raise too_big(path, max_decompressed_bytes())


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """An openpyxl workbook, read-only, values rather than formulas; closed on exit."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise LoaderError(f"{path}: not readable as an XLSX workbook: {_reason(exc)}") from exc
    try:
        yield book
    finally:
        book.close()


def workbook_rows(path: Path, sheet: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of a sheet as ``(line, cells)``, the header first, streamed from the file."""
    line = 0
    with open_workbook(path) as book:
        try:
            for line, cells in enumerate(book[sheet].iter_rows(values_only=True), 1):
                yield line, cells
        except Exception as exc:  # damaged XML or zip data surfaces here, as any of openpyxl's types
            raise LoaderError(f'{path} (sheet "{sheet}"), line {line + 1}: not readable as an XLSX sheet: {_reason(exc)}') from exc


def sheet_name(path: Path, names: list[str], sheet: str | None) -> str:
    """The sheet ``sheet`` designates (name or number from 1), the first by default."""
    if not names:
        raise LoaderError(f"{path}: the workbook has no sheet.")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    listed = ", ".join(f'"{n}"' for n in names)
    raise LoaderError(f'{path}: no sheet "{sheet}"; its sheets are {listed} (give --sheet NAME or its number).')


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
