"""Fuzz ``tdi load table`` (a laureates CSV and XLSX, mapping ``laureates``) and
``tdi load reference --from`` (the 2026 tarball, damaged).

Every case must be refused with one ``Error:`` line naming the file and the place. ``load table``
opens the graph before it reads the file, so each case runs on its own copy of the prepared graph
and compares its fingerprint.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RAW
from fuzzing import CONTROL, Prepared, case_ids, isolated, prepare, rng_of, run_refused, with_digits

BASE = Path(__file__).with_name("base_facts.yaml")
TARBALL = RAW / "etalab-decoupage-administratif-6.0.0.tgz"
HEADER = "Bénéficiaire;SIRET;Montant;Dispositif;Code commune;Commune;Date"
ROWS = [
    "Nacon;552 032 534 00013;1 200 000 €;Fonds d'accélération;62119;Béthune;18/12/2023",
    "Verallia;552 032 534 00021;1,36 Md€;France 2030;62119;Béthune;12/2023",
    "Boulangerie du Nord;200 072 460 00015;12,5 k€;France 2030;62119;Béthune;2024-03-01",
]
PER_OPERATOR = 2


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A graph holding the base facts file (with the commune the rows are located in)."""
    return prepare(tmp_path_factory.mktemp("fuzz-tables"), ["load", "facts", BASE])


# ---------------------------------------------------------------- CSV tables

CsvBroken = tuple[list[str], str]  # lines, place regex (after the file name)


def _cell(lines: list[str], rng: random.Random, column: int, value: str) -> CsvBroken:
    row = rng.randrange(1, len(lines))
    cells = lines[row].split(";")
    cells[column] = value
    lines[row] = ";".join(cells)
    return lines, rf":{row + 1}\b"


def extra_cell(lines: list[str], rng: random.Random) -> CsvBroken:
    row = rng.randrange(1, len(lines))
    lines[row] += rng.choice([";x", ";;y"])
    return lines, rf":{row + 1}\b"


def control_in_name(lines: list[str], rng: random.Random) -> CsvBroken:
    return _cell(lines, rng, 0, f"Na{rng.choice(CONTROL)}con")


def huge_cell(lines: list[str], rng: random.Random) -> CsvBroken:
    return _cell(lines, rng, 5, "x" * rng.randint(131_073, 200_000))


def huge_amount(lines: list[str], rng: random.Random) -> CsvBroken:
    return _cell(lines, rng, 2, "1" + "0" * rng.randint(309, 600) + " €")


def siret_digits(lines: list[str], rng: random.Random) -> CsvBroken:
    return _cell(lines, rng, 1, with_digits("55203253400013", rng))


def bad_date(lines: list[str], rng: random.Random) -> CsvBroken:
    return _cell(lines, rng, 6, rng.choice(["31/02/2024", "2024-13-01", "00/12/2023", "demain"]))


CSV_OPERATORS: dict[str, Callable[[list[str], random.Random], CsvBroken]] = {
    "extra_cell": extra_cell,
    "control_in_name": control_in_name,
    "huge_cell": huge_cell,
    "huge_amount": huge_amount,
    "siret_digits": siret_digits,
    "bad_date": bad_date,
}


@pytest.mark.parametrize("case", case_ids(CSV_OPERATORS, PER_OPERATOR))
def test_malformed_csv_table_is_refused(prepared: Prepared, case: str) -> None:
    lines, place = CSV_OPERATORS[case.rsplit("-", 1)[0]]([HEADER, *ROWS], rng_of(case))
    path = prepared.work / f"{case}.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    run_refused(isolated(prepared, case), ["load", "table", path, "--mapping", "laureates"], re.escape(str(path)) + place)


# ---------------------------------------------------------------- XLSX tables


def base_xlsx() -> bytes:
    """The rows as a workbook written by openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in [HEADER, *ROWS]:
        sheet.append(line.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item)))
    return out.getvalue()


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(10, len(data) - 10)]


def flipped(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) // 4, len(data) - 30)
    return data[:at] + bytes(b ^ 0xFF for b in data[at : at + 16]) + data[at + 16 :]


def entity_bomb(data: bytes, rng: random.Random) -> bytes:
    levels = rng.randint(3, 5)  # at most 10^5 expansions: refused or not, it stays small
    entities = '<!ENTITY e0 "lol">' + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels + 1))

    def change(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return content
        text = content.decode().replace("Nacon", f"&e{levels};", 1)
        return text.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1).encode()

    return _rezip(data, change)


def control_in_cell(data: bytes, rng: random.Random) -> bytes:
    char = rng.choice([c for c in CONTROL if ord(c) < 0x20 and c not in "\x00"])
    return _rezip(data, lambda name, content: content.replace(b"Nacon", f"Na&#x{ord(char):x};con".encode()) if "xl/" in name else content)


XLSX_OPERATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncated": truncated,
    "flipped": flipped,
    "entity_bomb": entity_bomb,
    "control_in_cell": control_in_cell,
}


@pytest.mark.parametrize("case", case_ids(XLSX_OPERATORS, PER_OPERATOR))
def test_malformed_xlsx_table_is_refused(prepared: Prepared, case: str) -> None:
    path = prepared.work / f"{case}.xlsx"
    path.write_bytes(XLSX_OPERATORS[case.rsplit("-", 1)[0]](base_xlsx(), rng_of(case)))
    place = re.escape(str(path)) + r"(:\d+|, row \d+|, sheet| \(sheet .*\), line \d+|: not readable as an XLSX workbook)"  # a damaged file: itself
    run_refused(isolated(prepared, case), ["load", "table", path, "--mapping", "laureates"], place)


# ---------------------------------------------------------------- reference tarballs


@pytest.mark.parametrize(
    "case", [pytest.param(f"{cut}", id=f"truncated-at-{cut}-percent") for cut in (3, 30, 70)] + [pytest.param("flipped", id="flipped-bytes"), pytest.param("not-gzip", id="not-gzip")],
)  # fmt: skip
def test_damaged_reference_tarball_is_refused(prepared: Prepared, case: str) -> None:
    data = TARBALL.read_bytes()
    if case == "flipped":
        data = flipped(data, rng_of(case))
    elif case == "not-gzip":
        data = b"not a tarball\n" * 100
    else:
        data = data[: len(data) * int(case) // 100]
    path = prepared.work / f"reference-{case}.tgz"
    path.write_bytes(data)
    run_refused(isolated(prepared, f"reference-{case}"), ["load", "reference", "--from", path], re.escape(path.name))
