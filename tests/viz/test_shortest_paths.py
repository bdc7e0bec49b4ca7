"""`viz.shortest_paths` gives the shortest paths NetworkX gives, in NetworkX's order.

`viz path` draws the first 20 shortest paths, and a whole-graph `viz ego` keeps its actors in
the order found: on graphs with many shortest paths between two actors (layers, documents in
between, ties both ways), the order must be NetworkX's for the page to stay the same.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from graph.tie_graph import TieGraph
from viz.shortest_paths import all_shortest_paths, reach


def _layered(seed: int) -> tuple[nx.MultiDiGraph, TieGraph]:
    """Five layers of actors with random ties between neighbouring layers (either way, some doubled), and documents tied to many."""
    rng = random.Random(seed)
    layers = [[f"{kind}:{seed}-{i}" for i in range(rng.randint(2, 6))] for kind in ("region", "department", "epci", "commune", "site")]
    G, T = nx.MultiDiGraph(), TieGraph()
    ties = [(u, v) for a, b in itertools.pairwise(layers) for u in a for v in b if rng.random() < 0.6]
    ties += [(f"source:{seed}-{i}", n) for i in range(3) for n in rng.sample([n for layer in layers for n in layer], 8)]
    for u, v in ties:
        ends = (u, v) if rng.random() < 0.5 or u.startswith("source:") else (v, u)
        for key in ("PARTNER_OF", "FUNDS")[: rng.randint(1, 2)]:
            G.add_edge(*ends, key=key)
            T.add_edge(*ends, key=key)
    return G, T


def _networkx_paths(G: nx.MultiDiGraph, source: str, target: str) -> list[list[str]]:
    walkable = G.subgraph(sorted(n for n in G if not n.startswith("source:"))).to_undirected(as_view=True)
    try:
        return list(nx.all_shortest_paths(walkable, source, target))
    except nx.NetworkXNoPath:
        return []


@pytest.mark.parametrize("seed", range(12))
def test_the_paths_and_their_order_are_networkx_s(seed: int) -> None:
    G, T = _layered(seed)
    actors = [n for n in G if not n.startswith("source:")]
    many = 0
    for source, target in itertools.islice(itertools.permutations(actors, 2), 0, None, 7):
        expected = _networkx_paths(G, source, target)
        assert list(all_shortest_paths(T, source, target)) == expected
        assert list(all_shortest_paths(G, source, target)) == expected
        many = max(many, len(expected))
    assert many > 1
    assert list(all_shortest_paths(T, actors[0], actors[0])) == [[actors[0]]]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_the_reach_and_its_order_are_networkx_s(seed: int, depth: int) -> None:
    """`viz ego` keeps the actors within --depth ties, listed as NetworkX lists them (the order a whole-graph subgraph follows)."""
    G, T = _layered(seed)
    walkable = G.subgraph(sorted(n for n in G if not n.startswith("source:"))).to_undirected(as_view=True)
    for node in [n for n in G if not n.startswith("source:")][::3]:
        expected = list(nx.single_source_shortest_path_length(walkable, node, cutoff=depth))
        assert reach(T, node, depth) == expected
        assert reach(G, node, depth) == expected
