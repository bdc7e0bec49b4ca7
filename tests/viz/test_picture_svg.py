"""The SVG picture of a network page (``--svg``): every tie drawn towards its end with an arrowhead, labelled as the page labels it.

Drawn by the real CLI in headless Chromium, on the built-in dataset; skipped without a Chromium.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest

from cli import cli
from viz.build import EDGE_LABELS_MAX
from viz.html import read_page_data

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _chromium() -> None:
    from tests.viz.conftest import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium)")


def _picture(runner, db: Path, folder: Path, view: list[str]) -> tuple[str, dict]:
    page, svg = folder / "view.html", folder / "view.svg"
    result = runner.invoke(cli, ["--db", str(db), "viz", *view, "-o", str(page), "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    return svg.read_text(encoding="utf-8"), read_page_data(page)


def _numbers(tag: str, names: tuple[str, ...]) -> list[float]:
    return [float(re.search(rf'\b{name}="(-?[\d.]+)"', tag).group(1)) for name in names]


def test_every_tie_ends_with_an_arrowhead_at_the_actor_it_points_to(runner, builtin_db: Path, tmp_path: Path) -> None:
    svg, data = _picture(runner, builtin_db, tmp_path, ["ego", "operator:banque-des-territoires"])
    assert re.search(r'<defs><marker id="tdi-arrow" [^>]*orient="auto"', svg)
    edges = re.search(r'<g id="tdi-svg-edges"[^>]*>(.*?)</g>', svg, re.DOTALL).group(1)
    lines = re.findall(r"<line [^>]*/>", edges)
    assert len(lines) == len(data["edges"]) > 0
    assert all('marker-end="url(#tdi-arrow)"' in line for line in lines)
    circles = [_numbers(c, ("cx", "cy", "r")) for c in re.findall(r"<circle [^>]*>", svg)]
    for line in lines:
        x1, y1, x2, y2 = _numbers(line, ("x1", "y1", "x2", "y2"))
        assert any(math.dist((x1, y1), (cx, cy)) < 0.2 for cx, cy, _ in circles)  # from one actor's centre
        assert any(abs(math.dist((x2, y2), (cx, cy)) - r) < 0.2 for cx, cy, r in circles)  # to the rim of the other


def test_ties_are_labelled_by_type_as_the_page_prints_them(runner, builtin_db: Path, tmp_path: Path) -> None:
    svg, data = _picture(runner, builtin_db, tmp_path, ["ego", "operator:banque-des-territoires"])
    assert len(data["edges"]) < EDGE_LABELS_MAX and all(edge["label"] for edge in data["edges"])
    labels = re.findall(r'<text class="tdi-svg-edge-label" [^>]*>([^<]+)</text>', svg)
    assert Counter(labels) == Counter(edge["label"] for edge in data["edges"])


def test_a_picture_of_many_ties_leaves_their_labels_out_as_the_page_does(runner, builtin_db: Path, tmp_path: Path) -> None:
    svg, data = _picture(runner, builtin_db, tmp_path, ["ego", "region:32", "--depth", "2"])
    assert len(data["edges"]) >= EDGE_LABELS_MAX and all(edge["hover_label"] and not edge["label"] for edge in data["edges"])
    assert svg.count("<line ") == svg.count('marker-end="url(#tdi-arrow)"') == len(data["edges"])
    assert 'class="tdi-svg-edge-label"' not in svg
