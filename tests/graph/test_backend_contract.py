"""The contract every backend keeps, written once against `GraphBackend`.

Each test takes the parametrised ``backend`` fixture (``tests/conftest.py``): it runs on the
embedded engine always, and on Neo4j when ``NEO4J_URI`` is set. The transaction tests also run on
the embedded engine in batched mode, Neo4j's write path (``WRITE_PATHS``, `graph.batched_loads`).
Backend-specific behaviour is tested in ``test_embedded.py``.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import InvalidKey, QueryFailed, ReadOnlyViolation, SchemaError
from graph.store import BATCH_SIZE, SCAN_MIN
from tests.conftest import WRITE_PATHS

every_write_path = pytest.mark.parametrize("backend", WRITE_PATHS, indirect=True)

HOSTILE = "Côte d'Opale \"sud\" '}) DETACH DELETE n //"


def _created(stats: WriteStats) -> int:
    return sum(stats.created.values())


def _updated(stats: WriteStats) -> int:
    return sum(stats.updated.values())


def _unchanged(stats: WriteStats) -> int:
    return sum(stats.unchanged.values())


@pytest.fixture
def small(backend: GraphBackend) -> GraphBackend:
    """Two regions, two departments, an operator, a project, and a few relationships."""
    backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}])
    backend.upsert_nodes("Department", [{"key": "62", "name": "Pas-de-Calais"}, {"key": "75", "name": "Paris"}])
    backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance", "sources": ["doc-1"]}])
    backend.upsert_nodes("Project", [{"key": "gigafactory", "name": "Gigafactory", "jobs": 1200}])
    backend.upsert_edges(
        "IN_REGION",
        [EdgeRow("Department", "62", "Region", "32", {"since": "2016"}), EdgeRow("Department", "75", "Region", "11")],
    )
    backend.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": 1.5e6})])
    return backend


# ---------------------------------------------------------------- nodes


def test_upsert_nodes_creates_then_reports_unchanged(backend: GraphBackend) -> None:
    rows = [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}]
    first = backend.upsert_nodes("Region", rows)
    assert (first.created["Region"], _updated(first), _unchanged(first)) == (2, 0, 0)
    before = backend.counts()
    second = backend.upsert_nodes("Region", rows)
    assert (_created(second), _updated(second), second.unchanged["Region"]) == (0, 0, 2)
    assert not second.changed
    assert backend.counts() == before == {"nodes": {"Region": 2}, "relationships": {}}


def test_upsert_nodes_updates_a_changed_property(backend: GraphBackend) -> None:
    backend.upsert_nodes("Region", [{"key": "32", "name": "Nord-Pas-de-Calais-Picardie"}])
    stats = backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}])
    assert (stats.created["Region"], stats.updated["Region"], _unchanged(stats)) == (1, 1, 0)
    rows = backend.run("MATCH (r:Region {key: $key}) RETURN r.name AS name", {"key": "32"})
    assert rows == [{"name": "Hauts-de-France"}]


def test_list_properties_are_united_and_none_keeps_old_values(backend: GraphBackend) -> None:
    backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance", "aliases": ["BPI"], "sources": ["a"], "url": "https://bpifrance.fr"}])
    stats = backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": None, "aliases": ["Bpi France", "BPI"], "sources": ["b"], "url": None}])
    assert stats.updated["Operator"] == 1
    [row] = backend.run("MATCH (o:Operator) RETURN o.name AS name, o.aliases AS aliases, o.sources AS sources, o.url AS url")
    assert row == {"name": "Bpifrance", "aliases": ["BPI", "Bpi France"], "sources": ["a", "b"], "url": "https://bpifrance.fr"}


def test_rows_with_the_same_key_in_one_call_are_merged(backend: GraphBackend) -> None:
    stats = backend.upsert_nodes("Operator", [{"key": "ademe", "name": "ADEME", "sources": ["a"]}, {"key": "ademe", "sources": ["b"]}])
    assert stats.created["Operator"] == 1
    assert backend.run("MATCH (o:Operator) RETURN o.sources AS s") == [{"s": ["a", "b"]}]


def test_checked_rows_merge_and_compare_as_the_rows_checked_here(small: GraphBackend) -> None:
    """Rows a loader has checked and coerced already (``checked=True``, `loaders.table_load`) give the same results."""
    small.upsert_nodes("Project", [{"key": "gigafactory", "name": "Gigafactory", "jobs": "1200"}])  # checked here: 1200
    typed = {"key": "gigafactory", "name": "Gigafactory", "jobs": 1200}
    assert _unchanged(small.upsert_nodes("Project", [typed], checked=True)) == 1
    stats = small.upsert_nodes("Project", [typed, {"key": "gigafactory", "sources": ["a"]}], checked=True)
    assert stats.updated["Project"] == 1
    assert small.run("MATCH (p:Project) RETURN p.jobs AS jobs, p.sources AS s") == [{"jobs": 1200, "s": ["a"]}]
    edge = EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": 1.5e6})
    assert _unchanged(small.upsert_edges("FUNDS", [edge], checked=True)) == 1
    edge = EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": 2e6})
    assert small.upsert_edges("FUNDS", [edge], checked=True).updated["FUNDS"] == 1


@pytest.mark.parametrize(
    ("label", "row", "missing"),
    [
        ("Territory", {"key": "II-ti-6201", "name": "Béthune-Bruay"}, "phase"),
        ("Figure", {"key": "jobs-created", "name": "Jobs created"}, "value"),
        ("Operator", {"key": "ademe"}, "name"),
    ],
)
def test_required_property_missing_on_a_new_node(backend: GraphBackend, label: str, row: dict, missing: str) -> None:
    with pytest.raises(SchemaError, match=f'"{missing}"'):
        backend.upsert_nodes(label, [row])
    assert backend.counts()["nodes"] == {}


def test_required_property_may_be_omitted_when_updating(backend: GraphBackend) -> None:
    backend.upsert_nodes("Territory", [{"key": "II-ti-6201", "name": "Béthune-Bruay", "phase": "II"}])
    stats = backend.upsert_nodes("Territory", [{"key": "II-ti-6201", "aliases": ["Artois"]}])
    assert stats.updated["Territory"] == 1


def test_unknown_property_is_refused(backend: GraphBackend) -> None:
    with pytest.raises(SchemaError, match='no property "colour"'):
        backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France", "colour": "blue"}])
    assert backend.counts()["nodes"] == {}


def test_unknown_kind_is_refused(backend: GraphBackend) -> None:
    with pytest.raises(SchemaError, match='Unknown kind "spaceship"'):
        backend.upsert_nodes("Spaceship", [{"key": "x", "name": "X"}])


def test_wrongly_typed_value_is_refused(backend: GraphBackend) -> None:
    with pytest.raises(SchemaError, match='"jobs" is "many"'):
        backend.upsert_nodes("Project", [{"key": "p", "name": "P", "jobs": "many"}])


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Company", "200072461"),  # bad Luhn checksum
        ("Company", "20007246"),  # 8 digits
        ("Epci", "2000724600"),  # 10 digits
        ("Region", "999"),
        ("Department", "2C"),
        ("Commune", "6211"),
        ("Territory", "ti-6201"),  # no phase
        ("Territory", "III-ti-6201"),
        ("Operator", "Banque des Territoires"),
    ],
)
def test_malformed_key_raises_invalid_key_naming_the_value(backend: GraphBackend, label: str, key: str) -> None:
    with pytest.raises(InvalidKey) as caught:
        backend.upsert_nodes(label, [{"key": key, "name": "X", "phase": "II"} if label == "Territory" else {"key": key, "name": "X"}])
    assert f'"{key}"' in str(caught.value)
    assert backend.counts()["nodes"] == {}


def test_well_formed_keys_are_accepted(backend: GraphBackend) -> None:
    backend.upsert_nodes("Company", [{"key": "200072460", "name": "A company"}])
    backend.upsert_nodes("Department", [{"key": k, "name": k} for k in ("62", "2A", "2B", "971")])
    backend.upsert_nodes("Region", [{"key": k, "name": k} for k in ("32", "01", "975")])
    backend.upsert_nodes("Territory", [{"key": "I-ti-6201", "name": "T", "phase": "I"}])
    assert backend.counts()["nodes"] == {"Company": 1, "Department": 4, "Region": 3, "Territory": 1}


# ---------------------------------------------------------------- relationships


def test_upsert_edges_creates_then_is_idempotent(small: GraphBackend) -> None:
    before = small.counts()
    assert before["relationships"] == {"FUNDS": 1, "IN_REGION": 2}
    stats = small.upsert_edges("IN_REGION", [EdgeRow("Department", "62", "Region", "32", {"since": "2016"})])
    assert (_created(stats), _updated(stats), stats.unchanged["IN_REGION"]) == (0, 0, 1)
    assert small.counts() == before


def test_upsert_edges_merges_properties(small: GraphBackend) -> None:
    edge = EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"year": 2024, "sources": ["a"]})
    stats = small.upsert_edges("FUNDS", [edge])
    assert stats.updated["FUNDS"] == 1
    small.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": None, "sources": ["b", "a"]})])
    rows = small.run("MATCH (:Operator)-[f:FUNDS]->(:Project) RETURN f.amount_eur AS amount, f.year AS year, f.sources AS sources")
    assert rows == [{"amount": 1.5e6, "year": 2024, "sources": ["a", "b"]}]
    assert small.counts()["relationships"]["FUNDS"] == 1


def test_edge_between_kinds_the_schema_does_not_allow(small: GraphBackend) -> None:
    before = small.counts()
    with pytest.raises(SchemaError, match="IN_REGION cannot go from Operator to Region"):
        small.upsert_edges("IN_REGION", [EdgeRow("Operator", "bpifrance", "Region", "32")])
    assert small.counts() == before


def test_unknown_relationship_type_or_property(small: GraphBackend) -> None:
    with pytest.raises(SchemaError, match='Unknown relationship type "LOVES"'):
        small.upsert_edges("LOVES", [EdgeRow("Department", "62", "Region", "32")])
    with pytest.raises(SchemaError, match='no property "weight"'):
        small.upsert_edges("IN_REGION", [EdgeRow("Department", "62", "Region", "32", {"weight": 2})])


@pytest.mark.parametrize(
    ("edge", "named"),
    [
        (EdgeRow("Department", "59", "Region", "32"), "department:59"),
        (EdgeRow("Department", "62", "Region", "84"), "region:84"),
    ],
)
def test_missing_endpoint_names_it_and_leaves_the_graph_unchanged(small: GraphBackend, edge: EdgeRow, named: str) -> None:
    before = small.counts()
    good = EdgeRow("Department", "75", "Region", "32")  # would be new: must not be written either
    with pytest.raises(SchemaError, match=named):
        small.upsert_edges("IN_REGION", [good, edge])
    assert small.counts() == before
    assert small.run("MATCH (:Department {key: '75'})-[:IN_REGION]->(r:Region) RETURN r.key AS key") == [{"key": "11"}]


# ---------------------------------------------------------------- transactions


@every_write_path
def test_exception_in_transaction_rolls_back_nodes_and_edges(small: GraphBackend) -> None:
    before = small.counts()
    with pytest.raises(RuntimeError, match="boom"), small.transaction():
        small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        small.upsert_nodes("Department", [{"key": "69", "name": "Rhône"}])
        small.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance renamed"}])
        small.upsert_edges("IN_REGION", [EdgeRow("Department", "69", "Region", "84")])
        small.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"year": 2030})])
        assert small.counts() != before
        raise RuntimeError("boom")
    assert small.counts() == before
    assert small.run("MATCH (o:Operator)-[f:FUNDS]->() RETURN o.name AS name, f.year AS year") == [{"name": "Bpifrance", "year": None}]


@pytest.mark.parametrize("projects", [30, SCAN_MIN + 10])
def test_relationships_from_one_actor_to_many_are_found_again(backend: GraphBackend, projects: int) -> None:
    """Looked up by the end with more distinct keys (the projects), directly or after a scan of the type."""
    keys = [f"project-{i}" for i in range(projects)]
    backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance"}])
    backend.upsert_nodes("Project", [{"key": k, "name": k} for k in keys])
    edges = [EdgeRow("Operator", "bpifrance", "Project", k, {"year": 2020}) for k in keys]
    assert _created(backend.upsert_edges("FUNDS", edges)) == projects
    edges[3] = EdgeRow("Operator", "bpifrance", "Project", "project-3", {"year": 2024})
    again = backend.upsert_edges("FUNDS", edges)
    assert (_created(again), _updated(again), _unchanged(again)) == (0, 1, projects - 1)
    assert backend.run("MATCH (:Operator)-[f:FUNDS]->(p:Project {key: 'project-3'}) RETURN f.year AS year") == [{"year": 2024}]


def test_a_scan_of_relationships_reads_back_only_the_pairs_asked(backend: GraphBackend) -> None:
    """From `SCAN_MIN` pairs on, one scan of the type (ends and properties) replaces the lookups: the
    other actors' relationships, and those of the actors asked that the rows do not give, stay as they are."""
    keys = [f"project-{i}" for i in range(SCAN_MIN + 10)]
    backend.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance"}, {"key": "ademe", "name": "Ademe"}])
    backend.upsert_nodes("Project", [{"key": k, "name": k} for k in keys])
    backend.upsert_edges("FUNDS", [EdgeRow("Operator", o, "Project", k, {"year": 2020}) for o in ("bpifrance", "ademe") for k in keys])
    asked = [EdgeRow("Operator", "bpifrance", "Project", k, {"year": 2020, "sources": ["s"] if k == "project-7" else None}) for k in keys[5:]]
    asked[10] = EdgeRow("Operator", "bpifrance", "Project", keys[15], {"year": 2024})
    again = backend.upsert_edges("FUNDS", asked)
    assert (_created(again), _updated(again), _unchanged(again)) == (0, 2, len(asked) - 2)
    rows = backend.run("MATCH (o:Operator)-[f:FUNDS]->(p:Project) WHERE f.year = 2024 OR size(f.sources) > 0 RETURN o.key AS o, p.key AS project, f.year AS year, f.sources AS sources ORDER BY project")
    assert rows == [{"o": "bpifrance", "project": "project-15", "year": 2024, "sources": []},
                    {"o": "bpifrance", "project": "project-7", "year": 2020, "sources": ["s"]}]  # fmt: skip
    assert backend.counts()["relationships"]["FUNDS"] == 2 * len(keys)


def test_bad_row_late_in_a_multi_batch_upsert_writes_nothing(small: GraphBackend) -> None:
    before = small.counts()
    rows = [{"key": f"person-{i}", "name": f"Person {i}"} for i in range(BATCH_SIZE + 500)]
    rows.insert(BATCH_SIZE + 200, {"key": "Not A Slug", "name": "Bad"})
    with pytest.raises(InvalidKey, match="Not A Slug"), small.transaction():
        small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        small.upsert_nodes("Person", rows)
    assert small.counts() == before


@every_write_path
def test_missing_endpoint_in_a_late_edge_batch_rolls_back_the_whole_transaction(small: GraphBackend) -> None:
    before = small.counts()
    n = BATCH_SIZE + 100
    with pytest.raises(SchemaError, match="person:nobody"), small.transaction():
        small.upsert_nodes("Person", [{"key": f"person-{i}", "name": f"Person {i}"} for i in range(n)])
        small.upsert_edges("HOLDS_ROLE", [EdgeRow("Person", f"person-{i}", "Operator", "bpifrance") for i in range(n)])
        assert small.counts()["relationships"]["HOLDS_ROLE"] == n
        late = [EdgeRow("Person", f"person-{i}", "Region", "32", {"role": "member"}) for i in range(n)]
        small.upsert_edges("HOLDS_ROLE", [*late, EdgeRow("Person", "nobody", "Region", "32")])
    assert small.counts() == before


@every_write_path
def test_error_swallowed_inside_a_transaction_still_writes_nothing(small: GraphBackend) -> None:
    before = small.counts()
    with pytest.raises(QueryFailed), small.transaction():
        small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        with pytest.raises(QueryFailed):
            small.run("MATCH (n RETURN n")
    assert small.counts() == before
    small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])  # the backend is usable again
    assert small.counts()["nodes"]["Region"] == 3


def test_nested_transactions_join_the_outer_one(small: GraphBackend) -> None:
    before = small.counts()
    with pytest.raises(RuntimeError), small.transaction():
        small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        with small.transaction():
            small.upsert_nodes("Department", [{"key": "69", "name": "Rhône"}])
        small.upsert_edges("IN_REGION", [EdgeRow("Department", "69", "Region", "84")])
        raise RuntimeError("after the inner block")
    assert small.counts() == before
    with small.transaction():
        with small.transaction():
            small.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        small.upsert_nodes("Department", [{"key": "69", "name": "Rhône"}])
    assert small.counts()["nodes"] == {**before["nodes"], "Region": 3, "Department": 3}


def test_committed_transaction_keeps_everything(small: GraphBackend) -> None:
    with small.transaction():
        small.upsert_nodes("Department", [{"key": "59", "name": "Nord"}])
        small.upsert_edges("IN_REGION", [EdgeRow("Department", "59", "Region", "32")])
    assert small.run("MATCH (d:Department)-[:IN_REGION]->(:Region {key: '32'}) RETURN d.key AS key ORDER BY key") == [
        {"key": "59"},
        {"key": "62"},
    ]


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
    assert small.columns("MATCH (n:Region {key: $key}) RETURN n.key AS key", {"key": "none"}).get("key", []) == []
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
