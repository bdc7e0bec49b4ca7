"""``tdi check``, ``tdi backup`` and ``tdi restore`` through click's runner on real embedded graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph


def run(runner, db: Path | str, *args: str):
    return runner.invoke(cli, ["--db", str(db), *args])


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """Two regions and an operator that cites a source of the graph."""
    path = tmp_path / "g"
    with open_graph(path) as graph:
        graph.upsert_nodes("Source", [{"key": "notes", "name": "Notes"}])
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        graph.upsert_nodes("Operator", [{"key": "ademe", "name": "ADEME", "sources": ["notes"]}])
    return path


def _regions(db: Path) -> list[str]:
    with open_graph(db, read_only=True) as graph:
        return [r["key"] for r in graph.run("MATCH (r:Region) RETURN r.key AS key ORDER BY key")]


def test_check_a_sound_graph(runner, builtin_db):
    result = run(runner, builtin_db, "check")
    assert result.exit_code == 0, result.output
    assert "Region" in result.stdout and "IN_REGION" in result.stdout
    assert result.stderr.startswith("The graph is sound: ")


def test_check_names_each_problem(runner, small_db):
    writes = [
        "CREATE (:Region {key: 'XX', name: 'Nowhere'})",
        "CREATE (:Operator {key: 'ghost', name: 'Ghost', sources: ['unknown-source']})",
    ]
    for statement in writes:
        assert run(runner, small_db, "cypher", "--write", statement).exit_code == 0
    result = run(runner, small_db, "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "Problem: Operator: cites 1 source(s) that are not in the graph: unknown-source.",
        "Problem: Region: 1 key(s) not of the form insee_region: 'XX'.",
        "Error: 2 problem(s) in the graph (6 nodes, 0 relationships).",
    ]


def test_backup_then_restore(runner, small_db, tmp_path):
    saved = tmp_path / "saved.backup"
    result = run(runner, small_db, "backup", str(saved))
    assert result.exit_code == 0, result.output
    assert run(runner, small_db, "cypher", "--write", "MATCH (r:Region {key: '84'}) DELETE r").exit_code == 0
    assert _regions(small_db) == ["32"]
    result = run(runner, small_db, "restore", str(saved))
    assert result.exit_code == 0, result.output
    assert result.stderr == f'Restored "{saved}" to "{small_db}": 4 nodes, 0 relationships.\n'
    assert _regions(small_db) == ["32", "84"]


def test_backup_refuses_to_overwrite(runner, small_db, tmp_path):
    (tmp_path / "taken").write_text("mine")
    result = run(runner, small_db, "backup", str(tmp_path / "taken"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "already exists" in result.stderr and result.stderr.count("\n") == 1
    assert (tmp_path / "taken").read_text() == "mine"


def test_restore_refuses_a_file_that_is_not_a_graph(runner, small_db, tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("a;b\n1;2\n")
    result = run(runner, small_db, "restore", str(notes))
    assert result.exit_code == 1
    assert result.stderr.startswith(f'Error: "{notes}" is not a graph the engine can open') and result.stderr.count("\n") == 1
    assert _regions(small_db) == ["32", "84"]


def test_restore_a_missing_backup(runner, small_db, tmp_path):
    result = run(runner, small_db, "restore", str(tmp_path / "nowhere.backup"))
    assert result.exit_code == 1
    assert result.stderr == f'Error: No backup at "{tmp_path / "nowhere.backup"}": give a file made with "tdi backup".\n'


@pytest.mark.parametrize("command", [["backup", "x.backup"], ["restore", "x.backup"]])
def test_backup_and_restore_on_neo4j_point_to_neo4j_admin(runner, command):
    result = run(runner, "neo4j://localhost:7687", *command)
    assert result.exit_code == 1
    assert result.stderr == "Error: On a Neo4j server, back up and restore with neo4j-admin (neo4j-admin database dump / load).\n"
