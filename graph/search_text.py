"""``search_text``: an actor's name and aliases folded (lower case, no accents), the text ``tdi find`` reads.

Every write through the store fills it (`graph.checked_rows.complete_node` calls `search_text`);
a statement typed by hand (``tdi cypher --write``) does not, so `refresh_search_text` fills it
afterwards, with the same function: on the actors that lack it (one query that finds none
when nothing was created), and, when asked to ``compare``, on every actor whose stored text is
not that of its names any more (a ``SET n.name``).

Example
-------
>>> search_text("Île-de-France", ["IdF"])
'ile-de-france | idf'
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from graph.keys import fold
from graph.schema import schema

if TYPE_CHECKING:
    from graph.backend import GraphBackend

__all__ = ["refresh_search_text", "search_text", "searched_labels"]

_fold = functools.lru_cache(maxsize=1 << 16)(fold)  # an upsert folds each name twice (before, after)


def search_text(name: str | None, aliases: Iterable[str] | None) -> str:
    """The text ``tdi find`` searches for an actor of this name and these aliases."""
    return _fold(" | ".join([name or "", *(aliases or [])]))


def searched_labels() -> list[str]:
    """The kinds whose nodes have a ``search_text`` (every actor; not `Source`).

    >>> "Company" in searched_labels(), "Source" in searched_labels()
    (True, False)
    """
    return [kind.label for kind in schema().kinds.values() if "search_text" in kind.properties]


def refresh_search_text(graph: GraphBackend, *, compare: bool = False) -> int:
    """Give each actor of ``graph`` that lacks it (or, with ``compare``, whose text differs from its names) its ``search_text``.

    Returns how many actors were given one. A node without a key (which only a statement typed
    by hand can make, on Neo4j) is left as it is.
    """
    where = "n.key IS NOT NULL" if compare else "n.key IS NOT NULL AND n.search_text IS NULL"
    found = graph.columns(
        f"MATCH (n:{'|'.join(searched_labels())}) WHERE {where} "
        "RETURN head(labels(n)) AS kind, n.key AS key, n.name AS name, n.aliases AS aliases, n.search_text AS text"
    )
    wanted: dict[str, list[dict[str, str]]] = defaultdict(list)
    for kind, key, name, aliases, text in zip(*(found.get(c, []) for c in ("kind", "key", "name", "aliases", "text")), strict=True):
        folded = search_text(name, aliases)
        if folded != text:
            wanted[kind].append({"key": key, "search_text": folded})
    for label, rows in wanted.items():
        graph.set_node_properties(label, rows)
    return sum(map(len, wanted.values()))
