"""Every shortest path between two actors, and every actor within some ties of one, ties taken in
either direction, without NetworkX.

`viz.views.path_view` draws the first 20 shortest paths; which 20 depends on the order they come
in. `all_shortest_paths` gives them in the order NetworkX's ``all_shortest_paths`` gives them on
the actors' undirected view (``G.subgraph(actors).to_undirected(as_view=True)``): the search of
`graph.breadth_first` is NetworkX's, and a node's neighbours come in the order that view gives
them, the set of its actors out and its actors in, so that the order is NetworkX's whatever the
graph (`graph.tie_graph.TieGraph` or NetworkX). `reach` lists the actors within some ties of one
in the order of ``single_source_shortest_path_length``.

Example
-------
>>> from graph.tie_graph import TieGraph
>>> G = TieGraph()
>>> for u, v in [("a:1", "b:1"), ("b:1", "c:1"), ("a:1", "b:2"), ("c:1", "b:2")]:
...     G.add_edge(u, v, key="PARTNER_OF")
>>> sorted(map(tuple, all_shortest_paths(G, "a:1", "c:1")))
[('a:1', 'b:1', 'c:1'), ('a:1', 'b:2', 'c:1')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph import breadth_first
from viz.measures import actors_of

__all__ = ["all_shortest_paths", "reach"]


def all_shortest_paths(G: Any, source: str, target: str) -> Iterator[list[str]]:
    """The shortest paths from ``source`` to ``target`` through actors (not `Source` nodes), one list of ids each.

    Nothing when they are not connected; ``[[source]]`` when they are the same actor.
    """
    return breadth_first.shortest_paths(_actors_tied(G), source, target)


def reach(G: Any, source: str, depth: int) -> list[str]:
    """The actors within ``depth`` ties of ``source`` (itself first), through actors only, breadth first.

    >>> from graph.tie_graph import TieGraph
    >>> G = TieGraph()
    >>> G.add_edge("a:1", "b:1", key="FUNDS"); G.add_edge("c:1", "b:1", key="FUNDS"); G.add_edge("source:s", "a:1", key="CITES")
    >>> reach(G, "a:1", 1), sorted(reach(G, "a:1", 2))
    (['a:1', 'b:1'], ['a:1', 'b:1', 'c:1'])
    """
    neighbours = _actors_tied(G)  # no predecessors to keep: a plain walk is a fifth cheaper than `breadth_first.predecessors`
    found, frontier, seen = [source], [source], {source}
    for _ in range(depth):
        this, frontier = frontier, []
        for v in this:
            for w in neighbours(v):
                if w not in seen:
                    seen.add(w)
                    frontier.append(w)
        found += frontier
    return found


def _actors_tied(G: Any) -> Callable[[str], set[str]]:
    """The actors tied to a node, in the order of NetworkX's undirected view: ``set(out) | set(in)``."""
    actors = set(actors_of(G))
    return lambda node: set(_among(G.succ[node], actors)) | set(_among(G.pred[node], actors))


def _among(ties: Any, actors: set[str]) -> Iterator[str]:
    """The neighbours in ``ties`` that are actors, in the order NetworkX's subgraph view gives them."""
    if 2 * len(actors) < len(ties):
        return (n for n in actors if n in ties)
    return (n for n in ties if n in actors)
