"""Read-only engines left to the operating system when the ``tdi`` process ends, instead of closed.

Closing a LadybugDB database frees its hash indexes and columns one by one: 0.02-0.04 s of CPU on
the full graph, a tenth of a quick read command. A database opened read-only has nothing to write
back, so the ``tdi`` command (`cli.main`) calls `leave_read_engines_open`: from then on a read-only
`graph.embedded.EmbeddedBackend` hands its engine to `keep_till_exit` when it closes, and `cli.main`
ends the process with ``os._exit`` once its output is flushed. An engine that wrote is always closed
(it checkpoints); any graph opened later in the process first closes the engines kept here, so a
graph read then written in the same process works as before. Library use and tests never call
`leave_read_engines_open`: their engines close as always.

Example
-------
>>> leave_read_engines_open()                         # doctest: +SKIP
>>> keep_till_exit(conn, db), engines_left_open()      # doctest: +SKIP
(True, True)
>>> close_left_engines(); engines_left_open()          # doctest: +SKIP
False
"""

from __future__ import annotations

from typing import Any

__all__ = ["close_left_engines", "engines_left_open", "keep_till_exit", "leave_read_engines_open"]

_left: list[tuple[Any, Any]] | None = None  # None: read-only engines close as usual


def leave_read_engines_open() -> None:
    """From now on, keep read-only engines open till the process ends (only the ``tdi`` entry point asks)."""
    global _left
    if _left is None:
        _left = []


def keep_till_exit(conn: Any, db: Any) -> bool:
    """Keep a read-only engine's connection and database open till the process ends, if asked; whether kept."""
    if _left is None:
        return False
    _left.append((conn, db))
    return True


def engines_left_open() -> bool:
    """Whether an engine is kept open for the end of the process."""
    return bool(_left)


def close_left_engines() -> None:
    """Close the engines kept so far (before another opening of a graph, which may write to it)."""
    while _left:
        conn, db = _left.pop()
        conn.close()
        db.close()
