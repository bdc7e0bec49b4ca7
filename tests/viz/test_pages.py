"""`draw_page`: caption, reduction and communities, from a view to a written page."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.errors import SchemaError
from viz.html import read_page_data
from viz.pages import caption_for, draw_page


def payload(path: Path) -> dict:
    return read_page_data(path)


def test_caption_names_filters_size_vintage_and_sources(policy_graph):
    G = policy_graph(40)
    G.add_node("source:cog", kind="Source", key="cog", name="COG", vintage="2026")
    G.nodes["region:region-0"]["sources"] = ["seed-1", "cog"]
    caption = caption_for(G, what="The actors", filters={"region": "32", "phase": None, "kinds": ["operator", "epci"]}, size="euros")
    assert caption == "The actors. Filters: region 32, kinds operator, epci. Size: euros. Data: 2 sources, dated 2019 to 2026 (COG; Un premier bilan)."


def test_large_view_is_reduced_to_max_nodes(policy_graph, tmp_path):
    page = draw_page(policy_graph(200), tmp_path / "p.html", title="Big", what="Big", max_nodes=50, size="betweenness")
    assert page.reduced and page.nodes == len(payload(page.path)["nodes"]) == 50
    assert "200 actors, more than 50" in page.notice and "highest betweenness" in page.notice


def test_reduce_by_communities_draws_one_node_per_community(policy_graph, tmp_path):
    page = draw_page(policy_graph(200), tmp_path / "p.html", title="Big", what="Big", max_nodes=50, reduce="communities")
    ids = [n["id"] for n in payload(page.path)["nodes"]]
    assert page.reduced and ids and all(i.startswith("community:") for i in ids)


def test_colour_by_community_keeps_every_actor(policy_graph, tmp_path):
    page = draw_page(policy_graph(60), tmp_path / "p.html", title="C", what="C", communities="colour")
    nodes = payload(page.path)["nodes"]
    assert len(nodes) == 60 and all(n["community"].startswith("Community ") for n in nodes)
    assert 'id="tdi-groups"' in page.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("option", [{"size": "fame"}, {"reduce": "random"}, {"communities": "paint"}])
def test_bad_options_are_refused(tmp_path, option):
    with pytest.raises(SchemaError, match="use one of|Use one of"):
        draw_page(nx.MultiDiGraph(), tmp_path / "p.html", title="t", what="t", **option)


def test_page_shows_inside_jupyter_as_an_escaped_iframe(tmp_path):
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("company:x", kind="Company", key="x", name='"><script>alert(1)</script>')
    markup = draw_page(G, tmp_path / "p.html", title="J", what="J")._repr_html_()
    assert markup.startswith('<iframe srcdoc="') and markup.count('"') == 4 and "<script" not in markup


def _ring_between(ends: tuple[str, str], middle: int) -> nx.MultiDiGraph:
    """``middle`` actors each tied to both ends and to each other: every one outranks the ends by degree."""
    G = nx.MultiDiGraph()
    inner = [f"operator:m{i:02d}" for i in range(middle)]
    for node in [*ends, *inner]:
        G.add_node(node, kind=node.split(":")[0].capitalize(), key=node.split(":")[1], name=node)
    for i, m in enumerate(inner):
        G.add_edge(ends[0], m, key="PARTNER_OF")
        G.add_edge(m, ends[1], key="PARTNER_OF")
        G.add_edges_from((m, other, "PARTNER_OF") for other in inner[i + 1 :])
    return G


def test_a_reduced_path_keeps_its_ends_and_one_whole_path(tmp_path):
    from viz.views import ego_view, path_view

    G = _ring_between(("commune:a", "commune:b"), 12)
    view = path_view(G, "commune:a", "commune:b")
    page = draw_page(view, tmp_path / "p.html", title="t", what="w", size="degree", max_nodes=4)
    ids = {node["id"] for node in payload(page.path)["nodes"]}
    first = view.graph["keep"]  # the ends, then the middle of one shortest path
    assert first[:2] == ["commune:a", "commune:b"] and len(first) == 3 and len(ids) == 4 and set(first) <= ids
    assert f"It keeps first the actors the view is about (commune:a, commune:b, {first[2]})" in page.notice
    ego = draw_page(ego_view(G, "commune:a"), tmp_path / "e.html", title="t", what="w", size="degree", max_nodes=3)
    assert "commune:a" in {node["id"] for node in payload(ego.path)["nodes"]}
