"""Every shortest path between two actors, and every actor within some ties of one, ties taken in
either direction, without NetworkX.

`viz.views.path_view` draws the first 20 shortest paths; which 20 depends on the order they come
in. `all_shortest_paths` gives them in the order NetworkX's ``all_shortest_paths`` gives them on
the actors' undirected view (``G.subgraph(actors).to_undirected(as_view=True)``): a breadth-first
search from the source that records each node's predecessors (``nx.predecessor``), then a
depth-first walk back from the target (``_build_paths_from_predecessors``). A node's neighbours
come in the order that view gives them, the set of its actors out and its actors in, so that the
order is NetworkX's whatever the graph (`graph.tie_graph.TieGraph` or NetworkX). `reach` lists
the actors within some ties of one in the order of ``single_source_shortest_path_length``.

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

from collections.abc import Iterator
from typing import Any

from viz.measures import actors_of

__all__ = ["all_shortest_paths", "reach"]


def all_shortest_paths(G: Any, source: str, target: str) -> Iterator[list[str]]:
    """The shortest paths from ``source`` to ``target`` through actors (not `Source` nodes), one list of ids each.

    Nothing when they are not connected; ``[[source]]`` when they are the same actor.
    """
    actors = set(actors_of(G))
    pred = _predecessors(G, actors, source)
    if target not in pred:
        return
    yield from _walk_back(pred, source, target)


def reach(G: Any, source: str, depth: int) -> list[str]:
    """The actors within ``depth`` ties of ``source`` (itself first), through actors only, breadth first.

    >>> from graph.tie_graph import TieGraph
    >>> G = TieGraph()
    >>> G.add_edge("a:1", "b:1", key="FUNDS"); G.add_edge("c:1", "b:1", key="FUNDS"); G.add_edge("source:s", "a:1", key="CITES")
    >>> reach(G, "a:1", 1), sorted(reach(G, "a:1", 2))
    (['a:1', 'b:1'], ['a:1', 'b:1', 'c:1'])
    """
    actors = set(actors_of(G))
    found, frontier = [source], [source]
    seen = {source}
    for _ in range(depth):
        this, frontier = frontier, []
        for v in this:
            for w in _neighbours(G, actors, v):
                if w not in seen:
                    seen.add(w)
                    frontier.append(w)
        found += frontier
    return found


def _neighbours(G: Any, actors: set[str], node: str) -> set[str]:
    """The actors tied to ``node``, in the order of NetworkX's undirected view: ``set(out) | set(in)``."""
    return set(_among(G.succ[node], actors)) | set(_among(G.pred[node], actors))


def _among(ties: Any, actors: set[str]) -> Iterator[str]:
    """The neighbours in ``ties`` that are actors, in the order NetworkX's subgraph view gives them."""
    if 2 * len(actors) < len(ties):
        return (n for n in actors if n in ties)
    return (n for n in ties if n in actors)


def _predecessors(G: Any, actors: set[str], source: str) -> dict[str, list[str]]:
    """Each actor reached from ``source`` → the actors one step closer to it, in the order found."""
    seen, pred, level, frontier = {source: 0}, {source: []}, 0, [source]
    while frontier:
        level += 1
        this, frontier = frontier, []
        for v in this:
            for w in _neighbours(G, actors, v):
                if w not in seen:
                    pred[w], seen[w] = [v], level
                    frontier.append(w)
                elif seen[w] == level:
                    pred[w].append(v)
    return pred


def _walk_back(pred: dict[str, list[str]], source: str, target: str) -> Iterator[list[str]]:
    """The paths from ``source`` to ``target`` along ``pred``, depth first from the target."""
    seen, stack, top = {target}, [[target, 0]], 0
    while top >= 0:
        node, i = stack[top]
        if node == source:
            yield [n for n, _ in reversed(stack[: top + 1])]
        if len(pred[node]) > i:
            stack[top][1] = i + 1
            step = pred[node][i]
            if step in seen:
                continue
            seen.add(step)
            top += 1
            if top == len(stack):
                stack.append([step, 0])
            else:
                stack[top][:] = [step, 0]
        else:
            seen.discard(node)
            top -= 1
