"""What ``--region``, ``--phase``, ``--as-of`` and ``--kinds`` keep: one meaning for views and analyses.

Pure NetworkX on the graph ``to_networkx()`` returns (nodes ``kind:key`` with a ``kind``
attribute, edges keyed by relationship type). `select` applies the options in this order:

- ``--phase I|II`` keeps what holds in that phase: a node or tie with a ``phase`` must have that
  phase, one with dates (``since``/``until``/``date``) must overlap the phase's years (I:
  2018-2023, II: 2024-2027); what has neither holds always.
- ``--as-of DATE`` keeps what holds on that day: nothing that starts after it or ended before
  it; a dated event (``date``) of the past still counts; a ``phase`` must include that day.
- ``--region R`` (INSEE code, ``region:R`` or name, spelled any way `graph.regions` reads it)
  keeps the places that lie in R (the region, its departments, communes and EPCI, the territories
  covering them) and every other actor located in them or tied to one of them.
- ``--kinds`` keeps actors of these kinds (labels or id prefixes: ``epci``, ``Operator``); the
  others still place actors in a region and are used before they are left out.

Dates may be partial (``2020``, ``2020-06``): a partial start means its first day, a partial
end its last day. Documents (`Source` nodes) are kept by `Selection.subgraph` so that pages
can name the sources of each fact.

Example
-------
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", name="Hauts-de-France")
>>> G.add_node("territory:I-1", kind="Territory", phase="I")
>>> G.add_node("territory:II-1", kind="Territory", phase="II")
>>> _ = G.add_edges_from([("territory:I-1", "region:32", "IN_REGION"), ("territory:II-1", "region:32", "IN_REGION")])
>>> sorted(select(G, phase="II", region="Hauts-de-France").nodes)
['region:32', 'territory:II-1']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import SchemaError
from graph.regions import no_region, region_key
from graph.schema import kind_of

__all__ = ["PHASES", "PLACE_KINDS", "Selection", "holding", "kind_labels", "node_regions", "phase_on", "place_regions", "region_code", "select"]

# The programme's phases: I labelled in 2018-2019 and run to 2023, II from 2024 to 2027.
PHASES = {"I": ("2018-01-01", "2023-12-31"), "II": ("2024-01-01", "2027-12-31")}
PLACE_KINDS = ("Region", "Department", "Commune", "Epci", "Territory")
LASTING = frozenset({"LABELLED"})  # ties whose `date` is when they began (a site's label lasts from its signature)
# Ties that place something: (relationship type, whether the place is the target).
_GEO = {"IN_REGION": True, "IN_DEPARTMENT": True, "COVERS": True, "LOCATED_IN": True, "IN_EPCI": False}
_TO_PLACE = frozenset(k for k, to_target in _GEO.items() if to_target)
_FROM_PLACE = frozenset(k for k, to_target in _GEO.items() if not to_target)


def phase_on(day: str | None) -> str | None:
    """The phase running on ``day`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as ``--as-of`` takes it); None outside both.

    >>> phase_on("2021-05"), phase_on("2025"), phase_on("2030"), phase_on(None)
    ('I', 'II', None, None)
    """
    if not day:
        return None
    return next((name for name, (start, end) in PHASES.items() if start[: len(day)] <= day <= end[: len(day)]), None)


@dataclass
class Selection:
    """What `select` kept: ``graph`` (cut to the phase or date) and the ``nodes`` kept."""

    graph: nx.MultiDiGraph
    nodes: list[Any]
    owned: bool = False  # ``graph`` is a cut copy, not the graph given to `select`

    @functools.cached_property
    def placed(self) -> dict[Any, set[str]]:
        """The regions each place or located thing of ``graph`` lies in (`place_regions`)."""
        return place_regions(self.graph)

    @functools.cached_property
    def regions(self) -> dict[Any, list[str]]:
        """Each kept node's regions (`node_regions`)."""
        return node_regions(self.graph, self.nodes, self.placed)

    def subgraph(self, *, sources: bool = True) -> nx.MultiDiGraph:
        """The kept nodes and the ties between them, with every `Source` node if ``sources``.

        A new graph, or ``graph`` itself when it is already a cut copy of which all is kept.
        """
        documents = [n for n, d in self.graph.nodes(data=True) if kind_of(n, d) == "Source"] if sources else []
        keep = {*self.nodes, *documents}
        if self.owned and len(keep) == self.graph.number_of_nodes():
            return self.graph
        if 2 * len(keep) < self.graph.number_of_nodes():
            return _induced(self.graph, keep)
        kept = self.graph.copy()  # copying all and removing the rest is twice as fast when most is kept
        kept.remove_nodes_from([n for n in self.graph if n not in keep])
        return kept


def select(
    G: nx.MultiDiGraph,
    *,
    region: str | None = None,
    phase: str | None = None,
    as_of: str | None = None,
    kinds: Sequence[str] = (),
    placed: Mapping[Any, set[str]] | None = None,
) -> Selection:
    """Apply ``--phase``, ``--as-of``, ``--region`` and ``--kinds`` as the module describes.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The graph.
    region, phase, as_of, kinds
        The options; ``None`` or empty keeps everything. `Source` nodes are never in ``nodes``.
    placed : mapping, optional
        The regions nodes lie in, read from the store (`graph.regions.store_placement`), for a ``G``
        that holds only a part of the graph; ``region`` must then be the key of a region of the store.

    Raises
    ------
    SchemaError
        An unknown phase or kind.
    ActorNotFound
        No region matches ``region``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("person:x", "epci:1", "HOLDS_ROLE")])
    >>> G.edges["person:x", "epci:1", "HOLDS_ROLE"]["until"] = "2020"
    >>> select(G, as_of="2021").graph.number_of_edges(), sorted(select(G, kinds=["epci"]).nodes)
    (0, ['epci:1'])
    """
    labels = kind_labels(kinds) if kinds else None
    code = (region if placed is not None else region_code(G, region)) if region else None
    H = holding(G, phase=phase, as_of=as_of)
    kept = Selection(H, [], owned=H is not G)
    if placed is not None:
        kept.placed = place_regions(kept.graph, placed)
    for node, data in kept.graph.nodes(data=True):
        kind = kind_of(node, data)
        if kind == "Source" or (labels is not None and kind not in labels):
            continue
        if code is None or code in _regions_of(kept.graph, node, kept.placed, kind):
            kept.nodes.append(node)
    return kept


def holding(G: nx.MultiDiGraph, *, phase: str | None = None, as_of: str | None = None) -> nx.MultiDiGraph:
    """``G`` without the nodes and ties that do not hold in ``phase`` or on ``as_of`` (``G`` itself if neither).

    >>> G = nx.MultiDiGraph([("operator:o", "territory:t", "SUPPORTS")])
    >>> G.edges["operator:o", "territory:t", "SUPPORTS"]["date"] = "2019-03"
    >>> [holding(G, as_of=d).number_of_edges() for d in ("2018", "2023")], holding(G, phase="II").number_of_edges()
    ([0, 1], 0)
    """
    phase = phase.strip().upper() if phase else None
    if phase is not None and phase not in PHASES:
        raise SchemaError(f'Unknown phase "{phase}". Use I or II.')
    H = G
    if as_of:
        H = _cut(H, _day(as_of), _day(as_of), cumulative=True)
    if phase:
        H = _cut(H, *PHASES[phase], phase=phase)
    return H


def kind_labels(kinds: Iterable[str]) -> set[str]:
    """The labels that ``kinds`` name, as labels or id prefixes (any case).

    >>> sorted(kind_labels(["epci", "Territory", "statebody"]))
    ['Epci', 'StateBody', 'Territory']
    """
    from graph.schema import schema

    labels = {k.prefix: k.label for k in schema().kinds.values()}
    found = set()
    for name in (k.strip() for k in kinds):
        if name and name.lower() not in labels:
            raise SchemaError(f'Unknown kind "{name}" in --kinds. Known kinds: {", ".join(labels)}.')
        if name:
            found.add(labels[name.lower()])
    return found


def region_code(G: nx.MultiDiGraph, text: str) -> str:
    """The INSEE code of the region that ``text`` names: a code (``32``), an id (``region:32``) or a
    name, spelled any way `graph.regions.region_key` reads it. Raises `ActorNotFound` if none.

    >>> region_code(nx.MultiDiGraph([("region:32", "region:11")]), "Region:32")
    '32'
    """
    regions = ((str(d.get("key") or str(n).split(":", 1)[-1]), d.get("name"), d.get("aliases"))
               for n, d in G.nodes(data=True) if kind_of(n, d) == "Region")  # fmt: skip
    key = region_key(text, regions)
    if key is None:
        raise no_region(text)
    return key


def place_regions(G: nx.MultiDiGraph, known: Mapping[Any, set[str]] | None = None) -> dict[Any, set[str]]:
    """The regions each place or located thing lies in (regions, departments, communes, EPCI, territories…).

    A region lies in itself; a department in the region it is ``IN_REGION``; a commune, EPCI or
    territory in the regions of what it is in or covers (an EPCI also in its communes'); anything
    ``LOCATED_IN`` a place in that place's regions. ``known``: regions already known for some nodes
    (read from the whole store when ``G`` is a part of it).

    >>> G = nx.MultiDiGraph([("department:62", "region:32", "IN_REGION")])
    >>> for n, k in [("department:62", "Department"), ("region:32", "Region")]:
    ...     G.nodes[n]["kind"] = k
    >>> place_regions(G)["department:62"]
    {'32'}
    """
    known = known or {}
    placed: dict[Any, set[str]] = {n: set(known[n]) for n in G if known.get(n)}
    by_kind: dict[str, list[Any]] = {}
    for node, data in G.nodes(data=True):
        by_kind.setdefault(kind_of(node, data), []).append(node)
    for node in by_kind.get("Region", []):
        placed[node] = {G.nodes[node].get("key") or str(node).split(":", 1)[-1]}
    others = [n for kind, nodes in by_kind.items() if kind not in PLACE_KINDS for n in nodes]
    for node in [n for kind in PLACE_KINDS[1:] for n in by_kind.get(kind, [])] + others:
        found = set().union(known.get(node, set()), *(placed.get(place, set()) for place in _geo_places(G, node)))
        if found:
            placed[node] = found
    return placed


def node_regions(G: nx.MultiDiGraph, nodes: Iterable[Any] | None = None, placed: dict[Any, set[str]] | None = None) -> dict[Any, list[str]]:
    """The regions of ``nodes`` (default: all), sorted: a place's are those it lies in; an actor's, also those of what it is tied to.

    ``placed`` is `place_regions` of ``G`` if already computed. The same rule says which nodes
    `select` keeps for a region.

    >>> G = nx.MultiDiGraph([("operator:o", "region:32", "SUPPORTS"), ("region:32", "territory:t", "FUNDS"),
    ...                       ("territory:t", "region:28", "IN_REGION")])
    >>> for n, k in [("region:32", "Region"), ("region:28", "Region"), ("territory:t", "Territory")]:
    ...     G.nodes[n]["kind"] = k
    >>> regions = node_regions(G)
    >>> regions["operator:o"], regions["region:32"]
    (['32'], ['32'])
    """
    placed = place_regions(G) if placed is None else placed
    return {node: sorted(_regions_of(G, node, placed, kind_of(node, G.nodes[node]))) for node in (G if nodes is None else nodes)}


# -- helpers -------------------------------------------------------------------------------


def _regions_of(G: nx.MultiDiGraph, node: Any, placed: dict[Any, set[str]], kind: str) -> set[str]:
    """The regions a place lies in; for any other node, also those of what it is tied to."""
    found = set(placed.get(node, set()))
    if kind in PLACE_KINDS:
        return found
    for other in (*G._succ[node], *G._pred[node]):  # the adjacency dicts: NetworkX's views cost more than the work
        found |= placed.get(other, set())
    return found


def _geo_places(G: nx.MultiDiGraph, node: Any) -> list[Any]:
    # Straight on the adjacency dicts, and sets of types tested in C: NetworkX's views cost more than the work.
    out = [v for v, keys in G._succ[node].items() if not _TO_PLACE.isdisjoint(keys)]
    return out + [u for u, keys in G._pred[node].items() if not _FROM_PLACE.isdisjoint(keys)]


def _induced(G: nx.MultiDiGraph, keep: set[Any]) -> nx.MultiDiGraph:
    """A copy of ``G`` cut to ``keep``, nodes and ties in ``G``'s order.

    ``G.subgraph(keep).copy()`` follows the order of the set, which changes with each process's
    string hashing, and seeded measures (Louvain) depend on the order of nodes.
    """
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G._node.items() if n in keep)
    H.add_edges_from((u, v, k, d) for u, around in G._succ.items() if u in keep
                     for v, keys in around.items() if v in keep for k, d in keys.items())  # fmt: skip
    return H


def _day(value: Any, *, last: bool = False) -> str:
    """An ISO date or partial date as a full day (``2020`` → ``2020-01-01``, or ``2020-12-31`` if ``last``)."""
    text = str(value)[:10]
    if len(text) == 4:
        return text + ("-12-31" if last else "-01-01")
    if len(text) == 7:
        return text + ("-31" if last else "-01")
    return text


def _holds(attrs: dict[str, Any], start: str, stop: str, *, cumulative: bool, phase: str | None, lasting: bool = False) -> bool:
    """Whether a node or tie dated by ``since``/``until``/``date``/``phase`` overlaps [start, stop].

    A ``date`` marks when something happened: it must fall in the period, or, if ``cumulative``,
    merely not after its end (a 2019 agreement still counts as of 2020). On a ``lasting`` tie
    (`LASTING`: a label) it marks when it began, as ``since`` does. With ``phase``, a ``phase``
    attribute must be that one.
    """
    first = attrs.get("since") or attrs.get("date")
    last = attrs.get("until") or (None if cumulative or lasting else attrs.get("date"))
    if first and _day(first) > stop:
        return False
    if last and _day(last, last=True) < start:
        return False
    own = str(attrs.get("phase") or "").strip().upper()
    if phase and own:
        return own == phase
    if own in PHASES:
        begin, end = PHASES[own]
        return begin <= stop and end >= start
    return True


def _cut(G: nx.MultiDiGraph, start: str, stop: str, *, cumulative: bool = False, phase: str | None = None) -> nx.MultiDiGraph:
    """A new graph: ``G`` without the nodes and ties that do not hold between ``start`` and ``stop``."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if _holds(d, start, stop, cumulative=cumulative, phase=phase))
    H.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
        if u in H and v in H and _holds(d, start, stop, cumulative=cumulative, phase=phase, lasting=k in LASTING)
    )  # fmt: skip
    return H
