"""Match extracted actors with the actors already in the graph.

The one place that asks the graph: by key for places the administrative map names (a SIREN, an
INSEE code), then by name or alias, folded (graph.keys.fold) as the graph stores them in
``search_text``. Kept small on purpose: the shared name matcher of ``tdi find`` replaces it.

Example
-------
>>> candidate_forms("Territoires d’industrie")
['territoires d’industrie', "territoires d'industrie"]
"""

from __future__ import annotations

from typing import Any

from graph.keys import fold
from graph.schema import schema

__all__ = ["candidate_forms", "match_actors"]

_BY_NAME = """
UNWIND $names AS t
MATCH (n)
WHERE n.search_text IS NOT NULL
  AND (n.search_text = t OR n.search_text STARTS WITH (t + ' | ') OR n.search_text ENDS WITH (' | ' + t)
       OR n.search_text CONTAINS (' | ' + t + ' | '))
RETURN t AS text, head(labels(n)) AS label, n.key AS key, n.name AS name
"""
_BY_KEY = "MATCH (n:{label}) WHERE n.key IN $keys RETURN n.key AS key, n.name AS name"
_INTERCHANGEABLE = {"company", "organisation", "operator", "statebody", "programme"}


def candidate_forms(name: str) -> list[str]:
    """The folded forms a name is looked up by (both apostrophes)."""
    folded = " ".join(fold(name).split())
    return list(dict.fromkeys([folded, folded.replace("’", "'"), folded.replace("'", "’")]))


def match_actors(graph: Any, actors: list[Any], *, phase: str = "II") -> None:
    """Set ``actor.match`` to ``{"id", "name"}`` for every actor the graph already holds."""
    _match_by_key(graph, [a for a in actors if a.key and a.kind in {"region", "department", "commune", "epci"}])
    pending = [a for a in actors if not a.match]
    forms = {f: a for a in pending for n in [a.name, *a.surface_forms] for f in candidate_forms(n)}
    if not forms:
        return
    hits: dict[str, list[tuple[str, str]]] = {}
    for row in graph.run(_BY_NAME, {"names": sorted(forms)}):
        if row["label"] != "Source":
            hits.setdefault(row["text"], []).append((schema().kind(row["label"]).prefix + ":" + row["key"], row["name"]))
    for form, actor in forms.items():
        if not actor.match and form in hits:
            chosen = _choose(actor.kind, hits[form], phase)
            if chosen:
                actor.match = {"id": chosen[0], "name": chosen[1]}


def _match_by_key(graph: Any, actors: list[Any]) -> None:
    by_kind: dict[str, list[Any]] = {}
    for actor in actors:
        by_kind.setdefault(actor.kind, []).append(actor)
    for kind, group in by_kind.items():
        label = schema().kind(kind).label
        found = {r["key"]: r["name"] for r in graph.run(_BY_KEY.format(label=label), {"keys": [a.key for a in group]})}
        for actor in group:
            if actor.key in found:
                actor.match = {"id": f"{kind}:{actor.key}", "name": found[actor.key]}


def _choose(kind: str, hits: list[tuple[str, str]], phase: str) -> tuple[str, str] | None:
    same = [h for h in hits if h[0].split(":")[0] == kind]
    if not same and kind in _INTERCHANGEABLE:
        same = [h for h in hits if h[0].split(":")[0] in _INTERCHANGEABLE]
    if kind == "territory" and len(same) > 1:
        same = [h for h in same if h[0].startswith(f"territory:{phase}-")] or same
    return same[0] if len(same) == 1 or (same and kind == "territory") else None
