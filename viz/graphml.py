"""GraphML straight from node-link records, written as NetworkX's GraphML writer writes `viz.export`'s flat graph.

`write_graphml_records` takes the records of `viz.node_link.store_records` and writes, line by
line, the bytes ``nx.write_graphml`` writes for the graph `viz.export.write_graphml` prepares
(lists as JSON text named by ``tdi_list_properties``, a ``label`` per node, XML-safe text, key
ids ``d0``, ``d1``… in order of first use, listed newest first), without building a graph.

Example
-------
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "g.graphml"
>>> _ = write_graphml_records([{"kind": "Region", "key": "32", "name": "HdF", "id": "region:32"}], [], path)
>>> import networkx as nx
>>> nx.read_graphml(path).nodes["region:32"]["label"]
'HdF'
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["LIST_ATTRIBUTE", "flat_properties", "write_graphml_records", "xml_safe"]

LIST_ATTRIBUTE = "tdi_list_properties"
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def write_graphml_records(nodes: Sequence[dict[str, Any]], links: Sequence[dict[str, Any]], path: Path) -> Path:
    """Write node-link records (``id`` on nodes; ``source``, ``target``, ``key`` on links) as GraphML; returns the path.

    Raises
    ------
    TdiError
        Two node ids differ only by characters XML cannot hold.
    """
    lists: set[str] = set()
    texts: dict[tuple[Any, ...], str] = {}  # the JSON text of each distinct list (sources repeat)
    flat_nodes = [(n["id"], flat_properties({k: v for k, v in n.items() if k != "id"}, lists, texts))
                  for n in sorted(nodes, key=lambda n: n["id"])]  # fmt: skip
    for node_id, data in flat_nodes:
        data["label"] = xml_safe(str(data.get("name") or node_id))
    ids = _safe_ids([node_id for node_id, _ in flat_nodes])
    ordered = sorted(links, key=lambda e: (e["source"], e["target"], e["key"]))
    flat_links = [(e, flat_properties({k: v for k, v in e.items() if k not in ("source", "target", "key")}, lists, texts))
                  for e in ordered]  # fmt: skip
    graph_data = {LIST_ATTRIBUTE: json.dumps(sorted(lists))}
    # Key ids in order of first use, graph then nodes then ties; each (name, type) opens its <data> element.
    keys: list[tuple[str, str, str]] = []
    opening: dict[str, dict[tuple[str, type], str]] = {}
    for scope, records in (("graph", [graph_data]), ("node", [d for _, d in flat_nodes]), ("edge", [d for _, d in flat_links])):
        opening[scope] = {}
        for data in records:
            for item in zip(data, map(type, data.values())):
                if item not in opening[scope]:
                    opening[scope][item] = f'{"" if scope == "graph" else "  "}<data key="d{len(keys)}">'
                    keys.append((item[0], _XML_TYPES[item[1]], scope))
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEADER)
        for key_id, (name, xml_type, scope) in reversed(list(enumerate(keys))):
            out.write(f'<key id="d{key_id}" for="{scope}" attr.name="{_attr(name)}" attr.type="{xml_type}"/>\n')
        out.write('<graph edgedefault="directed">' + _data(opening["graph"], graph_data))
        for node_id, data in flat_nodes:
            out.write(f'<node id="{_attr(ids[node_id])}">\n{_data(opening["node"], data)}</node>\n')
        for link, data in flat_links:
            ends = f'source="{_attr(ids[link["source"]])}" target="{_attr(ids[link["target"]])}" id="{_attr(xml_safe(str(link["key"])))}"'
            out.write(f"<edge {ends}>\n{_data(opening['edge'], data)}</edge>\n")
        out.write("</graph></graphml>")
    return path


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by U+FFFD.

    >>> xml_safe("Usine\\x00 Nord\\x1b") == "Usine\\ufffd Nord\\ufffd"
    True
    """
    return _XML_ILLEGAL.sub("\ufffd", text)


def flat_properties(data: dict[str, Any], lists: set[str], texts: dict[tuple[Any, ...], str] | None = None) -> dict[str, Any]:
    """Properties as GraphML and GEXF hold them: lists as JSON text (their names noted in ``lists``;
    ``texts`` remembers lists already written), text XML-safe, no empty value.

    >>> lists = set()
    >>> flat_properties({"name": "Béthune", "sources": ["s1"], "until": None}, lists), lists
    ({'name': 'Béthune', 'sources': '["s1"]'}, {'sources'})
    """
    texts = {} if texts is None else texts
    flat = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            lists.add(name)
            value = texts.get(key := tuple(value)) or texts.setdefault(key, _json_list(value))
        # Printable ASCII needs no replacement: skip the expression for most text.
        flat[name] = (value if value.isascii() and value.isprintable() else xml_safe(value)) if isinstance(value, str) else value
    return flat


def _json_list(value: Any) -> str:
    """``json.dumps(list(value), ensure_ascii=False)``, faster for lists of text."""
    if all(type(v) is str for v in value):
        return "[" + ", ".join(map(_string, value)) + "]"
    return json.dumps(list(value), ensure_ascii=False)


def _safe_ids(node_ids: list[str]) -> dict[str, str]:
    """Each id as XML-safe text; two ids that would become one are refused, as `viz.export` refuses them."""
    from graph.errors import TdiError

    ids, seen = {}, {}
    for node_id in node_ids:
        safe = xml_safe(str(node_id))
        if seen.setdefault(safe, node_id) != node_id:
            raise TdiError(f"{seen[safe]!r} and {node_id!r} differ only by characters XML cannot hold, so GraphML and GEXF "
                           "would merge them. Rename one, or export json or csv.")  # fmt: skip
        ids[node_id] = safe
    return ids


def _data(opening: dict[tuple[str, type], str], data: dict[str, Any]) -> str:
    """The <data> elements of one node, tie or graph."""
    return "".join(
        f"{opening[name, type(value)]}{_text(value if type(value) is str else str(value))}</data>\n" for name, value in data.items()
    )


def _text(text: str) -> str:
    """Text as the XML writer escapes it (each ``replace`` returns the text itself when there is nothing to replace)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return text.translate(_ATTRIBUTE)
