"""The plain-text tooltips of a network page's nodes and edges, and the links of its details panel.

Example
-------
>>> fact_lines({"sources": ["s1"], "evidence": ["« 1,36 milliard »"]}, {"s1": ("Bilan (2019)", "")})
['sources:', '- Bilan (2019)', 'evidence:', '- « 1,36 milliard »']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Sources", "clip", "fact_lines", "format_value", "links_of", "node_title", "property_lines"]

Sources = Mapping[str, tuple[str, str]]  # source key (or id) → (label, URL or "")
# Shown in their own tooltip lines, or not at all.
_OWN_LINES = {"key", "name", "kind", "aliases", "description", "sources", "evidence", "search_text", "url", "type", "outline"}


def node_title(node_id: str, kind: str, name: str, data: Mapping[str, Any], sources: Sources) -> str:
    """A node's tooltip: kind, name, id, aliases, description, properties, sources and evidence."""
    lines = [kind, name, f"id: {node_id}"]
    if data.get("aliases"):
        lines.append("also: " + ", ".join(str(a) for a in data["aliases"]))
    if data.get("type"):
        lines.append(f"type: {data['type']}")
    if data.get("description"):
        lines.append(clip(str(data["description"]), 240))
    lines += property_lines(data, set())
    if data.get("url"):
        lines.append(f"url: {data['url']}")
    return "\n".join(lines + fact_lines(data, sources))


def property_lines(data: Mapping[str, Any], skip: set[str]) -> list[str]:
    """``name: value`` lines for the properties not shown elsewhere (nor in ``skip``), sorted."""
    hidden = _OWN_LINES | skip if skip else _OWN_LINES
    names = sorted(k for k in data if k not in hidden and data[k] not in (None, "", []))
    return [f"{k}: {format_value(k, data[k])}" for k in names]


def fact_lines(data: Mapping[str, Any], sources: Sources) -> list[str]:
    """The sources of a fact by label, and its first two evidence lines."""
    lines = []
    ids = [str(s) for s in data.get("sources") or []]
    if ids:
        lines += ["sources:"] + [f"- {sources.get(s, (s, ''))[0]}" for s in ids]
    evidence = [str(e) for e in data.get("evidence") or []]
    if evidence:
        lines += ["evidence:"] + [f"- {clip(e, 160)}" for e in evidence[:2]]
        lines += [f"(+{len(evidence) - 2} more)"] if len(evidence) > 2 else []
    return lines


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
