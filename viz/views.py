"""Choose what a network page shows: the whole graph filtered, one actor's neighbourhood, a
territory, the paths between two actors, or the actors a named query returns.

Each view takes the graph exported by ``to_networkx()``, or the part of it a local view reads
(a `graph.tie_graph.TieGraph`, which spares importing NetworkX), and returns a subgraph (a copy)
of the same kind. `Source` nodes (documents) are never walked through, but every view keeps
them, so that the page can name the sources of each fact.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a:1", "b:2"), ("b:2", "c:3")])
>>> sorted(ego_view(G, "a:1", depth=1))
['a:1', 'b:2']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import ActorNotFound, SchemaError, TdiError
from viz.build import kind_of
from viz.measures import actors_of, as_networkx, copied_subgraph, is_source
from viz.shortest_paths import all_shortest_paths, reach

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ADMINISTRATIVE_TYPES", "GEOGRAPHY_TYPES", "NoPath", "actor_view", "ego_view", "filter_view", "ids_in_rows",
    "nodes_view", "path_view", "territory_view",
]  # fmt: skip

ADMINISTRATIVE_TYPES = frozenset({"IN_REGION", "IN_DEPARTMENT", "IN_EPCI"})
# Ties that place an actor somewhere: followed towards a region to find what lies in it.
GEOGRAPHY_TYPES = frozenset({*ADMINISTRATIVE_TYPES, "LOCATED_IN", "COVERS"})
MONEY_TYPES = frozenset({"FUNDS", "SUPPORTS", "PILOTS", "CARRIES"})
MAX_PATHS = 20
# Ties that bring the people, signatories and participants of what a territory view holds.
STORY_TYPES = frozenset({"HOLDS_ROLE", "SIGNED", "TOOK_PART"})


class NoPath(TdiError, LookupError):
    """Two actors are not connected in the graph drawn."""


def actor_view(G: nx.MultiDiGraph, *, copy: bool = True) -> nx.MultiDiGraph:
    """Leave out places tied to nothing but the administrative map.

    A department whose only ties are ``IN_REGION`` says nothing about partnerships; it is left
    out, and so is a region left with no other tie. An EPCI stays if one of its communes does (a
    territory covers it): the page folds the commune into it, as it does when nothing is left out.
    With ``copy=False`` they are removed from ``G`` itself, which is returned: on the whole graph,
    copying costs 2 s and the rest 0.5 s.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("department:62", "region:32", key="IN_REGION", type="IN_REGION")
    'IN_REGION'
    >>> G.add_edge("operator:bpifrance", "region:32", key="PARTNER_OF", type="PARTNER_OF")
    'PARTNER_OF'
    >>> G.add_edge("commune:62119", "epci:200072460", key="IN_EPCI", type="IN_EPCI")
    'IN_EPCI'
    >>> G.add_edge("territory:II-ti-6201", "commune:62119", key="COVERS", type="COVERS")
    'COVERS'
    >>> sorted(actor_view(G))
    ['commune:62119', 'epci:200072460', 'operator:bpifrance', 'region:32', 'territory:II-ti-6201']
    """
    actors, removed = set(actors_of(G)), set()
    candidates = set(actors)
    # straight on the adjacency dicts: NetworkX's views cost more than the work on a whole graph
    while scaffolding := {
        n for n in candidates
        if all(k in ADMINISTRATIVE_TYPES for ties in (G._succ[n], G._pred[n]) for m, keys in ties.items() if m not in removed for k in keys)
    }:  # fmt: skip
        removed |= scaffolding
        candidates = {m for n in scaffolding for m in (*G._succ[n], *G._pred[n])} & actors - removed
    removed -= _groupings_of_kept_communes(G, removed)
    if not copy:
        G.remove_nodes_from(removed)
        return G
    return G.subgraph([n for n in G if n not in removed]).copy() if removed else G.copy()


def ego_view(G: nx.MultiDiGraph, node_id: str, *, depth: int = 1, copy: bool = True) -> nx.MultiDiGraph:
    """The actor ``node_id`` and everything within ``depth`` ties of it, in either direction.

    With ``copy=False``, ``G`` itself is returned when it holds nothing else (as the neighbourhood
    read for the view does): copying 4,000 actors and 10,000 ties cost a tenth of a hub's view.
    Raises `ActorNotFound` if the graph has no such actor.
    """
    _require(G, node_id)
    return _keeping(_with_sources(G, reach(G, node_id, depth), copy=copy), [node_id])


def filter_view(
    G: nx.MultiDiGraph, *, region: str | None = None, phase: str | None = None, kinds: Sequence[str] = (),
    placed: Mapping[Any, set[str]] | None = None,
) -> nx.MultiDiGraph:
    """What ``--region``, ``--phase`` and ``--kinds`` keep, with every `Source` (see `graph.scope.select`);
    ``G`` itself when none is given. ``placed``: the regions of ``G``'s nodes read from the store, for
    a view that holds only a part of the graph (``region`` is then a region's key).

    Raises `ActorNotFound` when no region matches ``region``, `SchemaError` for an unknown phase or kind.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("territory:I-1", kind="Territory", phase="I")
    >>> G.add_node("territory:II-1", kind="Territory", phase="II")
    >>> sorted(filter_view(G, phase="ii"))
    ['territory:II-1']
    """
    if region is None and phase is None and not kinds:
        return G
    from graph.scope import select

    return select(as_networkx(G), region=region, phase=phase, kinds=kinds, placed=placed).subgraph()


def territory_view(G: nx.MultiDiGraph, node_id: str) -> nx.MultiDiGraph:
    """A territory with what it covers, what lies in it, who carries its projects and who funds them.

    The territory, its neighbours, the EPCI and communes it ``COVERS`` (and the EPCI of those
    communes), the actors ``LOCATED_IN`` (or ``IN_EPCI``) these places, the sites of other
    programmes that cover them with their programmes, the carriers of those projects, the actors
    that fund, support or pilot any of them, and the people, signatories and participants tied
    to all these (``HOLDS_ROLE``, ``SIGNED``, ``TOOK_PART``).

    Raises
    ------
    ActorNotFound
        No such actor.
    SchemaError
        The actor is not a territory.
    """
    _require(G, node_id)
    if kind_of(node_id, G.nodes[node_id]) != "Territory":
        raise SchemaError(f'{node_id} is not a territory. Draw its neighbourhood with "tdi viz ego {node_id}".')
    places = {node_id} | {v for _, v, k in G.out_edges(node_id, keys=True) if k == "COVERS"}
    places |= {v for p in places for _, v, k in G.out_edges(p, keys=True) if k == "IN_EPCI"}  # the EPCI of covered communes
    inside = places | {u for p in places for u, _, k in G.in_edges(p, keys=True) if k in GEOGRAPHY_TYPES - {"COVERS"}}
    sites = {u for p in inside for u, _, k in G.in_edges(p, keys=True) if k == "COVERS" and kind_of(u, G.nodes[u]) == "Site"}
    inside |= sites | {v for s in sites for _, v, k in G.out_edges(s, keys=True) if k == "LABELLED"}
    inside |= {u for n in inside for u, _, k in G.in_edges(n, keys=True) if k in MONEY_TYPES}
    inside |= _actor_neighbours(G, node_id)
    inside |= {u for n in inside for u, _, k in G.in_edges(n, keys=True) if k in STORY_TYPES}
    return _keeping(_with_sources(G, inside), [node_id])


def path_view(G: nx.MultiDiGraph, source: str, target: str, *, max_paths: int = MAX_PATHS) -> nx.MultiDiGraph:
    """Every shortest path (up to ``max_paths``) between two actors, ties taken in either direction.

    Raises
    ------
    ActorNotFound
        Either actor is missing.
    NoPath
        The two are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a:1", "b:1"), ("b:1", "c:1"), ("a:1", "b:2"), ("c:1", "b:2"), ("c:1", "d:1")])
    >>> sorted(path_view(G, "a:1", "c:1"))
    ['a:1', 'b:1', 'b:2', 'c:1']
    """
    _require(G, source)
    _require(G, target)
    paths = list(itertools.islice(all_shortest_paths(G, source, target), max_paths))
    if not paths:
        raise NoPath(f'No path joins {source} and {target}. Draw each one\'s neighbourhood with "tdi viz ego ID".')
    return _keeping(_with_sources(G, {n for path in paths for n in path}), [source, target, *paths[0][1:-1]])


def nodes_view(G: nx.MultiDiGraph, node_ids: Iterable[str]) -> nx.MultiDiGraph:
    """The given actors and the ties between them (ids not in ``G`` are ignored)."""
    return _with_sources(G, [n for n in node_ids if n in G])


def ids_in_rows(rows: Iterable[Mapping[str, Any]], G: nx.MultiDiGraph) -> list[str]:
    """The actor ids that rows of a query name: id strings, lists of ids, nodes and paths.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("region:32", "department:62")])
    >>> ids_in_rows([{"id": "region:32", "n": 3}, {"ids": ["department:62", "x"]}], G)
    ['department:62', 'region:32']
    """
    found: set[str] = set()
    for row in rows:
        _collect(row.values(), G, found)
    return sorted(found)


def _collect(values: Iterable[Any], G: nx.MultiDiGraph, found: set[str]) -> None:
    for value in values:
        if isinstance(value, str) and value in G:
            found.add(value)
        elif isinstance(value, (list, tuple)):
            _collect(value, G, found)
        elif isinstance(value, Mapping):
            _collect([value.get("_id"), value.get("nodes") or []], G, found)


# -- helpers -------------------------------------------------------------------------------


def _require(G: nx.MultiDiGraph, node_id: str) -> None:
    if node_id not in G:
        raise ActorNotFound(f'No actor {node_id}. Run "tdi find TEXT" to look it up.')


def _actor_neighbours(G: nx.MultiDiGraph, node_id: str) -> set[Any]:
    """The actors tied to ``node_id`` in either direction (none if it is a `Source`)."""
    if is_source(node_id, G.nodes[node_id]):
        return set()
    return {n for n in (*G.succ[node_id], *G.pred[node_id]) if n != node_id and not is_source(n, G.nodes[n])}


def _groupings_of_kept_communes(G: nx.MultiDiGraph, removed: set[Any]) -> set[Any]:
    """The places in ``removed`` that a commune not in it belongs to (``IN_EPCI``): its EPCI, which it folds into."""
    return {
        v for v in removed
        if any("IN_EPCI" in keys and u not in removed and kind_of(u, G.nodes[u]) == "Commune" for u, keys in G._pred[v].items())
    }  # fmt: skip


def _keeping(H: nx.MultiDiGraph, ids: list[str]) -> nx.MultiDiGraph:
    """``H`` marked with the actors a reduction keeps first (``H.graph["keep"]``, see `viz.reduce.top_view`)."""
    H.graph = {**H.graph, "keep": ids}  # a new dict: a subgraph may share its parent's
    return H


def _with_sources(G: nx.MultiDiGraph, nodes: Iterable[Any], *, copy: bool = True) -> nx.MultiDiGraph:
    """A copy of the part of ``G`` on ``nodes`` and every `Source`; unless ``copy``, ``G`` itself when that part is all of it."""
    kept = {*nodes, *(n for n in G if kind_of(n, G.nodes[n]) == "Source")}
    if not copy and len(kept) == len(G) and all(n in G for n in kept):
        return G
    return copied_subgraph(G, kept)

