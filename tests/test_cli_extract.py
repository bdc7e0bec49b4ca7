"""``tdi extract`` with the real French model, the real graph and the real CLI.

The model is loaded once for the module (`load_model` caches it, so the CLI reuses it too).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cli import cli
from loaders.extract.article import Extractor, load_model
from loaders.extract.facts import facts_document
from loaders.extract.text import Article

FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML was built with it

ARTICLE = """Arques : un pacte pour l'emploi industriel signé à Saint-Omer

Les élus et les industriels ont signé mardi dernier un pacte pour l'emploi industriel.

Le pacte pour l'emploi industriel a été signé par la Communauté d'agglomération du Pays de Saint-Omer, \
la Région Hauts-de-France et France Travail. « Nos usines recrutent », résume Joël Duquenoy, président \
de la CA du Pays de Saint-Omer. Bpifrance a accordé un prêt de 1,5 M€ à l'entreprise Arc France, \
spécialiste des arts de la table. La ministre de la Cohésion des territoires, Jacqueline Gourault, \
a salué l'accord. La Banque des Territoires finance de son côté une étude à Arques.
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_model())


@pytest.fixture(scope="module")
def extraction(extractor: Extractor):
    return extractor.extract(Article("pacte.txt", ARTICLE, title="Un pacte signé", date="2024-10-10"))


def _actors(extraction) -> dict[str, object]:
    return {a.name: a for a in extraction.actors}


def test_actors_of_each_kind_with_keys(extraction) -> None:
    actors = _actors(extraction)
    assert actors["CA du Pays de Saint-Omer"].node_id == "epci:200069037"
    assert actors["Hauts-de-France"].node_id == "region:32"
    assert actors["Joël Duquenoy"].node_id == "person:joel-duquenoy"
    assert actors["Bpifrance"].node_id == "operator:bpifrance"
    assert actors["Arques"].node_id == "commune:62040"
    assert actors["Arc France"].kind == "company" and actors["Arc France"].node_id is None  # needs a SIREN


def test_relationships_with_title_amount_and_date(extraction) -> None:
    found = {(r.type, r.source.name, r.target.name): r.props for r in extraction.relations}
    assert found[("HOLDS_ROLE", "Joël Duquenoy", "CA du Pays de Saint-Omer")] == {"role": "président de la CA du Pays de Saint-Omer"}
    assert found[("HOLDS_ROLE", "Jacqueline Gourault", "Ministère de la Cohésion des territoires")]["role"].startswith("ministre")
    assert found[("FUNDS", "Bpifrance", "Arc France")]["amount_eur"] == 1_500_000
    signed = {k[1]: v for k, v in found.items() if k[0] == "SIGNED"}
    assert "CA du Pays de Saint-Omer" in signed and "Hauts-de-France" in signed


SECOND_ARTICLE = """Le sous-traitant automobile Orvalis, installé à Sélestat, a signé le 15 mai 2024 un accord de \
partenariat avec l'Ademe. Le groupe familial, dirigé par Claire Fontaine, investira 2 millions d'euros dans le projet \
de récupération de chaleur de Sélestat.

Le projet a été présenté le 21 mai lors du comité de pilotage du Territoire d'industrie Alsace Centrale, réuni à \
Erstein. Étaient présents Marcel Bauer, président de la CC de Sélestat, et Boris Ravignon, président d'Ardenne \
Métropole et maire de Charleville-Mézières.
"""


def test_sentence_patterns_give_signatories_places_participants_and_roles(extractor: Extractor) -> None:
    result = extractor.extract(Article("orvalis.txt", SECOND_ARTICLE, date="2024-05-22"))
    found = {(r.type, r.source.name, r.target.name): r.props for r in result.relations}
    assert found[("SIGNED", "Orvalis", "accord de partenariat")] == {"date": "2024-05-15"}  # "X a signé … avec Y"
    assert ("SIGNED", "ADEME", "accord de partenariat") in found
    assert ("LOCATED_IN", "Orvalis", "Sélestat") in found  # "X, installé à Y"
    assert ("LOCATED_IN", "comité de pilotage", "Erstein") in found  # "… du Territoire d'industrie Z, réuni à Y"
    assert found[("HOLDS_ROLE", "Claire Fontaine", "Orvalis")] == {"role": "dirigeant"}  # "le groupe, dirigé par X"
    assert ("CARRIES", "Orvalis", "projet de récupération de chaleur de Sélestat") in found  # a company investing in its project
    assert ("HOLDS_ROLE", "Boris Ravignon", "CA Ardenne Métropole") in found  # two titles joined by "et"
    assert ("HOLDS_ROLE", "Boris Ravignon", "Charleville-Mézières") in found
    took_part = {k[1] for k in found if k[0] == "TOOK_PART"}
    assert took_part == {"Marcel Bauer", "Boris Ravignon"}  # "Étaient présents X, président de la CC Y": the people, not Y


def test_every_quote_is_the_text_at_its_offsets(extraction) -> None:
    document = facts_document(extraction)
    items = [*document["actors"], *document["relationships"], *document.get("pending", {}).get("actors", [])]
    assert items
    for item in items:
        for evidence in item["evidence"]:
            assert ARTICLE[evidence["start"] : evidence["end"]] == evidence["quote"]
            assert len(evidence["quote"]) <= 200
        assert 0 < item["extraction"]["confidence"] <= 1


def test_another_language_gives_few_low_confidence_proposals(extractor: Extractor) -> None:
    text = ("The government announced on Tuesday a new support package for industrial regions. The Ministry of Economy "
            "said that 150 companies would receive grants. John Smith, chief executive of Northern Steel, welcomed it.")  # fmt: skip
    result = extractor.extract(Article("en.txt", text))
    assert result.low_confidence and len(result.actors) <= 3
    assert all(a.confidence <= 0.3 for a in result.actors)


def test_extract_load_show_end_to_end(runner, builtin_copy: Path, tmp_path: Path) -> None:
    article, facts = tmp_path / "pacte.txt", tmp_path / "facts.yaml"
    article.write_text(ARTICLE, encoding="utf-8")
    db = ["--db", str(builtin_copy)]
    result = runner.invoke(cli, [*db, "extract", str(article), "--date", "2024-10-10", "--title", "Un pacte signé", "-o", str(facts)])
    assert result.exit_code == 0, result.output
    document = yaml.load(facts.read_text(encoding="utf-8"), Loader=FAST_YAML)
    statuses = {a["id"]: a["extraction"]["status"] for a in document["actors"]}
    assert statuses["operator:bpifrance"] == "matched" and statuses["person:joel-duquenoy"] == "new"
    assert all("extraction" in link for link in document["relationships"])  # a field a relationship may have
    assert runner.invoke(cli, [*db, "load", "facts", str(facts)]).exit_code == 0
    shown = runner.invoke(cli, [*db, "show", "person:joel-duquenoy"])
    assert shown.exit_code == 0 and "HOLDS_ROLE" in shown.stdout and "epci:200069037" in shown.stdout


def test_a_bank_funding_a_territory_is_a_funds_fact_with_its_amount(runner, builtin_copy: Path) -> None:
    sentence = "La Banque des Territoires finance le Territoire d'industrie Béthune-Bruay à hauteur de 3 millions d'euros."
    result = runner.invoke(cli, ["--db", str(builtin_copy), "extract", "-", "--date", "2019-03-12"], input=sentence)
    assert result.exit_code == 0, result.output
    funds = [r for r in yaml.safe_load(result.stdout)["relationships"] if r["type"] == "FUNDS"]
    assert [(r["from"], r["to"], r["props"]["amount_eur"]) for r in funds] == [("operator:banque-des-territoires", "territory:I-ti-3204", 3_000_000)]


def test_review_without_a_terminal_writes_and_loads_nothing(runner, builtin_copy: Path, tmp_path: Path) -> None:
    article, facts = tmp_path / "pacte.txt", tmp_path / "facts.yaml"
    article.write_text(ARTICLE, encoding="utf-8")
    db = ["--db", str(builtin_copy)]
    result = runner.invoke(cli, [*db, "extract", str(article), "--review", "-o", str(facts)])
    assert result.exit_code == 0 and facts.exists()
    assert "nothing is loaded" in result.stderr
    assert runner.invoke(cli, [*db, "show", "person:joel-duquenoy"]).exit_code == 1


def test_stdin_and_html(runner, tmp_path: Path) -> None:
    page = f"<html><body><script>var x = 1;</script><article><p>{ARTICLE}</p></article></body></html>"
    result = runner.invoke(cli, ["--db", str(tmp_path / "none"), "extract", "-"], input=page)
    assert result.exit_code == 0, result.output
    assert "var x" not in result.stdout and "operator:bpifrance" in result.stdout
    assert not (tmp_path / "none").exists()  # no graph yet: nothing to match, nothing created
    assert f"No graph at {tmp_path / 'none'} yet: every actor is proposed as new." in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary", "a binary file"),
        (b"mot " * 1_300_000, "more than 1 MB"),
    ],
    ids=["empty", "binary", "5-MB"],
)
def test_bad_input_one_error_line_nothing_written(runner, tmp_path: Path, content: bytes, message: str) -> None:
    source, facts = tmp_path / "bad.txt", tmp_path / "facts.yaml"
    source.write_bytes(content)
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "extract", str(source), "-o", str(facts)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {source}: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and not facts.exists()


def test_bad_date_is_a_usage_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["extract", "x.txt", "--date", "12/03/2024"])
    assert result.exit_code == 2 and "\"12/03/2024\" is not a date: use YYYY-MM-DD." in result.stderr


def test_review_in_a_terminal_rename_reject_and_key(runner, extraction, builtin_copy: Path) -> None:
    """The review loop itself, fed by a terminal's answers (the command runs it only with a TTY)."""
    from commands.extract import _review
    from graph.backend import open_graph

    document = facts_document(extraction)
    actors = [*document["actors"], *document["pending"]["actors"]]
    answers = []
    for actor in actors:
        if actor["name"] == "Joël Duquenoy":
            answers += ["n", "Joël Duquenoy-Martin"]
        elif actor["name"] == "Arc France":
            answers += ["a", "123", "a", "356805044"]  # a bad SIREN is refused, then a good one
        elif actor["name"] == "Arques":
            answers += ["r"]
        else:
            answers += ["a"]
    answers += ["a"] * len(document["relationships"]) * 2
    with runner.isolation(input="\n".join(answers) + "\n"), open_graph(builtin_copy) as graph:
        _review(document, graph)
    ids = {a["id"] for a in document["actors"]}
    assert "person:joel-duquenoy-martin" in ids and "company:356805044" in ids and "commune:62040" not in ids
    assert document["pending"]["actors"] == []
    ends = {(r["type"], r["from"], r["to"]) for r in document["relationships"]}
    assert ("HOLDS_ROLE", "person:joel-duquenoy-martin", "epci:200069037") in ends
    assert ("FUNDS", "operator:bpifrance", "company:356805044") in ends
    assert not any("commune:62040" in (r["from"], r["to"]) for r in document["relationships"])


def test_unwritable_output_is_one_error(runner, tmp_path: Path) -> None:
    article = tmp_path / "pacte.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "missing" / "facts.yaml"
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "extract", str(article), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f'Error: Cannot write "{target}": No such file or directory. Check that its folder exists and is writable.\n'


LISTS_ARTICLE = """Trois territoires bretons retenus

Le Pays de Vannes, Ploërmel Communauté et Sud Vilaine ont été choisis parmi les Territoires d'industrie. \
L'État et ses opérateurs (Bpifrance, Banque des Territoires) accompagneront ces trois territoires.

Le Premier ministre a pris la parole à l'occasion du conseil national de l'industrie du 5 mars 2024.
"""


def test_lists_share_their_verb_and_these_territories_refer_back() -> None:
    extractor = Extractor(load_model())
    extractor.places = extractor.places.with_territories([("II-ti-1", "Pays de Vannes", "II"), ("II-ti-2", "Ploërmel Communauté", "II"), ("II-ti-3", "Sud Vilaine", "II")])
    result = extractor.extract(Article("bretagne.txt", LISTS_ARTICLE, date="2024-03-06"))
    found = {(r.type, r.source.name, r.target.name) for r in result.relations}
    territories = {"Pays de Vannes", "Ploërmel Communauté", "Sud Vilaine"}  # the EPCI name listed among territories is the territory
    assert {t for kind, t, _ in found if kind == "LABELLED"} == territories
    assert {(a, b) for kind, a, b in found if kind == "SUPPORTS"} == {(a, b) for a in ("État", "Bpifrance", "Banque des Territoires") for b in territories}
    assert {(a, b) for kind, a, b in found if kind == "PARTNER_OF"} == {("Bpifrance", "État"), ("Banque des Territoires", "État")}
    assert ("TOOK_PART", "Premier ministre", "Conseil national de l'industrie du 5 mars 2024") in found  # a body named with a day is its meeting


def test_a_commune_named_like_others_is_left_ambiguous_with_its_candidates(runner, builtin_db: Path) -> None:
    sentence = "La société Arkema s'implante à Pont-l'Évêque."
    result = runner.invoke(cli, ["--db", str(builtin_db), "extract", "-"], input=sentence)
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(result.stdout)
    assert all(not a["id"].startswith("commune:") for a in document["actors"])  # not commune:38318, Pont-Évêque (Isère)
    [place] = [a for a in document["pending"]["actors"] if a["name"] == "Pont-l'Évêque"]
    assert place["extraction"]["status"] == "ambiguous"
    assert [(c["id"], c["department"]) for c in place["extraction"]["candidates"]] == [
        ("commune:14514", "Calvados (14)"), ("commune:60506", "Oise (60)")
    ]  # fmt: skip
    assert 'Warning: "Pont-l\'Évêque" names 2 communes (commune:14514 in Calvados (14), commune:60506 in Oise (60))' in result.stderr


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("La société Arkema s'implante à Pont-l'Évêque, dans le Calvados.", "14514"),
        ("La société Arkema s'implante à Pont-l'Évêque (60).", "60506"),
        ("La société Arkema investit à Pont-Évêque, près de Vienne.", "38318"),
        ("La société Arkema s'implante à L'Isle-d'Abeau.", "38193"),
    ],
)
def test_a_commune_told_apart_by_its_name_or_its_department_gets_its_key(extractor: Extractor, text: str, key: str) -> None:
    [place] = [a for a in extractor.extract(Article("a.txt", text)).actors if a.kind == "commune"]
    assert place.key == key and place.name in text


def test_review_shows_the_candidates_of_an_ambiguous_commune_and_takes_one(runner, extractor: Extractor, builtin_copy: Path) -> None:
    from commands.extract import _review
    from graph.backend import open_graph

    document = facts_document(extractor.extract(Article("a.txt", "La société Arkema s'implante à Pont-l'Évêque.")))
    answers = {"Arkema": ["r"], "Pont-l'Évêque": ["a", "14514"]}
    typed = [a for actor in document["pending"]["actors"] for a in answers[actor["name"]]]
    with runner.isolation(input="\n".join(typed) + "\n") as streams, open_graph(builtin_copy) as graph:
        _review(document, graph)
        shown = streams[1].getvalue().decode()
    assert "candidate: commune:14514 Pont-l'Évêque, Calvados (14)" in shown and "candidate: commune:60506" in shown
    assert [a["id"] for a in document["actors"]] == ["commune:14514"]


def test_a_thing_named_after_an_ambiguous_commune_is_located_in_it_pending(extractor: Extractor) -> None:
    document = facts_document(extractor.extract(Article("a.txt", "Arkema annonce l'extension de son usine de Pont-l'Évêque.")))
    [place] = document["pending"]["actors"]
    assert place["extraction"]["status"] == "ambiguous" and len(place["extraction"]["candidates"]) == 2
    assert [(r["type"], r["to"]) for r in document["pending"]["relationships"]] == [("LOCATED_IN", "Pont-l'Évêque")]


STOPPED = ("Error: Review stopped at {step} (Ctrl-C or Ctrl-D): the answers given are dropped, no facts file was written and nothing was loaded. "
           "Run it again, or leave out --review to write the proposals to a file.")  # fmt: skip


@pytest.mark.slow
def test_ctrl_c_in_the_review_at_a_terminal_says_what_became_of_it(builtin_copy: Path, tmp_path: Path) -> None:
    """The real command in a pseudo-terminal: the first actor accepted, then Ctrl-C at the second."""
    import sys

    from tests.cli_graph import counts

    pexpect = pytest.importorskip("pexpect")
    article, facts = tmp_path / "pacte.txt", tmp_path / "facts.yaml"
    article.write_text(ARTICLE, encoding="utf-8")
    before = counts(builtin_copy)
    args = ["-c", "from cli import main; main()", "--db", str(builtin_copy), "extract", str(article), "--review", "-o", str(facts)]
    child = pexpect.spawn(sys.executable, args, cwd=Path(__file__).resolve().parents[1], encoding="utf-8", timeout=300)
    child.expect(r"\[1/(\d+)\]")
    total = child.match[1]
    child.expect(r"\[\w\]: ")
    child.sendline("a")
    child.expect(r"\[2/\d+\].*\[\w\]: ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    lines = [line for line in child.before.splitlines() if line.strip() and line.strip() != "^C"]
    assert (child.exitstatus, lines) == (1, [STOPPED.format(step=f"actor 2 of {total}")])
    assert not facts.exists() and counts(builtin_copy) == before


def test_the_end_of_the_input_in_the_review_says_what_became_of_it(runner, extraction, builtin_copy: Path) -> None:
    """Ctrl-D, as click's runner gives it: the answers end at the first relationship."""
    import click

    from commands.extract import _review
    from graph.backend import open_graph

    document = facts_document(extraction)
    actors = [*document["actors"], *document["pending"]["actors"]]
    answers = ["r" if actor.get("id") is None else "a" for actor in actors]
    with runner.isolation(input="\n".join(answers) + "\n"), open_graph(builtin_copy) as graph, pytest.raises(click.ClickException) as stopped:
        _review(document, graph)
    assert f"Error: {stopped.value.message}" == STOPPED.format(step=f"relationship 1 of {len(document['relationships'])}")
