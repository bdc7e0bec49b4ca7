"""Exports stay valid whatever the graph holds: XML that NetworkX parses, strict JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cli import cli
from graph.backend import EdgeRow, open_graph
from graph.errors import TdiError
from viz.export import write_export, xml_safe

ODD = "Usine\x00 du Nord\x1b\x7f \ufffe fin\n"
SAFE = "Usine\ufffd du Nord\ufffd\x7f \ufffd fin\n"


def strict_json(path: Path) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def read_xml(path: Path) -> nx.Graph:
    return nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)


@pytest.fixture
def odd() -> nx.MultiDiGraph:
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("operator:a\x00", kind="Operator", key="a\x00", name=ODD, aliases=[ODD, "A"], score=float("nan"))
    G.add_node("project:p", kind="Project", key="p", name="P", amount_eur=float("-inf"), jobs=3)
    G.add_edge("operator:a\x00", "project:p", key="FUNDS", type="FUNDS", amount_eur=float("inf"), programme="x\x0by", years=[1.0, float("nan")])
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_parse_with_illegal_characters_replaced(odd: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    F = read_xml(write_export(odd, fmt, tmp_path / f"g.{fmt}"))
    node = F.nodes["operator:a\ufffd"]
    assert node["name"] == node["label"] == SAFE
    assert json.loads(node["aliases"]) == [ODD.replace("\ufffe", "\ufffd"), "A"]  # JSON text escapes control characters
    [(u, v, edge)] = F.edges(data=True)
    assert (u, v) == ("operator:a\ufffd", "project:p") and edge["programme"] == "x\ufffdy"


def test_xml_safe_keeps_what_xml_holds() -> None:
    assert xml_safe("\t\n\r é \U0001f3ed \ud7ff\ue000") == "\t\n\r é \U0001f3ed \ud7ff\ue000"
    assert xml_safe("\x00\x08\x0b\x0c\x1f\ud800\udfff\ufffe\uffff") == "\ufffd" * 9


def test_xml_exports_refuse_ids_that_would_merge(tmp_path: Path) -> None:
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_nodes_from(["operator:a\x00", "operator:a\x01"], kind="Operator")
    with pytest.raises(TdiError, match="differ only by characters XML cannot hold"):
        write_export(G, "graphml", tmp_path / "g.graphml")


def test_json_export_is_strict_and_says_what_became_null(odd: nx.MultiDiGraph, tmp_path: Path) -> None:
    warnings: list[str] = []
    data = strict_json(write_export(odd, "json", tmp_path / "g.json", warn=warnings.append))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["operator:a\x00"]["score"] is None and nodes["operator:a\x00"]["name"] == ODD
    assert nodes["project:p"]["amount_eur"] is None and nodes["project:p"]["jobs"] == 3
    [link] = data["links"]
    assert link["amount_eur"] is None and link["years"] == [1.0, None]
    where = "operator:a\\x00 score, project:p amount_eur, operator:a\\x00 -FUNDS-> project:p amount_eur, and 1 more"
    assert warnings == [f"4 numbers that JSON cannot hold (NaN or infinity) written as null: {where}."]


@pytest.fixture
def odd_db(tmp_path: Path) -> Path:
    """A real graph holding a name with NUL and control characters and an infinite amount."""
    path = tmp_path / "graph"
    with open_graph(path) as graph:
        graph.upsert_nodes("Operator", [{"key": "op-a", "name": "Op A"}])
        graph.upsert_nodes("Project", [{"key": "p1", "name": "P"}])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", "op-a", "Project", "p1", {"amount_eur": 5.0})])
        # Stored past the loaders, as an older graph or another tool may have: the export must still be valid.
        graph.run("MATCH (o:Operator) SET o.name = $name", {"name": ODD}, write=True)
        graph.run("MATCH ()-[f:FUNDS]->() SET f.amount_eur = $x", {"x": float("inf")}, write=True)
    return path


def test_cli_exports_of_a_graph_with_odd_values_are_valid(runner, odd_db: Path, tmp_path: Path) -> None:
    for fmt in ("graphml", "gexf"):
        result = runner.invoke(cli, ["--db", str(odd_db), "export", fmt, "-o", str(tmp_path / f"g.{fmt}")])
        assert result.exit_code == 0, result.output
        assert read_xml(tmp_path / f"g.{fmt}").nodes["operator:op-a"]["name"] == SAFE
    result = runner.invoke(cli, ["--db", str(odd_db), "export", "json", "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: 1 number that JSON cannot hold (NaN or infinity) written as null: ")
    data = strict_json(tmp_path / "g.json")
    assert data["links"][0]["amount_eur"] is None
    assert {n["id"]: n["name"] for n in data["nodes"]}["operator:op-a"] == ODD


@pytest.mark.parametrize(
    "command",
    [["cypher", "MATCH ()-[f:FUNDS]->() RETURN f.amount_eur AS amount, [f.amount_eur, 1.5] AS pair", "--format", "json"],
     ["show", "operator:op-a", "--format", "json"]],
)  # fmt: skip
def test_json_output_of_read_commands_is_strict(runner, odd_db: Path, tmp_path: Path, command: list[str]) -> None:
    result = runner.invoke(cli, ["--db", str(odd_db), *command])
    assert result.exit_code == 0, result.output
    (tmp_path / "out.json").write_text(result.stdout, encoding="utf-8")
    data = strict_json(tmp_path / "out.json")
    assert "Infinity" not in result.stdout and data
    assert result.stderr.startswith("Warning: ") and "written as null" in result.stderr
