"""Run a named query by name and read one column of its rows: shared by the named-query tests."""

from __future__ import annotations

from typing import Any

from graph.backend import GraphBackend
from queries.registry import get_query


def run(graph: GraphBackend, name: str, **params: Any) -> list[dict[str, Any]]:
    return get_query(name).run(graph, params)


def ids(rows: list[dict[str, Any]], column: str = "id") -> list[Any]:
    return [row[column] for row in rows]
