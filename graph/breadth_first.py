"""Every shortest path between two nodes, breadth first over the neighbours a function gives.

`queries.paths` (``tdi path``) and `viz.shortest_paths` (``tdi viz path``, ``tdi viz ego``) walk
different neighbours in a different order; the search is this one. It gives the paths in the
order NetworkX's ``all_shortest_paths`` gives them when the neighbours come in NetworkX's order:
a breadth-first search that records each node's predecessors in the order found
(``nx.predecessor``), then a depth-first walk back from the target along them
(``_build_paths_from_predecessors``).

Example
-------
>>> ties = {"a": ["b", "c"], "b": ["a", "d"], "c": ["a", "d"], "d": ["b", "c"]}
>>> list(shortest_paths(ties.__getitem__, "a", "d"))
[['a', 'b', 'd'], ['a', 'c', 'd']]
>>> list(predecessors(ties.__getitem__, "a", max_length=1))
['a', 'b', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

__all__ = ["predecessors", "shortest_paths"]

Neighbours = Callable[[Any], Iterable[Any]]  # node → the nodes one step from it, in the order the walk takes them


def predecessors(
    neighbours: Neighbours, source: Hashable, *, target: Hashable | None = None, max_length: int | None = None
) -> dict[Any, list[Any]]:
    """Breadth first from ``source``: each node reached → its neighbours one step nearer ``source``, in the order found.

    The keys come in the order the nodes are reached (``source`` first). The search stops once
    the level where ``target`` is reached is done, or after ``max_length`` steps; a neighbour
    given twice counts once.

    >>> ties = {1: [2, 2, 3], 2: [1, 4], 3: [1, 4], 4: [2, 3, 5], 5: [4]}
    >>> predecessors(ties.__getitem__, 1, target=4)
    {1: [], 2: [1], 3: [1], 4: [2, 3]}
    """
    pred: dict[Any, list[Any]] = {source: []}
    level, frontier, depth = {source: 0}, [source], 0
    while frontier and target not in pred and (max_length is None or depth < max_length):
        depth += 1
        reached = []
        for node in frontier:
            for near in neighbours(node):
                if near not in level:
                    level[near], pred[near] = depth, [node]
                    reached.append(near)
                elif level[near] == depth and pred[near][-1] != node:  # `node` is last if it is there at all
                    pred[near].append(node)
        frontier = reached
    return pred


def shortest_paths(
    neighbours: Neighbours, source: Hashable, target: Hashable, *, max_length: int | None = None
) -> Iterator[list[Any]]:
    """Every shortest path from ``source`` to ``target`` (of at most ``max_length`` steps), as lists of nodes.

    Nothing when there is none; ``[source]`` when the two are the same node.

    >>> list(shortest_paths({1: [2], 2: [1]}.__getitem__, 1, 2)), list(shortest_paths({1: [], 2: []}.__getitem__, 1, 2))
    ([[1, 2]], [])
    """
    pred = predecessors(neighbours, source, target=target, max_length=max_length)
    if target in pred:
        yield from _paths_to(pred, target)


def _paths_to(pred: dict[Any, list[Any]], node: Any) -> Iterator[list[Any]]:
    """Every path from the start of the search to ``node`` along ``pred``, depth first from ``node``."""
    if not pred[node]:
        yield [node]
        return
    for before in pred[node]:
        for path in _paths_to(pred, before):
            yield [*path, node]
