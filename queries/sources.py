"""The sources the graph cites, and how much of the graph each one supports.

Example
-------
>>> list_sources(graph)[0]["key"]            # doctest: +SKIP
'decoupage-administratif-2026'
"""

from __future__ import annotations

from typing import Any

from graph.backend import GraphBackend

__all__ = ["SOURCE_COLUMNS", "list_sources"]

SOURCE_COLUMNS = ("key", "name", "type", "date", "vintage", "rows", "loaded_at", "nodes", "relationships")


def list_sources(graph: GraphBackend) -> list[dict[str, Any]]:
    """Every `Source` node with the number of nodes and relationships that cite it, by key."""
    sources = graph.run(
        "MATCH (s:Source) RETURN s.key AS key, s.name AS name, s.type AS type, s.date AS date, "
        "s.vintage AS vintage, s.rows AS rows, s.loaded_at AS loaded_at ORDER BY key"
    )
    nodes = _citations(graph, "MATCH (n) UNWIND n.sources AS s RETURN s AS source, count(*) AS n")
    rels = _citations(graph, "MATCH ()-[r]->() UNWIND r.sources AS s RETURN s AS source, count(*) AS n")
    return [{**row, "nodes": nodes.get(row["key"], 0), "relationships": rels.get(row["key"], 0)} for row in sources]


def _citations(graph: GraphBackend, cypher: str) -> dict[str, int]:
    return {row["source"]: row["n"] for row in graph.run(cypher)}
