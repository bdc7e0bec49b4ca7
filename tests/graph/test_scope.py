"""graph.scope: what --region, --phase, --as-of and --kinds keep, the same for views and analyses."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import ActorNotFound, SchemaError
from graph.regions import region_key
from graph.scope import region_code, select
from queries.network import analysis_graph
from viz.views import filter_view

KINDS = {
    "region": "Region", "department": "Department", "commune": "Commune", "epci": "Epci", "territory": "Territory",
    "company": "Company", "operator": "Operator", "project": "Project", "person": "Person", "agreement": "Agreement",
    "source": "Source",
}  # fmt: skip


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    """Regions 32 and 11; in 32 a commune, an EPCI with a territory of each phase, dated ties and a dated agreement."""
    G = nx.MultiDiGraph()
    edges = [
        ("department:62", "region:32", "IN_REGION", {}),
        ("commune:62119", "department:62", "IN_DEPARTMENT", {}),
        ("commune:62119", "epci:200072460", "IN_EPCI", {}),
        ("territory:I-t1", "epci:200072460", "COVERS", {"phase": "I"}),
        ("territory:II-t1", "epci:200072460", "COVERS", {"phase": "II"}),
        ("project:p", "commune:62119", "LOCATED_IN", {}),
        ("operator:o", "project:p", "FUNDS", {"year": 2020}),
        ("operator:o2", "territory:II-t1", "SUPPORTS", {}),
        ("person:x", "epci:200072460", "HOLDS_ROLE", {"since": "2014", "until": "2020-06-30"}),
        ("operator:o", "agreement:a", "SIGNED", {}),
        ("agreement:a", "territory:I-t1", "CONCERNS", {}),
        ("company:paris", "region:11", "LOCATED_IN", {}),
        ("operator:o", "company:paris", "SUPPORTS", {}),
    ]
    for u, v, key, props in edges:
        G.add_edge(u, v, key=key, type=key, sources=["s1"], **props)
    G.add_node("source:s1")
    for node in G:
        prefix, key = node.split(":")
        G.nodes[node].update(kind=KINDS[prefix], key=key, name=key.upper())
    G.nodes["region:32"]["name"] = "Hauts-de-France"
    G.nodes["territory:I-t1"]["phase"], G.nodes["territory:II-t1"]["phase"] = "I", "II"
    G.nodes["agreement:a"]["date"] = "2019-05-02"
    return G


def test_phase_keeps_what_holds_in_it_by_attribute_and_by_date(G):
    kept = set(select(G, phase="II").nodes)
    assert "territory:II-t1" in kept and "territory:I-t1" not in kept
    assert "agreement:a" not in kept  # dated 2019: phase I's years
    assert "person:x" in kept  # an actor without dates holds always; its 2014-2020 role does not
    assert not select(G, phase="II").graph.has_edge("person:x", "epci:200072460")
    assert "agreement:a" in select(G, phase="i").nodes  # any case


def test_a_label_lasts_from_its_date():
    """A site's LABELLED is dated by its signature: the label holds from then on, unlike a dated event."""
    H = nx.MultiDiGraph()
    H.add_edge("site:pvd-1", "programme:pvd", key="LABELLED", date="2021-03")
    H.add_edge("operator:o", "territory:t", key="SUPPORTS", date="2021-03")
    for node, kind in [("site:pvd-1", "Site"), ("programme:pvd", "Programme"), ("operator:o", "Operator"), ("territory:t", "Territory")]:
        H.nodes[node]["kind"] = kind
    assert [k for *_, k in select(H, phase="II").graph.edges(keys=True)] == ["LABELLED"]
    assert sorted(k for *_, k in select(H, phase="I").graph.edges(keys=True)) == ["LABELLED", "SUPPORTS"]
    assert [k for *_, k in select(H, as_of="2020").graph.edges(keys=True)] == []


def test_as_of_keeps_what_holds_on_the_day(G):
    assert select(G, as_of="2020-06").graph.has_edge("person:x", "epci:200072460")
    assert not select(G, as_of="2021").graph.has_edge("person:x", "epci:200072460")
    assert "agreement:a" in select(G, as_of="2022").nodes and "agreement:a" not in select(G, as_of="2018").nodes
    assert {"territory:II-t1", "territory:I-t1"} & set(select(G, as_of="2025").nodes) == {"territory:II-t1"}


def test_region_keeps_its_places_and_the_actors_tied_to_them(G):
    kept = set(select(G, region="32").nodes)
    assert {"region:32", "department:62", "commune:62119", "epci:200072460", "territory:I-t1", "project:p"} <= kept
    assert {"operator:o", "operator:o2", "person:x", "agreement:a"} <= kept  # tied to places or things located there
    assert not {"region:11", "company:paris"} & kept  # another region, even if tied to an actor kept
    assert set(select(G, region="hauts-de-france").nodes) == set(select(G, region="region:32").nodes) == kept


def test_kinds_keep_actors_of_these_kinds_after_placing_them(G):
    assert sorted(select(G, region="32", kinds=["operator", "Person"]).nodes) == ["operator:o", "operator:o2", "person:x"]


def test_views_and_analyses_keep_the_same_actors(G):
    for options in ({"region": "32"}, {"phase": "I"}, {"region": "32", "phase": "II", "kinds": ["operator", "territory"]}):
        view = {n for n in filter_view(G, **options) if not n.startswith("source:")}
        actors = set(analysis_graph(G, isolates=True, kinds=options.pop("kinds", ["epci", "territory", "operator",
                                                                                "project", "person", "agreement"]), **options))  # fmt: skip
        assert actors <= view and actors, options
    assert "source:s1" in filter_view(G, region="32")  # pages name their sources


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"region": "99"}, ActorNotFound, 'No region "99"'),
    ({"kinds": ["castle"]}, SchemaError, 'Unknown kind "castle" in --kinds'),
    ({"phase": "III"}, SchemaError, 'Unknown phase "III"'),
])  # fmt: skip
def test_bad_options_say_what_to_give(G, options, error, message):
    with pytest.raises(error, match=message):
        select(G, **options)


def test_region_code_reads_codes_ids_and_names(G):
    assert {region_code(G, t) for t in ("32", "REGION:32", " Hauts-de-France ")} == {"32"}


@pytest.mark.parametrize("text", ["Hauts de France", "hauts-de-france", "HAUTS DE FRANCE", "Région Hauts-de-France", "Conseil régional des Hauts-de-France"])
def test_region_names_are_read_as_the_name_matcher_reads_them(G, text):
    assert region_code(G, text) == "32"


@pytest.mark.parametrize(("text", "key"), [
    ("Provence-Alpes-Côte d’Azur", "93"), ("provence alpes cote d azur", "93"), ("ile de france", "11"), ("Sud", "93"),
    ("Département du Nord", None), ("Région", None), ("France", None),
])  # fmt: skip
def test_region_key_reads_spellings_and_aliases_but_no_other_kind(text, key):
    regions = [("93", "Provence-Alpes-Côte d'Azur", ["Sud"]), ("11", "Île-de-France", []), ("32", "Hauts-de-France", ["la Région"])]
    assert region_key(text, regions) == key


def test_a_view_of_a_part_is_placed_by_what_the_store_says(G):
    """A view that holds a commune but not its region keeps it when the store says it lies in the region."""
    part = G.subgraph(["commune:62119", "project:p", "operator:o", "source:s1"]).copy()
    assert set(select(part, region="32", placed={"commune:62119": {"32"}}).nodes) == {"commune:62119", "project:p", "operator:o"}
    assert select(part, region="11", placed={"commune:62119": {"32"}}).nodes == []


def test_a_small_cut_keeps_the_graph_order_of_nodes_and_ties():
    # Seeded measures (Louvain) depend on the order of nodes: it must not follow a set's, which changes
    # with each process's string hashing.
    G = nx.MultiDiGraph()
    G.add_nodes_from((f"epci:{i:03d}", {"kind": "Epci"}) for i in range(200))
    G.add_edges_from((f"epci:{i:03d}", f"epci:{i + 1:03d}", "PARTNER_OF") for i in range(199))
    G.add_nodes_from((f"commune:{i:03d}", {"kind": "Commune"}) for i in range(600))
    cut = select(G, kinds=["epci"]).subgraph()
    assert list(cut) == [f"epci:{i:03d}" for i in range(200)]
    assert list(cut.edges(keys=True)) == list(G.edges(keys=True))
    assert cut.edges["epci:000", "epci:001", "PARTNER_OF"] is not G.edges["epci:000", "epci:001", "PARTNER_OF"]
