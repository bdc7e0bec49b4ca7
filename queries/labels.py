"""How an actor is named in tables and paths: its name, with its phase if it has one.

Kept apart from `queries.network` so that ``tdi path`` names actors without importing NetworkX.
"""

from __future__ import annotations

from typing import Any

__all__ = ["label"]


def label(G: Any, node: Any) -> str:
    """The name of ``node`` in ``G`` (a NetworkX graph or a `graph.tie_graph.TieGraph`; its id when it has none), with its phase if it has one.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "territory:II-1")])
    >>> G.nodes["territory:II-1"].update(name="Axe Seine", phase="II")
    >>> label(G, "a"), label(G, "territory:II-1")
    ('a', 'Axe Seine (II)')
    """
    data = G.nodes[node]
    name = str(data.get("name") or node)
    return f"{name} ({data['phase']})" if data.get("phase") and data.get("name") else name
