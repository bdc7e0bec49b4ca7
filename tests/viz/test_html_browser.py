"""The page in a real browser: headless Chromium runs a script in it (see ``conftest.py``).

Skipped when no Chromium is on PATH; CI installs Debian's ``chromium``.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from viz.build import build_vis_data
from viz.html import render_html, write_network_html

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
SLEEP = "await new Promise(function (done) { setTimeout(done, %d); });"


@pytest.fixture(scope="module")
def big_page(tmp_path_factory, policy_graph) -> tuple[Path, object]:
    """The page of a 200-actor graph, and the data it was made from."""
    data = build_vis_data(policy_graph(200), title="Territoires d'industrie", caption="Synthetic")
    return render_html(data, tmp_path_factory.mktemp("big") / "big.html"), data


@pytest.fixture
def small_graph() -> nx.MultiDiGraph:
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:s1", kind="Source", key="s1", name=f"Source {HOSTILE}")
    G.add_node("region:11", kind="Region", key="11", name="Île-de-France", sources=["s1"])
    G.add_node("operator:bpifrance", kind="Operator", key="bpifrance", name="Bpifrance", aliases=["BPI France"])
    G.add_node("company:x", kind="Company", key="x", name=HOSTILE, aliases=[HOSTILE + "2"], sources=["s1"])
    G.add_node("widget:w", kind=f"Widget{HOSTILE}", key="w", name="Widget")
    G.add_edge("operator:bpifrance", "company:x", key="FUNDS", type="FUNDS", amount_eur=1e6, sources=["s1"])
    G.add_edge("company:x", "region:11", key="LOCATED_IN", type="LOCATED_IN")
    G.add_edge("widget:w", "region:11", key="PARTNER_OF", type="PARTNER_OF")
    return G


def assert_clean(run) -> None:
    """No error, no alert, no request made or refused."""
    assert (run.errors, run.alerts, run.refused, run.requests) == ([], [], [], [])
    assert run.console_errors() == []
    assert run.state == "ready"


def test_page_draws_every_node_then_stops_physics(run_page, big_page):
    path, data = big_page
    run = run_page(
        path,
        """
        return {nodes: tdiNodes.length, edges: tdiEdges.length, drawn: tdiNetwork.body.nodeIndices.length,
                drawnEdges: tdiNetwork.body.edgeIndices.length, physics: tdiNetwork.physics.options.enabled,
                kinds: tdiNodes.distinct("kind")};""",
    )
    assert_clean(run)
    assert run.result == {
        "nodes": 200,
        "edges": len(data.edges),
        "drawn": 200,
        "drawnEdges": len(data.edges),
        "physics": False,
        "kinds": sorted(item["kind"] for item in data.legend),
    }


def test_legend_shows_each_kind_with_its_swatch_and_count(run_page, big_page):
    path, data = big_page
    run = run_page(
        path,
        """
        return Array.from(document.querySelectorAll("#tdi-legend .tdi-kind")).map(function (row) {
          return [row.querySelector(".tdi-kind-name").textContent, Number(row.querySelector(".tdi-kind-count").textContent),
                  getComputedStyle(row.querySelector(".tdi-swatch")).backgroundColor];
        });""",
    )
    assert_clean(run)
    assert run.result == [[item["kind"], item["count"], rgb(item["color"])] for item in data.legend]


def test_unticking_a_kind_hides_its_nodes_and_their_links(run_page, big_page):
    path, data = big_page
    companies = sum(1 for n in data.nodes if n["kind"] == "Company")
    run = run_page(
        path,
        """
        var network = tdiNetwork, before = network.body.edgeIndices.length;
        document.querySelector('#tdi-legend input[data-kind="Company"]').click();
        var hidden = {drawn: network.body.nodeIndices.length, companies: network.body.nodeIndices.filter(function (id) {
          return tdiNodes.get(id).kind === "Company"; }).length, edgesLess: network.body.edgeIndices.length < before};
        document.getElementById("tdi-show-all").click();
        return {hidden: hidden, restored: network.body.nodeIndices.length};""",
    )
    assert_clean(run)
    assert run.result == {"hidden": {"drawn": 200 - companies, "companies": 0, "edgesLess": True}, "restored": 200}


def test_search_selects_a_node_whatever_the_case_and_accents(run_page, small_graph, tmp_path):
    path = write_network_html(small_graph, tmp_path / "small.html", title="Search")
    run = run_page(
        path,
        """
        var input = document.getElementById("tdi-search"), form = document.getElementById("tdi-search-form");
        var status = document.getElementById("tdi-search-status");
        function find(text) {
          input.value = text;
          form.requestSubmit();
          return [tdiNetwork.getSelectedNodes(), status.textContent];
        }
        var found = {accents: find("ILE-de-FRANCE"), alias: find("bpi france"), part: find("franc"), none: find("Nowhere")};
        document.querySelector('#tdi-legend input[data-kind="Region"]').click();
        found.hidden = find("île");
        found.shownAgain = !tdiNodes.get("region:11").hidden;
        return found;""",
    )
    assert_clean(run)
    assert run.result == {
        "accents": [["region:11"], "Île-de-France (Region)"],
        "alias": [["operator:bpifrance"], "Bpifrance (Operator)"],
        "part": [["region:11"], "Île-de-France (Region)"],
        "none": [[], "No actor matches \u201cNowhere\u201d."],
        "hidden": [["region:11"], "Île-de-France (Region)"],
        "shownAgain": True,
    }


def test_hostile_text_stays_text(run_page, small_graph, tmp_path):
    path = write_network_html(small_graph, tmp_path / "hostile.html", title=HOSTILE, caption=HOSTILE)
    run = run_page(
        path,
        """
        var network = tdiNetwork, id = "company:x";
        var at = network.canvasToDOM(network.getPositions([id])[id]);
        var canvas = document.querySelector("#tdi-network canvas"), box = canvas.getBoundingClientRect();
        canvas.dispatchEvent(new MouseEvent("mousemove", {clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true}));
        %s
        var tip = document.querySelector("div.vis-tooltip");
        document.getElementById("tdi-search").value = "</script";
        document.getElementById("tdi-search-form").requestSubmit();
        return {
          title: document.title, h1: document.getElementById("tdi-title").textContent,
          caption: document.getElementById("tdi-caption").textContent,
          kinds: Array.from(document.querySelectorAll(".tdi-kind-name")).map(function (e) { return e.textContent; }),
          names: Array.from(document.querySelectorAll("#tdi-names option")).map(function (o) { return o.value; }),
          tip: tip.innerText.split("\\n").slice(0, 2), tipTags: Array.from(tip.querySelectorAll("*")).map(function (e) { return e.tagName; }),
          status: document.getElementById("tdi-search-status").textContent,
          images: document.images.length, scripts: document.scripts.length,
          nodeLabel: tdiNodes.get(id).label, selected: network.getSelectedNodes()
        };"""
        % (SLEEP % 600),
    )
    assert_clean(run)
    result = run.result
    assert result["title"] == result["h1"] == result["caption"] == HOSTILE
    assert f"Widget{HOSTILE}" in result["kinds"] and HOSTILE in result["names"]
    assert result["tip"] == ["Company", HOSTILE] and set(result["tipTags"]) <= {"BR"}
    assert result["status"] == f"{HOSTILE} (Company)" and result["selected"] == ["company:x"]
    assert (result["images"], result["scripts"]) == (0, 5)  # the page's 3 and the test's 2


def test_same_seed_draws_the_same_layout(run_page, policy_graph, tmp_path):
    data = build_vis_data(policy_graph(30), title="Seeded")
    positions = "return tdiNetwork.getPositions();"
    first = run_page(render_html(data, tmp_path / "a.html", seed=7), positions)
    again = run_page(render_html(data, tmp_path / "b.html", seed=7), positions)
    other = run_page(render_html(data, tmp_path / "c.html", seed=8), positions)
    assert first.result == again.result
    assert first.result != other.result


def test_probe_sees_errors_and_refused_requests(run_page, small_graph, tmp_path):
    """The checks above would catch a fault: a thrown error and a remote image are both reported."""
    path = write_network_html(small_graph, tmp_path / "faulty.html", title="Faulty")
    run = run_page(
        path,
        """
        setTimeout(function () { throw new Error("boom"); });
        var image = new Image();
        image.src = "https://example.invalid/pixel.png";
        %s
        return null;"""
        % (SLEEP % 200),
    )
    assert any("boom" in error for error in run.errors)
    assert any("example.invalid" in refused for refused in run.refused)


def test_screenshot_shows_the_drawing(run_page, big_page, tmp_path):
    shot = tmp_path / "big.png"
    run_page(big_page[0], screenshot=shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a blank page of this size is a few kilobytes


def rgb(color: str) -> str:
    """``#1b3a6b`` as the browser computes it: ``rgb(27, 58, 107)``."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


# -- the views drawn by draw_page: reduction, communities, details panel ----------------------


def test_reduced_page_draws_exactly_max_nodes_and_says_so(run_page, policy_graph, tmp_path):
    from viz.pages import draw_page

    page = draw_page(policy_graph(300), tmp_path / "reduced.html", title="Reduced", what="300 actors", max_nodes=120)
    run = run_page(
        page.path,
        """
        return {drawn: tdiNetwork.body.nodeIndices.length, held: tdiNodes.length,
                notice: document.getElementById("tdi-notice").innerText,
                shown: document.getElementById("tdi-notice").getBoundingClientRect().height > 0};""",
    )
    assert_clean(run)
    assert run.result["drawn"] == run.result["held"] == page.nodes == 120
    assert run.result["shown"] and "300 actors, more than 120" in run.result["notice"] and "tdi viz ego ID" in run.result["notice"]


@pytest.mark.parametrize("mode", ["colour", "collapse"])
def test_communities_page_lists_each_community_in_its_colour(run_page, policy_graph, tmp_path, mode):
    from viz.pages import draw_page

    page = draw_page(policy_graph(120), tmp_path / f"{mode}.html", title="Communities", what="Communities", communities=mode)
    run = run_page(
        page.path,
        """
        var colours = {};
        tdiNodes.forEach(function (n) { if (n.community) { colours[n.community] = n.color; } });
        return {drawn: tdiNetwork.body.nodeIndices.length, groups: Array.from(document.querySelectorAll(".tdi-group")).map(
          function (row) { return [row.querySelector(".tdi-group-name").textContent,
                                   getComputedStyle(row.querySelector(".tdi-swatch")).backgroundColor]; }),
          colours: colours};""",
    )
    assert_clean(run)
    assert run.result["drawn"] == page.nodes
    assert len(run.result["groups"]) >= 2
    assert all(rgb(run.result["colours"][name]) == colour for name, colour in run.result["groups"])
    if mode == "collapse":
        assert page.nodes == len(run.result["groups"])


def test_clicking_an_actor_lists_its_sources_as_safe_links(run_page, tmp_path):
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:web", kind="Source", key="web", name=f"Web {HOSTILE}", url="https://example.org/a?b=1&c=2")
    G.add_node("source:bad", kind="Source", key="bad", name="Bad", url="javascript:alert(3)")
    G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France", sources=["web", "bad"])
    path = write_network_html(G, tmp_path / "links.html", title="Links")
    run = run_page(
        path,
        """
        tdiNetwork.body.emitter.emit("click", {nodes: ["region:32"], edges: [], event: {}, pointer: {}});
        var panel = document.getElementById("tdi-details");
        return {hidden: panel.hidden, name: document.getElementById("tdi-details-name").textContent,
                items: Array.from(panel.querySelectorAll("li")).map(function (li) {
                  var a = li.querySelector("a"); return [li.textContent, a ? a.getAttribute("href") : null]; }),
                tags: Array.from(panel.querySelectorAll("li *")).map(function (e) { return e.tagName; })};""",
    )
    assert_clean(run)
    assert run.result == {
        "hidden": False,
        "name": "Hauts-de-France",
        "items": [[f"Web {HOSTILE}", "https://example.org/a?b=1&c=2"], ["Bad", None]],
        "tags": ["A"],
    }


def test_tooltips_and_links_written_once_show_in_full_on_each_actor_and_link(run_page, tmp_path, small_graph):
    """`viz.html.Shared` writes a block of sources once; each tooltip and details panel still shows it (hostile text too)."""
    small_graph.nodes["company:x"]["evidence"] = [f"s1: {HOSTILE}"]
    small_graph.add_edge("operator:bpifrance", "region:11", key="SUPPORTS", type="SUPPORTS", sources=["s1"], evidence=["s1: « appui »"])
    data = build_vis_data(small_graph, title="Shared")
    run = run_page(
        render_html(data, tmp_path / "shared.html"),
        "return {nodes: tdiNodes.get().map(function (n) { return [n.id, n.title, n.links]; }),"
        " edges: tdiEdges.get().map(function (e) { return [e.id, e.title, e.links]; })};",
    )
    assert_clean(run)
    assert run.result == {
        "nodes": [[n["id"], n["title"], n["links"]] for n in data.nodes],
        "edges": [[e["id"], e["title"], e["links"]] for e in data.edges],
    }
    assert sum("sources:" in e["title"] for e in data.edges) == 2 and any("evidence:" in n["title"] for n in data.nodes)


# -- readable by default: folded communes, names in titles, edge labels, label sizes, legend --


def test_communes_are_folded_into_their_epci_and_expanded_on_demand(run_page, tmp_path):
    from tests.viz.test_readable import territory_graph
    from viz.pages import draw_page

    script = """
        return {ids: tdiNodes.getIds().sort(), labels: tdiNodes.get().filter(function (n) { return n.kind === "Epci"; })
                  .map(function (n) { return n.label; }).sort(),
                notice: (document.getElementById("tdi-notice") || {}).innerText || ""};"""
    folded = run_page(draw_page(territory_graph(), tmp_path / "folded.html", title="T", what="T", fold=("communes",)).path, script)
    expanded = run_page(draw_page(territory_graph(), tmp_path / "expanded.html", title="T", what="T").path, script)
    assert_clean(folded)
    assert_clean(expanded)
    assert folded.result["ids"] == ["epci:0", "epci:1", "epci:2", "operator:bdt", "region:32", "territory:II-t"]
    assert folded.result["labels"] == ["CA 0 (10 communes)", "CA 1 (5 communes)", "CA 2 (3 communes)"]
    assert folded.result["notice"].startswith("18 communes are folded into their 3 EPCI")
    assert len(expanded.result["ids"]) == 24 and expanded.result["labels"] == ["CA 0", "CA 1", "CA 2"]
    assert expanded.result["notice"] == ""


def test_view_titles_show_names_not_ids(run_page, runner, builtin_db, tmp_path):
    from cli import cli

    out = tmp_path / "bdt.html"
    result = runner.invoke(cli, ["--db", str(builtin_db), "viz", "ego", "operator:banque-des-territoires", "-o", str(out)])
    assert result.exit_code == 0, result.output
    run = run_page(out, 'return [document.title, document.getElementById("tdi-title").innerText, document.getElementById("tdi-caption").innerText];')
    assert_clean(run)
    assert run.result[:2] == ["Banque des Territoires and its ties"] * 2
    assert run.result[2].startswith("Banque des Territoires and the actors within 1 tie of it.")


def test_edge_labels_show_on_hover_only_and_labels_are_readable(run_page, big_page):
    path, data = big_page
    assert len(data.edges) >= 60
    run = run_page(
        path,
        """
        var edge = tdiEdges.getIds()[0], scale = tdiNetwork.getScale();
        var before = tdiEdges.get(edge).label;
        tdiNetwork.body.emitter.emit("hoverEdge", {edge: edge});
        var during = tdiEdges.get(edge).label;
        tdiNetwork.body.emitter.emit("blurEdge", {edge: edge});
        var labelled = tdiEdges.get().filter(function (e) { return e.label; }).length;
        var shown = [], tooSmall = [];
        tdiNodes.forEach(function (n) {
          var label = tdiNetwork.body.nodes[n.id].labelModule;
          if (label.visible()) { shown.push(label.fontOptions.size * scale); if (label.fontOptions.size * scale < 11) { tooSmall.push(n.id); } }
        });
        return {before: before, during: during, after: tdiEdges.get(edge).label, labelled: labelled,
                shown: shown.length, tooSmall: tooSmall, hover: tdiEdges.get(edge).hover_label};""",
    )
    assert_clean(run)
    assert (run.result["before"], run.result["after"], run.result["labelled"]) == ("", "", 0)
    assert run.result["during"] == run.result["hover"] != ""
    assert run.result["shown"] >= 15 and run.result["tooSmall"] == []


def test_community_legend_names_twenty_communities_then_other(run_page, tmp_path):
    from tests.viz.test_readable import cliques
    from viz.pages import draw_page

    page = draw_page(cliques([12 - c // 3 for c in range(24)]), tmp_path / "legend.html", title="C", what="C", communities="colour")
    run = run_page(
        page.path,
        """
        return Array.from(document.querySelectorAll(".tdi-group")).map(function (row) {
          var name = row.querySelector(".tdi-group-top");
          return [name.textContent, row.querySelector(".tdi-kind-count").textContent,
                  getComputedStyle(row.querySelector(".tdi-swatch")).backgroundColor, name.scrollWidth <= name.clientWidth]; });""",
    )
    assert_clean(run)
    rows = run.result
    assert len(rows) == 21 and len({colour for _, _, colour, _ in rows}) == 21
    assert rows[0][:2] == ["Firm 0-0", "12"] and rows[-1][:2] == ["4 smaller communities", str(sum(12 - c // 3 for c in range(20, 24)))]
    assert all(whole for *_, whole in rows)
