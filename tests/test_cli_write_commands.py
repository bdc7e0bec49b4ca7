"""The CLI's write commands (demo, load, cypher --write, actor add, link add), through click's runner.

Each test runs on a graph of its own: a copy of the built-in one, or a new one (the test of
``TDI_DB`` too). Each command: its main path, and its main error (exit code 1, one line, no
traceback, graph unchanged). Read commands are in ``test_cli_read_commands.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph
from tests.cli_graph import counts, run


@pytest.fixture
def demo_db(builtin_copy: Path, tmp_path: Path, monkeypatch) -> Path:
    """A writable graph holding what ``tdi demo`` loads, in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    return builtin_copy


def _items(db: Path) -> int:
    """How many nodes and relationships the graph at ``db`` holds."""
    return sum(n for part in counts(db).values() for n in part.values())


def test_demo_loads_the_dataset_and_writes_the_page(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tdi-graph").exists()
    page = (tmp_path / "tdi-demo.html").read_text(encoding="utf-8")
    assert "Banque des Territoires" in page
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?https?:""", page), "the page must not load anything"
    assert "Region" in result.stdout and "IN_REGION" in result.stdout
    assert f"Built-in dataset: {_items(tmp_path / 'tdi-graph')} created, 0 updated, 0 unchanged.\n" in result.stderr
    assert "tdi-demo.html" in result.stderr


def test_demo_full_needs_the_anct_files(runner, tmp_path):
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "demo", "--full"], env={"TDI_DATA": None})
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: The full dataset needs --data DIR (or TDI_DATA) holding the lists of Territoires")
    assert "ti_phase2_communes_anct_20231107.geojson" in result.stderr and "anct-carto/superposeur-anct" in result.stderr
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "demo", "--full"], env={"TDI_DATA": str(tmp_path)})
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {tmp_path} lacks {tmp_path}/ti_phase1_groupements_anct_datagouv.geojson")
    assert not (tmp_path / "g").exists()  # no empty graph is left behind


def test_demo_data_without_full_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "demo", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: --data {tmp_path} is read only with --full: add --full to load ANCT's lists from it, or leave --data out.\n")
    assert not (tmp_path / "g").exists() and not (tmp_path / "tdi-demo.html").exists()


def test_demo_twice_changes_nothing(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "demo", "-o", str(demo_db.parent / "again.html"))
    assert result.exit_code == 0, result.output
    assert f"Built-in dataset: nothing changed ({_items(demo_db)} already in the graph).\n" in result.stderr
    assert counts(demo_db) == before


def test_db_from_environment(runner, demo_db, monkeypatch):
    monkeypatch.setenv("TDI_DB", str(demo_db))
    result = runner.invoke(cli, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["nodes"]["Region"] == 26


def test_cypher_is_read_only_without_write(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "cypher", "MATCH (n:Region) DETACH DELETE n")
    assert result.exit_code == 1
    assert "--write" in result.stderr
    assert counts(demo_db) == before


def test_cypher_write(runner, demo_db):
    result = run(runner, demo_db, "cypher", "MATCH (r:Region {key: '32'}) SET r.description = $d", "-p", "d=north", "--write")
    assert result.exit_code == 0, result.output
    with open_graph(demo_db, read_only=True) as graph:
        assert graph.run("MATCH (r:Region {key: '32'}) RETURN r.description AS d") == [{"d": "north"}]


FACTS = """\
sources:
  - id: my-notes
    name: Notes from a meeting
    type: manual
    date: "2026-11-20"
actors:
  - id: operator:ademe
    name: ADEME
    evidence: [{source: my-notes}]
relationships:
  - {type: PARTNER_OF, from: operator:ademe, to: region:32, evidence: [{source: my-notes}]}
"""


def test_cypher_write_with_no_row_keeps_its_csv_header(runner, demo_db):
    statement = "MATCH (r:Region {key: 'none'}) SET r.description = 'x' RETURN r.key AS key, r.description AS description"
    result = run(runner, demo_db, "cypher", statement, "--write", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "key,description\n"


def test_load_facts_then_again(runner, demo_db, tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text(FACTS, encoding="utf-8")
    first = run(runner, demo_db, "load", "facts", str(path))
    assert first.exit_code == 0, first.output
    assert "Operator" in first.stdout and "2 created" not in first.stderr
    after = counts(demo_db)
    second = run(runner, demo_db, "load", "facts", str(path))
    assert second.exit_code == 0 and "nothing changed" in second.stderr
    assert counts(demo_db) == after


@pytest.mark.parametrize(("written", "bad", "error"), [
    ("operator:ademe\n    name", "castle:ademe\n    name", "7: id: Unknown kind \"castle\""),
    ("to: region:32,", "to: region:32, colour: red,", "11: colour: unknown field; a relationship has type, from, to, props, evidence (and extraction)"),
])  # fmt: skip
def test_load_facts_bad_file_names_the_line(runner, demo_db, tmp_path, written, bad, error):
    path = tmp_path / "bad.yaml"
    path.write_text(FACTS.replace(written, bad), encoding="utf-8")
    before = counts(demo_db)
    result = run(runner, demo_db, "load", "facts", str(path))
    assert result.exit_code == 1
    assert f"{path}:{error}" in result.stderr
    assert counts(demo_db) == before


def test_actor_add_and_link_add_with_manual_source(runner, demo_db):
    result = run(runner, demo_db, "actor", "add", "company", "--key", "552032534", "--name", "Danone", "--prop", "sector=agrifood")
    assert result.exit_code == 0, result.output
    result = run(runner, demo_db, "link", "add", "located_in", "company:552032534", "region:32")
    assert result.exit_code == 0, result.output
    with open_graph(demo_db, read_only=True) as graph:
        rows = graph.run("MATCH (c:Company)-[l:LOCATED_IN]->(r:Region) RETURN c.sector AS sector, l.sources AS sources")
    assert rows[0]["sector"] == "agrifood" and rows[0]["sources"][0].startswith("manual-")


def test_actor_add_bad_siren(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "actor", "add", "company", "--key", "552032535", "--name", "Typo")
    assert result.exit_code == 1
    assert "552032535" in result.stderr and "SIREN" in result.stderr
    assert counts(demo_db) == before


def test_actor_add_warns_before_a_likely_duplicate(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "actor", "add", "operator", "--key", "bdt", "--name", "Banque des territoires", input="n\n")
    assert result.exit_code == 1
    assert "operator:banque-des-territoires" in result.stderr and "near-identical name" in result.stderr
    assert result.stderr.endswith("Error: Answered no: operator:bdt was not added.\n")
    assert counts(demo_db) == before
    forced = run(runner, demo_db, "actor", "add", "operator", "--key", "bdt", "--name", "Banque des territoires", "--yes")
    assert forced.exit_code == 0, forced.output


def test_actor_add_without_a_terminal_to_answer_says_what_was_asked(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "actor", "add", "operator", "--key", "bpifrance", "--name", "Bpifrance", input="")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        'Error: No answer to "Add it anyway?" (no terminal to ask in): operator:bpifrance was not added. Add --yes to answer yes.'
    )
    assert "Aborted" not in result.output and counts(demo_db) == before


def test_actor_add_refuses_a_property_tdi_derives(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "actor", "add", "company", "--key", "552032534", "--name", "Danone", "--prop", "search_text=x", "-y")
    assert result.exit_code == 1 and counts(demo_db) == before
    assert result.stderr == "Error: --prop search_text: tdi derives it from the name and aliases; it cannot be given.\n"


def test_actor_add_of_a_source_says_how_to_declare_one(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "actor", "add", "source", "--key", "my-notes", "--name", "My notes")
    assert result.exit_code == 1 and counts(demo_db) == before
    assert result.stderr.startswith("Error: A source is not an actor: declare it in a facts file")


def test_link_add_unknown_endpoint(runner, demo_db):
    before = counts(demo_db)
    result = run(runner, demo_db, "link", "add", "FUNDS", "operator:banque-des-territoires", "project:nowhere")
    assert result.exit_code == 1
    assert "project:nowhere" in result.stderr
    assert counts(demo_db) == before


REFUSED_AS_BY_LOAD_TABLE = [
    (["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", "amount_eur=5", "--prop", "date=2024-02-30"],
     'Error: --prop date: "2024-02-30" is not a date of the calendar (day 30, month 2, year 2024)'),
    (["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", "year=20244"],
     'Error: --prop year: "20244" is not a date: expected 18/12/2023, 2023-12-18, 12/2023 or 2023'),
    (["link", "add", "IN_REGION", "department:62", "region:32", "--prop", "since=2016-13"],
     'Error: --prop since: "2016-13" is not a date: expected 18/12/2023, 2023-12-18, 12/2023 or 2023'),
    (["actor", "add", "event", "--key", "forum-x", "--name", "Forum", "--prop", "date=31/02/2024"],
     'Error: --prop date: "31/02/2024" is not a date of the calendar (day 31, month 2, year 2024)'),
    (["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", "amount_eur=12 euros et demi"],
     'Error: --prop amount_eur: "12 euros et demi" is not an amount: expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€'),
    (["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", "amount_eur=1.500"],
     'Error: --prop amount_eur: "1.500" is ambiguous: write 1500 or 1 500 for fifteen hundred, 1,5 for one and a half'),
]


def test_one_at_a_time_writes_refuse_what_load_table_refuses(runner, demo_db):
    before = counts(demo_db)
    for args, message in REFUSED_AS_BY_LOAD_TABLE:
        result = run(runner, demo_db, *args)
        assert (result.exit_code, result.stderr) == (1, message + "\n"), args
    assert counts(demo_db) == before


def test_link_add_reads_a_date_as_load_table_does(runner, demo_db):
    args = ["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", "date=18/12/2023", "--prop", "year=2023"]
    assert run(runner, demo_db, *args).exit_code == 0
    with open_graph(demo_db, read_only=True) as graph:
        rows = graph.run("MATCH (:Region {key: '32'})-[f:FUNDS]->(:Territory {key: 'I-ti-3204'}) RETURN f.date AS date, f.year AS year")
    assert rows == [{"date": "2023-12-18", "year": 2023}]
    check = run(runner, demo_db, "check")
    assert check.exit_code == 0 and "The graph is sound" in check.stderr


ENDS_BEFORE = ": a period cannot end before it starts."


def test_a_period_that_ends_before_it_starts_is_refused(runner, demo_db):
    """Dates compare as periods: until 2024 lasts to the end of 2024, so since 2024-05 and until 2024 agree."""
    before = counts(demo_db)
    role = ["link", "add", "HOLDS_ROLE", "person:xavier-bertrand", "region:32"]
    result = run(runner, demo_db, *role, "--prop", "since=2024", "--prop", "until=2016")
    assert (result.exit_code, result.stderr) == (1, f'Error: --prop until: "2016" is before since "2024"{ENDS_BEFORE}\n')
    event = ["actor", "add", "event", "--key", "forum-x", "--name", "Forum X", "--prop", "date=05/03/2019", "--prop", "until=2019-03-01", "-y"]
    result = run(runner, demo_db, *event)
    assert (result.exit_code, result.stderr) == (1, f'Error: --prop until: "2019-03-01" is before date "2019-03-05"{ENDS_BEFORE}\n')
    assert counts(demo_db) == before
    assert run(runner, demo_db, *role, "--prop", "since=2024-05", "--prop", "until=2024").exit_code == 0
    held = run(runner, demo_db, *role, "--prop", "until=2016")  # the since is the graph's
    assert held.exit_code == 1
    assert held.stderr == (f"Error: HOLDS_ROLE person:xavier-bertrand -> region:32, with what the graph holds: "
                           f'until "2016" is before since "2024-05"{ENDS_BEFORE}\n')  # fmt: skip
    with open_graph(demo_db, read_only=True) as graph:
        rows = graph.run("MATCH (:Person {key: 'xavier-bertrand'})-[r:HOLDS_ROLE]->(:Region {key: '32'}) RETURN r.since AS since, r.until AS until")
    assert rows == [{"since": "2024-05", "until": "2024"}]


CONTRATS = "programme:contrats-d-implantation-hauts-de-france"  # since 2017 in the built-in graph
ROLE = "HOLDS_ROLE person:xavier-bertrand -> region:32"  # since 2024, given by the test
NOTES = "sources:\n  - {id: my-notes, name: Notes, type: manual}\n"
PERIOD_FILES = {  # what a file gives: its text, the line the error names, the item, the since the graph holds
    "facts": (
        NOTES + f"actors:\n  - id: {CONTRATS}\n    name: Contrats\n    props: {{until: '2016'}}\n    evidence: [{{source: my-notes}}]\n",
        4, CONTRATS, "2017",
    ),
    "facts-link": (
        NOTES + "relationships:\n  - {type: holds_role, from: person:xavier-bertrand, to: region:32, props: {until: '2016'}, evidence: [{source: my-notes}]}\n",
        4, ROLE, "2024",
    ),
    "table": (
        "Clé,Nom,Fin\ncontrats-d-implantation-hauts-de-france,Contrats,\nfonds-x,Fonds X,2025\ncontrats-d-implantation-hauts-de-france,Contrats,2016\n",
        4, CONTRATS, "2017",
    ),
    "table-link": ("Personne,Région,Fin\nxavier-bertrand,32,2016\n", 2, ROLE, "2024"),
}  # fmt: skip
PERIOD_MAPPINGS = {
    "table": "actors:\n  programme: {kind: programme, key: Clé, name: Nom, properties: {until: Fin}}\n",
    "table-link": (
        "actors:\n  person: {kind: person, key: Personne, existing: true}\n  region: {kind: region, key: Région, existing: true}\n"
        "relationships:\n  - {type: HOLDS_ROLE, from: person, to: region, properties: {until: Fin}}\n"
    ),
}


@pytest.mark.parametrize("case", PERIOD_FILES)
def test_a_period_that_ends_before_it_starts_with_what_the_graph_holds_names_file_and_line(runner, demo_db, tmp_path, case):
    assert run(runner, demo_db, "link", "add", "HOLDS_ROLE", "person:xavier-bertrand", "region:32", "--prop", "since=2024").exit_code == 0
    before = counts(demo_db)
    text, line, item, since = PERIOD_FILES[case]
    path = tmp_path / ("notes.yaml" if case.startswith("facts") else "suivi.csv")
    path.write_text(text, encoding="utf-8")
    if case.startswith("facts"):
        result = run(runner, demo_db, "load", "facts", str(path))
    else:
        (tmp_path / "m.yaml").write_text(PERIOD_MAPPINGS[case], encoding="utf-8")
        result = run(runner, demo_db, "load", "table", str(path), "--mapping", str(tmp_path / "m.yaml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: 1 problem(s), nothing was loaded:",
        f'{path}:{line}: {item}, with what the graph holds: until "2016" is before since "{since}"{ENDS_BEFORE}',
    ]
    assert counts(demo_db) == before
    assert run(runner, demo_db, "check").exit_code == 0


def test_check_names_a_stored_period_that_ends_before_it_starts(runner, demo_db):
    statement = "MATCH (:Person {key: 'xavier-bertrand'})-[r:HOLDS_ROLE]->(:Region {key: '32'}) SET r.since = '2024', r.until = '2016'"
    assert run(runner, demo_db, "cypher", "--write", statement).exit_code == 0
    result = run(runner, demo_db, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Problem: HOLDS_ROLE: 1 period(s) that end before they start: person:xavier-bertrand -> region:32 (since 2024, until 2016)."
    )


@pytest.mark.parametrize(("written", "euros"), [("1,5 M€", 1_500_000.0), ("1 200 000 €", 1_200_000.0), ("1.36e9", 1_360_000_000.0)])
def test_link_add_reads_an_amount_as_load_table_does(runner, demo_db, written, euros):
    args = ["link", "add", "FUNDS", "region:32", "territory:I-ti-3204", "--prop", f"amount_eur={written}"]
    result = run(runner, demo_db, *args)
    assert result.exit_code == 0, result.output
    with open_graph(demo_db, read_only=True) as graph:
        rows = graph.run("MATCH (:Region {key: '32'})-[f:FUNDS]->(:Territory {key: 'I-ti-3204'}) RETURN f.amount_eur AS amount")
    assert rows == [{"amount": euros}]


def test_link_add_unknown_type(runner, demo_db):
    result = run(runner, demo_db, "link", "add", "LIKES", "region:32", "region:11")
    assert result.exit_code == 1
    assert 'Unknown relationship type "LIKES"' in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["link", "add", "FUNDS", "operator:bpifrance", "project:usine-x", "--prop", "date=2019-02-30"],
         'Error: --prop date: "2019-02-30" is not a date of the calendar (day 30, month 2, year 2019)\n'),
        (["actor", "add", "event", "--key", "launch-x", "--name", "Lancement", "--prop", "date=2024-13-01"],
         'Error: --prop date: "2024-13-01" is not a date of the calendar (day 1, month 13, year 2024)\n'),
    ],
)  # fmt: skip
def test_dated_props_must_be_dates_of_the_calendar(runner, tmp_path, args, message):
    """``date``, ``since`` and ``until`` (what --phase and --as-of read) are checked before the graph is even opened."""
    result = run(runner, tmp_path / "graph", *args)
    assert result.exit_code == 1 and result.stderr == message
    assert not (tmp_path / "graph").exists()


def test_load_facts_dry_run_writes_nothing(runner, demo_db, tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text(FACTS, encoding="utf-8")
    before = counts(demo_db)
    result = run(runner, demo_db, "load", "facts", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Operator" in result.stdout and "dry run, nothing written" in result.stderr
    assert counts(demo_db) == before


def test_load_json_dry_run_writes_nothing(runner, builtin_db, tmp_path):
    out = tmp_path / "g.json"
    assert run(runner, builtin_db, "export", "json", "-o", str(out)).exit_code == 0
    result = run(runner, tmp_path / "empty", "load", "json", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Region" in result.stdout and "dry run, nothing written" in result.stderr
    assert counts(tmp_path / "empty") == {"nodes": {}, "relationships": {}}
