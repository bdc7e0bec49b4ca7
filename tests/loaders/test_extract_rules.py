"""The extractor's rules that need no language model: amounts, dates, input checks, quotes, review."""

from __future__ import annotations

from datetime import date

import pytest

from graph.errors import LoaderError, SchemaError
from graph.name_index import NameIndex
from loaders.extract import review
from loaders.extract.actors import ActorProposal
from loaders.extract.amounts import find_amounts
from loaders.extract.dates import find_dates
from loaders.extract.facts import quote_span
from loaders.extract.gazetteer import gazetteer
from loaders.extract.match import best_match, match_actors
from loaders.extract.mentions import Mention, fold_same_length, lexicon
from loaders.extract.patterns import find_pattern_mentions
from loaders.extract.roles import implied_body, split_titles
from loaders.extract.text import MAX_BYTES, read_article_bytes


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("une aide de 1,5 M€ pour l'usine", [1.5e6]),
        ("382 millions d'euros de l'État", [382e6]),
        ("un budget de 1 234 567 € voté", [1234567.0]),
        ("un prêt de 300\u202f000 euros", [300000.0]),
        ("environ cinq millions d’euros débloqués", [5e6]),
        ("2,5 milliards d'euros et 10 Md€", [2.5e9, 1e10]),
        ("18 territoires, 550 emplois, 1,36 milliard annoncé", []),
    ],
)
def test_french_amounts_in_euros(text: str, euros: list[float]) -> None:
    assert [a.euros for a in find_amounts(text)] == euros


def test_amount_text_is_the_exact_substring() -> None:
    text = "Bpifrance apporte 1,5 M€ à la PME."
    (amount,) = find_amounts(text)
    assert text[amount.start : amount.end] == amount.text == "1,5 M€"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("signé mardi dernier", "2024-04-30"),  # the article is Thursday 2 May 2024
        ("signé le 12 mars", "2024-03-12"),
        ("signé le 18 décembre", "2023-12-18"),  # December, read in May: last year's
        ("le 1er juin 2021", "2021-06-01"),
        ("en 2023", "2023"),
        ("en mars 2023", "2023-03"),
        ("l'an dernier", "2023"),
        ("il y a six ans", "2018"),
        ("hier", "2024-05-01"),
        ("vendredi prochain", "2024-05-03"),
    ],
)
def test_dates_resolved_against_the_article(text: str, value: str) -> None:
    assert [d.value for d in find_dates(text, date(2024, 5, 2))] == [value]


def test_relative_dates_need_the_article_date() -> None:
    assert [d.value for d in find_dates("mardi dernier, le 12 mars 2024", None)] == ["2024-03-12"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.txt: the file is empty; expected the text of an article."),
        (b"  \n\n ", "a.txt: the file is empty; expected the text of an article."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: a binary file (it holds NUL bytes); expected UTF-8 text or HTML."),
        (b"x" * (MAX_BYTES + 1), "a.txt: more than 1 MB; an article is expected: pass one article at a time."),
    ],
    ids=["empty", "blank", "binary", "too-large"],
)
def test_bad_input_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(LoaderError) as error:
        read_article_bytes(data, "a.txt")
    assert str(error.value) == message


def test_html_is_reduced_to_its_article_text() -> None:
    page = (
        "<html><head><title>Un pacte signé à Arques</title><script>var tracker = 'Bpifrance';</script></head>"
        "<body><nav>Accueil | Économie | Sports</nav><article><h1>Un pacte signé à Arques</h1>"
        "<p>La Communauté d'agglomération du Pays de Saint-Omer et la Région Hauts-de-France ont signé mardi "
        "un pacte pour l'emploi industriel. Le Territoire d'industrie Flandre-Audomarois suit le dossier depuis 2019, "
        "avec les industriels du verre et de l'agroalimentaire qui recrutent.</p>"
        "<p>Le Département du Pas-de-Calais apporte 300 000 euros au dispositif, qui doit pourvoir 1 200 postes.</p>"
        "</article><footer>© Le Journal 2024 — mentions légales</footer><script>alert('x')</script></body></html>"
    ).encode()
    article = read_article_bytes(page, "page.html")
    assert "Pays de Saint-Omer" in article.text and "300 000 euros" in article.text
    assert "tracker" not in article.text and "alert" not in article.text and "mentions légales" not in article.text
    assert article.title == "Un pacte signé à Arques"


def test_latin1_text_is_read() -> None:
    article = read_article_bytes("La Région soutient l'usine de Béthune.".encode("latin-1"), "a.txt")
    assert "Béthune" in article.text


def test_english_text_does_not_read_as_french() -> None:
    english = read_article_bytes(b"The government announced a new support package for industrial regions.", "a.txt")
    french = read_article_bytes("Le gouvernement a annoncé un plan pour les territoires de l'industrie.".encode(), "a.txt")
    assert english.french_share < 0.15 < french.french_share


def test_folding_keeps_offsets() -> None:
    text = "l’État à Béthune-Bruay œuvre"
    assert len(fold_same_length(text)) == len(text)


def test_lexicon_names_and_strict_capitals() -> None:
    text = "Avec l’ANCT et l’État, pas l'état des lieux ; la banque des territoires aussi."
    found = [(m.kind, m.name, m.text) for m in lexicon().find(text, fold_same_length(text))]
    assert found == [
        ("statebody", "Agence nationale de la cohésion des territoires", "ANCT"),
        ("statebody", "État", "État"),
        ("operator", "Banque des Territoires", "banque des territoires"),
    ]


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("la Communauté de communes du Pays de Lumbres a voté", "epci", "Communauté de communes du Pays de Lumbres"),
        ("selon la CA du Grand Chalon, qui", "epci", "CA du Grand Chalon"),
        ("le Territoire d'industrie Vallée de la Bresle a", "territory", "Vallée de la Bresle"),
        ("sur le territoire Flandre-Audomarois, les", "territory", "Flandre-Audomarois"),
        ("la région Grand Est finance", "region", "Grand Est"),
        ("le département du Nord a", "department", "Nord"),
        ("le ministère de l'Économie et des Finances a", "statebody", "Ministère de l'Économie et des Finances"),
        ("l'entreprise Saverglass investit", "company", "Saverglass"),
        ("Le sous-traitant automobile Meyer Précision, basé à", "company", "Meyer Précision"),
        ("l'Ademe financera 900 000 € au titre du Fonds chaleur.", "programme", "Fonds chaleur"),
        ("La préfète des Ardennes, Marie-Hélène Ruiz, a salué", "person", "Marie-Hélène Ruiz"),
        ("en compagnie de Soazig Le Cam, vice-présidente de la Région", "person", "Soazig Le Cam"),
        ("Le préfet d'Ille-et-Vilaine, Amaury de Saint-Quentin, a visité", "person", "Amaury de Saint-Quentin"),
    ],
)
def test_programme_patterns(text: str, kind: str, name: str) -> None:
    assert (kind, name) in [(m.kind, m.name) for m in find_pattern_mentions(text)]


def test_titles_split_and_the_bodies_they_imply() -> None:
    assert [t for _, _, t in split_titles(0, "président d'Ardenne Métropole et maire de Charleville-Mézières")] == [
        "président d'Ardenne Métropole",
        "maire de Charleville-Mézières",
    ]
    assert implied_body("préfet d'Ille-et-Vilaine") == "Préfecture d'Ille-et-Vilaine"
    assert implied_body("sous-préfète d'Aubusson") == "Sous-préfecture d'Aubusson"
    assert implied_body("Premier ministre") == "Premier ministre"
    assert implied_body("maire de Douai") is None


_GRAPH_NAMES = [
    {"kind": "Epci", "key": "200069037", "name": "CA du Pays de Saint-Omer", "aliases": [], "degree": 5},
    {"kind": "Territory", "key": "I-ti-32-07", "name": "Flandre - Saint-Omer", "aliases": [], "degree": 3},
    {"kind": "Territory", "key": "II-ti-3207", "name": "Flandre - Saint-Omer", "aliases": [], "degree": 2},
    {"kind": "Operator", "key": "bpifrance", "name": "Bpifrance", "aliases": ["BPI"], "degree": 9},
    {"kind": "Commune", "key": "62765", "name": "Saint-Omer", "aliases": [], "degree": 4},
    {"kind": "Commune", "key": "27562", "name": "Saint-Omer-en-Chaussée", "aliases": [], "degree": 1},
]


@pytest.mark.parametrize(
    ("kind", "names", "phase", "expected"),
    [
        ("epci", ["Communauté d'agglomération du Pays de Saint-Omer"], "II", "epci:200069037"),  # legal form spelled out
        ("territory", ["Saint-Omer – Flandre"], "II", "territory:II-ti-3207"),  # words in another order; the article's phase
        ("territory", ["Flandre-Saint-Omer"], "I", "territory:I-ti-32-07"),
        ("organisation", ["Banque publique d'investissement"], "II", "operator:bpifrance"),  # kinds the press mixes up
        ("commune", ["Saint Omer"], "II", "commune:62765"),
        ("commune", ["Omer"], "II", None),  # not sure enough: no match rather than a guess
        ("person", ["Bpifrance"], "II", None),  # another kind
    ],
)
def test_matching_uses_the_name_matcher_of_find(kind: str, names: list[str], phase: str, expected: str | None) -> None:
    found = best_match(NameIndex(_GRAPH_NAMES), kind, names, phase=phase)
    assert (found or {}).get("id") == expected


def test_matching_skips_what_only_refers_back() -> None:
    """"L'industriel" is another mention of the company, not a name: it must not match "Rebond industriel"."""
    names = [*_GRAPH_NAMES, {"kind": "Programme", "key": "rebond-industriel", "name": "Rebond industriel", "aliases": [], "degree": 1}]
    company = ActorProposal("company", "Bretagne Emballages", [Mention(0, 19, "Bretagne Emballages", "company", "Bretagne Emballages", 0.6, "rule"),
                                                               Mention(30, 42, "L'industriel", "company", "Bretagne Emballages", 0.5, "back")])  # fmt: skip
    place = ActorProposal("epci", "CA du Pays de Saint-Omer", [Mention(50, 74, "CA du Pays de Saint-Omer", "epci", "x", 0.85, "rule")], key="200069037")
    match_actors(NameIndex(names), [company, place])
    assert company.match is None and place.match == {"id": "epci:200069037", "name": "CA du Pays de Saint-Omer"}


def test_gazetteer_keys_places() -> None:
    places = gazetteer()
    assert places.lookup("epci", "Communauté d'agglomération Béthune-Bruay Artois Lys Romane")[0] == "200072460"
    assert places.lookup("epci", "Communauté de communes des Villes Sœurs")[0] == "247600588"
    assert places.lookup("department", "Pas-de-Calais") == ("62", "Pas-de-Calais")
    assert places.lookup("commune", "Nowhere-sur-Rien") is None


def test_quote_is_its_sentence_or_a_window_of_at_most_200_characters() -> None:
    long = "Au début, " + "des mots " * 40 + "puis Bpifrance finance l'usine " + "et encore " * 40 + "fin."
    start = long.index("Bpifrance")
    q_start, q_end = quote_span(long, start, start + 9, [(0, len(long))])
    assert q_end - q_start <= 200 and q_start <= start and start + 9 <= q_end
    assert not long[q_start].isspace() and long[q_start - 1] == " "


def _document() -> dict:
    return {
        "sources": [{"id": "s", "name": "S"}],
        "actors": [
            {"id": "person:jean-dupon", "name": "Jean Dupon", "evidence": [], "extraction": {"status": "new", "kind": "person"}},
            {"id": "commune:59178", "name": "Douai", "evidence": [], "extraction": {"status": "new", "kind": "commune"}},
        ],
        "relationships": [{"type": "HOLDS_ROLE", "from": "person:jean-dupon", "to": "commune:59178"}],
        "pending": {
            "actors": [{"name": "Nacon", "evidence": [], "extraction": {"status": "new", "kind": "company", "key": None}}],
            "relationships": [{"type": "HOLDS_ROLE", "from": "person:jean-dupon", "to": "Nacon"}],
        },
    }


def test_review_key_moves_a_pending_actor_and_its_relationships() -> None:
    document = _document()
    review.set_key(document, document["pending"]["actors"][0], "356805044")
    assert [a["id"] for a in document["actors"]][-1] == "company:356805044"
    assert document["relationships"][-1]["to"] == "company:356805044"
    assert document["pending"] == {"actors": [], "relationships": []}


def test_review_rejects_a_bad_key() -> None:
    document = _document()
    with pytest.raises(SchemaError):
        review.set_key(document, document["pending"]["actors"][0], "123")


def test_review_merge_kind_and_reject() -> None:
    document = _document()
    person, commune = document["actors"]
    review.merge(document, commune, "commune:59178", "Douai")
    review.set_kind(document, person, "organisation")
    assert document["relationships"][0]["from"] == "organisation:jean-dupon"
    review.reject(document, person)
    assert document["relationships"] == [] and document["pending"]["relationships"] == []
    assert [a["id"] for a in document["actors"]] == ["commune:59178"]


def test_review_defer_keeps_an_actor_and_its_relationships_pending() -> None:
    document = _document()
    review.defer(document, document["actors"][0])
    assert [a["id"] for a in document["actors"]] == ["commune:59178"] and document["relationships"] == []
    assert document["pending"]["relationships"][-1] == {"type": "HOLDS_ROLE", "from": "person:jean-dupon", "to": "commune:59178"}


def test_territories_in_either_order_with_either_apostrophe_or_by_one_part() -> None:
    places = gazetteer().with_territories([("I-ti-3209", "Flandre - Saint-Omer", "I"), ("I-ti-5311", "Saint-Brieuc Baie d'Armor", "I"), ("I-ti-3205", "Boulonnais - Calaisis", "I")])
    text = "Saint-Omer – Flandre et Saint-Brieuc Baie d’Armor"
    assert [m.group(0) for m in places.territory_names().finditer(text)] == ["Saint-Omer – Flandre", "Saint-Brieuc Baie d’Armor"]
    assert places.territory("Saint-Omer – Flandre", "II") == ("I-ti-3209", "Flandre - Saint-Omer")
    assert places.territory_part("Boulonnais") == ("I-ti-3205", "Boulonnais - Calaisis")
    assert places.territory_part("Flandre - Saint-Omer") is None


def test_extraction_and_find_take_the_same_communes_for_a_name_written_with_particles() -> None:
    """Every commune of the map whose name differs from another's only by its particles: the communes extraction takes for
    that name are those ``tdi find`` finds exactly, the same rule read the same way (graph.names)."""
    from collections import defaultdict

    from graph.names import analyse

    places = gazetteer()
    by_words = defaultdict(list)
    for commune in (c for namesakes in places.communes.values() for c in namesakes):
        by_words["".join(analyse(commune.name).core_words)].append(commune)
    groups = [group for group in by_words.values() if len({analyse(c.name).compact for c in group}) > 1]
    assert len(groups) >= 15 and any({c.code for c in group} >= {"14514", "60506", "38318"} for group in groups)
    for group in groups:
        index = NameIndex([{"kind": "Commune", "key": c.code, "name": c.name} for c in group])
        for name in {c.name for c in group}:
            exact = {m.id for m in index.search(name) if m.tier == "exact"}
            assert {f"commune:{c.code}" for c in places.communes_named(name)} == exact, name
