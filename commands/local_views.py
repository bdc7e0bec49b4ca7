"""Fetch the part of the graph a local view needs, instead of reading the whole graph (issue 16).

Each function returns a graph shaped as ``to_networkx()`` shapes it, large enough that the view
function of `viz.views` (or `queries.paths`) gives on it what it gives on the whole graph.

Example
-------
>>> G = territory_neighbourhood(graph, "territory:I-ti-3204")      # doctest: +SKIP
>>> territory_view(G, "territory:I-ti-3204")                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["PATH_DEPTH", "path_neighbourhood", "territory_neighbourhood"]

PATH_DEPTH = 8  # a path view looks this many ties around its two ends before reading the whole graph


def _actors(G: Any) -> set[str]:
    return {n for n, kind in G.nodes(data="kind") if kind != "Source"}


def territory_neighbourhood(graph: Any, node_id: str) -> Any:
    """What `viz.views.territory_view` looks at: the territory's ties, the places it covers and the
    EPCI of those, what lies in them, the sites covering any of it with their programmes, who
    funds, supports or pilots any of it, and the people, signatories and participants tied to all.

    One typed step at a time (`GraphBackend.neighbourhood` with depth 1), then every tie among
    all of them. What lies in the territory is asked once for every type of tie the later steps
    follow into it (`graph.neighbourhood.neighbours_by_type`): the communes' table is then
    scanned once rather than three times.
    """
    from graph.neighbourhood import neighbours_by_type
    from viz.views import GEOGRAPHY_TYPES, MONEY_TYPES, STORY_TYPES

    known: dict[str, dict[str, set[str]]] = {}  # place → type of tie in → the actors at its other end

    def step(ids: Iterable[str], types: Iterable[str], direction: str) -> set[str]:
        ids, types = set(ids), sorted(types)
        asked = ids & known.keys() if direction == "in" else set()
        found = asked | {n for place in asked for t in types for n in known[place].get(t, ())}
        rest = sorted(ids - asked)
        return found | (set(graph.neighbourhood(rest, 1, types=types, direction=direction, properties=False)) if rest else set())

    around = graph.neighbourhood([node_id], 1, properties=False)
    if around.nodes.get(node_id, {}).get("kind") != "Territory":
        return graph.neighbourhood([node_id], 0)  # the view says what is wrong with it
    places = step([node_id], ["COVERS"], "out") | {node_id}
    places |= step(places, ["IN_EPCI"], "out")  # the EPCI of covered communes
    inside = places | step(places, GEOGRAPHY_TYPES - {"COVERS"}, "in")
    known.update(neighbours_by_type(graph.run, sorted(inside), "in", sorted(MONEY_TYPES | STORY_TYPES | {"COVERS"})))
    sites = {n for n in step(inside, ["COVERS"], "in") if n.startswith("site:")}
    inside |= sites | step(sites, ["LABELLED"], "out")
    inside |= step(inside, MONEY_TYPES, "in") | _actors(around)
    inside |= step(inside, STORY_TYPES, "in")
    return graph.neighbourhood(sorted(inside), 0)


def path_neighbourhood(graph: Any, source: str, target: str, *, max_length: int | None = None,
                       exclude_kinds: Sequence[str] | Iterable[str] = ()) -> Any:  # fmt: skip
    """Enough of the graph to find every shortest path between two actors, walking around ``exclude_kinds``.

    With ``max_length``: every shortest path of at most that many ties (and none when they are
    further apart). Without: every shortest path; if the two are more than `PATH_DEPTH` ties apart
    or the search outgrows its limit, the whole graph.
    """
    G = graph.neighbourhood([source, target], max_length or PATH_DEPTH, between=True, exclude_kinds=list(exclude_kinds))
    enough = G.graph["complete"] if max_length else G.graph["met"]
    return G if enough else graph.to_networkx()
