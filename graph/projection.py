"""The slim graph every analysis runs on: ids, kinds, relationship types and the few properties analyses read.

``to_networkx()`` reads every property of every node and relationship (names, aliases, quotes…);
an analysis needs far less. `project` reads, with one query per kind and per relationship type,
only `NODE_PROPERTIES` and `EDGE_PROPERTIES` (names, the dates and phases that ``--as-of`` and
``--phase`` cut by, amounts for euros, sources for the report) and builds the same shape of
graph: nodes ``kind:key`` with ``kind``, edges keyed by relationship type. On an embedded graph
opened read-only the result is cached on disk while the graph's file is unchanged
(`graph.nxcache`), so a second analysis of an unchanged graph does not rebuild it.

Example
-------
>>> with open_graph("tdi-graph", read_only=True) as graph:      # doctest: +SKIP
...     G = project(graph)
>>> G.nodes["region:32"]                                        # doctest: +SKIP
{'kind': 'Region', 'key': '32', 'name': 'Hauts-de-France'}
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.collector import collector_paused

if TYPE_CHECKING:
    import networkx as nx

    from graph.backend import GraphBackend

__all__ = ["EDGE_PROPERTIES", "NODE_PROPERTIES", "project"]

# What analyses read of a node: its name, its dates and phase (cuts), and for Source nodes what the report cites.
NODE_PROPERTIES = ("name", "since", "until", "date", "phase", "url", "sources")
# What analyses read of a relationship: dates and phase (cuts), amounts (euros) and sources (the report).
EDGE_PROPERTIES = ("amount_eur", "year", "since", "until", "date", "phase", "sources")


def project(graph: GraphBackend) -> nx.MultiDiGraph:
    """The analysis graph of ``graph``: every node and relationship, with only the properties analyses read.

    Parameters
    ----------
    graph : GraphBackend
        An open graph; an embedded one opened read-only is read from the disk cache when unchanged.

    Returns
    -------
    nx.MultiDiGraph
        Nodes ``kind:key`` with ``kind``, ``key`` and those of `NODE_PROPERTIES` they have; edges
        keyed by relationship type with ``type`` and those of `EDGE_PROPERTIES` they have
        (lists, such as ``sources``, as tuples). Nodes come sorted by id and ties by their ends
        and type, whatever order the store gives, so that seeded measures are reproducible.
    """
    path = getattr(graph, "path", None)
    if graph.kind != "embedded" or path is None or not getattr(graph, "read_only", False):
        return read_projection(graph)  # a graph open for writing may hold what is not on disk yet
    from graph.nxcache import cached

    return cached(path, "projection", lambda: read_projection(graph), code=[Path(__file__)])


def read_projection(graph: GraphBackend) -> nx.MultiDiGraph:
    """`project` without the cache: one query per kind and per relationship type, read as columns.

    The garbage collector is paused meanwhile: the graph is some 400,000 new containers, none of them
    garbage, and collecting as they are made took a third of the time.
    """
    with collector_paused():
        return _read_projection(graph)


def _read_projection(graph: GraphBackend) -> nx.MultiDiGraph:
    import networkx as nx

    from graph.schema import schema

    s, shared = schema(), _SharedLists()
    nodes: dict[str, dict[str, Any]] = {}
    for kind in s.kinds.values():
        columns = [p for p in NODE_PROPERTIES if p in kind.properties]
        query = f"MATCH (n:{kind.label}) RETURN n.key AS key" + "".join(f", n.{p} AS {p}" for p in columns)
        data = graph.columns(query)
        prefix, keys = kind.label.lower() + ":", data.get("key", [])
        for key, attrs in zip(keys, _records(data, columns, shared, {}), strict=True):
            nodes[prefix + key] = {"kind": kind.label, "key": key, **attrs}
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for rel in s.rels.values():
        columns = [p for p in EDGE_PROPERTIES if p in rel.properties]
        query = (
            f"MATCH (a)-[r:{rel.name}]->(b) RETURN head(labels(a)) AS a_kind, a.key AS a_key, "
            f"head(labels(b)) AS b_kind, b.key AS b_key" + "".join(f", r.{p} AS {p}" for p in columns)
        )
        data = graph.columns(query)
        ends = zip(_ids(data, "a_kind", "a_key"), _ids(data, "b_kind", "b_key"), strict=True)
        name = sys.intern(rel.name)
        edges += [(u, v, name, attrs) for (u, v), attrs in zip(ends, _records(data, columns, shared, {"type": name}), strict=True)]
    # Sorted: the same graph gives the same analysis graph whatever order the store returns rows in
    # (seeded measures such as Louvain depend on the order of nodes and ties).
    G = nx.MultiDiGraph()
    for node in sorted(nodes):  # straight into the adjacency, as add_nodes_from lays it out, without its checks
        G._node[node], G._succ[node], G._pred[node] = nodes[node], {}, {}
    edges.sort(key=lambda edge: edge[:3])
    _add_edges(G, edges)
    return G


def _ids(data: dict[str, list[Any]], kinds: str, keys: str) -> list[str]:
    """The ``kind:key`` id of each row's end, from its label and key columns."""
    prefixes: dict[str, str] = {}
    return [(prefixes.get(k) or prefixes.setdefault(k, k.lower() + ":")) + key for k, key in zip(data.get(kinds, []), data.get(keys, []), strict=True)]


def _records(data: dict[str, list[Any]], columns: list[str], shared: _SharedLists, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Each row's properties, ``first`` then the non-null values of ``columns`` (lists as shared tuples).

    Columns with no value at all are skipped, so that most rows cost one dict copy.
    """
    held = [c for c in columns if any(v is not None for v in data.get(c, []))]
    values = [shared.column(data[c]) for c in held]
    if not values:
        return [dict(first) for _ in range(len(next(iter(data.values()), [])))]
    return [{**first, **{c: v for c, v in zip(held, row) if v is not None}} for row in zip(*values, strict=True)]


def _add_edges(G: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Add edges whose ends are nodes of ``G`` and whose (ends, type) are distinct, straight into its adjacency.

    Three times faster than ``add_edges_from``, which checks each key through NetworkX's views; the
    dicts are laid out as NetworkX lays them out (one key dict shared by ``_succ[u][v]`` and ``_pred[v][u]``).
    """
    succ, pred = G._succ, G._pred
    for u, v, key, data in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = data


class _SharedLists:
    """One tuple of interned strings per distinct list (``sources`` repeat): a smaller graph, saved and read faster."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def column(self, values: list[Any]) -> list[Any]:
        """``values`` with each list replaced by its shared tuple; other values as they are."""
        if not any(type(v) is list for v in values):
            return values
        seen, shared = self._seen, []
        for value in values:
            if type(value) is list:
                key = tuple(value)
                value = seen.get(key) or seen.setdefault(key, tuple(sys.intern(v) if isinstance(v, str) else v for v in value))
            shared.append(value)
        return shared
