"""Render `VisData` as one self-contained HTML page that works offline.

vis-network's nodes, edges and options are written here as pyvis would write them, without
importing pyvis (which costs more than it brings to a page); the page is our own
(`viz.network_page`, plain string formatting: no template engine to import) rather than pyvis's
template, because pyvis 0.3.2's links Bootstrap from a CDN whatever ``cdn_resources`` says and
writes the heading unescaped.
vis-network's script and stylesheet are copied into the page from the pyvis package (what
``cdn_resources="in_line"`` does), and a Content-Security-Policy refuses any request the page
might still make.

Data reaches the page as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` written as ``\\u003c``…, so no name can close the script; the title, caption and legend
are escaped (``markupsafe.escape``); tooltips are plain strings, which vis-network shows as text.
What thousands of nodes and edges repeat is written once (`Shared`), and the page's script puts
it back in each before drawing: the links to their sources, and the block of a tooltip that
names them. That was half of a 1,500-actor page (1.8 of 3.3 MB) and of the time to write it.

Example
-------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
>>> out = write_network_html(G, pathlib.Path(tempfile.mkdtemp()) / "ti.html", title="Regions")
>>> "Hauts-de-France" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import TdiError
from graph.writing import writing
from viz.build import VisData, build_vis_data

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Shared", "network_options", "read_page_data", "render_html", "safe_json", "to_pyvis", "write_network_html"]

VIS_VERSION = "9.1.2"
LARGE = 500  # above this many nodes, straight edges (curves cost time to draw)
LABEL_MIN_PX, LABEL_MAX_PX = 11, 30  # label sizes on screen, whatever the zoom
_TEMPLATES = Path(__file__).with_name("templates")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_json(value: Any) -> str:
    """JSON that can sit inside an HTML ``<script>`` element: ``<``, ``>``, ``&`` are escaped.

    >>> safe_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():  # five passes in C: 5 times faster than str.translate on a large page
        text = text.replace(char, escape)
    return text


def network_options(seed: int, node_count: int) -> dict[str, Any]:
    """vis-network options: a seeded layout and physics that stabilise, then stop.

    >>> network_options(7, 10)["layout"]
    {'randomSeed': 7, 'improvedLayout': True}
    """
    return {
        # Kamada-Kawai start positions are costly (and can fail) on large graphs.
        "layout": {"randomSeed": seed, "improvedLayout": node_count <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.3},
            # Fewer iterations on large graphs, so that a 1,500-node page settles in seconds (bench/viz.py).
            "stabilization": {"enabled": True, "iterations": _iterations(node_count), "updateInterval": 50, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": node_count > 300},
        # A label smaller than LABEL_MIN_PX on screen is not drawn (vis hides it below drawThreshold - 1).
        "nodes": {"borderWidth": 1, "font": {"size": 14}, "scaling": {"label": _label_scaling()}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a5b1c2", "highlight": "#2d3436", "hover": "#2d3436"},
            "font": {"size": 12, "color": "#636e72", "strokeWidth": 2, "align": "middle"},
            "scaling": {"label": _label_scaling()},
            "smooth": {"enabled": node_count <= LARGE, "type": "continuous"},
        },
    }


def _label_scaling() -> dict[str, Any]:
    return {"enabled": False, "drawThreshold": LABEL_MIN_PX + 1, "maxVisible": LABEL_MAX_PX}


def _iterations(node_count: int) -> int:
    """Stabilisation iterations: 500 up to 300 nodes, then fewer (at least 100) as the graph grows."""
    return max(100, min(500, 150_000 // max(node_count, 1)))


def render_html(data: VisData, path: str | Path, *, seed: int = 7) -> Path:
    """Write ``data`` as one HTML page with a legend, a search box and a kind filter.

    Parameters
    ----------
    data : VisData
        From `viz.build.build_vis_data`.
    path : str or Path
        The file to write (overwritten).
    seed : int, default 7
        Seed of the layout: the same data and seed draw the same picture.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    TdiError
        If the file cannot be written (its folder is missing, for instance).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> data = VisData(nodes=[], edges=[], legend=[], title="Empty")
    >>> render_html(data, pathlib.Path(tempfile.mkdtemp()) / "e.html").suffix
    '.html'
    """
    from viz.network_page import network_page

    shared = Shared()
    nodes, edges, options = _network_data(data, seed, shared)
    page = network_page(
        title=data.title,
        caption=data.caption,
        notice=data.notice,
        legend=data.legend,
        groups=data.groups,
        sources=data.sources,
        node_count=len(nodes),
        edge_count=len(edges),
        vis_version=VIS_VERSION,
        payload=_markup(safe_json({"nodes": nodes, "edges": edges, "options": options, "shared": shared.tables()})),
        **_assets(),
    )
    return _write(Path(path), page)


def write_network_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str,
    caption: str = "",
    size_by: str | Mapping[str, float] = "degree",
    seed: int = 7,
) -> Path:
    """Draw ``G`` into an offline HTML page: `build_vis_data` then `render_html`.

    Parameters are those of the two functions; returns the path written.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph([("operator:bpifrance", "region:32")])
    >>> write_network_html(G, pathlib.Path(tempfile.mkdtemp()) / "g.html", title="Two").name
    'g.html'
    """
    data = build_vis_data(G, title=title, caption=caption, size_by=size_by)
    return render_html(data, path, seed=seed)


def _network_data(data: VisData, seed: int, shared: Shared | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Nodes, edges and options for vis-network, shaped as pyvis 0.3.2's ``Network(directed=True)`` shapes them.

    pyvis itself is not imported (0.2-0.4 s): its ``add_node`` puts ``color`` first and ``id``,
    ``label``, ``shape`` last, keeps the first of two nodes with one id, and its ``add_edge``
    appends ``from``, ``to`` and ``arrows: "to"`` to the edge's options. With ``shared``, the
    ``links`` and ``title`` of each are written as `Shared` writes them.

    >>> data = VisData(nodes=[{"id": "a", "label": "", "shape": "dot", "color": "#fff", "size": 3}],
    ...                edges=[{"from": "a", "to": "a", "title": "t"}], legend=[], title="T")
    >>> nodes, edges, _ = _network_data(data, 7)
    >>> nodes, edges
    ([{'color': '#fff', 'size': 3, 'id': 'a', 'label': 'a', 'shape': 'dot'}], [{'title': 't', 'from': 'a', 'to': 'a', 'arrows': 'to'}])
    """
    nodes: dict[Any, dict[str, Any]] = {}
    for node in data.nodes:
        if node["id"] not in nodes:
            drawn = {"color": node["color"]}
            drawn.update(node)  # in the node's order, colour first; then id, label and shape moved last
            del drawn["id"], drawn["label"], drawn["shape"]
            drawn["id"], drawn["label"], drawn["shape"] = node["id"], node["label"] or node["id"], node["shape"]
            if shared is not None:
                shared.put(drawn)
            nodes[node["id"]] = drawn
    edges = []
    for edge in data.edges:
        if edge["from"] not in nodes or edge["to"] not in nodes:
            raise ValueError(f"An edge joins an actor the page does not draw: {edge['from']} → {edge['to']}.")
        drawn = dict(edge)  # in the edge's order; then from and to moved last, and arrows unless given
        del drawn["from"], drawn["to"]
        drawn["from"], drawn["to"] = edge["from"], edge["to"]
        drawn.setdefault("arrows", "to")
        if shared is not None:
            shared.put(drawn)
        edges.append(drawn)
    return list(nodes.values()), edges, network_options(seed, len(data.nodes))


class Shared:
    """What many nodes and edges of a page repeat, written once: ``links`` (each ``{"label", "url"}``) and ``texts``.

    `put` replaces, in a node's or edge's options, each link by its number in ``links``, and a
    tooltip's block of sources (from its line ``sources:`` to its line ``evidence:`` or its end)
    by its number in ``texts``: the tooltip becomes ``[before, number]`` or ``[before, number,
    after]``, its parts joined by newlines. ``viz/templates/network.js`` puts them back.

    >>> shared = Shared()
    >>> item = {"title": "Region\\nsources:\\n- COG\\nevidence:\\n- « … »", "links": [{"label": "COG", "url": ""}]}
    >>> shared.put(item); item, shared.tables()
    ({'title': ['Region', 0, 'evidence:\\n- « … »'], 'links': [0]}, {'links': [{'label': 'COG', 'url': ''}], 'texts': ['sources:\\n- COG']})
    """

    def __init__(self) -> None:
        self._links: dict[tuple[Any, ...], int] = {}
        self._link_values: list[Mapping[str, Any]] = []
        self._texts: dict[str, int] = {}

    def put(self, options: dict[str, Any]) -> None:
        """Replace the ``links`` and the block of sources of the ``title`` of ``options`` (in place) by their numbers."""
        links = options.get("links")
        if links:
            numbers = []
            for link in links:
                key = tuple(link.items())
                number = self._links.get(key)
                if number is None:
                    number = self._links[key] = len(self._link_values)
                    self._link_values.append(link)
                numbers.append(number)
            options["links"] = numbers
        title = options.get("title")
        if isinstance(title, str):
            start = title.find("\nsources:\n")
            if start >= 0:
                end = title.find("\nevidence:\n", start + 1)
                block = title[start + 1 : end] if end >= 0 else title[start + 1 :]
                number = self._texts.setdefault(block, len(self._texts))
                options["title"] = [title[:start], number] if end < 0 else [title[:start], number, title[end + 1 :]]

    def tables(self) -> dict[str, list[Any]]:
        """The links and texts written once, in the order first met."""
        return {"links": self._link_values, "texts": list(self._texts)}


def read_page_data(path: str | Path) -> dict[str, Any]:
    """The data of a network page tdi wrote: vis-network's ``nodes``, ``edges`` and ``options``, with
    what `Shared` wrote once put back in each node and edge, as the page's script does.

    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph([("region:32", "region:11")])
    >>> page = write_network_html(G, pathlib.Path(tempfile.mkdtemp()) / "p.html", title="Two")
    >>> sorted(node["id"] for node in read_page_data(page)["nodes"])
    ['region:11', 'region:32']
    """
    import re

    text = Path(path).read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="tdi-data">(.*?)</script>', text, re.DOTALL)
    if found is None:
        raise TdiError(f'"{path}" is not a network page written by tdi (it has no #tdi-data script).')
    data = json.loads(found.group(1))
    shared = data.pop("shared", None) or {"links": [], "texts": []}
    for item in data["nodes"] + data["edges"]:
        if "links" in item:
            item["links"] = [shared["links"][i] for i in item["links"]]
        if isinstance(item.get("title"), list):
            item["title"] = "\n".join(shared["texts"][part] if isinstance(part, int) else part for part in item["title"])
    return data


def to_pyvis(data: VisData, *, seed: int = 7) -> Any:
    """The page's network as a pyvis ``Network``, to go on with pyvis (its buttons, notebooks, templates).

    Its nodes and edges are those the page draws (a test holds `render_html` to this).

    >>> net = to_pyvis(VisData(nodes=[{"id": "a", "label": "A", "shape": "dot", "color": "#fff"}], edges=[], legend=[], title="T"))
    >>> net.get_nodes(), net.heading
    (['a'], 'T')
    """
    from pyvis.network import Network

    net = Network(directed=True, heading=data.title, cdn_resources="in_line")
    for node in data.nodes:
        options = {k: v for k, v in node.items() if k not in ("id", "label", "shape", "color")}
        net.add_node(node["id"], label=node["label"], shape=node["shape"], color=node["color"], **options)
    for edge in data.edges:
        net.add_edge(edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")})
    net.options = network_options(seed, len(data.nodes))
    return net


def _vis_folder() -> Path:
    """vis-network's files inside the installed pyvis package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise TdiError("Cannot draw a page: the pyvis package (which holds vis-network) is not installed. Run: pip install pyvis")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / f"vis-{VIS_VERSION}"


def _assets() -> dict[str, Any]:
    """vis-network (from the pyvis package) and our own script and stylesheet, to inline."""
    vis = _vis_folder()
    return {
        "vis_js": _inline(vis / "vis-network.min.js", "script"),
        "vis_css": _inline(vis / "vis-network.css", "style"),
        "page_js": _inline(_TEMPLATES / "network.js", "script"),
        "page_css": _inline(_TEMPLATES / "network.css", "style"),
    }


def _inline(path: Path, tag: str) -> Any:
    text = path.read_text(encoding="utf-8")
    if f"</{tag}" in text.lower():
        raise RuntimeError(f"{path} contains </{tag} and cannot be inlined as is.")
    return _markup(text)


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)


def _write(path: Path, page: str) -> Path:
    with writing(path):
        path.write_text(page, encoding="utf-8")
    return path
