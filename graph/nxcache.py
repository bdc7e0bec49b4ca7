"""The disk caches of a graph: each derived from the graph's file, kept while that file is unchanged.

One rule for every cache of the project: it lives in one directory, ``TDI_CACHE_DIR`` (default
``$XDG_CACHE_HOME/tdi``, else ``~/.cache/tdi``), never beside the graph, and its file is named
``<what>-<digest>.pickle``, the digest being that of the graph's path and state (inode, size and
modification time of the file and of its write-ahead log), of what is cached and of the code that
builds it. Any write to the graph changes the digest, so the next command rebuilds. The newest
`KEEP` files of each kind are kept. A cache that cannot be read or written is ignored: the value
is then built as before. The caches are:

- ``names-…``: the index of names that ``tdi find`` searches (`graph.name_cache`);
- ``projection-…``: the slim graph every analysis runs on (`graph.projection`);
- ``network-…``: the actor network of one set of analysis filters (``tdi analyze``);
- ``networkx-…``: the full NetworkX export (``to_networkx()`` of a graph opened read-only);
- ``columns-…``: the columns of each table, which local views read (a graph made by an older
  schema may lack some);
- ``map-betweenness-…``: each territory's betweenness in the map's actor network (``tdi viz map``);
- ``ties-…``: nodes per label and ties per type and pair of labels, with which a local view
  chooses the cheaper end of each tie query (`graph.neighbourhood.count_ties`); a write to a
  graph whose counts are cached caches those of its result (`graph.counting.keep_counts`);
- ``read-…``: a list file as read and checked by a loader, keyed by the file rather than a graph
  (``loaders.session.cached_read``).

Example
-------
>>> G = cached(db_path, "projection", build)                   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.collector import collector_paused

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KEEP", "cache_dir", "cache_path", "cached", "cached_export", "load", "save"]

KEEP = 4  # files kept on disk of each kind, the most recently used first
_FORMAT = "2"  # bump when a cached value's shape changes


def cache_dir() -> Path:
    """Where caches are kept: ``TDI_CACHE_DIR``, else ``$XDG_CACHE_HOME/tdi`` or ``~/.cache/tdi``."""
    if os.environ.get("TDI_CACHE_DIR"):
        return Path(os.environ["TDI_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tdi"


def _digest(db: Path, parts: Sequence[Any], code: Sequence[Path]) -> str | None:
    """A digest of the graph's files (the file and its write-ahead log), of ``parts`` and of the ``code`` files."""
    files = []
    for path in (db, db.with_name(db.name + ".wal"), *code):
        try:
            info = path.stat()
        except OSError:
            if path == db:
                return None
            continue
        files.append((str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns))
    state = [_FORMAT, files, list(parts)]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def cache_path(db: str | Path, what: str, *, parts: Sequence[Any] = (), code: Sequence[Path] = ()) -> Path | None:
    """The file that holds ``what`` for the graph at ``db`` in its present state (``None``: no such graph)."""
    digest = _digest(Path(db), parts, code)
    return None if digest is None else cache_dir() / f"{what}-{digest}.pickle"


def load(db: str | Path, what: str, *, parts: Sequence[Any] = (), code: Sequence[Path] = ()) -> Any:
    """The value cached as ``what`` for ``db`` in its present state, or ``None``."""
    path = cache_path(db, what, parts=parts, code=code)
    if path is None:
        return None
    try:
        with path.open("rb") as stream, collector_paused():  # reading many small objects is twice as fast without it
            value = pickle.load(stream)
        os.utime(path)
        return value
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return None


def save(db: str | Path, what: str, value: Any, *, parts: Sequence[Any] = (), code: Sequence[Path] = ()) -> None:
    """Cache ``value`` as ``what`` for ``db`` in its present state; a cache that cannot be written only costs speed."""
    path = cache_path(db, what, parts=parts, code=code)
    if path is None:
        return
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
        _prune(path.parent, what)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def cached(db: str | Path, what: str, build: Callable[[], Any], *, parts: Sequence[Any] = (), code: Sequence[Path] = ()) -> Any:
    """``what`` for ``db`` from the cache if the graph is unchanged, else ``build()``, saved for next time."""
    value = load(db, what, parts=parts, code=code)
    if value is None:
        value = build()
        save(db, what, value, parts=parts, code=code)
    return value


def cached_export(db: Path, labels: Sequence[str], rel_types: Sequence[str], build: Callable[[], nx.MultiDiGraph]) -> Any:
    """The NetworkX export of ``db`` (those labels and types) from the cache if its file is unchanged, else ``build()``."""
    return cached(db, "networkx", build, parts=(sorted(labels), sorted(rel_types)))


def _prune(folder: Path, what: str) -> None:
    """Keep the `KEEP` most recently used files of ``what``."""
    files = []
    for path in folder.glob(f"{what}-*.pickle"):
        try:
            files.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, old in sorted(files, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
