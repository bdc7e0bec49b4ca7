"""Fixtures of the graph tests: the backend contract's small graph, and a cache directory of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.backend import EdgeRow, GraphBackend


@pytest.fixture
def small(backend: GraphBackend) -> GraphBackend:
    """Two regions, two departments, an operator, a project, and a few relationships."""
    backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}])
    backend.upsert_nodes("Department", [{"key": "62", "name": "Pas-de-Calais"}, {"key": "75", "name": "Paris"}])
    backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance", "sources": ["doc-1"]}])
    backend.upsert_nodes("Project", [{"key": "gigafactory", "name": "Gigafactory", "jobs": 1200}])
    backend.upsert_edges(
        "IN_REGION",
        [EdgeRow("Department", "62", "Region", "32", {"since": "2016"}), EdgeRow("Department", "75", "Region", "11")],
    )
    backend.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": 1.5e6})])
    return backend


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory (``TDI_CACHE_DIR``) of this test's own, empty."""
    monkeypatch.setenv("TDI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"
