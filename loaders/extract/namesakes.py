"""Communes that share a name: the one the article means, or all of them for review.

Several communes may bear the name an article writes: two are called Pont-l'Évêque (Calvados,
Oise), four Saint-Denis. None of them is more likely than the others for the map, so the text has
to tell: a department or a region named in the sentence of a mention ("Pont-l'Évêque
(Calvados)", "(14)", "en Normandie"), else anywhere in the article, keeps the communes that lie
there. When one is left, the commune gets its INSEE code; otherwise it stays without one, as an
`AmbiguousPlace` that lists its candidates, for review (``status: ambiguous`` in the facts file),
and is never matched by name.

Example
-------
>>> from loaders.extract.gazetteer import gazetteer
>>> text = "Une usine à Pont-l'Évêque, dans le Calvados."
>>> [c.code for c in communes_meant(text, [(12, 25)], ["Pont-l'Évêque"], gazetteer())]
['14514']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extract.actors import ActorProposal
from loaders.extract.gazetteer import Commune, Gazetteer

__all__ = ["AmbiguousPlace", "communes_meant", "key_communes", "place_for"]

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


@dataclass
class AmbiguousPlace(ActorProposal):
    """A commune the article names that several communes of the map are called, none told apart by the text."""

    candidates: list[dict[str, str]] = field(default_factory=list)


def communes_meant(text: str, spans: list[tuple[int, int]], names: list[str], places: Gazetteer) -> list[Commune]:
    """The communes ``names`` may mean, less those outside the departments and regions named in the sentences of
    ``spans``, then in the whole text, as long as one is left."""
    found = list(dict.fromkeys(c for name in names for c in places.communes_named(name)))
    for scope in (" ".join(_sentence(text, start, end) for start, end in spans), text):
        if len(found) < 2:
            break
        areas = places.areas_in(scope)
        found = [c for c in found if ("department", c.department) in areas or ("region", c.region) in areas] or found
    return found


def place_for(actor: ActorProposal, communes: list[Commune], places: Gazetteer, name: str) -> ActorProposal:
    """``actor`` keyed by its one commune; for several, an `AmbiguousPlace` named as the article writes it; for none, without a key."""
    if len(communes) == 1:
        actor.key, actor.name = communes[0].code, communes[0].name
        return actor
    actor.key = None
    if not communes:  # a name the map knows only without the particles it is written with
        actor.name = name
        return actor
    candidates = [_candidate(c, places) for c in communes]
    return AmbiguousPlace(kind=actor.kind, name=name, mentions=actor.mentions, confidence=actor.confidence, candidates=candidates)


def key_communes(text: str, actors: list[ActorProposal], places: Gazetteer) -> None:
    """Give each commune of ``actors`` the one commune its names mean, or replace it with an `AmbiguousPlace`."""
    for position, actor in enumerate(actors):
        if actor.kind != "commune" or isinstance(actor, AmbiguousPlace):
            continue
        spans = [(m.start, m.end) for m in actor.mentions]
        communes = communes_meant(text, spans, actor.surface_forms, places)
        actors[position] = place_for(actor, communes, places, actor.surface_forms[0] if actor.surface_forms else actor.name)


def _candidate(commune: Commune, places: Gazetteer) -> dict[str, str]:
    department = next((name for code, name in places.names["department"].values() if code == commune.department), commune.department)
    return {"id": f"commune:{commune.code}", "name": commune.name, "department": f"{department} ({commune.department})"}


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``: from the end of the one before to the end of its own."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0 : after.end() if after else len(text)]
