"""Views, measures and reductions: what a page shows, on small hand-made graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.errors import ActorNotFound, SchemaError
from viz.measures import actors_of, community_of, euros, size_measure
from viz.reduce import collapse_communities, top_view
from viz.views import NoPath, ego_view, filter_view, ids_in_rows, nodes_view, path_view, territory_view


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """Two regions, a territory of each phase with an EPCI, a project, a funder, a company, a source."""
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:s1", kind="Source", key="s1", name="Bilan", date="2019")
    nodes = {
        "region:32": ("Region", "Hauts-de-France", {}),
        "region:11": ("Region", "Île-de-France", {}),
        "department:62": ("Department", "Pas-de-Calais", {}),
        "epci:200072460": ("Epci", "CA Béthune-Bruay", {}),
        "territory:I-ti-3204": ("Territory", "Béthune-Bruay", {"phase": "I"}),
        "territory:II-ti-3207": ("Territory", "Béthune-Bruay II", {"phase": "II"}),
        "project:usine": ("Project", "Usine", {}),
        "company:123456782": ("Company", "Acme", {}),
        "operator:bpifrance": ("Operator", "Bpifrance", {}),
        "operator:bdt": ("Operator", "Banque des Territoires", {}),
        "company:999": ("Company", "Paris SA", {}),
    }
    for node, (kind, name, props) in nodes.items():
        G.add_node(node, kind=kind, key=node.partition(":")[2], name=name, sources=["s1"], **props)
    ties = [
        ("department:62", "region:32", "IN_REGION", {}),
        ("epci:200072460", "department:62", "IN_DEPARTMENT", {}),
        ("territory:I-ti-3204", "epci:200072460", "COVERS", {"phase": "I"}),
        ("territory:II-ti-3207", "epci:200072460", "COVERS", {"phase": "II"}),
        ("project:usine", "epci:200072460", "LOCATED_IN", {}),
        ("company:123456782", "project:usine", "CARRIES", {}),
        ("operator:bpifrance", "project:usine", "FUNDS", {"amount_eur": 2e6}),
        ("operator:bdt", "territory:I-ti-3204", "SUPPORTS", {}),
        ("company:999", "region:11", "LOCATED_IN", {}),
    ]
    for u, v, k, props in ties:
        G.add_edge(u, v, key=k, type=k, sources=["s1"], **props)
    return G


def test_every_view_keeps_the_sources_for_tooltips(G):
    for view in (ego_view(G, "region:32"), territory_view(G, "territory:I-ti-3204"), nodes_view(G, ["region:32"])):
        assert "source:s1" in view


def test_territory_view_shows_the_programmes_present(G):
    G.add_node("commune:62119", kind="Commune", key="62119", name="Béthune")
    G.add_node("site:pao-62-1", kind="Site", key="pao-62-1", name="Béthune")
    G.add_node("programme:pao", kind="Programme", key="pao", name="Projet et appui opérationnel")
    G.add_edge("commune:62119", "epci:200072460", key="IN_EPCI", type="IN_EPCI")
    G.add_edge("site:pao-62-1", "commune:62119", key="COVERS", type="COVERS")
    G.add_edge("site:pao-62-1", "programme:pao", key="LABELLED", type="LABELLED")
    assert {"site:pao-62-1", "programme:pao"} <= set(territory_view(G, "territory:I-ti-3204"))


def test_ego_view_does_not_walk_through_documents(G):
    assert actors_of(ego_view(G, "company:999", depth=3)) == ["company:999", "region:11"]


def test_filter_by_region_keeps_its_places_and_the_actors_tied_to_them(G):
    kept = actors_of(filter_view(G, region="Hauts-de-France"))
    assert "company:999" not in kept and "region:11" not in kept
    assert {"region:32", "department:62", "epci:200072460", "project:usine", "territory:I-ti-3204"} <= set(kept)
    assert actors_of(filter_view(G, region="32")) == actors_of(filter_view(G, region="region:32")) == kept


def test_filter_by_phase_drops_the_other_phase(G):
    H = filter_view(G, phase="II")
    assert "territory:I-ti-3204" not in H and "territory:II-ti-3207" in H
    assert all(d.get("phase") in (None, "II") for *_, d in H.edges(data=True))


def test_filter_by_kinds(G):
    assert actors_of(filter_view(G, kinds=["operator", "Company"])) == [
        "company:123456782", "company:999", "operator:bdt", "operator:bpifrance",
    ]  # fmt: skip


@pytest.mark.parametrize(("option", "error"), [({"region": "99"}, ActorNotFound), ({"kinds": ["widget"]}, SchemaError)])
def test_filter_errors_say_what_to_give(G, option, error):
    with pytest.raises(error, match="99|widget"):
        filter_view(G, **option)


def test_territory_view_has_its_epci_projects_companies_and_funders(G):
    kept = set(actors_of(territory_view(G, "territory:I-ti-3204")))
    assert {"epci:200072460", "project:usine", "company:123456782", "operator:bpifrance", "operator:bdt"} <= kept
    assert "company:999" not in kept and "territory:II-ti-3207" not in kept


def test_territory_view_refuses_another_kind(G):
    with pytest.raises(SchemaError, match="tdi viz ego region:32"):
        territory_view(G, "region:32")


def test_path_view_and_no_path(G):
    assert actors_of(path_view(G, "operator:bpifrance", "region:32")) == [
        "department:62", "epci:200072460", "operator:bpifrance", "project:usine", "region:32",
    ]  # fmt: skip
    with pytest.raises(NoPath, match="No path joins operator:bpifrance and company:999"):
        path_view(G, "operator:bpifrance", "company:999")


def test_ids_in_rows_reads_ids_lists_nodes_and_paths(G):
    rows = [
        {"id": "region:32", "name": "region:11 is not an id column but a value"},
        {"ids": ["project:usine", "nowhere:1"], "node": {"_id": "operator:bdt"}},
        {"path": {"nodes": [{"_id": "company:999"}], "relationships": []}},
    ]
    assert ids_in_rows(rows, G) == ["company:999", "operator:bdt", "project:usine", "region:32"]


def test_size_measures(G):
    assert size_measure(G, "degree")["epci:200072460"] == 4.0
    assert max(size_measure(G, "betweenness"), key=size_measure(G, "betweenness").get) == "epci:200072460"
    assert euros(G)["operator:bpifrance"] == euros(G)["project:usine"] == 2e6
    with pytest.raises(SchemaError, match="degree, betweenness, euros"):
        size_measure(G, "fame")


def test_communities_are_seeded_and_numbered_from_the_largest(G):
    first, again = community_of(G, seed=3), community_of(G, seed=3)
    assert first == again and set(first) == set(actors_of(G))
    sizes = [list(first.values()).count(i) for i in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)


def test_communities_do_not_depend_on_the_order_the_ties_were_read_in():
    """A neighbourhood read from the store comes in an order that varies with Python's hash seed."""
    rng = random.Random(5)
    ties = [(f"epci:{rng.randrange(80)}", f"epci:{rng.randrange(80)}") for _ in range(200)]
    ties = [(u, v) for u, v in ties if u != v]
    first = community_of(nx.MultiDiGraph(ties))
    for seed in range(5):
        shuffled = random.Random(seed).sample(ties, len(ties))
        assert community_of(nx.MultiDiGraph(shuffled)) == first


def test_top_view_keeps_the_largest_and_says_what_it_left_out(G):
    values = size_measure(G, "degree")
    H, notice = top_view(G, values, max_nodes=3, measure="degree")
    assert len(actors_of(H)) == 3 and "source:s1" in H
    assert "11 actors, more than 3" in notice and "8 are left out" in notice and "tdi viz ego ID" in notice
    assert top_view(G, values, max_nodes=50, measure="degree") == (G, "")


def test_collapse_gives_one_node_per_community_with_counted_ties(G):
    membership = community_of(G)
    C = collapse_communities(G, membership)
    assert C.number_of_nodes() == len(set(membership.values()))
    assert sum(d["members"] for _, d in C.nodes(data=True)) == len(actors_of(G))
    assert all(d["count"] >= 1 for *_, d in C.edges(data=True))
