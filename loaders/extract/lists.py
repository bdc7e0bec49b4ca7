"""Lists of actors: "X, Y et Z ont signé", "l'État et ses opérateurs (A, B, C…)", "ces territoires".

A list is a run of mentions with nothing between them but commas, "et", "ou", "ainsi que",
articles, parentheses, "ses opérateurs (" and the word that says what a member is ("le cluster X et
la start-up Y", "et la Région Z"): the members share the verb of the sentence
(`relations.py` gives each its own relationship). A place named in a list of territories is a
territory when the official lists know it (an EPCI that names a territory too, or "le Cognaçais"
for a territory one of whose dashed parts it is). "ces (quatre) territoires" refers to every territory named before.

Example
-------
>>> from loaders.extract.mentions import Mention
>>> text = "Le Vimeu, le Ponthieu et Sud Oise ont été choisis."
>>> a, b = Mention(13, 21, "Ponthieu", "epci", "Ponthieu", 0.7), Mention(25, 33, "Sud Oise", "territory", "Sud Oise", 0.7)
>>> [[m.text for m in run] for run in list_runs(text, [a, b])]
[['Ponthieu', 'Sud Oise']]
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from loaders.extract.mentions import Mention
from loaders.extract.patterns import NOUN_PHRASE

__all__ = ["PARTNERS", "list_runs", "territories_in_lists", "these_territories"]

# what may stand between the members of a list: commas, "et", articles, and what the next one is ("et la start-up Y", "et la Région Y")
_LABEL = rf"\b(?:{NOUN_PHRASE}|(?:régions?|départements?|conseil (?:régional|départemental))(?:\s+(?:du|de la|de l['’]|des|de|d['’]))?)\b"
_GAP = re.compile(rf"(?:\s+|,|;|\bet\b|\bou\b|\bainsi que\b|\(|\)|…|\.\.\.|\b(?:le|la|les)\b|\bl['’]|\b(?:ses|leurs)\s+[a-zé]+\s*\(|{_LABEL}|[«\"“])*", re.IGNORECASE)
_JOINS = re.compile(r",|\bet\b|\bou\b|\bainsi que\b|\(", re.IGNORECASE)
PARTNERS = re.compile(r"^\s*et\s+(?:ses|leurs)\s+(?:opérateurs|partenaires)\s*\(\s*$", re.IGNORECASE)  # "l'État et ses opérateurs (A, B…)"
_THESE_TERRITORIES = re.compile(r"\b(?:[Cc]es|[Cc]hacun des) (?:(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+) )?[Tt]erritoires\b(?! d['’][Ii]ndustrie\s+[A-ZÉ])")
_PLACE_KINDS = {"epci", "commune", "department"}


def list_runs(text: str, mentions: list[Mention]) -> list[list[Mention]]:
    """Runs of two or more mentions (in text order) that the text writes as one list; mentions of one span go together."""
    runs: list[list[Mention]] = []
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        last = runs[-1][-1] if runs else None
        if last is not None and (mention.start == last.start or _joined(text[last.end : mention.start])):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return [run for run in runs if len({m.start for m in run}) > 1 or len(run) > 1]


def _joined(gap: str) -> bool:
    return _GAP.fullmatch(gap) is not None and _JOINS.search(gap) is not None


def territories_in_lists(text: str, mentions: list[Mention], places: Any) -> list[Mention]:
    """Places listed beside territories that the official lists know as territories become those territories."""
    changed = {}
    for run in list_runs(text, mentions):
        if not any(m.kind == "territory" for m in run):
            continue
        for m in run:
            found = places.territory(m.name, "II") or places.territory_part(m.name) if m.kind in _PLACE_KINDS and m.how != "rule" else None
            if found:
                changed[id(m)] = replace(m, kind="territory", name=found[1], key=None)
    return [changed.get(id(m), m) for m in mentions]


def these_territories(text: str, actors: list[Any]) -> list[tuple[Any, Mention]]:
    """"ces quatre territoires": one mention for every territory named before, as (actor, mention)."""
    found = []
    for match in _THESE_TERRITORIES.finditer(text):
        for actor in [a for a in actors if a.kind == "territory" and any(m.end <= match.start() for m in a.mentions)]:
            found.append((actor, Mention(match.start(), match.end(), match.group(0), "territory", actor.name, 0.5, "back")))
    return found
