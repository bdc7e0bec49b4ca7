"""One Cypher statement typed by hand (``tdi cypher``): run it, and leave what tdi derives as the loaders would.

After a write, on the graph still open (on the embedded engine: before its copy is swapped in), every actor that lacks its ``search_text`` gets it
(`graph.search_text.refresh_search_text`): a node made by ``CREATE`` is then found by
``tdi find`` like any other. That look-up costs one query, which finds nothing when no actor was
created. A statement that can change the names of nodes already there (``SET``, ``REMOVE``,
``CALL`` of a procedure, ``COPY`` or ``LOAD`` of a file, a map given as a parameter, or one that
names ``search_text`` itself) has every actor's text compared with its names instead (about
0.3 s of CPU on a graph of 45,000 actors).

Example
-------
>>> rows, columns = run_statement(graph, "MATCH (r:Region) RETURN r.name AS name LIMIT 0")   # doctest: +SKIP
>>> rows, columns                                                                           # doctest: +SKIP
([], ['name'])
>>> may_rename("MATCH (c:Company {key: $k}) SET c.name = 'Danone'", {}), may_rename("CREATE (:Company {key: 'x', name: 'X'})", {})
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graph.search_text import refresh_search_text
from graph.statements import tokens

if TYPE_CHECKING:
    from graph.backend import GraphBackend

__all__ = ["may_rename", "run_statement"]

_RENAMING = frozenset({"SET", "REMOVE", "CALL", "COPY", "LOAD"})


def run_statement(
    graph: GraphBackend, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """Run ``cypher`` on ``graph`` (read-only unless ``write``, as `GraphBackend.run`); after a write, fill ``search_text``.

    Returns the rows and the names of the columns, which a result of no row has too.

    Raises
    ------
    ReadOnlyViolation
        Without ``write``, the statement would change something.
    QueryFailed
        The database rejected it.
    """
    columns = graph.columns(cypher, params, write=write)
    if write:
        refresh_search_text(graph, compare=may_rename(cypher, params or {}))
    return [dict(zip(columns, values)) for values in zip(*columns.values())], list(columns)


def may_rename(cypher: str, params: Mapping[str, Any]) -> bool:
    """Whether ``cypher`` may change the name, aliases or ``search_text`` of a node it did not create (see the module docstring)."""
    if any(isinstance(value, Mapping) for value in params.values()):
        return True
    words = [t for t in tokens(cypher) if t.kind in ("word", "name")]
    return any(t.text.upper() in _RENAMING or t.text.strip("`").lower() == "search_text" for t in words)
