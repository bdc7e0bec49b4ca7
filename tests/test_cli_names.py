"""``tdi find`` and ``tdi match`` through click's runner on real embedded graphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.backend import open_graph
from tests.cli_graph import run


def test_find_ranks_and_says_what_matched(runner, builtin_db):
    result = run(runner, builtin_db, "find", "Région Hauts-de-France", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {"id": "region:32", "kind": "Region", "name": "Hauts-de-France", "matched": "Région Hauts-de-France",
                       "score": 100.0, "tier": "exact"}  # fmt: skip
    assert len(rows) <= 20


def test_find_table_never_cuts_an_id(runner, builtin_db):
    result = run(runner, builtin_db, "find", "accord région intercommunalités", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "agreement:accord-region-hauts-de-france-intercommunalites-2023 " in result.stdout
    assert "event:signature-accord-region-intercommunalites-bethune-2023-12-18 " in result.stdout
    assert result.stdout.splitlines()[0].split() == ["id", "kind", "name", "matched", "score", "tier"]


def test_find_with_kind_and_limit(runner, builtin_db):
    result = run(runner, builtin_db, "find", "lot", "--kind", "department", "--limit", "1", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("department:46,Department,Lot,Lot,100,exact")


def test_find_finds_an_actor_created_or_renamed_by_cypher_write(runner, builtin_copy):
    assert run(runner, builtin_copy, "find", "Zorglub").stdout == ""  # and the name index is saved beside the graph
    created = run(runner, builtin_copy, "cypher", "--write", "CREATE (:Company {key: '552032534', name: 'Danone Zorglub'})")
    assert created.exit_code == 0, created.output
    found = run(runner, builtin_copy, "find", "Zorglub", "--format", "csv")
    assert found.exit_code == 0 and found.stdout.splitlines()[1].startswith("company:552032534,Company,Danone Zorglub,")
    renamed = run(runner, builtin_copy, "cypher", "--write", "MATCH (c:Company {key: '552032534'}) SET c.name = 'Blédina'")
    assert renamed.exit_code == 0, renamed.output
    found = run(runner, builtin_copy, "find", "bledina", "--format", "csv")
    assert found.stdout.splitlines()[1].startswith("company:552032534,Company,Blédina,Blédina,100")
    with open_graph(builtin_copy, read_only=True) as graph:
        assert graph.run("MATCH (n) WHERE n.search_text IS NULL AND head(labels(n)) <> 'Source' RETURN count(*) AS n") == [{"n": 0}]


@pytest.mark.parametrize(("text", "message"), [("", "the name is empty"), ("x" * 10_000, "the name is 10,000 characters long")])
def test_find_refuses_what_cannot_be_a_name(runner, builtin_db, text, message):
    result = run(runner, builtin_db, "find", text)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_match_writes_the_table_back_with_ids(runner, builtin_db, tmp_path):
    names = write(tmp_path / "noms.csv", "Nom;Dépt\nRégion Occitanie;\nDépartement du Lot;46\nBPI;\nbanque des territoires;\nZzyzx-les-Bains;\n",
                  "cp1252")  # fmt: skip
    result = run(runner, builtin_db, "match", str(names), "--column", "nom", "--context-column", "dept")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Nom;Dépt;id;matched_name;score;runner_up;status"
    assert lines[1].startswith("Région Occitanie;;region:76;Occitanie;103.0;")  # 3 for a designator that agrees
    assert lines[2].startswith("Département du Lot;46;department:46;Lot;103.0;") and lines[2].endswith(";matched")
    assert ";operator:bpifrance;Bpifrance;100.0;" in lines[3]
    assert ";operator:banque-des-territoires;" in lines[4]
    assert lines[5].startswith("Zzyzx-les-Bains;;;") and not lines[5].endswith(";matched")
    assert result.stderr.startswith(f"{names}: 5 rows: 4 matched, ")


def test_match_shows_the_scores_its_status_is_decided_on(runner, tmp_path):
    db = tmp_path / "g"
    for args in (["actor", "add", "department", "--key", "42", "--name", "Loire"],
                 ["actor", "add", "commune", "--key", "42218", "--name", "Saint-Étienne"],
                 ["actor", "add", "epci", "--key", "244200770", "--name", "Saint-Étienne Métropole"],
                 ["link", "add", "in_department", "commune:42218", "department:42"],
                 ["link", "add", "in_department", "epci:244200770", "department:42"]):  # fmt: skip
        assert run(runner, db, *args).exit_code == 0
    names = write(tmp_path / "noms.csv", "Nom;Dépt\nSaint-Étienne;42\nSaint-Étienne;\n")
    result = run(runner, db, "match", str(names), "--column", "nom", "--context-column", "dept")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [  # 4 for the department to each; the commune was 100, the EPCI 96 (legal form left out)
        "Saint-Étienne;42;commune:42218;Saint-Étienne;104.0;epci:244200770 (Saint-Étienne Métropole) 100;matched",
        "Saint-Étienne;;commune:42218;Saint-Étienne;100.0;epci:244200770 (Saint-Étienne Métropole) 96;matched",
    ]


def test_find_and_show_keep_the_particles_inside_a_name(runner, tmp_path):
    db = tmp_path / "g"
    for key, name in (("14514", "Pont-l'Évêque"), ("60506", "Pont-l'Évêque"), ("38318", "Pont-Évêque"), ("38193", "L'Isle-d'Abeau")):
        assert run(runner, db, "actor", "add", "commune", "--key", key, "--name", name, "--yes").exit_code == 0
    result = run(runner, db, "find", "Pont-l'Évêque", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["score"], r["tier"]) for r in json.loads(result.stdout)] == [
        ("commune:14514", 100.0, "exact"), ("commune:60506", 100.0, "exact"), ("commune:38318", 95.0, "words")]  # fmt: skip
    shown = run(runner, db, "show", "Pont Eveque", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == "commune:38318"
    result = run(runner, db, "find", "Isle-d'Abeau", "--format", "csv")
    assert result.stdout.splitlines()[1:] == ["commune:38193,Commune,L'Isle-d'Abeau,L'Isle-d'Abeau,100,exact"]


def test_match_writes_xlsx(runner, builtin_db, tmp_path):
    import openpyxl

    names = write(tmp_path / "noms.csv", "name,kind\nOccitanie,region\n")
    out = tmp_path / "out.xlsx"
    result = run(runner, builtin_db, "match", str(names), "--column", "name", "--kind", "region", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("name", "kind", "id", "matched_name", "score", "runner_up", "status")
    assert rows[1][:5] == ("Occitanie", "region", "region:76", "Occitanie", 100)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom;autre\nOccitanie;a\n;b\n", 'noms.csv:3: column "nom": the name is empty'),
        ("nom\n" + "x" * 10_000 + "\n", 'noms.csv:2: column "nom": the name is 10,000 characters long'),
        ("name;x\nOccitanie;1\n", 'noms.csv: no column "nom"; its columns are "name", "x".'),
    ],
)
def test_match_bad_input(runner, builtin_db, tmp_path, content, message):
    names = write(tmp_path / "noms.csv", content)
    result = run(runner, builtin_db, "match", str(names), "--column", "nom", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_show_takes_a_name(runner, builtin_db):
    result = run(runner, builtin_db, "show", "Région Hauts-de-France")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("region:32  (Region)")


def test_actor_add_warns_of_a_name_the_matcher_finds(runner, tmp_path):
    db = tmp_path / "g"
    added = run(runner, db, "actor", "add", "epci", "--key", "200067205", "--name", "CA du Cotentin")
    assert added.exit_code == 0, added.output
    result = run(runner, db, "actor", "add", "epci", "--key", "200067361", "--name", "Communauté d'agglomération du Cotentin", input="n\n")
    assert result.exit_code == 1
    assert 'Warning: epci:200067205 (CA du Cotentin) has the near-identical name "CA du Cotentin" (score 100).' in result.stderr
    other = run(runner, db, "actor", "add", "epci", "--key", "200067361", "--name", "CC Grand-Figeac")
    assert other.exit_code == 0 and "Warning" not in other.stderr
