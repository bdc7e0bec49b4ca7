"""What every file loader shares: the `Source` node of a file, dry runs, and progress.

A load runs inside one transaction (`write_or_preview`): it is kept, or rolled back when the
load fails or when it is a dry run — then the statistics say what *would* have changed. A large
load may commit in parts on an embedded graph, which stays whole all the same (`commit_part`).
A load records its fingerprint (`remember_load`), so that the same load again into a graph
unchanged since is answered without being redone (`recorded_stats`); a file read and checked
before, with the same content, options and code, is not read again (`cached_read`).
A file's `Source` node records its name, sha256, rows, vintage and first load time; loading the
same bytes again leaves it unchanged, so a second load reports nothing changed.

Example
-------
>>> with write_or_preview(graph, dry_run=True):           # doctest: +SKIP
...     stats = load_something(graph, rows)
>>> stats.created                                          # doctest: +SKIP
Counter({'Commune': 34969})
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from graph.backend import GraphBackend, WriteStats, is_neo4j_url
from graph.errors import Discard
from graph.keys import slugify
from loaders.bounded import open_decompressed

__all__ = [
    "Progress", "cached_read", "commit_part", "copies_at_end", "file_sha256", "file_source", "load_mark", "no_progress", "record_source", "recorded_stats", "remember_load",
    "write_or_preview",
]  # fmt: skip

T = TypeVar("T")
Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a load works; the CLI draws a bar with it."""


def no_progress(stage: str, done: int, total: int) -> None:
    """The default `Progress`: report nothing."""


class _Preview(Discard):
    """Raised at the end of a dry run to roll its transaction back (or, in a batched load, undo its batches quietly)."""


@contextmanager
def write_or_preview(graph: GraphBackend, *, dry_run: bool = False) -> Iterator[None]:
    """One transaction for a whole load: committed, or rolled back if ``dry_run`` or on error."""
    try:
        with graph.transaction():
            yield
            if dry_run:
                raise _Preview
    except _Preview:
        pass


def commit_part(graph: GraphBackend) -> None:
    """Inside `write_or_preview`, on an embedded graph: commit the part written so far, so that the engine
    holds one part of a large load at a time. The load stays whole: the graph file changes only when
    its working copy is swapped in, and a failure after a part drops the copy (`EmbeddedBackend.commit_part`).
    Elsewhere (Neo4j) nothing happens: the load stays one transaction.
    """
    commit = getattr(graph, "commit_part", None)  # only a graph written on a copy can commit in parts atomically
    if commit is not None:
        commit()


def copies_at_end(graph: GraphBackend, asked: Mapping[tuple[str, str, str], int] | None = None) -> AbstractContextManager[None]:
    """Inside `write_or_preview`, on an embedded graph: a block whose new rows are inserted at its end, one
    `COPY` per table (`graph.deferred_copies`), so that a load in parts rewrites each table once rather than
    once per part. Each row created in the block must be new to the block as well. ``asked``: how many
    keys the block's parts ask in all of each table, ``(label, "", "")`` or ``(type, from, to)``, so that
    one scan of a table read for the whole block replaces looking every part up. Elsewhere it does nothing.

    >>> with copies_at_end(graph):                              # doctest: +SKIP
    ...     graph.upsert_nodes("Company", part_one); commit_part(graph)
    ...     graph.upsert_nodes("Company", part_two)             # other keys
    """
    defer = getattr(graph, "copies_at_end", None)
    return defer(asked) if defer is not None else nullcontext()


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's content, in hex; a ``.gz`` file is hashed as its uncompressed content.

    A ``.gz`` file that is damaged or decompresses past `loaders.bounded.max_decompressed_bytes`
    raises `LoaderError`.
    """
    digest = hashlib.sha256()
    with open_decompressed(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached_read(path: str | Path, read: Callable[[], T], *options: Any) -> T:
    """``read()`` of the file at ``path``, or what it gave before for the same content, ``options`` and code.

    Reading and checking the files is most of a reload that finds nothing to change, so each
    file's checked content is kept in the cache directory (`graph.nxcache`), keyed by the file's
    sha256, ``options`` (any values whose ``repr`` is stable) and the loaders' code
    (`graph.load_marks.code_digest`). A ``read`` that raises is not kept: a bad file is checked,
    and reported, every time.

    >>> cached_read("pvd.geojson", lambda: read_anct_list("pvd.geojson", index), "programme", False)  # doctest: +SKIP
    SiteList(path=PosixPath('pvd.geojson'), format='geojson', rows=1645, …)
    """
    from graph.load_marks import code_digest
    from graph.nxcache import cached

    path = Path(path)
    what = "read-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]  # each file keeps its own versions
    return cached(path, what, read, parts=(file_sha256(path), code_digest(), *options))


def file_source(path: str | Path, *, rows: int, name: str | None = None, source_type: str = "dataset", **props: Any) -> dict[str, Any]:
    """The `Source` row of a loaded file: key from its name, sha256, rows, load time.

    A gzip'd copy (``list.csv.gz``) is the same source as the file it compresses (``list.csv``).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "Liste TI phase 2.csv"
    >>> _ = p.write_text("a;b\\n")
    >>> file_source(p, rows=1)["key"]
    'file-liste-ti-phase-2-csv'
    """
    path = Path(path)
    published = path.name.removesuffix(".gz")
    row = {
        "key": f"file-{slugify(published)}",
        "name": name or published,
        "type": source_type,
        "document": published,
        "sha256": file_sha256(path),
        "rows": rows,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return {**row, **{k: v for k, v in props.items() if v is not None}}


def record_source(graph: GraphBackend, row: dict[str, Any]) -> WriteStats:
    """Upsert a `Source` row; the same file (same sha256) loaded again keeps its first ``loaded_at``."""
    found = graph.run("MATCH (s:Source {key: $key}) RETURN s.sha256 AS sha256, s.loaded_at AS loaded_at", {"key": row["key"]})
    if found and found[0]["sha256"] == row.get("sha256") and found[0]["loaded_at"]:
        row = {**row, "loaded_at": found[0]["loaded_at"]}
    return graph.upsert_nodes("Source", [row])


def load_mark(kind: str, files: list[tuple[str, str]], **options: Any) -> str:
    """The fingerprint of a load (`graph.load_marks`): its kind, its files as (name, sha256) in order, its options, the code.

    >>> load_mark("table", [("a.csv", "f00d")], mapping="sirene") == load_mark("table", [("a.csv", "f00d")], mapping="other")
    False
    """
    from graph.load_marks import code_digest, fingerprint

    return fingerprint(kind, files, options, code_digest())


def recorded_stats(db: str | Path, mark: str) -> tuple[WriteStats, dict[str, Any]] | None:
    """If load ``mark`` was the last write to the embedded graph at ``db``: what loading it again reports
    (everything unchanged), with the details its loader recorded. None otherwise, and always on Neo4j."""
    if is_neo4j_url(str(db)):
        return None
    from graph.load_marks import recorded_load

    report = recorded_load(Path(db), mark)
    if report is None or not isinstance(report.get("totals"), dict):
        return None
    stats = WriteStats()
    stats.unchanged.update({str(name): int(n) for name, n in report["totals"].items()})
    return stats, report.get("details") or {}


def remember_load(graph: GraphBackend, mark: str, stats: WriteStats, **details: Any) -> None:
    """Have an embedded ``graph`` record, once this write is swapped in, that it holds load ``mark`` (see `recorded_stats`).

    Call it after the load's last statement: anything run after it voids the record.
    """
    remember = getattr(graph, "remember_load", None)  # only the embedded backend can prove nothing changed since
    if remember is not None:
        totals = stats.created + stats.updated + stats.unchanged
        remember(mark, {"totals": dict(totals), "details": details})
