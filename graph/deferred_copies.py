"""New rows of a large load kept in temporary Parquet files, then copied into the graph with one `COPY` per table.

On the embedded engine every commit that inserted rows checkpoints the pages it touched, such as
the adjacency of every commune that new companies are located in, which holds all the
relationships so far: inserting a large load part by part therefore costs more with each part.
Kept aside while the load compares its parts with the graph, the new rows of each table (or of
each relationship type and pair of node tables) are inserted at the end with one `COPY … FROM`
the file, which the engine reads in batches: each table is then rewritten once. Python holds one
batch at a time.

Example
-------
>>> with DeferredCopies() as pending:                                        # doctest: +SKIP
...     pending.add(("Company", "", ""), arrow_table)                         # as many times as needed
...     for statement, params in pending.statements():                      # nodes first, then relationships
...         conn.execute(statement, params)
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from graph.errors import WriteFailed

__all__ = ["CopiesAtEnd", "DeferredCopies", "copy_statement"]

Target = tuple[str, str, str]
"""A table to copy into: (node table, "", "") or (relationship table, from table, to table)."""

_PLAIN_PATH = re.compile(r"[\w./ -]+")  # a path written into a statement as it is (no quote, no backslash)


def copy_statement(target: Target, source: str) -> str:
    """The `COPY` of ``source`` (a quoted path or ``$rows``) into ``target``.

    >>> copy_statement(("LOCATED_IN", "Company", "Commune"), "$rows")
    "COPY LOCATED_IN FROM $rows (from='Company', to='Commune')"
    """
    options = f" (from='{target[1]}', to='{target[2]}')" if target[1] else ""
    return f"COPY {target[0]} FROM {source}{options}"


class DeferredCopies:
    """One Parquet file per target table, written batch by batch; `statements` closes them and says how to copy each."""

    def __init__(self) -> None:
        import tempfile  # here: read commands import this module (a base of the backend) but copy nothing

        folder = tempfile.mkdtemp(prefix="tdi-copy-")
        self._dir = Path(folder)
        self._writers: dict[Target, tuple[Any, Path]] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, target: Target, table: Any) -> None:
        """Append an Arrow ``table`` (columns in the engine's order, ``from`` and ``to`` first for a relationship) to ``target``'s file."""
        import pyarrow.parquet as pq

        try:
            if target not in self._writers:
                path = self._dir / f"{len(self._writers)}-{target[0]}.parquet"
                self._writers[target] = (pq.ParquetWriter(str(path), table.schema), path)
            self._writers[target][0].write_table(table)
        except OSError as exc:
            raise self._failed(exc) from exc

    def statements(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each target's `COPY` statement and parameters, node tables first; each file is closed first.

        A temporary folder whose path cannot be written into a statement as it is (a quote in
        ``TMPDIR``) is read back into memory and copied as an Arrow table instead.
        """
        import pyarrow.parquet as pq

        for target in sorted(self._writers, key=lambda t: bool(t[1])):  # stable: in order of first use otherwise
            writer, file = self._writers.pop(target)
            try:
                writer.close()
            except OSError as exc:
                raise self._failed(exc) from exc
            path = str(file)
            if _PLAIN_PATH.fullmatch(path):
                yield copy_statement(target, f"'{path}'"), {}
            else:
                yield copy_statement(target, "$rows"), {"rows": pq.read_table(path)}
            Path(path).unlink()

    def _failed(self, exc: OSError) -> WriteFailed:
        return WriteFailed(
            f'Cannot write the new rows to the temporary folder "{self._dir}" ({exc.strerror or exc}): none of the load was kept, '
            "the previous graph is unchanged. Free some space there, or set TMPDIR to a folder with more."
        )

    def close(self) -> None:
        """Drop the files, copied or not."""
        for writer, _ in self._writers.values():
            with contextlib.suppress(OSError):  # a file that could not be written is dropped all the same
                writer.close()
        self._writers.clear()
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)


class CopiesAtEnd:
    """For a backend that inserts new rows with ``COPY … FROM`` an Arrow table: `copies_at_end` defers those copies."""

    _pending: DeferredCopies | None = None
    _scans: dict[str, Any] | None = None  # inside `copies_at_end`: whole-table scans read in the block
    _asked: Mapping[Target, int] = {}  # inside `copies_at_end`: keys the whole block asks of each table

    def _scans_kept(self, scan: str = "") -> bool:
        return self._scans is not None and (not scan or scan in self._scans)

    def _keys_asked(self, target: Target) -> int:
        return self._asked.get(target, 0) if self._scans is not None else 0

    def _scan_once(self, cypher: str, read: Callable[[], Any]) -> Any:
        """``read()``, the result of the whole-table scan ``cypher``; inside `copies_at_end`, read once per block.

        >>> graph._scan_once("MATCH (n:Company) RETURN n.key AS key", read_keys)     # doctest: +SKIP
        """
        if self._scans is None:
            return read()
        if cypher not in self._scans:
            self._scans[cypher] = read()
        return self._scans[cypher]

    def _copy_rows(self, target: Target, table: Any) -> None:
        """Insert the Arrow ``table`` into ``target`` now, or at the end of `copies_at_end`."""
        if self._pending is not None:
            self._pending.add(target, table)
            return
        self._write(copy_statement(target, "$rows"), {"rows": table})  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def copies_at_end(self, asked: Mapping[Target, int] | None = None) -> Iterator[None]:
        """Inside the block, new rows wait in temporary files; at its end each table gets one `COPY`.

        What is inserted inside the block is not in the graph until it ends: each row must be new
        to the graph *and* to the block (a load whose parts hold distinct keys). Nothing is copied
        if the block raises. Batched loads (`graph.batched_loads`) copy at once, as always.

        A scan of a whole table (its keys, or a relationship type's ends and properties: see
        `graph.store.SCAN_MIN`) is read once in the block, and each part takes its rows from it: rows
        the block changes must not be read back in it (a load's parts hold distinct keys), and what
        it inserts is not in the table until the block ends. ``asked`` says how many keys the block
        asks of each table in all its parts: a scan is then read if it beats looking all of them up,
        even where it would not beat looking up one part's (a million-row reload in parts of 91,000
        rows looked every row up by key, 11 statements of 100,000 keys at a second each, per table).
        """
        if self._pending is not None or getattr(self, "_batched", False):
            yield
            return
        with DeferredCopies() as pending:
            self._pending, self._scans, self._asked = pending, {}, dict(asked or {})
            try:
                yield
            finally:
                self._pending, self._scans, self._asked = None, None, {}
            for statement, params in pending.statements():
                self._write(statement, params)  # type: ignore[attr-defined]
