"""Every shipped named query, run on the built-in dataset; what it lacks is in ``test_named_queries_small_graph.py``."""

from __future__ import annotations

from typing import Any

import pytest

from graph.backend import GraphBackend
from queries.registry import get_query, list_queries
from tests.queries.named_runs import ids, run

# One example run per query, from its header's "// example:" line.
EXAMPLES: dict[str, dict[str, Any]] = {q.name: dict(q.example) for q in list_queries()}


def test_every_required_parameter_has_an_example_value() -> None:
    missing = {q.name: p.name for q in list_queries() for p in q.params if p.required and p.name not in dict(q.example)}
    assert missing == {}
    assert get_query("says-who").example_command == (
        "tdi query run says-who -p from_id=operator:bpifrance -p to_id=territory:I-ti-3204"
    )


# pvd, the example programme of territories-with-programme, is one of ANCT's: the built-in dataset has none, and a
# programme the graph lacks is an error (test_programme_queries runs the query on programme sites).
ON_BUILTIN = [pytest.param(n, marks=pytest.mark.skip(reason="no ANCT programme")) if n == "territories-with-programme" else n for n in sorted(EXAMPLES)]


@pytest.mark.parametrize("name", ON_BUILTIN)
def test_query_runs_with_its_declared_columns(builtin_graph: GraphBackend, name: str) -> None:
    query = get_query(name)
    rows = query.run(builtin_graph, EXAMPLES[name])
    assert all(tuple(row) == query.columns for row in rows)
    assert rows == query.run(builtin_graph, EXAMPLES[name])  # stable order


# ---------------------------------------------------------------- built-in dataset


def test_actors_of_region(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "actors-of-region", region="Hauts-de-France")
    by_id = {row["id"]: row for row in rows}
    assert by_id["department:62"]["steps"] == 1
    assert by_id["project:premiere-gigafactory-hauts-de-france"] == {
        "id": "project:premiere-gigafactory-hauts-de-france",
        "kind": "Project",
        "name": "Première gigafactory des Hauts-de-France",
        "steps": 1,
    }
    assert by_id["territory:I-ti-3204"]["steps"] == 2  # through the Pas-de-Calais
    assert by_id["event:signature-accord-region-intercommunalites-bethune-2023-12-18"]["steps"] == 3
    assert sorted(ids(run(builtin_graph, "actors-of-region", region="region:32", kind="territory"))) == [
        "territory:I-ti-3204",
        "territory:I-ti-3205",
        "territory:I-ti-3209",
    ]


def test_funding_amounts_and_sources(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "funding")
    bdt = next(r for r in rows if r["funder_id"] == "operator:banque-des-territoires")
    assert bdt["funded_id"] == "programme:territoires-d-industrie"
    assert bdt["amount_eur"] == 180_000_000
    assert bdt["sources"] == ["press-2019-09-premier-bilan"]
    assert len(rows) == 7
    in_region = run(builtin_graph, "funding", region="32")
    assert [(r["funder_id"], r["funded_id"], r["amount_eur"]) for r in in_region] == [
        ("region:32", "project:premiere-gigafactory-hauts-de-france", 121_000_000)
    ]


def test_funders_of_territory(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "funders-of-territory", territory="Béthune-Bruay")
    assert ids(rows, "funder_id") == [
        "operator:banque-des-territoires",
        "operator:bpifrance",
        "operator:business-france",
        "operator:team-france-export",
        "statebody:etat",
    ]
    assert {r["relation"] for r in rows} == {"SUPPORTS"}
    nacon = run(builtin_graph, "funders-of-territory", territory="territory:II-ti-3207")
    assert [(r["funder_id"], r["target_id"]) for r in nacon] == [
        ("programme:territoires-d-industrie", "project:nacon-relocalisation-production")
    ]


def test_funders_of_region(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "funders-of-region", region="32")
    assert rows[0]["funder_id"] == "region:32"
    assert (rows[0]["total_eur"], rows[0]["fundings"], rows[0]["supports"]) == (121_000_000, 1, 0)
    bpi = next(r for r in rows if r["funder_id"] == "operator:bpifrance")
    assert (bpi["fundings"], bpi["supports"]) == (0, 3)
    assert sorted(bpi["recipients"]) == ["Boulonnais - Calaisis", "Béthune-Bruay", "Flandre - Saint-Omer"]


def test_roles(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "roles", organisation="region:32")
    assert [(r["person_id"], r["role"]) for r in rows] == [
        (
            "person:philippe-beauchamps",
            (
                "vice-Président de la Région Hauts-de-France en charge des relations aux entreprises, "
                "de l’emploi et de la formation professionnelle"
            ),
        ),
        ("person:xavier-bertrand", "président de la région des Hauts-de-France"),
    ]
    assert len(run(builtin_graph, "roles")) == 14
    martin = run(builtin_graph, "roles", person="Sébastien Martin")
    assert ids(martin, "organisation_id") == ["epci:247100589", "organisation:intercommunalites-de-france"]


def test_people_with_several_roles(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "people-with-several-roles")
    assert ids(rows, "person_id") == ["person:olivier-gacquerre", "person:sebastien-martin"]
    assert sorted(rows[0]["organisation_ids"]) == ["commune:62119", "epci:200072460"]
    assert "maire (Béthune)" in rows[0]["roles"]
    assert len(run(builtin_graph, "people-with-several-roles", min_roles="1")) == 12


def test_says_who(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "says-who", from_id="territory:I-ti-3204", to_id="operator:bpifrance")
    assert len(rows) == 1
    row = rows[0]
    assert (row["type"], row["from_id"], row["to_id"]) == ("SUPPORTS", "operator:bpifrance", "territory:I-ti-3204")
    assert (row["role"], row["phase"]) == ("appui aux projets des territoires", "I")
    assert row["source"] == "press-2018-pas-de-calais-territoires"
    assert row["source_name"] == "Quatre territoires du Pas-de-Calais choisis parmi les «Territoires d'industrie»"
    assert row["source_date"] == "2018"
    assert row["evidence"] and all(e.startswith("press-2018-pas-de-calais-territoires: ") for e in row["evidence"])
    funds = run(builtin_graph, "says-who", from_id="region:32", to_id="project:premiere-gigafactory-hauts-de-france")
    assert [(r["type"], r["amount_eur"]) for r in funds] == [("FUNDS", 121_000_000), ("LOCATED_IN", None)]
    assert run(builtin_graph, "says-who", from_id="operator:bpifrance", to_id="territory:I-ti-3204", rel_type="funds") == []
    assert run(builtin_graph, "says-who", from_id="TERRITORY:I-ti-3204", to_id="Operator:bpifrance") == rows


def test_id_parameters_take_the_kind_in_any_case(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "shortest-path", from_id="REGION:32", to_id="Operator:bpifrance")
    assert rows and rows == run(builtin_graph, "shortest-path", from_id="region:32", to_id="operator:bpifrance")
    assert rows[0]["ids"][0] == "region:32"


def test_facts_and_actors_of_source(builtin_graph: GraphBackend) -> None:
    facts = run(builtin_graph, "facts-of-source", source="press-2023-12-accord-region-intercommunalites")
    signed = [r for r in facts if r["type"] == "SIGNED"]
    assert len(signed) == 6
    gigafactory = next(r for r in facts if r["type"] == "FUNDS")
    assert gigafactory["from_id"] == "region:32"
    assert all(e.startswith("press-2023-12-accord-region-intercommunalites: ") for e in gigafactory["evidence"])
    actors = run(builtin_graph, "actors-of-source", source="press-2023-12-accord-region-intercommunalites")
    assert {"person:xavier-bertrand", "epci:200072460", "commune:62119"} <= set(ids(actors))
    assert all(r["evidence"] for r in actors)
    assert "region:32" in ids(run(builtin_graph, "actors-of-source", source="decoupage-administratif-2026"))


def test_territories_by_phase(builtin_graph: GraphBackend) -> None:
    phase_one = run(builtin_graph, "territories-by-phase", phase="I")
    assert ids(phase_one) == [
        "territory:I-ti-3204",
        "territory:I-ti-3205",
        "territory:I-ti-3209",
        "territory:I-ti-5214",
        "territory:I-ti-5303",
        "territory:I-ti-5311",
    ]
    assert phase_one[0]["labelled_on"] == "2018-11-22"
    assert phase_one[0]["regions"] == ["Hauts-de-France"]
    assert ids(run(builtin_graph, "territories-by-phase", phase="II")) == ["territory:II-ti-3207"]


def test_territories_of_region(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "territories-of-region", region="32")
    assert ids(rows) == ["territory:I-ti-3204", "territory:I-ti-3205", "territory:I-ti-3209"]
    assert {r["steps"] for r in rows} == {2}
    assert run(builtin_graph, "territories-of-region", region="32", phase="II") == []


def test_operator_territories(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "operator-territories", operator="Banque des Territoires")
    assert [(r["territory_id"], r["relation"], r["through"]) for r in rows] == [
        ("territory:I-ti-3204", "SUPPORTS", None),
        ("territory:I-ti-3205", "SUPPORTS", None),
        ("territory:I-ti-3209", "SUPPORTS", None),
    ]
    assert len(run(builtin_graph, "operator-territories")) == 12


def test_territories_without_operator(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "territories-without-operator", operator="operator:bpifrance")
    assert ids(rows) == ["territory:I-ti-5214", "territory:I-ti-5303", "territory:I-ti-5311", "territory:II-ti-3207"]
    assert ids(run(builtin_graph, "territories-without-operator", operator="bpifrance", phase="II")) == ["territory:II-ti-3207"]


def test_agreements(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "agreements", agreement="agreement:accord-region-hauts-de-france-intercommunalites-2023")
    assert ids(rows, "signatory_id") == [
        "epci:200072460",
        "organisation:intercommunalites-de-france",
        "person:olivier-gacquerre",
        "person:sebastien-martin",
        "person:xavier-bertrand",
        "region:32",
    ]
    assert {r["signed_on"] for r in rows} == {"2023-12-18"}
    unsigned = run(builtin_graph, "agreements", agreement="Contrat Territoire d'industrie Béthune-Bruay")
    assert [(r["agreement_id"], r["signatory_id"]) for r in unsigned] == [("agreement:contrat-ti-bethune-bruay", None)]
    assert len(run(builtin_graph, "agreements")) == 15


def test_event_participants(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "event-participants", event="event:copil-territoires-d-industrie-3-2019-09-24")
    assert len(rows) == 8
    assert {r["role"] for r in rows if r["participant_kind"] == "Person"} >= {"présidence"}
    recent = run(builtin_graph, "event-participants", since="2023-12-01")
    assert {r["event_id"] for r in recent} == {
        "event:signature-accord-region-intercommunalites-bethune-2023-12-18",
        "event:conference-gouvernance-zan-2024-01",
    }
    lyon = run(builtin_graph, "event-participants", event="Première assemblée générale des Territoires d'industrie (Lyon)")
    assert [(r["date"], r["participant_id"]) for r in lyon] == [("2019-03-05", None)]


def test_national_figures(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "national-figures", unit="EUR")
    budget = next(r for r in rows if r["id"] == "figure:ti-budget-national")
    assert (budget["value"], budget["date"], budget["describes"]) == (
        1_360_000_000,
        "2018-11-22",
        ["programme:territoires-d-industrie"],
    )
    assert run(builtin_graph, "national-figures", unit="eur") == rows  # a unit in any case
    every = ids(run(builtin_graph, "national-figures"))
    assert "figure:ti-territories-2019-09-24" in every
    assert "figure:ti-territories-phase-2-hauts-de-france" not in every  # describes a region
    assert "figure:grand-hainaut-projets" not in every  # describes a territory


def test_figures_of_actor(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "figures-of-actor", actor="Hauts-de-France")
    assert sorted((r["id"], r["value"]) for r in rows) == [
        ("figure:ti-territories-phase-1-hauts-de-france", 14),
        ("figure:ti-territories-phase-2-hauts-de-france", 18),
    ]


def test_projects(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "projects")
    assert len(rows) == 5
    nacon = run(builtin_graph, "projects", theme="Relocalisation")
    assert ids(nacon) == ["project:nacon-relocalisation-production"]
    assert nacon[0]["places"] == ["territory:II-ti-3207"]
    assert nacon[0]["backers"] == ["programme:territoires-d-industrie"]
    assert ids(run(builtin_graph, "projects", status="january 2025")) == ["project:nacon-relocalisation-production"]


def test_multi_region_actors_on_the_builtin_dataset(builtin_graph: GraphBackend) -> None:
    assert run(builtin_graph, "multi-region-actors", min_regions=1)
    assert run(builtin_graph, "multi-region-actors") == []


def test_co_funders(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "co-funders")
    pair = next(
        r for r in rows if (r["funder_id"], r["partner_id"]) == ("operator:banque-des-territoires", "programme:fonds-vert")
    )
    assert pair["shared_ids"] == ["programme:territoires-d-industrie"]
    assert len(rows) == 15  # six funders of the programme, every pair once
    with_support = run(builtin_graph, "co-funders", with_support="true")
    top = with_support[0]  # the programme and the three Pas-de-Calais territories
    assert (top["funder_id"], top["partner_id"], top["shared"]) == ("operator:banque-des-territoires", "statebody:etat", 4)


def test_shortest_path(builtin_graph: GraphBackend) -> None:
    (row,) = run(builtin_graph, "shortest-path", from_id="person:francois-blouvac", to_id="region:32")
    assert row["hops"] == 3
    assert row["ids"][0] == "person:francois-blouvac" and row["ids"][-1] == "region:32"
    assert row["names"][1] == "Banque des Territoires" and row["ids"][1] == "operator:banque-des-territoires"
    assert all(kind and key for kind, _, key in (i.partition(":") for i in row["ids"])), row["ids"]
    assert row["types"][0] == "HOLDS_ROLE" and len(row["types"]) == 3


def test_territory_changes_on_builtin(builtin_graph: GraphBackend) -> None:
    rows = run(builtin_graph, "territory-changes")
    assert [(r["change"], r["phase_i_id"], r["phase_ii_id"]) for r in rows][:2] == [
        ("joined", None, "territory:II-ti-3207"),
        ("left", "territory:I-ti-3204", None),
    ]
    assert len(rows) == 7
