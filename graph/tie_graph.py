"""A directed multigraph of plain dicts, for commands that only walk a small part of the graph.

Importing NetworkX costs 0.2-0.35 s of CPU; ``tdi path`` reads a few hundred actors and walks
them once. `TieGraph` holds what `graph.neighbourhood.read_subgraph` reads, laid out as NetworkX
lays out a ``MultiDiGraph`` (``nodes[n]`` → attributes, ``succ[u][v][key]`` and
``pred[v][u][key]`` → the same attributes of a tie), so that code written against that part of
NetworkX's interface (`queries.paths.shortest_paths`) takes either.

Example
-------
>>> G = TieGraph()
>>> G.add_node("operator:bpifrance", kind="Operator")
>>> G.add_node("region:32", kind="Region")
>>> G.add_edge("operator:bpifrance", "region:32", key="PARTNER_OF", type="PARTNER_OF")
>>> G.get_edge_data("operator:bpifrance", "region:32"), dict(G.pred["region:32"])
({'PARTNER_OF': {'type': 'PARTNER_OF'}}, {'operator:bpifrance': {'PARTNER_OF': {'type': 'PARTNER_OF'}}})
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["TieGraph"]


class TieGraph:
    """Nodes with attributes and typed ties between them, in either direction (see the module's docstring)."""

    def __init__(self) -> None:
        self.graph: dict[str, Any] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self.pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    def add_node(self, node: str, **attrs: Any) -> None:
        """Add ``node`` (or update its attributes)."""
        self.nodes.setdefault(node, {}).update(attrs)
        self.succ.setdefault(node, {})
        self.pred.setdefault(node, {})

    def add_edge(self, u: str, v: str, key: str, **attrs: Any) -> None:
        """Add the tie ``key`` from ``u`` to ``v`` (both added if missing), or update its attributes."""
        for node in (u, v):
            if node not in self.nodes:
                self.add_node(node)
        data = self.succ[u].setdefault(v, {}).setdefault(key, {})
        data.update(attrs)
        self.pred[v].setdefault(u, {})[key] = data

    def get_edge_data(self, u: str, v: str, default: Any = None) -> Any:
        """The ties from ``u`` to ``v``, by key; ``default`` when there is none."""
        return self.succ.get(u, {}).get(v, default)

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)
