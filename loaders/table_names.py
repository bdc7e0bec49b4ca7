"""Actors of a table found by their name rather than their key (``match: name`` in a mapping).

One name index per kind (`graph.name_index`), built once per load; a name that names no actor
surely enough, or several, is a problem of its row, never a guess.

Example
-------
>>> names = NameLookup(graph)                                          # doctest: +SKIP
>>> names.key("Operator", "BPI France", threshold=90)                 # doctest: +SKIP
('bpifrance', '')
"""

from __future__ import annotations

from typing import Any

from graph.backend import GraphBackend
from graph.errors import InvalidName
from graph.name_index import MARGIN, NameIndex, check_name

__all__ = ["NameLookup"]


class NameLookup:
    """The actors of each kind, by name: one index per kind, built on first use; answers are remembered."""

    def __init__(self, graph: GraphBackend) -> None:
        self.graph: GraphBackend = graph
        self.indexes: dict[str, Any] = {}
        self.found: dict[tuple[str, str], tuple[str | None, str]] = {}

    def key(self, label: str, name: str, threshold: float) -> tuple[str | None, str]:
        """The key of the one actor of ``label`` that ``name`` surely names, or ``None`` and why there is none."""
        if (label, name) not in self.found:
            self.found[(label, name)] = self._look_up(label, name, threshold)
        return self.found[(label, name)]

    def _look_up(self, label: str, name: str, threshold: float) -> tuple[str | None, str]:
        if label not in self.indexes:
            rows = self.graph.run(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases")
            self.indexes[label] = NameIndex({**row, "kind": label} for row in rows).unpack()
        try:
            check_name(name)
        except InvalidName as exc:
            return None, str(exc)
        matches = self.indexes[label].search(name, limit=3, exhaustive=False)
        best = matches[0] if matches else None
        rivals = [m for m in matches[1:] if best and m.strength >= best.strength - MARGIN]
        if best is None or best.strength < threshold:
            closest = f"; the closest is {best.id} ({best.name}), score {best.score:g}" if best else ""
            return None, f'"{name}" names no {label.lower()} with a score of {threshold:g} or more{closest}'
        if rivals:
            listed = ", ".join(f"{m.id} ({m.name})" for m in [best, *rivals])
            return None, f'"{name}" may name {listed}: give the key in a column of its own'
        return best.id.split(":", 1)[1], ""
