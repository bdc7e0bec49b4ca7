"""Choose what a network page shows: the actors and their ties, or one actor's neighbourhood.

Pure NetworkX: each view takes the graph exported by ``to_networkx()`` and returns a subgraph.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a:1", "b:2"), ("b:2", "c:3")])
>>> sorted(ego_view(G, "a:1", depth=1))
['a:1', 'b:2']
"""

from __future__ import annotations

import networkx as nx

from graph.errors import ActorNotFound

__all__ = ["ADMINISTRATIVE_TYPES", "actor_view", "ego_view"]

ADMINISTRATIVE_TYPES = frozenset({"IN_REGION", "IN_DEPARTMENT", "IN_EPCI"})


def actor_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Leave out places tied to nothing but the administrative map.

    A department whose only ties are ``IN_REGION`` says nothing about partnerships; it is left
    out, and so is a region left with no other tie.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("department:62", "region:32", key="IN_REGION", type="IN_REGION")
    'IN_REGION'
    >>> G.add_edge("operator:bpifrance", "region:32", key="PARTNER_OF", type="PARTNER_OF")
    'PARTNER_OF'
    >>> sorted(actor_view(G))
    ['operator:bpifrance', 'region:32']
    """
    H = G.copy()
    while True:
        scaffolding = [n for n in H if all(k in ADMINISTRATIVE_TYPES for *_, k in _ties(H, n))]
        if not scaffolding:
            return H
        H.remove_nodes_from(scaffolding)


def ego_view(G: nx.MultiDiGraph, node_id: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """The actor ``node_id`` and everything within ``depth`` ties of it, in either direction.

    Raises `ActorNotFound` if the graph has no such actor.
    """
    if node_id not in G:
        raise ActorNotFound(f'No actor {node_id}. Run "tdi find TEXT" to look it up.')
    reach = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node_id, cutoff=depth)
    return G.subgraph(reach).copy()


def _ties(H: nx.MultiDiGraph, node: str) -> list[tuple[str, str, str]]:
    return [*H.out_edges(node, keys=True), *H.in_edges(node, keys=True)]
