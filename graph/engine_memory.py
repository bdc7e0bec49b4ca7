"""How much page memory (buffer pool) the embedded engine gets: read-only, and for the loads of tables.

The engine's default is 80% of the machine's memory. Reserving that costs a read command about
0.03 s of CPU to set up and tear down, against 0.09 s for the whole opening of the full graph
(issue 16), so a graph opened read-only gets `READ_POOL_MB` instead: 4 GiB holds a graph a
hundred times the full one with room for its queries. ``TDI_READ_BUFFER_POOL_MB`` changes it
(0: the engine's default). A table load starts with a smaller pool (``TDI_LOAD_BUFFER_POOL_MB``,
`loaders.bounded`) and, when the engine says it is full (`is_pool_full`), is written again with
the next of `larger_pools`, up to the engine's default: it never fails where that succeeds.

Example
-------
>>> read_pool_mb() <= READ_POOL_MB
True
>>> larger_pools(512, memory_mb=24_000)
[2048, 8192, 0]
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import ConnectionFailed, PoolFull

__all__ = ["READ_POOL_ENV", "READ_POOL_MB", "engine_default_mb", "is_pool_full", "larger_pools", "machine_mb", "pool_full", "read_pool_mb"]

READ_POOL_MB = 4096
READ_POOL_ENV = "TDI_READ_BUFFER_POOL_MB"
GROWTH = 4  # each retry gets this many times the pool that was full


def machine_mb() -> int:
    """The machine's memory in MiB; 0 where unknown (no sysconf, as on Windows)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") >> 20
    except (AttributeError, ValueError, OSError):
        return 0


def engine_default_mb(memory_mb: int | None = None) -> int:
    """The engine's default page memory: 80% of ``memory_mb`` (the machine's memory by default; 0 where unknown).

    >>> engine_default_mb(1000)
    800
    """
    return (machine_mb() if memory_mb is None else memory_mb) * 4 // 5


def read_pool_mb() -> int:
    """``TDI_READ_BUFFER_POOL_MB`` if set, else `READ_POOL_MB` or 80% of a smaller memory (0, the engine's default, where unknown).

    Raises
    ------
    ConnectionFailed
        The variable is not a whole number of MiB (0 or more).
    """
    value = os.environ.get(READ_POOL_ENV, "").strip()
    if value:
        if not value.isdigit():
            raise ConnectionFailed(f'{READ_POOL_ENV} is "{value}"; expected a whole number of MiB (0: the engine\'s default).')
        return int(value)
    default_mb = engine_default_mb()
    return min(READ_POOL_MB, default_mb) if default_mb else 0


def larger_pools(full_mb: int, *, memory_mb: int | None = None) -> list[int]:
    """The pools to try after ``full_mb`` MiB was full: `GROWTH` times larger each, below the engine's default
    (80% of ``memory_mb``, the machine's memory by default), then that default (0). None after the default (0)."""
    if full_mb <= 0:
        return []
    default_mb = engine_default_mb(memory_mb)
    pools = []
    while (full_mb := full_mb * GROWTH) < default_mb:
        pools.append(full_mb)
    return [*pools, 0]


def is_pool_full(exc: BaseException) -> bool:
    """Whether the engine's error says its page memory is full ("The buffer pool is full…")."""
    return "buffer pool is full" in str(exc).lower()


def pool_full(path: Path, pool_mb: int) -> PoolFull:
    """The error of a write that did not fit in ``pool_mb`` MiB of page memory (0: the engine's default)."""
    size = f"{pool_mb} MiB" if pool_mb else "the engine's default"
    return PoolFull(
        f'The write to the graph at "{path}" needed more page memory than {size} (the buffer pool is full): '
        "none of it was kept, the previous graph is unchanged."
    )
