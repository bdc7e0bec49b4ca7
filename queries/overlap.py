"""Where programmes meet: programme × programme tables of shared communes and shared EPCI.

A programme reaches a commune when one of its sites covers the commune or the EPCI it belongs
to, and an EPCI when a site covers the EPCI or one of its communes; Territoires d'industrie
(code ``ti``) reaches the communes and EPCI its territories cover in the same way. For each pair
of programmes, `overlap_rows` gives the places they share, their Jaccard index (shared / either)
and their lift (shared × N / (|A| × |B|), N the number of places in scope: 1 when the two
programmes meet as often as chance would have it, above 1 when more often).

Example
-------
>>> rows = overlap_rows({"a": {"1", "2", "3", "4"}, "b": {"3", "4", "5"}}, universe=10)
>>> rows[0]["shared"], rows[0]["jaccard"], rows[0]["lift"]
(2, 0.4, 1.6667)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

from graph.backend import GraphBackend
from graph.errors import SchemaError

__all__ = ["TI", "overlap_rows", "programme_overlap"]

TI = "ti"
_SITES = {
    "communes": "MATCH (p:Programme)<-[:LABELLED]-(:Site)-[:COVERS]->()<-[:IN_EPCI*0..1]-(x:Commune) "
                "RETURN DISTINCT p.code AS programme, x.key AS place",
    "epci": "MATCH (p:Programme)<-[:LABELLED]-(:Site)-[:COVERS]->()-[:IN_EPCI*0..1]->(x:Epci) "
            "RETURN DISTINCT p.code AS programme, x.key AS place",
}
_TERRITORIES = {
    "communes": "MATCH (t:Territory)-[:COVERS]->()<-[:IN_EPCI*0..1]-(x:Commune) WHERE coalesce($phase, t.phase) = t.phase "
                "RETURN DISTINCT x.key AS place",
    "epci": "MATCH (t:Territory)-[:COVERS]->()-[:IN_EPCI*0..1]->(x:Epci) WHERE coalesce($phase, t.phase) = t.phase "
            "RETURN DISTINCT x.key AS place",
}
_SCOPE = {
    "communes": ("MATCH (x:Commune) WHERE x.until IS NULL RETURN x.key AS place",
                 ("MATCH (x:Commune)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r:Region) "
                 "WHERE x.until IS NULL AND r.key = $region RETURN DISTINCT x.key AS place")),
    "epci": ("MATCH (x:Epci) WHERE x.until IS NULL RETURN x.key AS place",
             ("MATCH (x:Epci)-[:IN_REGION]->(r:Region) WHERE x.until IS NULL AND r.key = $region "
             "RETURN DISTINCT x.key AS place")),
}  # fmt: skip


def overlap_rows(members: Mapping[str, set[str]], *, universe: int) -> list[dict[str, Any]]:
    """One row per pair of programmes (in code order): sizes, shared places, Jaccard and lift (4 decimals).

    Parameters
    ----------
    members : mapping
        Programme code → the places it reaches.
    universe : int
        The number of places in scope (N of the lift).

    Examples
    --------
    >>> overlap_rows({"a": {"1"}, "b": set()}, universe=5)[0]["lift"] is None
    True
    """
    rows = []
    for a, b in combinations(sorted(members), 2):
        size_a, size_b, shared = len(members[a]), len(members[b]), len(members[a] & members[b])
        either = len(members[a] | members[b])
        rows.append({
            "programme_a": a, "programme_b": b, "a": size_a, "b": size_b, "shared": shared,
            "jaccard": round(shared / either, 4) if either else None,
            "lift": round(shared * universe / (size_a * size_b), 4) if size_a and size_b else None,
        })  # fmt: skip
    return rows


def programme_overlap(
    graph: GraphBackend, *, region: str | None = None, phase: str | None = None, programmes: Sequence[str] = ()
) -> dict[str, Any]:
    """The programme × programme table of shared communes and shared EPCI, read from the graph.

    Parameters
    ----------
    graph : GraphBackend
    region : str, optional
        Only the communes and EPCI of this region (INSEE code, id or name, spelled any way
        `graph.regions` reads it); N is then the region's. Raises `ActorNotFound` if there is none.
    phase : {"I", "II"}, optional
        Only this phase's territories of industry (both by default).
    programmes : sequence of str
        Only these programmes (ANCT codes such as ``pvd``, or ``ti``); all of them by default. A
        code that no site of the graph bears raises `SchemaError`, naming those it holds.

    Returns
    -------
    dict
        ``rows`` (one per pair: ``programme_a``, ``programme_b``, then for communes and for EPCI the
        sizes, ``shared_*``, ``jaccard_*`` and ``lift_*``) and ``notes``.
    """
    if region:
        from graph.regions import find_region

        region = find_region(graph.run, region)[0]
    levels, known = {}, {TI}
    for level in ("communes", "epci"):
        scope = {r["place"] for r in graph.run(_SCOPE[level][1] if region else _SCOPE[level][0], {"region": region})}
        members: dict[str, set[str]] = defaultdict(set)
        for r in graph.run(_SITES[level]):
            members[r["programme"]].add(r["place"])
        members[TI] = {r["place"] for r in graph.run(_TERRITORIES[level], {"phase": phase})}
        chosen = [p.lower() for p in programmes] or [p for p in members if p]
        known |= {p for p, places in members.items() if p and places}
        levels[level] = overlap_rows({p: members.get(p, set()) & scope for p in chosen}, universe=len(scope))
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise SchemaError(f'No programme "{unknown[0]}" in the graph. It holds: {", ".join(sorted(known))} ("tdi load programmes" adds ANCT\'s).')
    rows = [
        {"programme_a": c["programme_a"], "programme_b": c["programme_b"],
         **{f"{name}_{level}": row[name] for level, row in (("communes", c), ("epci", e)) for name in ("a", "b", "shared", "jaccard", "lift")}}
        for c, e in zip(levels["communes"], levels["epci"], strict=True)
    ]  # fmt: skip
    scope_note = f"region {region}" if region else "France"
    notes = [f"Places in scope ({scope_note}): the lift compares each pair with chance; ti = Territoires d'industrie"
             + (f" (phase {phase})." if phase else " (both phases).")]  # fmt: skip
    columns = ("programme_a", "programme_b", *(f"{name}_{level}" for level in ("communes", "epci") for name in ("a", "b", "shared", "jaccard", "lift")))
    return {"rows": rows, "notes": notes, "columns": {"rows": columns}}
