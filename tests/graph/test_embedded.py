"""What only the embedded backend does: read-only opening and the one-writer lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.backend import EdgeRow, open_graph
from graph.errors import ConnectionFailed, DatabaseLocked, QueryFailed, ReadOnlyViolation


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    return path


@pytest.mark.parametrize(
    "statement",
    ["CREATE (:Region {key: '11', name: 'Île-de-France'})", "MATCH (r:Region) SET r.name = 'x'", "MATCH (r:Region) DELETE r"],
)
def test_write_on_a_read_only_graph_is_refused(db: Path, statement: str) -> None:
    with open_graph(db, read_only=True) as graph:
        with pytest.raises(ReadOnlyViolation) as caught:
            graph.run(statement)
        assert isinstance(caught.value, QueryFailed)
        assert graph.run("MATCH (r:Region) RETURN r.key AS key, r.name AS name") == [{"key": "32", "name": "Hauts-de-France"}]


def test_upsert_on_a_read_only_graph_is_refused(db: Path) -> None:
    with open_graph(db, read_only=True) as graph:
        with pytest.raises(ReadOnlyViolation):
            graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
        assert graph.counts() == {"nodes": {"Region": 1}, "relationships": {}}


def test_read_only_needs_an_existing_graph(tmp_path: Path) -> None:
    with pytest.raises(ConnectionFailed, match="No graph at"):
        open_graph(tmp_path / "nowhere", read_only=True)
    assert not (tmp_path / "nowhere").exists()


def test_second_writer_gets_a_clear_lock_error(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import ladybug, sys; db = ladybug.Database({str(db)!r}); print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseLocked, match="open for writing in another process"):
            open_graph(db)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_session_that_only_rolled_back_keeps_the_graph_file(tmp_path: Path) -> None:
    """Nothing committed, something rolled back: the copy is dropped, the graph file is not even replaced."""
    path = tmp_path / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    before = (path.stat().st_ino, path.read_bytes())
    with open_graph(path) as graph, pytest.raises(RuntimeError), graph.transaction():
        graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        raise RuntimeError("a load that fails")
    assert (path.stat().st_ino, path.read_bytes()) == before
    with open_graph(path) as graph:
        with pytest.raises(RuntimeError), graph.transaction():
            graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
            raise RuntimeError("a load that fails")
        graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])  # committed after: kept
    with open_graph(path, read_only=True) as graph:
        assert graph.counts()["nodes"]["Region"] == 2


def test_a_session_copies_the_graph_only_at_its_first_write(db: Path) -> None:
    """With defer_copy, until it writes, a session reads the graph file in place: one that writes nothing leaves it untouched."""
    copy = db.with_name(db.name + ".writing")
    identity = (db.stat().st_ino, db.stat().st_mtime_ns, db.read_bytes())
    with open_graph(db, defer_copy=True) as graph:
        assert not graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}]).changed
        assert not copy.exists()
    assert (db.stat().st_ino, db.stat().st_mtime_ns, db.read_bytes()) == identity
    with open_graph(db, defer_copy=True) as graph:
        with pytest.raises(RuntimeError), graph.transaction():
            assert graph.run("MATCH (r:Region) RETURN count(*) AS n") == [{"n": 1}]  # read in place
            graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])  # the first write moves to the copy
            assert copy.exists() and graph.run("MATCH (r:Region) RETURN count(*) AS n") == [{"n": 2}]
            raise RuntimeError("a load that fails after its first write")
        graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
    with open_graph(db, read_only=True) as graph:
        assert [r["key"] for r in graph.run("MATCH (r:Region) RETURN r.key AS key ORDER BY key")] == ["11", "32"]
    assert not copy.exists()


def test_a_graph_made_before_a_new_property_is_read_by_read_only_commands(tmp_path: Path) -> None:
    """A graph written by an older schema (no ``Territory.outline``) still answers neighbourhood reads."""
    import ladybug

    path = tmp_path / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
        graph.upsert_nodes("Territory", [{"key": "II-ti-1", "name": "Calaisis", "phase": "II"}])
        graph.upsert_edges("IN_REGION", [EdgeRow("Territory", "II-ti-1", "Region", "32")])
    db = ladybug.Database(str(path))
    ladybug.Connection(db).execute("ALTER TABLE Territory DROP outline")
    db.close()
    from viz.node_link import store_records

    with open_graph(path, read_only=True) as graph:
        G = graph.neighbourhood(["region:32"], 1)
        nodes, links = store_records(graph)  # what tdi export json and graphml write
    assert sorted(G) == ["region:32", "territory:II-ti-1"]
    assert sorted(n["id"] for n in nodes) == ["region:32", "territory:II-ti-1"] and len(links) == 1
    assert G.nodes["territory:II-ti-1"]["name"] == "Calaisis" and "outline" not in G.nodes["territory:II-ti-1"]


def test_a_transaction_committed_in_parts_is_kept_whole_or_not_at_all(db: Path) -> None:
    """`commit_part` commits inside the working copy: a failure after a part drops the whole session's copy."""
    identity = (db.stat().st_ino, db.read_bytes())
    with open_graph(db) as graph:
        with pytest.raises(RuntimeError), graph.transaction():
            graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
            graph.commit_part()
            assert graph.counts()["nodes"]["Region"] == 2  # committed in the copy
            graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
            raise RuntimeError("a load that fails after its first part")
        with pytest.raises(QueryFailed, match="Open the graph again"):
            graph.upsert_nodes("Region", [{"key": "76", "name": "Occitanie"}])
    assert (db.stat().st_ino, db.read_bytes()) == identity
    with open_graph(db) as graph, graph.transaction():
        graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        graph.commit_part()
        graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
    with open_graph(db, read_only=True) as graph:
        assert [r["key"] for r in graph.run("MATCH (r:Region) RETURN r.key AS key ORDER BY key")] == ["11", "32", "84"]
