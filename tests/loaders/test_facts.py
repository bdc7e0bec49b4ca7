"""Facts files: the built-in one against its documents, the reader's errors, and loading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cli import cli
from graph.backend import GraphBackend, open_graph
from graph.errors import LoaderError
from loaders.facts import MAX_QUOTE, builtin_facts_path, read_facts
from loaders.load import load_facts
from tests.loaders.facts_files import facts_error, write_facts

FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML was built with it

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# ---------------------------------------------------------------- the built-in file


def _builtin() -> dict:
    return yaml.load(builtin_facts_path().read_text(encoding="utf-8"), Loader=FAST_YAML)


def _evidence() -> list[tuple[str, str, str]]:
    """(where, source id, quote) for every evidence item of the built-in file."""
    document = _builtin()
    items = []
    for actor in document["actors"]:
        items += [(actor["id"], e["source"], e["quote"]) for e in actor.get("evidence") or []]
    for link in document["relationships"]:
        where = f"{link['type']} {link['from']} -> {link['to']}"
        items += [(where, e["source"], e["quote"]) for e in link.get("evidence") or []]
    return items


_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u2032`]")
_QUOTES = re.compile("[\u00ab\u00bb\u201c\u201d\u201e\u2033]")


def _normal(text: str) -> str:
    """Whitespace runs become one space; typographic apostrophes and quotes become ' and "; case folded."""
    text = " ".join(_QUOTES.sub('"', _APOSTROPHES.sub("'", text)).split())
    return text.replace('" ', '"').replace(' "', '"').casefold()


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not in {SEEDS} (they are never shipped; clone shared/ beside the repository)")
    return {s["id"]: _normal((SEEDS / s["document"]).read_text(encoding="utf-8")) for s in _builtin()["sources"]}


def test_every_quote_is_in_the_document_its_source_names(documents: dict[str, str]) -> None:
    """Each quote must appear in its document, compared after `_normal`.

    What is forgiven is only what a reader cannot see or a keyboard changes: line breaks and
    runs of spaces (the documents are wrapped, quotes are on one line; non-breaking spaces
    inside « » too), straight versus curly apostrophes and quotation marks (’ ‘ « » “ ”), the
    space a French text puts inside guillemets, and case. Words, OCR errors (``I'Etat``,
    ``ceuvre``), punctuation and accents must match exactly, so a paraphrase fails.
    """
    missing = [f"{where}: [{source}] {quote}" for where, source, quote in _evidence() if _normal(quote) not in documents[source]]
    assert missing == []


def test_normalisation_does_not_hide_a_paraphrase(documents: dict[str, str]) -> None:
    where, source, quote = _evidence()[0]
    assert _normal(quote) in documents[source]
    assert _normal(quote.replace("e", "é", 1)) not in documents[source], where


def test_every_quote_is_short_and_not_empty() -> None:
    too_long = [(where, len(quote)) for where, _, quote in _evidence() if len(quote) > MAX_QUOTE or not quote.strip()]
    assert too_long == []


def test_every_source_is_used_and_names_a_document() -> None:
    document = _builtin()
    cited = {source for _, source, _ in _evidence()}
    declared = {s["id"] for s in document["sources"]}
    assert declared == cited
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", s["document"]) for s in document["sources"])


def test_every_fact_has_evidence() -> None:
    document = _builtin()
    bare = [a["id"] for a in document["actors"] if not a.get("evidence")]
    bare += [f"{r['type']} {r['from']} -> {r['to']}" for r in document["relationships"] if not r.get("evidence")]
    assert bare == []


def test_builtin_file_reads_without_errors() -> None:
    facts = read_facts(builtin_facts_path())
    assert len(facts.sources) == 5
    assert len(facts.actors) == len(_builtin()["actors"])
    assert len(facts.links) == len(_builtin()["relationships"])


# ---------------------------------------------------------------- errors of the reader

def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write_facts(tmp_path, "actors:\n  - id: operator:bpifrance\n    name: [Bpifrance\n  - id: operator:ademe\n")
    message = facts_error(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: not valid YAML", message)
    assert int(message.split(":")[1]) >= 6


@pytest.mark.parametrize(
    ("body", "line", "field", "reason"),
    [
        ("actors:\n  - id: spaceship:x\n    name: X\n", 5, "id", 'Unknown kind "spaceship"'),
        ("actors:\n  - id: company:200072461\n    name: X\n", 5, "id", '"200072461" is not valid'),
        ("actors:\n  - id: region:999\n    name: X\n", 5, "id", '"999" is not valid'),
        ("actors:\n  - id: bpifrance\n    name: X\n", 5, "id", "expected kind:key"),
        ("actors:\n  - id: operator:bpifrance\n    name: Bpifrance\n    props: {colour: red}\n", 7, "colour", "no Operator property"),
        ("actors:\n  - id: project:p\n    name: P\n    props: {jobs: many}\n", 7, "jobs", "expected a whole number"),
        ("actors:\n  - id: operator:bpifrance\n    aliases: [BPI]\n", 5, "name", "operator:bpifrance needs a name"),
        ("actors:\n  - id: operator:bpifrance\n    name: B\n    colour: red\n", 7, "colour", "unknown field"),
        (
            "actors:\n  - id: operator:bpifrance\n    name: B\n    evidence:\n      - {source: doc-1, quote: '" + "x" * 201 + "'}\n",
            8, "quote", "201 characters; at most 200",
        ),
        (
            "actors:\n  - id: operator:bpifrance\n    name: B\n    evidence: [{source: doc-9, quote: q}]\n",
            7, "evidence", 'source "doc-9" is not among the sources',
        ),
        (
            "actors:\n  - id: operator:a\n    name: A\nrelationships:\n  - type: LOVES\n    from: operator:a\n    to: operator:a\n",
            8, "type", 'Unknown relationship type "LOVES"',
        ),
        (
            (
                "actors:\n  - id: operator:a\n    name: A\n  - id: region:32\n    name: R\n"
                "relationships:\n  - type: IN_REGION\n    from: operator:a\n    to: region:32\n"
            ),
            10, "type", "IN_REGION cannot go from Operator to Region",
        ),
        (
            "actors:\n  - id: operator:a\n    name: A\n  - id: operator:a\n    name: A again\n",
            7, "id", "operator:a is already declared at line 5",
        ),
        ("sources:\n  - id: Doc Two\n    name: D\n", 2, "id", "is not valid"),
        ("people: []\n", 4, "people", "unknown section"),  # the line of the section itself
        ("actors:\n  - id: event:e\n    name: E\n    props: {date: '2024-02-30'}\n", 7, "date", "not a date of the calendar"),
        ("actors:\n  - id: epci:200072460\n    name: E\n    props: {since: 18/12/2023}\n", 7, "since", "not a date of the calendar"),
        ("actors:\n  - id: epci:200072460\n    name: E\n    props: {since: '2020', until: 2019-12}\n", 7, "until",
         '"2019-12" is before since "2020": a period cannot end before it starts'),
        (
            (
                "relationships:\n  - type: HOLDS_ROLE\n    from: person:p\n    to: region:32\n    props:\n      since: 2024-03-15\n"
                "      until: '2024-02'\n"
            ),
            10, "until", '"2024-02" is before since "2024-03-15": a period cannot end before it starts',
        ),
        ("actors:\n  - id: operator:a\n    name: A\n    props: {name: B}\n", 7, "name", "not a prop; give it as the actor's own name: field"),
        ("actors:\n  - id: operator:a\n    name: A\n    props: {aliases: [B]}\n", 7, "aliases", "give them as the actor's own aliases: field"),
        ("actors:\n  - id: operator:a\n    name: A\n    props: {key: b}\n", 7, "key", "the part of the actor's id after the colon"),
        ("actors:\n  - id: operator:a\n    name: A\n    props: {sources: [doc-1]}\n", 7, "sources", "each item of the actor's own evidence: field"),
        ("actors:\n  - id: operator:a\n    name: A\n    props: {evidence: [x]}\n", 7, "evidence", "the actor's own evidence: field"),
        (
            (
                "actors:\n  - id: operator:a\n    name: A\nrelationships:\n  - type: PARTNER_OF\n    from: operator:a\n    to: operator:a\n"
                "    props: {sources: [doc-9]}\n"
            ),
            11, "sources", "not a prop; tdi cites the source of each item of the relationship's own evidence: field",
        ),
    ],
)  # fmt: skip
def test_reader_errors_name_file_line_and_field(tmp_path: Path, body: str, line: int, field: str, reason: str) -> None:
    path = write_facts(tmp_path, body)
    message = facts_error(path)
    assert message.startswith(f"{path}: 1 problem(s), nothing was loaded:\n"), message
    assert f"{path}:{line}: {field}: " in message, message
    assert reason in message, message


def test_a_problem_under_props_names_the_line_of_its_key(tmp_path: Path) -> None:
    """Not the line of the actor or relationship: a props mapping may run over many lines."""
    path = write_facts(
        tmp_path,
        """\
        actors:
          - id: operator:bpifrance
            name: Bpifrance
          - id: project:p
            name: P
            props:
              theme: batteries
              key: other
              jobs: many
              colour: red
              sources: [doc-1]
        relationships:
          - type: FUNDS
            from: operator:bpifrance
            to: project:p
            props:
              year: 2024
              amount_eur: lots
              evidence: [doc-1]
        """,
    )
    problems = facts_error(path).splitlines()[1:]
    assert [problem.split(": ", 2)[:2] for problem in problems] == [
        [f"{path}:11", "key"],
        [f"{path}:14", "sources"],
        [f"{path}:12", "jobs"],
        [f"{path}:13", "colour"],
        [f"{path}:22", "evidence"],
        [f"{path}:21", "amount_eur"],
    ]
    assert problems[0] == f"{path}:11: key: not a prop; it is the part of the actor's id after the colon (kind:key)"
    assert problems[2] == f'{path}:12: jobs: property "jobs" is "many"; expected a whole number.'
    assert problems[5] == f'{path}:21: amount_eur: "lots" is not an amount: expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€'

def test_a_prop_that_an_own_field_gives_is_refused_and_nothing_is_written(runner, tmp_path: Path) -> None:
    with open_graph(tmp_path / "graph") as graph:
        load_facts(graph, read_facts(write_facts(tmp_path, VALID)))
        before = graph.counts()
    path = write_facts(tmp_path, VALID.replace("props: {jobs: 1200}", "props: {jobs: 1200, name: Autre nom, sources: [doc-2]}"))
    result = runner.invoke(cli, ["--db", str(tmp_path / "graph"), "load", "facts", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"Error: {path}: 2 problem(s), nothing was loaded:",
        f"{path}:11: name: not a prop; give it as the actor's own name: field",
        f"{path}:11: sources: not a prop; tdi cites the source of each item of the actor's own evidence: field",
    ]
    with open_graph(tmp_path / "graph", read_only=True) as graph:
        assert graph.counts() == before
        assert graph.run("MATCH (p:Project) RETURN p.name AS name, p.sources AS sources") == [{"name": "Gigafactory", "sources": ["doc-1"]}]


def test_several_errors_are_reported_together(tmp_path: Path) -> None:
    path = write_facts(
        tmp_path,
        """\
        actors:
          - id: operator:bpifrance
            props: {colour: red}
          - id: company:123
            name: X
        relationships:
          - type: FUNDS
            from: operator:bpifrance
            to: nowhere
        """,
    )
    message = facts_error(path)
    assert message.startswith(f"{path}: 4 problem(s), nothing was loaded:\n")
    lines = message.splitlines()[1:]
    assert [line.split(": ", 2)[:2] for line in lines] == [
        [f"{path}:6", "colour"],
        [f"{path}:5", "name"],
        [f"{path}:7", "id"],
        [f"{path}:12", "to"],
    ]


# ---------------------------------------------------------------- loading

VALID = """\
actors:
  - id: operator:bpifrance
    name: Bpifrance
    aliases: [BPI]
    evidence: [{source: doc-1, quote: "Bpifrance finance"}]
  - id: project:gigafactory
    name: Gigafactory
    props: {jobs: 1200}
    evidence: [{source: doc-1, quote: "1 200 emplois"}]
relationships:
  - type: FUNDS
    from: operator:bpifrance
    to: project:gigafactory
    props: {amount_eur: "1,5", year: 2024}
    evidence: [{source: doc-1, quote: "Bpifrance finance"}]
"""


def test_load_valid_file_then_again_changes_nothing(empty_graph: GraphBackend, tmp_path: Path) -> None:
    facts = read_facts(write_facts(tmp_path, VALID))
    first = load_facts(empty_graph, facts)
    assert (first.created["Source"], first.created["Operator"], first.created["Project"], first.created["FUNDS"]) == (1, 1, 1, 1)
    counts = empty_graph.counts()
    assert counts == {"nodes": {"Operator": 1, "Project": 1, "Source": 1}, "relationships": {"FUNDS": 1}}
    second = load_facts(empty_graph, read_facts(write_facts(tmp_path, VALID)))
    assert not second.changed
    assert empty_graph.counts() == counts
    [row] = empty_graph.run(
        "MATCH (o:Operator)-[f:FUNDS]->(p:Project) RETURN o.evidence AS evidence, f.amount_eur AS amount, f.sources AS sources, p.jobs AS jobs"
    )
    assert row == {"evidence": ["doc-1: Bpifrance finance"], "amount": 1.5, "sources": ["doc-1"], "jobs": 1200}


@pytest.mark.parametrize(("written", "euros"), [('"1,5 M€"', 1_500_000.0), ('"1 200 000 €"', 1_200_000.0), ("1.36e9", 1_360_000_000.0)])
def test_an_amount_is_read_as_load_table_reads_it(empty_graph: GraphBackend, tmp_path: Path, written: str, euros: float) -> None:
    load_facts(empty_graph, read_facts(write_facts(tmp_path, VALID.replace('amount_eur: "1,5"', f"amount_eur: {written}"))))
    assert empty_graph.run("MATCH ()-[f:FUNDS]->() RETURN f.amount_eur AS amount") == [{"amount": euros}]


def test_endpoint_already_in_the_graph_is_accepted(empty_graph: GraphBackend, tmp_path: Path) -> None:
    empty_graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    path = write_facts(
        tmp_path,
        "actors:\n  - id: department:62\n    name: Pas-de-Calais\n"
        "relationships:\n  - type: IN_REGION\n    from: department:62\n    to: region:32\n",
    )
    stats = load_facts(empty_graph, read_facts(path))
    assert stats.created["IN_REGION"] == 1


def test_endpoint_missing_from_file_and_graph(empty_graph: GraphBackend, tmp_path: Path) -> None:
    empty_graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France"}])
    before = empty_graph.counts()
    path = write_facts(
        tmp_path,
        """\
        actors:
          - id: department:62
            name: Pas-de-Calais
        relationships:
          - type: IN_REGION
            from: department:62
            to: region:32
        """,
    )
    facts = read_facts(path)  # the reader does not know the graph: this is found when loading
    with pytest.raises(LoaderError) as caught:
        load_facts(empty_graph, facts)
    assert f"{path}:8: from/to: no actor region:32 in this file or in the graph" in str(caught.value)
    assert empty_graph.counts() == before


def test_kind_prefix_is_case_blind_in_actors_and_links(empty_graph: GraphBackend, tmp_path: Path) -> None:
    path = write_facts(
        tmp_path,
        """\
        actors:
          - id: Operator:bpifrance
            name: Bpifrance
          - id: project:gigafactory
            name: Gigafactory
        relationships:
          - type: funds
            from: operator:bpifrance
            to: Project:gigafactory
        """,
    )
    facts = read_facts(path)
    assert [a.node_id for a in facts.actors] == ["operator:bpifrance", "project:gigafactory"]
    assert load_facts(empty_graph, facts).created["FUNDS"] == 1


def test_same_actor_twice_in_two_spellings(tmp_path: Path) -> None:
    path = write_facts(tmp_path, "actors:\n  - id: operator:a\n    name: A\n  - id: Operator:a\n    name: A\n")
    assert f"{path}:7: id: operator:a is already declared at line 5" in facts_error(path)
