"""The files of an embedded graph: one writer at a time, each write made on a copy swapped in whole.

A write never touches the graph file. It takes the writer lock (``PATH.lock``), copies the graph
to ``PATH.writing``, lets the engine write and close (checkpoint) there, then renames the copy
over ``PATH`` in one atomic step. The engine's own files (``.wal``, ``.shadow``, checkpoint
locks) only ever appear beside the copy. Readers keep reading the file they opened. A process
killed at any moment leaves the old file or, once the copy is marked ready
(``PATH.writing.ready``), the new one: the next open finishes or discards the write and says so.

A graph left with engine logs beside it (by a write made outside this protection) is repaired
on a copy by a child process, because the engine can crash while it recovers; the graph is
replaced only if that succeeds.

Example
-------
>>> session = WriteSession(tmp_path / "g")        # doctest: +SKIP
>>> db = ladybug.Database(str(session.copy))      # doctest: +SKIP
>>> db.close(); session.finish()                  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

if sys.platform == "win32":  # no POSIX locks: msvcrt locks the lock file, the engine's own lock is not probed
    import msvcrt

    fcntl = None
else:
    import fcntl

from graph.errors import ConnectionFailed, DatabaseLocked, InvalidGraph, WriteFailed

__all__ = [
    "ENGINE_SUFFIXES", "WriteSession", "backup_graph", "disk_full", "engine_files", "prepare_read", "probe_graph", "recover",
    "restore_graph",
]  # fmt: skip

ENGINE_SUFFIXES = (".wal", ".wal.checkpoint", ".shadow", ".checkpoint.intent.lock", ".checkpoint.apply.lock")
_FICLONE = 0x40049409  # Linux ioctl: share the blocks of a file (btrfs, xfs); copies otherwise
_PROBE = (
    "import json, sys, ladybug\n"
    "db = ladybug.Database(sys.argv[1], read_only=sys.argv[2] == 'r')\n"
    "rows = ladybug.Connection(db).execute('CALL show_tables() RETURN *').get_all()\n"
    "print(json.dumps([r[1] for r in rows if r[2] == 'NODE']))\n"
    "db.close()\n"
)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def engine_files(path: Path) -> list[Path]:
    """The engine's logs and locks beside ``path`` (none when the graph was closed cleanly)."""
    return [p for p in (_sibling(path, s) for s in ENGINE_SUFFIXES) if p.exists()]


def _copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and sync it: block sharing where the filesystem allows it."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            if fcntl is None:
                raise OSError("no block sharing")
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
        except OSError:
            import shutil  # here, not at the top: `tdi stats` reads this module and copies nothing
            shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def _sync_dir(path: Path) -> None:
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(paths: list[Path]) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _take_lock(path: Path) -> int | None:
    """The writer lock's descriptor, or None when another process holds it."""
    try:
        fd = os.open(_sibling(path, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ConnectionFailed(f'Cannot open the graph at "{path}": {exc.strerror}.') from exc
    try:
        if fcntl is None:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _engine_holds(path: Path) -> bool:
    """Whether another process has ``path`` open for writing with the engine itself (it locks the file)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:  # no graph yet, or one this process may only read
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _swap_in(copy: Path, path: Path) -> None:
    """Mark ``copy`` ready, rename it over ``path``, drop ``path``'s stale engine files, unmark."""
    ready = _sibling(path, ".writing.ready")
    os.close(os.open(ready, os.O_WRONLY | os.O_CREAT, 0o644))
    _sync_dir(path)
    os.replace(copy, path)
    _remove(engine_files(path))
    _sync_dir(path)
    ready.unlink()


def recover(path: Path, *, repair: bool = True) -> str | None:
    """Finish or discard an interrupted write at ``path`` (the caller holds the lock); say what was done.

    With ``repair``, engine logs beside ``path`` are replayed (`_repair`); a restore, which replaces
    the graph anyway, passes False.
    """
    copy, ready = _sibling(path, ".writing"), _sibling(path, ".writing.ready")
    if ready.exists():
        if copy.exists():
            os.replace(copy, path)
        _remove(engine_files(path))
        _sync_dir(path)
        ready.unlink()
        return f'Recovered the graph at "{path}": an interrupted write had finished, its new content was kept.'
    stray = [*engine_files(copy), copy]
    if any(p.exists() for p in stray):
        _remove(stray)
        return f'Recovered the graph at "{path}": a write was interrupted, the previous graph was kept.'
    if repair and engine_files(path):
        return _repair(path)
    return None


def probe_graph(path: Path, *, read_only: bool = True) -> list[str]:
    """Open ``path`` in a child process (a damaged file can crash the engine) and return its node tables.

    Raises `ConnectionFailed` saying why when the engine cannot open it.
    """
    import subprocess

    done = subprocess.run([sys.executable, "-c", _PROBE, str(path), "r" if read_only else "w"], capture_output=True, text=True, check=False)
    if done.returncode == 0:
        import json

        return json.loads(done.stdout)
    if done.returncode < 0:
        raise ConnectionFailed(f"the engine crashed opening it (signal {-done.returncode})")
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    raise ConnectionFailed(lines[-1] if lines else f"the engine exited with {done.returncode}")


def _repair(path: Path) -> str:
    """Replay the engine logs beside ``path`` on a copy, and swap it in if the engine survives it."""
    copy = _sibling(path, ".writing")
    try:
        _copy_file(path, copy)
        for log in engine_files(path):
            _copy_file(log, _sibling(copy, log.name.removeprefix(path.name)))
        probe_graph(copy, read_only=False)
        if engine_files(copy):
            raise ConnectionFailed("the engine left its recovery unfinished")
    except (ConnectionFailed, OSError) as exc:
        _remove([*engine_files(copy), copy])
        raise ConnectionFailed(
            f'The graph at "{path}" was left damaged by an interrupted write and cannot be recovered ({exc}). '
            f'Its files were left as they were; put a backup in place with "tdi restore BACKUP".'
        ) from exc
    _swap_in(copy, path)
    return f'Recovered the graph at "{path}": the writes its log held were replayed after an interrupted write.'


def prepare_read(path: Path) -> str | None:
    """Before reading ``path``: recover it if a dead writer left it unfinished; say what was done."""
    copy = _sibling(path, ".writing")
    if not (copy.exists() or _sibling(path, ".writing.ready").exists() or engine_files(path) or engine_files(copy)):
        return None
    fd = _take_lock(path)
    if fd is None:
        if engine_files(path):
            raise DatabaseLocked(f'The graph at "{path}" is being written in place (a batched load) or recovered by another process. Try again in a moment.')
        return None  # a live writer works on its copy; the graph file itself is whole
    try:
        if _engine_holds(path):
            return None  # a live process writes the file with the engine directly: its logs are not stale
        return recover(path)
    finally:
        os.close(fd)


class WriteSession:
    """The writer lock and a working copy of the graph at ``path`` (of ``source`` if given).

    `finish` swaps the copy in (if one was made); `abandon` drops it. Either releases the lock.
    With ``deferred``, the copy is only made by `start`, when the first write comes: a session
    that only reads (a reload that finds nothing to change) copies and swaps nothing.
    ``in_place``: no copy, the engine writes ``path`` itself (a batched load, which undoes itself:
    `graph.batched_loads`); then both only release the lock.
    """

    def __init__(self, path: Path, *, source: Path | None = None, deferred: bool = False, in_place: bool = False) -> None:
        self.path, self.in_place, self.started = path, in_place, False
        self.copy = path if in_place else _sibling(path, ".writing")
        fd = _take_lock(path)
        if fd is not None and _engine_holds(path):
            os.close(fd)
            fd = None
        if fd is None:
            raise DatabaseLocked(f'The graph at "{path}" is open for writing in another process. Close it and try again.')
        self._lock: int | None = fd
        try:
            self.recovered = recover(path, repair=source is None)
        except BaseException:
            self.abandon()
            raise
        if not deferred:
            self.start(source or path)

    def start(self, source: Path | None = None) -> None:
        """Make the working copy (of ``source``, by default the graph), once; the lock is already held."""
        if self.started or self.in_place:
            return
        source = source or self.path
        try:
            if source.exists():
                _copy_file(source, self.copy)
        except OSError as exc:
            self.abandon()
            raise _write_failed(self.path, exc) from exc
        except BaseException:
            self.abandon()
            raise
        self.started = True

    def finish(self) -> None:
        """Swap the closed copy in, atomically; raise `WriteFailed` (keeping the old graph) if it cannot be.

        A session that never started its copy, or wrote in place, leaves the graph file as it is.
        """
        if not self.started:
            self._release()
            return
        try:
            if engine_files(self.copy):
                raise WriteFailed(f'The engine could not finish writing the graph at "{self.path}"; the previous graph was kept.')
            with open(self.copy, "rb+") as handle:
                os.fsync(handle.fileno())
            _swap_in(self.copy, self.path)
        except OSError as exc:
            self.abandon()
            raise _write_failed(self.path, exc) from exc
        except BaseException:
            self.abandon()
            raise
        self._release()

    def abandon(self) -> None:
        """Drop the copy and its engine files; the graph stays as it was."""
        if not self.in_place:
            _remove([*engine_files(self.copy), self.copy])
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def disk_full(path: Path) -> WriteFailed:
    """The error of a write that ran out of disk space."""
    return WriteFailed(f'The disk is full: nothing was written, and the graph at "{path}" was kept as it was. Free some space and try again.')


def _write_failed(path: Path, exc: OSError) -> WriteFailed:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path)
    return WriteFailed(f'Cannot write the graph at "{path}" ({exc.strerror or exc}): nothing was written, the previous graph was kept.')


def backup_graph(path: Path, dest: Path) -> None:
    """Copy the graph at ``path`` to ``dest``, consistently: the file is only ever replaced whole, never changed in place.

    Raises `ConnectionFailed` when there is no graph, `WriteFailed` when ``dest`` cannot be written.
    """
    if not path.is_file():
        raise ConnectionFailed(f'No graph at "{path}". Run "tdi demo" or a "tdi load" command first, or give --db.')
    prepare_read(path)
    partial = _sibling(dest, ".partial")
    try:
        # The open source descriptor keeps its file even if a write swaps a new one in meanwhile.
        with open(path, "rb") as src, open(partial, "wb") as dst:
            import shutil
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        _remove([partial])
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise WriteFailed(f'The disk is full: no backup was written to "{dest}"; the graph is unchanged.') from exc
        raise WriteFailed(f'Cannot write the backup "{dest}": {exc.strerror or exc}.') from exc


def restore_graph(src: Path, path: Path) -> None:
    """Put the backup ``src`` in place of the graph at ``path``, atomically.

    Raises `InvalidGraph` when ``src`` is not a graph the engine opens cleanly with tdi's tables.
    """
    from graph.schema import schema

    if not src.is_file():
        raise InvalidGraph(f'No backup at "{src}": give a file made with "tdi backup".')
    if path.exists() and src.resolve() == path.resolve():
        raise InvalidGraph(f'"{src}" is the graph itself: give a backup made with "tdi backup".')
    if engine_files(src):
        raise InvalidGraph(f'"{src}" has unfinished engine logs beside it (is it open?): restore a backup made with "tdi backup".')
    try:
        tables = probe_graph(src)
    except ConnectionFailed as exc:
        raise InvalidGraph(f'"{src}" is not a graph the engine can open ({exc}); nothing was restored.') from exc
    if not set(tables) & set(schema().kinds):
        raise InvalidGraph(f'"{src}" is a database without any of tdi\'s tables; nothing was restored.')
    session = WriteSession(path, source=src)
    session.finish()
