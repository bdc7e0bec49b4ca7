"""Counts of a graph read-only: from the ties of each pair of labels, cached while the graph is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.backend import EdgeRow, open_graph
from graph.counting import cached_ties, count_graph, is_counted


def test_counts_from_the_ties_equal_the_grouped_counts(builtin_db: Path, tmp_path: Path, copy_db: Callable[[Path, Path], Path]) -> None:
    db = copy_db(builtin_db, tmp_path)
    with open_graph(db) as graph:  # opened for writing: two grouped counts, no cache
        expected = graph.counts()
    assert cached_ties(db) is None
    assert count_graph(db) == expected
    assert cached_ties(db) is not None  # counted once, then kept
    assert count_graph(db) == expected
    assert list(expected["nodes"]) == sorted(expected["nodes"]) and expected["relationships"]


def test_a_write_is_counted(builtin_db: Path, tmp_path: Path, copy_db: Callable[[Path, Path], Path]) -> None:
    db = copy_db(builtin_db, tmp_path)
    before = count_graph(db)
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "99", "name": "Nowhere"}])
    after = count_graph(db)
    assert after["nodes"]["Region"] == before["nodes"]["Region"] + 1
    assert after["relationships"] == before["relationships"]


def test_a_write_to_a_counted_graph_caches_the_counts_of_what_it_wrote(builtin_db: Path, tmp_path: Path,
                                                                       copy_db: Callable[[Path, Path], Path]) -> None:  # fmt: skip
    db = copy_db(builtin_db, tmp_path)
    before = count_graph(db)  # counted with the engine, then cached
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "99", "name": "Nowhere"}])
        graph.upsert_nodes("Department", [{"key": "979", "name": "Nulle part"}])
        graph.upsert_edges("IN_REGION", [EdgeRow("Department", "979", "Region", "99")])
    assert is_counted(db)  # before any read: the write left the counts of the new file
    after = count_graph(db)
    assert after["nodes"] == {**before["nodes"], "Region": before["nodes"]["Region"] + 1,
                              "Department": before["nodes"]["Department"] + 1}  # fmt: skip
    assert after["relationships"] == {**before["relationships"], "IN_REGION": before["relationships"]["IN_REGION"] + 1}
    with open_graph(db, read_only=True) as graph:  # the file itself agrees
        assert graph.run("MATCH (:Department)-[r:IN_REGION]->(:Region) RETURN count(r) AS n")[0]["n"] == after["relationships"]["IN_REGION"]


def test_a_write_to_a_graph_never_counted_counts_nothing(builtin_db: Path, tmp_path: Path, copy_db: Callable[[Path, Path], Path]) -> None:
    db = copy_db(builtin_db, tmp_path)
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "99", "name": "Nowhere"}])
    assert not is_counted(db)


def test_a_failed_write_keeps_the_counts_of_the_graph_as_it_was(builtin_db: Path, tmp_path: Path,
                                                                copy_db: Callable[[Path, Path], Path]) -> None:  # fmt: skip
    db = copy_db(builtin_db, tmp_path)
    before = count_graph(db)
    try:
        with open_graph(db) as graph, graph.transaction():
            graph.upsert_nodes("Region", [{"key": "99", "name": "Nowhere"}])
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert is_counted(db)
    assert count_graph(db) == before
