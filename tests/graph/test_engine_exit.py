"""A graph read and left open for the end of the process (`graph.engine_exit`) can still be written in that process."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import engine_exit
from graph.backend import open_graph


def test_a_graph_read_then_written_in_the_same_process(builtin_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_exit, "_left", None)
    engine_exit.leave_read_engines_open()
    with open_graph(builtin_copy, read_only=True) as graph:
        regions = graph.run("MATCH (r:Region) RETURN count(*) AS n")[0]["n"]
    assert engine_exit.engines_left_open()
    try:
        with open_graph(builtin_copy) as graph:  # closes the engine left open first (the engine's lock)
            assert not engine_exit.engines_left_open()
            graph.upsert_nodes("Region", [{"key": "99", "name": "Région de test"}])
        with open_graph(builtin_copy, read_only=True) as graph:
            assert graph.run("MATCH (r:Region) RETURN count(*) AS n")[0]["n"] == regions + 1
        assert engine_exit.engines_left_open()
    finally:
        engine_exit.close_left_engines()
    assert not engine_exit.engines_left_open()


def test_library_use_closes_read_only_graphs(builtin_db: Path) -> None:
    """Without `leave_read_engines_open` (only the ``tdi`` script calls it), closing closes."""
    with open_graph(builtin_db, read_only=True) as graph:
        graph.run("MATCH (r:Region) RETURN count(*) AS n")
    assert not engine_exit.engines_left_open()
