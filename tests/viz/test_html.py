"""`render_html` without a browser: the file is one offline page that carries its data safely."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from graph.errors import TdiError
from viz.build import build_vis_data
from viz.html import read_page_data, render_html, safe_json, to_pyvis, write_network_html

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture
def page(tmp_path) -> str:
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("company:x", kind="Company", key="x", name=HOSTILE)
    G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
    G.add_edge("company:x", "region:32", key="LOCATED_IN", type="LOCATED_IN")
    return write_network_html(G, tmp_path / "page.html", title=f"Title {HOSTILE}", caption="A & B").read_text(encoding="utf-8")


def test_page_shows_title_and_counts(page):
    assert "<title>Title &lt;/script&gt;" in page
    assert "2 actors · 1 links" in page
    assert "A &amp; B" in page


def test_page_references_nothing_outside_itself(page):
    for tag, attrs in tags_of(page):
        for name in ("src", "href", "srcset", "action", "data"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), f"<{tag} {name}={attrs[name]}>"
    assert not [attrs for tag, attrs in tags_of(page) if tag == "script" and "src" in attrs]
    assert not [attrs for tag, attrs in tags_of(page) if tag == "link"]


def test_page_forbids_requests_with_a_content_security_policy(page):
    policy = next(a["content"] or "" for t, a in tags_of(page) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "connect-src" not in policy


def test_page_inlines_vis_network(page):
    scripts = [a for t, a in tags_of(page) if t == "script"]
    assert len(scripts) == 3
    assert "vis-network" in page and "new vis.Network" in page


def test_hostile_name_never_appears_raw(page):
    assert HOSTILE not in page
    assert "<img" not in page


def test_embedded_json_round_trips(page):
    payload = re.search(r'<script type="application/json" id="tdi-data">(.*?)</script>', page, re.DOTALL)
    assert payload is not None
    data = json.loads(payload.group(1))
    assert {n["name"] for n in data["nodes"]} == {HOSTILE, "Hauts-de-France"}
    assert data["options"]["layout"]["randomSeed"] == 7


@pytest.mark.parametrize("text", [HOSTILE, "a & b", "<!--", "\u2028", "é"])
def test_safe_json_has_no_markup_characters(text):
    encoded = safe_json({"name": text})
    assert not set("<>&\u2028") & set(encoded)
    assert json.loads(encoded) == {"name": text}


def test_seed_goes_into_the_layout(tmp_path):
    data = build_vis_data(nx.MultiDiGraph([("region:1", "region:2")]), title="t")
    assert '"randomSeed":42' in render_html(data, tmp_path / "p.html", seed=42).read_text(encoding="utf-8")


def test_missing_folder_is_a_user_error(tmp_path):
    data = build_vis_data(nx.MultiDiGraph(), title="t")
    with pytest.raises(TdiError, match="Check that its folder exists"):
        render_html(data, tmp_path / "no" / "such" / "p.html")


def test_page_draws_what_pyvis_builds(tmp_path):
    """The page writes vis-network's data itself (no pyvis import); pyvis stays the reference for its shape."""
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("company:x", kind="Company", key="x", name=HOSTILE, sources=["press-1"])
    G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
    G.add_node("operator:bpifrance", kind="Operator", key="bpifrance", name="Bpifrance")
    G.add_edge("company:x", "region:32", key="LOCATED_IN", type="LOCATED_IN")
    G.add_edge("operator:bpifrance", "company:x", key="FUNDS", type="FUNDS", amount_eur=1.5e6)
    data = build_vis_data(G, title="Funding")
    drawn = read_page_data(render_html(data, tmp_path / "p.html", seed=3))
    net = to_pyvis(data, seed=3)
    assert drawn["nodes"] == json.loads(json.dumps(net.nodes)) and len(drawn["nodes"]) == 3
    assert drawn["edges"] == json.loads(json.dumps(net.edges)) and len(drawn["edges"]) == 2
    assert drawn["options"] == net.options
    assert net.heading == "Funding"


def test_repeated_links_and_sources_are_written_once(tmp_path, policy_graph):
    data = build_vis_data(policy_graph(40), title="Shared")
    path = render_html(data, tmp_path / "p.html")
    page = path.read_text(encoding="utf-8")
    payload = json.loads(re.search(r'<script type="application/json" id="tdi-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert payload["shared"]["links"] == [{"label": "Un premier bilan (La Gazette, 2019-09)", "url": ""}]
    assert payload["shared"]["texts"] == ["sources:\n- Un premier bilan (La Gazette, 2019-09)"]
    assert page.count("Un premier bilan") == 2 + 1  # the two tables, and the side panel's list of sources
    drawn = read_page_data(path)
    assert "shared" not in drawn
    assert [n["title"] for n in drawn["nodes"]] == [n["title"] for n in data.nodes]
    assert [e["links"] for e in drawn["edges"]] == [e["links"] for e in data.edges]


def test_side_panel_escapes_communities_and_sources_and_links_only_web_addresses(tmp_path):
    from viz.build import VisData

    data = VisData(
        nodes=[], edges=[], title="T", caption="", notice=HOSTILE,
        legend=[{"kind": HOSTILE, "color": "#fff", "shape": "dot", "count": 2}],
        groups=[{"name": HOSTILE, "top": "Top & co", "count": 3, "color": "#abc"}],
        sources=[{"key": "a", "label": HOSTILE, "url": "https://example.org/?a=1&b=2"}, {"key": "b", "label": "Local", "url": "file.csv"}],
    )  # fmt: skip
    page = render_html(data, tmp_path / "panel.html").read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img" not in page
    assert page.count("&lt;/script&gt;&lt;script&gt;") == 6  # notice, legend (twice), community (twice), source
    assert "Top &amp; co" in page and "Sources (2)" in page
    links = [attrs["href"] for tag, attrs in tags_of(page) if tag == "a"]
    assert links == ["https://example.org/?a=1&b=2"]  # the file name is shown, not linked


def test_read_page_data_refuses_a_page_tdi_did_not_write(tmp_path):
    other = tmp_path / "other.html"
    other.write_text("<html><body>no data</body></html>", encoding="utf-8")
    with pytest.raises(TdiError, match="is not a network page written by tdi"):
        read_page_data(other)
