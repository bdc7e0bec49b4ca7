"""FUNDS from a funder to every kind the schema lets it fund, whatever the verb's form, with the real French model."""

from __future__ import annotations

import pytest

from graph.schema import schema
from loaders.extract.article import Extractor, load_model
from loaders.extract.text import Article
from loaders.extract.triggers import trigger_type

TERRITORY = ("II-ti-9001", "Béthune-Bruay", "II")
TARGETS = {
    "territory": "le Territoire d'industrie Béthune-Bruay",
    "project": "le projet de gigafactory",
    "epci": "la communauté d'agglomération de Béthune-Bruay",
    "company": "l'entreprise Verkor",
    "programme": "le programme France 2030",
}
ACTIVE = ["{funder} finance {target}", "{funder} a financé {target}", "{funder} financera {target}", "{funder} cofinance {target}"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    found = Extractor(load_model())
    found.places = found.places.with_territories([TERRITORY])
    return found


def _funds(extractor: Extractor, text: str) -> dict[tuple[str, str], dict]:
    result = extractor.extract(Article("a.txt", text, date="2024-03-12"))
    return {(r.source.kind, r.target.kind): r.props for r in result.relations if r.type == "FUNDS"}


def test_every_kind_tested_is_one_the_schema_lets_a_funder_fund() -> None:
    rel = schema().rel("FUNDS")
    assert all(rel.allows("Operator", schema().kind(kind).label) for kind in TARGETS)


@pytest.mark.parametrize("kind", sorted(TARGETS))
@pytest.mark.parametrize("form", ACTIVE)
def test_a_funder_funds_any_fundable_kind_with_the_amount(extractor: Extractor, form: str, kind: str) -> None:
    text = form.format(funder="La Banque des Territoires", target=TARGETS[kind]) + " à hauteur de 3 millions d'euros."
    funds = _funds(extractor, text)
    assert list(funds) == [("operator", kind)]
    assert funds[("operator", kind)]["amount_eur"] == 3_000_000


@pytest.mark.parametrize(
    "text",
    [
        "La Banque des Territoires finance le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros.",
        "La Banque des Territoires et Bpifrance financent le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros.",
        "Le Territoire d'industrie Béthune-Bruay est financé par la Banque des Territoires à hauteur de 3 millions d'euros.",
        "La Banque des Territoires octroie 3 millions d'euros au Territoire d'industrie Béthune-Bruay.",
        "La Banque des Territoires, partenaire du programme Territoires d'industrie, finance le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros.",
        "La Banque des Territoires et Bpifrance, partenaires du programme, financent le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros.",
        "Bpifrance et la Banque des Territoires, soutenues par l'État, financent le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros.",
    ],
    ids=["present", "plural", "passive", "octroie", "after-an-incise", "plural-after-an-incise", "plural-after-a-passive-incise"],
)
def test_the_territory_is_funded_by_the_bank(extractor: Extractor, text: str) -> None:
    result = extractor.extract(Article("a.txt", text, date="2024-03-12"))
    funds = {(r.source.name, r.target.key, r.props["amount_eur"]) for r in result.relations if r.type == "FUNDS"}
    assert ("Banque des Territoires", "II-ti-9001", 3_000_000) in funds
    assert all(source != "Territoires d'industrie" for source, _, _ in funds)  # the incise is not the funder


@pytest.mark.parametrize(
    ("text", "word", "rel_type"),
    [
        ("La Banque des Territoires finance le projet.", "finance", "FUNDS"),
        ("La Région, qui cofinance le projet, signe.", "cofinance", "FUNDS"),
        ("Les acteurs de la finance verte se réunissent.", "finance", None),
        ("Boris Ravignon, maire de Charleville-Mézières, président de la CA Ardenne Métropole, était présent.", "président", None),
        ("La Région et l'État, partenaires du programme, financent le projet.", "financent", "FUNDS"),
        ("La Région et l'État, partenaires du programme, cofinancent ensemble le projet.", "cofinancent", "FUNDS"),
        ("Boris Ravignon, maire de Charleville-Mézières, président du jury, était présent.", "président", None),
    ],
    ids=["after-its-subject", "after-qui", "the-noun", "a-title-after-an-incise", "plural-after-an-incise", "plural-then-adverb", "a-title-then-du"],
)
def test_a_verb_the_model_tags_as_a_noun_is_read_as_a_verb(word: str, text: str, rel_type: str | None) -> None:
    token = next(t for t in load_model()(text) if t.text == word)
    assert trigger_type(token) == rel_type


@pytest.mark.parametrize("verb", ["finance", "a financé"])
def test_the_amount_is_no_part_of_the_project_name(extractor: Extractor, verb: str) -> None:
    result = extractor.extract(Article("a.txt", f"La Banque des Territoires {verb} le projet de gigafactory à hauteur de 3 millions d'euros.", date="2024-03-12"))
    assert [a.name for a in result.actors if a.kind == "project"] == ["projet de gigafactory"]
