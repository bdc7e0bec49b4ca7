"""The contract every backend keeps when it reads: run, columns, counts, NetworkX, neighbourhood.

Written once against `GraphBackend`, each test takes the parametrised ``backend`` fixture
(``tests/conftest.py``) or ``small`` built on it (``conftest.py``): it runs on the embedded engine
always, and on Neo4j when ``NEO4J_URI`` is set. Writing is in ``test_backend_contract_writes.py``;
backend-specific behaviour is tested in ``test_embedded.py``.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.backend import EdgeRow, GraphBackend
from graph.errors import QueryFailed, ReadOnlyViolation

HOSTILE = "Côte d'Opale \"sud\" '}) DETACH DELETE n //"


# ---------------------------------------------------------------- run, counts, NetworkX


def test_run_returns_plain_values(small: GraphBackend) -> None:
    [row] = small.run(
        "MATCH (o:Operator)-[f:FUNDS]->(p:Project) "
        "RETURN o, f.amount_eur AS amount, p.jobs AS jobs, o.sources AS sources, count(*) AS n"
    )
    assert type(row) is dict
    node = row["o"]
    assert type(node) is dict
    assert (node["key"], node["name"], node["sources"]) == ("bpifrance", "Bpifrance", ["doc-1"])
    assert row["amount"] == 1.5e6 and isinstance(row["amount"], float)
    assert row["jobs"] == 1200 and type(row["jobs"]) is int
    assert row["sources"] == ["doc-1"] and type(row["sources"]) is list
    assert row["n"] == 1 and type(row["n"]) is int


def test_columns_hold_what_run_returns_column_by_column(small: GraphBackend) -> None:
    query = "MATCH (n) RETURN n.key AS key, n.sources AS sources, n.jobs AS jobs ORDER BY key"
    rows = small.run(query)
    columns = small.columns(query)
    assert list(columns) == ["key", "sources", "jobs"] and len(rows) > 2
    assert columns == {name: [row[name] for row in rows] for name in ("key", "sources", "jobs")}
    assert type(columns["sources"][0]) is list and 1200 in columns["jobs"]
    assert small.columns("MATCH (n:Region {key: $key}) RETURN n.key AS key, n.name AS name", {"key": "none"}) == {"key": [], "name": []}
    with pytest.raises(ReadOnlyViolation):
        small.columns("MATCH (n:Region) SET n.name = 'x' RETURN n.key AS key")


def test_run_parameters_are_data(small: GraphBackend) -> None:
    before = small.counts()
    assert small.run("MATCH (n:Region) WHERE n.name = $name RETURN count(n) AS n", {"name": HOSTILE}) == [{"n": 0}]
    assert small.counts() == before
    small.upsert_nodes("Organisation", [{"key": "hostile", "name": HOSTILE}])
    assert small.run("MATCH (o:Organisation {name: $name}) RETURN o.name AS name", {"name": HOSTILE}) == [{"name": HOSTILE}]


def test_run_syntax_error_is_query_failed_in_one_line(backend: GraphBackend) -> None:
    with pytest.raises(QueryFailed) as caught:
        backend.run("MATCH (n RETURN n")
    assert "\n" not in str(caught.value)
    assert str(caught.value)
    assert backend.run("RETURN 1 AS one") == [{"one": 1}]  # still usable


def test_counts_shape(backend: GraphBackend) -> None:
    assert backend.counts() == {"nodes": {}, "relationships": {}}
    backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    backend.upsert_nodes("Department", [{"key": "62", "name": "Pas-de-Calais"}, {"key": "59", "name": "Nord"}])
    backend.upsert_edges("IN_REGION", [EdgeRow("Department", k, "Region", "32") for k in ("59", "62")])
    assert backend.counts() == {"nodes": {"Department": 2, "Region": 1}, "relationships": {"IN_REGION": 2}}


def test_to_networkx(small: GraphBackend) -> None:
    G = small.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    assert set(G) == {"region:32", "region:11", "department:62", "department:75", "operator:bpifrance", "project:gigafactory"}
    assert G.nodes["project:gigafactory"]["kind"] == "Project"
    assert G.nodes["project:gigafactory"]["jobs"] == 1200
    assert G.nodes["operator:bpifrance"]["sources"] == ["doc-1"]
    assert G.nodes["region:11"]["name"] == "Île-de-France"
    assert set(G.edges(keys=True)) == {
        ("department:62", "region:32", "IN_REGION"),
        ("department:75", "region:11", "IN_REGION"),
        ("operator:bpifrance", "project:gigafactory", "FUNDS"),
    }
    assert G.edges["department:62", "region:32", "IN_REGION"]["since"] == "2016"
    assert G.edges["operator:bpifrance", "project:gigafactory", "FUNDS"]["amount_eur"] == 1.5e6


def test_to_networkx_statebody_id_is_lower_case(backend: GraphBackend) -> None:
    backend.upsert_nodes("StateBody", [{"key": "anct", "name": "ANCT"}])
    G = backend.to_networkx()
    assert list(G.nodes(data="kind")) == [("statebody:anct", "StateBody")]


def test_to_networkx_filters(small: GraphBackend) -> None:
    G = small.to_networkx(labels=["Region", "Department"])
    assert set(G) == {"region:32", "region:11", "department:62", "department:75"}
    assert {k for _, _, k in G.edges(keys=True)} == {"IN_REGION"}
    G = small.to_networkx(rel_types=["FUNDS"])
    assert len(G) == 6
    assert list(G.edges(keys=True)) == [("operator:bpifrance", "project:gigafactory", "FUNDS")]
    G = small.to_networkx(labels=["Operator", "Region"], rel_types=["FUNDS"])
    assert set(G) == {"operator:bpifrance", "region:32", "region:11"} and G.number_of_edges() == 0


# ---------------------------------------------------------------- neighbourhood


@pytest.fixture
def hub(small: GraphBackend) -> GraphBackend:
    """``small`` plus a department with six communes (a hub), two documents, and a partner of the region."""
    small.upsert_nodes("Source", [{"key": "doc-1", "name": "Press"}, {"key": "doc-2", "name": "Never cited"}])
    small.upsert_nodes("Commune", [{"key": f"6200{i}", "name": f"Commune {i}"} for i in range(1, 7)])
    small.upsert_edges("IN_DEPARTMENT", [EdgeRow("Commune", f"6200{i}", "Department", "62") for i in range(1, 7)])
    small.upsert_edges("PARTNER_OF", [EdgeRow("Operator", "bpifrance", "Region", "32", {"sources": ["doc-1"]})])
    return small


def _as_sets(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    return dict(G.nodes(data=True)), {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}


def test_neighbourhood_is_the_export_cut_down(hub: GraphBackend) -> None:
    whole = hub.to_networkx()
    for depth in range(4):  # one graph for every depth: building it is the slow part
        reach = nx.single_source_shortest_path_length(whole.to_undirected(as_view=True), "project:gigafactory", cutoff=depth)
        expected = whole.subgraph([*reach, "source:doc-1"] if depth else reach).copy()
        G = hub.neighbourhood(["project:gigafactory"], depth)
        assert _as_sets(G) == _as_sets(expected), depth
        assert G.graph["complete"] and G.graph["unexpanded"] == {}
    assert set(hub.neighbourhood(["department:62"], 1, types=["IN_REGION"], direction="out")) == {"department:62", "region:32"}
    inward = hub.neighbourhood(["department:62"], 1, direction="in", ties=False)
    assert set(inward) == {"department:62", *(f"commune:6200{i}" for i in range(1, 7))}
    assert inward.number_of_edges() == 0
    reach = hub.neighbourhood(["department:62"], 1, direction="in", properties=False)  # the reach, unread
    assert dict(reach.nodes(data=True)) == {n: {"kind": d["kind"]} for n, d in inward.nodes(data=True)}
    assert set(hub.neighbourhood(["region:32", "region:99"], 0)) == {"region:32"}


def test_neighbourhood_caps_hubs_and_finds_paths(hub: GraphBackend) -> None:
    G = hub.neighbourhood(["region:32"], 2, limit=5)
    assert G.graph["unexpanded"] == {"department:62": 7}
    assert not G.graph["complete"]
    # Past the cap already, an actor with no tie left to follow is no hub: it is neither left out nor an error.
    seeds = [f"commune:6200{i}" for i in range(1, 7)] + ["operator:bpifrance"]
    up = hub.neighbourhood(seeds, 3, direction="out", types=["IN_DEPARTMENT", "IN_REGION", "PARTNER_OF"], limit=2)
    assert {"department:62", "region:32"} <= set(up) and up.graph["unexpanded"] == {"department:62": 1}
    assert set(G) == {"region:32", "department:62", "operator:bpifrance", "project:gigafactory", "source:doc-1"}
    G = hub.neighbourhood(["commune:62001", "project:gigafactory"], 6, between=True)
    assert G.graph["met"] and G.graph["complete"]
    path = ["commune:62001", "department:62", "region:32", "operator:bpifrance", "project:gigafactory"]
    assert nx.shortest_path(G.to_undirected(as_view=True), path[0], path[-1]) == path
    apart = hub.neighbourhood(["commune:62001", "project:gigafactory"], 3, between=True)
    assert not apart.graph["met"] and apart.graph["complete"] and not apart.graph["closed"]
    none = hub.neighbourhood(["commune:62001", "region:11"], 6, between=True)
    assert not none.graph["met"] and none.graph["closed"] and "region:11" in none
    assert hub.neighbourhood(["commune:62001", "region:11"], 3, between=True).graph["closed"]
