"""How much page memory (buffer pool) the embedded engine gets when a graph is opened read-only.

The engine's default is 80% of the machine's memory. Reserving that costs a read command about
0.03 s of CPU to set up and tear down, against 0.09 s for the whole opening of the full graph
(issue 16), so a graph opened read-only gets `READ_POOL_MB` instead: 4 GiB holds a graph a
hundred times the full one with room for its queries. ``TDI_READ_BUFFER_POOL_MB`` changes it
(0: the engine's default). Writes keep the default, or what the caller asks
(``TDI_LOAD_BUFFER_POOL_MB`` for the loads of tables).

Example
-------
>>> read_pool_mb() <= READ_POOL_MB
True
"""

from __future__ import annotations

import os

from graph.errors import ConnectionFailed

__all__ = ["READ_POOL_ENV", "READ_POOL_MB", "read_pool_mb"]

READ_POOL_MB = 4096
READ_POOL_ENV = "TDI_READ_BUFFER_POOL_MB"


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
    try:
        memory_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") >> 20
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows)
        return 0
    return min(READ_POOL_MB, memory_mb * 4 // 5)
