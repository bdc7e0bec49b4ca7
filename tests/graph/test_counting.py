"""Counts of a graph read-only: from the ties of each pair of labels, cached while the graph is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.backend import open_graph
from graph.counting import cached_ties, count_graph


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
