"""``tdi cypher`` without ``--write`` changes nothing, writes no file and reads none outside the graph.

Each kind of statement runs through the real CLI on a real embedded graph, without ``--write``
(refused: one ``Error:`` line, exit 1, graph and files unchanged) and with it (the engine runs
it). The statement rule itself is tested in tests/graph/test_read_only.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph

PASSWD = Path("/etc/passwd")


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("read-only") / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}])
    return path


@pytest.fixture
def db(two_regions: Path, tmp_path: Path) -> Path:
    """A copy of a graph of two regions, the only thing in ``tmp_path``."""
    path = tmp_path / "graph"
    shutil.copyfile(two_regions, path)
    return path


def cypher(runner, db: Path, statement: str, *options: str):
    return runner.invoke(cli, ["--db", str(db), "cypher", statement, *options])


def regions(db: Path) -> list[dict]:
    with open_graph(db, read_only=True) as graph:
        return graph.run("MATCH (r:Region) RETURN r.key AS key, r.name AS name ORDER BY key")


TWO_REGIONS = [{"key": "11", "name": "Île-de-France"}, {"key": "32", "name": "Hauts-de-France"}]


def assert_refused(result, db: Path) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "--write" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""
    assert regions(db) == TWO_REGIONS


# Each kind, written so that with --write the engine runs it, or rejects it itself (ENGINE_REJECTS).
KINDS = {
    "copy to csv": "COPY (MATCH (r:Region) RETURN r.key AS key) TO '{out}/x.csv'",
    "copy to parquet": "COPY (MATCH (r:Region) RETURN r.key AS key) TO '{out}/x.parquet'",
    "copy from": "COPY Region FROM '{out}/regions.csv'",
    "load from": "LOAD FROM '/etc/passwd' (file_format='csv', delim=':', header=false) RETURN *",
    "load extension": "LOAD EXTENSION '{out}/none.lbug_extension'",
    "export database": "EXPORT DATABASE '{out}/exported'",
    "checkpoint": "CHECKPOINT",
    "create": "CREATE (:Region {key: '84', name: 'Auvergne-Rhône-Alpes'})",
    "merge": "MERGE (:Region {key: '84', name: 'Auvergne-Rhône-Alpes'})",
    "set": "MATCH (r:Region {key: '32'}) SET r.name = 'x'",
    "delete": "MATCH (r:Region {key: '11'}) DELETE r",
    "detach delete": "MATCH (r:Region {key: '11'}) DETACH DELETE r",
    "alter": "ALTER TABLE Region ADD nickname STRING",
    "setting": "CALL threads=1",
    "behind a comment": "/* MATCH (n) RETURN n; */ MATCH (r:Region {key: '32'}) // RETURN r\nSET r.name = 'x'",
}
# An extension that does not exist, a CSV without every column, a schema EXPORT DATABASE cannot write yet.
ENGINE_REJECTS = {"load extension", "copy from", "export database"}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_refused_without_write_and_runs_with_it(runner, db: Path, tmp_path: Path, kind: str) -> None:
    (tmp_path / "regions.csv").write_text("93,Provence-Alpes-Côte d'Azur\n", encoding="utf-8")
    statement = KINDS[kind].replace("{out}", str(tmp_path))
    assert_refused(cypher(runner, db, statement), db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph", "regions.csv"]
    result = cypher(runner, db, statement, "--write")
    assert "read-only" not in result.output and "Traceback" not in result.output
    if kind in ENGINE_REJECTS:
        assert result.exit_code == 1 and result.stderr.startswith("Error: The graph rejected the query")
    else:
        assert result.exit_code == 0, result.output


def test_copy_to_writes_no_file_without_write(runner, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    statement = f"MATCH (r:Region) RETURN r.key AS key /* x */; COPY (MATCH (r:Region) RETURN r.key AS key) TO '{target}'"
    assert_refused(cypher(runner, db, statement), db)
    assert_refused(cypher(runner, db, f"COPY (MATCH (r:Region) RETURN r.key AS key) TO '{target}'"), db)
    assert not target.exists()
    assert cypher(runner, db, f"COPY (MATCH (r:Region) RETURN r.key AS key) TO '{target}'", "--write").exit_code == 0
    assert sorted(target.read_text(encoding="utf-8").split()) == ["11", "32"]


@pytest.mark.skipif(not PASSWD.exists(), reason="needs /etc/passwd")
def test_load_from_reads_no_file_without_write(runner, db: Path) -> None:
    statement = "LOAD FROM '/etc/passwd' (file_format='csv', delim=':', header=false) RETURN column0 AS user"
    result = cypher(runner, db, statement, "--format", "csv")
    assert_refused(result, db)
    assert "root" not in result.output
    written = cypher(runner, db, statement, "--format", "csv", "--write")
    assert written.exit_code == 0 and "root" in written.stdout.split()


def test_checkpoint_without_write_leaves_the_graph_readable(runner, db: Path) -> None:
    assert_refused(cypher(runner, db, "CHECKPOINT"), db)
    stats = runner.invoke(cli, ["--db", str(db), "stats", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert '"Region"' in stats.stdout
    assert cypher(runner, db, "CHECKPOINT", "--write").exit_code == 0
    assert regions(db) == TWO_REGIONS


def test_statements_not_tried_with_write_are_refused_without_it(runner, db: Path, tmp_path: Path) -> None:
    # With --write these would download (INSTALL), or change which database is used: not tried here.
    for statement in ["INSTALL httpfs", "load extension httpfs", f"ATTACH '{tmp_path}/other' AS other (dbtype lbug)", "USE other",
                      f"IMPORT DATABASE '{tmp_path}'", "BEGIN TRANSACTION", "CALL clear_warnings() RETURN *"]:  # fmt: skip
        assert_refused(cypher(runner, db, statement), db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]


@pytest.mark.parametrize("write", [[], ["--write"]])
def test_several_statements_give_one_error_line(runner, db: Path, write: list[str]) -> None:
    result = cypher(runner, db, "MATCH (r:Region) RETURN r.key; MATCH (r:Region) RETURN r.name;", *write)
    assert result.exit_code == 1
    assert result.stderr == 'Error: Give one statement at a time: this query holds 2, separated by ";".\n'
    assert regions(db) == TWO_REGIONS


@pytest.mark.parametrize(
    "statement",
    [
        "MATCH (r:Region) RETURN 'COPY x TO y' AS text ORDER BY r.key",
        "MATCH (r:Region) // COPY (MATCH (n) RETURN n) TO 'x.csv'\nRETURN 'COPY x TO y' AS text ORDER BY r.key",
        "MATCH (r:Region) /* ; CHECKPOINT; */ RETURN 'COPY x TO y' AS `text`, r.key AS k ORDER BY k;",
    ],
)
def test_reads_that_mention_writes_run(runner, db: Path, statement: str) -> None:
    result = cypher(runner, db, statement, "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"COPY x TO y"' in result.stdout
