"""The map of the territories in an HTML report (``tdi analyze report -o report.html``).

`embed_map` adds a "Map of the territories" section to a report already written: the map of
`viz.map_svg` (coloured by the other ANCT programmes present, with its legend), inline, so the
report stays one file that needs no network. A report cut to a region maps the territories that
lie in it, framed to fill the map. It goes before the report's figures (at the end
when the report has no such heading); a graph whose territories have no outline gets no map.

Example
-------
>>> embed_map(graph, Path("report.html"), phase="II", region="32")   # doctest: +SKIP
True
"""

from __future__ import annotations

from pathlib import Path

from graph.backend import GraphBackend
from graph.errors import TdiError
from graph.writing import writing

__all__ = ["embed_map"]

_BEFORE = ("<h2>Figures</h2>", "</body>")


def embed_map(graph: GraphBackend, report: Path, *, phase: str | None = None, measure: str = "programmes", region: str | None = None) -> bool:
    """Insert the map of ``phase`` (II when not given), cut to ``region`` if given, into the HTML report; ``False`` when there is nothing to draw."""
    from viz.map_data import map_data
    from viz.map_page import MEASURE_TITLES, map_title
    from viz.map_svg import colour_classes, map_svg

    try:
        data = map_data(graph, phase=(phase or "II").upper(), measure=measure, region=region)
    except TdiError:
        return False
    where, option = (f" in {data.region[1]}", f" --region {data.region[0]}") if data.region else ("", "")
    classes = colour_classes([t["value"] for t in data.territories])
    svg = map_svg(data.territories, classes, title=map_title(data), legend_title=MEASURE_TITLES[measure], fill=data.region is not None)
    section = (f'<section id="tdi-report-map"><h2>Map of the territories</h2><div style="max-width:100%;overflow:auto">{svg}</div>'
               f"<p><em>{len(data.territories)} territories of phase {data.phase}{where}; tdi viz map{option} draws it "
               "with figures and ties.</em></p></section>")  # fmt: skip
    text = report.read_text(encoding="utf-8")
    anchor = next((a for a in _BEFORE if a in text), None)
    if anchor is None:
        return False
    head, _, tail = text.partition(anchor)
    with writing(report):
        report.write_text(head + section + anchor + tail, encoding="utf-8")
    return True
