"""A statement typed by hand (``tdi cypher --write``) leaves every actor with the ``search_text`` the loaders give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ad_hoc import may_rename, run_statement
from graph.backend import GraphBackend, open_graph
from graph.search_text import refresh_search_text, search_text, searched_labels

TEXTS = "MATCH (n:Company|Operator|Region) RETURN n.key AS key, n.search_text AS text ORDER BY key"


def test_actors_created_by_hand_get_their_search_text(backend: GraphBackend) -> None:
    backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    run_statement(backend, "CREATE (:Company {key: '552032534', name: 'Danone Blédina', aliases: ['Blédina SA']})", write=True)
    run_statement(backend, "CREATE (:Operator {key: 'ademe', name: 'ADEME'})", write=True)
    assert backend.run(TEXTS) == [
        {"key": "32", "text": "hauts-de-france"},
        {"key": "552032534", "text": "danone bledina | bledina sa"},
        {"key": "ademe", "text": "ademe"},
    ]


def test_a_renamed_actor_gets_the_text_of_its_new_names(backend: GraphBackend) -> None:
    backend.upsert_nodes("Operator", [{"key": "ademe", "name": "ADEME"}])
    run_statement(backend, "MATCH (o:Operator {key: 'ademe'}) SET o.name = $name, o.aliases = ['Agence de la transition écologique']",
                  {"name": "Agence de l'environnement"}, write=True)  # fmt: skip
    run_statement(backend, "CREATE (:Region {key: '11', name: 'Île-de-France', search_text: 'wrong'})", write=True)
    assert backend.run(TEXTS) == [
        {"key": "11", "text": "ile-de-france"},
        {"key": "ademe", "text": "agence de l'environnement | agence de la transition ecologique"},
    ]


def test_a_read_fills_nothing(backend: GraphBackend) -> None:
    backend.upsert_nodes("Operator", [{"key": "ademe", "name": "ADEME"}])
    backend.run("MATCH (o:Operator) SET o.search_text = NULL", write=True)
    assert run_statement(backend, "MATCH (o:Operator) RETURN o.key AS key") == ([{"key": "ademe"}], ["key"])
    assert backend.run("MATCH (o:Operator) RETURN o.search_text AS text") == [{"text": None}]


def test_with_nothing_to_fill_the_graph_file_is_not_even_copied(builtin_copy: Path) -> None:
    """A graph opened as loads open it (defer_copy) is read in place and copies the file at its first write: there is none."""
    before = builtin_copy.stat()
    with open_graph(builtin_copy, defer_copy=True) as graph:
        assert refresh_search_text(graph) == 0 and refresh_search_text(graph, compare=True) == 0
    after = builtin_copy.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    ("cypher", "params", "expected"),
    [
        ("CREATE (:Company {key: 'x', name: 'X'})", {}, False),
        ("MATCH (n:Company {key: $k}) DETACH DELETE n", {"k": "x"}, False),
        ("MATCH (n:Company {key: 'x'}) SET n.name = 'Y'", {}, True),
        ("MATCH (n:Company {key: 'x'}) REMOVE n.aliases", {}, True),
        ("MERGE (n:Company {key: 'x'}) ON MATCH SET n.name = 'Y'", {}, True),
        ("CREATE (:Company {key: 'x', name: 'X', `search_text`: 'y'})", {}, True),
        ("CREATE (n:Company $props)", {"props": {"key": "x", "name": "X"}}, True),
        ("COPY Company FROM 'companies.csv'", {}, True),
        ("CREATE (:Company {key: 'x', name: 'SET search_text'})", {}, False),  # words in a string are not clauses
    ],
)
def test_which_statements_may_rename(cypher: str, params: dict, expected: bool) -> None:
    assert may_rename(cypher, params) is expected


def test_the_text_is_that_of_the_loaders() -> None:
    from graph.checked_rows import complete_node
    from graph.schema import schema

    row = complete_node(schema().kind("Epci"), {"key": "200072460", "name": "CA de Béthune-Bruay", "aliases": ["CABBALR"]})
    assert row["search_text"] == search_text("CA de Béthune-Bruay", ["CABBALR"]) == "ca de bethune-bruay | cabbalr"
    assert "Source" not in searched_labels() and len(searched_labels()) == len(schema().kinds) - 1
