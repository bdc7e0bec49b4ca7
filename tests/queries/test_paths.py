"""Shortest chains of relationships between two actors: small graphs, then the built-in dataset."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.backend import open_graph
from graph.errors import ActorNotFound
from graph.tie_graph import TieGraph
from queries.paths import path_rows, shortest_paths


def _graph(edges: list[tuple[str, str, str, dict]]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for u, v, key, props in edges:
        for node in (u, v):
            G.add_node(node, kind=node.split(":")[0].capitalize(), name=node.split(":")[1].upper())
        G.add_edge(u, v, key=key, type=key, **props)
    return G


@pytest.fixture
def diamond() -> nx.MultiDiGraph:
    """bpi funds p1 and p2; c carries both; bpi also cited by a source node tied to c."""
    G = _graph([
        ("operator:bpi", "project:p1", "FUNDS", {"sources": ["press-1"], "amount_eur": 10.0}),
        ("operator:bpi", "project:p2", "FUNDS", {"sources": ["press-2"]}),
        ("company:c", "project:p1", "CARRIES", {}),
        ("company:c", "project:p2", "CARRIES", {"sources": ["press-3"]}),
        ("project:p1", "company:c", "PARTNER_OF", {"sources": ["press-4"]}),
        ("company:far", "project:p9", "CARRIES", {}),
    ])  # fmt: skip
    G.add_node("source:s", kind="Source")
    G.add_edge("source:s", "operator:bpi", key="DESCRIBES")
    G.add_edge("source:s", "company:far", key="DESCRIBES")
    return G


def test_one_shortest_path_with_steps_directions_and_sources(diamond):
    (path,) = shortest_paths(diamond, "operator:bpi", "company:c")
    assert path["path"] == 1 and path["length"] == 2
    first, second = path["steps"]
    assert (first["from"], first["type"], first["direction"], first["to"]) == ("operator:bpi", "FUNDS", "out", "project:p1")
    assert first["sources"] == ["press-1"] and first["relationships"][0]["properties"] == {"amount_eur": 10.0}
    assert (second["from"], second["to"]) == ("project:p1", "company:c")
    assert [(r["type"], r["direction"]) for r in second["relationships"]] == [("CARRIES", "in"), ("PARTNER_OF", "out")]
    assert second["sources"] == ["press-4"]


def test_all_shortest_paths(diamond):
    paths = shortest_paths(diamond, "operator:bpi", "company:c", all_paths=True)
    assert [[s["to"] for s in p["steps"]] for p in paths] == [["project:p1", "company:c"], ["project:p2", "company:c"]]
    assert [p["path"] for p in paths] == [1, 2]


def test_no_path_within_max_length_or_at_all(diamond):
    assert shortest_paths(diamond, "operator:bpi", "company:c", max_length=1) == []
    assert shortest_paths(diamond, "operator:bpi", "company:far") == []  # only a document links them


def test_unknown_actor_or_a_document(diamond):
    with pytest.raises(ActorNotFound, match="operator:nope"):
        shortest_paths(diamond, "operator:nope", "company:c")
    with pytest.raises(ActorNotFound, match="source:s"):
        shortest_paths(diamond, "source:s", "company:c")


def test_path_rows_read_in_the_path_direction(diamond):
    rows = path_rows(shortest_paths(diamond, "company:c", "operator:bpi"))
    assert [(r["step"], r["relationship"]) for r in rows] == [(1, "-[CARRIES]-> <-[PARTNER_OF]-"), (2, "<-[FUNDS]-")]
    assert rows[0]["from_name"] == "C"


def test_builtin_path_from_bpifrance_to_xavier_bertrand(builtin_db):
    with open_graph(builtin_db, read_only=True) as graph:
        G = graph.to_networkx()
    (path,) = shortest_paths(G, "operator:bpifrance", "person:xavier-bertrand")
    assert path["length"] == 3
    assert path["steps"][-1]["to"] == "person:xavier-bertrand"
    assert all(step["sources"] for step in path["steps"])


def _as_tie_graph(G: nx.MultiDiGraph) -> TieGraph:
    plain = TieGraph()
    for node, data in G.nodes(data=True):
        plain.add_node(node, **data)
    for u, v, key, data in G.edges(keys=True, data=True):
        plain.add_edge(u, v, key, **data)
    return plain


def test_paths_over_a_tie_graph_are_those_over_networkx(diamond):
    """`tdi path` walks a TieGraph (no NetworkX to import): every answer is the same."""
    diamond.add_edge("company:far", "company:c", key="PARTNER_OF")  # a third step, and a second way round
    plain = _as_tie_graph(diamond)
    actors = [n for n, kind in diamond.nodes(data="kind") if kind != "Source"]
    for source in actors:
        for target in actors:
            for max_length in (1, 2, 6):
                expected = shortest_paths(diamond, source, target, max_length=max_length, all_paths=True)
                assert shortest_paths(plain, source, target, max_length=max_length, all_paths=True) == expected
    assert len(shortest_paths(plain, "operator:bpi", "project:p9", all_paths=True)) == 2  # bpi-p1|p2-c-far-p9
