"""`build_vis_data`: what the page will draw, checked on small hand-made graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import SchemaError
from viz.build import PALETTE, build_vis_data, edge_width, style_of

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """Two funders, a region, a territory, a project, and the source that states it all."""
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:press-1", kind="Source", key="press-1", name="Un premier bilan", publisher="La Gazette", date="2019-09")
    G.add_node("operator:bpifrance", kind="Operator", key="bpifrance", name="Bpifrance", aliases=["BPI France"], sources=["press-1"])
    G.add_node("operator:bdt", kind="Operator", key="bdt", name="Banque des Territoires", sources=["missing-source"])
    G.add_node("region:11", kind="Region", key="11", name="Île-de-France", zone="metro")
    G.add_node("territory:II-ti-6201", kind="Territory", key="II-ti-6201", name="Douaisis", phase="II")
    G.add_node("project:usine", kind="Project", key="usine", name="Usine", amount_eur=3e6, evidence=["press-1: une usine"])
    fact = {"sources": ["press-1"], "evidence": ["press-1: 1,2 million"]}
    G.add_edge("operator:bpifrance", "project:usine", key="FUNDS", type="FUNDS", amount_eur=1.2e6, date="2019-09-24", **fact)
    G.add_edge("operator:bdt", "project:usine", key="FUNDS", type="FUNDS", amount_eur=5e4)
    G.add_edge("operator:bdt", "territory:II-ti-6201", key="SUPPORTS", type="SUPPORTS", role="engineering")
    G.add_edge("territory:II-ti-6201", "region:11", key="IN_REGION", type="IN_REGION")
    G.add_edge("operator:bpifrance", "source:press-1", key="CITED_IN", type="CITED_IN")
    return G


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_nodes_take_the_colour_and_shape_of_their_kind(G):
    nodes = by_id(build_vis_data(G, title="t").nodes)
    for node in nodes.values():
        assert (node["color"], node["shape"]) == (PALETTE[node["kind"]].color, PALETTE[node["kind"]].shape)
    assert nodes["region:11"]["color"] != nodes["operator:bpifrance"]["color"]


def test_palette_gives_each_kind_of_the_schema_its_own_look():
    schema = pytest.importorskip("graph.schema").schema()
    assert set(PALETTE) == set(schema.kinds)
    looks = [(style.color, style.shape) for style in PALETTE.values()]
    assert len(set(looks)) == len(looks)


def test_unknown_kind_is_drawn_grey():
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("widget:1", kind="Widget", name="W")
    data = build_vis_data(G, title="t")
    assert data.nodes[0]["color"] == style_of("Widget").color
    assert data.legend == [{"kind": "Widget", "color": style_of("Widget").color, "shape": "dot", "count": 1}]


def test_kind_comes_from_the_id_when_the_attribute_is_missing():
    G: nx.MultiDiGraph = nx.MultiDiGraph([("statebody:anct", "epci:200072460")])
    assert [n["kind"] for n in build_vis_data(G, title="t").nodes] == ["Epci", "StateBody"]


def test_legend_lists_only_kinds_present_in_palette_order_with_counts(G):
    legend = build_vis_data(G, title="t").legend
    assert [(item["kind"], item["count"]) for item in legend] == [("Region", 1), ("Territory", 1), ("Operator", 2), ("Project", 1)]
    assert all(item["color"] == PALETTE[item["kind"]].color for item in legend)


def test_source_nodes_and_their_edges_are_not_drawn(G):
    data = build_vis_data(G, title="t")
    assert "source:press-1" not in by_id(data.nodes)
    assert all("source:" not in (e["from"] + e["to"]) for e in data.edges)
    assert len(data.edges) == 4


def test_tooltips_name_the_sources_that_state_a_fact(G):
    data = build_vis_data(G, title="t")
    funds = by_id(data.edges)["operator:bpifrance|FUNDS|project:usine"]["title"]
    assert "- Un premier bilan (La Gazette, 2019-09)" in funds.splitlines()
    assert "Un premier bilan (La Gazette, 2019-09)" in by_id(data.nodes)["operator:bpifrance"]["title"]
    assert "- missing-source" in by_id(data.nodes)["operator:bdt"]["title"].splitlines()


def test_node_tooltip_is_plain_text_lines(G):
    title = by_id(build_vis_data(G, title="t").nodes)["operator:bpifrance"]["title"].splitlines()
    assert title[:4] == ["Operator", "Bpifrance", "id: operator:bpifrance", "also: BPI France"]
    assert "<" not in "".join(title)


def test_node_tooltip_shows_properties_and_evidence(G):
    nodes = by_id(build_vis_data(G, title="t").nodes)
    assert "zone: metro" in nodes["region:11"]["title"].splitlines()
    assert "amount_eur: 3 000 000 €" in nodes["project:usine"]["title"].splitlines()
    assert "- press-1: une usine" in nodes["project:usine"]["title"].splitlines()


def test_edge_tooltip_shows_type_ends_amount_date_and_role(G):
    edges = by_id(build_vis_data(G, title="t").edges)
    lines = edges["operator:bpifrance|FUNDS|project:usine"]["title"].splitlines()
    assert lines[:2] == ["FUNDS", "Bpifrance → Usine"]
    assert {"amount_eur: 1 200 000 €", "date: 2019-09-24"} <= set(lines)
    assert "role: engineering" in edges["operator:bdt|SUPPORTS|territory:II-ti-6201"]["title"].splitlines()


def test_edge_width_grows_with_amount(G):
    edges = by_id(build_vis_data(G, title="t").edges)
    small, large = edges["operator:bdt|FUNDS|project:usine"], edges["operator:bpifrance|FUNDS|project:usine"]
    assert 1.0 < small["width"] < large["width"]
    assert edges["territory:II-ti-6201|IN_REGION|region:11"]["width"] == 1.0


@pytest.mark.parametrize("amounts", [(None, 2e3, 1e5, 1e7, 1e9), (0, 999, 1001, 1e12)])
def test_edge_width_is_monotonic_and_bounded(amounts):
    widths = [edge_width(a) for a in amounts]
    assert widths == sorted(widths)
    assert all(1.0 <= w <= 10.0 for w in widths)


def test_size_by_degree_makes_hubs_bigger(G):
    nodes = by_id(build_vis_data(G, title="t").nodes)
    assert nodes["project:usine"]["size"] > nodes["region:11"]["size"]


def test_size_by_property_and_by_mapping(G):
    by_amount = by_id(build_vis_data(G, title="t", size_by="amount_eur").nodes)
    assert by_amount["project:usine"]["size"] > by_amount["region:11"]["size"]
    by_score = by_id(build_vis_data(G, title="t", size_by={"region:11": 0.9, "project:usine": 0.1}).nodes)
    assert by_score["region:11"]["size"] > by_score["project:usine"]["size"] > by_score["operator:bdt"]["size"]


def test_size_by_none_draws_every_node_alike(G):
    assert len({n["size"] for n in build_vis_data(G, title="t", size_by="none").nodes}) == 1


def test_size_by_a_property_no_node_has_is_refused(G):
    with pytest.raises(SchemaError, match='"turnover"'):
        build_vis_data(G, title="t", size_by="turnover")


def test_search_text_is_folded_name_and_aliases(G):
    nodes = by_id(build_vis_data(G, title="t").nodes)
    assert nodes["region:11"]["search"] == "ile-de-france"
    assert nodes["operator:bpifrance"]["search"] == "bpifrance | bpi france"


def test_long_names_are_shortened_in_labels_only():
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("organisation:x", kind="Organisation", name="Association " + "très " * 20)
    node = build_vis_data(G, title="t").nodes[0]
    assert len(node["label"]) == 40 and node["label"].endswith("…")
    assert node["name"].startswith("Association très très")


def test_hostile_text_is_kept_verbatim_for_the_renderer_to_escape():
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("company:x", kind="Company", name=HOSTILE)
    data = build_vis_data(G, title=HOSTILE, caption=HOSTILE)
    assert data.nodes[0]["name"] == data.title == data.caption == HOSTILE
    assert HOSTILE in data.nodes[0]["title"]


def test_result_does_not_depend_on_insertion_order(G):
    shuffled: nx.MultiDiGraph = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert build_vis_data(shuffled, title="t") == build_vis_data(G, title="t")


def test_empty_graph_gives_empty_data():
    data = build_vis_data(nx.MultiDiGraph(), title="Nothing", caption="yet")
    assert (data.nodes, data.edges, data.legend, data.title, data.caption) == ([], [], [], "Nothing", "yet")


def test_colour_by_community_recolours_nodes_and_lists_groups(G):
    data = build_vis_data(G, title="t", color_by={"operator:bpifrance": 0, "project:usine": 0, "region:11": 1})
    nodes = by_id(data.nodes)
    assert nodes["operator:bpifrance"]["color"] == nodes["project:usine"]["color"] != nodes["region:11"]["color"]
    assert nodes["operator:bdt"]["community"] == "" and nodes["region:11"]["community"] == "Community 2"
    assert [(g["name"], g["count"], g["top"]) for g in data.groups] == [("Community 1", 2, "Usine"), ("Community 2", 1, "Île-de-France")]
    assert {item["color"] for item in data.legend} == {"#b2bec3"}  # kinds keep their shapes, not their colours


def test_links_and_cited_sources(G):
    G.nodes["source:press-1"]["url"] = "https://example.org/bilan"
    data = build_vis_data(G, title="t", notice="Reduced")
    assert by_id(data.nodes)["operator:bpifrance"]["links"] == [{"label": "Un premier bilan (La Gazette, 2019-09)", "url": "https://example.org/bilan"}]
    assert [s["key"] for s in data.sources] == ["press-1", "missing-source"]  # by label
    assert data.notice == "Reduced"
