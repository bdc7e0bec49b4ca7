"""The analyses on the built-in dataset: what the programme's documents say about who works with whom."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.backend import open_graph
from queries.brokerage import brokers
from queries.centrality import centrality
from queries.communities import communities
from queries.compare import compare_snapshots
from queries.network import analysis_graph
from queries.projections import cofunding, comembership
from queries.report import build_report, render_html, render_markdown, write_report


@pytest.fixture(scope="module")
def G(builtin_db) -> nx.MultiDiGraph:
    with open_graph(builtin_db, read_only=True) as graph:
        return graph.to_networkx()


@pytest.fixture(scope="module")
def actors(G) -> nx.MultiDiGraph:
    return analysis_graph(G)


def test_the_actor_network_has_no_places_documents_or_isolates(actors):
    kinds = {d["kind"] for _, d in actors.nodes(data=True)}
    assert {"Programme", "Territory", "Operator", "Person"} <= kinds
    assert not kinds & {"Commune", "Department", "Source", "Figure", "Event"}
    assert not list(nx.isolates(actors))


def test_the_programme_is_the_most_connected_actor(actors):
    rows = centrality(actors, top=3)["rows"]
    assert rows[0]["id"] == "programme:territoires-d-industrie"
    assert rows[0]["degree"] >= rows[1]["degree"] >= rows[2]["degree"]


def test_hauts_de_france_brokers_its_region(G):
    A = analysis_graph(G, region="32")
    assert all("32" in d["regions"] for _, d in A.nodes(data=True))
    top = [r["id"] for r in brokers(A, top=3)["rows"]]
    assert "region:32" in top


def test_communities_are_reproducible(actors):
    first, again = communities(actors, seed=7), communities(actors, seed=7)
    assert first["membership"] == again["membership"]
    assert sum(r["size"] for r in first["rows"]) == actors.number_of_nodes()


def test_cofunding_and_comembership(actors):
    pairs = {(r["funder_a"], r["funder_b"]) for r in cofunding(actors, with_support=True)["rows"]}
    assert ("operator:banque-des-territoires", "operator:bpifrance") in pairs
    shared = comembership(actors, min_shared=2)["rows"]
    assert shared and all(r["member_a"].startswith(("territory:", "epci:")) for r in shared)


def test_phase_ii_brings_in_the_douaisis(G):
    result = compare_snapshots(G, phases=("I", "II"))
    changes = {r["id"]: r["change"] for r in result["actors"]}
    assert changes["territory:II-ti-3207"] == "entered"
    assert changes["territory:I-ti-3204"] == "left"
    assert result["notes"][0].startswith("Compared phase I → phase II")


def test_report_in_markdown_and_html(G, tmp_path):
    report = build_report(G, region="32", top=5)
    assert report["scope"] == "region Hauts-de-France"
    assert report["findings"][0].startswith("The network has ")
    assert [t["title"] for t in report["tables"]] == ["Most central actors", "Brokers", "Communities", "Co-funders"]
    assert report["sources"] and all(s["name"] for s in report["sources"])
    markdown = render_markdown(report)
    assert "## Key findings" in markdown and "## Sources" in markdown
    assert "<h2>Brokers</h2>" in render_html(report)
    written = write_report(G, tmp_path / "r.html", phase="II", top=3)
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert written["scope"] == "phase II"
