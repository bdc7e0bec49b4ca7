"""``--png FILE`` and ``--svg FILE``: the options every page command takes, and writing what they ask.

The pictures are drawn by `viz.picture` with a headless Chromium; without one, the command stops
with one ``Error:`` line after the page itself is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from commands.common import in_a_folder
from commands.outputs import not_stdout, stdout_or_file, wrote

__all__ = ["picture_options", "write_pictures"]


def picture_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--png FILE`` and ``--svg FILE`` to a page command."""
    path = click.Path(dir_okay=False, writable=True, path_type=Path)
    options = [
        click.option("--png", type=path, callback=not_stdout("a PNG picture is binary"),
                     help="Also write a static picture (PNG) of the page, with its legend (needs chromium)."),
        click.option("--svg", type=path, callback=in_a_folder, help='Also write the picture as SVG ("-": stdout; needs chromium for network views).'),
    ]
    return functools.reduce(lambda g, option: option(g), reversed(options), f)


def write_pictures(page: Path, png: Path | None, svg: Path | None, *, own_svg: tuple[str, tuple[int, int]] | None = None) -> None:
    """Write the pictures asked of ``page``; ``own_svg`` (text, size): a page that is one SVG, written and screenshot as it is."""
    if png is None and svg is None:
        return  # without importing what pictures need (tempfile, shutil, subprocess: 10 ms)
    import tempfile

    from graph.writing import writing
    from viz.picture import network_svg, write_png

    if svg is not None:
        with stdout_or_file(svg, "picture.svg") as path:
            if own_svg is not None:
                with writing(path):
                    path.write_text(own_svg[0], encoding="utf-8")
            else:
                network_svg(page, path)
        click.echo(f"{wrote(svg)}.", err=True)
    if png is None:
        return
    if own_svg is None:
        write_png(page, png)
    else:
        with tempfile.TemporaryDirectory(prefix="tdi-svg-") as folder:
            alone = Path(folder) / "picture.svg"
            alone.write_text(own_svg[0], encoding="utf-8")
            write_png(alone, png, size=own_svg[1])
    click.echo(f"Wrote {png}.", err=True)
