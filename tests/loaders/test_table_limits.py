"""Hostile tables and archives: each gives one `Error:` line naming the file and the place, exit 1,
no traceback and an unchanged graph; limits are lowered through their environment variables."""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"
SIRENE = "siren,nic,siret,codeCommuneEtablissement,etatAdministratifEtablissement,activitePrincipaleEtablissement,denominationUniteLegale\n"
ROW = "552032534,00013,55203253400013,62119,A,10.51A,DANONE\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph holding one commune, for SIRENE rows to point to; made once, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Commune", [{"key": "62119", "name": "Béthune"}])
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> str:
    """A copy of the template graph."""
    shutil.copy(template, tmp_path / "graph")
    return str(tmp_path / "graph")


def counts(db: str) -> dict:
    with open_graph(db, read_only=True) as graph:
        return graph.counts()


def refused(runner, db: str, args: list[str], env: dict[str, str] | None = None) -> str:
    """Run ``tdi --db DB ARGS``: it must fail cleanly, leaving the graph as it was; its one error line."""
    result = runner.invoke(cli, ["--db", db, *args], env=env)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert counts(db) == {"nodes": {"Commune": 1}, "relationships": {}}
    return lines[0]


def load(path: Path) -> list[str]:
    return ["load", "table", str(path), "--mapping", "sirene"]


# ---------------------------------------------------------------- CSV lines and cells


def test_a_cell_over_the_default_limit_names_line_and_column(runner, db, tmp_path):
    path = tmp_path / "big-cell.csv"
    path.write_text(SIRENE + ROW + f'552032534,00021,55203253400021,62119,A,10.51A,"{"D" * 131_073}"\n', encoding="utf-8")
    line = refused(runner, db, load(path))
    assert line == f'Error: {path}:3: column "denominationUniteLegale": the cell holds 131,073 characters; the limit is 131,072 (TDI_MAX_CELL_CHARS).'


def test_a_big_cell_in_the_header_lines_is_refused_before_sniffing_fails(runner, db, tmp_path):
    path = tmp_path / "big-header.csv"
    path.write_text("siren;" + "x" * 200_000 + "\n1;2\n", encoding="utf-8")
    assert refused(runner, db, load(path)).startswith(f"Error: {path}:1: column 2: the name is longer than 131,072 characters")


def test_lowered_cell_and_line_limits(runner, db, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(SIRENE + ROW.replace("DANONE", "D" * 40), encoding="utf-8")
    cell = refused(runner, db, load(path), {"TDI_MAX_CELL_CHARS": "35"})
    assert cell.startswith(f'Error: {path}:2: column "denominationUniteLegale": the cell holds 40 characters; the limit is 35')
    line = refused(runner, db, load(path), {"TDI_MAX_LINE_BYTES": "60"})
    assert line == f"Error: {path}:1: the line is longer than 60 bytes, the limit (TDI_MAX_LINE_BYTES)."


def test_a_line_without_end_is_read_a_piece_at_a_time(runner, db, tmp_path):
    path = tmp_path / "no-newline.csv"
    path.write_text(SIRENE + ";" * 5_000, encoding="utf-8")
    line = refused(runner, db, load(path), {"TDI_MAX_LINE_BYTES": "1000"})
    assert line.startswith(f"Error: {path}:2: the line is longer than 1,000 bytes")


# ---------------------------------------------------------------- gzip'd tables


def test_a_gzipped_csv_loads_like_the_csv(runner, db, tmp_path):
    path = tmp_path / "sirene.csv.gz"
    path.write_bytes(gzip.compress((SIRENE + ROW).encode()))
    result = runner.invoke(cli, ["--db", db, *load(path)])
    assert result.exit_code == 0, result.output
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (s:Source) RETURN s.key AS key, s.rows AS rows") == [{"key": "file-sirene-csv", "rows": 1}]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not gzip at all", "not a readable gzip file (Not a gzipped file"),
        (gzip.compress((SIRENE + ROW * 200).encode())[:-30], "not a readable gzip file (Compressed file ended"),
        (gzip.compress((SIRENE + ROW * 200).encode())[:60] + b"\xff" * 40, "not a readable gzip file"),
    ],
    ids=["not-gzip", "truncated", "damaged"],
)
def test_a_corrupt_gz_table(runner, db, tmp_path, data, reason):
    path = tmp_path / "sirene.csv.gz"
    path.write_bytes(data)
    assert refused(runner, db, load(path)).startswith(f"Error: {path}: {reason}")


def test_a_gz_bomb_stops_at_the_decompression_limit(runner, db, tmp_path):
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress((SIRENE + ROW + " " * (3 << 20)).encode()))
    assert path.stat().st_size < 10_000
    line = refused(runner, db, load(path), {"TDI_MAX_DECOMPRESSED_MB": "1"})
    assert line == f"Error: {path}: more than 1 MiB once decompressed, the limit; set TDI_MAX_DECOMPRESSED_MB to raise it if the file is genuine."


# ---------------------------------------------------------------- XLSX


def workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(SIRENE.strip().split(","))
    book.active.append(ROW.strip().split(","))
    book.save(path)
    return path


def rewrite(path: Path, member: str, content: bytes) -> Path:
    """The workbook with one member replaced."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[member] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_truncated_xlsx(runner, db, tmp_path):
    path = workbook(tmp_path / "cut.xlsx")
    path.write_bytes(path.read_bytes()[:-200])
    assert refused(runner, db, load(path)).startswith(f"Error: {path}: not readable as an XLSX workbook:")


def test_an_xlsx_with_damaged_sheet_xml(runner, db, tmp_path):
    path = rewrite(workbook(tmp_path / "damaged.xlsx"), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c")
    line = refused(runner, db, load(path))
    assert line.startswith((f'Error: {path} (sheet "Sheet"), line 1: not readable as an XLSX sheet:', f"Error: {path}: not readable as an XLSX workbook:"))


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_an_xlsx_entity_bomb_is_refused(runner, db, tmp_path, member):
    path = rewrite(workbook(tmp_path / "lol.xlsx"), member, LAUGHS)
    line = refused(runner, db, load(path))
    assert f"{path}" in line and "not readable as an XLSX" in line


def test_an_xlsx_that_unpacks_past_the_limit(runner, db, tmp_path):
    path = rewrite(workbook(tmp_path / "padded.xlsx"), "xl/padding.xml", b" " * (2 << 20))
    assert path.stat().st_size < 50_000
    line = refused(runner, db, load(path), {"TDI_MAX_DECOMPRESSED_MB": "1"})
    assert line.startswith(f"Error: {path}: more than 1 MiB once decompressed, the limit")


# ---------------------------------------------------------------- reference tarballs


def tarball(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_reference_tarball(runner, db, tmp_path, keep):
    data = (RAW / "etalab-decoupage-administratif-6.0.0.tgz").read_bytes()
    path = tmp_path / "cut.tgz"
    path.write_bytes(data[: int(len(data) * keep)])
    line = refused(runner, db, ["load", "reference", "--from", str(path)])
    assert line.startswith("Error: cut.tgz: not a readable tarball (") and "the file ends too soon: is it complete?" in line


def test_a_reference_tarball_that_unpacks_past_the_limit(runner, db, tmp_path):
    path = tarball(tmp_path / "spaces.tgz", {"package.json": b"{}", "data/communes.json": b" " * (3 << 20)})
    assert path.stat().st_size < 20_000
    line = refused(runner, db, ["load", "reference", "--from", str(path)], {"TDI_MAX_DECOMPRESSED_MB": "2"})
    assert line == "Error: spaces.tgz: more than 2 MiB once decompressed, the limit; set TDI_MAX_DECOMPRESSED_MB to raise it if the file is genuine."


def test_a_tarball_of_countless_empty_members_is_refused(runner, db, tmp_path):
    path = tarball(tmp_path / "many.tgz", {f"data/{n}.json": b"" for n in range(1_001)})
    assert refused(runner, db, ["load", "reference", "--from", str(path)]).startswith("Error: many.tgz: more than 256 MiB")
