"""The map of the territories: outlines read from ANCT's GeoJSON, the figures it colours by, the page and its pictures.

One small graph, built once: the administrative map of the Oise and the Pas-de-Calais, the real
phase II territories that lie wholly in them (their outlines from ANCT's GeoJSON), the real
Petites villes de demain and France services sites there, and one project with its funding.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import pytest

from cli import cli
from graph.backend import EdgeRow, open_graph
from loaders.programmes import load_programmes
from loaders.reference import load_reference
from loaders.territories import load_territories, shipped_reference
from viz.map_data import map_data
from viz.map_svg import colour_classes
from viz.picture import png_size

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"  # as tests/conftest.py
LIST_II = RAW / "ti_phase2_groupements_anct_20240704.geojson"
DEPARTMENTS = {"60", "62"}
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)")


def _small_reference(departments: set[str] = DEPARTMENTS):
    """The shipped map cut to a few departments (and the EPCI wholly in them)."""
    ref = shipped_reference()
    communes = tuple(c for c in ref.communes if c.department in departments)
    codes = {c.code for c in communes}
    members = defaultdict(set)
    for m in ref.memberships:
        members[m.group_siren].add(m.commune_code)
    groups = tuple(g for g in ref.groupements if members[g.siren] and members[g.siren] <= codes)
    sirens = {g.siren for g in groups}
    return dataclasses.replace(
        ref, regions=tuple(r for r in ref.regions if r.code in {c.region for c in communes}),
        departments=tuple(d for d in ref.departments if d.code in departments), communes=communes,
        former_communes=tuple(f for f in ref.former_communes if f.current_code in codes), groupements=groups,
        memberships=tuple(m for m in ref.memberships if m.group_siren in sirens),
    )  # fmt: skip


def _features_within(path: Path, known: set[str]) -> list[dict]:
    """The features of an ANCT file whose every listed code is known to the small map."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    within = []
    for f in features:
        codes = [item.rsplit("(", 1)[-1].rstrip(")").strip() for item in f["properties"]["liste_geo"].split(";")]
        if codes and all(code in known for code in codes):
            within.append(f)
    return within


def _write(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_map(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The graph (path), the files it was loaded from, and what the test computes from them on its own."""
    folder = tmp_path_factory.mktemp("map")
    ref = _small_reference()
    sirens = {g.siren for g in ref.groupements}
    territories = _features_within(LIST_II, sirens)
    territories.append({**territories[0], "properties": {**territories[0]["properties"], "id_territoire": "ti-9999",
                                                         "lib_territoire": "Drawn as a point"},
                        "geometry": {"type": "Point", "coordinates": [2.1, 49.4]}})  # fmt: skip
    communes = {c.code for c in ref.communes}
    sites = {code: _features_within(RAW / "anct-programmes" / f"{code}.geojson", communes | sirens) for code in ("pvd", "fs")}
    db = folder / "graph"
    with open_graph(db) as graph:
        load_reference(graph, ref)
        load_territories(graph, _write(folder / "ti_phase2_groupements_anct_20240704.geojson", territories), reference=ref)
        load_programmes(graph, [_write(folder / f"{code}.geojson", f) for code, f in sites.items()], reference=ref)
        first = territories[0]["properties"]["id_territoire"]
        graph.upsert_nodes("Project", [{"key": "p1", "name": "Usine", "sources": []}])
        graph.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance", "sources": []}])
        graph.upsert_edges("LOCATED_IN", [EdgeRow("Project", "p1", "Territory", f"II-{first}", {"sources": []})])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "p1", {"amount_eur": 2.5e6, "sources": []})])
    return {"db": db, "territories": territories, "sites": sites, "reference": ref, "folder": folder}


def _expected_programmes(small_map: dict) -> dict[str, set[str]]:
    """Territory key → programme codes with a site covering one of its communes (directly or through its EPCI), from the files."""
    ref = small_map["reference"]
    communes_of = defaultdict(set)
    for m in ref.memberships:
        communes_of[m.group_siren].add(m.commune_code)
    epci_of = {m.commune_code: m.group_siren for m in ref.memberships}
    reached = defaultdict(set)  # commune code → programmes
    for code, features in small_map["sites"].items():
        for f in features:
            for item in f["properties"]["liste_geo"].split(";"):
                listed = item.rsplit("(", 1)[-1].rstrip(")").strip()
                for commune in communes_of.get(listed, {listed}):
                    reached[commune].add(code)
    expected = {}
    for f in small_map["territories"]:
        codes = [item.rsplit("(", 1)[-1].rstrip(")").strip() for item in f["properties"]["liste_geo"].split(";")]
        covered = set().union(*(communes_of[c] for c in codes))
        expected[f"II-{f['properties']['id_territoire']}"] = set().union(
            *(reached[c] for c in covered | {epci_of.get(c) for c in covered})
        )
    return expected


def test_outlines_are_stored_and_small(small_map):
    with open_graph(small_map["db"], read_only=True) as graph:
        rows = {r["key"]: r["outline"] for r in graph.run("MATCH (t:Territory) RETURN t.key AS key, t.outline AS outline")}
    assert rows.pop("II-ti-9999") is None  # a point has no outline
    assert len(rows) == len(small_map["territories"]) - 1 >= 3
    for outline in rows.values():
        shape = json.loads(outline)
        assert shape["type"] == "MultiPolygon" and len(outline) < 6000
        for polygon in shape["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(1.0 < x < 3.5 and 49.0 < y < 51.2 for x, y in ring)  # the Oise and the Pas-de-Calais


def test_older_list_keeps_the_newer_outline(small_map, tmp_path):
    from tests.conftest import copy_graph

    db = copy_graph(small_map["db"], tmp_path / "graph")
    feature = small_map["territories"][0]
    key = f"II-{feature['properties']['id_territoire']}"
    square = {"type": "Polygon", "coordinates": [[[2, 49], [2.5, 49], [2.5, 49.5], [2, 49.5], [2, 49]]]}
    with open_graph(db) as graph:
        before = graph.run("MATCH (t:Territory {key: $k}) RETURN t.outline AS o", {"k": key})[0]["o"]
        older = _write(tmp_path / "ti_phase2_groupements_anct_20231114.geojson", [{**feature, "geometry": square}])
        load_territories(graph, older, reference=small_map["reference"])
        assert graph.run("MATCH (t:Territory {key: $k}) RETURN t.outline AS o", {"k": key})[0]["o"] == before
        newer = _write(tmp_path / "ti_phase2_groupements_anct_20250101.geojson", [{**feature, "geometry": square}])
        load_territories(graph, newer, reference=small_map["reference"])
        outline = json.loads(graph.run("MATCH (t:Territory {key: $k}) RETURN t.outline AS o", {"k": key})[0]["o"])
    assert outline["coordinates"] == [[[[2, 49], [2.5, 49], [2.5, 49.5], [2, 49.5], [2, 49]]]]


def test_figures_match_the_files(small_map):
    import networkx as nx

    from viz.map_data import ACTOR_LABELS

    with open_graph(small_map["db"], read_only=True) as graph:
        data = map_data(graph, phase="II", measure="betweenness")
        G = graph.to_networkx()
    expected = _expected_programmes(small_map)
    got = {t["key"]: t for t in data.territories}
    assert data.undrawn == ["Drawn as a point (II-ti-9999)"]
    assert {k: set(t["figures"]["programme_codes"]) for k, t in got.items()} == {k: v for k, v in expected.items() if k in got}
    assert any(len(v) == 2 for v in expected.values()) and all(
        t["figures"]["programmes"] == len(expected[k]) for k, t in got.items()
    )
    U = G.to_undirected(as_view=True)
    for key, t in got.items():
        assert t["figures"]["degree"] == len(set(U[f"territory:{key}"]))
        assert {tie[2] for tie in t["ties"]} == {n for n in U[f"territory:{key}"] if not n.startswith("commune:")}
    first = f"II-{small_map['territories'][0]['properties']['id_territoire']}"
    assert (got[first]["figures"]["projects"], got[first]["figures"]["euros"]) == (1, 2.5e6)
    assert sum(t["figures"]["projects"] for t in got.values()) == 1
    # betweenness: that of the actor network, actors without a tie left out (as in the analyses)
    actors = nx.Graph(G.subgraph([n for n, kind in G.nodes(data="kind") if kind in ACTOR_LABELS]).to_undirected())
    actors.remove_nodes_from(list(nx.isolates(actors)))
    scores = nx.betweenness_centrality(actors)
    assert {k: t["value"] for k, t in got.items()} == {k: round(scores[f"territory:{k}"], 6) for k in got}
    assert any(t["value"] > 0 for t in got.values())


def test_cli_map_betweenness_is_that_of_networkx_and_cached(small_map, runner, tmp_path, monkeypatch):
    """The command computes betweenness with NumPy (and caches it): the figures are those NetworkX gives."""
    import re

    monkeypatch.setenv("TDI_CACHE_DIR", str(tmp_path / "cache"))
    pages = [tmp_path / "first.html", tmp_path / "cached.html"]
    for page in pages:
        result = runner.invoke(cli, ["--db", str(small_map["db"]), "viz", "map", "--measure", "betweenness", "-o", str(page)])
        assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "cache").glob("map-betweenness-*.pickle"))) == 1
    with open_graph(small_map["db"], read_only=True) as graph:
        expected = {t["key"]: t["figures"]["betweenness"] for t in map_data(graph, phase="II", measure="betweenness").territories}
    for page in pages:
        payload = re.search(r'id="tdi-map-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.DOTALL)
        assert payload is not None
        got = {k: t["figures"]["betweenness"] for k, t in json.loads(payload.group(1))["territories"].items()}
        assert got == expected and any(v > 0 for v in got.values())


def test_cli_map_writes_page_svg_and_says_what_is_not_drawn(small_map, runner, tmp_path):
    page, svg = tmp_path / "map.html", tmp_path / "map.svg"
    result = runner.invoke(
        cli, ["--db", str(small_map["db"]), "viz", "map", "--measure", "projects", "-o", str(page), "--svg", str(svg)]
    )
    assert result.exit_code == 0, result.output
    drawn = len(small_map["territories"]) - 1
    assert f"Wrote {page} ({drawn} territories)." in result.stderr and "Drawn as a point (II-ti-9999)" in result.stderr
    text = svg.read_text(encoding="utf-8")
    assert text.count('class="tdi-territory"') == drawn and "Projects" in text and text in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("on_stdout", ["page", "svg"])
def test_cli_map_writes_the_page_or_the_svg_to_stdout(small_map, runner, tmp_path, on_stdout):
    page, svg = ("-", tmp_path / "map.svg") if on_stdout == "page" else (tmp_path / "map.html", "-")
    result = runner.invoke(cli, ["--db", str(small_map["db"]), "viz", "map", "-o", str(page), "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    drawn = len(small_map["territories"]) - 1
    if on_stdout == "page":
        assert result.stdout.startswith("<!DOCTYPE html>") and svg.read_text(encoding="utf-8") in result.stdout
        assert f"Wrote to stdout ({drawn} territories)." in result.stderr
    else:
        assert result.stdout.startswith("<svg") and result.stdout in page.read_text(encoding="utf-8")
        assert "Wrote to stdout." in result.stderr
    assert not Path("-").exists()


def test_cli_map_without_outlines_is_one_error(small_map, runner, tmp_path):
    result = runner.invoke(cli, ["--db", str(small_map["db"]), "viz", "map", "--phase", "I", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert (
        result.stderr.startswith("Error: No phase I territory has an outline to draw (0 without)")
        and result.stderr.count("\n") == 1
    )
    assert not (tmp_path / "m.html").exists()


def test_cli_map_of_a_region_no_territory_lies_in_says_so_rather_than_to_load_outlines(small_map, runner, tmp_path):
    from tests.conftest import copy_graph

    db = copy_graph(small_map["db"], tmp_path / "graph")
    with open_graph(db) as graph:
        graph.upsert_nodes("Region", [{"key": "11", "name": "Île-de-France", "sources": []}])
    result = runner.invoke(cli, ["--db", str(db), "viz", "map", "--region", "11", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert result.stderr == "Error: No phase II territory lies in Île-de-France (11): the map has nothing to draw.\n"
    assert not (tmp_path / "m.html").exists()


def test_cli_map_on_a_graph_made_before_outlines_is_one_error(small_map, runner, tmp_path):
    import shutil

    import ladybug

    old = tmp_path / "old-graph"
    shutil.copy(small_map["db"], old)
    db = ladybug.Database(str(old))
    ladybug.Connection(db).execute("ALTER TABLE Territory DROP outline")
    db.close()
    result = runner.invoke(cli, ["--db", str(old), "viz", "map", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "made before tdi kept the territories' outlines" in result.output
    assert "tdi load territories" in result.output and not (tmp_path / "m.html").exists()


def test_png_without_chromium_is_one_error(small_map, runner, tmp_path, monkeypatch):
    monkeypatch.setattr("viz.picture.CHROMIUM_NAMES", ("no-such-browser-tdi",))
    result = runner.invoke(
        cli, ["--db", str(small_map["db"]), "viz", "map", "-o", str(tmp_path / "m.html"), "--png", str(tmp_path / "m.png")]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: Cannot draw a picture: no Chromium found")
    assert not (tmp_path / "m.png").exists()


# ---------------------------------------------------------------- in headless Chromium

MAP_PROBE = """
var paths = document.querySelectorAll("#tdi-map path.tdi-territory");
var first = paths[0], card = document.getElementById("tdi-card");
var hiddenBefore = card.hidden;
first.dispatchEvent(new MouseEvent("mouseenter", {clientX: 120, clientY: 140}));
var hover = {shown: !card.hidden, hiddenBefore: hiddenBefore, name: card.querySelector("strong").textContent,
             programmes: card.querySelector('dd[data-figure="programmes"]').textContent};
first.dispatchEvent(new MouseEvent("mouseleave"));
var hiddenAfter = card.hidden;
first.dispatchEvent(new MouseEvent("click", {bubbles: true}));
return {polygons: paths.length, key: first.dataset.key, hover: hover, hiddenAfter: hiddenAfter,
        panel: document.getElementById("tdi-territory-name").textContent, panelShown: !document.getElementById("tdi-territory").hidden,
        tiesDrawn: document.querySelectorAll("#tdi-ties circle.tdi-tie").length,
        tiesListed: document.querySelectorAll("#tdi-ties-list li").length, selected: first.classList.contains("tdi-selected"),
        hash: location.hash, command: document.getElementById("tdi-territory-command").textContent,
        legend: document.querySelectorAll("#tdi-map-legend .tdi-legend-swatch").length};
"""


@pytest.mark.browser
def test_map_polygons_hover_card_and_click_through(small_map, run_page, tmp_path):
    from viz.map_page import render_map

    with open_graph(small_map["db"], read_only=True) as graph:
        data = map_data(graph, phase="II", measure="programmes")
    page = render_map(data, tmp_path / "map.html")
    run = run_page(page.path, MAP_PROBE)
    assert (run.errors, run.alerts, run.refused, run.requests, run.state) == ([], [], [], [], "ready")
    found = run.result
    territory = next(t for t in data.territories if t["key"] == found["key"])
    assert found["polygons"] == len(data.territories) == page.territories
    assert found["hover"] == {
        "shown": True,
        "hiddenBefore": True,
        "name": territory["name"],
        "programmes": str(territory["value"]),
    }
    assert found["hiddenAfter"] is True
    ties = len(territory["ties"]) + (1 if territory["figures"]["communes"] else 0)  # one node for its communes, if it lists any
    assert (found["panelShown"], found["panel"], found["selected"], found["hash"]) == (
        True,
        territory["name"],
        True,
        f"#{territory['key']}",
    )
    assert (found["tiesDrawn"], found["tiesListed"]) == (min(ties, 36), ties)
    assert found["command"] == f"tdi viz territory territory:{territory['key']} -o territory.html"
    assert found["legend"] == len(colour_classes([t["value"] for t in data.territories])) >= 2


@pytest.mark.browser
def test_png_and_svg_pictures_have_the_expected_size(small_map, runner, tmp_path):
    from tests.viz.conftest import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    png = tmp_path / "map.png"
    result = runner.invoke(cli, ["--db", str(small_map["db"]), "viz", "map", "-o", str(tmp_path / "m.html"), "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert png_size(png.read_bytes()) == (960, 800)
    view_svg = tmp_path / "view.svg"
    territory = f"territory:II-{small_map['territories'][0]['properties']['id_territoire']}"
    result = runner.invoke(cli, ["--db", str(small_map["db"]), "viz", "territory", territory, "-o", str(tmp_path / "v.html"),
                                 "--svg", str(view_svg)])  # fmt: skip
    assert result.exit_code == 0, result.output
    actors = int(result.stderr.split(" actors")[0].rsplit("(", 1)[-1])
    svg = view_svg.read_text(encoding="utf-8")
    assert svg.startswith("<svg ") and svg.count("<circle ") == actors and 'id="tdi-svg-legend"' in svg


def test_unreadable_geometry_is_one_error_and_nothing_is_written(small_map, runner, tmp_path):
    from tests.conftest import copy_graph

    db = copy_graph(small_map["db"], tmp_path / "graph")
    feature = small_map["territories"][1]
    bad = {**feature, "properties": {**feature["properties"], "id_territoire": "ti-8888"},
           "geometry": {"type": "Polygon", "coordinates": [[["2.1", "49.2"], [2.2, 49.3]]]}}  # fmt: skip
    path = _write(tmp_path / "ti_phase2_groupements_anct_20250101.geojson", [small_map["territories"][0], bad])
    result = runner.invoke(cli, ["--db", str(db), "load", "territories", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert (
        f"{path}: feature 2 (ti-8888): geometry: a Polygon whose coordinates are not lists of [longitude, latitude] numbers"
        in result.stderr
    )
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (t:Territory) WHERE t.key = 'II-ti-8888' RETURN count(t) AS n")[0]["n"] == 0
        assert graph.run("MATCH (s:Source) WHERE s.name = $n RETURN count(s) AS n", {"n": path.name})[0]["n"] == 0


def test_html_report_embeds_the_map_and_a_chart_per_table(small_map, runner, tmp_path):
    import re

    report = tmp_path / "report.html"
    result = runner.invoke(cli, ["--db", str(small_map["db"]), "analyze", "report", "-o", str(report)])
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    section = text[text.index('<section id="tdi-report-map">') : text.index("</section>")]
    assert section.count('class="tdi-territory"') == len(small_map["territories"]) - 1 and "tdi-map-legend" in section
    assert text.index("Map of the territories") < text.index("<h2>Figures</h2>")
    charts = re.findall(
        r'<h2>([^<]+)</h2><table>(?:(?!</table>).)*</table><figure class="tdi-report-chart">(.*?)</figure>', text, re.DOTALL
    )
    assert {title for title, _ in charts} >= {"Most central actors", "Communities"}
    central = text.split("<h2>Most central actors</h2>")[1].split("</table>")[0]
    assert dict(charts)["Most central actors"].count('<rect class="tdi-bar"') == central.count("<tr><td>")
    assert "<script" not in section + "".join(chart for _, chart in charts)


def test_panel_colours_are_the_network_pages():
    from viz.build import PALETTE
    from viz.map_page import KIND_COLOURS

    assert KIND_COLOURS == {kind: style.color for kind, style in PALETTE.items()}


def test_network_tooltips_leave_the_outline_out():
    import networkx as nx

    from viz.build import build_vis_data

    G = nx.MultiDiGraph()
    G.add_node("territory:II-ti-1", kind="Territory", key="II-ti-1", name="T", phase="II", outline='{"type":"MultiPolygon"}')
    (node,) = build_vis_data(G, title="t", caption="c").nodes
    assert "phase: II" in node["title"] and "outline" not in node["title"] and "MultiPolygon" not in str(node)
