"""Local views read only a neighbourhood from the store, and show what they show on the whole graph.

One small graph shaped like the programme's (a department with its communes, an EPCI, two
territories covering them, a site of another programme, a company, funders and a project) is
written once; each view is computed on the whole export and on the part
`commands.local_views` fetches, and the two must be equal (`Source` nodes no fact of the view
cites aside: the local part carries only those it cites).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from commands.local_views import ego_neighbourhood, path_neighbourhood, territory_neighbourhood
from graph.backend import EdgeRow, GraphBackend, open_graph
from graph.keys import luhn_check_digit
from graph.tie_graph import TieGraph
from queries.paths import NOT_ACTORS, shortest_paths
from viz.measures import actors_of
from viz.pages import draw_page
from viz.views import ego_view, filter_view, path_view, territory_view

EPCI = "20004" + "123"
EPCI = EPCI + luhn_check_digit(EPCI)
OTHER_EPCI = "20004" + "456"
OTHER_EPCI = OTHER_EPCI + luhn_check_digit(OTHER_EPCI)
COMPANY = "55210" + "005"
COMPANY = COMPANY + luhn_check_digit(COMPANY)
COMMUNES = [f"621{i:02d}" for i in range(1, 9)]


def _write(graph: GraphBackend) -> None:
    up, link = graph.upsert_nodes, graph.upsert_edges
    up("Source", [{"key": "list", "name": "Official list"}, {"key": "press", "name": "Press"}, {"key": "unused", "name": "Unused"}])
    up("Region", [{"key": "32", "name": "Hauts-de-France"}])
    up("Department", [{"key": "62", "name": "Pas-de-Calais"}])
    up("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    up("Epci", [{"key": EPCI, "name": "CA Béthune-Bruay"}, {"key": OTHER_EPCI, "name": "CC Autre"}])
    up("Territory", [{"key": "I-ti-3204", "name": "Béthune-Bruay", "phase": "I"}, {"key": "II-ti-3205", "name": "Artois", "phase": "II"}])
    up("Programme", [{"key": "ti", "name": "Territoires d'industrie"}, {"key": "pvd", "name": "Petites villes de demain"}])
    up("Site", [{"key": "pvd-62-1", "name": "PVD site"}])
    up("Company", [{"key": COMPANY, "name": "Usine"}])
    up("Project", [{"key": "gigafactory", "name": "Gigafactory", "sources": ["press"]}])
    up("Operator", [{"key": "bpifrance", "name": "Bpifrance"}, {"key": "bdt", "name": "Banque des Territoires"}])
    link("IN_REGION", [EdgeRow("Department", "62", "Region", "32")])
    link("IN_DEPARTMENT", [EdgeRow("Commune", c, "Department", "62") for c in COMMUNES])
    link("IN_EPCI", [EdgeRow("Commune", c, "Epci", EPCI if i < 5 else OTHER_EPCI) for i, c in enumerate(COMMUNES)])
    covers = [EdgeRow("Territory", "I-ti-3204", "Epci", EPCI, {"sources": ["list"]})]
    covers += [EdgeRow("Territory", "I-ti-3204", "Commune", c, {"sources": ["list"]}) for c in COMMUNES[:3]]
    covers += [EdgeRow("Territory", "II-ti-3205", "Commune", COMMUNES[2]), EdgeRow("Site", "pvd-62-1", "Commune", COMMUNES[1])]
    link("COVERS", covers)
    link("LABELLED", [EdgeRow("Territory", "I-ti-3204", "Programme", "ti"), EdgeRow("Territory", "II-ti-3205", "Programme", "ti"),
                      EdgeRow("Site", "pvd-62-1", "Programme", "pvd")])  # fmt: skip
    link("LOCATED_IN", [EdgeRow("Company", COMPANY, "Commune", COMMUNES[0]), EdgeRow("Project", "gigafactory", "Commune", COMMUNES[1])])
    link("CARRIES", [EdgeRow("Company", COMPANY, "Project", "gigafactory")])
    link("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "gigafactory", {"amount_eur": 2e6, "sources": ["press"]}),
                   EdgeRow("Operator", "bdt", "Programme", "pvd")])  # fmt: skip
    link("SUPPORTS", [EdgeRow("Operator", "bdt", "Territory", "I-ti-3204")])


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphBackend, nx.MultiDiGraph]]:
    """The graph, opened read-only, and its whole export."""
    path: Path = tmp_path_factory.mktemp("local") / "graph"
    with open_graph(path) as graph:
        _write(graph)
    with open_graph(path, read_only=True) as graph:
        yield graph, graph.to_networkx()


def _cited(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` without the documents that none of its facts cites."""
    cited = {s for _, d in G.nodes(data=True) for s in d.get("sources", [])}
    cited |= {s for *_, d in G.edges(data=True) for s in d.get("sources", [])}
    return G.subgraph([n for n, kind in G.nodes(data="kind") if kind != "Source" or G.nodes[n]["key"] in cited])


def _same(local: nx.MultiDiGraph, whole: nx.MultiDiGraph) -> None:
    """Equal nodes, ties and attributes, and the same documents cited by them."""
    local, whole = _cited(local), _cited(whole)
    assert dict(local.nodes(data=True)) == dict(whole.nodes(data=True))
    assert sorted(local.edges(keys=True, data=True), key=repr) == sorted(whole.edges(keys=True, data=True), key=repr)


@pytest.mark.parametrize("node", ["operator:bpifrance", "territory:I-ti-3204", "commune:62102", "department:62", "company:" + COMPANY])
@pytest.mark.parametrize("depth", [1, 2])
def test_ego_view_of_the_neighbourhood_is_the_ego_view(graphs, node: str, depth: int) -> None:
    graph, whole = graphs
    _same(ego_view(graph.neighbourhood([node], depth), node, depth=depth), ego_view(whole, node, depth=depth))


@pytest.mark.parametrize("node", ["territory:I-ti-3204", "territory:II-ti-3205"])
def test_territory_view_of_the_neighbourhood_is_the_territory_view(graphs, node: str) -> None:
    graph, whole = graphs
    local = territory_view(territory_neighbourhood(graph, node), node)
    _same(local, territory_view(whole, node))
    assert "operator:bpifrance" in local or node.startswith("territory:II")  # it funds a project located inside


@pytest.mark.parametrize(
    ("source", "target"),
    [("operator:bpifrance", "territory:I-ti-3204"), ("site:pvd-62-1", "operator:bpifrance"), ("region:32", "programme:pvd")],
)
def test_paths_in_the_neighbourhood_are_the_paths(graphs, source: str, target: str) -> None:
    graph, whole = graphs
    _same(path_view(path_neighbourhood(graph, source, target), source, target), path_view(whole, source, target))
    for max_length in (2, 6):
        expected = shortest_paths(whole, source, target, max_length=max_length, all_paths=True)
        for plain in (False, True):  # tdi path reads a TieGraph, tdi viz path a NetworkX graph
            local = path_neighbourhood(graph, source, target, max_length=max_length, exclude_kinds=NOT_ACTORS, plain=plain)
            assert shortest_paths(local, source, target, max_length=max_length, all_paths=True) == expected


def test_ties_read_from_the_cheaper_end_are_the_same_ties(graphs) -> None:
    """Choosing each tie query's end by the counted ties changes the cost, not the part read."""
    from graph.subgraph import read_subgraph

    graph, whole = graphs
    counts = graph.tie_counts()
    assert counts.ties[("Commune", "IN_DEPARTMENT", "Department")] == len(COMMUNES)
    assert counts.nodes["Commune"] == len(COMMUNES)
    ids = ["site:pvd-62-1", "programme:pvd", "programme:ti", "department:62", *(f"commune:{c}" for c in COMMUNES[:3])]
    queries: list[str] = []
    logged = lambda cypher, params: queries.append(cypher) or graph.columns(cypher, params)
    counted, plain = read_subgraph(logged, ids, counts=counts), read_subgraph(graph.columns, ids)
    _same(counted, plain)
    _same(counted, whole.subgraph([*ids, *(n for n, k in whole.nodes(data="kind") if k == "Source")]))
    # 3 communes of 8 bring 3 ties; the department (fewer keys) would bring all 8.
    assert any(re.search(r"\(a:Commune\)-\[r:[A-Z_|]*\bIN_DEPARTMENT\b", q) for q in queries)
    assert not any(re.search(r"\(b:Department\)<-\[r:[A-Z_|]*\bIN_DEPARTMENT\b", q) for q in queries)
    # The types read from one label's end are read in one query.
    ends = [m.group(0) for q in queries for m in re.finditer(r"\((a|b):\w+\)(-|<-)\[r:", q)]
    assert len(ends) == len(set(ends)) and any("|" in q for q in queries)


PAGE_OPTIONS = [
    {},
    {"fold": ["communes"]},
    {"size": "degree", "max_nodes": 5},
    {"size": "betweenness"},
    {"size": "euros", "fold": ["communes", "sites"]},
    {"communities": "colour"},
    {"max_nodes": 5, "reduce": "communities"},
]


@pytest.mark.parametrize("view", ["ego", "territory"])
def test_pages_drawn_from_the_tie_graph_are_those_drawn_through_networkx(graphs, tmp_path: Path, view: str) -> None:
    """`tdi viz ego` and `tdi viz territory` draw a TieGraph (no NetworkX to import): with every option,
    the page is byte for byte the one drawn from the same part read into NetworkX, and the default
    page is the one drawn from the whole graph."""
    graph, whole = graphs
    if view == "ego":
        node, local = "operator:bdt", ego_neighbourhood(graph, "operator:bdt", 2, limit=100)
        select = lambda G: ego_view(G, node, depth=2)
    else:
        node, local = "territory:I-ti-3204", territory_neighbourhood(graph, "territory:I-ti-3204")
        select = lambda G: territory_view(G, node)
    assert isinstance(local, TieGraph) and isinstance(select(local), TieGraph)
    pages = {}
    for i, options in enumerate(PAGE_OPTIONS):
        for name, G in (("plain", local), ("networkx", local.to_networkx()), ("whole", whole)):
            if name == "whole" and options:
                continue
            pages[name] = draw_page(select(G), tmp_path / f"{name}-{i}.html", title=node, what=node, **options)
        assert pages["plain"].path.read_bytes() == pages["networkx"].path.read_bytes(), options
    assert (tmp_path / "plain-0.html").read_bytes() == (tmp_path / "whole-0.html").read_bytes()
    assert pages["plain"].reduced  # the last options do reduce the page
    filtered = [filter_view(select(G), kinds=["Operator", "Project"]) for G in (local, whole)]  # a filter goes through NetworkX
    assert [actors_of(G) for G in filtered] == [actors_of(filtered[1])] * 2 and actors_of(filtered[1])
