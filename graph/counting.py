"""How many nodes of each kind and relationships of each type a graph holds (``tdi stats``).

An embedded graph opened read-only counts them with the ties of each pair of labels
(`graph.neighbourhood.count_ties`, one scan), which local views also use: the ``ties-…`` cache
(`graph.nxcache`) keeps them while the graph file is unchanged, as plain dicts, and `count_graph`
answers from it without starting the engine or reading the schema (issue 16: ``tdi stats`` then
takes about 0.1 s of CPU on the full graph, against 0.4 s when it opens the graph). A write to a
graph whose counts are cached counts its result before it closes and caches that for the new
file (`keep_counts`), so that the next ``tdi stats`` does not open the graph either.

Example
-------
>>> count_graph("tdi-graph")["nodes"]["Region"]          # doctest: +SKIP
18
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.neighbourhood import Run, TieCounts

__all__ = ["Counts", "cached_ties", "count_graph", "count_pairs", "file_state", "is_counted", "keep_counts", "totals"]

Counts = tuple[dict[str, int], dict[tuple[str, str, str], int]]
"""Nodes per label, and ties per (start label, type, end label): what the ``ties-…`` cache holds."""
# The cached value is shaped here and counted by graph.neighbourhood: either changing starts a new cache.
_CODE = (Path(__file__), Path(__file__).with_name("neighbourhood.py"))


def totals(nodes: Mapping[str, int], ties: Mapping[tuple[str, str, str], int], *, skip: str = "") -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, each sorted by name, without the label ``skip``.

    >>> totals({"Region": 2, "Department": 3}, {("Department", "IN_REGION", "Region"): 3})
    {'nodes': {'Department': 3, 'Region': 2}, 'relationships': {'IN_REGION': 3}}
    """
    relationships: Counter[str] = Counter()
    for (_, rel, _), n in ties.items():
        relationships[rel] += n
    kept = {label: n for label, n in nodes.items() if label != skip}
    return {"nodes": dict(sorted(kept.items())), "relationships": dict(sorted(relationships.items()))}


def count_pairs(run: Run) -> Counts:
    """Count the nodes of each label and the ties of each pair of labels with ``run`` (`graph.neighbourhood.count_ties`)."""
    from graph.neighbourhood import count_ties

    counted = count_ties(run)
    return dict(counted.nodes), dict(counted.ties)


def _cached_counts(path: Path, run: Run | None = None) -> Counts | None:
    from graph import nxcache

    if run is None:
        return nxcache.load(path, "ties", code=_CODE)
    return nxcache.cached(path, "ties", lambda: count_pairs(run), code=_CODE)


def cached_ties(path: Path, run: Run | None = None) -> TieCounts | None:
    """The `TieCounts` of the embedded graph at ``path`` from the cache; if missing, counted with ``run``
    and cached (``None`` when there is no ``run`` to count them with)."""
    counts = _cached_counts(path, run)
    if counts is None:
        return None
    from graph.neighbourhood import TieCounts

    return TieCounts(*counts)


def is_counted(path: Path) -> bool:
    """Whether the counts of the graph at ``path``, in its present state, are cached."""
    from graph import nxcache

    cached = nxcache.cache_path(path, "ties", code=_CODE)
    return cached is not None and cached.exists()


def file_state(path: Path) -> tuple[int, int, int] | None:
    """The inode, size and modification time of ``path`` (``None`` if it is missing): a rename keeps all three."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def keep_counts(path: Path, counts: Counts, written: tuple[int, int, int] | None) -> None:
    """Cache ``counts``, counted in the file whose state was ``written``, for the graph at ``path`` if it is that file still.

    A write calls it after swapping its copy in (the rename keeps the copy's inode, size and
    time); if another writer has replaced the file since, nothing is cached.
    """
    from graph import nxcache

    if written is not None and file_state(path) == written:
        nxcache.save(path, "ties", counts, code=_CODE)


def count_graph(db: str | Path) -> dict[str, dict[str, int]]:
    """`GraphBackend.counts` of the graph at ``db`` (a path or a Neo4j URI), opened read-only.

    An embedded graph that was counted since its last change answers from the cache, without
    opening the engine; recovering a graph a dead writer left unfinished comes first, as on any
    opening (`graph.dbfiles.prepare_read`).
    """
    from graph.backend import is_neo4j_url, open_graph

    if not is_neo4j_url(str(db)):
        from graph.dbfiles import prepare_read
        from graph.journal import JOURNAL_LABEL

        recovered = prepare_read(Path(db))
        if recovered:
            print(recovered, file=sys.stderr, flush=True)
        counts = _cached_counts(Path(db))
        if counts is not None:
            return totals(*counts, skip=JOURNAL_LABEL)
    with open_graph(db, read_only=True) as graph:
        return graph.counts()
