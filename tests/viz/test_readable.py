"""What keeps pages readable: communes folded into their EPCI, ranking by importance, actors
stated by documents kept, hover-only edge labels, label sizes and the community legend."""

from __future__ import annotations

import networkx as nx
import pytest

from viz.build import COMMUNITY_COLOURS, EDGE_LABELS_MAX, build_vis_data
from viz.fold import epci_of, fold_communes, fold_sites
from viz.importance import importance, stated_actors
from viz.measures import actors_of
from viz.pages import draw_page
from viz.reduce import collapse_communities, top_view
from viz.views import actor_view

REF = "decoupage-administratif-2026"


def territory_graph(communes_per_epci: tuple[int, ...] = (10, 5, 3)) -> nx.MultiDiGraph:
    """A territory covering every commune of a few EPCI, funded by an operator a press article names."""
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node(f"source:{REF}", kind="Source", key=REF, type="dataset")
    G.add_node("source:press", kind="Source", key="press", type="press", name="Un premier bilan")
    G.add_node("source:list", kind="Source", key="list", type="dataset", name="ti_phase2.csv")
    G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France", sources=[REF])
    G.add_node("territory:II-t", kind="Territory", key="II-t", name="Béthune-Bruay", sources=["list"])
    G.add_node("operator:bdt", kind="Operator", key="bdt", name="Banque des Territoires", sources=["press"])
    G.add_edge("operator:bdt", "territory:II-t", key="SUPPORTS", type="SUPPORTS", sources=["press"])
    for e, count in enumerate(communes_per_epci):
        epci = f"epci:{e}"
        G.add_node(epci, kind="Epci", key=str(e), name=f"CA {e}", sources=[REF])
        G.add_edge(epci, "region:32", key="IN_REGION", type="IN_REGION", sources=[REF])
        for c in range(count):
            commune = f"commune:{e}{c:03d}"
            G.add_node(commune, kind="Commune", key=commune[8:], name=f"Commune {e}-{c}", sources=[REF])
            G.add_edge(commune, epci, key="IN_EPCI", type="IN_EPCI", sources=[REF])
            G.add_edge("territory:II-t", commune, key="COVERS", type="COVERS", sources=["list"])
    return G


def test_fold_communes_counts_them_and_reattaches_their_ties_once():
    G = territory_graph()
    H, folded = fold_communes(G)
    assert folded == 18
    assert not [n for n in H if n.startswith("commune:")]
    assert [H.nodes[f"epci:{e}"]["folded_communes"] for e in range(3)] == [10, 5, 3]
    covers = [(v, d["folded"], d["sources"]) for _, v, k, d in H.out_edges("territory:II-t", keys=True, data=True) if k == "COVERS"]
    assert sorted(covers) == [("epci:0", 10, ["list"]), ("epci:1", 5, ["list"]), ("epci:2", 3, ["list"])]
    assert H.number_of_edges("operator:bdt", "territory:II-t") == 1 and "source:press" in H


def test_fold_keeps_communes_a_document_states_or_without_their_epci():
    G = territory_graph((2,))
    G.nodes["commune:0000"]["sources"] = [REF, "press"]
    G.add_node("commune:lonely", kind="Commune", name="Seule", sources=[REF])
    G.add_edge("territory:II-t", "commune:lonely", key="COVERS", type="COVERS")
    H, folded = fold_communes(G)
    assert folded == 1 and {"commune:0000", "commune:lonely"} <= set(H)
    assert H.nodes["epci:0"]["folded_communes"] == 1


def test_fold_sites_into_their_programme_keeps_those_a_document_states():
    G = territory_graph((2,))
    G.add_node("programme:pvd", kind="Programme", key="pvd", name="Petites villes de demain", sources=["list"])
    for s in range(4):
        G.add_node(f"site:{s}", kind="Site", key=str(s), name=f"Site {s}", sources=["list"])
        G.add_edge(f"site:{s}", "programme:pvd", key="LABELLED", type="LABELLED", sources=["list"])
        G.add_edge(f"site:{s}", "commune:0000", key="COVERS", type="COVERS", sources=["list"])
    G.nodes["site:0"]["evidence"] = ["« la petite ville de demain de … »"]
    G.add_edge("operator:bdt", "site:1", key="FUNDS", type="FUNDS", sources=["press"])
    G.add_node("site:orphan", kind="Site", key="orphan", sources=["list"])  # its programme is not in the view
    H, folded = fold_sites(G)
    assert folded == 2 and {"site:0", "site:1", "site:orphan"} <= set(H) and {"site:2", "site:3"}.isdisjoint(H)
    assert H.nodes["programme:pvd"]["folded_sites"] == 2
    assert H.edges["programme:pvd", "commune:0000", "COVERS"]["folded"] == 2
    assert not H.has_edge("programme:pvd", "programme:pvd")
    both, _ = fold_sites(fold_communes(G)[0])  # communes first: the sites' ties end on the EPCI
    assert both.edges["programme:pvd", "epci:0", "COVERS"]["folded"] == 2


def test_leaving_the_administrative_map_out_keeps_the_epci_its_communes_fold_into():
    """``tdi viz`` without ``--all`` draws no more than with it, and folds the same communes."""
    G = territory_graph((3, 2))  # EPCI tied only to the region and to their communes, which a territory covers
    G.add_node("department:62", kind="Department", key="62", name="Pas-de-Calais", sources=[REF])
    G.add_edge("department:62", "region:32", key="IN_REGION", type="IN_REGION", sources=[REF])
    default, folded = fold_communes(actor_view(G))
    everything, folded_all = fold_communes(G)
    assert folded == folded_all == 5 and not [n for n in default if n.startswith("commune:")]
    assert set(actors_of(everything)) - set(actors_of(default)) == {"department:62", "region:32"}
    assert default.edges["territory:II-t", "epci:0", "COVERS"]["folded"] == 3


def test_a_commune_in_two_groupings_goes_to_the_smaller_current_one():
    G = nx.MultiDiGraph()
    for n in ("commune:a", "commune:b", "commune:c"):
        G.add_edge(n, "epci:mgp", key="IN_EPCI", type="IN_EPCI")
    G.add_edge("commune:a", "epci:ept", key="IN_EPCI", type="IN_EPCI")
    G.add_edge("commune:c", "epci:old", key="IN_EPCI", type="IN_EPCI", until="2024-01-01")
    assert epci_of(G) == {"commune:a": "epci:ept", "commune:b": "epci:mgp", "commune:c": "epci:mgp"}


def test_importance_ranks_what_documents_say_above_the_administrative_map():
    G = territory_graph((30,))
    scores = importance(G)
    assert scores["territory:II-t"] > scores["operator:bdt"] > scores["epci:0"] == 0
    assert scores["region:32"] == 0 < scores["commune:0000"] < 1  # one tie from a loaded list
    assert stated_actors(G) == ["operator:bdt", "territory:II-t"]


def test_importance_damps_a_programme_with_thousands_of_labelled_sites():
    G = nx.MultiDiGraph()
    G.add_node("source:press", kind="Source", key="press", type="press")
    G.add_node("programme:ti", kind="Programme", sources=["press"] * 3)
    for i in range(3000):
        G.add_edge(f"site:{i}", "programme:fs", key="LABELLED", type="LABELLED", sources=["press"])
    G.add_edge("operator:bdt", "programme:ti", key="FUNDS", type="FUNDS", sources=["press"])
    scores = importance(G)
    assert scores["programme:fs"] < 20 and scores["programme:ti"] > 10


def test_top_view_keeps_every_stated_actor_before_the_highest_values():
    G = territory_graph((30,))
    degree = {n: float(d) for n, d in G.degree()}
    H, notice = top_view(G, degree, max_nodes=4, measure="degree", keep=stated_actors(G))
    assert {"operator:bdt", "territory:II-t"} <= set(H) and "epci:0" in H
    assert "keeps all the 2 actors stated by documents or loaded tables" in notice


def test_draw_page_folds_communes_and_says_so(tmp_path):
    folded = draw_page(territory_graph(), tmp_path / "f.html", title="T", what="T", fold=("communes",))
    expanded = draw_page(territory_graph(), tmp_path / "e.html", title="T", what="T")
    assert (folded.nodes, expanded.nodes) == (6, 24)
    assert folded.notice.startswith("18 communes are folded into their 3 EPCI (--expand communes draws them).")
    assert expanded.notice == ""


def test_edge_labels_show_on_hover_only_from_sixty_edges():
    def star(edges: int) -> nx.MultiDiGraph:
        return nx.MultiDiGraph([("operator:o", f"project:{i}", "FUNDS") for i in range(edges)])

    few, many = build_vis_data(star(EDGE_LABELS_MAX - 1), title="few"), build_vis_data(star(EDGE_LABELS_MAX), title="many")
    assert {e["label"] for e in few.edges} == {"FUNDS"} and "hover_label" not in few.edges[0]
    assert {(e["label"], e["hover_label"]) for e in many.edges} == {("", "FUNDS")}


def test_label_sizes_follow_importance_and_folded_epci_show_their_communes():
    H, _ = fold_communes(territory_graph())
    data = build_vis_data(H, title="T", size_by="none", label_by=importance(H))
    font = {n["id"]: n["font"]["size"] for n in data.nodes}
    assert font["operator:bdt"] > font["epci:0"] > font["region:32"] >= 14
    assert [n["rank"] for n in data.nodes if n["id"] == "operator:bdt"] == [0]
    assert {n["label"] for n in data.nodes if n["kind"] == "Epci"} == {"CA 0 (10 communes)", "CA 1 (5 communes)", "CA 2 (3 communes)"}


def cliques(sizes: list[int]) -> nx.MultiDiGraph:
    """Disjoint cliques ``size`` actors each, the first actor of each tied to all (its most central)."""
    G = nx.MultiDiGraph()
    for c, size in enumerate(sizes):
        for i in range(size):
            G.add_node(f"company:{c}-{i}", kind="Company", name=f"Firm {c}-{i}")
        for i in range(1, size):
            G.add_edge(f"company:{c}-0", f"company:{c}-{i}", key="PARTNER_OF")
        if size > 2:
            G.add_edge(f"company:{c}-1", f"company:{c}-2", key="PARTNER_OF")
    return G


def test_community_legend_has_twenty_distinct_colours_then_other():
    sizes = [30 - c for c in range(25)]
    G = cliques(sizes)
    membership = {n: int(n.split(":")[1].split("-")[0]) for n in G}
    data = build_vis_data(G, title="C", color_by=membership)
    assert len(data.groups) == 21 and len({g["color"] for g in data.groups}) == 21
    assert [g["color"] for g in data.groups[:20]] == list(COMMUNITY_COLOURS)
    assert [(g["top"], g["count"]) for g in data.groups[:2]] == [("Firm 0-0", 30), ("Firm 1-0", 29)]
    assert (data.groups[-1]["name"], data.groups[-1]["count"], data.groups[-1]["top"]) == ("Other communities", sum(sizes[20:]), "5 smaller communities")


def test_collapsed_communities_show_their_true_size():
    G = cliques([12, 6, 3])
    membership = {n: int(n.split(":")[1].split("-")[0]) for n in G}
    data = build_vis_data(collapse_communities(G, membership), title="C", size_by="members", color_by={f"community:{c + 1}": c for c in range(3)})
    assert [(g["count"], g["top"]) for g in data.groups] == [(12, "Firm 0-0"), (6, "Firm 1-0"), (3, "Firm 2-0")]
    sizes = [n["size"] for n in sorted(data.nodes, key=lambda n: n["id"])]
    assert sizes[0] > sizes[1] > sizes[2]


@pytest.mark.parametrize("mode", ["colour", "collapse"])
def test_draw_page_communities_legend_counts_members(tmp_path, mode):
    page = draw_page(cliques([9, 5, 4]), tmp_path / "c.html", title="C", what="C", communities=mode)
    text = page.path.read_text(encoding="utf-8")
    assert "Firm 0-0" in text and 'title="Community 1: Firm 0-0, 9 actors"' in text


def test_caption_names_the_region_filter():
    from viz.pages import caption_for

    G = territory_graph((1,))
    assert caption_for(G, what="Actors", filters={"region": "32", "phase": "II"}).startswith(
        "Actors. Filters: region Hauts-de-France (32), phase II."
    )
