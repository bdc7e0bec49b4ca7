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
    """What `viz.views.territory_view` looks at: the territory's ties, the places it covers (and the
    EPCI of its communes), what lies in them, the sites covering those with their programmes, and
    who funds, supports or pilots any of it.

    One typed step at a time (`GraphBackend.neighbourhood` with depth 1), then every tie among
    all of them.
    """
    from viz.views import GEOGRAPHY_TYPES, MONEY_TYPES

    around = graph.neighbourhood([node_id], 1, ties=False)
    if around.nodes.get(node_id, {}).get("kind") != "Territory":
        return graph.neighbourhood([node_id], 0)  # the view says what is wrong with it
    places = sorted(_actors(graph.neighbourhood([node_id], 1, types=["COVERS"], direction="out", ties=False)))
    inside = _actors(graph.neighbourhood(places, 1, types=sorted(GEOGRAPHY_TYPES - {"COVERS"}), direction="in", ties=False))
    covering = graph.neighbourhood(sorted(inside), 1, types=["COVERS"], direction="in", ties=False)
    sites = sorted(n for n, kind in covering.nodes(data="kind") if kind == "Site")
    labelled = _actors(graph.neighbourhood(sites, 1, types=["LABELLED"], direction="out", ties=False)) if sites else set()
    funders = _actors(graph.neighbourhood(sorted(inside | labelled), 1, types=sorted(MONEY_TYPES), direction="in", ties=False))
    # The EPCI of each covered commune too, for a view that folds communes into their EPCI.
    epci = _actors(graph.neighbourhood(places, 1, types=["IN_EPCI"], direction="out", ties=False))
    return graph.neighbourhood(sorted(_actors(around) | inside | labelled | funders | epci), 0)


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
