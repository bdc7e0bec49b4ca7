"""Loading tables through mappings: the two shipped mappings on files in their published formats,
validation before writing, atomicity, idempotence, dry runs, and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from cli import cli
from graph.backend import GraphBackend, open_graph
from graph.errors import LoaderError
from loaders.mapping import read_mapping
from loaders.table_load import load_table

# The header of INSEE's StockEtablissement, with the legal unit's name that extracts join to it.
SIRENE_COLUMNS = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement", "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
    "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement", "numeroVoieEtablissement",
    "indiceRepetitionEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement", "codePostalEtablissement",
    "libelleCommuneEtablissement", "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement",
    "codeCommuneEtablissement", "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement", "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement",
    "enseigne2Etablissement", "enseigne3Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
    "denominationUniteLegale"
]  # fmt: skip
COMMUNES = {"75056": "Paris", "62119": "Béthune", "59350": "Lille", "01053": "Bourg-en-Bresse", "59178": "Haubourdin"}
LAUREATES_HEADER = ["Bénéficiaire", "SIRET", "Montant", "Dispositif", "Code commune", "Commune", "Date"]


def siren(n: int) -> str:
    """A valid (Luhn) SIREN built from ``n``."""
    body = f"{n:08d}"
    for check in range(10):
        digits = [int(c) for c in body + str(check)]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
        if total % 10 == 0:
            return body + str(check)
    raise AssertionError


A, B, C, D = siren(55203253), siren(40004), siren(38012986), siren(77777777)


def write_sirene(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, SIRENE_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def sirene_rows() -> list[dict[str, str]]:
    site = lambda s, nic, commune, state="A", **more: {"siren": s, "nic": nic, "siret": s + nic, "codeCommuneEtablissement": commune,
                                                      "etatAdministratifEtablissement": state, "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
                                                      "statutDiffusionEtablissement": "O", **more}  # fmt: skip
    return [
        site(A, "00013", "75109", denominationUniteLegale="DANONE", activitePrincipaleEtablissement="70.10Z", etablissementSiege="true"),
        site(A, "00021", "62119", denominationUniteLegale="DANONE", activitePrincipaleEtablissement="10.51A"),
        site(B, "00018", "59350", state="F", denominationUniteLegale="FERMEE SA"),
        site(C, "00011", "", codePaysEtrangerEtablissement="99109", libellePaysEtrangerEtablissement="ALLEMAGNE",
             denominationUniteLegale="EXPORT GMBH", activitePrincipaleEtablissement="46.90Z"),
        site(D, "00015", "59350", enseigne1Etablissement="BOULANGERIE DU NORD", activitePrincipaleEtablissement="10.71C"),
    ]  # fmt: skip


def write_laureates(path: Path, rows: list[list[str]], encoding: str = "cp1252") -> Path:
    lines = [";".join(LAUREATES_HEADER)] + [";".join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def laureate_rows() -> list[list[str]]:
    return [
        ["Nacon", f"{A[:3]} {A[3:6]} {A[6:]} 00013", "1 200 000 €", "Fonds d'accélération", "59178", "Haubourdin", "18/12/2023"],
        ["Nacon", f"{A}00021", "300 000 €", "Fonds d'accélération", "59178", "Haubourdin", "05/02/2024"],
        ["Verallia", f"{C}00011", "1,36 Md€", "France 2030", "75108", "Paris 8e", "12/2023"],
        ["Boulangerie du Nord", f"{D}00015", "12,5 k€", "France 2030", "59350", "Lille", "2024-03-01"],
    ]


def with_communes(graph: GraphBackend) -> GraphBackend:
    graph.upsert_nodes("Commune", [{"key": k, "name": n} for k, n in COMMUNES.items()])
    return graph


def snapshot(graph: GraphBackend) -> tuple:
    """Everything in the graph, comparable: counts, and every node and relationship with its properties."""
    G = graph.to_networkx()
    nodes = sorted((n, sorted((k, str(v)) for k, v in d.items())) for n, d in G.nodes(data=True))
    edges = sorted((u, v, k, sorted((a, str(b)) for a, b in d.items())) for u, v, k, d in G.edges(keys=True, data=True))
    return graph.counts(), nodes, edges


# ---------------------------------------------------------------- the shipped mappings


def test_sirene_extract_makes_companies_and_the_communes_of_their_sites(backend, tmp_path):
    with_communes(backend)
    result = load_table(backend, write_sirene(tmp_path / "StockEtablissement_extrait.csv", sirene_rows()), read_mapping("sirene"))
    assert (result.rows, result.skipped, result.source) == (5, 1, "file-stocketablissement-extrait-csv")
    assert result.stats.created == {"Source": 1, "Company": 3, "LOCATED_IN": 3}
    rows = backend.run("MATCH (c:Company) OPTIONAL MATCH (c)-[:LOCATED_IN]->(m:Commune) RETURN c.key AS key, c.name AS name, "
                       "c.sector AS sector, m.key AS commune, c.sources AS sources ORDER BY key, commune")  # fmt: skip
    assert [(r["key"], r["name"], r["sector"], r["commune"]) for r in rows] == sorted([
        (A, "DANONE", "10.51A", "62119"), (A, "DANONE", "10.51A", "75056"),   # Paris 9e is Paris; last site's sector
        (C, "EXPORT GMBH", "46.90Z", None),                                   # abroad: no commune
        (D, "BOULANGERIE DU NORD", "10.71C", "59350"),                        # no legal name: the sign
    ], key=lambda r: (r[0], r[3] or ""))  # fmt: skip
    assert {tuple(r["sources"]) for r in rows} == {("file-stocketablissement-extrait-csv",)}
    source = backend.run("MATCH (s:Source) RETURN s.rows AS rows, s.publisher AS publisher, s.sha256 AS sha")[0]
    assert source["rows"] == 5 and source["publisher"] == "INSEE (base SIRENE)" and len(source["sha"]) == 64


def test_laureates_latin1_semicolon_file_makes_programmes_funds_and_places(backend, tmp_path):
    with_communes(backend)
    path = write_laureates(tmp_path / "laureats FAIIT.csv", laureate_rows())
    result = load_table(backend, path, read_mapping("laureates"))
    assert result.stats.created == {"Source": 1, "Company": 3, "Programme": 2, "FUNDS": 3, "LOCATED_IN": 3}
    funds = backend.run("MATCH (p:Programme)-[f:FUNDS]->(c:Company) RETURN p.key AS p, p.name AS name, c.key AS c, "
                        "f.amount_eur AS eur, f.date AS date, f.year AS year, f.sources AS sources")  # fmt: skip
    assert sorted((f["p"], f["name"], f["c"], f["eur"], f["date"], f["year"]) for f in funds) == [
        ("fonds-d-acceleration", "Fonds d'accélération", A, 1_500_000.0, "2023-12-18", 2023),  # two awards add up
        ("france-2030", "France 2030", C, 1_360_000_000.0, "2023-12", 2023),
        ("france-2030", "France 2030", D, 12_500.0, "2024-03-01", 2024),
    ]
    assert all(f["sources"] == ["file-laureats-faiit-csv"] for f in funds)
    places = backend.run("MATCH (c:Company)-[:LOCATED_IN]->(m:Commune) RETURN c.key AS c, m.key AS m")
    assert sorted((p["c"], p["m"]) for p in places) == sorted([(A, "59178"), (C, "75056"), (D, "59350")])


def test_laureates_xlsx_written_by_excel_with_numbers_and_dates(empty_graph, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Lisez-moi"
    sheet = book.create_sheet("Lauréats 2023")
    sheet.append(["Bénéficiaire ", "siret", "MONTANT", "Dispositif", "Code Commune", "Commune", "Date"])  # case and spaces differ
    sheet.append(["Nacon", int(A + "00013"), 1200000, "Fonds vert", 1053, "Bourg-en-Bresse", dt.datetime(2023, 12, 18)])
    sheet.append(["Verallia", C, "5 M€", "Fonds vert", "62119", "Béthune", "18/12/2023"])
    book.save(tmp_path / "suivi.xlsx")
    result = load_table(with_communes(empty_graph), tmp_path / "suivi.xlsx", read_mapping("laureates"), sheet="Lauréats 2023")
    assert result.stats.created["FUNDS"] == 2 and result.source == "file-suivi-xlsx-laureats-2023"
    rows = empty_graph.run("MATCH (:Programme)-[f:FUNDS]->(c:Company)-[:LOCATED_IN]->(m:Commune) RETURN c.key AS c, f.amount_eur AS eur, f.date AS date, m.key AS m")
    assert sorted((r["c"], r["eur"], r["date"], r["m"]) for r in rows) == sorted([(A, 1_200_000.0, "2023-12-18", "01053"), (C, 5_000_000.0, "2023-12-18", "62119")])


# ---------------------------------------------------------------- the guarantees


def test_second_load_changes_nothing_and_says_so(empty_graph, tmp_path):
    path = write_laureates(tmp_path / "laureats.csv", laureate_rows())
    load_table(with_communes(empty_graph), path, read_mapping("laureates"))
    before = snapshot(empty_graph)
    again = load_table(empty_graph, path, read_mapping("laureates"))
    assert not again.stats.changed
    assert again.stats.unchanged == {"Source": 1, "Company": 3, "Programme": 2, "FUNDS": 3, "LOCATED_IN": 3}
    assert snapshot(empty_graph) == before


def test_dry_run_reports_and_writes_nothing(empty_graph, tmp_path):
    with_communes(empty_graph)
    before = snapshot(empty_graph)
    result = load_table(empty_graph, write_laureates(tmp_path / "l.csv", laureate_rows()), read_mapping("laureates"), dry_run=True)
    assert result.dry_run and result.stats.created["FUNDS"] == 3
    assert snapshot(empty_graph) == before


def test_a_failure_in_the_middle_of_a_load_leaves_the_graph_as_it_was(backend, tmp_path):
    with_communes(backend)
    load_table(backend, write_laureates(tmp_path / "first.csv", laureate_rows()[:2]), read_mapping("laureates"))
    before = snapshot(backend)
    stages = []

    def fail_after_the_first_write(stage: str, done: int, total: int) -> None:
        stages.append((stage, done, total))
        if stage == "writing":
            raise RuntimeError("injected failure after the first batch was written")

    second = [["Nacon renamed", *laureate_rows()[0][1:]], *laureate_rows()[2:]]  # an update and new rows
    with pytest.raises(RuntimeError, match="injected"):
        load_table(backend, write_laureates(tmp_path / "second.csv", second), read_mapping("laureates"), progress=fail_after_the_first_write)
    assert stages[-1] == ("writing", 3, 11)  # the 3 companies were written, 8 rows to go, when it failed
    assert snapshot(backend) == before
    assert backend.run("MATCH (c:Company {key: $k}) RETURN c.name AS name", {"k": A}) == [{"name": "Nacon"}]


def test_every_bad_cell_is_reported_and_nothing_written(empty_graph, tmp_path):
    with_communes(empty_graph)
    before = snapshot(empty_graph)
    rows = laureate_rows()
    rows[0][2] = "12 euros et demi"
    rows[1][1] = "552 032 535 00013"                       # fails the Luhn check
    rows[2][6] = "31/02/2023"
    rows[3][4] = "99999"                                   # no such commune
    rows.append(["", f"{A}00013", "1 €", "France 2030", "59350", "Lille", "2024"])
    path = write_laureates(tmp_path / "bad.csv", rows)
    with pytest.raises(LoaderError) as error:
        load_table(empty_graph, path, read_mapping("laureates"))
    assert str(error.value).splitlines() == [
        f"{path}: 5 problem(s), nothing was loaded:",
        f'{path}:2: column "Montant": "12 euros et demi" is not an amount: expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€',
        f'{path}:3: column "SIRET": Company key "552032535" is not valid: expected a SIREN: 9 digits with a valid Luhn checksum.',
        f'{path}:4: column "Date": "31/02/2023" is not a date of the calendar (day 31, month 2, year 2023)',
        f'{path}:5: column "Code commune": no commune:99999 in the graph (load the administrative map first: "tdi load reference")',
        f'{path}:6: column "Bénéficiaire": empty; a company needs a name',
    ]
    assert snapshot(empty_graph) == before


def test_errors_stop_at_the_limit(empty_graph, tmp_path):
    rows = [["X", f"{A}00013", "beaucoup", "Fonds vert", "59350", "Lille", "2024"]] * 60
    with pytest.raises(LoaderError, match=r"60 problem\(s\)[\s\S]*:51: [\s\S]*\n… and 10 more$"):
        load_table(with_communes(empty_graph), write_laureates(tmp_path / "many.csv", rows), read_mapping("laureates"))


def test_one_relationship_with_two_values_needs_a_combine_rule(empty_graph, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "actors:\n  programme: {kind: programme, key: {column: Dispositif, parser: slug}, name: Dispositif}\n"
        "  company: {kind: company, key: {column: SIRET, parser: siren}, name: Bénéficiaire}\n"
        "relationships:\n  - type: FUNDS\n    from: programme\n    to: company\n    properties:\n      amount_eur: Montant\n",
        encoding="utf-8",
    )
    path = write_laureates(tmp_path / "twice.csv", laureate_rows()[:2])
    with pytest.raises(LoaderError, match=r'twice.csv:3: column "Montant": "300000.0", but line 2 gives "1200000.0" for the same FUNDS '
                       rf"programme:fonds-d-acceleration -> company:{A}; one relationship holds one value: add combine: sum"):  # fmt: skip
        load_table(empty_graph, path, read_mapping(mapping))


def test_a_value_its_property_cannot_hold_is_refused_with_its_line_and_column(empty_graph, tmp_path):
    """Read as text, a value must still suit its property's type: the first pass checks it, since writing takes it as checked."""
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "actors:\n  programme: {kind: programme, key: {column: Dispositif, parser: slug}, name: Dispositif}\n"
        "  company: {kind: company, key: {column: SIRET, parser: siren}, name: Bénéficiaire}\n"
        "  commune: {kind: commune, key: {column: Code commune, parser: commune}, name: Commune,"
        " properties: {population: {column: Date, parser: text}}}\n"
        "relationships:\n  - type: FUNDS\n    from: programme\n    to: company\n"
        "    properties:\n      amount_eur: {column: Montant, parser: text}\n",
        encoding="utf-8",
    )
    good = ["Nacon", f"{A}00013", "1200000", "Fonds vert", "59178", "Haubourdin", "2024"]
    bad = ["Verallia", f"{C}00011", "beaucoup", "France 2030", "75108", "Paris 8e", "31/02/2023"]
    path = write_laureates(tmp_path / "typed.csv", [good, bad])
    with pytest.raises(LoaderError) as error:
        load_table(empty_graph, path, read_mapping(mapping))
    problems = str(error.value).splitlines()
    assert problems[0] == f"{path}: 2 problem(s), nothing was loaded:"
    assert problems[1] == f'{path}:3: column "Date": property "population" is "31/02/2023"; expected a whole number.'
    assert problems[2].startswith(f'{path}:3: column "Montant": property "amount_eur" is "beaucoup"; expected ')
    assert not any(empty_graph.counts()["nodes"].values())
    path = write_laureates(tmp_path / "typed.csv", [good])
    assert load_table(empty_graph, path, read_mapping(mapping)).stats.created["FUNDS"] == 1
    assert empty_graph.run("MATCH (c:Commune) RETURN c.population AS p") == [{"p": 2024}]
    assert empty_graph.run("MATCH ()-[f:FUNDS]->() RETURN f.amount_eur AS a") == [{"a": 1200000.0}]
    again = load_table(empty_graph, path, read_mapping(mapping)).stats
    assert sum(again.created.values()) == sum(again.updated.values()) == 0 and again.unchanged["Commune"] == again.unchanged["FUNDS"] == 1


ROLES_MAPPING = """
actors:
  person: {kind: person, key: {column: Nom, parser: slug}, name: Nom}
  region: {kind: region, key: Code, existing: true}
relationships:
  - {type: HOLDS_ROLE, from: person, to: region, properties: {role: Rôle, since: Début, until: Fin}}
"""


def test_a_period_that_ends_before_it_starts_is_refused_with_its_line_and_column(empty_graph, tmp_path):
    """Dates compare as periods: a role from May 2024 to (the end of) 2024 is sound."""
    empty_graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    mapping, path = tmp_path / "roles.yaml", tmp_path / "roles.csv"
    mapping.write_text(ROLES_MAPPING, encoding="utf-8")
    path.write_text("Nom;Code;Rôle;Début;Fin\nAnne A;32;présidente;05/2024;2024\nBruno B;32;président;2024;2016\n", encoding="utf-8")
    with pytest.raises(LoaderError) as error:
        load_table(empty_graph, path, read_mapping(mapping))
    assert str(error.value).splitlines()[1:] == [f'{path}:3: column "Fin": "2016" is before since "2024": a period cannot end before it starts']
    assert empty_graph.counts()["nodes"] == {"Region": 1}
    path.write_text("Nom;Code;Rôle;Début;Fin\nAnne A;32;présidente;05/2024;2024\n", encoding="utf-8")
    assert load_table(empty_graph, path, read_mapping(mapping)).stats.created["HOLDS_ROLE"] == 1


def test_a_column_the_table_lacks_is_named_with_the_mapping_line(empty_graph, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("Bénéficiaire;SIRET;Montant\nX;1;2\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"laureates.yaml:\d+: Dispositif: no such column in .*l.csv \(its columns: Bénéficiaire, SIRET, Montant\)"):
        load_table(empty_graph, path, read_mapping("laureates"))


# ---------------------------------------------------------------- the command


def _db_with_communes(tmp_path: Path) -> str:
    with open_graph(tmp_path / "graph") as graph:
        with_communes(graph)
    return str(tmp_path / "graph")


def test_cli_load_table(runner, tmp_path):
    db, path = _db_with_communes(tmp_path), write_laureates(tmp_path / "laureats.csv", laureate_rows())
    dry = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{path} (dry run, nothing written): 12 created, 0 updated, 0 unchanged." in dry.stderr
    result = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates"])
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.stdout.splitlines()[2:]] == [
        ["Company", "3"], ["FUNDS", "3"], ["LOCATED_IN", "3"], ["Programme", "2"], ["Source", "1"]]  # fmt: skip
    assert result.stderr == f"{path}: 12 created, 0 updated, 0 unchanged.\n"
    written = Path(db).stat()
    again = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates"])
    assert again.stderr == f"{path}: nothing changed (12 already in the graph).\n"
    assert Path(db).stat().st_mtime_ns == written.st_mtime_ns, "the graph holds that very load: it is not even opened for writing"
    renamed = runner.invoke(cli, ["--db", db, "actor", "add", "company", "--key", A, "--name", "Renamed", "-y"])
    assert renamed.exit_code == 0, renamed.output
    again = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates"])
    assert again.stderr == f"{path}: 0 created, 1 updated, 11 unchanged.\n", "written since: loaded again, the file's name restored"


def test_a_load_in_parts_is_kept_whole_or_not_at_all(monkeypatch, tmp_path):
    """On an embedded graph each partition is committed in the graph's working copy; a failure after one drops them all."""
    import loaders.table_spill

    monkeypatch.setattr(loaders.table_spill, "PARTITION_BYTES", 100)  # a few hundred bytes: several partitions
    db, path = Path(_db_with_communes(tmp_path)), write_laureates(tmp_path / "laureats.csv", laureate_rows())
    with open_graph(db, read_only=True) as graph:
        before = snapshot(graph)

    def fail_after_the_nodes(stage: str, done: int, total: int) -> None:
        if stage == "writing" and done > 6:  # the actors (3 companies, 2 programmes, 1 source) were committed
            raise RuntimeError("injected failure")

    with open_graph(db) as graph, pytest.raises(RuntimeError, match="injected"):
        load_table(graph, path, read_mapping("laureates"), progress=fail_after_the_nodes)
    with open_graph(db, read_only=True) as graph:
        assert snapshot(graph) == before
    with open_graph(db) as graph:
        assert load_table(graph, path, read_mapping("laureates")).stats.created == {
            "Source": 1, "Company": 3, "Programme": 2, "FUNDS": 3, "LOCATED_IN": 3}  # fmt: skip
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (:Company)-[r:FUNDS|LOCATED_IN]-() RETURN count(r) AS n") == [{"n": 6}]


def test_cli_load_table_bad_amount(runner, tmp_path):
    db = _db_with_communes(tmp_path)
    rows = laureate_rows()
    rows[1][2] = "12 euros et demi"
    path = write_laureates(tmp_path / "laureats.csv", rows)
    result = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[1] == f'{path}:3: column "Montant": "12 euros et demi" is not an amount: expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€'
    with open_graph(db, read_only=True) as graph:
        assert graph.counts()["nodes"] == {"Commune": 5}


WHERE_NOTHING = """
where:
  Dispositif: [Fonds vert]
actors:
  company: {kind: company, key: {column: SIRET, parser: siren}, name: Bénéficiaire}
"""
PLACES_ONLY = """
actors:
  commune: {kind: commune, key: Code commune, existing: true}
"""


@pytest.mark.parametrize(
    ("rows", "mapping", "reason"),
    [
        ([], "laureates", "no rows below the header"),
        (laureate_rows(), "where.yaml", "the mapping's where: filter left out all 4 rows"),
        (laureate_rows()[:1], "where.yaml", "the mapping's where: filter left out its one row"),
        (laureate_rows(), "places.yaml", "all 4 rows make no actor or relationship but those the graph already holds"),
    ],
)
def test_a_table_with_nothing_to_load_writes_nothing_not_even_its_source(empty_graph, tmp_path, rows, mapping, reason):
    (tmp_path / "where.yaml").write_text(WHERE_NOTHING, encoding="utf-8")
    (tmp_path / "places.yaml").write_text(PLACES_ONLY, encoding="utf-8")
    with_communes(empty_graph)
    before = snapshot(empty_graph)
    result = load_table(empty_graph, write_laureates(tmp_path / "l.csv", rows), read_mapping(mapping if rows == [] else str(tmp_path / mapping)))
    assert result.empty == reason and not result.stats.changed and result.rows == len(rows)
    assert snapshot(empty_graph) == before


def test_an_xlsx_sheet_with_a_header_alone_loads_nothing(empty_graph, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(LAUREATES_HEADER)
    book.save(tmp_path / "suivi.xlsx")
    result = load_table(empty_graph, tmp_path / "suivi.xlsx", read_mapping("laureates"))
    assert result.empty == "no rows below the header" and empty_graph.counts()["nodes"] == {}


@pytest.mark.parametrize("text", ["", "description: Suivi\n", "actors:\n", "actors: {}\n"])
def test_cli_load_table_with_a_mapping_of_no_actor_is_one_error_line(runner, tmp_path, text):
    db, path = _db_with_communes(tmp_path), write_laureates(tmp_path / "laureats.csv", laureate_rows())
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", str(tmp_path / "m.yaml")])
    assert result.exit_code == 1, result.output
    mapping = tmp_path / "m.yaml"
    assert result.stderr == f"Error: {mapping}: 1 problem(s), nothing was loaded:\n{mapping}:1: actors: a mapping needs at least one actor\n"


def test_cli_load_table_names_the_line_of_a_section_of_the_wrong_shape(runner, tmp_path):
    db, path = _db_with_communes(tmp_path), write_laureates(tmp_path / "laureats.csv", laureate_rows())
    mapping = tmp_path / "m.yaml"
    mapping.write_text("description: Suivi\nactors:\n  - kind: company\n    key: SIRET\n", encoding="utf-8")
    result = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", str(mapping)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {mapping}: 1 problem(s), nothing was loaded:\n{mapping}:2: actors: expected a mapping of name: entry\n"


def test_cli_load_table_of_a_header_alone_says_nothing_was_loaded(runner, tmp_path):
    db, path = _db_with_communes(tmp_path), write_laureates(tmp_path / "laureats.csv", [])
    before = Path(db).stat()
    for dry_run in ([], ["--dry-run"]):
        result = runner.invoke(cli, ["--db", db, "load", "table", str(path), "--mapping", "laureates", *dry_run])
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == f"Warning: {path}: no rows below the header; nothing loaded.\n"
    assert (Path(db).stat().st_ino, Path(db).stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the graph file is not even copied"
    with open_graph(db, read_only=True) as graph:
        assert graph.counts()["nodes"] == {"Commune": 5}


def test_cli_mappings(runner):
    result = runner.invoke(cli, ["mappings", "--format", "json"])
    assert result.exit_code == 0
    assert '"name": "laureates"' in result.stdout and '"name": "sirene"' in result.stdout
