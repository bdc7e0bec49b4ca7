"""``tdi export json`` streams from the store and writes the same bytes as the NetworkX route, which tdi load json reads back."""

from __future__ import annotations

import json
from pathlib import Path

from cli import cli
from graph.backend import open_graph
from viz.export import write_json
from viz.node_link import write_node_link


def test_the_streamed_export_equals_the_networkx_export(runner, builtin_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(builtin_db), "export", "json", "-o", str(tmp_path / "streamed.json")])
    assert result.exit_code == 0, result.output
    with open_graph(builtin_db, read_only=True) as graph:
        G = graph.to_networkx()
    write_json(G, tmp_path / "networkx.json")
    streamed = (tmp_path / "streamed.json").read_bytes()
    assert streamed == (tmp_path / "networkx.json").read_bytes()
    data = json.loads(streamed)
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["links"]) == G.number_of_edges()
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
