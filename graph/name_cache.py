"""Build the `NameIndex` of a graph with one query, and keep it beside an embedded graph's file.

Reading every name, alias and degree of the full map (about 37k actors) takes about a second;
``tdi find`` must answer faster. The index of an embedded graph is therefore saved in the cache
directory (`graph.nxcache`: ``names-<digest>.pickle``, keyed by the state of the graph's file and
write-ahead log and by the matcher's code): any write changes them, and the index is then
rebuilt on the next search. A graph on Neo4j is read each time.

Example
-------
>>> index = name_index(graph)                                  # doctest: +SKIP
>>> index.search("Région Occitanie")[0].id                     # doctest: +SKIP
'region:76'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import nxcache
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
_PROGRAMMES = """
MATCH (s:Site)-[:LABELLED]->(p:Programme)
RETURN s.key AS key, p.name AS programme
"""
_CODE = [Path(__file__).with_name(name) for name in ("names.py", "name_index.py", "name_cache.py")]


def read_name_index(graph: GraphBackend) -> NameIndex:
    """The index of every actor of ``graph`` (sources left out), with its degree and departments.

    A programme's site is also found by its programme's name before its own ("Cités éducatives
    Béthune" for the Cité éducative named "Béthune"), and shown by its own.
    """
    places = {(r["kind"], r["key"]): r["departments"] for r in graph.run(_DEPARTMENTS)}
    programmes: dict[str, list[str]] = {}
    for row in graph.run(_PROGRAMMES):
        programmes.setdefault(row["key"], []).append(row["programme"])
    rows = [
        {**row, "departments": places.get((row["kind"], row["key"]), ()),
         "searched_as": [f"{p} {row['name']}" for p in sorted(programmes.get(row["key"], ()))] if row["kind"] == "Site" else ()}
        for row in graph.run(_CANDIDATES)
        if row["kind"] != "Source"
    ]  # fmt: skip
    return NameIndex(rows)


def cached_name_index(db: str | Path) -> NameIndex | None:
    """The saved index of the embedded graph at ``db`` if the graph has not changed since, else ``None``."""
    index = nxcache.load(db, "names", code=_CODE)
    return index if isinstance(index, NameIndex) else None


def name_index(graph: GraphBackend) -> NameIndex:
    """The index of ``graph``: the saved one when still valid (embedded graphs), else built and saved."""
    path: Any = getattr(graph, "path", None)
    if graph.kind != "embedded" or path is None:
        return read_name_index(graph)
    index = cached_name_index(path)
    if index is None:
        index = read_name_index(graph)
        nxcache.save(path, "names", index, code=_CODE)
    return index
