"""Reading and checking lists of Territoires d'industrie: the real lists, and small files written here
for every error path (no graph needed: the check runs against the shipped administrative map)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import LoaderError
from loaders.anct_read import parse_file_name
from loaders.cog_compact import builtin_reference_dir, read_compact
from loaders.territories import read_territory_list

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"  # as tests/conftest.py
PHASE_I = RAW / "ti_phase1_groupements_anct_datagouv.csv"
PHASE_II = RAW / "ti_phase2_groupements_anct_20240704.csv"
COMMUNES_II = RAW / "ti_phase2_communes_anct_20231107.csv"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason=f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)")


@pytest.fixture(scope="module")
def reference():
    return read_compact(builtin_reference_dir())


def write(path: Path, lines: list[str], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    path.write_bytes("\n".join(line.replace(",", delimiter) for line in lines).encode(encoding) + b"\n")
    return path


@pytest.mark.parametrize(("name", "expected"), [
    ("ti_phase1_groupements_anct_datagouv.csv", ("I", None)),
    ("ti_phase2_groupements_anct_20240704.csv.gz", ("II", "2024-07-04")),
    ("Liste TI Phase II 2023-11-07.csv", ("II", "2023-11-07")),
    ("phase-i.csv", ("I", None)),
    ("territoires.csv", (None, None)),
])  # fmt: skip
def test_phase_and_date_from_the_file_name(name: str, expected: tuple) -> None:
    assert parse_file_name(name) == expected


@needs_raw
def test_real_lists(reference) -> None:
    one, two = read_territory_list(PHASE_I, reference), read_territory_list(PHASE_II, reference)
    assert (one.phase, len(one.sites), one.rows, one.vintage) == ("I", 149, 588, None)
    assert (two.phase, len(two.sites), two.rows, two.vintage) == ("II", 183, 641, "2024-07-04")
    assert one.sites["ti-0101"] == "Communauté d'agglomération Cap Excellence"
    assert two.sites["ti-0101"] == "Basse-Terre"  # the same official id, another territory
    # SIRENs beginning with 21 are communes, members directly: 38 in phase I, 12 in phase II.
    assert sum(m.kind == "Commune" for m in one.members) == 38 and sum(m.kind == "Commune" for m in two.members) == 12
    assert next(m for m in one.members if m.key == "58046").site == "ti-2706"  # SIREN 215800467: Cercy-la-Tour
    assert (one.mapped, one.unknown, one.disagreements) == ([], [], [])
    assert len(two.disagreements) == 41  # "EPT Boucle Nord de Seine", "CC du Val d Amboise"…: the map's names win


@needs_raw
def test_commune_list_maps_delegated_communes_and_counts_names(reference) -> None:
    with pytest.raises(LoaderError, match=r"7 problem\(s\)") as error:
        read_territory_list(COMMUNES_II, reference)
    assert f'{COMMUNES_II}:138: insee_com: "95282" is not a commune of the administrative map 2026' in str(error.value)
    found = read_territory_list(COMMUNES_II, reference, skip_unknown=True)
    assert (found.rows, len(found.sites), len(found.mapped), len(found.unknown)) == (18726, 183, 27, 7)
    assert {(n.line, n.value) for n in found.unknown} >= {(138, "95282"), (16710, "42072")}
    saraz = next(n for n in found.mapped if n.value == "25533")
    assert (
        saraz.where("f.csv")
        == 'f.csv:1704: insee_com: "25533" is the delegated commune Saraz: mapped to commune 25223 (Éternoz-Vallée-du-Lison)'
    )
    assert any(m.key == "25223" and m.line == 1704 for m in found.members)
    assert found.unreliable_names == 3229  # lib_com_fiable=non: the shifted names are ignored, not compared
    assert len(found.disagreements) == 38  # among the names the file vouches for


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1252", ";"), ("latin-1", "\t"), ("utf-8", "|")])
def test_french_encodings_and_delimiters(tmp_path: Path, reference, encoding: str, delimiter: str) -> None:
    path = write(tmp_path / "liste_phase2.csv", [
        "id_ti,lib_ti,siren_groupement,lib_groupement",
        "ti-0101,Basse-Terre,249710062,CA du Nord Basse-Terre",
        "ti-0102,Cap Excellence,200018653,CA Cap Excellence",
        "ti-2706,Nevers Val de Loire,215800467,Cercy-la-Tour",
        "ti-3204,Béthune-Bruay,200072460,CA de Béthune-Bruay",
    ], encoding=encoding, delimiter=delimiter)  # fmt: skip
    found = read_territory_list(path, reference)
    assert (found.delimiter, found.sites["ti-3204"]) == (delimiter, "Béthune-Bruay")
    assert [(m.site, m.kind, m.key) for m in found.members] == [
        ("ti-0101", "Epci", "249710062"), ("ti-0102", "Epci", "200018653"), ("ti-2706", "Commune", "58046"), ("ti-3204", "Epci", "200072460"),
    ]  # fmt: skip
    assert [n.line for n in found.disagreements] == [3, 5]  # "CA Cap Excellence", "CA de Béthune-Bruay"


def test_every_bad_row_is_reported_with_its_line_and_column(tmp_path: Path, reference) -> None:
    path = write(tmp_path / "ti_phase1.csv", [
        "id_ti;lib_ti;siren_groupement",
        "ti-0101;Cap Excellence;200018653",
        "ti-0101;Cap Excellence;123456789",
        "ti 9;Nulle part;200018653",
        "ti-0102;;200018653",
        "ti-0103;Ailleurs;2000186",
        "ti-0101;Autre nom;200018653",
    ], delimiter=";")  # fmt: skip
    with pytest.raises(LoaderError) as error:
        read_territory_list(path, reference)
    assert str(error.value).splitlines() == [
        f"{path}: 5 problem(s), nothing was loaded:",
        (
            f'{path}:3: siren_groupement: "123456789" is neither an EPCI, an EPT nor a commune of the administrative map 2026; '
            "check it, or pass --skip-unknown to leave it out"
        ),
        f'{path}:4: id_ti: "ti 9" is not an official id such as ti-0101',
        f"{path}:5: lib_ti: empty; every row names its territory (ti-0102)",
        f'{path}:6: siren_groupement: "2000186" is not a SIREN (9 digits)',
        f'{path}:7: lib_ti: "Autre nom", but line 2 names ti-0101 "Cap Excellence"; one territory has one name',
    ]


def test_skip_unknown_says_exactly_what_was_left_out(tmp_path: Path, reference) -> None:
    path = write(tmp_path / "ti_phase2_communes.csv", [
        "id_ti,lib_ti,insee_com,lib_com,lib_com_fiable",
        "ti-3204,Béthune-Bruay,62119,Béthune,oui",
        "ti-3204,Béthune-Bruay,99999,Nulle-part,oui",
        "ti-3204,Béthune-Bruay,1001,,non",
    ])  # fmt: skip
    found = read_territory_list(path, reference, skip_unknown=True)
    assert [n.where("f") for n in found.unknown] == [
        'f:3: insee_com: "99999" is not a commune of the administrative map 2026: left out'
    ]
    assert [m.key for m in found.members] == ["62119", "01001"]  # a lost leading zero is put back
    assert found.unreliable_names == 1 and found.disagreements == []


@pytest.mark.parametrize(("header", "message"), [
    ("id_ti,siren_groupement", ":1: lib_ti: missing column; the header has \"id_ti\", \"siren_groupement\""),
    ("id_ti,lib_ti,nom", ":1: siren_groupement, insee_com: the header has neither; it needs exactly one"),
    ("id_ti lib_ti siren_groupement", ":1: id_ti: missing column; the header has \"id_ti lib_ti siren_groupement\""),
])  # fmt: skip
def test_a_missing_column_is_named(tmp_path: Path, reference, header: str, message: str) -> None:
    path = write(tmp_path / "ti_phase1.csv", [header, "ti-0101,Cap Excellence,200018653"])
    with pytest.raises(LoaderError, match="missing column|needs exactly one") as error:
        read_territory_list(path, reference)
    assert f"{path}{message}" in str(error.value)


def test_the_phase_is_needed(tmp_path: Path, reference) -> None:
    path = write(tmp_path / "territoires.csv", ["id_ti,lib_ti,siren_groupement", "ti-0101,Cap Excellence,200018653"])
    with pytest.raises(LoaderError, match="pass --phase I or --phase II"):
        read_territory_list(path, reference)
    assert read_territory_list(path, reference, phase="I").phase == "I"


@needs_raw
def test_the_geojson_lists_read_as_the_csv_lists(reference) -> None:
    geojson = read_territory_list(RAW / "ti_phase2_groupements_anct_20240704.geojson", reference)
    csv = read_territory_list(PHASE_II, reference)
    assert (geojson.phase, geojson.vintage, geojson.rows, geojson.references) == ("II", "2024-07-04", 183, 641)
    assert geojson.sites == csv.sites
    assert sorted((m.site, m.kind, m.key) for m in geojson.members) == sorted((m.site, m.kind, m.key) for m in csv.members)
    communes = read_territory_list(RAW / "ti_phase2_communes_anct_20231107.geojson", reference, skip_unknown=True)
    assert (communes.references, len(communes.mapped), len(communes.unknown)) == (18726, 27, 7)
    assert communes.unknown[0].where("f") == 'f: feature 12 (ti-1102): liste_geo: "95282" is not a commune of the administrative map 2026: left out'


@needs_raw
def test_phase_i_geojson_reads_as_its_csv_and_keeps_outlines(reference) -> None:
    from_csv = read_territory_list(PHASE_I, reference)
    from_geojson = read_territory_list(PHASE_I.with_suffix(".geojson"), reference)
    assert from_geojson.sites == from_csv.sites  # its features list "SIREN, SIREN…" in siren_groupement, not liste_geo
    assert {(m.site, m.kind, m.key) for m in from_geojson.members} == {(m.site, m.kind, m.key) for m in from_csv.members}
    assert (len(from_geojson.outlines), from_csv.outlines) == (146, {})  # 3 of the 149 are points
    assert sum(len(o) for o in from_geojson.outlines.values()) < 200_000  # 1.8 MB of polygons, simplified
