"""The line a problem of a facts file names: that of the field (or the evidence item) at fault.

In each case the line marked ``# <-`` is the one the problem must name; the fields at fault are
written below the first line of their entry, so that naming the entry's line fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.loaders.facts_files import facts_error, write_facts

MARK = "# <-"


def _problems(tmp_path: Path, body: str) -> tuple[Path, list[int], list[str]]:
    """The file `write_facts` writes, its lines marked `MARK`, and the problems reading it finds."""
    path = write_facts(tmp_path, body)
    text = path.read_text(encoding="utf-8")
    marked = [number for number, line in enumerate(text.splitlines(), 1) if MARK in line]
    return path, marked, facts_error(path).splitlines()[1:]


LONG = "x" * 201


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ("sources:\n  - id: doc-1\n    name: D\n    colour: red  # <-\n", "colour", "no source field of that name"),
        ("sources:\n  - id: doc-1\n    name: D\n    date: '2024-02-30'  # <-\n", "date", '"2024-02-30" is not a date of the calendar'),
        ("sources:\n  - name: D\n    id: Doc One  # <-\n", "id", '"Doc One" is not valid'),
        ("sources:\n  - id: doc-1\n    name: D\n  - name: E\n    id: doc-1  # <-\n", "id", 'source "doc-1" is already declared at line 2'),
        ("actors:\n  - id: operator:a\n    name: A\n    colour: red  # <-\n", "colour", "unknown field; an actor has id, name"),
        ("actors:\n  - name: A\n    id: region:999  # <-\n", "id", '"999" is not valid'),
        ("actors:\n  - id: operator:a\n    name: A\n    aliases: {x: 1}  # <-\n", "aliases", 'property "aliases" is a mapping; expected a list.'),
        ("actors:\n  - id: operator:a\n    name: A\n    props: [x]  # <-\n", "props", "expected a mapping of property: value"),
        ("actors:\n  - id: operator:a\n    name: A\n  - name: B\n    id: operator:a  # <-\n", "id", "operator:a is already declared at line 5"),
        ("actors:\n  - id: operator:a\n    name: A\n    evidence: doc-1  # <-\n", "evidence", 'is "doc-1"; expected a list of {source, quote}'),
        (
            "actors:\n  - id: operator:a\n    name: A\n    evidence:\n      - {source: doc-1, quote: q}\n      - quote: q  # <-\n",
            "evidence", "each item needs a source (and a quote)",
        ),
        (
            "actors:\n  - id: operator:a\n    name: A\n    evidence:  # <-\n      - {source: doc-1, quote: q}\n      - doc-1\n",
            "evidence", "each item needs a source (and a quote)",  # an item that is not a mapping: the line of evidence:
        ),
        (
            "actors:\n  - id: operator:a\n    name: A\n    evidence:\n      - quote: q\n        source: doc-9  # <-\n",
            "evidence", 'source "doc-9" is not among the sources of this file',
        ),
        (
            f"actors:\n  - id: operator:a\n    name: A\n    evidence:\n      - source: doc-1\n        quote: {LONG}  # <-\n",
            "quote", "201 characters; at most 200",
        ),
        (
            "actors:\n  - id: operator:a\n    name: A\n    evidence:\n      - source: doc-1\n        quote: {a: 1}  # <-\n",
            "quote", "expected text",
        ),
        ("relationships:\n  - from: operator:a\n    to: operator:a\n    type: LOVES  # <-\n", "type", 'Unknown relationship type "LOVES"'),
        ("relationships:\n  - type: PARTNER_OF\n    from: nowhere  # <-\n    to: operator:a\n", "from", '"nowhere" is not an actor id'),
        ("relationships:\n  - type: PARTNER_OF\n    from: operator:a\n    to: spaceship:x  # <-\n", "to", 'Unknown kind "spaceship"'),
        ("relationships:\n  - from: operator:a\n    to: region:32\n    type: IN_REGION  # <-\n", "type", "IN_REGION cannot go from Operator to Region"),
        ("relationships:\n  - type: PARTNER_OF\n    from: operator:a\n    to: operator:b\n    props: 12  # <-\n", "props", "expected a mapping"),
        (
            "relationships:\n  - type: PARTNER_OF\n    from: operator:a\n    to: operator:b\n    colour: red  # <-\n",
            "colour", "unknown field; a relationship has type, from, to, props, evidence (and extraction)",
        ),
        (
            (
                "relationships:\n  - type: PARTNER_OF\n    from: operator:a\n    to: operator:b\n    evidence:\n      - {source: doc-1, quote: q}\n"
                "      - quote: q\n        source: doc-2  # <-\n"
            ),
            "evidence", 'source "doc-2" is not among the sources of this file',
        ),
        # a field that is missing: the line of its entry
        ("sources:\n  - url: https://example.org  # <-\n    id: doc-1\n", "name", "a source needs a name (its title)"),
        ("actors:\n  - aliases: [A]  # <-\n    id: operator:a\n", "name", "operator:a needs a name"),
        ("relationships:\n  - type: PARTNER_OF  # <-\n    from: operator:a\n", "to", '"" is not an actor id'),
    ],
)  # fmt: skip
def test_a_problem_names_the_line_of_its_field(tmp_path: Path, body: str, field: str, reason: str) -> None:
    path, [line], problems = _problems(tmp_path, body)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line}: {field}: "), problems
    assert reason in problems[0], problems


def test_every_bad_field_of_a_relationship_is_named(tmp_path: Path) -> None:
    path, lines, problems = _problems(tmp_path, "relationships:\n  - type: LOVES  # <-\n    from: operator:a\n    to: nowhere  # <-\n")
    assert [problem.split(": ", 2)[:2] for problem in problems] == [[f"{path}:{lines[0]}", "type"], [f"{path}:{lines[1]}", "to"]]
