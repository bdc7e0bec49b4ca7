"""``-o -``: standard output as the file a command writes, as FollowTheMoney's ``-o`` takes it.

A command whose output is one text file (an export, a page, a report, an SVG picture) writes it
to a temporary file and copies that to stdout once it is whole (`stdout_or_file`), so that a
failed command leaves nothing half-written on stdout; messages stay on stderr. An output that
cannot be one stream of text (a PNG picture, a folder, a backup, the demo's page beside its
counts) refuses ``-`` with one error naming the option (`not_stdout`), and so does a second
output on stdout or ``--open`` of a page that has no file (`check_stdout`).

Example
-------
>>> wrote(Path("-")), wrote(Path("ti.json"))
('Wrote to stdout', 'Wrote ti.json')
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from commands.common import in_a_folder
from graph.errors import TdiError

__all__ = ["STDOUT", "check_stdout", "is_stdout", "not_stdout", "stdout_or_file", "wrote"]

STDOUT = "-"


def is_stdout(path: str | Path | None) -> bool:
    """Whether an output option names standard output.

    >>> is_stdout("-"), is_stdout(Path("-")), is_stdout("./-"), is_stdout(None)
    (True, True, False, False)
    """
    return path is not None and str(path) == STDOUT


def wrote(path: Path) -> str:
    """The start of the line that says where the output went."""
    return "Wrote to stdout" if is_stdout(path) else f"Wrote {path}"


def not_stdout(why: str, *, give: str = "a file name", folder: bool = True) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """The callback of an option naming what cannot be stdout (``why`` says so); its folder is then checked as `in_a_folder` does, if ``folder``.

    >>> not_stdout("a PNG picture is binary")(None, None, "-")
    Traceback (most recent call last):
    click.exceptions.BadParameter: "-" (stdout) cannot be used here: a PNG picture is binary. Give a file name.
    """

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if is_stdout(value):
            raise click.BadParameter(f'"-" (stdout) cannot be used here: {why}. Give {give}.', ctx, param)
        return in_a_folder(ctx, param, value) if folder else value

    return check


def check_stdout(output: Path, *, svg: Path | None = None, open_page: bool = False) -> None:
    """Refuse, before any work, a page on stdout with ``--open`` (no file to open), or both the page and ``--svg`` on stdout.

    >>> check_stdout(Path("-"), svg=Path("-"))
    Traceback (most recent call last):
    click.exceptions.UsageError: -o and --svg cannot both be "-": stdout holds one file.
    """
    if open_page and is_stdout(output):
        raise click.UsageError('--open needs a page file: give -o FILE.html rather than "-".')
    if is_stdout(output) and is_stdout(svg):
        raise click.UsageError('-o and --svg cannot both be "-": stdout holds one file.')


@contextlib.contextmanager
def stdout_or_file(output: Path, name: str) -> Iterator[Path]:
    """The path the block writes: ``output`` itself, or for ``-`` a temporary file named ``name``, copied to stdout once the block ends well.

    ``name``'s suffix tells writers that choose by suffix what to write (``report.md``).
    """
    if not is_stdout(output):
        yield output
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tdi-stdout-") as folder:
        path = Path(folder) / name
        yield path
        try:
            sys.stdout.flush()  # what was echoed before comes first
            out = sys.stdout.buffer
            with path.open("rb") as written:
                shutil.copyfileobj(written, out, 1 << 20)
            out.flush()
        except BrokenPipeError:
            raise  # the reader went away: click ends quietly
        except OSError as exc:
            raise TdiError(f"Cannot write to stdout: {exc.strerror or exc}.") from exc
