"""`graph.breadth_first` finds NetworkX's shortest paths in NetworkX's order, given NetworkX's neighbours.

`tdi path` and `tdi viz path` both walk it: which paths are listed or drawn depends on that order.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graph.breadth_first import predecessors, shortest_paths


def _networkx_paths(G: nx.Graph, source: int, target: int, cutoff: int | None = None) -> list[list[int]]:
    try:
        paths = list(nx.all_shortest_paths(G, source, target))
    except nx.NetworkXNoPath:
        return []
    return [p for p in paths if cutoff is None or len(p) - 1 <= cutoff]


@pytest.mark.parametrize("seed", range(4))
def test_paths_predecessors_and_their_order_are_networkx_s(seed: int) -> None:
    G = nx.gnp_random_graph(30, 0.09, seed=seed)  # some pairs joined by many shortest paths, some not joined
    neighbours = G.adj.__getitem__
    many = 0
    for source, target in itertools.permutations(G, 2):
        expected = _networkx_paths(G, source, target)
        assert list(shortest_paths(neighbours, source, target)) == expected
        many = max(many, len(expected))
    assert many > 2
    for source in G:
        assert list(predecessors(neighbours, source).items()) == list(nx.predecessor(G, source).items())
        assert list(predecessors(neighbours, source, max_length=2).items()) == list(nx.predecessor(G, source, cutoff=2).items())


def test_the_search_stops_at_the_target_or_the_length() -> None:
    G = nx.path_graph(6)  # 0-1-2-3-4-5
    G.add_edges_from([(0, 6), (6, 2)])  # a second way from 0 to 2
    neighbours = G.adj.__getitem__
    assert list(predecessors(neighbours, 0, target=2)) == [0, 1, 6, 2]  # 3 is never reached
    assert list(shortest_paths(neighbours, 0, 2)) == [[0, 1, 2], [0, 6, 2]]
    assert list(shortest_paths(neighbours, 0, 5, max_length=4)) == []
    assert list(shortest_paths(neighbours, 0, 5, max_length=5)) == [[0, 1, 2, 3, 4, 5], [0, 6, 2, 3, 4, 5]]
    assert list(shortest_paths(neighbours, 3, 3)) == [[3]]


def test_a_neighbour_given_twice_counts_once() -> None:
    """`tdi path` takes a node's ties out, then in: a neighbour tied both ways comes twice."""
    G = nx.gnp_random_graph(25, 0.12, seed=3)
    for source in list(G)[::5]:
        twice = predecessors(lambda n: [*G.adj[n], *list(G.adj[n])[::-1]], source)
        assert twice == nx.predecessor(G, source)
