"""``tdi export json`` and ``graphml`` stream from the store and write the same bytes as the NetworkX route did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import cli
from graph.backend import EdgeRow, open_graph
from viz.export import write_export
from viz.node_link import write_node_link


@pytest.fixture
def odd_db(tmp_path: Path) -> Path:
    """A graph whose text holds what XML and JSON must escape or replace."""
    path = tmp_path / "odd"
    with open_graph(path) as graph:
        graph.upsert_nodes("Operator", [{"key": "op-a", "name": "A & <B> \"C\" ]]> é", "aliases": ["x > y"]}])
        graph.upsert_nodes("Project", [{"key": "p1", "name": "P"}])
        graph.upsert_edges("FUNDS", [EdgeRow("Operator", "op-a", "Project", "p1", {"amount_eur": 2.5, "year": 2024, "sources": ["s<1>"]})])
        # Stored past the loaders, as an older graph or another tool may have.
        graph.run("MATCH (o:Operator) SET o.name = $name, o.aliases = $aliases", write=True,
                  params={"name": "A & <B>\tD\r\nE\x00", "aliases": ["x\x1by", ""]})  # fmt: skip
    return path


@pytest.mark.parametrize("fmt", ["json", "graphml"])
@pytest.mark.parametrize("db", ["builtin_db", "odd_db"])
def test_the_streamed_export_equals_the_networkx_export(runner, request, tmp_path: Path, fmt: str, db: str) -> None:
    path = request.getfixturevalue(db)
    result = runner.invoke(cli, ["--db", str(path), "export", fmt, "-o", str(tmp_path / f"streamed.{fmt}")])
    assert result.exit_code == 0, result.output
    with open_graph(path, read_only=True) as graph:
        G = graph.to_networkx()
    write_export(G, fmt, tmp_path / f"networkx.{fmt}")
    assert (tmp_path / f"streamed.{fmt}").read_bytes() == (tmp_path / f"networkx.{fmt}").read_bytes()
    assert f"({G.number_of_nodes()} nodes, {G.number_of_edges()} relationships)" in result.stderr


def test_values_are_written_as_json_dumps_with_indent_writes_them(tmp_path: Path) -> None:
    nodes = [{"kind": "Project", "key": "p", "aliases": ["é", 'a"b'], "evidence": [], "jobs": 3, "share": 0.25, "ok": True,
              "years": [2020, float("nan")], "meta": {"a": [1]}, "id": "project:p"}]  # fmt: skip
    links = [{"type": "FUNDS", "amount_eur": float("inf"), "source": "project:p", "target": "project:p", "key": "FUNDS"}]
    said: list[str] = []
    path = write_node_link(nodes, links, tmp_path / "g.json", warn=said.append)
    expected = {"directed": True, "multigraph": True, "graph": {},
                "nodes": [{**nodes[0], "years": [2020, None]}], "links": [{**links[0], "amount_eur": None}]}  # fmt: skip
    assert path.read_text(encoding="utf-8") == json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    assert said == ["2 numbers that JSON cannot hold (NaN or infinity) written as null: project:p years, project:p -FUNDS-> project:p amount_eur."]
