"""The built-in dataset: the administrative map plus the facts of the seed documents.

``builtin_db`` (``tests/conftest.py``) loads it once per session into an embedded graph; the
tests that load it themselves check what a load reports and that a second load changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import yaml

from graph.backend import GraphBackend, open_graph
from loaders.builtin import load_builtin
from loaders.facts import builtin_facts_path

FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML was built with it

REFERENCE_SOURCE = "decoupage-administratif-2026"


@pytest.fixture(scope="module")
def builtin(builtin_db: Path) -> Iterator[GraphBackend]:
    with open_graph(builtin_db, read_only=True) as graph:
        yield graph


@pytest.fixture(scope="module")
def facts_document() -> dict:
    return yaml.load(builtin_facts_path().read_text(encoding="utf-8"), Loader=FAST_YAML)


def test_regions_and_departments(builtin: GraphBackend) -> None:
    counts = builtin.counts()
    assert counts["nodes"]["Region"] == 26  # 18 regions and 8 overseas collectivities
    assert counts["nodes"]["Department"] == 109
    assert counts["relationships"]["IN_REGION"] >= 109


def test_every_department_is_in_exactly_one_region(builtin: GraphBackend) -> None:
    rows = builtin.run("MATCH (d:Department) OPTIONAL MATCH (d)-[:IN_REGION]->(r:Region) RETURN d.key AS d, count(r) AS n")
    assert len(rows) == 109
    assert {row["d"] for row in rows if row["n"] != 1} == set()


@pytest.mark.parametrize(("department", "region"), [("62", "32"), ("2A", "94"), ("2B", "94"), ("971", "01"), ("75", "11"), ("976", "06")])
def test_department_region(builtin: GraphBackend, department: str, region: str) -> None:
    rows = builtin.run("MATCH (:Department {key: $d})-[:IN_REGION]->(r:Region) RETURN r.key AS key", {"d": department})
    assert rows == [{"key": region}]


def test_sources_are_the_seed_documents_and_the_reference_dataset(builtin: GraphBackend, facts_document: dict) -> None:
    rows = builtin.run("MATCH (s:Source) RETURN s.key AS key, s.document AS document, s.name AS name")
    by_key = {row["key"]: row for row in rows}
    documents = {s["id"]: s["document"] for s in facts_document["sources"]}
    assert len(documents) == 5
    assert set(by_key) == set(documents) | {REFERENCE_SOURCE}
    assert {key: by_key[key]["document"] for key in documents} == documents
    assert all(row["name"] for row in rows)


@pytest.mark.parametrize("label", ["Region", "Department"])
def test_regions_and_departments_cite_the_reference_dataset(builtin: GraphBackend, label: str) -> None:
    rows = builtin.run(f"MATCH (n:{label}) RETURN n.key AS key, n.sources AS sources")
    assert rows and [row["key"] for row in rows if REFERENCE_SOURCE not in row["sources"]] == []


def test_every_fact_cites_an_existing_source(builtin: GraphBackend, facts_document: dict) -> None:
    sources = {row["key"] for row in builtin.run("MATCH (s:Source) RETURN s.key AS key")}
    actor_ids = [a["id"] for a in facts_document["actors"]]
    G = builtin.to_networkx()
    for node_id in actor_ids:
        cited = G.nodes[node_id].get("sources") or []
        assert cited and set(cited) <= sources, node_id
    for link in facts_document["relationships"]:
        data = G.get_edge_data(link["from"], link["to"], key=link["type"])
        assert data is not None, link
        assert data.get("sources") and set(data["sources"]) <= sources, link


def test_evidence_is_stored_as_source_and_quote(builtin: GraphBackend) -> None:
    rows = builtin.run("MATCH (o:Operator {key: 'bpifrance'}) RETURN o.sources AS sources, o.evidence AS evidence")
    [row] = rows
    assert all(item.split(": ", 1)[0] in row["sources"] for item in row["evidence"])
    assert any("Bpifrance" in item for item in row["evidence"])


def test_to_networkx_on_the_builtin_graph(builtin: GraphBackend) -> None:
    G = builtin.to_networkx()
    counts = builtin.counts()
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == sum(counts["nodes"].values())
    assert G.number_of_edges() == sum(counts["relationships"].values())
    assert G.nodes["region:32"]["kind"] == "Region"
    assert G.has_edge("department:62", "region:32", key="IN_REGION")


def test_loading_twice_changes_nothing(builtin_build, builtin_copy: Path) -> None:
    _, first = builtin_build  # the session's first load, into an empty graph
    assert first.created["Region"] == 26 and first.created["Department"] == 109
    assert first.created["Source"] == 6
    with open_graph(builtin_copy) as graph:
        after_first = graph.counts()
        items = sum(after_first["nodes"].values()) + sum(after_first["relationships"].values())
        # Each item once, though the map makes the regions the facts then cite: all created, none updated.
        assert (sum(first.created.values()), sum(first.updated.values()), sum(first.unchanged.values())) == (items, 0, 0)
        second = load_builtin(graph)
        assert not second.changed
        assert sum(second.created.values()) == sum(second.updated.values()) == 0
        assert sum(second.unchanged.values()) == items and second.unchanged["Region"] == 26
        assert graph.counts() == after_first
