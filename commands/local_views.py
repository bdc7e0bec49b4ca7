"""Fetch the part of the graph a local view needs, instead of reading the whole graph (issue 16).

Each function returns a graph shaped as ``to_networkx()`` shapes it, large enough that the view
function of `viz.views` (or `queries.paths`) gives on it what it gives on the whole graph. An ego
or territory part is a `graph.tie_graph.TieGraph`: drawing it needs no NetworkX (0.2 s to import).

Example
-------
>>> G = territory_neighbourhood(graph, "territory:I-ti-3204")      # doctest: +SKIP
>>> territory_view(G, "territory:I-ti-3204")                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["PATH_DEPTH", "ego_neighbourhood", "path_neighbourhood", "territory_neighbourhood"]

PATH_DEPTH = 8  # a path view looks this many ties around its two ends before reading the whole graph


def ego_neighbourhood(graph: Any, node_id: str, depth: int, *, limit: int) -> Any:
    """What `viz.views.ego_view` looks at: the actors within ``depth`` ties of ``node_id`` (at most about
    ``limit``, hubs past the actor left unexpanded: ``G.graph["unexpanded"]``), every tie among them, and their sources."""
    return graph.neighbourhood([node_id], depth, limit=limit, plain=True)


def territory_neighbourhood(graph: Any, node_id: str) -> Any:
    """What `viz.views.territory_view` looks at: the territory's ties, the places it covers and the
    EPCI of those, what lies in them, the sites covering any of it with their programmes, who
    funds, supports or pilots any of it, and the people, signatories and participants tied to all.

    The places and what lies in them are reached from the territory itself, along typed paths
    (`graph.anchored`), with every tie into them that a later step follows: a list of the
    communes' keys would cost a scan of their table at each step. The rest goes one typed step
    at a time (`GraphBackend.neighbourhood` with depth 1), then every tie among all of them is read.
    """
    from graph.anchored import inward_ties, keys_start, reached, start_at, ties_of
    from graph.neighbourhood import expand
    from viz.views import GEOGRAPHY_TYPES, MONEY_TYPES, STORY_TYPES

    if node_id.split(":", 1)[0] != "territory":
        return graph.neighbourhood([node_id], 0, plain=True)  # the view says what is wrong with it
    out, into = ties_of(graph.run, node_id)
    covered = out[node_id].get("COVERS", set())
    epci = out[node_id].get("IN_EPCI", set()) | reached(graph.run, start_at(node_id, ["COVERS", "IN_EPCI"]))
    places = {node_id} | covered | epci
    near, types = sorted(GEOGRAPHY_TYPES - {"COVERS"}), sorted(GEOGRAPHY_TYPES | MONEY_TYPES | STORY_TYPES)
    known: dict[str, dict[str, set[str]]] = {place: {} for place in places}  # node → type of tie in → the actors at its other end
    starts = [(start_at(node_id), into), (start_at(node_id, ["COVERS"]), None), *((s, None) for s in keys_start(epci - covered - {node_id}))]
    for start, first in starts:
        for node, ties in inward_ties(graph.run, start, near=near, types=types, first=first).items():
            for t, ids in ties.items():
                known.setdefault(node, {}).setdefault(t, set()).update(ids)
            known.setdefault(node, {})

    def step(ids: Iterable[str], types: Iterable[str], direction: str) -> set[str]:
        ids, types = set(ids), sorted(types)
        asked = ids & known.keys() if direction == "in" else set()
        found = asked | {n for place in asked for t in types for n in known[place].get(t, ())}
        rest = sorted(ids - asked)
        return found | (set(expand(graph.run, rest, 1, types=types, direction=direction).distance) if rest else set())

    inside = places | {n for place in places for t in near for n in known[place].get(t, ())}
    sites = {n for n in step(inside, ["COVERS"], "in") if n.startswith("site:")}
    inside |= sites | step(sites, ["LABELLED"], "out")
    around = {n for side in (out, into) for ids in side[node_id].values() for n in ids}
    inside |= step(inside, MONEY_TYPES, "in") | around | {node_id}
    inside |= step(inside, STORY_TYPES, "in")
    return graph.neighbourhood(sorted(inside), 0, plain=True)


def path_neighbourhood(graph: Any, source: str, target: str, *, max_length: int | None = None,
                       exclude_kinds: Sequence[str] | Iterable[str] = (), plain: bool = False) -> Any:  # fmt: skip
    """Enough of the graph to find every shortest path between two actors, walking around ``exclude_kinds``.

    With ``max_length``: every shortest path of at most that many ties (and none when they are
    further apart). Without: every shortest path; if the two are more than `PATH_DEPTH` ties apart
    or the search outgrows its limit, the whole graph (``G.graph["whole"]``). When nothing
    joins them, ``G.graph["closed"]`` says so and the part read is enough. With ``plain``, the part read is a
    `graph.tie_graph.TieGraph` (`queries.paths.shortest_paths` and `viz.views.path_view` walk it without NetworkX).
    """
    G = graph.neighbourhood([source, target], max_length or PATH_DEPTH, between=True, exclude_kinds=list(exclude_kinds), plain=plain)
    if G.graph["closed"] or (G.graph["complete"] if max_length else G.graph["met"]):
        return G
    whole = graph.to_networkx()
    whole.graph["whole"] = True
    return whole
