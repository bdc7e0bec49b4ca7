"""`TieGraph` answers the part of NetworkX's ``MultiDiGraph`` interface the walk and the page use, in the same order.

Each test makes the same graph both ways, applies the same operations and compares what comes
out, orders included: the pages drawn from either must be byte for byte the same.
"""

from __future__ import annotations

import random
import weakref
from typing import Any

import networkx as nx
import pytest

from graph.tie_graph import TieGraph

TYPES = ("FUNDS", "COVERS", "IN_EPCI", "SUPPORTS")


def _both(seed: int = 3, nodes: int = 40, ties: int = 120) -> tuple[nx.MultiDiGraph, TieGraph]:
    """A random multigraph (repeated pairs, several types between two actors, loops), made both ways."""
    rng = random.Random(seed)
    G, T = nx.MultiDiGraph(), TieGraph()
    ids = [f"{rng.choice(['epci', 'commune', 'operator'])}:{i}" for i in rng.sample(range(1000), nodes)]
    for n in ids[: nodes // 2]:  # the rest appear through their ties
        rank = rng.random()
        for graph in (G, T):
            graph.add_node(n, kind=n.split(":")[0].title(), rank=rank)
    for _ in range(ties):
        u, v, key = rng.choice(ids), rng.choice(ids), rng.choice(TYPES)
        amount = rng.randrange(1000)
        G.add_edge(u, v, key=key, type=key, amount_eur=amount)
        T.add_edge(u, v, key=key, type=key, amount_eur=amount)
    return G, T


def _layout(G: Any) -> tuple[Any, ...]:
    """Everything whose order a page could depend on: nodes, ties out and in, node by node, with attributes."""
    return (
        list(G.nodes(data=True)),
        [(u, list(G.succ[u].items())) for u in G],
        [(v, list(G.pred[v].items())) for v in G],
        dict(G.graph),
    )


def test_reading_gives_the_same_layout() -> None:
    G, T = _both()
    assert _layout(T) == _layout(G)
    assert (len(T), T.number_of_nodes(), T.number_of_edges()) == (len(G), G.number_of_nodes(), G.number_of_edges())


@pytest.mark.parametrize("keys", [False, True])
@pytest.mark.parametrize("data", [False, True, "amount_eur", "missing"])
def test_edges_and_node_data_come_as_networkx_gives_them(keys: bool, data: bool | str) -> None:
    G, T = _both()
    assert list(T.edges(keys=keys, data=data, default=0)) == list(G.edges(keys=keys, data=data, default=0))
    assert list(T.nodes(data=data)) == list(G.nodes(data=data))
    for node in list(G)[:10]:
        assert list(T.out_edges(node, keys=keys, data=data)) == list(G.out_edges(node, keys=keys, data=data))
        assert list(T.in_edges(node, keys=keys, data=data)) == list(G.in_edges(node, keys=keys, data=data))
    assert list(T.in_edges(keys=keys, data=data)) == list(G.in_edges(keys=keys, data=data))


def test_degree_lookups_and_edge_access_agree() -> None:
    G, T = _both()
    G.add_edge("operator:loop", "operator:loop", key="FUNDS")
    T.add_edge("operator:loop", "operator:loop", key="FUNDS")
    assert list(T.degree()) == list(G.degree())
    for u, v, k in list(G.edges(keys=True))[:20]:
        assert T.edges[u, v, k] == G.edges[u, v, k]
        assert (T.has_edge(u, v, k), T.has_edge(u, v), T.has_edge(u, v, "PILOTS")) == (True, True, G.has_edge(u, v, "PILOTS"))
        assert T.get_edge_data(u, v) == G.get_edge_data(u, v)
        assert T.get_edge_data(u, v, key=k) == G.get_edge_data(u, v, key=k)
    assert T.get_edge_data("operator:none", "epci:none", default={}) == {} == G.get_edge_data("operator:none", "epci:none", default={})
    assert ("operator:none" in T, next(iter(G)) in T) == (False, True)


@pytest.mark.parametrize("share", [0.6, 0.9, 1.0])
def test_subgraph_and_copy_keep_networkx_order(share: float) -> None:
    """A subgraph keeps the graph's order (NetworkX does too when it keeps at least half the nodes); a copy re-adds ties node by node."""
    G, T = _both(seed=5)
    keep = random.Random(1).sample(list(G), int(len(G) * share))
    assert _layout(T.subgraph(keep)) == _layout(G.subgraph(keep))
    assert _layout(T.subgraph(keep).copy()) == _layout(G.subgraph(keep).copy())
    copied = T.copy()
    copied.nodes[keep[0]]["changed"] = True
    assert "changed" not in T.nodes[keep[0]]  # the attributes of a copy are its own


@pytest.mark.parametrize("share", [0.6, 1.0])
def test_a_copied_subgraph_is_the_subgraph_copied(share: float) -> None:
    """One pass gives what ``subgraph(nodes).copy()`` gives, orders included, with attributes of its own."""
    _, T = _both(seed=9)
    keep = random.Random(2).sample(list(T), int(len(T) * share)) + ["epci:never-there"]
    H = T.copied_subgraph(keep)
    assert _layout(H) == _layout(T.subgraph(keep).copy())
    u, v, key = next(iter(H.edges(keys=True)))
    H.edges[u, v, key]["changed"] = True
    assert "changed" not in T.edges[u, v, key]


def test_add_tie_is_add_edge_between_nodes_the_graph_has() -> None:
    rng = random.Random(4)
    ids = [f"epci:{i}" for i in range(20)]
    ties = [(rng.choice(ids), rng.choice(ids), rng.choice(TYPES), rng.randrange(9)) for _ in range(80)]  # repeats and loops
    by_edge, by_tie = TieGraph(), TieGraph()
    for graph in (by_edge, by_tie):
        for n in ids:
            graph.add_node(n, kind="Epci")
    for u, v, key, amount in ties:
        by_edge.add_edge(u, v, key=key, type=key, amount_eur=amount)
        by_tie.add_tie(u, v, key, {"type": key, "amount_eur": amount})
    assert _layout(by_tie) == _layout(by_edge)


def test_a_graph_dropped_is_freed_at_once() -> None:
    """No cycle of references: a large part read goes when dropped, not when the collector next runs."""
    _, T = _both()
    list(T.edges(data=True))
    gone = weakref.ref(T)
    del T
    assert gone() is None


def test_removing_nodes_keeps_the_order_of_the_rest() -> None:
    G, T = _both(seed=7)
    gone = list(G)[::3] + ["epci:never-there"]
    G.remove_nodes_from(gone)
    T.remove_nodes_from(gone)
    assert _layout(T) == _layout(G)


def test_to_networkx_is_the_same_graph_in_the_same_order() -> None:
    G, T = _both(seed=11)
    T.graph["complete"] = True
    G.graph["complete"] = True
    N = T.to_networkx()
    assert isinstance(N, nx.MultiDiGraph)
    assert _layout(N) == _layout(G)
    U, V = nx.Graph(N.to_undirected(as_view=True)), nx.Graph(G.to_undirected(as_view=True))
    assert [(n, list(U.adj[n])) for n in U] == [(n, list(V.adj[n])) for n in V]
    N.add_edge("operator:new", "epci:new", key="FUNDS")  # a graph NetworkX keeps consistent
    assert N.has_edge("operator:new", "epci:new", "FUNDS") and "operator:new" in N.pred["epci:new"]
