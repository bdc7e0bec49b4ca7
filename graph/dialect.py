"""The only place where the Cypher dialects of Neo4j and the embedded engine meet.

Queries are written in Neo4j's Cypher; `to_embedded` rewrites the few constructs the embedded
engine spells differently: ``type(r)`` is ``label(r)``, ``head(labels(n))`` is ``label(n)``,
``shortestPath((a)-[*..N]-(b))`` is ``(a)-[* SHORTEST 1..N]-(b)``, ``relationships(p)`` is
``rels(p)``, and a list comprehension ``[x IN list WHERE pred | expr]`` is
``list_transform(list_filter(list, x -> pred), x -> expr)``. The nodes and relationships of a
shortest path whose relationships are named, ``p = shortestPath((a)-[e*..N]-(b))``, are read from
``e`` and its ends rather than from ``p`` (`_shortest_path_parts`); a variable-length path read only
as ``min(length(p))`` is matched as a shortest path (`_min_length_paths`).

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

# Patterns as text: `re` compiles them the first time a query needs them.
_SHORTEST_PATH = r"\b(?P<path>\w+)\s*=\s*(?:all)?shortestPaths?\(\s*\((?P<start>\w+)[^)]*\)\s*-\[(?P<rels>\w+)[^\]]*\]-\s*\((?P<end>\w+)[^)]*\)\s*\)"
_QUOTED = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"


def _shortest_path_parts(cypher: str) -> str:
    """``[n IN nodes(p) | f(n)]`` as ``[f(a)] + [n IN nodes(e) | f(n)] + [f(b)]`` and ``relationships(p)``
    as ``relationships(e)``, for each ``p = shortestPath((a)-[e*..N]-(b))``: the engine builds the path
    value itself slowly (on the full graph, 60 ms against 35 for the same path read from ``e``).

    >>> _shortest_path_parts("MATCH p = shortestPath((a)-[e*..8]-(b)) RETURN [n IN nodes(p) | n.key + ':']")
    "MATCH p = shortestPath((a)-[e*..8]-(b)) RETURN [a.key + ':'] + [n IN nodes(e) | n.key + ':'] + [b.key + ':']"
    """
    if "shortestpath" not in cypher.lower():
        return cypher
    for match in re.finditer(_SHORTEST_PATH, cypher, re.IGNORECASE):
        path, start, rels, end = match["path"], match["start"], match["rels"], match["end"]
        cypher = re.sub(rf"\brelationships\(\s*{path}\s*\)", f"relationships({rels})", cypher, flags=re.IGNORECASE)
        nodes = rf"\[\s*(\w+)\s+IN\s+nodes\(\s*{path}\s*\)\s*\|\s*([^\[\]]+?)\s*\]"
        for found in list(re.finditer(nodes, cypher, re.IGNORECASE))[::-1]:
            var, expr = found[1], found[2]
            inner = f"[{_put(expr, var, start)}] + [{var} IN nodes({rels}) | {expr}] + [{_put(expr, var, end)}]"
            cypher = cypher[: found.start()] + inner + cypher[found.end() :]
    return cypher


_VARIABLE_PATH = r"\b(?P<path>\w+)\s*=\s*\([^()]*\)\s*<?-\[[^\]*]*\*(?P<low>1?)\.\.\d+\]->?\s*\([^()]*\)"


def _min_length_paths(cypher: str) -> str:
    """``p = (n)-[*1..N]->(r)`` as ``p = (n)-[* SHORTEST 1..N]->(r)`` when ``p`` is only read as
    ``min(length(p))``: the least length is that of a shortest path, and the engine then follows one
    path per pair of ends instead of every path (actors-of-region: 20 ms of CPU instead of 32). A
    shortest path never ends where it starts, so a query that may measure a cycle (from a node back
    to itself) must read ``p`` otherwise as well, which keeps the plain expansion.

    >>> _min_length_paths("MATCH p = (n)-[:IN*1..3]->(r) WITH n, min(length(p)) AS steps RETURN n, steps")
    'MATCH p = (n)-[:IN* SHORTEST 1..3]->(r) WITH n, min(length(p)) AS steps RETURN n, steps'
    """
    if "min(" not in cypher.lower():
        return cypher
    for match in list(re.finditer(_VARIABLE_PATH, cypher))[::-1]:
        path = match["path"]
        uses = len(re.findall(rf"\b{path}\b", re.sub(_QUOTED, "''", cypher)))
        if uses > 1 and uses == 1 + len(re.findall(rf"\bmin\(\s*length\(\s*{path}\s*\)\s*\)", cypher, re.IGNORECASE)):
            star = cypher.index("*", match.start())
            cypher = f"{cypher[:star]}* SHORTEST 1{cypher[star + 1 + len(match['low']):]}"
    return cypher


def _put(expr: str, var: str, node: str) -> str:
    """``expr`` with the variable ``var`` replaced by ``node``, outside string literals."""
    parts = re.split(_QUOTED, expr)
    return "".join(part if i % 2 else re.sub(rf"(?<![\w.$]){var}\b", node, part) for i, part in enumerate(parts))


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
    cypher = _min_length_paths(_shortest_path_parts(cypher))
    for needed, pattern, replacement in _REWRITES:
        if needed in cypher.lower():
            compiled = _COMPILED.get(pattern) or _COMPILED.setdefault(pattern, re.compile(pattern, re.IGNORECASE))
            cypher = compiled.sub(replacement, cypher)
    return cypher
