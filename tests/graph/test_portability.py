"""Every query the tool runs avoids the constructs known to break on Neo4j 5 (graph/portability.py).

No Neo4j server runs in CI; the embedded engine runs every query, and this check covers what the
embedded engine accepts but Neo4j 5 rejects: each named query, and each query written into the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph.portability import RULES, problems

REPO = Path(__file__).resolve().parents[2]
NAMED = sorted((REPO / "queries" / "cypher").glob("*.cypher"))
# Modules that speak the embedded engine's own dialect, or describe the rules themselves.
EMBEDDED_ONLY = {"graph/embedded.py", "graph/embedded_reads.py", "graph/dialect.py", "graph/portability.py"}
CLAUSE = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|UNWIND|WITH|MERGE|CREATE|CALL|RETURN)\b")


def _text(node: ast.AST) -> str | None:
    """A string literal, or an f-string with each placeholder as ``x``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    return None


def _builtin_queries() -> list[tuple[str, str]]:
    found = []
    for package in ("graph", "loaders", "queries", "viz", "commands"):
        for path in sorted((REPO / package).rglob("*.py")):
            name = str(path.relative_to(REPO))
            if name in EMBEDDED_ONLY:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
            for node in ast.walk(tree):
                text = None if id(node) in parts else _text(node)
                if text and CLAUSE.match(text):
                    found.append((f"{name}:{node.lineno}", text))
    return found


BUILTIN = _builtin_queries()
EXAMPLES = {
    "parameter-in-list-inside-exists": (
        "MATCH (n) WHERE EXISTS{MATCH (n)-->(t:Territory) WHERE $p IN [t.key]} OR EXISTS{MATCH (n)-->(u:Territory) WHERE $p IN [u.key]} RETURN n",
        "MATCH (n) WHERE EXISTS{MATCH (n)-->(t:Territory) WHERE t.key = $p} OR EXISTS{MATCH (n)-->(u:Territory) WHERE u.key = $p} RETURN n",
    ),
    "concatenation-over-unwound-concatenated-list": (
        "MATCH (t) WITH [t.name]+[t.name] AS ks UNWIND ks AS k RETURN 'x'+k",
        "MATCH (t) WITH [t.name]+[t.name] AS ks UNWIND ks AS k RETURN 'x'+coalesce(k, '')",
    ),
    "property-exists-function": ("MATCH (n) WHERE exists(n.name) RETURN n", "MATCH (n) WHERE n.name IS NOT NULL RETURN n"),
    "pattern-in-size": ("MATCH (n) RETURN size((n)-->()) AS d", "MATCH (n) RETURN COUNT { (n)-->() } AS d"),
    "embedded-dialect": ("MATCH (a)-[r]->(b) RETURN label(r)", "MATCH (a)-[r]->(b) RETURN type(r)"),
}


def test_every_rule_has_an_example() -> None:
    assert {rule.name for rule in RULES} == set(EXAMPLES)


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_each_rule_finds_its_construct_and_not_the_portable_form(rule: str) -> None:
    broken, portable = EXAMPLES[rule]
    assert rule in {p.rule for p in problems(broken)}
    assert problems(portable) == []


def test_comments_and_strings_are_not_code() -> None:
    assert problems("// exists(n.x) and label(r)\nMATCH (n) RETURN 'label(r) * SHORTEST' AS s /* rels(p) */") == []


def test_the_code_holds_queries_to_check() -> None:
    assert len(NAMED) >= 20 and len(BUILTIN) >= 20


@pytest.mark.parametrize("path", NAMED, ids=[p.stem for p in NAMED])
def test_named_query_is_portable(path: Path) -> None:
    assert [str(p) for p in problems(path.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("where,cypher", BUILTIN, ids=[w for w, _ in BUILTIN])
def test_builtin_query_is_portable(where: str, cypher: str) -> None:
    assert [str(p) for p in problems(cypher)] == []
