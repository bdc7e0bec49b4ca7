"""The plain-text tooltips of a network page's nodes and edges, and the links of its details panel.

A page of 1,500 actors has 4,000 ties, most citing the same few sources: `Tooltips` makes the
lines and links naming a set of sources once per page.

Example
-------
>>> tips = Tooltips({"s1": ("Bilan (2019)", "")})
>>> tips.node_title("operator:bdt", "Operator", "BdT", {"sources": ["s1"], "evidence": ["« 1,36 milliard »"]}).splitlines()
['Operator', 'BdT', 'id: operator:bdt', 'sources:', '- Bilan (2019)', 'evidence:', '- « 1,36 milliard »']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Sources", "Tooltips", "clip", "format_value", "links_of"]

Sources = Mapping[str, tuple[str, str]]  # source key (or id) → (label, URL or "")
# Shown in their own tooltip lines, or not at all.
_OWN_LINES = frozenset({"key", "name", "kind", "aliases", "description", "sources", "evidence", "search_text", "url", "type", "outline"})


class Tooltips:
    """The tooltips and links of one page's nodes and edges; what a set of sources gives is made once.

    >>> tips = Tooltips({"s1": ("Bilan (2019)", "https://example.org")})
    >>> tips.edge_title("FUNDS", "A → B", {"type": "FUNDS", "sources": ["s1"], "amount_eur": 2e6})
    'FUNDS\\nA → B\\namount_eur: 2 000 000 €\\nsources:\\n- Bilan (2019)'
    >>> tips.links({"sources": ["s1"]}) == links_of({"sources": ["s1"]}, tips.sources)
    True
    """

    _EDGE_HIDDEN = _OWN_LINES | {"type"}

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self._cited: dict[tuple[Any, ...], list[str]] = {}  # sources → their tooltip lines
        self._links: dict[tuple[Any, ...], list[dict[str, str]]] = {}  # sources → their links

    def node_title(self, node_id: str, kind: str, name: str, data: Mapping[str, Any]) -> str:
        """A node's tooltip: kind, name, id, aliases, description, properties, url, sources and evidence."""
        lines = _head_lines(node_id, kind, name, data)
        lines += self._fact_lines(data)
        return "\n".join(lines)

    def edge_title(self, rel_type: str, ends: str, data: Mapping[str, Any]) -> str:
        """An edge's tooltip: its type, its two ends, its properties, sources and evidence."""
        lines = [rel_type, ends]
        lines += _property_lines(data, self._EDGE_HIDDEN)
        lines += self._fact_lines(data)
        return "\n".join(lines)

    def links(self, data: Mapping[str, Any]) -> list[dict[str, str]]:
        """`links_of` (a new list; the links of a set of sources are the same dicts on every item that cites them)."""
        cited = _cited(data)
        found = self._links.get(cited)
        if found is None:
            found = self._links[cited] = links_of({"sources": cited}, self.sources)
        return [{"label": "web page", "url": str(data["url"])}, *found] if data.get("url") else list(found)

    def _fact_lines(self, data: Mapping[str, Any]) -> list[str]:
        cited = _cited(data)
        lines = self._cited.get(cited)
        if lines is None:
            lines = self._cited[cited] = _source_lines(cited, self.sources)
        return lines + _evidence_lines(data) if data.get("evidence") else lines


def _head_lines(node_id: str, kind: str, name: str, data: Mapping[str, Any]) -> list[str]:
    lines = [kind, name, f"id: {node_id}"]
    if data.get("aliases"):
        lines.append("also: " + ", ".join(str(a) for a in data["aliases"]))
    if data.get("type"):
        lines.append(f"type: {data['type']}")
    if data.get("description"):
        lines.append(clip(str(data["description"]), 240))
    lines += _property_lines(data, _OWN_LINES)
    if data.get("url"):
        lines.append(f"url: {data['url']}")
    return lines


def _property_lines(data: Mapping[str, Any], hidden: frozenset[str]) -> list[str]:
    names = sorted([k for k, v in data.items() if k not in hidden and v is not None and v != "" and v != []])
    return [f"{k}: {format_value(k, data[k])}" for k in names]


def _cited(data: Mapping[str, Any]) -> tuple[str, ...]:
    ids = data.get("sources")
    return tuple(map(str, ids)) if ids else ()


def _source_lines(ids: tuple[str, ...], sources: Sources) -> list[str]:
    return ["sources:"] + [f"- {sources.get(s, (s, ''))[0]}" for s in ids] if ids else []


def _evidence_lines(data: Mapping[str, Any]) -> list[str]:
    evidence = [str(e) for e in data.get("evidence") or []]
    if not evidence:
        return []
    lines = ["evidence:"] + [f"- {clip(e, 160)}" for e in evidence[:2]]
    return lines + [f"(+{len(evidence) - 2} more)"] if len(evidence) > 2 else lines


def links_of(data: Mapping[str, Any], sources: Sources) -> list[dict[str, str]]:
    """The web addresses of a node or edge and of its sources, for the page's details panel."""
    links = [{"label": "web page", "url": str(data["url"])}] if data.get("url") else []
    for key in data.get("sources") or []:
        label, url = sources.get(str(key), (str(key), ""))
        links.append({"label": label, "url": url})
    return links


def format_value(name: str, value: Any) -> str:
    """A property value as text: lists joined, euros grouped by thousands.

    >>> format_value("amount_eur", 1360000000.0)
    '1 360 000 000 €'
    """
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if name.endswith("_eur") and isinstance(value, (int, float)):
        return f"{value:,.0f} €".replace(",", " ")
    return str(value)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis.

    >>> clip("Banque des Territoires", 10)
    'Banque de…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
