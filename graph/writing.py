"""Writing a file the user named (a page, a report, an export, a picture): one message when it cannot be.

Example
-------
>>> with writing("/no/such/folder/page.html") as path:
...     _ = path.write_text("<html></html>")
Traceback (most recent call last):
graph.errors.TdiError: Cannot write "/no/such/folder/page.html": No such file or directory. Check that its folder exists and is writable.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.errors import TdiError

__all__ = ["cannot_write", "check_folder", "writing"]


def cannot_write(path: str | Path, exc: OSError) -> TdiError:
    """The error to raise when ``path`` could not be written (``exc`` says why).

    >>> str(cannot_write("out/r.md", PermissionError(errno.EACCES, "Permission denied")))
    'Cannot write "out/r.md": Permission denied. Check that its folder exists and is writable.'
    """
    return TdiError(f'Cannot write "{path}": {exc.strerror or exc}. Check that its folder exists and is writable.')


@contextmanager
def writing(path: str | Path) -> Iterator[Path]:
    """Give ``path`` to the block that writes it; an `OSError` of that block becomes `cannot_write`'s error."""
    try:
        yield Path(path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def check_folder(path: str | Path) -> None:
    """Raise `cannot_write`'s error now if the folder ``path`` would be written in does not exist.

    Commands check it before their work, so that a long analysis does not end on a typo.

    >>> check_folder("/no/such/folder/page.html")
    Traceback (most recent call last):
    graph.errors.TdiError: Cannot write "/no/such/folder/page.html": No such file or directory. Check that its folder exists and is writable.
    """
    folder = Path(path).parent
    if not folder.is_dir():
        code = errno.ENOTDIR if folder.exists() else errno.ENOENT
        raise cannot_write(path, OSError(code, os.strerror(code)))
