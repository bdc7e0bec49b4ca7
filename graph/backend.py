"""The storage interface every backend implements, and `open_graph`, which picks one.

A filesystem path opens the embedded engine; a ``bolt://``, ``neo4j://`` or ``neo4j+s://`` URI
opens Neo4j (credentials from ``NEO4J_USERNAME``/``NEO4J_PASSWORD``, database from
``NEO4J_DATABASE``).

Example
-------
>>> with open_graph(tmp_path / "g") as graph:            # doctest: +SKIP
...     graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import networkx as nx

    from graph.tally import Tally

__all__ = ["BATCHED_ENV", "NEO4J_SCHEMES", "EdgeRow", "GraphBackend", "GraphReads", "GraphWrites", "WriteStats", "is_neo4j_url", "open_graph"]

BATCHED_ENV = "TDI_BATCHED_LOADS"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


@dataclass(frozen=True)
class EdgeRow:
    """One relationship to write: its ends (label and key) and its properties."""

    from_label: str
    from_key: str
    to_label: str
    to_key: str
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class WriteStats:
    """What a write did, per kind or relationship type.

    ``ended`` counts what a new vintage of a dataset no longer states: given an end date
    (``until``) rather than deleted.
    """

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    ended: Counter = field(default_factory=Counter)

    def add(self, other: WriteStats) -> WriteStats:
        """Add ``other``'s counts to these, and return self."""
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)
        self.ended.update(other.ended)
        return self

    @property
    def changed(self) -> bool:
        """Whether anything was created, updated or ended."""
        return bool(sum(self.created.values()) or sum(self.updated.values()) or sum(self.ended.values()))

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per kind or type: created, updated, ended, unchanged."""
        names = sorted(set(self.created) | set(self.updated) | set(self.ended) | set(self.unchanged))
        return [
            {"name": n, "created": self.created[n], "updated": self.updated[n], "ended": self.ended[n], "unchanged": self.unchanged[n]}
            for n in names
        ]


class GraphWrites(Protocol):
    """How tdi writes to a graph database: upserts by key, exact property updates, all-or-nothing blocks."""

    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]], *, checked: bool = False) -> WriteStats:
        """Create or update nodes by key; list properties (sources, aliases…) are merged."""

    def upsert_edges(self, rel_type: str, rows: Iterable[EdgeRow], *, checked: bool = False) -> WriteStats:
        """Create or update relationships, one per (type, from, to); both ends must exist."""

    def set_node_properties(self, label: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Set exactly the values of ``rows`` (each with its ``key``; None clears one) on the nodes that exist."""

    def set_edge_properties(self, rel_type: str, rows: Iterable[EdgeRow]) -> None:
        """Set exactly each row's ``props`` (None clears one) on the relationships that exist."""

    def transaction(self, *, tally: bool = False) -> AbstractContextManager[Tally | None]:
        """Group writes: all of them are kept, or none if the block raises. With ``tally``, the upserts inside
        count each node and relationship once, as the graph before the block saw it; the block (and any
        block nested in it) gets that `graph.tally.Tally`, else None."""


class GraphReads(Protocol):
    """How tdi reads a graph database: Cypher, columns, counts and the parts of the graph it draws."""

    kind: str

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run one Cypher statement (Neo4j dialect) with parameters, returning rows as plain dicts.

        Unless ``write``, the statement may only read (`graph.statements.check_query`).
        """

    def columns(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> dict[str, list[Any]]:
        """`run`, its result as one list of values per column: every column the statement returns, even with
        no row. For whole-graph readers: the embedded engine hands columns over without a dict per row."""

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and relationships per type: ``{"nodes": {...}, "relationships": {...}}``."""

    def to_networkx(self, labels: Sequence[str] = (), rel_types: Sequence[str] = ()) -> nx.MultiDiGraph:
        """The graph (or the part with those labels and types) as a NetworkX MultiDiGraph."""

    def neighbourhood(self, ids: Sequence[str], depth: int = 1, *, direction: str = "both", types: Sequence[str] = (),
                      exclude_kinds: Sequence[str] = (), between: bool = False, ties: bool = True,
                      properties: bool = True, limit: int = ..., plain: bool = False) -> nx.MultiDiGraph:  # fmt: skip
        """The actors within ``depth`` ties of ``ids`` (or, with ``between``, on the shortest paths
        between two), every tie among them and the `Source` nodes they cite, shaped as by
        `to_networkx`; a bounded breadth-first expansion (`graph.neighbourhood`). With ``plain``,
        a `graph.tie_graph.TieGraph` (no NetworkX to import)."""

    def stored_properties(self, table: str) -> list[str] | None:
        """The properties the graph's ``table`` (a label or type) holds, when a graph made by an older
        schema may lack some and reading them fails (embedded); None when missing ones read as null."""

    def close(self) -> None:
        """Release the database."""


class GraphBackend(GraphReads, GraphWrites, Protocol):
    """What tdi needs from a graph database: its reads and its writes."""


def is_neo4j_url(db: str) -> bool:
    """Whether ``db`` names a Neo4j server rather than an embedded database path.

    >>> is_neo4j_url("neo4j+s://x.databases.neo4j.io"), is_neo4j_url("./tdi-graph")
    (True, False)
    """
    return db.lower().startswith(NEO4J_SCHEMES)


def open_graph(
    db: str | Path, *, read_only: bool = False, buffer_pool_mb: int | None = None, batched: bool | None = None, defer_copy: bool = False
) -> GraphBackend:
    """Open the graph at ``db``: a path (embedded engine) or a Neo4j URI.

    Parameters
    ----------
    db : str or Path
        ``./tdi-graph`` or ``neo4j://host:7687``.
    read_only : bool
        Open without the right to write (the embedded engine then allows other readers).
    buffer_pool_mb : int, optional
        The embedded engine's page memory, in MiB (its default: most of the machine's memory).
        A load committed in parts needs little; one large transaction needs much. Ignored on Neo4j.
    batched : bool, optional
        Commit loads in batches that undo themselves if the load fails or dies
        (`graph.batched_loads`): always on Neo4j; on the embedded engine when true, or when
        ``TDI_BATCHED_LOADS=1`` if not given (otherwise a write goes to a copy swapped in whole).
    defer_copy : bool
        Embedded: read the graph in place and copy it only at the first write, so that a session
        that writes nothing (a load finding everything there) leaves the graph file untouched; a
        session that writes then opens the engine twice (about 0.1 s more). Ignored on Neo4j and
        with ``batched`` (which writes in place).
    """
    if is_neo4j_url(str(db)):
        from graph.neo4j import Neo4jBackend

        return Neo4jBackend(str(db), read_only=read_only)
    from graph.embedded import EmbeddedBackend

    if batched is None:
        batched = os.environ.get(BATCHED_ENV) == "1"
    return EmbeddedBackend(Path(db), read_only=read_only, buffer_pool_mb=buffer_pool_mb, batched=batched, defer_copy=defer_copy)
