"""A parameter that designates an actor takes its key in any case, its id or its name (`queries.resolution`)."""

from __future__ import annotations

import pytest

from graph.backend import GraphBackend
from graph.errors import QueryParameterError
from tests.queries.named_runs import run

# (query, parameter, the stored key or id, other spellings of the same actor)
SPELLINGS = [
    ("territories-of-region", "region", "32", ("hauts-de-france", "Hauts de France", "REGION:32", "Région Hauts-de-France")),
    ("funders-of-territory", "territory", "I-ti-3204", ("i-ti-3204", "Territory:I-TI-3204", "Bethune-Bruay", "territoire d'industrie Béthune Bruay")),
    ("territories-without-operator", "operator", "bpifrance", ("BpiFrance", "OPERATOR:bpifrance", "BPI")),
    ("actors-of-source", "source", "press-2019-09-premier-bilan", ("source:Press-2019-09-Premier-Bilan", "Un premier bilan pour les Territoires d’industrie")),
    ("agreements", "agreement", "contrat-ti-bethune-bruay", ("Agreement:contrat-ti-bethune-bruay", "contrat territoire d'industrie Bethune Bruay")),
    ("event-participants", "event", "copil-territoires-d-industrie-3-2019-09-24", ("3e comité de pilotage des Territoires d'industrie",)),
    ("roles", "person", "sebastien-martin", ("Person:Sebastien-Martin", "Sébastien Martin", "sebastien martin")),
    ("roles", "organisation", "region:32", ("Région Hauts-de-France", "REGION:32")),
    ("figures-of-actor", "actor", "region:32", ("Hauts de France", "Region:32")),
]


@pytest.mark.parametrize(("name", "param", "stored", "spellings"), SPELLINGS, ids=[f"{s[0]}-{s[1]}" for s in SPELLINGS])
def test_an_actor_is_given_by_key_id_or_name(builtin_graph: GraphBackend, name: str, param: str, stored: str, spellings: tuple[str, ...]) -> None:
    rows = run(builtin_graph, name, **{param: stored})
    assert rows
    for spelling in spellings:
        assert run(builtin_graph, name, **{param: spelling}) == rows, spelling


CONTRATS = (
    "agreement:contrat-ti-bethune-bruay (Contrat Territoire d'industrie Béthune-Bruay), "
    "agreement:contrat-ti-flandre-saint-omer (Contrat Territoire d'industrie Flandre - Saint-Omer), "
    "agreement:contrat-ti-boulonnais-calaisis (Contrat Territoire d'industrie Boulonnais - Calaisis)"
)
ERRORS = [
    ("agreements", "agreement", "contrat", f"it matches 3 actors: {CONTRATS}. Give one of these ids instead."),
    ("epci-of-territory", "territory", "Flandre", "it is not surely territory:I-ti-3209 (Flandre - Saint-Omer) (score 75.3). Give its id if it is."),
    ("territories-of-region", "region", "Picardie", 'no actor of kind region has that key, id or name. Run "tdi find TEXT --kind region" to look it up.'),
    ("territories-of-region", "region", "territory:I-ti-3204", "it is an id of kind territory; the parameter takes an actor of kind region (its key, id or name)."),
    ("epci-of-territory", "territory", "territory:I-ti-9999", 'no actor has that id. Run "tdi find TEXT --kind territory" to look it up.'),
    ("facts-of-source", "source", "press-2099", 'no actor of kind source has that key, id or name. "tdi sources" lists the sources.'),
    ("shortest-path", "to_id", "Nowhere at all", 'no actor has that id or name. Run "tdi find TEXT" to look it up.'),
]


@pytest.mark.parametrize(("name", "param", "value", "message"), ERRORS, ids=[e[2] for e in ERRORS])
def test_a_value_that_designates_no_actor_or_several_is_an_error(builtin_graph: GraphBackend, name: str, param: str, value: str, message: str) -> None:
    """The message names the query, the parameter, the value and the candidates, where the query used to answer nothing."""
    values = {"from_id": "region:32", param: value} if name == "shortest-path" else {param: value}
    with pytest.raises(QueryParameterError) as excinfo:
        run(builtin_graph, name, **values)
    assert str(excinfo.value) == f'Query "{name}": Parameter "{param}" is "{value}": {message}'
