"""Which region a ``--region`` value names, in a graph held in memory or in the store.

A value is an INSEE code (``32``), an id (``region:32``) or a name spelled as the name matcher
reads names (`graph.names.analyse`): case, accents, hyphens, apostrophes (' ’) and a leading
article do not matter, and a leading "Région" is dropped, so "ile de france", "Région
Hauts-de-France" and "Hauts de France" name regions (not "Hauts France": a particle inside a
name is part of it). A view that holds only a part of the graph finds the region in
the store (`find_region`, a keyed lookup) and where its places lie (`store_placement`).

Example
-------
>>> region_key("Région Hauts de France", [("32", "Hauts-de-France", [])])
'32'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from graph.errors import ActorNotFound
from graph.keys import fold
from graph.names import KIND_DESIGNATORS, analyse

__all__ = ["GEO_OUT", "find_region", "no_region", "region_key", "store_placement"]

Run = Callable[..., list[dict[str, Any]]]
# Ties that place their start in their end (`graph.scope`): walked up from a view to its regions.
GEO_OUT = ("IN_REGION", "IN_DEPARTMENT", "COVERS", "LOCATED_IN")
_UP = 3  # a site covers a commune, in a department, in a region


def region_key(text: str, regions: Iterable[tuple[str, str, Sequence[str] | None]]) -> str | None:
    """The key of the region ``text`` names among ``regions`` (key, name, aliases), or None.

    >>> region_key("REGION:11", [("11", "Île-de-France", None)]), region_key("ile de france", [("11", "Île-de-France", None)])
    ('11', '11')
    """
    code = _code(text)
    form = analyse(text)
    forms = {form.canon, form.core} - {""} if not form.kinds or "region" in form.kinds else set()
    named = None
    for key, name, aliases in regions:
        if code == fold(str(key)):
            return str(key)
        spellings = [str(name or ""), *(aliases or [])]  # an alias "la Région" is a designator alone: it names none
        if named is None and any(forms & {f.canon, f.core} - KIND_DESIGNATORS.keys() for f in map(analyse, spellings)):
            named = str(key)
    return named


def _code(text: str) -> str:
    """What ``text`` would be as a region's key: folded, without a leading ``region:``."""
    wanted = fold(text.strip())
    return wanted.split(":", 1)[1] if wanted.startswith("region:") else wanted


def no_region(text: str) -> ActorNotFound:
    """The error for a ``--region`` value that names no region of the graph."""
    return ActorNotFound(f'No region "{text}". --region takes an INSEE code (32), an id (region:32) or a name; '
                         '"tdi find TEXT --kind region" lists them.')  # fmt: skip


def find_region(run: Run, text: str) -> tuple[str, str]:
    """The key and name of the region ``text`` names, read from the store: a keyed lookup for a
    code or an id, the regions' names (a few rows) otherwise. Raises `ActorNotFound` if none."""
    rows = run("MATCH (r:Region {key: $key}) RETURN r.key AS key, r.name AS name", {"key": _code(text).upper()})
    if not rows:
        rows = run("MATCH (r:Region) RETURN r.key AS key, r.name AS name, r.aliases AS aliases")
        key = region_key(text, [(r["key"], r["name"], r.get("aliases")) for r in rows])
        rows = [r for r in rows if r["key"] == key]
    if not rows:
        raise no_region(text)
    return str(rows[0]["key"]), str(rows[0]["name"] or rows[0]["key"])


def store_placement(graph: Any, ids: Iterable[str]) -> Mapping[Any, set[str]]:
    """The regions ``ids`` lie in, as `graph.scope.place_regions` gives them on the whole graph:
    read by walking up their placing ties (`GEO_OUT`) from the store, at most three ties."""
    from graph.scope import place_regions

    seeds = sorted({str(n) for n in ids if not str(n).startswith("source:")})
    if not seeds:
        return {}
    above = graph.neighbourhood(seeds, _UP, direction="out", types=list(GEO_OUT), limit=10**9)  # a capped walk would misplace some
    return place_regions(above)
