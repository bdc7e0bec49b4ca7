"""The map of the territories as one SVG: polygons coloured by a measure, insets for overseas, a legend.

Pure Python, no tile or network: `map_svg` projects each outline (longitude scaled by the cosine
of the latitude, which keeps shapes right at the scale of a country), fits metropolitan France
to the main frame with a margin (the whole country, Corsica included, whichever territories are
drawn; with ``fill``, as for one region's map, the territories drawn) and each group of overseas
territories (centroids more than 6° apart from other groups: the Antilles, Guyane, La Réunion,
Mayotte…) to an inset of its own, or to the main frame when no metropolitan territory is drawn,
and colours each territory by its class of the measure (`colour_classes`). The same SVG is the
map of the page and the file ``--svg`` writes.

Example
-------
>>> colour_classes([0, 1, 2, 3, 10])[-1]["label"]
'10'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

__all__ = ["HEIGHT", "NO_DATA", "SCALE", "WIDTH", "colour_classes", "map_svg"]

WIDTH, HEIGHT = 960, 800
SCALE = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")  # light to dark: low to high
NO_DATA = "#d9d9d9"
_METRO = (-6.0, 10.0, 41.0, 51.5)  # lon min, lon max, lat min, lat max: a centroid here is metropolitan
_FRANCE = (-5.2, 41.3, 9.6, 51.15)  # west, south, east, north: metropolitan France, from Ouessant to Corsica
_MAIN = (190.0, 40.0, WIDTH - 10.0, HEIGHT - 10.0)  # x0, y0, x1, y1 of the main frame
_MARGIN = 20.0  # between the main frame's edge and the shapes it holds
_INSET = 130.0  # side of an inset
_INSET_MARGIN = 4.0


def colour_classes(values: Sequence[float | None]) -> list[dict[str, Any]]:
    """Up to six classes of the values (quantiles of the distinct values), each with its colour and label.

    >>> [c["label"] for c in colour_classes([1, 2, 3, 4, 5, 6, 7, 8])]
    ['1', '2 – 3', '4', '5', '6 – 7', '8']
    >>> [c["label"] for c in colour_classes([0, 0, 0])]
    ['0']
    """
    distinct = sorted({v for v in values if v is not None})
    if not distinct:
        return []
    count = min(len(SCALE), len(distinct))
    bounds = [distinct[min(len(distinct) - 1, round((i + 1) * len(distinct) / count) - 1)] for i in range(count)]
    classes, low = [], distinct[0]
    colours = SCALE if count == len(SCALE) else [SCALE[round(i * (len(SCALE) - 1) / max(count - 1, 1))] for i in range(count)]
    for high, colour in zip(bounds, colours, strict=True):
        label = _figure(low) if low == high else f"{_figure(low)} – {_figure(high)}"
        classes.append({"low": low, "high": high, "colour": colour, "label": label})
        above = [v for v in distinct if v > high]
        low = above[0] if above else high
    return classes


def colour_of(value: float | None, classes: list[dict[str, Any]]) -> str:
    """The colour of the class that holds ``value`` (grey without a value)."""
    if value is None:
        return NO_DATA
    return next((c["colour"] for c in classes if value <= c["high"]), classes[-1]["colour"] if classes else NO_DATA)


def map_svg(territories: list[dict[str, Any]], classes: list[dict[str, Any]], *, title: str, legend_title: str, fill: bool = False) -> str:
    """The SVG of the territories (``outline``: MultiPolygon coordinates; ``value``; ``key``; ``name``).

    The main frame holds the whole of metropolitan France, or with ``fill`` (a region's map) the
    metropolitan territories drawn, 20 px inside its edges.
    """
    groups = _groups(territories, whole_country=not fill)
    frames = _frames(groups)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" id="tdi-map" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'role="img" aria-label="{_e(title)}" font-family="sans-serif">'),
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
             f'<text class="tdi-svg-title" x="10" y="24" font-size="18" font-weight="bold">{_e(title)}</text>']  # fmt: skip
    for (members, bounds), frame in zip(groups, frames, strict=True):
        inset = frame[2] - frame[0] < _INSET + 1
        margin = _INSET_MARGIN if inset else _MARGIN
        if inset:
            parts.append(f'<rect class="tdi-inset" x="{frame[0]:.0f}" y="{frame[1]:.0f}" width="{_INSET:.0f}" height="{_INSET:.0f}" '
                         f'fill="none" stroke="#b2bec3"/><text x="{frame[0] + 3:.0f}" y="{frame[1] + 11:.0f}" font-size="10" '
                         f'fill="#636e72">{_e(_regions(members))}</text>')  # fmt: skip
            frame = (frame[0], frame[1] + 12, frame[2], frame[3])  # its shapes go under its caption
        project = _projection(bounds, frame, margin)
        for t in members:
            parts.append(f'<path class="tdi-territory" data-key="{_e(t["key"])}" fill="{colour_of(t["value"], classes)}" '
                         f'stroke="#ffffff" stroke-width="0.6" fill-rule="evenodd" d="{_path(t["outline"], project)}">'
                         f'<title>{_e(t["name"])}</title></path>')  # fmt: skip
    parts.append(_legend(classes, legend_title, 10, 60 + (len(frames) - 1) * (_INSET + 10)))
    parts.append("</svg>")
    return "\n".join(parts)


def _groups(territories: list[dict[str, Any]], *, whole_country: bool) -> list[tuple[list[dict[str, Any]], tuple[float, float, float, float]]]:
    """Metropolitan territories first (bounded by the whole of metropolitan France if ``whole_country``), then each overseas group, with the bounds of each group."""
    metro, overseas = [], []
    for t in territories:
        lon, lat = _centroid(t["outline"])
        inside = _METRO[0] <= lon <= _METRO[1] and _METRO[2] <= lat <= _METRO[3]
        (metro if inside else overseas).append((t, lon, lat))
    clusters: list[list[tuple[dict[str, Any], float, float]]] = []
    for item in sorted(overseas, key=lambda i: (i[1], i[2])):
        near = next((c for c in clusters if any(math.hypot(item[1] - o[1], item[2] - o[2]) < 6 for o in c)), None)
        if near is None:
            clusters.append([item])
        else:
            near.append(item)
    groups = [[t for t, *_ in metro]] if metro else []
    groups += [[t for t, *_ in c] for c in clusters]
    bounded = [(g, _bounds(g)) for g in groups]
    if metro and whole_country:
        members, (west, south, east, north) = bounded[0]
        bounded[0] = (members, (min(west, _FRANCE[0]), min(south, _FRANCE[1]), max(east, _FRANCE[2]), max(north, _FRANCE[3])))
    return bounded


def _frames(groups: list[Any]) -> list[tuple[float, float, float, float]]:
    """The main frame for the first group (metropolitan France when drawn), then one inset per other group, down the left side."""
    insets = [(10.0, y, 10.0 + _INSET, y + _INSET) for y in (40.0 + i * (_INSET + 10) for i in range(len(groups) - 1))]
    return [_MAIN, *insets][: len(groups)]


def _projection(bounds: tuple[float, float, float, float], frame: tuple[float, float, float, float], margin: float) -> Any:
    """A function (lon, lat) → (x, y) fitting ``bounds`` into ``frame`` less ``margin`` on each side, longitudes scaled by cos(latitude)."""
    west, south, east, north = bounds
    squeeze = math.cos(math.radians((south + north) / 2))
    width, height = max((east - west) * squeeze, 1e-6), max(north - south, 1e-6)
    scale = min((frame[2] - frame[0] - 2 * margin) / width, (frame[3] - frame[1] - 2 * margin) / height)
    x0 = frame[0] + (frame[2] - frame[0] - width * scale) / 2
    y0 = frame[1] + (frame[3] - frame[1] - height * scale) / 2
    return lambda lon, lat: (x0 + (lon - west) * squeeze * scale, y0 + (north - lat) * scale)


def _path(outline: list[Any], project: Any) -> str:
    rings = []
    for polygon in outline:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            rings.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(rings)


def _legend(classes: list[dict[str, Any]], title: str, x: float, y: float) -> str:
    rows = [f'<g id="tdi-map-legend"><text x="{x}" y="{y + 12}" font-size="13" font-weight="bold">{_e(title)}</text>']
    for i, c in enumerate(classes):
        top = y + 22 + i * 20
        rows.append(f'<rect class="tdi-legend-swatch" x="{x}" y="{top}" width="18" height="14" fill="{c["colour"]}" stroke="#636e72" '
                    f'stroke-width="0.5"/><text x="{x + 24}" y="{top + 11}" font-size="12">{_e(c["label"])}</text>')  # fmt: skip
    rows.append("</g>")
    return "".join(rows)


def _regions(territories: list[dict[str, Any]]) -> str:
    """The names of the regions the territories lie in (their ``IN_REGION`` ties), for an inset's caption."""
    names = sorted({tie[3] for t in territories for tie in t.get("ties", []) if tie[0] == "IN_REGION"})
    return " · ".join(names[:2]) + (" …" if len(names) > 2 else "")


def _centroid(outline: list[Any]) -> tuple[float, float]:
    """The centre of the outline's largest ring's bounding box (enough to tell metropolitan from overseas)."""
    ring = max((polygon[0] for polygon in outline), key=len)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def _bounds(territories: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    points = [p for t in territories for polygon in t["outline"] for ring in polygon for p in ring]
    return min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points)


def _figure(value: float) -> str:
    """A number as the legend shows it: ``12``, ``0.0123``, ``1.5 M``."""
    if value >= 1e6:
        return f"{value / 1e6:,.1f} M"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.3g}"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)
