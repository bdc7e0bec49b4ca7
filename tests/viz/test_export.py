"""Exports: GraphML and GEXF read back by NetworkX, neo4j-admin CSV headers, a Cypher script that runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.backend import open_graph
from graph.errors import SchemaError, TdiError
from viz.export import read_graph_file, write_export
from viz.neo4j_export import MANIFEST, column_type, cypher_literal

HOSTILE = "l'usine \\ \"quote\" ; a|b\nnew line </script>"


@pytest.fixture(scope="module")
def builtin_nx(builtin_db) -> nx.MultiDiGraph:
    with open_graph(builtin_db, read_only=True) as graph:
        return graph.to_networkx()


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:s-1", kind="Source", key="s-1", name=HOSTILE, rows=3)
    G.add_node("operator:bpifrance", kind="Operator", key="bpifrance", name=HOSTILE, aliases=[HOSTILE, "BPI"], sources=["s-1"])
    G.add_node("project:usine", kind="Project", key="usine", name="Usine", amount_eur=3e6, jobs=120, sources=[])
    G.add_edge("operator:bpifrance", "project:usine", key="FUNDS", type="FUNDS", amount_eur=1.2e6, year=2024, sources=["s-1"])
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_exactly(builtin_nx, tmp_path, fmt):
    path = write_export(builtin_nx, fmt, tmp_path / f"ti.{fmt}")
    assert nx.utils.graphs_equal(read_graph_file(path), builtin_nx)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_plain_networkx_reads_kinds_properties_and_json_lists(hostile, tmp_path, fmt):
    path = write_export(hostile, fmt, tmp_path / f"h.{fmt}")
    F = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    node = F.nodes["operator:bpifrance"]
    assert node["kind"] == "Operator" and node["name"] == node["label"] == HOSTILE
    assert json.loads(node["aliases"]) == [HOSTILE, "BPI"]
    assert F.nodes["project:usine"]["jobs"] == 120
    [(_, _, edge)] = F.edges(data=True)
    assert edge["amount_eur"] == 1.2e6 and (edge.get("type") or edge.get("rel_type")) == "FUNDS"


def test_csv_folder_has_neo4j_admin_headers(hostile, tmp_path):
    folder = write_export(hostile, "csv", tmp_path / "csv")
    with (folder / "nodes-Operator.csv").open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header == [":ID", "key", "name", "aliases:string[]", "sources:string[]", ":LABEL"]
    assert row[0] == "operator:bpifrance" and row[-1] == "Operator"
    with (folder / "relationships-FUNDS.csv").open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header == [":START_ID", ":END_ID", ":TYPE", "amount_eur:double", "sources:string[]", "year:long"]
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["array_delimiter"] == "\x1f"  # items hold both ";" and "|"
    assert "--nodes=nodes-Operator.csv" in manifest["command"] and "--relationships=relationships-FUNDS.csv" in manifest["command"]


def test_csv_export_refuses_a_folder_holding_other_files(hostile, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(TdiError, match="notes.txt"):
        write_export(hostile, "csv", tmp_path)
    assert (tmp_path / "notes.txt").exists()


def test_cypher_script_recreates_the_graph_with_hostile_text(hostile, tmp_path):
    script = write_export(hostile, "cypher", tmp_path / "g.cypher").read_text(encoding="utf-8")
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") and "$" not in line for line in statements)
    with open_graph(tmp_path / "graph") as graph:
        for statement in statements:
            if not statement.startswith("CREATE CONSTRAINT"):  # Neo4j DDL; the embedded engine has primary keys
                graph.run(statement.removesuffix(";"), write=True)
        G = graph.to_networkx()
    assert G.nodes["operator:bpifrance"]["name"] == HOSTILE
    assert G.nodes["operator:bpifrance"]["aliases"] == [HOSTILE, "BPI"]
    assert G.edges["operator:bpifrance", "project:usine", "FUNDS"]["amount_eur"] == 1.2e6


@pytest.mark.parametrize(
    ("value", "literal"),
    [("it's", "'it\\'s'"), ("a\\b", "'a\\\\b'"), ("x\ny", "'x\\ny'"), (2, "2"), (1.5, "1.5"), ([], "[]"), (None, "null"), (False, "false")],
)
def test_cypher_literals(value, literal):
    assert cypher_literal(value) == literal


def test_column_types():
    assert [column_type(v) for v in ([1, 2], [1.0, None], [True], [["a"]], ["a", 1])] == ["long", "double", "boolean", "string[]", "string"]


def test_unknown_format(hostile, tmp_path):
    with pytest.raises(SchemaError, match="graphml, gexf, json, csv, cypher"):
        write_export(hostile, "xlsx", tmp_path / "x")


def test_missing_folder_is_a_user_error(hostile, tmp_path):
    with pytest.raises(TdiError, match="Check that its folder exists"):
        write_export(hostile, "graphml", Path(tmp_path / "no" / "g.graphml"))
