"""The name matcher: normalisation (graph.names), ranking (graph.name_index), the saved index (graph.name_cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.backend import open_graph
from graph.errors import InvalidName
from graph.name_cache import cached_name_index, name_index
from graph.name_index import NameIndex, check_name, verdict
from graph.names import analyse, words


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("BÉTHUNE", "béthune"),  # case and accents
        ("Vendée-Centre", "Vendée Centre"),  # hyphen
        ("Aurillac – Figeac — Rodez", "Aurillac-Figeac-Rodez"),  # en and em dashes
        ("Saint-Brieuc Baie d’Armor", "Saint-Brieuc Baie d'Armor"),  # both apostrophes
        ("St-Omer", "Saint-Omer"),
        ("Ste-Maxime", "Sainte Maxime"),
        ("Les Sables-d'Olonne", "Sables d'Olonne"),  # a leading article
        ("Le Havre", "Havre"),
        ("L'Isle-d'Abeau", "l isle d abeau"),
        ("Pays de la Loire", "PAYS-DE-LA-LOIRE"),
        ("Cœur de Flandre", "Coeur de Flandre"),  # ligature
        ("Lamballe Terre & Mer", "Lamballe Terre et Mer"),
        ("Communauté d'agglomération du Cotentin", "CA du Cotentin"),  # legal forms
        ("Communauté de communes du Grand-Figeac", "CC Grand Figeac"),
        ("Communauté urbaine de Dunkerque", "CU de Dunkerque"),
        ("Établissement public territorial Plaine Commune", "EPT Plaine Commune"),
        ("Pôle d'équilibre territorial et rural du Pays de Bray", "PETR du Pays de Bray"),
        ("Agence nationale de la cohésion des territoires", "ANCT"),  # acronyms
        ("Direction générale des entreprises", "DGE"),
        ("Bpi France", "BPI"),
        ("Banque des Territoires", "BdT"),
        ("Chambre de commerce et d'industrie de Lyon", "CCI de Lyon"),
    ],
)
def test_variants_of_a_name_have_one_canonical_form(written: str, other: str) -> None:
    assert analyse(written).canon == analyse(other).canon


@pytest.mark.parametrize(
    ("written", "core", "kinds", "forms"),
    [
        ("Région Occitanie", "occitanie", {"region"}, set()),
        ("Conseil régional des Hauts-de-France", "hauts de france", {"region"}, set()),
        ("Département du Lot", "lot", {"department"}, set()),
        ("Département de la Manche", "manche", {"department"}, set()),
        ("Territoire d'industrie Aurillac-Figeac-Rodez", "aurillac figeac rodez", {"territory"}, set()),
        ("Ville de Brest", "brest", {"commune"}, set()),
        ("Ville-la-Grand", "ville la grand", set(), set()),  # a commune's own name, not "Ville de"
        ("Brest Métropole", "brest", set(), {"metropole"}),
        ("CU Le Havre Seine Métropole", "havre seine", set(), {"cu", "metropole"}),
        ("Syndicat mixte du Pays de Bray", "pays de bray", set(), {"sm"}),
        ("Métropole de Lyon", "lyon", set(), {"metropole"}),  # the particle after a legal form joins it to the name
        ("Région", "region", set(), set()),  # a designator alone stays a name
    ],
)
def test_designators_and_legal_forms_leave_the_core(written: str, core: str, kinds: set[str], forms: set[str]) -> None:
    form = analyse(written)
    assert (form.core, set(form.kinds), set(form.forms)) == (core, kinds, forms)


@pytest.mark.parametrize(
    "namesakes",
    [
        ["Pont-l'Évêque", "Pont-Évêque"],  # communes of the map that differ only by a particle inside the name
        ["Saint-Germain-des-Bois", "Saint-Germain-du-Bois"],
        ["Saint-Pierre-les-Bois", "Saint-Pierre-Bois", "Saint-Pierre-des-Bois"],
        ["Villeneuve-de-Rivière", "Villeneuve-la-Rivière"],
        ["Sainte-Colombe-la-Commanderie", "Sainte-Colombe-de-la-Commanderie"],
        ["Pont-du-Château", "Pontchâteau"],
        ["Lot-et-Garonne", "Lot Garonne"],
    ],
)
def test_particles_inside_a_name_tell_names_apart(namesakes: list[str]) -> None:
    forms = [analyse(name) for name in namesakes]
    assert len({f.canon.replace(" ", "") for f in forms}) == len({f.compact for f in forms}) == len(namesakes)
    assert len({"".join(f.core_words) for f in forms}) == 1  # the same letters but for the particles


def test_words_spell_saints_out_and_drop_articles() -> None:
    assert words("L’Île-Saint-Denis") == ("ile", "saint", "denis")
    assert words("St-Gildas-des-Bois") == ("saint", "gildas", "bois")


ACTORS = [
    {"kind": "Region", "key": "76", "name": "Occitanie", "degree": 200},
    {"kind": "Department", "key": "46", "name": "Lot", "degree": 300},
    {"kind": "Department", "key": "47", "name": "Lot-et-Garonne", "degree": 330},
    {"kind": "Commune", "key": "62530", "name": "Lottinghen", "degree": 3, "departments": ["62"]},
    {"kind": "Commune", "key": "46102", "name": "Figeac", "degree": 3, "departments": ["46"]},
    {"kind": "Commune", "key": "29019", "name": "Brest", "degree": 3, "departments": ["29"]},
    {"kind": "Commune", "key": "03001", "name": "Abrest", "degree": 3, "departments": ["03"]},
    {"kind": "Commune", "key": "93066", "name": "Saint-Denis", "degree": 3, "departments": ["93"]},
    {"kind": "Commune", "key": "97411", "name": "Saint-Denis", "degree": 3, "departments": ["974"]},
    {"kind": "Commune", "key": "50008", "name": "Anctoville-sur-Boscq", "degree": 2, "departments": ["50"]},
    {"kind": "Epci", "key": "200067361", "name": "CC Grand-Figeac", "degree": 97, "departments": ["46"]},
    {"kind": "Epci", "key": "200067205", "name": "CA du Cotentin", "degree": 133, "departments": ["50"]},
    {"kind": "Epci", "key": "242900314", "name": "Brest Métropole", "degree": 12, "departments": ["29"]},
    {"kind": "Territory", "key": "II-ti-2805", "name": "Cotentin", "degree": 158},
    {"kind": "Territory", "key": "II-ti-7603", "name": "Aurillac – Figeac – Rodez", "degree": 526},
    {"kind": "StateBody", "key": "anct", "name": "Agence nationale de la cohésion des territoires", "degree": 1},
    {"kind": "Operator", "key": "bpifrance", "name": "Bpifrance", "degree": 5},
    {"kind": "Operator", "key": "banque-des-territoires", "name": "Banque des Territoires", "aliases": ["Banque des territoires"]},
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(ACTORS)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Région Occitanie", "region:76"),
        ("Communauté d'agglomération du Cotentin", "epci:200067205"),
        ("Grand Figeac", "epci:200067361"),
        ("CC Grand-Figeac", "epci:200067361"),
        ("Territoire d'industrie Aurillac-Figeac-Rodez", "territory:II-ti-7603"),
        ("Lot", "department:46"),
        ("Brest", "commune:29019"),
        ("ANCT", "statebody:anct"),
        ("bpi", "operator:bpifrance"),
        ("Figaec", "commune:46102"),  # a typo: fuzzy
    ],
)
def test_the_actor_named_comes_first(index: NameIndex, text: str, first: str) -> None:
    assert index.search(text)[0].id == first


def test_tiers_rank_exact_then_words_then_substring(index: NameIndex) -> None:
    found = [(m.id, m.tier) for m in index.search("brest")]
    assert found[:3] == [("commune:29019", "exact"), ("epci:242900314", "exact"), ("commune:03001", "substring")]
    lot = [(m.id, m.tier) for m in index.search("lot")]
    assert lot[0] == ("department:46", "exact") and ("department:47", "words") in lot
    assert lot.index(("department:47", "words")) < lot.index(("commune:62530", "words"))  # a tie: the more connected


def test_matches_say_which_name_matched_and_never_show_a_variant(index: NameIndex) -> None:
    best = index.search("BdT")[0]
    assert (best.id, best.name, best.matched, best.score) == ("operator:banque-des-territoires", "Banque des Territoires", "Banque des Territoires", 100.0)


def test_the_name_shown_does_not_depend_on_the_order_names_were_read() -> None:
    """An actor whose name and aliases score alike shows the same one whatever order the graph gave them in."""
    rows = [
        {"kind": "Site", "key": "s1", "name": "Usine du Nord", "aliases": ["Usine Nord", "Usine du Nord SA"]},
        {"kind": "Site", "key": "s2", "name": "Atelier", "aliases": ["Usine du Nord Est", "Usine du Nord Ouest"]},
        *ACTORS,
    ]
    turned = [{**row, "aliases": list(reversed(row.get("aliases") or []))} for row in reversed(rows)]
    for text in ("usine", "nord", "usine du nord", "banque"):
        first = [(m.id, m.matched, m.score) for m in NameIndex(rows).search(text)]
        assert first == [(m.id, m.matched, m.score) for m in NameIndex(turned).search(text)], text
    # Close spellings that tie at the cut: the same ones are kept.
    namesakes = [{"kind": "Commune", "key": f"{i:05}", "name": "Usine Nort"} for i in range(30)]
    kept = [m.id for m in NameIndex(namesakes).search("usine nordd", limit=2)]
    assert kept == [m.id for m in NameIndex(namesakes[::-1]).search("usine nordd", limit=2)]
    assert NameIndex(turned).search("usine du nord")[0].matched == "Usine du Nord"


def test_a_designator_that_contradicts_lowers_the_score(index: NameIndex) -> None:
    right, wrong = index.search("CA du Cotentin")[0], index.search("CC du Cotentin")[0]
    assert (right.id, right.score, wrong.id, wrong.score) == ("epci:200067205", 100.0, "epci:200067205", 91.0)


def test_a_name_the_designator_rules_out_ranks_after_the_others() -> None:
    """A legal form or designator outweighs the tier: the EPCI meant comes before exact namesakes of other kinds."""
    index = NameIndex([
        {"kind": "Commune", "key": "62119", "name": "Béthune", "degree": 40, "departments": ["62"]},
        {"kind": "Territory", "key": "I-ti-3204", "name": "Béthune-Bruay", "degree": 90},
        {"kind": "Epci", "key": "200072460", "name": "CA de Béthune-Bruay, Artois-Lys Romane", "degree": 120, "departments": ["62"]},
        {"kind": "Region", "key": "32", "name": "Hauts-de-France", "degree": 900},
        {"kind": "Site", "key": "citeduc-130", "name": "Béthune", "degree": 2},
        {"kind": "Site", "key": "pao-8", "name": "Béthune", "degree": 2},
    ])  # fmt: skip
    for text in ("Communauté d'agglomération de Béthune-Bruay", "agglo de Béthune", "CA Béthune Bruay"):
        found = index.search(text)
        assert found[0].id == "epci:200072460", (text, found)
        assert "epci:200072460" in [m.id for m in verdict(found)[1]], text
        # Exact namesakes that the legal form rules out stop neither the search (limit) nor bulk matching (sure score).
        assert index.search(text, limit=2)[0].id == "epci:200072460", text
        assert index.search(text, exhaustive=False)[0].id == "epci:200072460", text
    # A misspelt name: the close spellings of the kind the legal form allows are looked at first.
    crowd = [{"kind": "Commune", "key": f"0{i:04}", "name": "Béthunes Bruay Artois"} for i in range(12)]  # closer spellings
    misspelt = NameIndex([*crowd, {"kind": "Epci", "key": "200072460", "name": "CA de Béthune-Bruay, Artois-Lys Romane"}])
    assert misspelt.search("CA de Béthnue Bruay Artois", limit=3)[0].id == "epci:200072460"
    assert index.search("Ville de Béthune")[0].id == "commune:62119"
    assert [m.id for m in index.search("Territoire d'industrie Béthune-Bruay")][:1] == ["territory:I-ti-3204"]
    assert index.search("Béthune")[0].id == "commune:62119"  # no designator: the exact name first


def test_a_programme_site_comes_after_the_place_it_is_named_after() -> None:
    index = NameIndex([
        {"kind": "Commune", "key": "62119", "name": "Béthune", "degree": 40, "departments": ["62"]},
        {"kind": "Site", "key": "citeduc-130", "name": "Béthune", "degree": 2},
        {"kind": "Site", "key": "fs-371", "name": "France services de Béthune", "degree": 2},
        {"kind": "Epci", "key": "200084952", "name": "CU Le Havre Seine Métropole", "degree": 60, "departments": ["76"]},
        {"kind": "Site", "key": "cde-052", "name": "Le Havre Seine Métropole", "degree": 3},
    ])  # fmt: skip
    status, chosen = verdict(index.search("Béthune"))
    assert (status, [m.id for m in chosen]) == ("matched", ["commune:62119"])
    assert [m.id for m in index.search("Béthune")][:2] == ["commune:62119", "site:citeduc-130"]
    assert verdict(index.search("France services de Béthune"))[1][0].id == "site:fs-371"  # the site's own name finds it
    assert verdict(index.search("Le Havre Seine Métropole"))[1][0].id == "epci:200084952"


def test_a_name_without_its_particles_is_found_after_the_names_written_so() -> None:
    index = NameIndex([
        {"kind": "Commune", "key": "14514", "name": "Pont-l'Évêque", "degree": 5, "departments": ["14"]},
        {"kind": "Commune", "key": "60506", "name": "Pont-l'Évêque", "degree": 3, "departments": ["60"]},
        {"kind": "Commune", "key": "38318", "name": "Pont-Évêque", "degree": 9, "departments": ["38"]},
        {"kind": "Commune", "key": "38193", "name": "L'Isle-d'Abeau", "degree": 4, "departments": ["38"]},
        {"kind": "Commune", "key": "85194", "name": "Les Sables-d'Olonne", "degree": 4, "departments": ["85"]},
        {"kind": "Epci", "key": "200071165", "name": "CA Les Sables d'Olonne Agglomération", "degree": 9, "departments": ["85"]},
    ])  # fmt: skip
    found = [(m.id, m.score, m.tier) for m in index.search("Pont-l'Évêque")]
    assert found == [("commune:14514", 100.0, "exact"), ("commune:60506", 100.0, "exact"), ("commune:38318", 95.0, "words")]
    found = [(m.id, m.score, m.tier) for m in index.search("pont eveque")]
    assert found == [("commune:38318", 100.0, "exact"), ("commune:14514", 95.0, "words"), ("commune:60506", 95.0, "words")]
    assert verdict(index.search("Pont-Évêque"))[1][0].id == "commune:38318"
    for text in ("L'Isle-d'Abeau", "l isle d abeau", "Isle-d'Abeau"):  # a leading article may be left out
        assert [(m.id, m.tier) for m in index.search(text)] == [("commune:38193", "exact")], text
    assert [(m.id, m.score, m.tier) for m in index.search("Isle Abeau")] == [("commune:38193", 95.0, "words")]
    # Without its particle, a name ranks as it would with it, 5 less: the commune, then the EPCI named after it.
    status, chosen = verdict(index.search("Sables Olonne"))
    assert (status, [(m.id, m.score) for m in chosen]) == ("matched", [("commune:85194", 95.0)])
    assert [m.score for m in index.search("Sables Olonne")] == [95.0, 91.0]


def test_kind_filter_and_limit(index: NameIndex) -> None:
    assert [m.id for m in index.search("cotentin", kind="Territory")] == ["territory:II-ti-2805"]
    assert len(index.search("lot", limit=2)) == 2


def test_context_breaks_ties_between_namesakes(index: NameIndex) -> None:
    assert verdict(index.search("Saint-Denis"))[0] == "ambiguous"
    status, chosen = verdict(index.search("Saint-Denis", context="974"))
    assert (status, chosen[0].id) == ("matched", "commune:97411")
    assert index.search("St Denis", context="93066")[0].id == "commune:93066"


def test_verdict(index: NameIndex) -> None:
    assert verdict(index.search("Occitanie"))[0] == "matched"
    assert verdict(index.search("Paris Ouest"))[0] == "unmatched"


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000])
def test_check_name_refuses_what_cannot_be_a_name(text: str) -> None:
    with pytest.raises(InvalidName, match="the name is"):
        check_name(text, "names.csv:3")


def test_the_index_is_saved_and_rebuilt_when_the_graph_changes(tmp_path: Path) -> None:
    db = tmp_path / "graph"
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "76", "name": "Occitanie"}])
    assert cached_name_index(db) is None
    with open_graph(db, read_only=True) as graph:
        assert len(name_index(graph)) == 1
    saved = cached_name_index(db)
    assert saved is not None and saved.search("Région Occitanie")[0].id == "region:76"
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    assert cached_name_index(db) is None
    with open_graph(db, read_only=True) as graph:
        assert name_index(graph).search("Hauts de France")[0].id == "region:32"


def test_a_site_is_found_by_its_programme_and_shown_by_its_name(tmp_path: Path) -> None:
    from graph.backend import EdgeRow

    db = tmp_path / "graph"
    with open_graph(db) as graph, graph.transaction():
        graph.upsert_nodes("Commune", [{"key": "62119", "name": "Béthune"}])
        graph.upsert_nodes("Programme", [{"key": "cites-educatives", "name": "Cités éducatives"}])
        graph.upsert_nodes("Site", [{"key": "citeduc-130", "name": "Béthune"}])
        graph.upsert_edges("LABELLED", [EdgeRow("Site", "citeduc-130", "Programme", "cites-educatives")])
    with open_graph(db, read_only=True) as graph:
        index = name_index(graph)
    best = index.search("la Cité éducative de Béthune")[0]
    assert (best.id, best.name, best.matched) == ("site:citeduc-130", "Béthune", "Béthune")
    assert index.search("Béthune")[0].id == "commune:62119"


def test_the_annotated_variants_cover_the_rules() -> None:
    import csv

    with (Path(__file__).resolve().parents[1] / "fixtures" / "names" / "variants.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    present = [r for r in rows if r["ids"]]
    assert len(present) >= 400 and len(rows) - len(present) >= 50
    assert {r["rule"] for r in rows} >= {"epci-long-form", "epci-short-form", "region-prefix", "territory-prefix", "commune-saint",
                                         "commune-apostrophe", "anct-spelling", "acronym", "not-in-graph"}  # fmt: skip
    assert all(node.split(":", 1)[0] in {"epci", "region", "department", "commune", "territory", "operator", "statebody",
                                         "organisation", "programme", "person"} for r in present for node in r["ids"].split("|"))  # fmt: skip
