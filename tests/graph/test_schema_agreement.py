"""Both backends agree with `graph.model`, the one declaration of the schema.

The expected kinds, properties and relationship pairs are read from the neomodel classes here,
through neomodel's own introspection, so a mistake in `graph.schema` cannot hide itself. The
embedded engine is checked through its catalogue; Neo4j through the constraint statements it
installs (and, with ``NEO4J_URI`` set, the constraints the server reports).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import ladybug
import pytest
from neomodel import StructuredNode

from graph import model
from graph.backend import EdgeRow, open_graph
from graph.neo4j import constraint_statements
from graph.schema import schema

ENGINE_TYPES = {"StringProperty": "STRING", "IntegerProperty": "INT64", "FloatProperty": "DOUBLE", "ArrayProperty": "STRING[]"}


def _node_classes() -> dict[str, type[StructuredNode]]:
    return {
        cls.__label__: cls
        for cls in vars(model).values()
        if isinstance(cls, type)
        and issubclass(cls, StructuredNode)
        and cls.__module__ == model.__name__
        and hasattr(cls, "__label__")  # neomodel gives abstract nodes (Actor) no label
    }


def _columns(cls: type) -> dict[str, str]:
    return {name: ENGINE_TYPES[type(prop).__name__] for name, prop in cls.defined_properties(aliases=False, rels=False).items()}


def _rel_types() -> dict[str, dict[str, Any]]:
    """Every relationship type: its (from, to) pairs and the columns of its model."""
    found: dict[str, dict[str, Any]] = {}
    for label, cls in _node_classes().items():
        for rel in cls.defined_properties(aliases=False, properties=False).values():
            target = rel._raw_class if isinstance(rel._raw_class, str) else rel._raw_class.__name__
            entry = found.setdefault(rel.definition["relation_type"], {"pairs": set(), "columns": _columns(rel.definition["model"])})
            entry["pairs"].add((label, target))
    return found


def _unique_properties() -> set[tuple[str, str]]:
    return {
        (label, name)
        for label, cls in _node_classes().items()
        for name, prop in cls.defined_properties(aliases=False, rels=False).items()
        if prop.unique_index
    }


def _catalogue(path: Path) -> dict[str, Any]:
    """Tables, columns (with types) and relationship pairs, as the engine reports them."""
    db = ladybug.Database(str(path), read_only=True)
    conn = ladybug.Connection(db)
    try:
        tables = {row[1]: row[2] for row in conn.execute("CALL show_tables() RETURN *").get_all()}
        columns = {t: {row[1]: row[2] for row in conn.execute(f"CALL table_info('{t}') RETURN *").get_all()} for t in tables}
        pairs = {
            t: {(row[0], row[1]) for row in conn.execute(f"CALL show_connection('{t}') RETURN *").get_all()}
            for t, kind in tables.items()
            if kind == "REL"
        }
    finally:
        conn.close()
        db.close()
    return {"tables": tables, "columns": columns, "pairs": pairs}


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "graph"
    open_graph(path).close()
    return _catalogue(path)


def test_the_model_declares_every_kind_of_the_design() -> None:
    assert set(_node_classes()) >= {
        "StateBody", "Region", "Department", "Commune", "Epci", "Territory", "Company",
        "Operator", "Organisation", "Programme", "Project", "Agreement", "Person", "Source",
    }  # fmt: skip
    assert "Actor" not in _node_classes()


def test_derived_schema_matches_the_model() -> None:
    s = schema()
    assert {label: {n: p.type for n, p in kind.properties.items()} for label, kind in s.kinds.items()} == {
        label: {n: {"STRING": "string", "INT64": "int", "DOUBLE": "float", "STRING[]": "list"}[t] for n, t in _columns(cls).items()}
        for label, cls in _node_classes().items()
    }
    assert {name: set(rel.pairs) for name, rel in s.rels.items()} == {name: r["pairs"] for name, r in _rel_types().items()}
    assert {(k.label, p.name) for k in s.kinds.values() for p in k.properties.values() if p.unique} == _unique_properties()


def test_embedded_node_tables_are_the_model_kinds(fresh_catalogue: dict[str, Any]) -> None:
    nodes = {t for t, kind in fresh_catalogue["tables"].items() if kind == "NODE"}
    assert nodes == set(_node_classes())
    for label, cls in _node_classes().items():
        assert fresh_catalogue["columns"][label] == _columns(cls), label


def test_embedded_rel_tables_are_the_model_relationships(fresh_catalogue: dict[str, Any]) -> None:
    rels = {t for t, kind in fresh_catalogue["tables"].items() if kind == "REL"}
    expected = _rel_types()
    assert rels == set(expected)
    for name, entry in expected.items():
        assert fresh_catalogue["pairs"][name] == entry["pairs"], name
        assert fresh_catalogue["columns"][name] == entry["columns"], name


def test_neo4j_constraints_are_one_per_unique_property() -> None:
    statements = constraint_statements(schema())
    pattern = re.compile(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE")
    parsed = [pattern.fullmatch(s) for s in statements]
    assert all(parsed), statements
    pairs = [(m.group(2), m.group(3)) for m in parsed if m]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == _unique_properties()
    names = [m.group(1) for m in parsed if m]
    assert len(names) == len(set(names))


@pytest.mark.neo4j
def test_neo4j_server_lists_the_constraints() -> None:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("NEO4J_URI is not set: the Neo4j backend is tested against a real server only")
    with open_graph(url) as graph:  # opening for writing installs the constraints
        rows = graph.run("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes, properties")
    found = {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows if r["type"] == "UNIQUENESS" and len(r["properties"]) == 1}
    assert _unique_properties() <= found


def test_reopening_an_existing_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France", "zone": "metro"}])
        graph.upsert_nodes("Department", [{"key": "62", "name": "Pas-de-Calais"}])
        graph.upsert_edges("IN_REGION", [EdgeRow("Department", "62", "Region", "32", {"since": "2016"})])
    before = _catalogue(path)
    with open_graph(path) as graph:
        counts = graph.counts()
        G = graph.to_networkx()
    assert _catalogue(path) == before
    assert counts == {"nodes": {"Department": 1, "Region": 1}, "relationships": {"IN_REGION": 1}}
    assert G.nodes["region:32"]["zone"] == "metro"
    assert G.edges["department:62", "region:32", "IN_REGION"]["since"] == "2016"


def test_an_older_database_gets_missing_tables_columns_and_pairs(tmp_path: Path) -> None:
    path = tmp_path / "graph"
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Region(key STRING, name STRING, PRIMARY KEY(key))")
    conn.execute("CREATE NODE TABLE Department(key STRING, name STRING, PRIMARY KEY(key))")
    conn.execute("CREATE REL TABLE IN_REGION(FROM Department TO Region, sources STRING[])")
    conn.execute("CREATE (:Region {key: '32', name: 'Hauts-de-France'})")
    conn.execute("CREATE (:Department {key: '62', name: 'Pas-de-Calais'})")
    conn.execute("MATCH (d:Department {key: '62'}), (r:Region {key: '32'}) CREATE (d)-[:IN_REGION {sources: ['old']}]->(r)")
    conn.close()
    db.close()

    with open_graph(path) as graph:
        assert graph.counts() == {"nodes": {"Department": 1, "Region": 1}, "relationships": {"IN_REGION": 1}}
        graph.upsert_nodes("Region", [{"key": "32", "zone": "metro"}, {"key": "11", "name": "Île-de-France", "zone": "metro"}])
        graph.upsert_nodes("Epci", [{"key": "200072460", "name": "CA Béthune-Bruay"}])
        graph.upsert_edges("IN_REGION", [EdgeRow("Department", "62", "Region", "32", {"since": "2016", "sources": ["new"]})])
        graph.upsert_edges("IN_REGION", [EdgeRow("Epci", "200072460", "Region", "32")])
        rows = graph.run("MATCH (a)-[x:IN_REGION]->(:Region) RETURN a.key AS d, x.sources AS sources, x.since AS since ORDER BY d")
        assert rows == [{"d": "200072460", "sources": [], "since": None}, {"d": "62", "sources": ["old", "new"], "since": "2016"}]
        assert graph.run("MATCH (r:Region) RETURN r.key AS key, r.name AS name, r.zone AS zone ORDER BY key") == [
            {"key": "11", "name": "Île-de-France", "zone": "metro"},
            {"key": "32", "name": "Hauts-de-France", "zone": "metro"},
        ]
    catalogue = _catalogue(path)
    assert catalogue["columns"]["Region"] == _columns(model.Region)
    assert catalogue["columns"]["IN_REGION"] == _rel_types()["IN_REGION"]["columns"]
    assert catalogue["pairs"]["IN_REGION"] == _rel_types()["IN_REGION"]["pairs"]
    assert {t for t, kind in catalogue["tables"].items() if kind == "NODE"} == set(_node_classes())


# ---------------------------------------------------------------- the stored copy read by commands


def test_stored_schema_is_current() -> None:
    """graph/schema.json is what graph/model.py derives to: rewrite it with `python -m graph.schema`."""
    from graph.schema import SCHEMA_JSON, derive_schema, schema_as_json

    assert SCHEMA_JSON.read_text(encoding="utf-8") == schema_as_json(derive_schema()), "run: python -m graph.schema"


def test_a_stale_stored_schema_is_not_used(tmp_path, monkeypatch) -> None:
    import json

    import graph.schema as module

    stale = json.loads(module.SCHEMA_JSON.read_text(encoding="utf-8"))
    stale["model_crc32"] = "0" * 8
    del stale["kinds"]["Region"]
    monkeypatch.setattr(module, "SCHEMA_JSON", tmp_path / "schema.json")
    (tmp_path / "schema.json").write_text(json.dumps(stale), encoding="utf-8")
    module.schema.cache_clear()
    try:
        assert "Region" in module.schema().kinds
        assert module.schema() == module.derive_schema()
    finally:
        module.schema.cache_clear()


def test_reading_the_schema_does_not_import_neomodel() -> None:
    import subprocess
    import sys

    code = "import sys; from graph.schema import schema; schema(); print('neomodel' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert result.stdout.strip() == "False"
