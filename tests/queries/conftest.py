"""A small graph with what the built-in dataset lacks: EPCI coverage, successions, dated roles, co-funding."""

from __future__ import annotations

import pytest

from graph.backend import EdgeRow, GraphBackend

NODES = {
    "Region": [{"key": "32", "name": "Hauts-de-France"}, {"key": "27", "name": "Bourgogne-Franche-Comté"}],
    "Epci": [
        {"key": "200072460", "name": "CA de Béthune-Bruay, Artois-Lys Romane", "type": "CA", "population": 216000},
        {"key": "247100589", "name": "CA Le Grand Chalon", "type": "CA"},
    ],
    "Territory": [
        {"key": "I-ti-9901", "name": "Alpha", "phase": "I", "official_id": "ti-9901"},
        {"key": "II-ti-9901", "name": "Alpha II", "phase": "II", "official_id": "ti-9901"},
        {"key": "I-ti-9902", "name": "Beta", "phase": "I", "official_id": "ti-9902"},
        {"key": "II-ti-9903", "name": "Gamma", "phase": "II", "official_id": "ti-9903"},
    ],
    "Operator": [{"key": "bpifrance", "name": "Bpifrance"}, {"key": "banque-des-territoires", "name": "Banque des Territoires"}],
    "Project": [{"key": "usine-alpha", "name": "Usine Alpha", "theme": "batteries"}],
    "Person": [
        {"key": "ancien-president", "name": "Ancien Président"},
        {"key": "nouvelle-presidente", "name": "Nouvelle Présidente"},
    ],
}
EDGES = {
    "IN_REGION": [EdgeRow("Epci", "200072460", "Region", "32"), EdgeRow("Epci", "247100589", "Region", "27")],
    "COVERS": [
        EdgeRow("Territory", "I-ti-9901", "Epci", "200072460", {"phase": "I"}),
        EdgeRow("Territory", "II-ti-9901", "Epci", "200072460", {"phase": "II", "sources": ["liste-phase-2"]}),
        EdgeRow("Territory", "II-ti-9903", "Epci", "247100589", {"phase": "II"}),
    ],
    "SUCCEEDED_BY": [EdgeRow("Territory", "I-ti-9901", "Territory", "II-ti-9901", {"share": 0.75})],
    "LOCATED_IN": [EdgeRow("Project", "usine-alpha", "Epci", "200072460")],
    "FUNDS": [
        EdgeRow("Operator", "bpifrance", "Project", "usine-alpha", {"amount_eur": 1000000, "year": 2024}),
        EdgeRow("Operator", "banque-des-territoires", "Project", "usine-alpha", {"amount_eur": 2500000, "year": 2024}),
    ],
    "SUPPORTS": [EdgeRow("Operator", "banque-des-territoires", "Territory", "II-ti-9903", {"role": "ingénierie"})],
    "HOLDS_ROLE": [
        EdgeRow("Person", "ancien-president", "Epci", "200072460", {"role": "président", "since": "2014", "until": "2020-06-30"}),
        EdgeRow("Person", "nouvelle-presidente", "Epci", "200072460", {"role": "présidente", "since": "2020-07-01"}),
    ],
}


@pytest.fixture
def small_graph(backend: GraphBackend) -> GraphBackend:
    """Two regions, two EPCI, four territories over two phases, one project funded by two operators."""
    with backend.transaction():
        for label, rows in NODES.items():
            backend.upsert_nodes(label, rows)
        for rel_type, rows in EDGES.items():
            backend.upsert_edges(rel_type, rows)
    return backend
