"""The two named queries on phase changes and multi-territory companies, on the small graph of conftest.py."""

from __future__ import annotations

import pytest

from graph.backend import EdgeRow, GraphBackend
from queries.registry import get_query


@pytest.fixture
def companies(small_graph: GraphBackend) -> GraphBackend:
    """Danone carries usine-alpha (in an EPCI covered in both phases) and a plant in a commune of Grand Chalon."""
    with small_graph.transaction():
        small_graph.upsert_nodes("Company", [{"key": "552032534", "name": "Danone"}])
        small_graph.upsert_nodes("Commune", [{"key": "71076", "name": "Chalon-sur-Saône"}])
        small_graph.upsert_nodes("Project", [{"key": "usine-beta", "name": "Usine Beta"}])
        small_graph.upsert_edges("IN_EPCI", [EdgeRow("Commune", "71076", "Epci", "247100589")])
        small_graph.upsert_edges("LOCATED_IN", [EdgeRow("Project", "usine-beta", "Commune", "71076")])
        small_graph.upsert_edges("CARRIES", [
            EdgeRow("Company", "552032534", "Project", "usine-alpha"), EdgeRow("Company", "552032534", "Project", "usine-beta"),
        ])  # fmt: skip
    return small_graph


def test_epci_changes(small_graph):
    rows = get_query("epci-changes").run(small_graph, {})
    assert [(r["change"], r["id"], r["phase_i"], r["phase_ii"]) for r in rows] == [
        ("joined", "epci:247100589", [], ["territory:II-ti-9903"]),
        ("stayed", "epci:200072460", ["territory:I-ti-9901"], ["territory:II-ti-9901"]),
    ]
    assert [r["id"] for r in get_query("epci-changes").run(small_graph, {"change": "stayed"})] == ["epci:200072460"]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["territory:I-ti-9901", "territory:II-ti-9901", "territory:II-ti-9903"]),
    ({"phase": "II"}, ["territory:II-ti-9901", "territory:II-ti-9903"]),
    ({"phase": "I"}, None),
    ({"phase": "I", "min_territories": 1}, ["territory:I-ti-9901"]),
])  # fmt: skip
def test_multi_territory_companies(companies, params, expected):
    rows = get_query("multi-territory-companies").run(companies, params)
    assert [r["territory_ids"] for r in rows] == ([expected] if expected else [])
    if expected and not params:
        assert rows[0]["projects"] == ["project:usine-alpha", "project:usine-beta"] and rows[0]["territories"] == 3
