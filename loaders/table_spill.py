"""The records of a table on their way to the graph, kept in temporary files, partitioned by key.

A table of any size is loaded in bounded memory: the first pass over its rows appends each
actor and relationship it makes to one of ``partitions`` files, chosen by a hash of its key, so
that every record of one actor (or one relationship) lands in the same file, in file order. A
partition is then small enough to merge in memory and to write (`loaders.table_load`).
About `PARTITION_BYTES` of the table go to each partition.

Example
-------
>>> with Spill(partitions=2) as spill:
...     spill.add("nodes", ("Company", "552032534"), ("Company", "552032534", {"name": "Danone"}, 2))
...     spill.finish()
...     [r for p in range(2) for r in spill.records("nodes", p)]
[('Company', '552032534', {'name': 'Danone'}, 2)]
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Self

__all__ = ["PARTITION_BYTES", "PARTITION_ROWS", "Spill", "partitions_for"]

PARTITION_BYTES = 24 << 20
PARTITION_ROWS = 100_000  # a narrow table holds many rows in few bytes: memory follows rows
_MAX_PARTITIONS = 128
_FLUSH = 2000
_EXPANSION = {".gz": 6, ".xlsx": 4, ".xlsm": 4}  # bytes of table per byte of file, roughly


def partitions_for(path: Path, lines: int = 0) -> int:
    """How many partitions a table in ``path`` of about ``lines`` lines needs to keep each one
    near `PARTITION_BYTES` and `PARTITION_ROWS`.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a;b\\n")
    >>> partitions_for(p), partitions_for(p, lines=1_000_000)
    (1, 10)
    """
    size = path.stat().st_size * _EXPANSION.get(path.suffix.lower(), 1)
    return max(1, min(_MAX_PARTITIONS, max(-(-size // PARTITION_BYTES), -(-lines // PARTITION_ROWS))))


class Spill:
    """Partitioned temporary files of records; `add`, `finish`, then read each partition back."""

    def __init__(self, partitions: int) -> None:
        self.partitions = partitions
        self._dir = tempfile.TemporaryDirectory(prefix="tdi-table-")
        self._buffers: dict[tuple[str, int], list[Any]] = {}
        self._files: dict[tuple[str, int], IO[bytes]] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._files.values():
            handle.close()
        self._dir.cleanup()

    def _path(self, kind: str, partition: int) -> Path:
        return Path(self._dir.name) / f"{kind}-{partition}.pickle"

    def add(self, kind: str, key: tuple[Any, ...], record: Any) -> None:
        """Append ``record`` to the partition of ``key`` among the ``kind`` files (nodes, edges)."""
        slot = (kind, hash(key) % self.partitions)
        buffer = self._buffers.get(slot)
        if buffer is None:
            buffer = self._buffers[slot] = []
        buffer.append(record)
        if len(buffer) >= _FLUSH:
            self._flush(slot)

    def _flush(self, slot: tuple[str, int]) -> None:
        if slot not in self._files:
            self._files[slot] = open(self._path(*slot), "ab")  # noqa: SIM115 -- closed by finish() or on exit
        pickle.dump(self._buffers.pop(slot), self._files[slot], protocol=pickle.HIGHEST_PROTOCOL)

    def finish(self) -> None:
        """Write what is still buffered and close the files: the partitions can be read."""
        for slot in list(self._buffers):
            self._flush(slot)
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def records(self, kind: str, partition: int) -> Iterator[Any]:
        """The records of one partition, in the order they were added."""
        path = self._path(kind, partition)
        if not path.exists():
            return
        with open(path, "rb") as handle:
            while True:
                try:
                    yield from pickle.load(handle)
                except EOFError:
                    return

    def replace(self, kind: str, partition: int, records: list[Any]) -> None:
        """Put ``records`` (a merged partition) in place of the partition's records."""
        with open(self._path(kind, partition), "wb") as handle:
            pickle.dump(records, handle, protocol=pickle.HIGHEST_PROTOCOL)
