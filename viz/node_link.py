"""Node-link JSON straight from the store: one query per kind and per relationship type, no NetworkX.

`write_node_link` writes node and link records as ``json.dumps(data, indent=1)`` of NetworkX's
``node_link_data`` would (the same bytes), but encodes each value with the C encoder rather than
walking the whole document in Python. `store_records` reads the records from a graph in the
order ``to_networkx()`` gives their properties, so that ``tdi export json`` writes what it wrote
when it went through NetworkX, in a fraction of the time.

Example
-------
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "g.json"
>>> _ = write_node_link([{"kind": "Region", "key": "32", "id": "region:32"}], [], path)
>>> print(path.read_text())
{
 "directed": true,
 "multigraph": true,
 "graph": {},
 "nodes": [
  {
   "kind": "Region",
   "key": "32",
   "id": "region:32"
  }
 ],
 "links": []
}
<BLANKLINE>
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.backend import GraphBackend

__all__ = ["export_streamed", "store_records", "write_node_link"]

_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def export_streamed(graph: GraphBackend, fmt: str, path: Path, *, warn: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Write the whole of ``graph`` to ``path`` as ``json`` or ``graphml``, from `store_records`; the numbers of nodes and links.

    The garbage collector is paused meanwhile: the records and what is written of them are a few
    hundred thousand new containers, none of them garbage, and collecting as they are made took a
    third of the time.

    Raises
    ------
    TdiError
        The file cannot be written, or (GraphML) two ids differ only by characters XML cannot hold.
    """
    from graph.collector import collector_paused
    from graph.writing import writing

    with collector_paused():
        nodes, links = store_records(graph)
        with writing(path):
            if fmt == "graphml":
                from viz.graphml import write_graphml_records

                write_graphml_records(nodes, links, path)
            else:
                write_node_link(nodes, links, path, warn=warn)
    return len(nodes), len(links)


def store_records(graph: GraphBackend) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and relationship of ``graph`` as node-link records, properties in ``to_networkx()``'s order.

    Nodes are ``{kind, properties…, id}``, links ``{type, properties…, source, target, key}``; empty
    properties and ``search_text`` are left out. Each query is read as columns (`GraphBackend.columns`).
    """
    from graph.schema import schema

    s = schema()
    node_order = _property_order(graph, "MATCH (n) RETURN properties(n) AS props LIMIT 1")
    edge_order = _property_order(graph, "MATCH ()-[r]->() RETURN properties(r) AS props LIMIT 1")
    nodes: list[dict[str, Any]] = []
    for kind in s.kinds.values():
        columns = _ordered([p for p in _held(graph, kind.label, kind.properties) if p != "search_text"], node_order)
        data = graph.columns(f"MATCH (n:{kind.label}) RETURN " + ", ".join(f"n.{p} AS {p}" for p in columns))
        prefix, first = kind.label.lower() + ":", {"kind": kind.label}
        records = _records(data, columns, first)
        for key, props in zip(data.get("key", []), records, strict=True):
            props["id"] = prefix + key  # in place: each record is a new dict
        nodes += records
    links: list[dict[str, Any]] = []
    for rel in s.rels.values():
        columns = _ordered(_held(graph, rel.name, rel.properties), edge_order)
        query = (f"MATCH (a)-[r:{rel.name}]->(b) RETURN head(labels(a)) AS a_kind, a.key AS a_key, "
                 f"head(labels(b)) AS b_kind, b.key AS b_key" + "".join(f", r.{p} AS {p}" for p in columns))  # fmt: skip
        data = graph.columns(query)
        ends = zip(_ids(data, "a_kind", "a_key"), _ids(data, "b_kind", "b_key"), strict=True)
        records = _records(data, columns, {"type": rel.name})
        for (u, v), props in zip(ends, records, strict=True):
            props["source"], props["target"], props["key"] = u, v, rel.name
        links += records
    return nodes, links


def _ids(data: dict[str, list[Any]], kinds: str, keys: str) -> list[str]:
    """The ``kind:key`` id of each row's end, from its label and key columns."""
    prefixes: dict[str, str] = {}
    pairs = zip(data.get(kinds, []), data.get(keys, []), strict=True)
    return [(prefixes.get(k) or prefixes.setdefault(k, k.lower() + ":")) + key for k, key in pairs]


def _records(data: dict[str, list[Any]], columns: list[str], first: dict[str, Any]) -> list[dict[str, Any]]:
    """Each row as ``first`` then its non-null values of ``columns``; columns without any value are skipped."""
    held = [c for c in columns if any(v is not None for v in data.get(c, []))]
    rows = len(next(iter(data.values()), []))
    if not held:
        return [dict(first) for _ in range(rows)]
    return [{**first, **{c: v for c, v in zip(held, row) if v is not None}} for row in zip(*(data[c] for c in held), strict=True)]


def _held(graph: GraphBackend, table: str, declared: Iterable[str]) -> list[str]:
    """The declared properties that ``table`` holds (a graph made by an older schema may lack some)."""
    stored = graph.stored_properties(table)
    return [p for p in declared if stored is None or p in stored]


def _property_order(graph: GraphBackend, query: str) -> list[str]:
    """The order in which the store lists properties (the embedded engine: every column of every table)."""
    rows = graph.run(query)
    return list(rows[0]["props"]) if rows else []


def _ordered(columns: list[str], order: list[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(columns, key=lambda c: (rank.get(c, len(rank)), columns.index(c)))


def write_node_link(
    nodes: Sequence[dict[str, Any]],
    links: Sequence[dict[str, Any]],
    path: Path,
    *,
    warn: Callable[[str], None] | None = None,
    header: dict[str, Any] | None = None,
) -> Path:
    """Write node-link JSON (nodes sorted by id, links by source, target and key) to ``path``; returns the path.

    ``header`` holds ``directed``, ``multigraph`` and ``graph`` (a directed multigraph without
    attributes by default). A number that is not finite (NaN, infinity) is written as ``null``;
    ``warn`` is then called once with a message naming the first few.
    """
    header = {"directed": True, "multigraph": True, "graph": {}, **(header or {})}
    places: list[str] = []
    nodes = sorted(nodes, key=itemgetter("id"))
    links = sorted(links, key=itemgetter("source", "target", "key"))
    node = _Items(places, lambda n, name: f"{n['id']} {name}")
    link = _Items(places, lambda e, name: f"{e['source']} -{e['key']}-> {e['target']} {name}")
    with path.open("w", encoding="utf-8") as out:
        out.write("{\n" + "".join(f" {_string(k)}: {_value(v, k, places, 1)},\n" for k, v in header.items()))
        _write_list(out, "nodes", map(node, nodes), bool(nodes))
        out.write(",\n")
        _write_list(out, "links", map(link, links), bool(links))
        out.write("\n}\n")
    if places and warn:
        shown = ", ".join(_printable(p) for p in places[:3]) + (f", and {len(places) - 3} more" if len(places) > 3 else "")
        warn(f"{len(places)} number{'s' * (len(places) > 1)} that JSON cannot hold (NaN or infinity) written as null: {shown}.")
    return path


def _write_list(out: Any, name: str, items: Iterator[str], any_items: bool) -> None:
    """The list ``name`` of the document, its items joined a few thousand at a time (one write each)."""
    if not any_items:
        out.write(f' "{name}": []')
        return
    out.write(f' "{name}": [\n')
    separator = ""
    while chunk := list(islice(items, _CHUNK)):
        out.write(separator + ",\n".join(chunk))
        separator = ",\n"
    out.write("\n ]")


_CHUNK = 10_000
_KEYS: dict[str, str] = {}  # each property name as it opens its line inside a record


class _Items:
    """Each record at depth 2 as ``json.dumps(indent=1)`` writes it inside the document.

    Lists of text (``sources`` repeat across thousands of records) are encoded once each.
    """

    def __init__(self, places: list[str], place: Callable[[dict[str, Any], str], str]) -> None:
        self.places, self.place = places, place  # place(record, name): where a value is, named in the warning
        self.lists: dict[tuple[Any, ...], str] = {}

    def __call__(self, record: dict[str, Any]) -> str:
        lines = []
        for k, v in record.items():
            key = _KEYS.get(k) or _KEYS.setdefault(k, f"   {_string(k)}: ")
            kind = type(v)
            if kind is str:
                lines.append(key + _string(v))
            elif kind is list or kind is tuple:
                text = self.lists.get(t := tuple(v))
                lines.append(key + (text if text is not None else self._list(t, self.place(record, k))))
            else:
                lines.append(key + _value(v, self.place(record, k), self.places, 3))
        return "  {\n" + ",\n".join(lines) + "\n  }" if lines else "  {}"

    def _list(self, value: tuple[Any, ...], place: str) -> str:
        if all(type(x) is str for x in value):
            text = self.lists[value] = "[\n    " + ",\n    ".join(map(_string, value)) + "\n   ]" if value else "[]"
            return text
        return _value(list(value), place, self.places, 3)  # numbers may not be finite: not cached, each is reported


def _value(value: Any, place: str, places: list[str], depth: int) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None or value is True or value is False:
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            places.append(place)
            return "null"
        return float.__repr__(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = " " * (depth + 1)
        return "[\n" + ",\n".join(pad + _value(v, place, places, depth + 1) for v in value) + "\n" + " " * depth + "]"
    return json.dumps(value, ensure_ascii=False, indent=1, allow_nan=False).replace("\n", "\n" + " " * depth)


def _printable(text: str) -> str:
    """``text`` with control characters spelled ``\\xNN``, so that a message cannot drive the terminal."""
    import re

    return re.sub("[\\x00-\\x1f\\x7f]", lambda m: f"\\x{ord(m[0]):02x}", text)
