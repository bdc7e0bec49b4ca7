"""The slim graph analyses run on: what it holds, its disk cache, and that analyses give what the full export gave."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph import nxcache, projection
from graph.backend import EdgeRow, open_graph
from graph.name_cache import name_index
from queries.centrality import centrality
from queries.network import analysis_graph


@pytest.fixture
def db(tmp_path: Path) -> Path:
    with open_graph(tmp_path / "graph") as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France", "sources": ["cog"]}])
        graph.upsert_nodes("Operator", [{"key": "bpifrance", "name": "Bpifrance", "aliases": ["BPI"], "evidence": ["a quote"]}])
        graph.upsert_nodes("Project", [{"key": "p1", "name": "Usine"}])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "p1", {"amount_eur": 1.5e6, "year": 2024, "sources": ["s1"]})])
        graph.upsert_edges("PARTNER_OF", [EdgeRow("Operator", "bpifrance", "Region", "32", {"evidence": ["quoted"]})])
    return tmp_path / "graph"


def project(db: Path) -> nx.MultiDiGraph:
    with open_graph(db, read_only=True) as graph:
        return projection.project(graph)


def test_the_projection_holds_ids_kinds_types_and_what_analyses_read(db: Path, cache: Path) -> None:
    G = project(db)
    assert list(G) == ["operator:bpifrance", "project:p1", "region:32"]
    assert G.nodes["operator:bpifrance"] == {"kind": "Operator", "key": "bpifrance", "name": "Bpifrance", "sources": ()}
    assert G.nodes["region:32"]["sources"] == ("cog",)
    funds = G.edges["operator:bpifrance", "project:p1", "FUNDS"]
    assert funds == {"type": "FUNDS", "amount_eur": 1.5e6, "year": 2024, "sources": ("s1",)}
    assert "evidence" not in G.edges["operator:bpifrance", "region:32", "PARTNER_OF"]


def test_an_unchanged_graph_is_not_projected_again(db: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = project(db)
    assert len(list(cache.glob("projection-*.pickle"))) == 1
    monkeypatch.setattr(projection, "read_projection", lambda graph: pytest.fail("projected again"))
    assert nx.utils.graphs_equal(project(db), first)


def test_a_write_is_seen_by_the_next_projection(db: Path, cache: Path) -> None:
    project(db)
    with open_graph(db) as graph:
        graph.upsert_nodes("Project", [{"key": "p2", "name": "Atelier"}])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", "bpifrance", "Project", "p2", {"amount_eur": 2.0})])
        assert "project:p2" in projection.project(graph)  # open for writing: read, never cached
    assert project(db).edges["operator:bpifrance", "project:p2", "FUNDS"]["amount_eur"] == 2.0


def test_every_cache_lives_in_the_cache_directory(db: Path, cache: Path) -> None:
    with open_graph(db, read_only=True) as graph:
        name_index(graph), graph.to_networkx(), projection.project(graph)
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["names", "networkx", "projection"]
    assert sorted(p.name for p in db.parent.iterdir() if p.suffix != ".lock") == ["cache", "graph"]
    assert nxcache.load(db, "names", code=[Path(projection.__file__)]) is None  # another code, another key


def test_analyses_of_the_projection_equal_those_of_the_full_export(builtin_db: Path, cache: Path) -> None:
    with open_graph(builtin_db, read_only=True) as graph:
        full, slim = graph.to_networkx(), projection.project(graph)
    for filters in ({}, {"region": "32"}, {"phase": "II"}, {"as_of": "2020-06-30"}):
        A, B = analysis_graph(full, **filters), analysis_graph(slim, **filters)
        assert sorted(A.edges(keys=True)) == sorted(B.edges(keys=True)), filters
        assert {n: d["regions"] for n, d in A.nodes(data=True)} == {n: d["regions"] for n, d in B.nodes(data=True)}
        rows = lambda G: sorted((r["id"], r["degree"], r["ties"], r["betweenness"], r["pagerank"]) for r in centrality(G)["rows"])
        assert rows(A) == rows(B)


def test_a_second_analysis_of_an_unchanged_graph_reads_and_cuts_nothing(db: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import queries.network
    import queries.report  # imported before analysis_graph is replaced below, so that it keeps the real one
    from cli import cli

    command = ["--db", str(db), "analyze", "centrality", "--format", "csv"]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["network", "projection"]
    monkeypatch.setattr(projection, "read_projection", lambda graph: pytest.fail("projected again"))

    def built_again(*args: object, **kwargs: object) -> None:
        raise RuntimeError("network built again")

    monkeypatch.setattr(queries.network, "analysis_graph", built_again)
    again = CliRunner().invoke(cli, command)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout and "operator:bpifrance" in first.stdout
    report = CliRunner().invoke(cli, ["--db", str(db), "analyze", "report", "-o", str(db.parent / "report.md")])
    assert report.exit_code == 0, report.output  # the report shares the cached network
    with_region = CliRunner().invoke(cli, [*command, "--region", "32"])
    assert with_region.exit_code == 1 and "network built again" in str(with_region.exception)  # other filters, another network
