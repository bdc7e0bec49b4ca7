"""A disk cache of the NetworkX export of an embedded graph, keyed by the state of its file.

Analyses, paths, views and exports read the whole graph into NetworkX; on the full country graph
that takes several seconds, spent again by every command. The export of a graph opened read-only
is saved once under ``TDI_CACHE_DIR`` (default ``~/.cache/tdi``) and read back by the next command
while the database's files are unchanged: same paths, inodes, sizes and modification times of the
file and its write-ahead log. Only the newest few exports are kept. A cache that cannot be read
or written is ignored: the export is then built as before.

Example
-------
>>> G = cached_export(db_path, ("Region",), (), build)     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KEEP", "cache_dir", "cached_export"]

KEEP = 4  # exports kept on disk, the most recently used first
_FORMAT = "1"  # bump when the export's shape changes


def cache_dir() -> Path:
    """Where exports are kept: ``TDI_CACHE_DIR``, else ``$XDG_CACHE_HOME/tdi`` or ``~/.cache/tdi``."""
    if os.environ.get("TDI_CACHE_DIR"):
        return Path(os.environ["TDI_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tdi"


def _key(db: Path, labels: Sequence[str], rel_types: Sequence[str]) -> str | None:
    """A digest of the database's files (the file and its write-ahead log) and of what is exported."""
    files = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            info = path.stat()
        except OSError:
            if path == db:
                return None
            continue
        files.append((str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns))
    state = [_FORMAT, files, sorted(labels), sorted(rel_types)]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def cached_export(db: Path, labels: Sequence[str], rel_types: Sequence[str], build: Callable[[], nx.MultiDiGraph]) -> Any:
    """The export of ``db`` from the cache if its file is unchanged, else ``build()``, saved for next time."""
    key = _key(db, labels, rel_types)
    if key is None:
        return build()
    folder = cache_dir()
    path = folder / f"networkx-{key}.pickle"
    try:
        with path.open("rb") as stream:
            G = pickle.load(stream)
        os.utime(path)
        return G
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    G = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        with partial.open("wb") as stream:
            pickle.dump(G, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
        _prune(folder)
    except OSError:
        pass
    return G


def _prune(folder: Path) -> None:
    """Keep the `KEEP` most recently used exports."""
    exports = sorted(folder.glob("networkx-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in exports[KEEP:]:
        old.unlink(missing_ok=True)
