"""Finding, showing and resolving actors on the built-in dataset."""

from __future__ import annotations

import pytest

from graph.backend import GraphBackend
from graph.errors import ActorNotFound, InvalidName, SchemaError
from queries.lookup import describe_actor, find_actors, resolve_actor, show_actor


def test_find_is_blind_to_case_and_accents(builtin_graph: GraphBackend) -> None:
    rows = find_actors(builtin_graph, "bethune")
    assert rows[0] == {"id": "commune:62119", "kind": "Commune", "name": "Béthune", "matched": "Béthune", "score": 100.0, "tier": "exact"}
    assert {"territory:I-ti-3204", "epci:200072460"} <= {r["id"] for r in rows}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert find_actors(builtin_graph, "BÉTHUNE", limit=2) == rows[:2]


def test_find_by_alias(builtin_graph: GraphBackend) -> None:
    rows = find_actors(builtin_graph, "adcf")
    assert rows[0]["id"] == "organisation:intercommunalites-de-france" and rows[0]["matched"] == "AdCF"
    assert rows[0]["name"] == "Intercommunalités de France"


@pytest.mark.parametrize(
    ("text", "node_id"),
    [
        ("Région Occitanie", "region:76"),
        ("Département du Lot", "department:46"),
        ("Lot", "department:46"),
        ("Territoire d'industrie Béthune-Bruay", "territory:I-ti-3204"),
        ("BPI", "operator:bpifrance"),
        ("BdT", "operator:banque-des-territoires"),
        ("l’Etat", "statebody:etat"),
    ],
)
def test_find_puts_the_actor_named_first(builtin_graph: GraphBackend, text: str, node_id: str) -> None:
    assert find_actors(builtin_graph, text)[0]["id"] == node_id


@pytest.mark.parametrize("kind", ["epci", "Epci", "EPCI"])
def test_find_with_kind(builtin_graph: GraphBackend, kind: str) -> None:
    assert [r["id"] for r in find_actors(builtin_graph, "bethune", kind=kind)] == ["epci:200072460"]


def test_find_leaves_sources_out(builtin_graph: GraphBackend) -> None:
    assert all(r["kind"] != "Source" for r in find_actors(builtin_graph, "premier bilan", limit=1000))


@pytest.mark.parametrize("text", ["", "  ", "x" * 10_000])
def test_find_refuses_what_cannot_be_a_name(builtin_graph: GraphBackend, text: str) -> None:
    with pytest.raises(InvalidName, match="the name is"):
        find_actors(builtin_graph, text)


def test_find_with_unknown_kind(builtin_graph: GraphBackend) -> None:
    with pytest.raises(SchemaError) as excinfo:
        find_actors(builtin_graph, "bethune", kind="epic")
    assert str(excinfo.value).startswith('Unknown kind "epic". Known kinds: statebody, region, department, commune, epci,')
    assert "source" not in str(excinfo.value).split("Known kinds:")[1]
    with pytest.raises(SchemaError, match=r'^A source is a document, not an actor: "tdi sources" lists them'):
        find_actors(builtin_graph, "bethune", kind="source")


def test_describe_actor(builtin_graph: GraphBackend) -> None:
    actor = describe_actor(builtin_graph, "Epci:200072460")
    assert (actor["id"], actor["kind"], actor["key"]) == ("epci:200072460", "Epci", "200072460")
    assert actor["properties"]["name"] == "CA de Béthune-Bruay, Artois-Lys Romane"
    assert "search_text" not in actor["properties"]
    assert list(actor["properties"]) == sorted(actor["properties"]), "the same order on every backend"
    assert actor["sources"][0]["key"] == "press-2023-12-accord-region-intercommunalites"
    assert actor["sources"][0]["name"].startswith("Dans les Hauts-de-France")
    rels = {(r["direction"], r["type"], r["other_id"]): r for r in actor["relationships"]}
    signed = rels[("out", "SIGNED", "agreement:accord-region-hauts-de-france-intercommunalites-2023")]
    assert signed["properties"] == {"date": "2023-12-18"}
    assert signed["sources"] == [
        {
            "key": "press-2023-12-accord-region-intercommunalites",
            "name": 'Dans les Hauts-de-France, la région et les intercommunalités signent un "accord inédit" sur la réindustrialisation',
            "date": "2023-12",
            "url": None,
        }
    ]
    assert signed["evidence"][0].startswith("press-2023-12-accord-region-intercommunalites: ")
    president = rels[("in", "HOLDS_ROLE", "person:olivier-gacquerre")]
    assert president["other_kind"] == "Person" and president["other_name"] == "Olivier Gacquerre"
    assert rels[("in", "SUPPORTS", "programme:rebond-industriel")]["other_name"] == "Rebond industriel"


def test_describe_region_cites_the_reference_data(builtin_graph: GraphBackend) -> None:
    region = describe_actor(builtin_graph, "region:32")
    assert region["sources"][0]["key"] == "decoupage-administratif-2026"
    assert region["sources"][0]["url"] == "https://github.com/etalab/decoupage-administratif"
    assert ("in", "IN_REGION", "department:62") in {(r["direction"], r["type"], r["other_id"]) for r in region["relationships"]}


def test_describe_lists_relationships_out_then_in_by_type_name_and_key(builtin_graph: GraphBackend) -> None:
    rels = describe_actor(builtin_graph, "region:32")["relationships"]
    order = [(r["direction"] != "out", r["type"], r["other_name"] is None, r["other_name"] or "", r["other_id"].partition(":")[2])
             for r in rels]  # fmt: skip
    assert order == sorted(order)
    assert {r["direction"] for r in rels} == {"out", "in"} and len({r["type"] for r in rels}) > 2


def test_describe_unknown_actor(builtin_graph: GraphBackend) -> None:
    with pytest.raises(ActorNotFound) as excinfo:
        describe_actor(builtin_graph, "region:99")
    assert str(excinfo.value) == 'No actor region:99. Run "tdi find TEXT" to look it up.'


@pytest.mark.parametrize("node_id", ["bpifrance", "planet:3", ":32"])
def test_describe_malformed_id(builtin_graph: GraphBackend, node_id: str) -> None:
    with pytest.raises(SchemaError):
        describe_actor(builtin_graph, node_id)


@pytest.mark.parametrize(
    ("text", "node_id"),
    [
        ("operator:bpifrance", "operator:bpifrance"),
        ("Operator:bpifrance", "operator:bpifrance"),
        ("bpifrance", "operator:bpifrance"),
        ("Béthune", "commune:62119"),  # the exact name wins over Béthune-Bruay and the others
        ("bethune-bruay", "territory:I-ti-3204"),
        ("Grand Chalon", "epci:247100589"),  # an exact alias wins over a project's name
        ("Première gigafactory", "project:premiere-gigafactory-hauts-de-france"),  # words that begin one name only
    ],
)
def test_resolve_actor(builtin_graph: GraphBackend, text: str, node_id: str) -> None:
    assert resolve_actor(builtin_graph, text) == node_id


def test_resolve_ambiguous_name(builtin_graph: GraphBackend) -> None:
    with pytest.raises(ActorNotFound) as excinfo:
        resolve_actor(builtin_graph, "Réindustrialisation")
    assert str(excinfo.value) == (
        '"Réindustrialisation" matches 2 actors: '
        "event:signature-accord-region-intercommunalites-bethune-2023-12-18 "
        "(Signature de l'accord région-intercommunalités sur la réindustrialisation à Béthune), "
        "agreement:accord-region-hauts-de-france-intercommunalites-2023 "
        "(Accord de partenariat intercommunalités-région sur la réindustrialisation (Hauts-de-France)). "
        "Give one of these ids instead."
    )


def test_resolve_lists_at_most_five(empty_graph: GraphBackend) -> None:
    namesakes = [{"key": f"{department}001", "name": "Saint-Denis"} for department in ("01", "11", "30", "93", "95", "14", "17")]
    empty_graph.upsert_nodes("Commune", namesakes)
    with pytest.raises(ActorNotFound) as excinfo:
        resolve_actor(empty_graph, "St Denis")
    assert str(excinfo.value).startswith('"St Denis" matches 7 actors: commune:')
    assert str(excinfo.value).count("commune:") == 5
    assert ", …. Give one of these ids instead." in str(excinfo.value)


@pytest.mark.parametrize("text", ["zzz", "region:99"])
def test_resolve_not_found(builtin_graph: GraphBackend, text: str) -> None:
    with pytest.raises(ActorNotFound, match='Run "tdi find TEXT" to look it up.'):
        resolve_actor(builtin_graph, text)


@pytest.mark.parametrize(("text", "node_id"), [("Operator:bpifrance", "operator:bpifrance"), ("Béthune", "commune:62119")])
def test_show_actor_by_id_or_name(builtin_graph: GraphBackend, text: str, node_id: str) -> None:
    """An id is described without resolving it first, a name after resolving it: the same actor either way."""
    assert show_actor(builtin_graph, text) == describe_actor(builtin_graph, node_id)


@pytest.mark.parametrize("text", ["region:99", "zzz"])
def test_show_actor_not_found(builtin_graph: GraphBackend, text: str) -> None:
    with pytest.raises(ActorNotFound) as resolved:
        resolve_actor(builtin_graph, text)
    with pytest.raises(ActorNotFound) as shown:
        show_actor(builtin_graph, text)
    assert str(shown.value) == str(resolved.value)
