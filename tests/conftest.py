"""Fixtures shared by every suite: graphs on each backend, the built-in dataset, the CLI runner.

``backend`` is parametrised over the storage backends: ``embedded`` always runs; ``neo4j``
runs when ``NEO4J_URI`` is set and is skipped otherwise. The Neo4j database must be empty
(pass ``--reset-neo4j`` to let the tests wipe it); it is wiped between tests.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.backend import GraphBackend, open_graph

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
RAW = SHARED / "data" / "raw"
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]
# For tests of how writes are kept or undone: also the embedded engine in Neo4j's batched write path.
WRITE_PATHS = ["embedded", "embedded-batched", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--reset-neo4j", action="store_true", help="let the tests empty a non-empty Neo4j database")
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current results")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the NetworkX export cache (graph/nxcache.py) of the tests out of the user's cache."""
    path = tmp_path_factory.mktemp("cache")
    before = os.environ.get("TDI_CACHE_DIR")
    os.environ["TDI_CACHE_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("TDI_CACHE_DIR", None)
    else:
        os.environ["TDI_CACHE_DIR"] = before


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten rather than compared."""
    return bool(request.config.getoption("--update-golden"))


def _neo4j(request: pytest.FixtureRequest) -> GraphBackend:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("NEO4J_URI is not set: the Neo4j backend is tested against a real server only")
    graph = open_graph(url)
    populated = graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if populated and not request.config.getoption("--reset-neo4j"):
        graph.close()
        pytest.exit("The Neo4j database is not empty: run the tests on an empty one, or pass --reset-neo4j.")
    graph.run("MATCH (n) DETACH DELETE n", write=True)
    return graph


def _open(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphBackend:
    if backend == "neo4j":
        return _neo4j(request)
    # "embedded-batched": the embedded engine writing as Neo4j does, in batches that undo themselves (graph/batched_loads.py)
    return open_graph(tmp_path / "graph", batched=backend == "embedded-batched")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphBackend]:
    """An empty graph on each backend."""
    graph = _open(request.param, request, tmp_path)
    yield graph
    graph.close()


@pytest.fixture
def empty_graph(tmp_path: Path) -> Iterator[GraphBackend]:
    """An empty embedded graph."""
    with open_graph(tmp_path / "graph") as graph:
        yield graph


def shared_build(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Any]) -> tuple[Path, Any]:
    """``build(path)`` once per test run, whatever the number of xdist workers: the graph's path and what ``build`` returned.

    The first worker to ask builds under a lock in the run's common temporary directory; the
    others wait for it and reuse the result (a reference map costs about 6 s of CPU to load).
    The graph must not be written: tests work on copies (`copy_graph`) or open it read-only.
    Example: ``path, stats = shared_build(tmp_path_factory, "builtin", lambda p: load_into(p))``.
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # xdist gives each worker a folder of the run's temporary directory
    folder, result = root / f"shared-{name}", root / f"shared-{name}" / "result.pickle"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            folder.mkdir(exist_ok=True)
            made = build(folder / "graph")
            result.with_suffix(".part").write_bytes(pickle.dumps(made))
            result.with_suffix(".part").rename(result)
        return folder / "graph", pickle.loads(result.read_bytes())


def _load_builtin_into(path: Path) -> Any:
    from loaders.builtin import load_builtin

    with open_graph(path) as graph:
        return load_builtin(graph)


@pytest.fixture(scope="session")
def builtin_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The built-in dataset's graph, built once per run (`shared_build`), and the `WriteStats` of that first load."""
    return shared_build(tmp_path_factory, "builtin", _load_builtin_into)


@pytest.fixture(scope="session")
def builtin_db(builtin_build: tuple[Path, Any]) -> Path:
    """An embedded graph holding the built-in dataset, built once per run: open it read-only."""
    return builtin_build[0]


def copy_graph(source: Path, target: Path) -> Path:
    """Copy a closed embedded graph (its file and any file beside it sharing its name) to ``target``."""
    for part in source.parent.glob(source.name + "*"):
        shutil.copy2(part, target.parent / (target.name + part.name[len(source.name) :]))
    return target


@pytest.fixture
def builtin_copy(builtin_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the built-in graph, for tests that change it (copied, not reloaded: ~4 s saved)."""
    return copy_graph(builtin_db, tmp_path / "builtin-copy")


@pytest.fixture(scope="session")
def builtin_read_only(builtin_db: Path) -> Iterator[GraphBackend]:
    """The built-in graph opened read-only once for the session (an opening costs about 0.13 s of CPU)."""
    with open_graph(builtin_db, read_only=True) as graph:
        yield graph


@pytest.fixture(params=BACKENDS)
def builtin_graph(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphBackend]:
    """The built-in dataset on each backend (read-only on the embedded engine, one handle for the session)."""
    if request.param == "embedded":
        yield request.getfixturevalue("builtin_read_only")
        return
    from loaders.builtin import load_builtin

    graph = _neo4j(request)
    load_builtin(graph)
    yield graph
    graph.close()


def _load_reference_into(path: Path) -> Any:
    from loaders.reference import load_reference, read_reference

    with open_graph(path) as graph:
        return load_reference(graph, read_reference())


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The whole administrative map's graph, built once per run (`shared_build`), and the `WriteStats` of that first load."""
    return shared_build(tmp_path_factory, "reference", _load_reference_into)


@pytest.fixture(scope="session")
def reference_db(reference_build: tuple[Path, Any]) -> Path:
    """An embedded graph holding the whole administrative map, built once per run: tests work on copies (`copy_db`)."""
    return reference_build[0]


def _copy_db(db: Path, directory: Path) -> Path:
    return copy_graph(db, directory / db.name)


@pytest.fixture(scope="session")
def copy_db() -> Callable[[Path, Path], Path]:
    """``copy_db(db, directory)`` copies an embedded graph's files into ``directory`` and returns the copy's path."""
    return _copy_db


@pytest.fixture
def reference_copy(reference_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the administrative map's graph, to write in."""
    return _copy_db(reference_db, tmp_path)


@pytest.fixture(params=BACKENDS)
def reference_backend(request: pytest.FixtureRequest, reference_db: Path, tmp_path: Path) -> Iterator[GraphBackend]:
    """The whole administrative map on each backend, to write in: a copy of ``reference_db``, or loaded into Neo4j."""
    if request.param == "embedded":
        graph = open_graph(_copy_db(reference_db, tmp_path))
    else:
        from loaders.reference import load_reference, read_reference

        graph = _neo4j(request)
        load_reference(graph, read_reference())
    yield graph
    graph.close()


@pytest.fixture
def runner() -> CliRunner:
    """click's runner, for the real CLI in-process."""
    return CliRunner()


def _is_heavy(item: pytest.Item) -> bool:
    return item.get_closest_marker("slow") is not None or "chromium" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files with a slow test or a browser page first, then the others by number of tests (largest first).

    xdist (``--dist loadfile``) hands out whole files in this order (``--no-loadscope-reorder``):
    a heavy file started last would keep one worker busy alone at the end of the run.
    """
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    order = sorted(files.values(), key=lambda found: (not any(_is_heavy(item) for item in found), -len(found)))
    items[:] = [item for found in order for item in found]
