"""A territory's outline from a GeoJSON geometry: simplified, rounded, as compact GeoJSON text.

ANCT's cartography files draw each territory with every vertex of its communes' borders (several
MB per list). A map needs far less: `simplify_outline` keeps each ring's shape with the
Douglas–Peucker algorithm (pure Python), drops rings smaller than the tolerance can show (small
islands, holes, slivers), rounds coordinates to 3 decimals (about 100 m) and returns a
``MultiPolygon`` as JSON text without spaces, about 1 KB per territory. Points and lines have no
outline (``None``).

Example
-------
>>> square = {"type": "Polygon", "coordinates": [[[0, 0], [0.5, 0.0001], [1, 0], [1, 1], [0, 1], [0, 0]]]}
>>> simplify_outline(square)
'{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]]]}'
>>> simplify_outline({"type": "Point", "coordinates": [2.3, 48.8]}) is None
True
"""

from __future__ import annotations

import itertools
import json
from typing import Any

__all__ = ["TOLERANCE", "geometry_problem", "simplify_outline", "simplify_ring"]

TOLERANCE = 0.008  # degrees: about 600-900 m in metropolitan France; ~400 KB for the 332 territories
DIGITS = 3

Ring = list[tuple[float, float]]


def simplify_outline(geometry: Any, tolerance: float = TOLERANCE) -> str | None:
    """The geometry's polygons simplified and rounded, as ``MultiPolygon`` JSON text, or ``None`` without polygons."""
    polygons = [p for p in _polygons(geometry) if p and len(p[0]) >= 4]
    kept = []
    for polygon in polygons:
        rings = [simplify_ring(ring, tolerance) for ring in polygon]
        if rings[0] is None:
            continue
        kept.append([rings[0], *(r for r in rings[1:] if r is not None)])
    if not kept and polygons:  # everything below the tolerance (a tiny island): keep its largest polygon's box
        kept = [[_box(max(polygons, key=lambda p: abs(_area(_ring(p[0]))))[0])]]
    if not kept:
        return None
    coordinates = [[[[_number(x), _number(y)] for x, y in ring] for ring in polygon] for polygon in kept]
    return json.dumps({"type": "MultiPolygon", "coordinates": coordinates}, separators=(",", ":"))


def geometry_problem(geometry: Any) -> str | None:
    """Why a feature's geometry cannot be read, or ``None`` (points, lines and a missing geometry are fine: no outline).

    >>> geometry_problem({"type": "Polygon", "coordinates": [[["2.1", "48.8"]]]})
    'a Polygon whose coordinates are not lists of [longitude, latitude] numbers'
    >>> geometry_problem({"type": "Point", "coordinates": [2.3, 48.8]}) is None
    True
    """
    if geometry is None:
        return None
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        return "not a GeoJSON geometry (an object with a type)"
    kind = geometry["type"]
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        return (
            next((p for p in map(geometry_problem, parts) if p), None)
            if isinstance(parts, list)
            else f"a {kind} without geometries"
        )
    if kind not in ("Polygon", "MultiPolygon"):
        return None
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    ok = isinstance(polygons, list) and all(
        isinstance(polygon, list) and all(isinstance(ring, list) and len(_ring(ring)) == len(ring) for ring in polygon)
        for polygon in polygons
    )
    return None if ok else f"a {kind} whose coordinates are not lists of [longitude, latitude] numbers"


def simplify_ring(points: Any, tolerance: float = TOLERANCE) -> Ring | None:
    """A closed ring simplified (Douglas–Peucker) and rounded, or ``None`` when it is smaller than ``tolerance`` shows.

    >>> simplify_ring([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], 0.1)
    [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    >>> simplify_ring([[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]], 0.1) is None
    True
    """
    ring = _ring(points)
    if len(ring) < 4 or abs(_area(ring)) < tolerance * tolerance * 4:
        return None
    kept = [ring[i] for i in _douglas_peucker(ring, tolerance)]
    rounded: Ring = []
    for x, y in kept:
        point = (round(x, DIGITS), round(y, DIGITS))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 and _area(rounded) != 0 else None


def _polygons(geometry: Any) -> list[list[Any]]:
    """The polygons (lists of rings) of a Polygon, MultiPolygon or GeometryCollection."""
    if not isinstance(geometry, dict):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list):
        return [coordinates]
    if kind == "MultiPolygon" and isinstance(coordinates, list):
        return [p for p in coordinates if isinstance(p, list)]
    if kind == "GeometryCollection":
        return [p for part in geometry.get("geometries") or [] for p in _polygons(part)]
    return []


def _ring(points: Any) -> Ring:
    """The ring's points as floats, skipping anything that is not a pair of numbers."""
    ring = []
    for point in points if isinstance(points, list) else []:
        if isinstance(point, list | tuple) and len(point) >= 2 and all(isinstance(v, int | float) for v in point[:2]):
            ring.append((float(point[0]), float(point[1])))
    return ring


def _douglas_peucker(ring: Ring, tolerance: float) -> list[int]:
    """Indices of the points kept; the ring is split at its farthest point from the first, so that it keeps an area."""
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    keep = {0, far, len(ring) - 1}
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = ring[i]
            distance = abs(dy * (px - ax) - dx * (py - ay)) / length if length else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > best:
                best, index = distance, i
        if best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def _area(ring: Ring) -> float:
    """Signed area (shoelace), in square degrees."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _box(points: Any) -> Ring:
    ring = _ring(points)
    xs, ys = [round(x, DIGITS) for x, _ in ring], [round(y, DIGITS) for _, y in ring]
    left, right = min(xs), max(max(xs), min(xs) + 10**-DIGITS)
    bottom, top = min(ys), max(max(ys), min(ys) + 10**-DIGITS)
    return [(left, bottom), (right, bottom), (right, top), (left, top), (left, bottom)]


def _number(value: float) -> float | int:
    """``2.0`` as ``2`` (shorter text), other values as they are."""
    return int(value) if value == int(value) else value
