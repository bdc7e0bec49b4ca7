"""Match extracted actors with the actors already in the graph, with the matcher of ``tdi find``.

Places the administrative map has keyed (an INSEE code, a SIREN) are matched by that key when the
graph holds it. Every other actor is looked up by each spelling the article gives it in the
graph's name index (`graph.name_index`, saved beside an embedded graph by `graph.name_cache`):
a spelling is taken when the matcher's `verdict` is ``matched`` (a sure score and no rival
within the margin) for an actor of the same kind. A commune the article does not tell from its
namesakes (`loaders.extract.namesakes`) is not matched at all. Companies, operators, State bodies,
organisations and programmes are often told apart differently by the press and the graph, so
they may match each other. A territory whose name both phases use takes the phase of the
article's date.

Example
-------
>>> from graph.name_index import NameIndex
>>> index = NameIndex([{"kind": "Epci", "key": "200069409", "name": "CA du Pays de Saint-Omer", "aliases": []}])
>>> best_match(index, "epci", ["Communauté d'agglomération du Pays de Saint-Omer"])
{'id': 'epci:200069409', 'name': 'CA du Pays de Saint-Omer'}
"""

from __future__ import annotations

from typing import Any

from graph.name_index import NameIndex, NameMatch, verdict
from graph.schema import schema
from loaders.extract.namesakes import AmbiguousPlace

__all__ = ["best_match", "graph_names", "match_actors"]

PLACE_KINDS = {"region", "department", "commune", "epci"}
_NOT_NAMES = {"back", "title"}
INTERCHANGEABLE = {"company", "organisation", "operator", "statebody", "programme"}


def graph_names(graph: Any) -> NameIndex:
    """The name index of ``graph``, as ``tdi find`` reads it (saved beside an embedded graph), ready for many lookups."""
    from graph.name_cache import name_index

    return name_index(graph).unpack()


def match_actors(index: NameIndex, actors: list[Any], *, phase: str = "II") -> None:
    """Set ``actor.match`` to ``{"id", "name"}`` for every actor the graph of ``index`` holds: by key for keyed places, else by every name the article writes."""
    keyed = {node_id: position for position, node_id in enumerate(index.actor_id)}
    for actor in actors:
        if isinstance(actor, AmbiguousPlace):
            continue  # its namesakes are for a reviewer to choose from, not for the graph's names
        if actor.key and actor.kind in PLACE_KINDS and f"{actor.kind}:{actor.key}" in keyed:
            actor.match = {"id": f"{actor.kind}:{actor.key}", "name": index.actor_name[keyed[f"{actor.kind}:{actor.key}"]]}
        if not actor.match:
            names = [m.text for m in actor.mentions if m.how not in _NOT_NAMES]  # not "l'industriel", not a title
            actor.match = best_match(index, actor.kind, [actor.name, *names], phase=phase)


def best_match(index: NameIndex, kind: str, names: list[str], *, phase: str = "II") -> dict[str, str] | None:
    """The actor of ``index`` that one of ``names`` surely means, among those of ``kind`` (or interchangeable kinds)."""
    for name in dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()):
        matches = [m for m in index.search(name, limit=10, exhaustive=False) if _fits(kind, m)]
        chosen = _chosen(kind, matches, phase)
        if chosen is not None:
            return {"id": chosen.id, "name": chosen.name}
    return None


def _fits(kind: str, match: NameMatch) -> bool:
    found = schema().kind(match.kind).prefix
    return found == kind or (kind in INTERCHANGEABLE and found in INTERCHANGEABLE)


def _chosen(kind: str, matches: list[NameMatch], phase: str) -> NameMatch | None:
    status, rivals = verdict(matches)
    if status == "matched":
        return rivals[0]
    if status == "ambiguous" and kind == "territory":  # the same name in both phases' lists
        same_phase = [m for m in rivals if m.id.startswith(f"territory:{phase}-")]
        return same_phase[0] if len(same_phase) == 1 else None
    return None

