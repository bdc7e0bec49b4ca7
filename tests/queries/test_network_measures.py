"""Network measures on small graphs whose answers are known by hand: a star, two cliques and a broker, a funding graph."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from queries.brokerage import brokerage_roles, brokers, structural_holes
from queries.centrality import EXACT_MAX, betweenness, centrality, pagerank, sample_size
from queries.communities import AnalysisUnavailable, communities, detect_communities
from queries.compare import compare_graphs
from queries.projections import cofunding, comembership


def _kinds(G: nx.Graph, kind: str) -> nx.Graph:
    nx.set_node_attributes(G, kind, "kind")
    return G


@pytest.fixture
def star() -> nx.MultiDiGraph:
    """A hub tied to four leaves."""
    return _kinds(nx.MultiDiGraph([("hub", leaf, "SUPPORTS") for leaf in ("a", "b", "c", "d")]), "Operator")


@pytest.fixture
def two_cliques() -> nx.MultiDiGraph:
    """Two 4-cliques (a1..a4, b1..b4) joined only through x, tied to a1 and b1."""
    G = nx.MultiDiGraph()
    for side in "ab":
        G.add_edges_from((f"{side}{i}", f"{side}{j}", "PARTNER_OF") for i in range(1, 5) for j in range(i + 1, 5))
    G.add_edges_from([("x", "a1", "PARTNER_OF"), ("x", "b1", "PARTNER_OF")])
    return _kinds(G, "Organisation")


def test_star_centrality(star):
    rows = {r["id"]: r for r in centrality(star)["rows"]}
    assert (rows["hub"]["rank"], rows["hub"]["degree"], rows["hub"]["betweenness"]) == (1, 4, 1.0)
    assert rows["a"]["degree"] == 1 and rows["a"]["betweenness"] == 0.0
    # PageRank of a star's hub: x = (1-α)/5 + α·4y, y = (1-α)/5 + α·x/4  →  x = 0.132 / 0.2775
    assert rows["hub"]["pagerank"] == pytest.approx(0.132 / 0.2775, abs=1e-4)
    assert sum(r["pagerank"] for r in rows.values()) == pytest.approx(1.0, abs=1e-3)


def test_pagerank_matches_the_closed_form_on_a_path():
    scores = pagerank(nx.path_graph(3))  # ends y, middle x: x = 0.05 + 0.85·2y·1, y = 0.05 + 0.85·x/2
    x = (0.05 + 0.85 * 0.05 * 2) / (1 - 0.85 * 0.85)
    assert scores[1] == pytest.approx(x, abs=1e-6)


def test_star_structural_holes(star):
    holes = structural_holes(star)
    assert holes["hub"] == pytest.approx((0.25, 4.0))
    assert holes["a"] == pytest.approx((1.0, 1.0))


def test_two_cliques_broker(two_cliques):
    rows = brokers(two_cliques)["rows"]
    assert rows[0]["id"] == "x"
    assert rows[0]["betweenness"] == pytest.approx(16 / 28, abs=1e-4)  # every a–b pair, of C(8, 2) pairs of others
    assert rows[0]["constraint"] == pytest.approx(0.5) and rows[0]["effective_size"] == pytest.approx(2.0)
    a1 = next(r for r in rows if r["id"] == "a1")
    assert a1["betweenness"] == pytest.approx(15 / 28, abs=1e-4)
    assert a1["effective_size"] == pytest.approx(4 - 2 * 3 / 4)  # n - 2t/n with 3 ties among its 4 contacts
    assert a1["constraint"] == pytest.approx(84 / 144, abs=1e-4)


def test_structural_holes_match_networkx_without_weights(two_cliques):
    S = nx.Graph(two_cliques.to_undirected())
    ours = structural_holes(S)
    constraint, size = nx.constraint(S), nx.effective_size(S)
    assert all(ours[n] == pytest.approx((constraint[n], size[n])) for n in S)


@pytest.mark.parametrize(("groups", "role"), [
    ("AAA", "coordinator"), ("ABA", "itinerant"), ("AAB", "representative"), ("ABB", "gatekeeper"), ("ABC", "liaison"),
])  # fmt: skip
def test_gould_fernandez_roles(groups, role):
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, dict(zip("abc", groups, strict=True)), "kind")
    roles = brokerage_roles(G)
    assert roles["b"] == {r: int(r == role) for r in roles["b"]}
    G.add_edge("a", "c")  # a closed triad brokers nothing
    assert sum(brokerage_roles(G)["b"].values()) == 0


def test_brokerage_roles_across_regions():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": ["32"], "b": ["32", "27"], "c": []}, "regions")
    # a lies in 32; b (two regions) and c (none) both count as "national": b lets a tie into its group
    assert brokerage_roles(G, by="region")["b"]["gatekeeper"] == 1


def test_communities_split_the_two_cliques(two_cliques):
    found = detect_communities(two_cliques, seed=1)
    assert len(found) == 2
    assert all(
        {f"{side}{i}" for i in range(1, 5)} <= c or not {f"{side}{i}" for i in range(1, 5)} & c for c in found for side in "ab"
    )
    result = communities(two_cliques, seed=1, members=1)
    assert [r["size"] for r in result["rows"]] == [5, 4]
    assert result["rows"][0]["kinds"] == "Organisation 5"
    assert result["membership"]["a2"] != result["membership"]["b2"]
    assert "modularity" in result["notes"][0]


def test_communities_are_reproducible_and_leave_the_global_rng_alone(two_cliques):
    state = random.getstate()
    assert detect_communities(two_cliques, seed=3) == detect_communities(two_cliques, seed=3)
    assert random.getstate() == state


def test_leiden_says_what_to_do_when_unavailable(two_cliques):
    try:
        found = detect_communities(two_cliques, method="leiden", seed=1)
    except AnalysisUnavailable as exc:
        assert "--method louvain" in str(exc)
    else:
        assert len(found) == 2


@pytest.fixture
def funding() -> nx.MultiDiGraph:
    """f1 funds p1 (100) and p2 (200); f2 funds p1 (50) and p2 (25); f3 funds p2 (10) and p3 (5)."""
    G = nx.MultiDiGraph()
    for funder, project, amount in [("f1", "p1", 100), ("f1", "p2", 200), ("f2", "p1", 50), ("f2", "p2", 25),
                                    ("f3", "p2", 10), ("f3", "p3", 5)]:  # fmt: skip
        G.add_edge(f"operator:{funder}", f"project:{project}", key="FUNDS", amount_eur=float(amount))
    G.add_edge("operator:f3", "project:p1", key="SUPPORTS")
    return G


def test_cofunding_projection(funding):
    assert [(r["funder_a"], r["funder_b"]) for r in cofunding(funding)["rows"]] == [("operator:f1", "operator:f2")]  # 2 shared
    rows = cofunding(funding, min_shared=1)["rows"]
    assert [(r["funder_a"][-2:], r["funder_b"][-2:], r["shared"], r["euros_a"], r["euros_b"], r["euros"]) for r in rows] == [
        ("f1", "f2", 2, 300.0, 75.0, 375.0), ("f1", "f3", 1, 200.0, 10.0, 210.0), ("f2", "f3", 1, 25.0, 10.0, 35.0),
    ]  # fmt: skip
    assert rows[0]["recipients"] == ["project:p1", "project:p2"]
    assert [r["funder_b"][-2:] for r in cofunding(funding, min_shared=2)["rows"]] == ["f2"]
    with_support = cofunding(funding, with_support=True, min_shared=2)["rows"]
    assert [(r["funder_a"][-2:], r["funder_b"][-2:]) for r in with_support] == [("f1", "f2"), ("f1", "f3"), ("f2", "f3")]


def test_comembership_projection():
    G = nx.MultiDiGraph([("operator:o1", "territory:t1"), ("operator:o1", "territory:t2"), ("operator:o2", "territory:t1"),
                         ("operator:o2", "territory:t2"), ("operator:o2", "territory:t3"), ("territory:t1", "epci:e")])  # fmt: skip
    for node in G:
        G.nodes[node]["kind"] = node.split(":")[0].capitalize()
    rows = comembership(G)["rows"]
    assert [(r["member_a"], r["member_b"], r["shared"]) for r in rows] == [
        ("territory:t1", "territory:t2", 2), ("territory:t1", "territory:t3", 1), ("territory:t2", "territory:t3", 1),
    ]  # fmt: skip
    assert rows[0]["partners"] == ["operator:o1", "operator:o2"]
    assert comembership(G, min_shared=2, top=5)["notes"][0].startswith("4 members (Epci, Territory); 1 pairs")


def test_compare_entered_left_and_ties(star):
    after = star.copy()
    after.remove_node("d")
    after.add_edge("a", "e", key="FUNDS")
    result = compare_graphs(star, after)
    changes = {r["id"]: r["change"] for r in result["actors"]}
    assert (changes["e"], changes["d"], changes["hub"]) == ("entered", "left", "stayed")
    a = next(r for r in result["actors"] if r["id"] == "a")
    assert (a["degree_before"], a["degree_after"], a["degree_change"]) == (1, 2, 1)
    assert a["betweenness_after"] > a["betweenness_before"] == 0
    assert [(t["change"], t["from"], t["type"], t["to"]) for t in result["ties"]] == [
        ("appeared", "a", "FUNDS", "e"), ("disappeared", "hub", "SUPPORTS", "d"),
    ]  # fmt: skip
    assert result["notes"] == ["1 actors entered, 1 left, 4 stayed; 1 ties appeared, 1 disappeared."]


def test_compare_orders_namesakes_by_id_whatever_the_hash_seed():
    """Two EPCI may share a name (two "CC des Quatre Rivières"): their rows, and --top, must not depend on set order."""
    before = nx.MultiDiGraph()
    before.add_nodes_from([("hub", {"kind": "Programme", "name": "Hub"})])
    before.add_nodes_from((f"epci:{n}", {"kind": "Epci", "name": "CC des Quatre Rivières"}) for n in range(8))
    before.add_edges_from((f"epci:{n}", "hub", "MEMBER_OF") for n in range(8))
    after = before.copy()
    after.add_edges_from(("hub", f"epci:{n}", "SUPPORTS") for n in range(8))
    result = compare_graphs(before, after)
    assert [r["id"] for r in result["actors"] if r["id"] != "hub"] == [f"epci:{n}" for n in range(8)]
    assert [r["to"] for r in result["ties"]] == [f"epci:{n}" for n in range(8)]


def test_betweenness_is_sampled_above_the_threshold_with_a_seed():
    big = nx.path_graph(EXACT_MAX + 1)
    assert sample_size(big) is not None and sample_size(nx.path_graph(EXACT_MAX)) is None
    small = nx.barabasi_albert_graph(300, 2, seed=1)
    state = random.getstate()
    first, again = betweenness(small, k=60, seed=5), betweenness(small, k=60, seed=5)
    assert first == again and random.getstate() == state
    exact = betweenness(small)
    top = max(exact, key=exact.get)
    assert abs(first[top] - exact[top]) < 0.35 * exact[top]


def test_centrality_notes_say_how_betweenness_was_computed(star):
    assert centrality(star)["notes"] == ["Betweenness is exact (5 actors)."]
    said = []
    note = centrality(star, k=2, seed=9, log=said.append)["notes"][0]
    assert said == [note] and "estimated from 2 of 5 actors" in note and "seed 9" in note


@pytest.mark.parametrize("k", [None, 1, 40])
def test_betweenness_equals_networkx(k):
    G = nx.barabasi_albert_graph(120, 2, seed=4)
    ours = betweenness(G, k=k, seed=11)
    theirs = nx.betweenness_centrality(G, k=k, seed=11)
    assert ours.keys() == theirs.keys()
    assert all(ours[n] == pytest.approx(theirs[n]) or (k == 1 and theirs[n] != theirs[n]) for n in G)


def test_pagerank_equals_networkx_power_iteration():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = nx.barabasi_albert_graph(80, 2, seed=2)
    ours, theirs = pagerank(G, tol=1e-10), _pagerank_python(G, tol=1e-10)
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-8) for n in G)


def test_comembership_leaves_out_partners_shared_by_too_many():
    G = nx.MultiDiGraph(
        [("programme:ti", f"territory:t{i}") for i in range(4)] + [("operator:o", "territory:t0"), ("operator:o", "territory:t1")]
    )
    for node in G:
        G.nodes[node]["kind"] = node.split(":")[0].capitalize()
    result = comembership(G, max_shared_by=3)
    assert [(r["member_a"], r["member_b"], r["partners"]) for r in result["rows"]] == [
        ("territory:t0", "territory:t1", ["operator:o"])
    ]
    assert (
        result["notes"][1]
        == "Left out 1 partners tied to more than 3 members (programme:ti); raise --max-shared-by to keep them."
    )
    assert len(comembership(G, max_shared_by=None)["rows"]) == 6


def test_label_propagation_is_seeded(two_cliques):
    first = communities(two_cliques, method="label-propagation", seed=2)
    assert first["membership"] == communities(two_cliques, method="label-propagation", seed=2)["membership"]
    assert first["notes"][0].startswith(f"{len(first['rows'])} communities by label propagation (seed 2)")
