"""The contract every backend keeps when it writes: nodes, relationships, transactions.

Written once against `GraphBackend`, each test takes the parametrised ``backend`` fixture
(``tests/conftest.py``) or ``small`` built on it (``conftest.py``): it runs on the embedded engine
always, and on Neo4j when ``NEO4J_URI`` is set. The transaction tests also run on the embedded
engine in batched mode, Neo4j's write path (``WRITE_PATHS``, `graph.batched_loads`). Reading is in
``test_backend_contract_reads.py``; backend-specific behaviour is tested in ``test_embedded.py``.
"""

from __future__ import annotations

import pytest

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import InvalidKey, QueryFailed, SchemaError
from graph.store import BATCH_SIZE, SCAN_MIN
from tests.conftest import WRITE_PATHS

every_write_path = pytest.mark.parametrize("backend", WRITE_PATHS, indirect=True)


def _created(stats: WriteStats) -> int:
    return sum(stats.created.values())


def _updated(stats: WriteStats) -> int:
    return sum(stats.updated.values())


def _unchanged(stats: WriteStats) -> int:
    return sum(stats.unchanged.values())


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


@every_write_path
def test_a_tallied_transaction_counts_each_item_once_as_it_was_before(backend: GraphBackend) -> None:
    backend.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
    rows = [{"key": "32", "name": "Hauts-de-France"}, {"key": "11", "name": "Île-de-France"}]
    total = WriteStats()
    with backend.transaction(tally=True) as tally:
        assert tally is not None
        total.add(backend.upsert_nodes("Region", rows))  # 32 created, 11 unchanged
        total.add(backend.upsert_nodes("Region", [{**row, "aliases": ["a"]} for row in rows]))  # 32 still created, 11 updated
        total.add(backend.upsert_nodes("Department", [{"key": "59", "name": "Nord"}]))
        for _ in range(2):
            total.add(backend.upsert_edges("IN_REGION", [EdgeRow("Department", "59", "Region", "32", {"sources": [f"s{_}"]})]))
    assert (_created(total), _updated(total), _unchanged(total)) == (3, 1, 0)
    with backend.transaction(tally=True):
        again = backend.upsert_nodes("Region", rows).add(backend.upsert_nodes("Region", rows))
    assert (_created(again), _updated(again), _unchanged(again)) == (0, 0, 2)
    with backend.transaction() as tally:
        assert tally is None
        assert _unchanged(backend.upsert_nodes("Region", rows).add(backend.upsert_nodes("Region", rows))) == 4


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
