"""The disk cache of NetworkX exports: used while the graph's files are unchanged, never after a write."""

from __future__ import annotations

import gc
from pathlib import Path

import networkx as nx
import pytest

from graph import nxcache
from graph.backend import EdgeRow, open_graph


@pytest.fixture
def db(tmp_path: Path) -> Path:
    with open_graph(tmp_path / "graph") as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "27", "name": "Bourgogne"}])
        graph.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance"}])
        graph.upsert_edges("PARTNER_OF", [EdgeRow("Operator", "bpifrance", "Region", "32")])
    return tmp_path / "graph"


def export(db: Path) -> nx.MultiDiGraph:
    with open_graph(db, read_only=True) as graph:
        return graph.to_networkx()


def test_an_unchanged_graph_is_read_from_the_cache(db: Path, cache: Path) -> None:
    first = export(db)
    assert len(list(cache.glob("networkx-*.pickle"))) == 1
    calls = []
    again = nxcache.cached_export(db, (), (), lambda: calls.append(1) or nx.MultiDiGraph())
    assert calls == [] and nx.utils.graphs_equal(again, first)
    assert dict(again.nodes(data=True)) == dict(first.nodes(data=True))


def test_reading_the_cache_leaves_the_collector_as_it_was(db: Path, cache: Path) -> None:
    """A local view pauses the garbage collector while it reads; reading a cached value must not start it again."""
    export(db)
    try:
        for enabled in (False, True):
            gc.enable() if enabled else gc.disable()
            assert nxcache.cached_export(db, (), (), nx.MultiDiGraph) is not None
            assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_a_write_is_seen_by_the_next_export(db: Path, cache: Path) -> None:
    assert "operator:bpifrance" in export(db)
    with open_graph(db) as graph:
        graph.upsert_edges("PARTNER_OF", [EdgeRow("Operator", "bpifrance", "Region", "27")])
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France (renamed)"}])
    after = export(db)
    assert after.has_edge("operator:bpifrance", "region:27")
    assert after.nodes["region:32"]["name"] == "Hauts-de-France (renamed)"


def test_a_graph_open_for_writing_does_not_use_the_cache(db: Path, cache: Path) -> None:
    export(db)
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        assert "region:84" in graph.to_networkx()


def test_a_damaged_cache_file_is_rebuilt(db: Path, cache: Path) -> None:
    first = export(db)
    for path in cache.glob("networkx-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert nx.utils.graphs_equal(export(db), first)


def test_an_unwritable_cache_is_ignored(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("TDI_CACHE_DIR", str(blocker / "cache"))
    assert "region:32" in export(db)


def test_only_the_newest_exports_are_kept(db: Path, cache: Path) -> None:
    for labels in (("Region",), ("Operator",), ("Region", "Operator"), (), ("Source",), ("Commune",)):
        nxcache.cached_export(db, labels, (), nx.MultiDiGraph)
    assert len(list(cache.glob("networkx-*.pickle"))) == nxcache.KEEP
