"""The only place where the Cypher dialects of Neo4j and the embedded engine meet.

Queries are written in Neo4j's Cypher; `to_embedded` rewrites the few constructs the embedded
engine spells differently: ``type(r)`` is ``label(r)``, ``head(labels(n))`` is ``label(n)``,
``shortestPath((a)-[*..N]-(b))`` is ``(a)-[* SHORTEST 1..N]-(b)``, ``relationships(p)`` is
``rels(p)``, and a list comprehension ``[x IN list WHERE pred | expr]`` is
``list_transform(list_filter(list, x -> pred), x -> expr)``.

A comprehension must not nest brackets, and its ``WHERE`` and ``|`` parts must not use a
``$parameter``: the embedded engine (LadybugDB 0.22) fails on parameters inside a lambda.

Example
-------
>>> to_embedded("MATCH (a)-[r]->(b) RETURN type(r), head(labels(b))")
'MATCH (a)-[r]->(b) RETURN label(r), label(b)'
"""

from __future__ import annotations

import re

__all__ = ["to_embedded"]


def _comprehension(match: re.Match[str]) -> str:
    """``[x IN list WHERE pred | expr]`` as the embedded engine's list functions."""
    var, source, pred, expr = match["var"], match["list"].strip(), match["pred"], match["expr"]
    if pred:
        source = f"list_filter({source}, {var} -> {pred.strip()})"
    return f"list_transform({source}, {var} -> {expr.strip()})" if expr else source


def _shortest(m: re.Match[str]) -> str:
    """``shortestPath((a)-[*..N]-(b))`` as ``(a)-[* SHORTEST 1..N]-(b)`` (``ALL SHORTEST`` for allShortestPaths)."""
    which = "ALL SHORTEST" if m.group(1) else "SHORTEST"
    return f"{m.group(2)}-[{m.group(3)}{m.group(4)}* {which} {m.group(5) or 1}..{m.group(6)}]-{m.group(7)}"


# Each rewrite: a text (in lower case) without which its pattern cannot match, the pattern (compiled,
# ignoring case, the first time a query holds that text: most queries need two or three), the replacement.
_REWRITES = [
    ("type(", r"\btype\(\s*(\w+)\s*\)", r"label(\1)"),
    ("head(", r"\bhead\(\s*labels\(\s*(\w+)\s*\)\s*\)", r"label(\1)"),
    ("relationships(", r"\brelationships\(\s*(\w+)\s*\)", r"rels(\1)"),
    (
        "shortestpath",
        r"\b(all)?shortestPaths?\(\s*(\(\w*(?::\w+)?(?:\s*\{[^}]*\})?\))\s*-\[(\w*)(:?[\w|]*)\*(\d*)\.\.(\d+)\]-\s*(\([^)]*\))\s*\)",
        _shortest,
    ),
    (
        "[",
        r"\[\s*(?P<var>\w+)\s+IN\s+(?P<list>[^\[\]|]+?)(?:\s+WHERE\s+(?P<pred>[^\[\]|]+?))?\s*(?:\|\s*(?P<expr>[^\[\]]+?))?\s*\]",
        _comprehension,
    ),
]
_COMPILED: dict[str, re.Pattern[str]] = {}


def to_embedded(cypher: str) -> str:
    """Rewrite Neo4j Cypher for the embedded engine.

    Examples
    --------
    >>> to_embedded("RETURN [n IN nodes(p) | toLower(head(labels(n)))] AS kinds")
    'RETURN list_transform(nodes(p), n -> toLower(label(n))) AS kinds'
    >>> to_embedded("RETURN [e IN r.evidence WHERE e STARTS WITH 'x'] AS quotes")
    "RETURN list_filter(r.evidence, e -> e STARTS WITH 'x') AS quotes"
    >>> to_embedded("MATCH p = allShortestPaths((a)-[*..4]-(b)) RETURN p")
    'MATCH p = (a)-[* ALL SHORTEST 1..4]-(b) RETURN p'
    >>> to_embedded("RETURN [s IN relationships(p) WHERE s.amount_eur > 0 | type(s)] AS t")
    'RETURN list_transform(list_filter(rels(p), s -> s.amount_eur > 0), s -> label(s)) AS t'
    """
    for needed, pattern, replacement in _REWRITES:
        if needed in cypher.lower():
            compiled = _COMPILED.get(pattern) or _COMPILED.setdefault(pattern, re.compile(pattern, re.IGNORECASE))
            cypher = compiled.sub(replacement, cypher)
    return cypher
