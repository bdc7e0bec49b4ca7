"""Fixtures shared by every suite: graphs on each backend, the built-in dataset, the CLI runner.

The ``graph`` fixture is parametrised over the backends: ``embedded`` always runs; ``neo4j``
runs when ``NEO4J_URI`` is set (against a database it empties first) and is skipped otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.backend import GraphBackend, open_graph

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
RAW = REPO.parent / "shared" / "data" / "raw"
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _open(backend: str, tmp_path: Path) -> GraphBackend:
    if backend == "embedded":
        return open_graph(tmp_path / "graph")
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("NEO4J_URI is not set: the Neo4j backend is tested against a real server only")
    graph = open_graph(url)
    graph.run("MATCH (n) DETACH DELETE n", write=True)
    return graph


@pytest.fixture(params=BACKENDS)
def graph(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphBackend]:
    """An empty graph on each backend."""
    g = _open(request.param, tmp_path)
    yield g
    g.close()


@pytest.fixture(scope="session")
def builtin_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded graph holding the built-in dataset, built once per session (do not write to it)."""
    from loaders.builtin import load_builtin

    path = tmp_path_factory.mktemp("builtin") / "graph"
    with open_graph(path) as g:
        load_builtin(g)
    return path


@pytest.fixture(params=BACKENDS)
def builtin_graph(request: pytest.FixtureRequest, builtin_db: Path, tmp_path: Path) -> Iterator[GraphBackend]:
    """The built-in dataset on each backend, opened read-only on the embedded engine."""
    if request.param == "embedded":
        g = open_graph(builtin_db, read_only=True)
    else:
        from loaders.builtin import load_builtin

        g = _open("neo4j", tmp_path)
        load_builtin(g)
    yield g
    g.close()


@pytest.fixture
def runner() -> CliRunner:
    """click's runner, for the real CLI in-process."""
    return CliRunner()
