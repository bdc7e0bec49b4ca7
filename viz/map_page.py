"""The map page: the SVG of `viz.map_svg`, a hover card, and a side panel that draws a territory's ties.

One HTML file that needs nothing from the network (inline SVG, CSS and script; a
Content-Security-Policy refuses any request). Hovering a territory shows its name and figures;
clicking it draws its ties (EPCI, departments, regions, funders, operators, agreements, the phases
before and after, its communes folded into one node) in the panel, gives the command that draws
its whole view (``tdi viz territory ID``), and puts its key in the address (``map.html#II-ti-6201``
opens it).

Example
-------
>>> page = render_map(map_data(graph, phase="II"), Path("map.html"))   # doctest: +SKIP
>>> page.territories                                                     # doctest: +SKIP
183
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from graph.writing import writing
from viz.map_data import MapData
from viz.map_svg import colour_classes, map_svg
from viz.page_head import page_head

__all__ = ["KIND_COLOURS", "MapPage", "map_title", "render_map"]

KIND_COLOURS = {  # the colours of the network pages (viz.build.PALETTE), for the ties the panel draws
    "StateBody": "#1b3a6b", "Region": "#2e86de", "Department": "#74b9ff", "Commune": "#8395a7", "Epci": "#10ac84",
    "Territory": "#e74c3c", "Site": "#fd79a8", "Company": "#ff9f43", "Operator": "#8e44ad", "Organisation": "#c56cf0",
    "Programme": "#e84393", "Project": "#f1c40f", "Agreement": "#576574", "Event": "#00a8a8", "Person": "#ff7675",
    "Figure": "#c8b6a6", "Source": "#dfe6e9",
}  # fmt: skip
MEASURE_TITLES = {
    "programmes": "Other ANCT programmes present",
    "degree": "Neighbours in the graph",
    "betweenness": "Betweenness (actor network)",
    "euros": "Euros stated (funding)",
    "projects": "Projects",
}
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class MapPage:
    """A written map: where, how many territories it draws, and its SVG (for ``--svg``)."""

    path: Path
    territories: int
    svg: str
    notice: str


def map_title(data: MapData) -> str:
    """``Territoires d'industrie, phase II — Other ANCT programmes present`` (``… of Bretagne, phase II …`` for a region)."""
    where = f" of {data.region[1]}" if data.region else ""
    phase = f", phase {data.phase}" if data.phase else ", phases I and II"
    return f"Territoires d'industrie{where}{phase} — {MEASURE_TITLES[data.measure]}"


def render_map(data: MapData, path: Path, *, title: str | None = None) -> MapPage:
    """Write the map page of ``data`` to ``path``; return what was written."""
    title = title or map_title(data)
    classes = colour_classes([t["value"] for t in data.territories])
    svg = map_svg(data.territories, classes, title=title, legend_title=MEASURE_TITLES[data.measure], fill=data.region is not None)
    notice = ""
    if data.undrawn:
        shown = ", ".join(data.undrawn[:5]) + (f" and {len(data.undrawn) - 5} more" if len(data.undrawn) > 5 else "")
        notice = f"{len(data.undrawn)} territories have no outline in their list (a point, or a list read from CSV) and are not drawn: {shown}."
    payload = {
        "measure": data.measure,
        "colours": KIND_COLOURS,
        "territories": {
            t["key"]: {k: t[k] for k in ("id", "name", "phase", "official_id", "figures", "ties")} for t in data.territories
        },
    }
    caption = (f"{len(data.territories)} territories coloured by: {MEASURE_TITLES[data.measure]}; "
               "hover for the figures, click for the ties.")  # fmt: skip
    page = _template("map.html")
    # Filled in this order, the title last: a title that reads "@@SVG@@" stays as it is.
    for name, value in {
        "@@HEAD@@": page_head(title="@@TITLE@@", generator="tdi viz map", styles=[_template("map.css")]), "@@JS@@": _template("map.js"), "@@DATA@@": _script_json(payload),
        "@@SVG@@": svg, "@@SOURCES@@": _sources(data.sources), "@@CAPTION@@": html.escape(caption),
        "@@NOTICE@@": f'<p id="tdi-notice" role="note">{html.escape(notice)}</p>' if notice else "", "@@TITLE@@": html.escape(title),
    }.items():  # fmt: skip
        page = page.replace(name, value)
    with writing(path):
        path.write_text(page, encoding="utf-8")
    return MapPage(path, len(data.territories), svg, notice)


def _sources(sources: list[dict[str, Any]]) -> str:
    if not sources:
        return ""
    items = []
    for s in sources:
        label = html.escape(" · ".join(str(v) for v in (s["name"] or s["key"], s["vintage"] or s["date"]) if v))
        url = s["url"] or ""
        link = (
            f'<a href="{html.escape(url)}" rel="noopener noreferrer" target="_blank">{label}</a>'
            if url.startswith(("https://", "http://"))
            else label
        )
        items.append(f"<li>{link}</li>")
    return f'<details id="tdi-sources"><summary>Sources ({len(sources)})</summary><ul>{"".join(items)}</ul></details>'


def _template(name: str) -> str:
    return files("viz").joinpath("templates", name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(c, c) for c in text)
