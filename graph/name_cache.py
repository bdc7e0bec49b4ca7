"""Build the `NameIndex` of a graph with one query, and keep it beside an embedded graph's file.

Reading every name, alias and degree of the full map (about 37k actors) takes about a second;
``tdi find`` must answer faster. The index of an embedded graph is therefore saved beside its
file (``tdi-graph.names``) with the size and modification time of the file and its write-ahead
log: any write changes them, and the index is then rebuilt on the next search. A graph on
Neo4j is read each time.

Example
-------
>>> index = name_index(graph)                                  # doctest: +SKIP
>>> index.search("Région Occitanie")[0].id                     # doctest: +SKIP
'region:76'
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.name_index import NameIndex

if TYPE_CHECKING:
    from graph.backend import GraphBackend

__all__ = ["cached_name_index", "name_index", "read_name_index"]

_CANDIDATES = """
MATCH (n) WHERE n.search_text IS NOT NULL
OPTIONAL MATCH (n)-[r]-()
RETURN head(labels(n)) AS kind, n.key AS key, n.name AS name, n.aliases AS aliases, count(r) AS degree
"""
_DEPARTMENTS = """
MATCH (n)-[:IN_DEPARTMENT]->(d:Department)
RETURN head(labels(n)) AS kind, n.key AS key, collect(d.key) AS departments
"""
_CODE = [Path(__file__).with_name(name) for name in ("names.py", "name_index.py", "name_cache.py")]


def read_name_index(graph: GraphBackend) -> NameIndex:
    """The index of every actor of ``graph`` (sources left out), with its degree and departments."""
    places = {(r["kind"], r["key"]): r["departments"] for r in graph.run(_DEPARTMENTS)}
    rows = [
        {**row, "departments": places.get((row["kind"], row["key"]), ())}
        for row in graph.run(_CANDIDATES)
        if row["kind"] != "Source"
    ]
    return NameIndex(rows)


def _cache_path(db: Path) -> Path:
    return db.with_name(db.name + ".names")


def _state(db: Path) -> str | None:
    """What changes whenever the graph's file or its write-ahead log does, with the matcher's code."""
    parts = []
    for path in (db, db.with_name(db.name + ".wal"), *_CODE):
        try:
            stat = path.stat()
        except OSError:
            if path == db:
                return None
            parts.append(f"{path.name}:-")
            continue
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached_name_index(db: str | Path) -> NameIndex | None:
    """The saved index of the embedded graph at ``db`` if the graph has not changed since, else ``None``."""
    path = Path(db)
    state = _state(path)
    if state is None:
        return None
    try:
        with _cache_path(path).open("rb") as file:
            gc.disable()  # reading many small objects is twice as fast without the collector
            saved_state, index = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return None
    finally:
        gc.enable()
    return index if saved_state == state and isinstance(index, NameIndex) else None


def name_index(graph: GraphBackend) -> NameIndex:
    """The index of ``graph``: the saved one when still valid (embedded graphs), else built and saved."""
    path: Any = getattr(graph, "path", None)
    if graph.kind != "embedded" or path is None:
        return read_name_index(graph)
    index = cached_name_index(path)
    if index is None:
        index = read_name_index(graph)
        _save(Path(path), index)
    return index


def _save(db: Path, index: NameIndex) -> None:
    """Save the index with the graph's state; a place where it cannot be written only costs speed."""
    state = _state(db)
    target = _cache_path(db)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as file:
            pickle.dump((state, index), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
