"""Ties read along short typed paths from one node, found by its key, rather than from lists of keys.

On the embedded engine, ``WHERE a.key IN $keys`` tests every row of a's table (a hundred
communes cost a scan of 35,000 rows, about 50 ms), while a path that starts from one key and
follows typed ties reads only what it reaches (a few milliseconds). A territory's communes are
best reached from the territory: ``(t:Territory {key: $key})-[:COVERS]->(p)``.

Each function returns plain sets and dicts of ids (``kind:key``); `Source` nodes are left out.

Example
-------
>>> out, into = ties_of(graph.run, "territory:I-ti-3204")            # doctest: +SKIP
>>> sorted(out["COVERS"])[:1]                                         # doctest: +SKIP
['commune:62119']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from graph.schema import schema, split_id

__all__ = ["Start", "Ties", "inward_ties", "keys_start", "reached", "start_at", "ties_of"]

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]
Ties = dict[str, dict[str, set[str]]]  # node → type of tie → the actors at its other end
Start = tuple[str, str, dict[str, Any]]  # a MATCH pattern ending at node (p), a condition on it, its parameters
_FAR = "type(r) AS type, head(labels(x)) AS kind, x.key AS key"


def start_at(node_id: str, path: Sequence[str] = ()) -> Start:
    """Start at ``node_id`` and follow ties of the types ``path`` outwards to ``p``.

    >>> start_at("territory:I-ti-3204", ["COVERS", "IN_EPCI"])
    ('MATCH (:Territory {key: $key})-[:COVERS]->()-[:IN_EPCI]->(p)', '', {'key': 'I-ti-3204'})
    >>> start_at("territory:I-ti-3204")[0]
    'MATCH (p:Territory {key: $key})'
    """
    prefix, key = split_id(node_id)
    label = schema().kind(prefix).label
    if not path:
        return f"MATCH (p:{label} {{key: $key}})", "", {"key": key}
    return f"MATCH (:{label} {{key: $key}})" + "()".join(f"-[:{t}]->" for t in path) + "(p)", "", {"key": key}


def keys_start(ids: Iterable[str]) -> list[Start]:
    """Start at the nodes ``ids`` by lists of keys, one start per label (for few keys, or small tables).

    >>> keys_start(["epci:200072460", "epci:200035590"])
    [('MATCH (p:Epci)', 'p.key IN $keys', {'keys': ['200035590', '200072460']})]
    """
    groups: dict[str, list[str]] = {}
    for node_id in sorted(ids):
        prefix, key = split_id(node_id)
        groups.setdefault(schema().kind(prefix).label, []).append(key)
    return [(f"MATCH (p:{label})", "p.key IN $keys", {"keys": keys}) for label, keys in groups.items()]


def ties_of(run: Run, node_id: str) -> tuple[Ties, Ties]:
    """The ties out of ``node_id`` and into it: ``(out, into)``, each ``{node_id: {type: actors at the other end}}``."""
    pattern, _, params = start_at(node_id)
    found: dict[str, Ties] = {"out": {node_id: {}}, "in": {node_id: {}}}
    query = " UNION ALL ".join(f"{pattern}{arrow} RETURN DISTINCT '{side}' AS side, {_FAR}" for side, arrow in (("out", "-[r]->(x)"), ("in", "<-[r]-(x)")))
    for row in run(query, params):
        _add(found[row["side"]], node_id, row)
    return found["out"], found["in"]


def reached(run: Run, start: Start) -> set[str]:
    """The actors ``start`` matches as ``p``.

    >>> reached(graph.run, start_at("territory:II-ti-3205", ["COVERS", "IN_EPCI"]))   # doctest: +SKIP
    {'epci:200035442', 'epci:246200364'}
    """
    pattern, condition, params = start
    query = f"{pattern}{' WHERE ' + condition if condition else ''} RETURN DISTINCT head(labels(p)) AS kind, p.key AS key"
    return {_id(row["kind"], row["key"]) for row in run(query, params) if row["kind"] != "Source"}


def inward_ties(run: Run, start: Start, *, near: Sequence[str], types: Sequence[str], first: Ties | None = None) -> Ties:
    """The ties of ``types`` into the nodes ``start`` matches, and into the nodes tied to those by ties of ``near`` (inwards).

    Every node reached is in the result, with no type when nothing of ``types`` comes into it.
    Two queries: one tie from the start (not when ``first``, from `ties_of`, gives those ties
    already), then two (not when nothing comes in through ``near``). ``near`` must be part of ``types``.
    """
    pattern, condition, params = start
    where = f"{condition} AND " if condition else ""
    found: Ties = {node: {t: set(ids) for t, ids in ties.items() if t in types} for node, ties in (first or {}).items()}

    def read(tail: str, node: str, more: str, extra: dict[str, Any]) -> None:
        returns = f"DISTINCT head(labels({node})) AS near_kind, {node}.key AS near_key, {_FAR}"
        for row in run(f"{pattern}{tail} WHERE {where}{more}type(r) IN $types RETURN {returns}", {**params, "types": list(types), **extra}):
            _add(found, _id(row["near_kind"], row["near_key"]), row)

    if first is None:
        read("<-[r]-(x)", "p", "", {})
    brought = {n for ties in found.values() for t in near for n in ties.get(t, ())}
    for node in brought:
        found.setdefault(node, {})  # reached through ``near`` even with nothing of ``types`` coming into it
    if brought:
        read("<-[g]-(y)<-[r]-(x)", "y", "type(g) IN $near AND ", {"near": list(near)})
    return found


def _id(kind: str, key: str) -> str:
    return f"{kind.lower()}:{key}"


def _add(found: Ties, node: str, row: Mapping[str, Any]) -> None:
    ties = found.setdefault(node, {})
    if row["kind"] != "Source":
        ties.setdefault(row["type"], set()).add(_id(row["kind"], row["key"]))
