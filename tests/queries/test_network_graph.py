"""The actor network: kinds kept as nodes, regions placed through the geography, cuts by region, phase and date."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import ActorNotFound, SchemaError
from graph.scope import place_regions
from queries.network import analysis_graph, collapse

KINDS = {
    "region": "Region", "department": "Department", "commune": "Commune", "epci": "Epci", "territory": "Territory",
    "company": "Company", "operator": "Operator", "project": "Project", "person": "Person",
}  # fmt: skip


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """Two regions; in 32 a commune, an EPCI covered by a phase I and a phase II territory, a funded project."""
    G = nx.MultiDiGraph()
    edges = [
        ("department:62", "region:32", "IN_REGION", {}),
        ("commune:62119", "department:62", "IN_DEPARTMENT", {}),
        ("commune:62119", "epci:200072460", "IN_EPCI", {}),
        ("territory:I-t1", "epci:200072460", "COVERS", {"phase": "I"}),
        ("territory:II-t1", "epci:200072460", "COVERS", {"phase": "II"}),
        ("company:c", "commune:62119", "LOCATED_IN", {}),
        ("project:p", "commune:62119", "LOCATED_IN", {}),
        ("operator:o", "project:p", "FUNDS", {"amount_eur": 5.0, "year": 2020}),
        ("operator:o2", "territory:II-t1", "SUPPORTS", {}),
        ("person:x", "epci:200072460", "HOLDS_ROLE", {"since": "2014", "until": "2020-06-30"}),
        ("person:y", "epci:200072460", "HOLDS_ROLE", {"since": "2020-07-01"}),
        ("epci:247100589", "region:27", "IN_REGION", {}),
        ("operator:o3", "epci:247100589", "SUPPORTS", {}),
    ]
    for u, v, key, props in edges:
        G.add_edge(u, v, key=key, type=key, **props)
    for node in G:
        prefix, key = node.split(":")
        G.nodes[node].update(kind=KINDS[prefix], key=key, name=key.upper())
    G.nodes["region:32"]["name"] = "Hauts-de-France"
    G.nodes["territory:I-t1"]["phase"], G.nodes["territory:II-t1"]["phase"] = "I", "II"
    return G


def test_default_kinds_leave_out_communes_and_departments_and_isolates(G):
    A = analysis_graph(G)
    assert not {n for n in A if n.startswith(("commune:", "department:"))}
    assert "company:c" not in A  # tied only to its commune
    assert "company:c" in analysis_graph(G, isolates=True)
    assert A.nodes["operator:o"]["regions"] == ["32"]  # through its project's commune
    assert A.nodes["operator:o3"]["regions"] == ["27"]
    assert A.graph["region_names"]["32"] == "Hauts-de-France"


def test_place_regions_follow_the_geography(G):
    placed = place_regions(G)
    assert placed["epci:200072460"] == {"32"}  # through its commune
    assert placed["territory:II-t1"] == {"32"}  # through the EPCI it covers
    assert placed["project:p"] == {"32"}


@pytest.mark.parametrize("region", ["32", "region:32", "hauts-de-france"])
def test_region_keeps_the_actors_tied_to_it(G, region):
    A = analysis_graph(G, region=region)
    assert sorted(A) == [
        "epci:200072460", "operator:o", "operator:o2", "person:x", "person:y", "project:p", "territory:I-t1", "territory:II-t1",
    ]  # fmt: skip


def test_phase_keeps_its_territories_and_ties(G):
    A = analysis_graph(G, phase="I")
    assert "territory:I-t1" in A and "territory:II-t1" not in A
    assert "operator:o2" not in A  # its only tie was to the phase II territory
    assert {"person:x", "person:y"} <= set(A)  # both roles overlap 2018-2023
    B = analysis_graph(G, phase="II")
    assert "territory:II-t1" in B and "territory:I-t1" not in B
    assert "person:x" not in B and "person:y" in B


@pytest.mark.parametrize(("as_of", "present", "absent"), [
    ("2019", {"person:x", "territory:I-t1"}, {"person:y", "territory:II-t1"}),
    ("2020-06", {"person:x"}, {"person:y"}),  # until 2020-06-30 still holds on 2020-06-01
    ("2021-01-15", {"person:y"}, {"person:x"}),
    ("2024", {"person:y", "territory:II-t1", "operator:o"}, {"territory:I-t1"}),
])  # fmt: skip
def test_as_of_drops_what_does_not_hold(G, as_of, present, absent):
    A = analysis_graph(G, as_of=as_of)
    assert present <= set(A) and not absent & set(A)


def test_as_of_keeps_dated_facts_of_the_past(G):
    G.add_edge("operator:o", "territory:I-t1", key="SUPPORTS", date="2019-03")
    assert G.has_edge("operator:o", "territory:I-t1") and analysis_graph(G, as_of="2023").has_edge("operator:o", "territory:I-t1")
    assert not analysis_graph(G, as_of="2018").has_edge("operator:o", "territory:I-t1")


def test_kinds_override(G):
    A = analysis_graph(G, kinds=["epci", "Territory"])
    assert sorted(A) == ["epci:200072460", "territory:I-t1", "territory:II-t1"]


def test_unknown_region_kind_or_phase(G):
    with pytest.raises(ActorNotFound, match='No region "99"'):
        analysis_graph(G, region="99")
    with pytest.raises(SchemaError, match='Unknown kind "castle"'):
        analysis_graph(G, kinds=["castle"])
    with pytest.raises(SchemaError, match='Unknown phase "III"'):
        analysis_graph(G, phase="III")


def test_collapse_counts_ties_and_keeps_direction_when_asked():
    M = nx.MultiDiGraph([("a", "b", "FUNDS"), ("a", "b", "SIGNED"), ("b", "a", "PARTNER_OF")])
    assert collapse(M)["a"]["b"] == {"weight": 3, "types": ["FUNDS", "PARTNER_OF", "SIGNED"]}
    D = collapse(M, directed=True)
    assert D["a"]["b"]["weight"] == 2 and D["b"]["a"]["weight"] == 1


def test_the_map_holds_from_its_start_if_it_has_one(G):
    """The first vintage loaded gives the map no ``since``; an EPCI a later vintage started (2025) began then."""
    G.add_edge("epci:200099999", "region:32", key="IN_REGION", since="2025")
    G.nodes["epci:200099999"].update(kind="Epci", key="200099999", name="New", since="2025")
    G.add_edge("operator:o", "epci:200099999", key="SUPPORTS")
    A = analysis_graph(G, phase="I")
    assert {"epci:200072460", "territory:I-t1", "person:x"} <= set(A) and "epci:200099999" not in A
    assert A.nodes["operator:o"]["regions"] == ["32"]
    assert "epci:200099999" in analysis_graph(G, as_of="2026")


def test_names_once_merges_the_phases_of_one_territory():
    from queries.network import label, names_once

    G = nx.MultiDiGraph()
    G.add_nodes_from([
        ("territory:I-1", {"kind": "Territory", "name": "Interdépartemental Gers Tarn-et-Garonne", "phase": "I"}),
        ("territory:II-7", {"kind": "Territory", "name": "Interdépartemental Gers – Tarn-et-Garonne", "phase": "II"}),
        ("territory:II-8", {"kind": "Territory", "name": "Finistère", "phase": "II"}),
        ("company:1", {"kind": "Company", "name": "Finistère"}), ("company:2", {"kind": "Company", "name": "Finistère"}),
    ])  # fmt: skip
    assert names_once(G, ["territory:II-7", "company:1", "territory:I-1", "territory:II-8", "company:2"]) == [
        "Interdépartemental Gers – Tarn-et-Garonne (I, II)", "Finistère", "Finistère (II)", "Finistère",
    ]  # fmt: skip
    assert label(G, "territory:II-8") == "Finistère (II)" and label(G, "company:1") == "Finistère"
