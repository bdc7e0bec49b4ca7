"""Cypher constructs known to break on Neo4j 5, and a check that finds them in a query.

Queries are written once, in Neo4j's Cypher, and run on both backends; the embedded engine runs
them in CI, Neo4j only where a server is at hand. Some constructs run on the embedded engine yet
fail on Neo4j 5.x; each is listed here with the error Neo4j gives and the portable spelling, so
that a test can check every named query and every query built into the code without a server.

Example
-------
>>> [p.rule for p in problems("MATCH (n) WHERE exists(n.name) RETURN n")]
['property-exists-function']
>>> problems("MATCH (n) WHERE n.name IS NOT NULL RETURN n")
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RULES", "Problem", "Rule", "problems", "strip_comments_and_strings"]


@dataclass(frozen=True)
class Rule:
    """A construct that Neo4j 5 rejects: what it is, the error it gives, how to write it instead."""

    name: str
    what: str
    neo4j_error: str
    instead: str
    find: Callable[[str], list[str]]  # cypher without comments and strings -> the excerpts found


@dataclass(frozen=True)
class Problem:
    """One construct found in a query."""

    rule: str
    excerpt: str
    neo4j_error: str
    instead: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.excerpt!r} fails on Neo4j 5 ({self.neo4j_error}); {self.instead}"


_LINE_COMMENT = re.compile(r"//[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _without_comments(cypher: str) -> str:
    """The query without comments; strings are kept (a ``//`` inside a string stays)."""
    out, pos = [], 0
    pattern = re.compile(f"{_STRING.pattern}|{_BLOCK_COMMENT.pattern}|{_LINE_COMMENT.pattern}", re.DOTALL)
    for match in pattern.finditer(cypher):
        out.append(cypher[pos : match.start()])
        token = match.group(0)
        out.append(token if token[0] in "'\"" else " ")
        pos = match.end()
    out.append(cypher[pos:])
    return "".join(out)


def strip_comments_and_strings(cypher: str) -> str:
    """The query with comments removed and every string literal emptied, so rules see only code.

    >>> strip_comments_and_strings("MATCH (n) // exists(n.x)\\nRETURN 'exists(n.y)' AS s")
    "MATCH (n)  \\nRETURN '' AS s"
    """
    return _STRING.sub("''", _without_comments(cypher))


def _braced(code: str, start: int) -> str:
    """The text of the ``{ … }`` block whose opening brace is at or after ``start``."""
    open_at = code.index("{", start)
    depth = 0
    for i in range(open_at, len(code)):
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        if depth == 0:
            return code[open_at : i + 1]
    return code[open_at:]


def _parameter_in_list_inside_exists(code: str) -> list[str]:
    found = []
    for match in re.finditer(r"\bEXISTS\s*\{", code, re.IGNORECASE):
        block = _braced(code, match.start())
        found += [m.group(0) for m in re.finditer(r"\$\w+\s+IN\s+\[[^\]]*\]", block, re.IGNORECASE)]
    return found


def _concatenation_over_unwound_concatenated_list(code: str) -> list[str]:
    concatenated = {m.group(2) for m in re.finditer(r"((?:collect\(|\[)[^;]*?\+[^;]*?)\s+AS\s+(\w+)", code, re.IGNORECASE)}
    elements = set()
    for match in re.finditer(r"\bUNWIND\s+(.+?)\s+AS\s+(\w+)", code, re.IGNORECASE | re.DOTALL):
        source = match.group(1)
        if "+" in source or source.strip() in concatenated:
            elements.add(match.group(2))
    found = []
    for var in elements:
        pattern = rf"''\s*\+\s*{var}\b|\b{var}\s*\+\s*''"
        found += [m.group(0) for m in re.finditer(pattern, code)]
    return found


def _pattern(regex: str) -> Callable[[str], list[str]]:
    compiled = re.compile(regex, re.IGNORECASE)
    return lambda code: [m.group(0) for m in compiled.finditer(code)]


RULES: tuple[Rule, ...] = (
    Rule(
        "parameter-in-list-inside-exists",
        "a parameter tested against a list literal inside an EXISTS subquery ($p IN [t.key, t.name])",
        "Variable `  t@5` not defined (Neo4j 5.13, when two such subqueries are joined by OR)",
        "compare with = joined by OR: (t.key = $p OR t.name = $p)",
        _parameter_in_list_inside_exists,
    ),
    Rule(
        "concatenation-over-unwound-concatenated-list",
        "string concatenation with the elements of a list built with + and then unwound",
        "Type mismatch: expected Float, Integer, String, … but was Boolean",
        "wrap the element in coalesce(k, '') before concatenating",
        _concatenation_over_unwound_concatenated_list,
    ),
    Rule(
        "property-exists-function",
        "exists(n.property)",
        "The property existence syntax `exists(variable.property)` is no longer supported",
        "write n.property IS NOT NULL",
        _pattern(r"\bexists\s*\(\s*\w+\.\w+\s*\)"),
    ),
    Rule(
        "pattern-in-size",
        "size() of a pattern, as in size((n)-->())",
        "A pattern expression should only be used in order to test the existence of a pattern",
        "use COUNT { (n)-->() } or count() after a MATCH",
        _pattern(r"\bsize\s*\(\s*\("),
    ),
    Rule(
        "embedded-dialect",
        "the embedded engine's own spelling: label(), rels(), list_transform(), list_filter(), * SHORTEST",
        "Unknown function 'label' (or: Invalid input 'SHORTEST')",
        "write Neo4j's Cypher (type(r), head(labels(n)), relationships(p), [x IN l WHERE … | …], shortestPath); "
        "graph.dialect rewrites it for the embedded engine",
        _pattern(r"\b(?:label|rels|list_transform|list_filter|list_concat)\s*\(|\*\s*(?:ALL\s+)?SHORTEST\b"),
    ),
)


def problems(cypher: str) -> list[Problem]:
    """Every construct of `RULES` found in ``cypher`` (Neo4j dialect), comments and strings aside."""
    code = strip_comments_and_strings(cypher)
    return [Problem(rule.name, excerpt, rule.neo4j_error, rule.instead) for rule in RULES for excerpt in rule.find(code)]
