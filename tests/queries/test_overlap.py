"""Programme × programme overlap on a hand-made case, where every figure is worked out by hand.

Ten communes in three EPCI: e1 = {c1, c2, c3}, e2 = {c4, c5}, e3 = {c6 … c10} (real SIRENs, made-up members). Programme a has
sites on c1 and c3; programme b a site covering EPCI e1 and one on c4; the phase II territory of
industry covers e2, a phase I one covers c10.

Communes (N = 10): a = {c1, c3}, b = {c1, c2, c3, c4}, ti (phase II) = {c4, c5}.
  a–b: shared 2, union 4 → Jaccard 0.5, lift 2·10/(2·4) = 2.5
  a–ti: shared 0 → 0.0, 0.0;  b–ti: shared 1 (c4), union 5 → 0.2, lift 1·10/(4·2) = 1.25
EPCI (N = 3): a = {e1}, b = {e1, e2}, ti = {e2}.
  a–b: shared 1, union 2 → 0.5, lift 1·3/(1·2) = 1.5;  a–ti: 0;  b–ti: 0.5, 1.5
"""

from __future__ import annotations

import json

from cli import cli
from graph.backend import EdgeRow, GraphBackend, open_graph
from queries.overlap import programme_overlap

COMMUNES = [f"010{n:02d}" for n in range(1, 11)]
EPCI = {"200072460": COMMUNES[:3], "247100589": COMMUNES[3:5], "244900809": COMMUNES[5:]}


def build(graph: GraphBackend) -> GraphBackend:
    with graph.transaction():
        graph.upsert_nodes("Commune", [{"key": c, "name": f"C{c}"} for c in COMMUNES])
        graph.upsert_nodes("Epci", [{"key": e, "name": f"E{e}"} for e in EPCI])
        graph.upsert_nodes("Programme", [{"key": "prog-a", "name": "A", "code": "a"}, {"key": "prog-b", "name": "B", "code": "b"}])
        graph.upsert_nodes("Site", [{"key": k, "name": k} for k in ("a-1", "a-2", "b-1", "b-2")])
        graph.upsert_nodes("Territory", [{"key": "II-ti-1", "name": "T2", "phase": "II"}, {"key": "I-ti-1", "name": "T1", "phase": "I"}])
        graph.upsert_edges("IN_EPCI", [EdgeRow("Commune", c, "Epci", e) for e, cs in EPCI.items() for c in cs])
        graph.upsert_edges("LABELLED", [EdgeRow("Site", s, "Programme", f"prog-{s[0]}") for s in ("a-1", "a-2", "b-1", "b-2")])
        graph.upsert_edges("COVERS", [
            EdgeRow("Site", "a-1", "Commune", COMMUNES[0]), EdgeRow("Site", "a-2", "Commune", COMMUNES[2]),
            EdgeRow("Site", "b-1", "Epci", "200072460"), EdgeRow("Site", "b-2", "Commune", COMMUNES[3]),
            EdgeRow("Territory", "II-ti-1", "Epci", "247100589"), EdgeRow("Territory", "I-ti-1", "Commune", COMMUNES[9]),
        ])  # fmt: skip
    return graph


def test_overlap_by_hand(backend: GraphBackend) -> None:
    rows = programme_overlap(build(backend), phase="II")["rows"]
    table = {(r["programme_a"], r["programme_b"]): r for r in rows}
    assert set(table) == {("a", "b"), ("a", "ti"), ("b", "ti")}
    figures = ("shared_communes", "jaccard_communes", "lift_communes", "shared_epci", "jaccard_epci", "lift_epci")
    assert [table["a", "b"][f] for f in figures] == [2, 0.5, 2.5, 1, 0.5, 1.5]
    assert [table["a", "ti"][f] for f in figures] == [0, 0.0, 0.0, 0, 0.0, 0.0]
    assert [table["b", "ti"][f] for f in figures] == [1, 0.2, 1.25, 1, 0.5, 1.5]
    assert (table["b", "ti"]["a_communes"], table["b", "ti"]["b_communes"]) == (4, 2)


def test_phase_and_programme_filters(backend: GraphBackend) -> None:
    build(backend)
    both = {(r["programme_a"], r["programme_b"]): r for r in programme_overlap(backend)["rows"]}
    assert both["b", "ti"]["b_communes"] == 3  # c4, c5 and phase I's c10
    only = programme_overlap(backend, programmes=["B", "ti"], phase="II")["rows"]
    assert [(r["programme_a"], r["programme_b"], r["lift_communes"]) for r in only] == [("b", "ti", 1.25)]


def test_cli_analyze_overlap(runner, tmp_path) -> None:
    with open_graph(tmp_path / "g") as graph:
        build(graph)
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "analyze", "overlap", "--phase", "II", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["lift_communes"] == 2.5 and "ti = Territoires d'industrie" in result.stderr
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "analyze", "overlap", "--phase", "III"])
    assert result.exit_code == 2 and "'III' is not one of 'I', 'II'" in result.stderr
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "analyze", "overlap", "--programme", "pvdd", "--programme", "ti"])
    assert result.exit_code == 1 and result.stderr.startswith('Error: No programme "pvdd" in the graph. It holds: ')
    assert " ti" in result.stderr.splitlines()[0]


def test_no_pair_without_two_programmes(empty_graph: GraphBackend) -> None:
    assert programme_overlap(empty_graph)["rows"] == []


def test_comembership_counts_programmes_present(empty_graph: GraphBackend) -> None:
    from queries.network import analysis_graph
    from queries.projections import comembership

    A = analysis_graph(build(empty_graph).to_networkx())
    assert set(A.successors("programme:prog-b")) == {"epci:200072460", "epci:247100589", "territory:II-ti-1"}
    pairs = {(r["member_a"], r["member_b"]): r["partners"] for r in comembership(A)["rows"]}
    assert pairs["epci:200072460", "epci:247100589"] == ["B"]  # programme b, present in both



def test_region_is_read_as_every_region_option(backend: GraphBackend) -> None:
    import pytest

    from graph.errors import ActorNotFound

    build(backend)
    with backend.transaction():
        backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
        backend.upsert_edges("IN_REGION", [EdgeRow("Epci", "200072460", "Region", "32")])
    by_code = programme_overlap(backend, region="32")["rows"]
    assert [(r["programme_a"], r["programme_b"], r["shared_epci"]) for r in by_code] == [("a", "b", 1), ("a", "ti", 0), ("b", "ti", 0)]
    assert programme_overlap(backend, region="Région Hauts de France")["rows"] == by_code
    with pytest.raises(ActorNotFound, match='No region "Atlantis"'):
        programme_overlap(backend, region="Atlantis")
