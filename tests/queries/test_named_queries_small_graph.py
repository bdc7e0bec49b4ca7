"""Named queries on the small graph of ``conftest.py``, for what the built-in dataset lacks.

EPCI coverage, successions, dated roles, co-funding, presence in several regions; the built-in
dataset's runs are in ``test_named_queries_builtin.py``.
"""

from __future__ import annotations

import pytest

from graph.backend import EdgeRow, GraphBackend
from graph.errors import QueryParameterError
from tests.queries.named_runs import ids, run


def test_multi_region_actors(small_graph: GraphBackend) -> None:
    """Presence is location, coverage or membership; funding in a region is not presence."""
    with small_graph.transaction():
        small_graph.upsert_nodes("Company", [{"key": "552032534", "name": "Deux Sites"}])
        small_graph.upsert_nodes("Organisation", [{"key": "club-hdf", "name": "Club HdF"}])
        small_graph.upsert_edges("LOCATED_IN", [
            EdgeRow("Company", "552032534", "Epci", "200072460"), EdgeRow("Company", "552032534", "Epci", "247100589"),
            EdgeRow("Organisation", "club-hdf", "Region", "32"),
        ])  # fmt: skip
        small_graph.upsert_edges("MEMBER_OF", [EdgeRow("Operator", "bpifrance", "Organisation", "club-hdf")])
        small_graph.upsert_edges("IN_REGION", [EdgeRow("Territory", "II-ti-9903", "Region", "27")])
        small_graph.upsert_edges("COVERS", [EdgeRow("Territory", "II-ti-9903", "Epci", "200072460", {"phase": "II"})])
        small_graph.upsert_nodes("Site", [{"key": "fabp-01", "name": "Fabrique sur deux régions"}])
        small_graph.upsert_edges("COVERS", [
            EdgeRow("Site", "fabp-01", "Epci", "200072460"), EdgeRow("Site", "fabp-01", "Epci", "247100589"),
        ])  # fmt: skip
    rows = run(small_graph, "multi-region-actors")
    assert [(r["id"], r["regions"], r["region_names"]) for r in rows] == [
        ("company:552032534", 2, ["Bourgogne-Franche-Comté", "Hauts-de-France"]),
        ("territory:II-ti-9903", 2, ["Bourgogne-Franche-Comté", "Hauts-de-France"]),
    ]
    # Banque des Territoires funds in one region and supports a territory in the other: not present.
    # Bpifrance is a member of an organisation of one region only.
    assert [r["id"] for r in run(small_graph, "multi-region-actors", min_regions=1)].count("operator:bpifrance") == 1
    assert "operator:banque-des-territoires" not in ids(run(small_graph, "multi-region-actors", min_regions=1))
    # A programme's site is not an actor, as in the networks, unless asked for.
    assert "site:fabp-01" not in ids(run(small_graph, "multi-region-actors", min_regions=1))
    with_sites = run(small_graph, "multi-region-actors", sites=True)
    assert sorted((r["id"], r["regions"]) for r in with_sites) == sorted([(r["id"], r["regions"]) for r in rows] + [("site:fabp-01", 2)])


def test_epci_of_territory(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "epci-of-territory", territory="Alpha II")
    assert rows == [
        {
            "id": "epci:200072460",
            "name": "CA de Béthune-Bruay, Artois-Lys Romane",
            "type": "CA",
            "population": 216000,
            "phase": "II",
            "sources": ["liste-phase-2"],
        }
    ]


def test_territory_changes(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "territory-changes")
    assert [(r["change"], r["phase_i_id"], r["phase_ii_id"], r["share"]) for r in rows] == [
        ("continued", "territory:I-ti-9901", "territory:II-ti-9901", 0.75),
        ("joined", None, "territory:II-ti-9903", None),
        ("left", "territory:I-ti-9902", None, None),
    ]


@pytest.mark.parametrize(
    ("at", "expected"),
    [("2019-01-01", ["person:ancien-president"]), ("2021-03-01", ["person:nouvelle-presidente"]), ("2010", [])],
)
def test_roles_at_a_date(small_graph: GraphBackend, at: str, expected: list[str]) -> None:
    assert ids(run(small_graph, "roles", at=at), "person_id") == expected


def test_funding_in_a_territory_through_its_epci(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "funding", territory="territory:I-ti-9901")
    assert [(r["funder_id"], r["amount_eur"], r["year"]) for r in rows] == [
        ("operator:banque-des-territoires", 2_500_000, 2024),
        ("operator:bpifrance", 1_000_000, 2024),
    ]
    assert run(small_graph, "funding", territory="Gamma") == []
    assert len(run(small_graph, "funding", region="Hauts-de-France", territory="Alpha")) == 2


def test_funders_of_territory_and_region_through_epci(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "funders-of-territory", territory="Alpha II")
    assert [(r["funder_id"], r["target_id"]) for r in rows] == [
        ("operator:banque-des-territoires", "project:usine-alpha"),
        ("operator:bpifrance", "project:usine-alpha"),
    ]
    ranked = run(small_graph, "funders-of-region", region="32")
    assert [(r["funder_id"], r["total_eur"]) for r in ranked] == [
        ("operator:banque-des-territoires", 2_500_000),
        ("operator:bpifrance", 1_000_000),
    ]


def test_co_funders_of_a_project(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "co-funders", min_shared=1)
    assert [(r["funder_id"], r["partner_id"], r["shared"], r["shared_ids"]) for r in rows] == [
        ("operator:banque-des-territoires", "operator:bpifrance", 1, ["project:usine-alpha"])
    ]
    assert run(small_graph, "co-funders", min_shared=2) == []


def test_territories_of_region_through_epci(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "territories-of-region", region="27")
    assert [(r["id"], r["steps"]) for r in rows] == [("territory:II-ti-9903", 2)]


def test_operator_territories_through_a_project(small_graph: GraphBackend) -> None:
    rows = run(small_graph, "operator-territories", operator="bpifrance")
    assert rows == []  # the project lies in an EPCI, not in a territory
    absent = run(small_graph, "territories-without-operator", operator="banque-des-territoires")
    assert ids(absent) == ["territory:I-ti-9901", "territory:I-ti-9902", "territory:II-ti-9901"]


def test_shortest_path_reads_ids_and_names(small_graph: GraphBackend) -> None:
    """An end is an id (its kind and key in any case) or a name; an id of no actor, or a kind the schema lacks, is an error."""
    rows = run(small_graph, "shortest-path", from_id="person:ancien-president", to_id="region:32")
    for spelling in ("Person:ancien-president", "person:Ancien-President", "Ancien Président", "ancien president"):
        assert run(small_graph, "shortest-path", from_id=spelling, to_id="Hauts de France") == rows, spelling
    for wrong in ("person:ancien", "person:"):
        with pytest.raises(QueryParameterError, match=f'Parameter "from_id" is "{wrong}": no actor has that id.'):
            run(small_graph, "says-who", from_id=wrong, to_id="epci:200072460")
    for unknown in (":ancien-president", "people:ancien-president"):
        with pytest.raises(QueryParameterError, match="unknown kind"):
            run(small_graph, "says-who", from_id=unknown, to_id="epci:200072460")


def test_shortest_path_across_regions(small_graph: GraphBackend) -> None:
    (row,) = run(small_graph, "shortest-path", from_id="person:ancien-president", to_id="territory:II-ti-9903")
    assert row["ids"] == [
        "person:ancien-president",
        "epci:200072460",
        "project:usine-alpha",
        "operator:banque-des-territoires",
        "territory:II-ti-9903",
    ]
    assert row["types"] == ["HOLDS_ROLE", "LOCATED_IN", "FUNDS", "SUPPORTS"]
