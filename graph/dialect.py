"""The only place where the Cypher dialects of Neo4j and the embedded engine meet.

Queries are written in Neo4j's Cypher; `to_embedded` rewrites the few constructs the embedded
engine spells differently: ``type(r)`` is ``label(r)``, ``head(labels(n))`` is ``label(n)``,
``shortestPath((a)-[*..N]-(b))`` is ``(a)-[* SHORTEST 1..N]-(b)``.

Example
-------
>>> to_embedded("MATCH (a)-[r]->(b) RETURN type(r), head(labels(b))")
'MATCH (a)-[r]->(b) RETURN label(r), label(b)'
"""

from __future__ import annotations

import re

__all__ = ["to_embedded"]

_REWRITES = [
    (re.compile(r"\btype\(\s*(\w+)\s*\)", re.IGNORECASE), r"label(\1)"),
    (re.compile(r"\bhead\(\s*labels\(\s*(\w+)\s*\)\s*\)", re.IGNORECASE), r"label(\1)"),
    (
        re.compile(
            r"\b(all)?shortestPath\(\s*(\(\w*(?::\w+)?(?:\s*\{[^}]*\})?\))\s*-\[(\w*)(:?[\w|]*)\*(\d*)\.\.(\d+)\]-\s*(\([^)]*\))\s*\)",
            re.IGNORECASE,
        ),
        lambda m: (
            f"{m.group(2)}-[{m.group(3)}{m.group(4)}* {'ALL SHORTEST' if m.group(1) else 'SHORTEST'} "
            f"{m.group(5) or 1}..{m.group(6)}]-{m.group(7)}"
        ),
    ),
]


def to_embedded(cypher: str) -> str:
    """Rewrite Neo4j Cypher for the embedded engine."""
    for pattern, replacement in _REWRITES:
        cypher = pattern.sub(replacement, cypher)
    return cypher
