"""What a network page sizes its actors by, and the communities it colours them by.

On the graph exported by ``to_networkx()`` or on a `graph.tie_graph.TieGraph`; `Source` nodes
(documents) are left out of every measure. Degree and euros need no NetworkX; betweenness and
communities run NetworkX's algorithms (`as_networkx`). Anything random takes a ``seed`` and leaves
the global RNG alone.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a:1", "b:2"), ("b:2", "c:3")])
>>> size_measure(G, "degree")["b:2"]
2.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graph.errors import SchemaError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MEASURES", "actors_of", "as_networkx", "community_of", "copied_subgraph", "euros", "is_source", "part_to_read", "size_measure"]

MEASURES = ("importance", "degree", "betweenness", "euros")
# Above this many actors, betweenness is estimated from a fixed sample of sources (seeded).
EXACT_BETWEENNESS_MAX = 600
BETWEENNESS_SAMPLE = 300


def actors_of(G: nx.MultiDiGraph) -> list[Any]:
    """The nodes a page draws: every node but the `Source` documents, sorted by id.

    >>> import networkx as nx
    >>> actors_of(nx.MultiDiGraph([("source:s", "region:1")]))
    ['region:1']
    """
    # `is_source`, inlined: a page asks for the actors of a view of thousands of nodes several times
    return sorted([n for n, d in G.nodes(data=True) if d.get("kind") != "Source" and not str(n).startswith("source:")], key=str)


def as_networkx(G: Any) -> nx.MultiDiGraph:
    """``G`` as a NetworkX graph, for an algorithm: ``G`` itself, or a `graph.tie_graph.TieGraph`'s `to_networkx`
    (same nodes and ties in the same order, so that an algorithm gives what it gives on the graph read into NetworkX).

    >>> from graph.tie_graph import TieGraph
    >>> T = TieGraph(); T.add_edge("a:1", "b:2", key="FUNDS")
    >>> type(as_networkx(T)).__name__, list(as_networkx(T).edges(keys=True))
    ('MultiDiGraph', [('a:1', 'b:2', 'FUNDS')])
    """
    return G.to_networkx() if hasattr(G, "to_networkx") else G


def copied_subgraph(G: Any, nodes: Iterable[Any]) -> Any:
    """``G.subgraph(nodes).copy()``; in one pass on a `graph.tie_graph.TieGraph` (`TieGraph.copied_subgraph`).

    >>> import networkx as nx
    >>> sorted(copied_subgraph(nx.MultiDiGraph([("a:1", "b:2"), ("b:2", "c:3")]), ["a:1", "b:2"]).edges())
    [('a:1', 'b:2')]
    """
    return G.copied_subgraph(nodes) if hasattr(G, "copied_subgraph") else G.subgraph(nodes).copy()


def part_to_read(G: Any, nodes: Iterable[Any]) -> Any:
    """The part of ``G`` on ``nodes``, to read and not to change: a `graph.tie_graph.TieGraph`'s `~TieGraph.subgraph`,
    which shares what it can, or `copied_subgraph` (a NetworkX view of a large graph is slow to walk).

    >>> from graph.tie_graph import TieGraph
    >>> T = TieGraph(); T.add_edge("a:1", "b:2", key="FUNDS"); T.add_node("c:3")
    >>> part = part_to_read(T, ["a:1", "b:2"])
    >>> list(part.edges()), part.nodes["a:1"] is T.nodes["a:1"]
    ([('a:1', 'b:2')], True)
    """
    return G.subgraph(nodes) if hasattr(G, "copied_subgraph") else copied_subgraph(G, nodes)


def size_measure(G: nx.MultiDiGraph, name: str, *, seed: int = 7) -> dict[Any, float]:
    """One number per actor: ``importance`` (what sources say), ``degree``, ``betweenness`` or ``euros``.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Nodes ``kind:key``; `Source` nodes are ignored.
    name : {"importance", "degree", "betweenness", "euros"}
        The measure; see `viz.importance.importance` for the first, `euros` for the last.
    seed : int, default 7
        Seed of the sample used to estimate betweenness on large graphs.

    Returns
    -------
    dict
        Node id → value, for every actor.

    Raises
    ------
    SchemaError
        ``name`` is not one of `MEASURES`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a:1", "b:2"), ("b:2", "c:3")])
    >>> size_measure(G, "betweenness")
    {'a:1': 0.0, 'b:2': 1.0, 'c:3': 0.0}
    """
    if name == "importance":
        from viz.importance import importance  # it builds on this module

        return importance(G)
    if name == "betweenness":
        return _betweenness(as_networkx(G).subgraph(actors_of(G)), seed)
    H = G.subgraph(actors_of(G))
    if name == "degree":
        return {n: float(d) for n, d in sorted(H.degree(), key=lambda item: str(item[0]))}
    if name == "euros":
        return euros(H)
    raise SchemaError(f'Cannot size by "{name}". Use one of: {", ".join(MEASURES)}.')


def euros(G: nx.MultiDiGraph) -> dict[Any, float]:
    """Euros given or received: the sum of ``amount_eur`` on an actor's ties, else its own ``amount_eur``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("project:p", amount_eur=5e6)
    >>> _ = G.add_edge("operator:o", "project:q", key="FUNDS", amount_eur=2e6)
    >>> euros(G)
    {'operator:o': 2000000.0, 'project:p': 5000000.0, 'project:q': 2000000.0}
    """
    totals = {n: 0.0 for n in G}
    for u, v, data in G.edges(data=True):
        amount = _number(data.get("amount_eur"))
        if amount:
            totals[u] += amount
            totals[v] += amount
    for n, total in totals.items():
        if not total:
            totals[n] = _number(G.nodes[n].get("amount_eur")) or 0.0
    return dict(sorted(totals.items(), key=lambda item: str(item[0])))


def community_of(G: nx.MultiDiGraph, *, seed: int = 7) -> dict[Any, int]:
    """Louvain communities of the actors, numbered 0, 1… from the largest (ties by smallest id).

    Ties are taken in both directions and counted once per pair of actors; an actor with no tie
    is a community of its own.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a:1", "a:2"), ("a:2", "a:3"), ("a:1", "a:3"), ("b:1", "b:2")])
    >>> community_of(G)
    {'a:1': 0, 'a:2': 0, 'a:3': 0, 'b:1': 1, 'b:2': 1}
    """
    import networkx as nx

    G = as_networkx(G)
    ties = nx.Graph(G.subgraph(actors_of(G)).to_undirected(as_view=True))
    U = nx.Graph()  # in a fixed order: Louvain's result follows the order of the nodes and of their neighbours
    U.add_nodes_from(sorted(ties, key=str))
    U.add_edges_from(sorted((sorted((u, v), key=str) for u, v in ties.edges()), key=lambda pair: (str(pair[0]), str(pair[1]))))
    found = nx.community.louvain_communities(U, seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    index = {node: i for i, members in enumerate(ordered) for node in members}
    return {n: index[str(n)] for n in sorted(U, key=str)}


def _betweenness(H: nx.MultiDiGraph, seed: int) -> dict[Any, float]:
    import networkx as nx

    U = nx.Graph(H.to_undirected(as_view=True))
    k = None if len(U) <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLE
    scores = nx.betweenness_centrality(U, k=k, seed=seed if k else None)
    return {n: round(scores[n], 6) for n in sorted(U, key=str)}


def is_source(node: Any, data: Mapping[str, Any]) -> bool:
    """Whether a node is a `Source` (a document), which no measure counts.

    >>> is_source("source:press-1", {}), is_source("region:32", {"kind": "Region"})
    (True, False)
    """
    return data.get("kind") == "Source" or str(node).startswith("source:")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return float(value)
