"""The batched Brandes passes give NetworkX's betweenness, across batches, components and isolated actors."""

from __future__ import annotations

import networkx as nx
import pytest

from queries import brandes
from queries.centrality import betweenness


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_batches_of_any_size_give_networkx_betweenness(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(brandes, "BATCH", batch)
    G = nx.disjoint_union(nx.barabasi_albert_graph(90, 3, seed=2), nx.path_graph(12))
    G.add_nodes_from(["alone", "also alone"])
    ours, theirs = betweenness(G), nx.betweenness_centrality(G)
    assert ours.keys() == theirs.keys()
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-12) for n in G)
    assert ours["alone"] == 0.0 and max(ours.values()) > 0.1


def test_an_actor_without_ties_and_a_graph_without_any() -> None:
    assert brandes.dependencies([[], [2], [1]], [0, 1, 2]) == [0.0, 0.0, 0.0]
    assert brandes.dependencies([[], []], []) == [0.0, 0.0]
