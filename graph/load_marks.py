"""Remember the last load an embedded graph received, so that reloading the same input can be skipped.

A load that writes the same rows again changes nothing (upserts merge: the result of a load is
left as it is by the same load). An embedded graph's file is only ever replaced whole by a
write (`graph.dbfiles`), so its identity (inode, size, modification and change times) changes
with every write. After a load is swapped in, ``loads-<digest>.json`` in the cache directory
(``TDI_CACHE_DIR``, see `graph.nxcache`) records that identity, the load's
fingerprint (a digest of everything its result depends on: the files' sha256, the options, the
code) and its report. While the graph file keeps that identity, nothing was written since, and
the same load again would change nothing: its recorded report is the answer. A graph on Neo4j,
a file with engine logs beside it, or a sidecar that cannot be read are never trusted.

Example
-------
>>> mark = fingerprint("programmes", ["sha256-of-pvd"], code_digest())  # doctest: +SKIP
>>> recorded_load(Path("tdi-graph"), mark) is None                      # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["code_digest", "fingerprint", "graph_identity", "record_load", "recorded_load"]

_FORMAT = 1
_PACKAGES = ("graph", "loaders")  # what a load's result depends on, besides its input


def _sidecar(path: Path) -> Path:
    """The record of ``path``'s last load, in the cache directory as every cache is (`graph.nxcache`)."""
    from graph.nxcache import cache_dir

    digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"loads-{digest}.json"


def graph_identity(path: Path) -> list[int] | None:
    """What changes whenever the graph file at ``path`` is written; None if it is missing or has engine logs.

    >>> graph_identity(Path("/nonexistent/graph")) is None
    True
    """
    from graph.dbfiles import engine_files

    try:
        info = path.stat()
    except OSError:
        return None
    if engine_files(path):
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the source of the packages a load runs (a new version may write otherwise)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for package in _PACKAGES:
        for module in sorted((root / package).rglob("*")):
            if module.is_file() and module.suffix in (".py", ".json", ".yaml", ".gz", ".csv"):
                digest.update(str(module.relative_to(root)).encode())
                digest.update(module.read_bytes())
    return digest.hexdigest()


def fingerprint(*parts: Any) -> str:
    """A digest of a load's inputs (any JSON-serialisable values).

    >>> fingerprint("table", "a.csv", "f00d") == fingerprint("table", "a.csv", "f00d")
    True
    """
    return hashlib.sha256(json.dumps([_FORMAT, *parts], sort_keys=True, default=str).encode()).hexdigest()


def recorded_load(path: Path, mark: str) -> dict[str, Any] | None:
    """The report of load ``mark`` if it was the last write to the graph at ``path``, else None."""
    identity = graph_identity(path)
    if identity is None:
        return None
    try:
        saved = json.loads(_sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("graph") != identity or saved.get("mark") != mark:
        return None
    report = saved.get("report")
    return report if isinstance(report, dict) else None


def record_load(path: Path, mark: str, report: dict[str, Any]) -> None:
    """Record, just after load ``mark`` was swapped in at ``path``, that the graph holds its result.

    A place where the record cannot be written only costs the next reload its speed.
    """
    identity = graph_identity(path)
    target = _sidecar(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        if identity is None:
            target.unlink(missing_ok=True)
            return
        temporary.write_text(json.dumps({"graph": identity, "mark": mark, "report": report}), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
