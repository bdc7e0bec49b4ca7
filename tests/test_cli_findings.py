"""Findings worth reading: analyses leave out the programme hub and the administrative map unless asked.

A small graph in the embedded engine: the programme ti labels four territories of Normandie (Axe
Seine in both phases), EPCI and territories sit in the region, three operators fund the programme
and projects. o1 and o2 share two projects and Axe Seine of both phases; o1 and o3 share one
project besides the programme.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import cli
from graph.backend import EdgeRow, open_graph

TERRITORIES = {"I-t1": ("Axe Seine", "I"), "II-t1": ("Axe Seine", "II"), "I-t2": ("Vallée", "I"), "II-t3": ("Côte", "II")}
COVERS = {"I-t1": ["200000172"], "II-t1": ["200000172", "200000438"], "I-t2": ["200000933"], "II-t3": ["200000933"]}
FUNDS = {"o1": ["p1", "p2", "I-t1", "II-t1"], "o2": ["p1", "p2", "I-t1", "II-t1"], "o3": ["p1"]}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("findings") / "graph"
    epci = sorted({e for found in COVERS.values() for e in found})
    with open_graph(path) as graph, graph.transaction():
        graph.upsert_nodes("Programme", [{"key": "ti", "name": "Territoires d'industrie"}])
        graph.upsert_nodes("Region", [{"key": "28", "name": "Normandie"}])
        graph.upsert_nodes("Epci", [{"key": e, "name": f"CC {e[-3:]}"} for e in epci])
        graph.upsert_nodes("Territory", [{"key": k, "name": n, "phase": p} for k, (n, p) in TERRITORIES.items()])
        graph.upsert_nodes("Operator", [{"key": o, "name": o.upper()} for o in FUNDS])
        graph.upsert_nodes("Project", [{"key": p, "name": p.upper()} for p in ("p1", "p2")])
        graph.upsert_edges("LABELLED", [EdgeRow("Territory", t, "Programme", "ti") for t in TERRITORIES])
        graph.upsert_edges("IN_REGION", [EdgeRow("Epci", e, "Region", "28") for e in epci]
                           + [EdgeRow("Territory", t, "Region", "28") for t in TERRITORIES])  # fmt: skip
        graph.upsert_edges("COVERS", [EdgeRow("Territory", t, "Epci", e) for t, found in COVERS.items() for e in found])
        graph.upsert_edges("LOCATED_IN", [EdgeRow("Project", p, "Epci", epci[0]) for p in ("p1", "p2")])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", o, "Programme", "ti", {"amount_eur": 1e6}) for o in FUNDS] + [
            EdgeRow("Operator", o, "Territory" if "-" in r else "Project", r) for o, found in FUNDS.items() for r in found
        ])  # fmt: skip
    return path


@pytest.fixture(scope="module")
def run(db):
    from click.testing import CliRunner

    runner = CliRunner()
    return lambda *args: runner.invoke(cli, ["--db", str(db), *args])


def test_centrality_leaves_out_the_programme_and_the_region_and_says_so(run):
    result = run("analyze", "centrality", "--format", "json")
    assert result.exit_code == 0, result.output
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert "programme:ti" not in ids and "region:28" not in ids and "operator:o1" in ids
    notice = result.stderr.splitlines()[0]
    assert notice.startswith("Left out the structure of the map (add --include-structure to keep it): "
                             "the programme Territoires d'industrie, which labels 4 territories; ")  # fmt: skip
    assert "(IN_REGION 7)" in notice and "1 actor tied only by them (Normandie)" in notice


def test_include_structure_brings_them_back(run):
    for command in ("centrality", "brokers"):
        result = run("analyze", command, "--include-structure", "--format", "json")
        assert result.exit_code == 0, result.output
        assert {"programme:ti", "region:28"} <= {r["id"] for r in json.loads(result.stdout)}
        assert "Left out" not in result.stderr


def test_brokers_leave_out_the_programme(run):
    result = run("analyze", "brokers", "--format", "json")
    assert result.exit_code == 0 and "programme:ti" not in {r["id"] for r in json.loads(result.stdout)}
    assert result.stderr.startswith("Left out the structure of the map")


def test_cofunding_needs_two_recipients_besides_the_programme(run):
    result = run("analyze", "cofunding", "--format", "json")
    assert result.exit_code == 0, result.output
    (pair,) = json.loads(result.stdout)
    assert (pair["funder_a"], pair["funder_b"], pair["shared"]) == ("operator:o1", "operator:o2", 4)
    assert pair["recipients"] == ["Axe Seine (I, II)", "P1", "P2"]  # one territory of both phases, named once
    for extra in ([], ["--include-structure"]):  # the programme is not counted, even when kept
        one = run("analyze", "cofunding", "--min-shared", "1", "--format", "json", *extra)
        o1_o3 = [r for r in json.loads(one.stdout) if (r["funder_a"], r["funder_b"]) == ("operator:o1", "operator:o3")]
        assert [r["recipients"] for r in o1_o3] == [["P1"]]


def test_report_says_what_it_left_out(run, tmp_path):
    out = tmp_path / "r.md"
    result = run("analyze", "report", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "*Left out the structure of the map (add --include-structure to keep it): the programme Territoires" in text
    assert "The funders that share the most recipients are O1 and O2 (4 in common" in text
    assert "| Territoires d" not in text.split("## Sources")[0]  # in no table
    kept = tmp_path / "all.md"
    assert run("analyze", "report", "--include-structure", "-o", str(kept)).exit_code == 0
    assert "Left out" not in kept.read_text(encoding="utf-8")


def test_report_names_who_shares_support_when_no_funders_share_recipients():
    import networkx as nx

    from queries.report import build_report

    G = nx.MultiDiGraph([(o, t, "SUPPORTS") for o in ("operator:a", "operator:b") for t in ("territory:I-1", "territory:II-2")])
    kinds = {"operator:a": "Operator", "operator:b": "Operator", "territory:I-1": "Territory", "territory:II-2": "Territory"}
    for node, kind in kinds.items():
        G.nodes[node].update(kind=kind, key=node.split(":")[1], name=node.split(":")[1].upper())
    G.nodes["territory:I-1"]["phase"], G.nodes["territory:II-2"]["phase"] = "I", "II"
    assert build_report(G, top=3)["findings"][-1] == (
        "No two funders share 2 recipients or more in this network (the programme that labels the territories does not count); "
        "counting support without an amount, A and B share the most: 2 (I-1 (I); II-2 (II))."
    )
