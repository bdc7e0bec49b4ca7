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
from collections.abc import Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

__all__ = ["LIST_ATTRIBUTE", "flat_properties", "write_graphml_records", "xml_ids", "xml_safe"]

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

    One pass writes the body in memory while numbering the keys in order of first use (graph, then
    nodes, then ties); the keys, which the file lists first, are then known.

    Raises
    ------
    TdiError
        Two node ids differ only by characters XML cannot hold.
    """
    ordered_nodes = sorted(nodes, key=itemgetter("id"))
    ids = {node_id: _attr(safe) for node_id, safe in xml_ids([n["id"] for n in ordered_nodes]).items()}
    body = _Body()
    for node in ordered_nodes:
        label = body.text(node["name"]) if _has_text_name(node) else _text(_label(node))
        body.add(f'<node id="{ids[node["id"]]}">\n', "node", node, ("id",), "</node>\n", label=label)
    edge_ids: dict[Any, str] = {}
    for link in sorted(links, key=itemgetter("source", "target", "key")):
        key = edge_ids.get(link["key"]) or edge_ids.setdefault(link["key"], _attr(xml_safe(str(link["key"]))))
        ends = f'<edge source="{ids[link["source"]]}" target="{ids[link["target"]]}" id="{key}">\n'
        body.add(ends, "edge", link, ("source", "target", "key"), "</edge>\n")
    graph_data = f'<data key="d0">{_text(json.dumps(sorted(body.lists)))}</data>\n'
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEADER)
        for key_id, (name, xml_type, scope) in reversed(list(enumerate(body.keys))):
            out.write(f'<key id="d{key_id}" for="{scope}" attr.name="{_attr(name)}" attr.type="{xml_type}"/>\n')
        out.write('<graph edgedefault="directed">' + graph_data)
        for start in range(0, len(body.parts), _CHUNK):
            out.write("".join(body.parts[start : start + _CHUNK]))
        out.write("</graph></graphml>")
    return path


_CHUNK = 20_000  # elements written at a time


def _has_text_name(node: dict[str, Any]) -> bool:
    return type(node.get("name")) is str and node["name"] != ""


def _label(node: dict[str, Any]) -> str:
    """A node's ``label``: its flattened name, else its id (XML-safe, not yet escaped)."""
    return xml_safe(str(flat_properties({"name": node.get("name")}, set()).get("name") or node["id"]))


class _Body:
    """The <node> and <edge> elements, with the keys they use numbered in order of first use (``d0``: the graph's list names)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.keys: list[tuple[str, str, str]] = [(LIST_ATTRIBUTE, "string", "graph")]
        self.lists: set[str] = set()  # names of the properties that hold lists
        self._opening: dict[tuple[str, str, type], str] = {}
        # Each distinct text and list as escaped text: 700,000 values of the full graph hold 160,000 distinct ones.
        self._texts: dict[Any, str] = {}

    def text(self, value: str) -> str:
        """``value`` XML-safe and escaped (remembered: names, dates and phases repeat)."""
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = _text(value if value.isascii() and value.isprintable() else xml_safe(value))
        return text

    def add(self, start: str, scope: str, record: dict[str, Any], skip: tuple[str, ...], end: str, label: str | None = None) -> None:
        """One element: ``start``, a <data> per property of ``record`` but ``skip`` (as `flat_properties`
        flattens it), then one for ``label`` if given, ``end``."""
        opening, texts, parts = self._opening, self._texts, [start]
        for name, value in record.items():
            if value is None or name in skip:
                continue
            kind = type(value)
            if kind is str:
                text = texts.get(value) or self.text(value)
            elif kind is list or kind is tuple:
                self.lists.add(name)
                kind, t = str, tuple(value)
                text = texts.get(t) or texts.setdefault(t, _text(xml_safe(_json_list(t))))
            else:
                text = _text(str(value))
            parts.append(f"{opening.get((scope, name, kind)) or self._new_key(scope, name, kind)}{text}</data>\n")
        if label is not None:
            parts.append(f"{opening.get((scope, 'label', str)) or self._new_key(scope, 'label', str)}{label}</data>\n")
        parts.append(end)
        self.parts.append("".join(parts))

    def _new_key(self, scope: str, name: str, kind: type) -> str:
        element = self._opening[scope, name, kind] = f'  <data key="d{len(self.keys)}">'
        self.keys.append((name, _XML_TYPES[kind], scope))
        return element


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


def xml_ids(node_ids: Iterable[Any]) -> dict[Any, str]:
    """Each id as XML-safe text; two ids that would become one are refused rather than merged.

    >>> xml_ids(["a\\x00", "b"])
    {'a\\x00': 'a\ufffd', 'b': 'b'}
    """
    from graph.errors import TdiError

    ids: dict[Any, str] = {}
    seen: dict[str, Any] = {}
    for node_id in node_ids:
        safe = xml_safe(str(node_id))
        if seen.setdefault(safe, node_id) != node_id:
            raise TdiError(f"{seen[safe]!r} and {node_id!r} differ only by characters XML cannot hold, so GraphML and GEXF "
                           "would merge them. Rename one, or export json or csv.")  # fmt: skip
        ids[node_id] = safe
    return ids


def _text(text: str) -> str:
    """Text as the XML writer escapes it (each ``replace`` returns the text itself when there is nothing to replace)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return text.translate(_ATTRIBUTE)
