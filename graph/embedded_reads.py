"""What an embedded graph opened read-only answers from the caches kept per state of its file (`graph.nxcache`).

Counts of nodes and ties, the columns of each table and the NetworkX export do not change while
the graph file does not: they are read once per state and kept in the cache directory. A graph
opened for writing reads them afresh, since its writes may not be on disk yet; when it closes, it
counts what it wrote if the counts of the graph it started from were cached (`_counts_to_keep`).

Example
-------
>>> with open_graph(path, read_only=True) as graph:   # doctest: +SKIP
...     graph.counts()["nodes"]["Region"]              # the second run reads no table
18
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.dialect import to_embedded
from graph.journal import JOURNAL_LABEL

if TYPE_CHECKING:
    import networkx as nx

    from graph.counting import Counts
    from graph.neighbourhood import TieCounts

__all__ = ["CachedReads"]


class CachedReads:
    """The reads of `graph.embedded.EmbeddedBackend` that a graph opened read-only takes from its caches."""

    path: Path
    read_only: bool
    _conn: Any
    _stored: dict[str, list[str]]
    _keep_counts: bool
    _writing: bool
    _engine_tx: bool
    _tx_broken: bool
    _rolled_back: bool
    _write_failed: bool
    _parts_failed: bool

    def tie_counts(self) -> TieCounts | None:
        """Counted once per state of a graph opened read-only (0.1 s on the full graph), then cached."""
        if not self.read_only:
            return None
        from graph.counting import cached_ties

        return cached_ties(self.path, self.run)

    def stored_properties(self, table: str) -> list[str]:
        if not self.read_only:
            return self._columns(table)
        if not self._stored:  # a local view asks for 30 tables, several times: read once per graph state
            from graph.nxcache import cached

            self._stored = cached(self.path, "columns", lambda: {name: self._columns(name) for name in self._catalogue()})
        return self._stored.get(table) or self._columns(table)

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and relationships per type: opened read-only, from the ties of each pair of labels,
        counted once per state of the graph (`graph.counting`); else two grouped counts (three times quicker
        than one per table)."""
        ties = self.tie_counts()
        if ties is not None:
            from graph.counting import totals

            return totals(ties.nodes, ties.ties, skip=JOURNAL_LABEL)
        nodes = dict(self._conn.execute("MATCH (n) RETURN label(n), count(*)").get_all())
        rels = dict(self._conn.execute("MATCH ()-[r]->() RETURN label(r), count(*)").get_all())
        nodes.pop(JOURNAL_LABEL, None)
        return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items()))}

    def _counts_to_keep(self) -> Counts | None:
        """The counts of what this session committed, if they are to be cached (see `EmbeddedBackend.close`); run outside `run`
        so that a load's mark still holds."""
        unsure = self._engine_tx or self._tx_broken or self._rolled_back or self._write_failed or self._parts_failed
        if not (self._keep_counts and self._writing and self._conn is not None) or unsure:
            return None

        def rows(cypher: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
            result = self._conn.execute(to_embedded(cypher), dict(params))
            return [dict(zip(result.get_column_names(), row)) for row in result.get_all()]

        from graph.counting import count_pairs

        try:
            return count_pairs(rows)
        except RuntimeError:
            return None  # the counts are only a cache: the next read counts them

    def to_networkx(self, labels: Sequence[str] = (), rel_types: Sequence[str] = ()) -> nx.MultiDiGraph:
        """The graph as a MultiDiGraph; opened read-only, from the disk cache while the file is unchanged."""
        build = functools.partial(super().to_networkx, labels, rel_types)
        if not self.read_only:
            return build()  # writes of this session may not be on disk yet
        from graph.nxcache import cached_export

        return cached_export(self.path, labels, rel_types, build)
