"""A map cut to one region draws the territories that lie in it, framed to fill the map; a map
of the whole country frames all of metropolitan France, Corsica included, with a margin.

One small graph: the administrative map of the Oise (Hauts-de-France) and the Calvados
(Normandie), and the real phase II territories that lie wholly in them, with their outlines.
"""

from __future__ import annotations

import re

import pytest

from cli import cli
from graph.backend import open_graph
from loaders.reference import load_reference
from loaders.territories import load_territories
from tests.viz.test_map import LIST_II, RAW, _features_within, _small_reference, _write
from viz.map_data import map_data
from viz.map_svg import HEIGHT, WIDTH, colour_classes, map_svg

MAIN = (190.0, 40.0, WIDTH - 10.0, HEIGHT - 10.0)  # the main frame of viz.map_svg
FILLED = 0.9  # the drawn territories span at least this share of the frame's width or height


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not RAW.is_dir():
        pytest.skip(f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)")
    folder = tmp_path_factory.mktemp("map-regions")
    ref = _small_reference({"60", "14"})
    territories = _features_within(LIST_II, {g.siren for g in ref.groupements})
    departments = {c.code: c.department for c in ref.communes}
    members = {m.group_siren: departments[m.commune_code] for m in ref.memberships}
    in_calvados = {f"II-{f['properties']['id_territoire']}" for f in territories
                   if all(members.get(code.rsplit("(", 1)[-1].rstrip(")").strip()) == "14" for code in f["properties"]["liste_geo"].split(";"))}  # fmt: skip
    db = folder / "graph"
    with open_graph(db) as graph:
        load_reference(graph, ref)
        load_territories(graph, _write(folder / "ti_phase2_groupements_anct_20240704.geojson", territories), reference=ref)
    assert 0 < len(in_calvados) < len(territories)
    return {"db": db, "normandie": in_calvados, "all": len(territories)}


def _drawn_box(svg: str, key: str = "[^\"]+") -> tuple[float, float, float, float]:
    """The box of every point of the territories' paths (those of territory ``key`` only if given), in the SVG's units."""
    paths = re.findall(rf'class="tdi-territory" data-key="{key}"[^>]* d="([^"]+)"', svg)
    numbers = [float(n) for d in paths for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _square(lon: float, lat: float, side: float = 0.3) -> list:
    return [[[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]]]


CORSICA = [[[[9.4, 43.01], [9.56, 42.1], [9.16, 41.37], [8.6, 41.9], [8.75, 42.57], [9.4, 43.01]]]]  # Cap Corse, the east coast, Bonifacio, Ajaccio, Calvi


def test_the_whole_country_frames_corsica_with_a_margin_whatever_is_drawn():
    """Corsica is metropolitan France's south-east corner: it stays 15 px inside the main frame,
    where it stays whichever territories are drawn (here Finistère, the Nord, or none but Corsica);
    the map of Corse alone (``fill``) keeps the margin too."""
    def svg(*outlines: list, fill: bool = False) -> str:
        drawn = [{"key": f"k{i}", "name": "n", "value": 1, "outline": o} for i, o in enumerate(outlines)]
        return map_svg(drawn, colour_classes([1]), title="t", legend_title="l", fill=fill)

    def has_margin(box: tuple[float, float, float, float]) -> bool:
        return MAIN[0] + 15 <= box[0] and MAIN[1] + 15 <= box[1] and box[2] <= MAIN[2] - 15 and box[3] <= MAIN[3] - 15

    corsica = _drawn_box(svg(_square(-4.5, 48.3), _square(3.0, 50.6), CORSICA), "k2")
    assert has_margin(corsica) and _drawn_box(svg(CORSICA), "k0") == corsica
    assert has_margin(_drawn_box(svg(CORSICA, fill=True)))


def _fills_the_frame(box: tuple[float, float, float, float]) -> bool:
    inside = MAIN[0] - 1 <= box[0] and MAIN[1] - 1 <= box[1] and box[2] <= MAIN[2] + 1 and box[3] <= MAIN[3] + 1
    return inside and max((box[2] - box[0]) / (MAIN[2] - MAIN[0]), (box[3] - box[1]) / (MAIN[3] - MAIN[1])) >= FILLED


def test_overseas_territories_drawn_alone_fill_the_main_frame():
    reunion = [[[[55.2, -21.4], [55.8, -21.4], [55.8, -20.9], [55.2, -20.9], [55.2, -21.4]]]]
    svg = map_svg([{"key": "k", "name": "n", "value": 1, "outline": reunion}], colour_classes([1]), title="t", legend_title="l")
    assert _fills_the_frame(_drawn_box(svg)) and 'class="tdi-inset"' not in svg


def test_a_region_keeps_the_territories_that_lie_in_it(two_regions):
    with open_graph(two_regions["db"], read_only=True) as graph:
        data = map_data(graph, phase="II", region="Normandie")
        whole = map_data(graph, phase="II")
    assert {t["key"] for t in data.territories} == two_regions["normandie"]
    assert data.region == ("28", "Normandie") and len(whole.territories) == two_regions["all"]


def test_report_of_a_region_maps_that_region_filling_the_frame(two_regions, runner, tmp_path):
    report = tmp_path / "report.html"
    result = runner.invoke(cli, ["--db", str(two_regions["db"]), "analyze", "report", "--region", "28", "-o", str(report)])
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    section = text[text.index('<section id="tdi-report-map">') : text.index("</section>")]
    assert section.count('class="tdi-territory"') == len(two_regions["normandie"])
    assert "of Normandie, phase II" in section and "tdi viz map --region 28" in section
    assert _fills_the_frame(_drawn_box(section))


def test_viz_map_region_fills_the_frame_and_an_unknown_region_is_one_error(two_regions, runner, tmp_path):
    db = ["--db", str(two_regions["db"])]
    svg = tmp_path / "map.svg"
    result = runner.invoke(cli, [*db, "viz", "map", "--region", "Hauts-de-France", "-o", str(tmp_path / "m.html"), "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    drawn = svg.read_text(encoding="utf-8")
    assert drawn.count('class="tdi-territory"') == two_regions["all"] - len(two_regions["normandie"])
    assert _fills_the_frame(_drawn_box(drawn))
    result = runner.invoke(cli, [*db, "viz", "map", "--region", "Atlantis", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and result.stderr.startswith('Error: No region "Atlantis".')


BOX_PROBE = """
var boxes = Array.from(document.querySelectorAll("#tdi-map path.tdi-territory")).map(function (p) { return p.getBBox(); });
return [Math.min.apply(null, boxes.map(function (b) { return b.x; })), Math.min.apply(null, boxes.map(function (b) { return b.y; })),
        Math.max.apply(null, boxes.map(function (b) { return b.x + b.width; })), Math.max.apply(null, boxes.map(function (b) { return b.y + b.height; }))];
"""


@pytest.mark.browser
def test_the_page_of_a_region_opens_framed_on_it(two_regions, run_page, tmp_path):
    from viz.map_page import render_map

    with open_graph(two_regions["db"], read_only=True) as graph:
        page = render_map(map_data(graph, phase="II", region="28"), tmp_path / "map.html")
    run = run_page(page.path, BOX_PROBE)
    assert (run.errors, run.state) == ([], "ready")
    assert _fills_the_frame(tuple(run.result))


@pytest.mark.parametrize(("as_of", "mapped"), [("2025-06", True), ("2021", False)])
def test_report_as_of_a_day_maps_the_territories_of_the_phase_running_then(two_regions, runner, tmp_path, as_of, mapped):
    """The graph holds phase II territories only: a report as of 2021 (phase I) has none of theirs to map."""
    report = tmp_path / "report.html"
    result = runner.invoke(cli, ["--db", str(two_regions["db"]), "analyze", "report", "--as-of", as_of, "-o", str(report)])
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert ('<section id="tdi-report-map">' in text) is mapped
    if mapped:
        section = text[text.index('<section id="tdi-report-map">') : text.index("</section>")]
        assert section.count('class="tdi-territory"') == two_regions["all"] and "territories of phase II" in section
