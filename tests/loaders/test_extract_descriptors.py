"""Actors named right after the noun that says what they are ("l'association X"), with the real French model."""

from __future__ import annotations

import pytest

from loaders.extract.article import Extraction, Extractor, load_model
from loaders.extract.facts import facts_document
from loaders.extract.text import Article

DESCRIBED = ("company", "organisation", "operator")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_model())


def _extract(extractor: Extractor, text: str) -> Extraction:
    return extractor.extract(Article("a.txt", text, date="2024-03-12"))


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("L'association Initiative Béthune accompagne les entreprises du territoire.", "organisation", "Initiative Béthune"),
        ("Créée en 2005, l'association Initiative Béthune a prêté 2 millions d'euros à 80 créateurs.", "organisation", "Initiative Béthune"),
        ("L'association « Initiative Pays d'Arles » réunit les créateurs.", "organisation", "Initiative Pays d'Arles"),
        ("La fondation Valentin Haüy soutient le projet.", "organisation", "Valentin Haüy"),
        ("Le syndicat patronal Plastalliance s'inquiète du prix de l'énergie.", "organisation", "Plastalliance"),
        ("Le syndicat Plasturgie Hauts-de-France a signé une convention.", "organisation", "Plasturgie Hauts-de-France"),
        ("Le pôle de compétitivité Vallée de la Chimie réunit les industriels.", "organisation", "Vallée de la Chimie"),
        ("Le pôle de compétitivité S2E2 pilote le projet.", "organisation", "S2E2"),
        ("Le club d'entreprises Réseau Alliances réunit les dirigeants.", "organisation", "Réseau Alliances"),
        ("Le groupement d'employeurs GEIQ Industrie recrute des soudeurs.", "organisation", "GEIQ Industrie"),
        ("La chambre d'agriculture du Nord-Pas-de-Calais soutient le projet.", "organisation", "chambre d'agriculture du Nord-Pas-de-Calais"),
        ("La CCI d'Occitanie soutient le projet.", "organisation", "CCI d'Occitanie"),
        ("La Fondation de France soutient le projet.", "organisation", "Fondation de France"),
        ("L'Association Initiative Béthune fête ses vingt ans.", "organisation", "Association Initiative Béthune"),
        ("La coopérative Agrial investit 20 millions d'euros.", "company", "Agrial"),
        ("Le cabinet Roland Berger a rendu son étude.", "company", "Roland Berger"),
        ("La start-up grenobloise Lhyfe ouvre une usine.", "company", "Lhyfe"),
        ("L'agence AD Normandie accompagne la PME.", "operator", "AD Normandie"),
        ("L'agence régionale de développement AD Normandie accompagne la PME.", "operator", "AD Normandie"),
        ("L'agence de développement économique AD Normandie accompagne la PME.", "operator", "AD Normandie"),
        ("L'agence immobilière Orpi a vendu le site.", "company", "Orpi"),
        ("L'agence de communication Publicis Activ a réalisé la campagne.", "company", "Publicis Activ"),
        ("L'agence web Synapse a conçu le site.", "company", "Synapse"),
        ("L'agence d'intérim Adecco recrute des soudeurs.", "company", "Adecco"),
    ],
)
def test_the_noun_before_a_proper_name_gives_its_kind(extractor: Extractor, text: str, kind: str, name: str) -> None:
    extraction = _extract(extractor, text)
    assert [(a.kind, a.name) for a in extraction.actors if a.kind in DESCRIBED] == [(kind, name)]
    document = facts_document(extraction)
    (entry,) = [e for e in document["actors"] + document.get("pending", {}).get("actors", []) if e["name"] == name]
    (evidence,) = entry["evidence"]
    assert evidence["quote"] == text and name in text[evidence["start"] : evidence["end"]]


@pytest.mark.parametrize(
    "text",
    [
        "L'association des maires ruraux a été reçue par le ministre.",
        "Une entreprise locale a remporté le marché.",
        "Selon l'association, le projet avance.",
        "Les entreprises du territoire Béthune-Bruay recrutent.",
        "Le groupe de travail Industrie du futur se réunit.",
        "La société emploie Jean Dupont depuis 2020.",
        "L'association accompagne Jean Dupont depuis 2020.",
        "Le chef d'entreprise Jean Dupont a signé.",
        "Le syndicat appelle Stellantis à revoir sa copie.",
    ],
    ids=["des-maires", "locale", "alone", "du-territoire", "de-travail", "emploie", "accompagne", "chef-d-entreprise", "appelle"],
)
def test_no_actor_from_a_generic_phrase_or_a_verb(extractor: Extractor, text: str) -> None:
    assert [(a.kind, a.name) for a in _extract(extractor, text).actors if a.kind in DESCRIBED] == []


def test_the_organisation_holds_roles_and_signs(extractor: Extractor) -> None:
    text = (
        "Le président de l'association Initiative Béthune, Jean Dupont, a présenté le bilan. "
        "L'association Initiative Béthune et la Région Hauts-de-France ont signé une convention."
    )
    found = {(r.type, r.source.name, r.target.name) for r in _extract(extractor, text).relations}
    assert ("HOLDS_ROLE", "Jean Dupont", "Initiative Béthune") in found
    assert ("SIGNED", "Initiative Béthune", "convention") in found


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Les associations Initiative Béthune et France Active accompagnent les créateurs.", ["Initiative Béthune", "France Active"]),
        ("Les entreprises Lhyfe, McPhy et Genvia recrutent.", ["Lhyfe", "McPhy", "Genvia"]),
        ("Les clusters Aerospace Valley et Minalogic et la Région Occitanie ont signé une convention.", ["Aerospace Valley", "Minalogic"]),
        ("La fédération Plasturgie et Composites a signé une convention.", ["Plasturgie et Composites"]),
        ("Le groupement Forges et Fonderies de Bretagne soutient le projet.", ["Forges et Fonderies de Bretagne"]),
        # after a singular noun, "et" ends the name before an article, a known name or a plural verb
        ("Le cluster Aerospace Valley et la Région Occitanie ont signé une convention.", ["Aerospace Valley"]),
        ("La société Lhyfe et Bpifrance a signé une convention.", ["Lhyfe", "Bpifrance"]),
        ("La start-up Lhyfe et Engie ont signé une convention.", ["Lhyfe"]),
        ("L'association Initiative Béthune et France Active accompagnent les créateurs.", ["Initiative Béthune"]),
        # without "et", commas join names when a plural verb, a plural participle, "…" or a parenthesis ends the list
        ("Les start-up Lhyfe, McPhy, Genvia recrutent.", ["Lhyfe", "McPhy", "Genvia"]),
        ("Les entreprises Lhyfe, McPhy, Genvia ont signé une convention.", ["Lhyfe", "McPhy", "Genvia"]),
        ("Les start-up Lhyfe, McPhy, Genvia, soutenues par la Région, recrutent.", ["Lhyfe", "McPhy", "Genvia"]),
        ("Les entreprises Lhyfe, McPhy, Genvia… recrutent.", ["Lhyfe", "McPhy", "Genvia"]),
        ("Les entreprises Lhyfe, Jean Dupont le confirme, recrutent.", ["Lhyfe"]),
        ("Les entreprises Lhyfe, McPhy soutient la démarche.", ["Lhyfe"]),
    ],
    ids=[
        "plural-and", "plural-commas", "plural-then-article", "singular-and", "singular-and-de", "article", "known", "plural-verb", "plural-verb-2",
        "commas-plural-verb", "commas-ont", "commas-participle", "commas-ellipsis", "commas-then-a-person", "commas-singular-verb",
    ],
)  # fmt: skip
def test_a_plural_noun_announces_a_list_a_singular_one_a_name(extractor: Extractor, text: str, named: list[str]) -> None:
    assert [a.name for a in _extract(extractor, text).actors if a.kind in DESCRIBED] == named


@pytest.mark.parametrize(
    ("text", "signed"),
    [
        ("Le cluster Aerospace Valley et la start-up Lhyfe ont signé une convention.", {"Aerospace Valley", "Lhyfe"}),
        ("La start-up Lhyfe et la Région Occitanie ont signé une convention.", {"Lhyfe", "Occitanie"}),
        (
            "La convention de partenariat a été présentée mardi. Le cluster Aerospace Valley et la start-up grenobloise Lhyfe ont signé la convention.",
            {"Aerospace Valley", "Lhyfe"},
        ),
        ("Le cluster Aerospace Valley accompagne la start-up Lhyfe. La Région Occitanie a signé une convention.", {"Occitanie"}),
    ],
    ids=["two-nouns", "noun-then-region", "qualified", "not-a-list"],
)
def test_a_list_shares_its_verb_past_the_nouns_of_its_members(extractor: Extractor, text: str, signed: set[str]) -> None:
    assert {r.source.name for r in _extract(extractor, text).relations if r.type == "SIGNED"} == signed


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("L'association Initiative Béthune accompagne les créateurs. L'association a signé une convention avec la Région Normandie.", "Initiative Béthune", "SIGNED"),
        ("Le cluster Aerospace Valley réunit 600 membres. Le cluster a signé une convention avec la Région Normandie.", "Aerospace Valley", "SIGNED"),
        ("La fondation Valentin Haüy soutient le projet. La fondation a signé une convention avec la Région Normandie.", "Valentin Haüy", "SIGNED"),
        ("L'agence Business France accompagne la PME Nacon. L'agence a signé une convention avec la Région Normandie.", "Business France", "SIGNED"),
        ("L'association Initiative Béthune accompagne les créateurs. Le président de l'association, Jean Dupont, a présenté le bilan.", "Initiative Béthune", "HOLDS_ROLE"),
    ],
    ids=["association", "cluster", "fondation", "known-agency", "title"],
)
def test_the_noun_alone_refers_back_to_the_actor_named_with_it(extractor: Extractor, text: str, name: str, found: str) -> None:
    extraction = _extract(extractor, text)
    (actor,) = [a for a in extraction.actors if a.name == name]
    assert [m.how for m in actor.mentions][-1] == "back"
    assert any(r.type == found and name in {r.source.name, r.target.name} for r in extraction.relations)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le cluster Aerospace Valley réunit 600 membres. L'association a signé une convention avec la Région Normandie.", "Aerospace Valley"),
        ("L'association Initiative Béthune accompagne les créateurs. L'association lilloise France Active prête aussi.", "Initiative Béthune"),
        ("Le réseau Entreprendre Paris accompagne les créateurs. Le réseau électrique sera renforcé.", "Entreprendre Paris"),
        ("L'entreprise Saverglass investit à Feuquières. L'entreprise familiale Verallia recrute.", "Saverglass"),
    ],
    ids=["other-noun", "qualified-name-follows", "adjective-follows", "company-qualified-name-follows"],
)
def test_the_noun_alone_does_not_refer_back_to_another_kind_of_actor_or_before_a_name(extractor: Extractor, text: str, name: str) -> None:
    (actor,) = [a for a in _extract(extractor, text).actors if a.name == name]
    assert [m.how for m in actor.mentions] == ["rule"]
