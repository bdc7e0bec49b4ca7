"""Turn a graph into what a network page draws: nodes, edges, tooltips and a legend.

Pure and deterministic: no pyvis, no I/O, nodes and edges sorted by id, so that the same graph
read from either backend gives the same data (and, with a fixed seed, the same layout).
`viz.html.render_html` renders the result.

Every text here is plain text; the page escapes it when it draws it. `Source` nodes are not
drawn: the sources that state a fact are named in the tooltip of that fact.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
>>> build_vis_data(G, title="Demo").legend
[{'kind': 'Region', 'color': '#2e86de', 'shape': 'hexagon', 'count': 1}]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.errors import SchemaError
from graph.keys import fold
from graph.schema import kind_of
from viz.tooltips import Tooltips, clip

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "COMMUNITY_COLOURS", "EDGE_LABELS_MAX", "HIDDEN_KINDS", "PALETTE", "KindStyle", "VisData", "build_vis_data",
    "edge_width", "kind_of", "name_of", "style_of",
]  # fmt: skip


@dataclass(frozen=True)
class KindStyle:
    """How nodes of one kind are drawn: a colour and a vis-network shape (label below it)."""

    color: str
    shape: str


# One colour and shape per kind, declared once; the legend lists them in this order.
PALETTE: dict[str, KindStyle] = {
    "StateBody": KindStyle("#1b3a6b", "square"),
    "Region": KindStyle("#2e86de", "hexagon"),
    "Department": KindStyle("#74b9ff", "triangle"),
    "Commune": KindStyle("#8395a7", "dot"),
    "Epci": KindStyle("#10ac84", "triangle"),
    "Territory": KindStyle("#e74c3c", "star"),
    "Site": KindStyle("#fd79a8", "dot"),
    "Company": KindStyle("#ff9f43", "diamond"),
    "Operator": KindStyle("#8e44ad", "square"),
    "Organisation": KindStyle("#c56cf0", "triangleDown"),
    "Programme": KindStyle("#e84393", "star"),
    "Project": KindStyle("#f1c40f", "diamond"),
    "Agreement": KindStyle("#576574", "square"),
    "Event": KindStyle("#00a8a8", "triangleDown"),
    "Person": KindStyle("#ff7675", "dot"),
    "Figure": KindStyle("#c8b6a6", "dot"),
    "Source": KindStyle("#dfe6e9", "dot"),
}
FALLBACK = KindStyle("#2d3436", "dot")
# Colours of the 20 largest communities (Sasha Trubetskoy's distinct colours); the rest are "other".
COMMUNITY_COLOURS = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990",
    "#dcbeff", "#9a6324", "#ffe119", "#800000", "#aaffc3", "#808000", "#ffd8b1", "#000075", "#a9a9a9", "#000000",
)  # fmt: skip
OTHER_COLOUR = "#e5e8e8"
NEUTRAL = "#b2bec3"
HIDDEN_KINDS = frozenset({"Source"})
SIZE_MIN, SIZE_MAX = 10.0, 40.0
FONT_MIN, FONT_MAX = 14.0, 24.0
# Above this many edges, edge labels are shown on hover only (the page shows them in tooltips).
EDGE_LABELS_MAX = 60
LABEL_MAX = 40


@dataclass
class VisData:
    """What a network page draws.

    Attributes
    ----------
    nodes : list of dict
        ``id``, ``label`` (the name, shortened), ``name``, ``kind``, ``color``, ``shape``, ``size``,
        ``title`` (the tooltip, plain text lines), ``search`` (name and aliases, folded),
        ``links`` (``label`` and ``url`` of its web page and sources) and, with ``color_by``,
        ``community``.
    edges : list of dict
        ``id``, ``from``, ``to``, ``label`` (the relationship type), ``title``, ``width``, ``links``.
    legend : list of dict
        ``kind``, ``color``, ``shape``, ``count`` for each kind present, in palette order.
    title, caption : str
        Text shown above the network.
    notice : str
        What was left out to keep the page usable, and how to see it (empty if nothing).
    groups : list of dict
        When colour shows communities: ``name``, ``color``, ``count``, ``top`` (its biggest actor).
    sources : list of dict
        The sources cited by what is drawn: ``key``, ``label``, ``url`` (``""`` if none).
    """

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    caption: str = ""
    notice: str = ""
    groups: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def style_of(kind: str) -> KindStyle:
    """The colour and shape of ``kind`` (a grey dot for a kind the palette lacks).

    >>> style_of("Territory")
    KindStyle(color='#e74c3c', shape='star')
    """
    return PALETTE.get(kind, FALLBACK)


def edge_width(amount_eur: float | None) -> float:
    """Edge width for an amount: 1 up to 1,000 €, then one more per factor of ten, at most 10.

    >>> edge_width(None), edge_width(1_000_000), edge_width(1.36e9)
    (1.0, 4.0, 7.13)
    """
    if amount_eur is None or amount_eur <= 1000:
        return 1.0
    return round(min(10.0, 1.0 + math.log10(amount_eur / 1000)), 2)


def build_vis_data(
    G: nx.MultiDiGraph,
    *,
    title: str,
    caption: str = "",
    size_by: str | Mapping[str, float] = "degree",
    color_by: Mapping[Any, int] | None = None,
    notice: str = "",
    label_by: Mapping[Any, float] | None = None,
) -> VisData:
    """Build the nodes, edges, tooltips and legend of a network page.

    Parameters
    ----------
    G : nx.MultiDiGraph
        As returned by ``to_networkx()``: nodes ``kind:key`` with ``kind``, ``name``,
        ``sources``…, edges keyed by relationship type. `Source` nodes give the names of
        sources in tooltips and are not drawn.
    title, caption : str
        Text shown above the network.
    size_by : str or mapping, default "degree"
        ``"degree"`` (links to drawn nodes), ``"none"`` (all the same size), the name of a
        numeric node property (``population``, ``amount_eur``…) or a mapping node id → value
        (a centrality score, for instance). Sizes grow with the square root of the value.
    color_by : mapping, optional
        Node id → community number (0 the largest): nodes take the colour of their community
        rather than of their kind, and ``groups`` lists the communities.
    notice : str
        What was left out of the drawing, shown on the page.
    label_by : mapping, optional
        Node id → importance: label sizes follow it (default: they follow ``size_by``).

    Returns
    -------
    VisData

    Raises
    ------
    SchemaError
        If ``size_by`` names a property no drawn node has as a number.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("operator:bpifrance", kind="Operator", key="bpifrance", name="Bpifrance")
    >>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
    >>> _ = G.add_edge("operator:bpifrance", "region:32", key="PARTNER_OF", type="PARTNER_OF")
    >>> data = build_vis_data(G, title="Demo")
    >>> [n["label"] for n in data.nodes], [e["label"] for e in data.edges]
    (['Bpifrance', 'Hauts-de-France'], ['PARTNER_OF'])
    """
    kinds = {n: kind_of(n, data) for n, data in G.nodes(data=True)}
    sources = _source_labels(G, kinds)
    H = G.subgraph([n for n, kind in kinds.items() if kind not in HIDDEN_KINDS])
    measured = _measure(H, size_by)
    sizes = _sizes(measured)
    tips = Tooltips(sources)
    nodes = [_node(n, kinds[n], H.nodes[n], sizes[n], tips) for n in sorted(H, key=str)]
    _set_fonts(nodes, measured if label_by is None else {n: _number(label_by.get(n)) or 0.0 for n in H})
    names = {n: f"{data.get('name') or n}" for n, data in H.nodes(data=True)}
    edges = sorted((_edge(names, u, v, k, d, tips) for u, v, k, d in H.edges(keys=True, data=True)), key=lambda e: e["id"])
    if len(edges) >= EDGE_LABELS_MAX:
        for edge in edges:
            edge["hover_label"], edge["label"] = edge["label"], ""
    groups = _colour_by_group(nodes, color_by, {str(n): d for n, d in H.degree()}) if color_by is not None else []
    legend = _legend(nodes, neutral=color_by is not None)
    cited = _cited(H, sources)
    return VisData(nodes, edges, legend, title, caption, notice, groups, cited)


def name_of(G: nx.MultiDiGraph, node_id: Any) -> str:
    """The name of a node, else its id: what a title shows.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("operator:bdt", name="Banque des Territoires")
    >>> name_of(G, "operator:bdt"), name_of(G, "region:32")
    ('Banque des Territoires', 'region:32')
    """
    return str((G.nodes[node_id].get("name") if node_id in G else None) or node_id)


# -- sizes ----------------------------------------------------------------------------------


def _measure(H: nx.MultiDiGraph, size_by: str | Mapping[str, float]) -> dict[Any, float]:
    if isinstance(size_by, Mapping):
        return {n: _number(size_by.get(n)) or 0.0 for n in H}
    if size_by == "degree":
        return {n: float(d) for n, d in H.degree()}
    if size_by == "none":
        return {n: 0.0 for n in H}
    values = {n: _number(H.nodes[n].get(size_by)) for n in H}
    if H and all(v is None for v in values.values()):
        raise SchemaError(
            f'No drawn actor has a number in "{size_by}" to size by. '
            'Use "degree", "none" or a numeric property such as population or amount_eur.'
        )
    return {n: v or 0.0 for n, v in values.items()}


def _sizes(values: Mapping[Any, float]) -> dict[Any, float]:
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {n: SIZE_MIN + 5 for n in values}
    span = SIZE_MAX - SIZE_MIN
    return {n: round(SIZE_MIN + span * math.sqrt(max(v, 0.0) / top), 1) for n, v in values.items()}


def _set_fonts(nodes: list[dict[str, Any]], values: Mapping[Any, float]) -> None:
    """Give each node a label size (``font``) and a ``rank`` (0 the most important), in place."""
    values = {str(n): v for n, v in values.items()}
    top = max(values.values(), default=0.0)
    ranked = sorted(nodes, key=lambda n: (-values.get(n["id"], 0.0), n["id"]))
    for rank, node in enumerate(ranked):
        share = math.sqrt(max(values.get(node["id"], 0.0), 0.0) / top) if top > 0 else 0.0
        node["font"] = {"size": round(FONT_MIN + (FONT_MAX - FONT_MIN) * share, 1)}
        node["rank"] = rank


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return float(value)


# -- nodes, edges, legend ---------------------------------------------------------------------


def _node(node_id: Any, kind: str, data: Mapping[str, Any], size: float, tips: Tooltips) -> dict[str, Any]:
    style = style_of(kind)
    name = str(data.get("name") or node_id)
    aliases = [str(a) for a in data.get("aliases") or []]
    return {
        "id": str(node_id),
        "label": _label(name, data),
        "name": name,
        "kind": kind,
        "color": style.color,
        "shape": style.shape,
        "size": size,
        "title": tips.node_title(str(node_id), kind, name, data),
        "search": fold(" | ".join([name, *aliases])),
        "links": tips.links(data),
        **{k: data[k] for k in ("members", "central") if data.get(k)},
    }


def _label(name: str, data: Mapping[str, Any]) -> str:
    """The name, shortened; a folded EPCI adds its communes, a programme its sites, a community its central actor and size."""
    if data.get("folded_communes"):
        return f"{clip(name, LABEL_MAX)} ({data['folded_communes']:,} communes)"
    if data.get("folded_sites"):
        return f"{clip(name, LABEL_MAX)} ({data['folded_sites']:,} sites)"
    if data.get("central") and data.get("members"):
        return f"{clip(str(data['central']), LABEL_MAX)} ({data['members']:,})"
    return clip(name, LABEL_MAX)


def _edge(names: Mapping[Any, str], u: Any, v: Any, key: Any, data: Mapping[str, Any], tips: Tooltips) -> dict[str, Any]:
    """An edge's dict; ``names`` gives each end's name as its tooltip shows it."""
    rel_type = str(data.get("type") or key)
    return {
        "id": f"{u}|{key}|{v}",
        "from": str(u),
        "to": str(v),
        "label": rel_type,
        "title": tips.edge_title(rel_type, f"{names[u]} → {names[v]}", data),
        "width": edge_width(_number(data.get("amount_eur"))),
        "links": tips.links(data),
    }


def _legend(nodes: Iterable[Mapping[str, Any]], *, neutral: bool = False) -> list[dict[str, Any]]:
    counts = Counter(n["kind"] for n in nodes)
    order = [k for k in PALETTE if k in counts] + sorted(k for k in counts if k not in PALETTE)
    colour = (lambda k: NEUTRAL) if neutral else (lambda k: style_of(k).color)
    return [{"kind": k, "color": colour(k), "shape": style_of(k).shape, "count": counts[k]} for k in order]


def _colour_by_group(nodes: list[dict[str, Any]], color_by: Mapping[Any, int], degree: Mapping[str, int]) -> list[dict[str, Any]]:
    """Recolour nodes by community (in place); one legend row for each of the 20 largest, one for the rest.

    A row has the community's ``top`` (its most central member: the highest degree among the
    drawn ties, ties by size then id; a collapsed node names its own), its true size ``count``
    (the ``members`` of a collapsed node) and its ``color``; communities after the 20th share the
    row "other".
    """
    members: dict[int, list[dict[str, Any]]] = {}
    for node in nodes:
        number = color_by.get(node["id"])
        if number is None:
            node["color"], node["community"] = NEUTRAL, ""
            continue
        named = number < len(COMMUNITY_COLOURS)
        node["color"] = COMMUNITY_COLOURS[number] if named else OTHER_COLOUR
        node["community"] = f"Community {number + 1}" if named else "Other communities"
        members.setdefault(number if named else len(COMMUNITY_COLOURS), []).append(node)
    groups = []
    for number, group in sorted(members.items()):
        top = max(group, key=lambda n: (degree.get(n["id"], 0), n["size"], n["id"]))
        count = sum(int(n.get("members") or 1) for n in group)
        if number < len(COMMUNITY_COLOURS):
            name = top.get("central") or top["name"]
            groups.append({"name": f"Community {number + 1}", "color": group[0]["color"], "count": count, "top": name})
        else:
            shown = len({color_by.get(n["id"]) for n in group})
            groups.append({"name": "Other communities", "color": OTHER_COLOUR, "count": count, "top": f"{shown:,} smaller communities"})
    return groups


def _cited(H: nx.MultiDiGraph, sources: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The sources cited by the drawn nodes and edges, by label."""
    keys = {str(s) for _, d in H.nodes(data=True) for s in d.get("sources") or []}
    keys |= {str(s) for *_, d in H.edges(data=True) for s in d.get("sources") or []}
    rows = [{"key": k, "label": sources.get(k, (k, ""))[0], "url": sources.get(k, (k, ""))[1]} for k in keys]
    return sorted(rows, key=lambda r: (r["label"], r["key"]))


def _source_labels(G: nx.MultiDiGraph, kinds: Mapping[Any, str]) -> dict[str, tuple[str, str]]:
    """Source key (and id) → ("title (publisher, date)", URL), from the graph's Source nodes (``kinds``: node → kind)."""
    labels = {}
    for node_id, data in G.nodes(data=True):
        if kinds[node_id] == "Source":
            key = str(data.get("key") or str(node_id).partition(":")[2])
            details = ", ".join(str(data[k]) for k in ("publisher", "date") if data.get(k))
            name = str(data.get("name") or key)
            labels[key] = (f"{name} ({details})" if details else name, str(data.get("url") or ""))
            labels[str(node_id)] = labels[key]
    return labels
