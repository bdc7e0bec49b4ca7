"""Static pictures of the pages for notes: PNG and SVG, drawn by a headless Chromium.

`find_chromium` looks for Debian's ``chromium`` (or Chrome) on ``PATH`` and in ``/usr/bin``;
without one, every function here raises `graph.errors.TdiError` with one line saying what to
install. A PNG is Chromium's screenshot of the page once it is ready (the network laid out and
still, with its title, caption and legend), ``PNG_SIZE`` pixels unless told. The SVG of a network
page is drawn in the page itself from the laid-out positions (``templates/picture.js``: edges with
an arrowhead at the end they point to, labelled by type when the page prints edge labels, under
`viz.build.EDGE_LABELS_MAX` ties; nodes in their kind's colour, labels of the largest, the title
and the legend) and read back from Chromium's ``--dump-dom``. The map is already SVG (`viz.map_svg`): its PNG is a screenshot of
that SVG alone, at its own size.

Example
-------
>>> png_size(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big"))
(640, 480)
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import TdiError
from graph.writing import writing

__all__ = ["PNG_SIZE", "find_chromium", "network_svg", "png_size", "write_png"]

PNG_SIZE = (1600, 1000)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120
BUDGET_MS = 15000  # virtual time a page gets to lay its network out
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-default-apps", "--no-first-run", "--mute-audio", "--hide-scrollbars")  # fmt: skip
_SCRIPTS = Path(__file__).parent / "templates"


def find_chromium() -> str:
    """The path of a Chromium (or Chrome) to run headless.

    Raises
    ------
    TdiError
        When there is none, saying what to install.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
        if found:
            return found
    raise TdiError("Cannot draw a picture: no Chromium found (looked for chromium, chromium-browser, google-chrome on PATH); "
                   "install Debian's chromium (apt-get install chromium), or leave out --png and --svg.")  # fmt: skip


def write_png(page: Path, output: Path, *, size: tuple[int, int] = PNG_SIZE) -> Path:
    """Screenshot ``page`` (an HTML or SVG file) once ready, ``size`` pixels wide and high, to ``output``."""
    with tempfile.TemporaryDirectory(prefix="tdi-picture-") as folder:
        shot = Path(folder) / "shot.png"
        _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}"], page, Path(folder))
        if not shot.is_file() or png_size(shot.read_bytes()) is None:
            raise TdiError(f"Cannot draw {output}: Chromium wrote no picture of {page}.")
        _replace(shot, output)
    return output


def network_svg(page: Path, output: Path) -> Path:
    """Draw the network page ``page`` as SVG (positions as laid out, the legend, the title) into ``output``."""
    script = (_SCRIPTS / "picture.js").read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    head, found, tail = text.rpartition("</body>")
    if not found:
        raise TdiError(f"Cannot draw {output}: {page} is not a tdi network page (no </body>).")
    with tempfile.TemporaryDirectory(prefix="tdi-picture-") as folder:
        probe = Path(folder) / page.name
        probe.write_text(f"{head}<script>{script}</script>{found}{tail}", encoding="utf-8")
        dom = _run(["--window-size=1600,1000", "--dump-dom"], probe, Path(folder))
    found_svg = re.findall(r'<pre id="tdi-svg-out">(&lt;svg .*?)</pre>', dom, re.DOTALL)
    if not found_svg:
        raise TdiError(f"Cannot draw {output}: the page {page} did not finish its layout in Chromium.")
    with writing(output):
        output.write_text(html.unescape(found_svg[-1]), encoding="utf-8")
    return output


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of PNG data, or ``None`` when it is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _run(arguments: list[str], page: Path, folder: Path) -> str:
    chromium = find_chromium()
    command = [chromium, *_FLAGS, f"--user-data-dir={folder / 'profile'}", f"--virtual-time-budget={BUDGET_MS}", *arguments,
               page.resolve().as_uri()]  # fmt: skip
    try:
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TdiError(f"Cannot draw a picture of {page}: Chromium ({chromium}) failed: {exc}") from exc
    return done.stdout


def _replace(made: Path, output: Path) -> None:
    """Put the picture at ``output`` (copied, so that a folder on another disk works)."""
    with writing(output):
        shutil.copyfile(made, output)
