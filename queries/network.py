"""The actor network that every analysis runs on, cut to a region, a phase or a date.

`analysis_graph` takes the graph exported by ``to_networkx()`` (nodes ``kind:key`` with a
``kind`` attribute, edges keyed by relationship type) and keeps the *actors*: people, State
bodies, regions, EPCI, territories, companies, operators, organisations, programmes, projects
and agreements. Communes and departments are used to place actors in regions, not as nodes.
Each kept node gains ``regions``, the sorted INSEE codes of the regions it is tied to. Sites
of ANCT's programmes are not actors either: their programmes gain ``PRESENT_IN`` ties to the
EPCI and territories the sites reach (`programme_presence`).

Dates are ISO strings and may be partial (``2020``, ``2020-06``): a partial ``since``, ``date``
or ``as_of`` means its first day, a partial ``until`` its last day; what has no date holds
always (such as the administrative map of the first vintage loaded, see `loaders.reference_history`).

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", name="Hauts-de-France")
>>> G.add_node("commune:62119", kind="Commune", name="Béthune")
>>> G.add_node("company:1", kind="Company", name="Acme")
>>> G.add_edge("commune:62119", "region:32", key="IN_REGION")
'IN_REGION'
>>> G.add_edge("company:1", "commune:62119", key="LOCATED_IN")
'LOCATED_IN'
>>> A = analysis_graph(G, region="32", isolates=True)
>>> sorted(A), A.nodes["company:1"]["regions"]
(['company:1', 'region:32'], ['32'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph.errors import ActorNotFound, SchemaError

__all__ = ["DEFAULT_KINDS", "PHASES", "analysis_graph", "collapse", "label", "normalise_kinds", "place_regions", "programme_presence"]

DEFAULT_KINDS = (
    "Person", "StateBody", "Region", "Epci", "Territory", "Company", "Operator", "Organisation", "Programme",
    "Project", "Agreement",
)  # fmt: skip
# The programme's phases: I labelled in 2018-2019 and run to 2023, II from 2024 to 2027.
PHASES = {"I": ("2018-01-01", "2023-12-31"), "II": ("2024-01-01", "2027-12-31")}
# Ties that place something: (relationship type, whether the place is the target).
_GEO = {"IN_REGION": True, "IN_DEPARTMENT": True, "COVERS": True, "LOCATED_IN": True, "IN_EPCI": False}
_PLACE_ORDER = ("Region", "Department", "Commune", "Epci", "Territory")


def normalise_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The labels that ``kinds`` name, as labels or prefixes (``epci``, ``Epci``).

    >>> normalise_kinds(["epci", "Territory"])
    ('Epci', 'Territory')
    """
    from graph.schema import schema

    return tuple(schema().kind(name.strip()).label for name in kinds if name.strip())


def label(G: nx.Graph, node: Any) -> str:
    """The name of ``node``, or its id when it has none.

    >>> label(nx.Graph([("a", "b")]), "a")
    'a'
    """
    return str(G.nodes[node].get("name") or node)


def _day(value: Any, *, last: bool = False) -> str:
    """An ISO date or partial date as a full day (``2020`` → ``2020-01-01``, or ``2020-12-31`` if ``last``)."""
    text = str(value)[:10]
    pad = "-12-31" if last else "-01-01"
    if len(text) == 4:
        return text + pad
    if len(text) == 7:
        return text + ("-31" if last else "-01")
    return text


def _holds(attrs: dict[str, Any], start: str, stop: str, *, cumulative: bool) -> bool:
    """Whether a node or tie dated by ``since``/``until``/``date``/``phase`` overlaps [start, stop].

    A ``date`` marks when something happened: it must fall in the period, or, if ``cumulative``,
    merely not after its end (a 2019 agreement still counts as of 2020).
    """
    first = attrs.get("since") or attrs.get("date")
    last = attrs.get("until") or (None if cumulative else attrs.get("date"))
    if first and _day(first) > stop:
        return False
    if last and _day(last, last=True) < start:
        return False
    phase = attrs.get("phase")
    if phase in PHASES:
        begin, end = PHASES[phase]
        return begin <= stop and end >= start
    return True


def place_regions(G: nx.MultiDiGraph) -> dict[Any, set[str]]:
    """The regions each place or located thing lies in (regions, departments, communes, EPCI, territories…).

    A region lies in itself; a department in the region it is ``IN_REGION``; a commune, EPCI or
    territory in the regions of what it is in or covers (an EPCI also in its communes'); anything
    ``LOCATED_IN`` a place in that place's regions.

    >>> G = nx.MultiDiGraph([("department:62", "region:32", "IN_REGION")])
    >>> for n, k in [("department:62", "Department"), ("region:32", "Region")]:
    ...     G.nodes[n]["kind"] = k
    >>> place_regions(G)["department:62"]
    {'32'}
    """
    placed: dict[Any, set[str]] = {}
    by_kind: dict[str, list[Any]] = {}
    for node, kind in G.nodes(data="kind"):
        by_kind.setdefault(kind, []).append(node)
    for node in by_kind.get("Region", []):
        placed[node] = {G.nodes[node].get("key") or str(node).split(":", 1)[-1]}
    others = [n for kind, nodes in by_kind.items() if kind not in _PLACE_ORDER for n in nodes]
    for node in [n for kind in _PLACE_ORDER[1:] for n in by_kind.get(kind, [])] + others:
        found = set().union(*(placed.get(place, set()) for place in _geo_places(G, node)))
        if found:
            placed[node] = found
    return placed


def _geo_places(G: nx.MultiDiGraph, node: Any) -> list[Any]:
    # Straight on the adjacency dicts: NetworkX's views cost more than the work on a graph of 100k ties.
    out = [v for v, keys in G._succ[node].items() if any(_GEO.get(k) is True for k in keys)]
    return out + [u for u, keys in G._pred[node].items() if any(_GEO.get(k) is False for k in keys)]


def _actor_regions(G: nx.MultiDiGraph, placed: dict[Any, set[str]], nodes: Iterable[Any]) -> dict[Any, list[str]]:
    """The regions of each of ``nodes``: its own place's and those of every place-like neighbour."""
    regions = {}
    for node in nodes:
        found = set(placed.get(node, set()))
        for other in (*G._succ[node], *G._pred[node]):
            found |= placed.get(other, set())
        regions[node] = sorted(found)
    return regions


def _cut(G: nx.MultiDiGraph, start: str, stop: str, *, cumulative: bool = False) -> nx.MultiDiGraph:
    """A new graph: ``G`` without the nodes and ties whose dates or phase fall outside [start, stop]."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if _holds(d, start, stop, cumulative=cumulative))
    H.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
        if u in H and v in H and _holds(d, start, stop, cumulative=cumulative)
    )  # fmt: skip
    return H


def _check_region(G: nx.MultiDiGraph, region: str) -> str:
    """The INSEE code of the region that ``region`` names: a code, an id or a name."""
    from graph.keys import fold

    code = region.split(":", 1)[-1] if region.lower().startswith("region:") else region
    if f"region:{code}" in G:
        return code
    named = [
        d.get("key") for _, d in G.nodes(data=True) if d.get("kind") == "Region" and fold(str(d.get("name"))) == fold(region)
    ]
    if len(named) == 1:
        return str(named[0])
    raise ActorNotFound(f'No region "{region}" in the graph. Give an INSEE region code such as 32, or a region\'s name.')


def analysis_graph(
    G: nx.MultiDiGraph,
    *,
    kinds: Sequence[str] = DEFAULT_KINDS,
    region: str | None = None,
    phase: str | None = None,
    as_of: str | None = None,
    isolates: bool = False,
) -> nx.MultiDiGraph:
    """The actor network of ``G``, optionally cut to a region, a phase or a date.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The graph exported by ``to_networkx()``: nodes with ``kind``, edges keyed by type.
    kinds : sequence of str
        Kinds kept as nodes (labels or prefixes); the others only place actors in regions.
    region : str, optional
        INSEE region code (``32``), id or name: keep the actors tied to that region directly or through a
        department, commune, EPCI, territory or a place they are located in.
    phase : {"I", "II"}, optional
        Keep the territories of that phase, and the ties and dated actors of its years.
    as_of : str, optional
        ISO date: drop the ties and actors not holding on that day: ``since`` or ``date`` after
        it, ``until`` before it, or a ``phase`` whose years exclude it.
    isolates : bool
        Keep the actors that have no tie to another kept actor (dropped by default: they are
        not part of the network, like a region whose only ties are to its departments).

    Returns
    -------
    nx.MultiDiGraph
        A new graph; nodes keep their attributes and gain ``regions`` (sorted codes); the
        graph attribute ``region_names`` maps codes to names.

    Raises
    ------
    SchemaError
        An unknown kind or phase.
    ActorNotFound
        ``region`` is not a region of the graph.
    """
    labels = set(normalise_kinds(kinds))
    if phase is not None and phase not in PHASES:
        raise SchemaError(f'Unknown phase "{phase}". Use I or II.')
    code = _check_region(G, region) if region else None
    H = _cut(G, _day(as_of), _day(as_of), cumulative=True) if as_of else G
    if phase:
        H = _cut(H, *PHASES[phase])
        H.remove_nodes_from([n for n, d in H.nodes(data=True) if d.get("kind") == "Territory" and d.get("phase") != phase])
    regions = _actor_regions(H, place_regions(H), [n for n, kind in H.nodes(data="kind") if kind in labels])
    keep = [n for n in regions if code is None or code in regions[n]]
    A = nx.MultiDiGraph(H.subgraph(keep))
    A.add_edges_from(programme_presence(H, A))
    for node in A:
        A.nodes[node]["regions"] = regions[node]
    A.graph["region_names"] = {d.get("key"): d.get("name") for _, d in G.nodes(data=True) if d.get("kind") == "Region"}
    if not isolates:
        A.remove_nodes_from(list(nx.isolates(A)))
    return A


def programme_presence(G: nx.MultiDiGraph, kept: Iterable[Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``PRESENT_IN`` ties from each programme to the kept EPCI and territories its sites reach.

    Sites of ANCT's programmes are not actors: a site's programme is present in an EPCI when the
    site covers the EPCI or one of its communes, and in a territory that covers the EPCI or one
    of the communes the site reaches. Each tie cites the sites' sources.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("site:s", {"kind": "Site", "sources": ["f"]}), ("commune:1", {"kind": "Commune"}),
    ...                   ("epci:e", {"kind": "Epci"}), ("programme:p", {"kind": "Programme"}), ("territory:t", {"kind": "Territory"})])
    >>> _ = G.add_edges_from([("site:s", "commune:1", "COVERS"), ("site:s", "programme:p", "LABELLED"),
    ...                       ("commune:1", "epci:e", "IN_EPCI"), ("territory:t", "epci:e", "COVERS")])
    >>> [(u, v) for u, v, *_ in programme_presence(G, ["programme:p", "epci:e", "territory:t"])]
    [('programme:p', 'epci:e'), ('programme:p', 'territory:t')]
    """
    kept = set(kept)
    succ, pred, kinds = G._succ, G._pred, G.nodes(data="kind")
    ties: dict[tuple[str, str], set[str]] = {}
    for site, data in G.nodes(data=True):
        if data.get("kind") != "Site":
            continue
        programmes = [v for v, keys in succ[site].items() if "LABELLED" in keys and v in kept]
        if not programmes:
            continue
        covered = {v for v, keys in succ[site].items() if "COVERS" in keys}
        places = covered | {u for p in covered for u, keys in pred[p].items() if "IN_EPCI" in keys}
        places |= {v for p in covered for v, keys in succ[p].items() if "IN_EPCI" in keys}
        places |= {u for p in places for u, keys in pred[p].items() if "COVERS" in keys and kinds[u] == "Territory"}
        for programme in programmes:
            for place in sorted(places & kept):
                if kinds[place] in ("Epci", "Territory"):
                    ties.setdefault((programme, place), set()).update(data.get("sources") or [])
    return [(p, place, "PRESENT_IN", {"type": "PRESENT_IN", "sources": sorted(sources)}) for (p, place), sources in sorted(ties.items())]


def collapse(G: nx.Graph, *, directed: bool = False) -> nx.Graph:
    """One simple edge per pair of tied nodes, with ``weight`` = number of ties and their ``types``.

    Self-loops are dropped. Node attributes are kept. A graph this function made is returned as
    it is (its weights are kept), so measures can call it on what they are given.

    >>> M = nx.MultiDiGraph([("a", "b", "FUNDS"), ("b", "a", "SIGNED"), ("a", "a", "PART_OF")])
    >>> S = collapse(M)
    >>> S["a"]["b"]["weight"], S["a"]["b"]["types"], S.number_of_edges(), collapse(S) is S
    (2, ['FUNDS', 'SIGNED'], 1, True)
    """
    shape = "directed" if directed else "undirected"
    if G.graph.get("collapsed") == shape and not G.is_multigraph() and G.is_directed() == directed:
        return G
    S: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    S.add_nodes_from(G.nodes(data=True))
    S.graph.update(G.graph, collapsed=shape)
    keyed = G.is_multigraph()
    for u, v, *rest in G.edges(keys=True) if keyed else G.edges():
        if u == v:
            continue
        kind = rest[0] if keyed else None
        if S.has_edge(u, v):
            S[u][v]["weight"] += 1
            if kind and kind not in S[u][v]["types"]:
                S[u][v]["types"] = sorted([*S[u][v]["types"], kind])
        else:
            S.add_edge(u, v, weight=1, types=[kind] if kind else [])
    return S
