"""A table load's graph, opened with a capped page memory and opened again with a larger one when the engine's is full.

A capped pool bounds the engine's memory, but a checkpoint needs some pages whole (`graph.engine_memory`):
a load may not fit. Then the failed write's working copy is dropped whole, the graph is unchanged,
and `GrowingPool.reopen` says so in one line on stderr and opens the graph again with the next pool
of `graph.engine_memory.larger_pools`, the last being the engine's default.

Example
-------
>>> with GrowingPool(lambda mb: open_graph(db, buffer_pool_mb=mb, defer_copy=True), 512) as pool:  # doctest: +SKIP
...     result = pool.run(lambda graph: load_table(graph, path, mapping, reopen=pool.reopen))
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Self, TypeVar

from graph.backend import GraphBackend
from graph.engine_memory import larger_pools
from graph.errors import PoolFull

__all__ = ["GrowingPool", "written_fitting"]

T = TypeVar("T")


class GrowingPool:
    """Opens the graph with ``first_mb`` MiB of page memory (0 or None: the engine's default), larger on demand."""

    def __init__(
        self, open_graph: Callable[[int | None], Any], first_mb: int | None, *, say: Callable[[str], None] | None = None
    ) -> None:
        self._open_graph, self._say = open_graph, say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.pool_mb = first_mb or 0
        self._next = larger_pools(self.pool_mb)
        self._graph: Any = None

    def __enter__(self) -> Self:
        self._graph = self._open_fitting()
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def run(self, step: Callable[[GraphBackend], T]) -> T:
        """``step(graph)``, run again on the graph reopened with a larger pool for as long as the pool is full."""
        while True:
            try:
                return step(self._graph)
            except PoolFull as exc:
                self.reopen(exc)

    def reopen(self, exc: PoolFull) -> GraphBackend:
        """Close the graph (dropping the failed write) and open it with the next pool; raise ``exc`` if there is none."""
        self._close()
        self._grow(exc)
        self._graph = self._open_fitting()
        return self._graph

    def _open_fitting(self) -> Any:
        while True:  # opening a large graph may itself not fit
            try:
                return self._open_graph(self.pool_mb or None)
            except PoolFull as exc:
                self._grow(exc)

    def _grow(self, exc: PoolFull) -> None:
        if not self._next:
            raise exc
        full, self.pool_mb = self.pool_mb, self._next.pop(0)
        larger = f"{self.pool_mb} MiB" if self.pool_mb else "the engine's default"
        self._say(
            f"The engine's page memory of {full} MiB was too small for this load (nothing was kept); writing it again with {larger}."
        )

    def _close(self) -> None:
        graph, self._graph = self._graph, None
        if graph is not None:
            graph.close()


def written_fitting(write: Callable[[GraphBackend], T], graph: GraphBackend, reopen: Callable[[PoolFull], GraphBackend] | None) -> T:
    """``write(graph)``, redone on the graph ``reopen`` gives for as long as the engine's page memory is full (never without ``reopen``)."""
    while True:
        try:
            return write(graph)
        except PoolFull as exc:
            if reopen is None:
                raise
            graph = reopen(exc)
