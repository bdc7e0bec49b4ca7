"""Relationships read from the syntax of French sentences (passives, lists of subjects, "avec", "la Région"), with the real French model."""

from __future__ import annotations

import pytest

from loaders.extract.article import Extractor, load_model
from loaders.extract.text import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_model())


def _relations(extractor: Extractor, text: str, rel_type: str) -> set[tuple[str, str]]:
    result = extractor.extract(Article("a.txt", text, date="2024-03-12"))
    return {(r.source.name, r.target.name) for r in result.relations if r.type == rel_type}


@pytest.mark.parametrize(
    ("text", "supported"),
    [
        ("Les entreprises Lhyfe et McPhy, toutes deux soutenues par Bpifrance, recrutent.", {("Bpifrance", "Lhyfe"), ("Bpifrance", "McPhy")}),
        ("Les entreprises Lhyfe et McPhy, elles aussi soutenues par Bpifrance, recrutent.", {("Bpifrance", "Lhyfe"), ("Bpifrance", "McPhy")}),
        ("Bpifrance soutient les entreprises Lhyfe et McPhy par ses prêts.", {("Bpifrance", "Lhyfe"), ("Bpifrance", "McPhy")}),
    ],
    ids=["tagged-a-noun", "tagged-an-adjective", "active-with-par"],
)
def test_a_participle_is_a_passive_whatever_its_tag(extractor: Extractor, text: str, supported: set[tuple[str, str]]) -> None:
    assert _relations(extractor, text, "SUPPORTS") == supported


@pytest.mark.parametrize(
    ("text", "funded"),
    [
        ("La présidente de la Région Bretagne, Isabelle Le Callennec, a visité le site. La Région finance le projet de gigafactory.", {("Bretagne", "projet de gigafactory")}),
        ("La Région Bretagne et la Région Normandie ont signé. La Région finance le projet de gigafactory.", set()),
        ("La Région Bretagne soutient le projet de gigafactory. Les entreprises de la région financent le projet de gigafactory.", set()),
    ],
    ids=["one-region", "two-regions", "lower-case"],
)
def test_la_region_is_the_one_region_the_article_names(extractor: Extractor, text: str, funded: set[tuple[str, str]]) -> None:
    assert _relations(extractor, text, "FUNDS") == funded


def test_la_region_named_after_it(extractor: Extractor) -> None:
    text = "Le projet de gigafactory, soutenu par l'État et la Région, avance. Le préfet de la région Bretagne l'a confirmé."
    assert _relations(extractor, text, "SUPPORTS") == {("État", "projet de gigafactory"), ("Bretagne", "projet de gigafactory")}


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        ("Le Territoire d'industrie Vallée de la Maurienne accompagne l'entreprise. Ce territoire avait été labellisé une première fois en 2019.", True),
        ("Le Territoire d'industrie Vallée de la Maurienne accompagne l'entreprise. Labellisé en 2019, ce territoire regroupe cinq communautés de communes.", True),
        ("Dans le Territoire d'industrie Vallée de la Maurienne, la PME Alpes Alu a été labellisée Entreprise du patrimoine vivant.", False),
    ],
    ids=["subject", "opening-participle", "another-subject"],
)
def test_a_territory_said_to_be_labelled_bears_the_programme_label(extractor: Extractor, text: str, labelled: bool) -> None:
    assert _relations(extractor, text, "LABELLED") == ({("Vallée de la Maurienne", "Territoires d'industrie")} if labelled else set())


@pytest.mark.parametrize(
    ("text", "rel_type", "found"),
    [
        ("La CA Vitré Communauté accompagne l'entreprise Bretagne Emballages pour le recrutement avec France Travail.", "SUPPORTS", {("France Travail", "Bretagne Emballages")}),
        ("Bpifrance accompagne l'entreprise Lhyfe avec la Région Bretagne et l'Ademe.", "SUPPORTS", {("Bpifrance", "Lhyfe"), ("Bretagne", "Lhyfe"), ("ADEME", "Lhyfe")}),
        ("Le président, Christophe Le Dorven, a participé à une réunion de lancement du projet avec le sous-préfet de Dreux.", "TOOK_PART",
         {("Christophe Le Dorven", "réunion de lancement du projet"), ("Sous-préfecture de Dreux", "réunion de lancement du projet")}),
        ("L'État soutient la coopération de la société Lhyfe avec Bpifrance.", "SUPPORTS", {("État", "Lhyfe")}),
        ("La Région Bretagne accompagne l'entreprise Lhyfe, qui travaille avec Bpifrance.", "SUPPORTS", {("Bretagne", "Lhyfe")}),
    ],
    ids=["avec", "avec-a-list", "took-part-avec", "a-noun-s-complement", "another-clause"],
)  # fmt: skip
def test_who_acts_avec_the_subject_shares_its_relationship(extractor: Extractor, text: str, rel_type: str, found: set[tuple[str, str]]) -> None:
    assert _relations(extractor, text, rel_type) == found


@pytest.mark.parametrize(
    ("text", "present"),
    [
        (
            "Le préfet du Doubs, Rémi Bastille, et la présidente de la Région Bourgogne-Franche-Comté, Marie-Guite Dufay, assistaient à la signature.",
            {"Rémi Bastille", "Marie-Guite Dufay"},
        ),
        (
            "La sous-préfète d'Aubusson, Céline Tissot, et le député Jean-Baptiste Moreau ont également participé à la cérémonie de signature.",
            {"Céline Tissot", "Jean-Baptiste Moreau"},
        ),
    ],
    ids=["two-titles", "title-then-name"],
)
def test_titles_listed_as_subjects_stand_for_the_people_named_beside_them(extractor: Extractor, text: str, present: set[str]) -> None:
    assert {source for source, _ in _relations(extractor, text, "TOOK_PART")} == present
