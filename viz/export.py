"""Write the graph to files other tools read: node-link JSON for now.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France")
>>> node_link(G)["nodes"][0]["id"]
'region:32'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["node_link", "write_json"]


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link data: ``nodes`` (id, kind, key, properties) and ``links`` (source, target, type, properties)."""
    data = nx.node_link_data(G, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def write_json(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write `node_link` of ``G`` to ``path`` as UTF-8 JSON; returns the path."""
    path = Path(path)
    path.write_text(json.dumps(node_link(G), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
