"""Reading analysts' tables: the delimiters and encodings of French public CSV files, and XLSX sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import LoaderError
from loaders.table import open_table


def read_rows(path: Path, **options) -> list:
    return list(open_table(path, **options).rows())

ROWS = [["Bénéficiaire", "SIRET", "Montant"], ["Société Générale d'Électricité", "552 032 534 00013", "1 200 000 €"], ["Ça; et là", "", "5 M€"]]


def _csv(path: Path, delimiter: str, encoding: str) -> Path:
    import csv

    rows = [[c.replace("€", "EUR") if encoding == "latin-1" else c for c in row] for row in ROWS]  # Latin-1 has no €
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("latin-1", "cp1252")])
def test_every_delimiter_and_encoding(tmp_path, delimiter, encoding, detected):
    table = open_table(_csv(tmp_path / "t.csv", delimiter, encoding))
    assert (table.delimiter, table.encoding) == (delimiter, detected)
    assert table.columns == ROWS[0]
    rows = list(table.rows())
    assert [line for line, _ in rows] == [2, 3]
    assert rows[0][1]["Bénéficiaire"] == "Société Générale d'Électricité"
    assert rows[0][1]["Montant"] in ("1 200 000 €", "1 200 000 EUR")
    assert rows[1][1]["Bénéficiaire"] == "Ça; et là"

def test_line_numbers_count_quoted_line_breaks_and_skip_blank_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('nom;note\n"A";"deux\nlignes"\n;\n\n"B";x\n', encoding="utf-8")
    assert [(line, row["nom"]) for line, row in read_rows(path)] == [(2, "A"), (6, "B")]


def test_short_rows_are_padded_long_rows_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b;c\n1;2\n1;2;3;4\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"t.csv:3: 4 cells but the header names 3 columns"):
        read_rows(path)
    path.write_text("a;b;c\n1;2\n", encoding="utf-8")
    assert read_rows(path) == [(2, {"a": "1", "b": "2", "c": None})]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", r"t.csv:1: the first line must name the columns"), ("a;b;a\n1;2;3\n", r't.csv:1: column 3 repeats the name "a"')],
)
def test_bad_headers(tmp_path, text, message):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoaderError, match=message):
        open_table(path)


def _workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["rien"])
    sheet = book.create_sheet("2023")
    sheet.append(["Bénéficiaire", "SIRET", "Montant", "Date", "Code commune"])
    sheet.append(["Nacon", 55203253400013, 1200000, dt.datetime(2023, 12, 18), 1053])
    sheet.append([None, None, None, None, None])
    sheet.append(["Verallia", "552 032 534", "5 M€", "18/12/2023", "62119"])
    book.save(path)
    return path


def test_xlsx_sheets_by_name_or_number_keep_cell_types(tmp_path):
    path = _workbook(tmp_path / "suivi.xlsx")
    assert open_table(path).columns == ["rien"]
    table = open_table(path, sheet="2023")
    assert (table.format, table.sheet, table.name) == ("xlsx", "2023", f'{path} (sheet "2023")')
    rows = list(table.rows())
    assert [line for line, _ in rows] == [2, 4]
    assert rows[0][1] == {"Bénéficiaire": "Nacon", "SIRET": 55203253400013, "Montant": 1200000,
                                "Date": dt.datetime(2023, 12, 18), "Code commune": 1053}  # fmt: skip
    assert read_rows(path, sheet="2") == rows


def test_unknown_sheet_names_the_sheets(tmp_path):
    path = _workbook(tmp_path / "suivi.xlsx")
    with pytest.raises(LoaderError, match=r'no sheet "2024"; its sheets are "Notes", "2023"'):
        open_table(path, sheet="2024")


def test_files_that_are_not_tables(tmp_path):
    with pytest.raises(LoaderError, match=r"\.xls files are not read; save the sheet as \.xlsx or \.csv"):
        (tmp_path / "old.xls").write_bytes(b"\xd0\xcf")
        open_table(tmp_path / "old.xls")
    (tmp_path / "fake.xlsx").write_text("a;b\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"fake.xlsx: not readable as an XLSX workbook"):
        open_table(tmp_path / "fake.xlsx")


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "siren;nom\n552032534;Danone\n".encode("utf-16")])
def test_a_binary_file_is_refused_as_such(tmp_path, content):
    path = tmp_path / "sites.csv"
    path.write_bytes(content)
    with pytest.raises(LoaderError, match=r"sites\.csv: a binary file \(it holds NUL bytes\), not a CSV table"):
        open_table(path)
