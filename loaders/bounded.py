"""Loading within limits: the longest line and cell of a table, how much may be decompressed, the engine's memory.

Each limit has a default and an environment variable that changes it (read on every use):

================================  ==================  =============================
limit                             default             variable
================================  ==================  =============================
a line of a CSV file              1 MiB (1,048,576)   ``TDI_MAX_LINE_BYTES``
a cell of a table                 131,072 chars       ``TDI_MAX_CELL_CHARS``
data decompressed from one file   256 MiB             ``TDI_MAX_DECOMPRESSED_MB``
engine page memory, table loads   512 MiB at first    ``TDI_LOAD_BUFFER_POOL_MB``
================================  ==================  =============================

The decompression limit covers a ``.gz`` file, the members of a tarball and the members of an
XLSX workbook (a zip archive). `open_decompressed` opens a file, gunzipping a ``.gz`` one as it
is read; past the limit, or on damaged compressed data, it raises `LoaderError` naming the file.

Example
-------
>>> import gzip, pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "list.csv.gz"
>>> _ = p.write_bytes(gzip.compress(b"a;b\\n1;2\\n"))
>>> with open_decompressed(p) as handle:
...     handle.read()
b'a;b\\n1;2\\n'
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from pathlib import Path
from typing import BinaryIO

from graph.errors import LoaderError

__all__ = ["DECOMPRESSION_ERRORS", "load_buffer_pool_mb", "max_cell_chars", "max_decompressed_bytes", "max_line_bytes", "open_decompressed", "too_big"]

MIB = 1 << 20
_DEFAULTS = {"TDI_MAX_LINE_BYTES": 1 << 20, "TDI_MAX_CELL_CHARS": 131_072, "TDI_MAX_DECOMPRESSED_MB": 256, "TDI_LOAD_BUFFER_POOL_MB": 512}
# What a damaged gzip stream raises, depending on where the damage is.
DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error)


def _limit(variable: str) -> int:
    value = os.environ.get(variable, "")
    try:
        return int(value) if value.strip() else _DEFAULTS[variable]
    except ValueError:
        raise LoaderError(f'{variable} is "{value}"; expected a whole number.') from None


def max_line_bytes() -> int:
    """The longest line of a CSV file, in bytes (``TDI_MAX_LINE_BYTES``)."""
    return _limit("TDI_MAX_LINE_BYTES")


def max_cell_chars() -> int:
    """The longest cell of a table, in characters (``TDI_MAX_CELL_CHARS``)."""
    return _limit("TDI_MAX_CELL_CHARS")


def max_decompressed_bytes() -> int:
    """How many bytes may be decompressed from one file (``TDI_MAX_DECOMPRESSED_MB`` MiB).

    >>> max_decompressed_bytes() // MIB
    256
    """
    return _limit("TDI_MAX_DECOMPRESSED_MB") * MIB


def load_buffer_pool_mb() -> int:
    """The embedded engine's first page memory, in MiB, while a table loads in parts (``TDI_LOAD_BUFFER_POOL_MB``; 0: the engine's default).

    The engine keeps every page it touched up to this pool, and when a commit checkpoints it
    needs whole the adjacency of each node group that gained relationships (a million companies
    located in 2,000 communes need more than 256 MiB). A load that finds the pool full is
    written again with a larger one (`loaders.page_memory`), up to the engine's default.

    >>> load_buffer_pool_mb()
    512
    """
    pool_mb = _limit("TDI_LOAD_BUFFER_POOL_MB")
    if pool_mb < 0:
        raise LoaderError(f'TDI_LOAD_BUFFER_POOL_MB is "{pool_mb}"; expected a whole number of MiB (0: the engine\'s default).')
    return pool_mb


def too_big(name: str | Path, limit: int) -> LoaderError:
    """The error for a file that decompresses to more than ``limit`` bytes."""
    return LoaderError(
        f"{name}: more than {limit / MIB:g} MiB once decompressed, the limit; "
        "set TDI_MAX_DECOMPRESSED_MB to raise it if the file is genuine."
    )


class _Capped(io.RawIOBase):
    """A gzip stream that stops with `LoaderError` past ``limit`` bytes or on damaged data."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__()
        self.path, self.limit, self.total = path, limit, 0
        self._gzip = gzip.open(path, "rb")  # noqa: SIM115 -- closed by close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            count = self._gzip.readinto(buffer)
        except DECOMPRESSION_ERRORS as exc:
            raise LoaderError(f"{self.path}: not a readable gzip file ({exc}).") from None
        self.total += count
        if self.total > self.limit:
            raise too_big(self.path, self.limit)
        return count

    def close(self) -> None:
        self._gzip.close()
        super().close()


def open_decompressed(path: str | Path) -> BinaryIO:
    """Open a file for reading bytes; a ``.gz`` file is decompressed, within `max_decompressed_bytes`."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".gz":
            return io.BufferedReader(_Capped(path, max_decompressed_bytes()), 1 << 16)  # type: ignore[return-value]
        return open(path, "rb")
    except OSError as exc:
        raise LoaderError(f"{path}: cannot read the file: {exc}") from exc
