"""Brandes' betweenness accumulation for many sources at once, with NumPy.

Brandes (2001) runs one breadth-first search per source, counting shortest paths, then walks
back up the levels summing each node's dependency. Here a batch of sources advances together,
level by level: one level is one gather over every tie (``values[:, neighbours]``) and one sum
per node (``np.add.reduceat``), so the work runs in NumPy rather than in Python loops, about
ten times faster than pure Python on the country's actor network.

Example
-------
>>> dependencies([[1], [0, 2], [1]], [0, 1, 2])     # a path a - b - c: b lies on a-c and c-a
[0.0, 2.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["BATCH", "dependencies"]

BATCH = 64  # sources searched together: memory is BATCH × ties × 8 bytes


def dependencies(adjacency: Sequence[Sequence[int]], sources: Sequence[int]) -> list[float]:
    """The sum over ``sources`` of each node's dependency (the unnormalised betweenness they give it).

    Parameters
    ----------
    adjacency : sequence of sequences of int
        ``adjacency[u]``: the neighbours of ``u`` in an undirected simple graph (each tie listed both ways).
    sources : sequence of int
        The nodes whose shortest paths are counted (every node for exact betweenness).

    Returns
    -------
    list of float
        For each node, the sum over sources ``s`` of δ_s(v) = Σ_t σ_st(v) / σ_st (``v`` ≠ ``s``).
    """
    import numpy as np

    n, graph = len(adjacency), _Csr(adjacency)
    totals = np.zeros(n)
    order = list(sources)
    for first in range(0, len(order), BATCH):
        batch = np.asarray(order[first : first + BATCH], dtype=np.int64)
        totals += _batch_dependencies(batch, n, graph)
    return totals.tolist()


def _neighbour_sums(values: Any, active: Any, graph: _Csr) -> Any:
    """For each node (row) and source (column), the sum of ``values`` over the node's neighbours (only ``active`` rows are non-zero)."""
    import numpy as np

    sums = np.zeros_like(values)
    ties = np.flatnonzero(active[graph.neighbours])  # the ties from an active node, grouped by the node they reach
    if len(ties):
        owners = graph.owners[ties]
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        sums[owners[starts]] = np.add.reduceat(values[graph.neighbours[ties]], starts, axis=0)
    return sums


class _Csr:
    """The ties as arrays: ``neighbours`` grouped by the node they belong to, whose index is in ``owners``."""

    def __init__(self, adjacency: Sequence[Sequence[int]]) -> None:
        import numpy as np

        lengths = np.fromiter((len(a) for a in adjacency), dtype=np.int64, count=len(adjacency))
        self.neighbours = np.fromiter((v for a in adjacency for v in a), dtype=np.int64, count=int(lengths.sum()))
        self.owners = np.repeat(np.arange(len(adjacency), dtype=np.int64), lengths)


def _batch_dependencies(batch: Any, n: int, graph: _Csr) -> Any:
    """Brandes' two passes for the sources of ``batch`` together; each node's dependencies summed over them."""
    import numpy as np

    # Nodes are rows and sources columns: gathering and summing whole rows is what NumPy does fastest.
    columns = np.arange(len(batch))
    dist = np.full((n, len(batch)), -1, dtype=np.int64)
    sigma = np.zeros((n, len(batch)))
    dist[batch, columns], sigma[batch, columns] = 0, 1.0
    frontier, level = dist == 0, 0
    while frontier.any():
        reached = _neighbour_sums(np.where(frontier, sigma, 0.0), frontier.any(axis=1), graph)
        frontier = (dist < 0) & (reached > 0)
        level += 1
        dist[frontier], sigma[frontier] = level, reached[frontier]
    delta = np.zeros((n, len(batch)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for depth in range(level - 2, 0, -1):
            children = dist == depth + 1
            below = np.where(children, (1.0 + delta) / sigma, 0.0)
            here = dist == depth
            delta[here] = (sigma * _neighbour_sums(below, children.any(axis=1), graph))[here]
    return delta.sum(axis=1)
