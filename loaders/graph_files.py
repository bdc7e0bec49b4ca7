"""Read back the graphs ``tdi export`` writes: node-link JSON, and neo4j-admin CSV folders.

`read_node_link` and `read_neo4j_csv` never touch a database: they check every node and
relationship against the schema (kind, key, properties and their types, dates as the graph stores
them) and return `GraphRecords`, reporting a bad entry with its file and line (CSV) or position (JSON).
`load_graph_records` writes them in one transaction: a file loads completely or not at all, and
loading it again changes nothing.

Example
-------
>>> records = read_node_link("tdi.json")                          # doctest: +SKIP
>>> load_graph_records(graph, records).created["Region"]          # doctest: +SKIP
26
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.dates import DATE_PROPERTIES, is_stored_date, period_problem
from graph.errors import LoaderError, PeriodConflict, SchemaError
from graph.limits import quoted
from graph.schema import schema, split_id
from loaders.json_read import read_json
from loaders.problems import checked_cells
from loaders.values import BadValue, parse_date

__all__ = ["GraphRecords", "load_graph_records", "read_neo4j_csv", "read_node_link"]

MANIFEST = "tdi-export.json"
_HEADER = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_\[\]]+)(?:\((?P<space>[^)]*)\))?)?$")
_SPECIAL = ("ID", "START_ID", "END_ID", "LABEL", "TYPE")
def _ascii_number(convert: type) -> Any:
    """``convert`` (int or float) for text in ASCII digits only: ``int("١٢")`` would be 12."""

    def read(text: str) -> Any:
        if not text.isascii():
            raise ValueError(text)
        return convert(text)

    return read


_SCALARS = {"string": str, "long": _ascii_number(int), "int": _ascii_number(int), "short": _ascii_number(int),
            "byte": _ascii_number(int), "double": _ascii_number(float), "float": _ascii_number(float)}  # fmt: skip


@dataclass
class GraphRecords:
    """Nodes per kind (property dicts with ``key``) and relationships per type, checked against the schema."""

    origin: str
    prop_word: str = "property"  # what the file calls a property, for messages: "column" in a CSV file
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    edges: dict[str, list[EdgeRow]] = field(default_factory=dict)
    places: dict[tuple[str, ...], str] = field(default_factory=dict)  # where each node (label, key) and relationship (type, *ends) is

    def add_node(self, label: str, props: Mapping[str, Any], where: str) -> None:
        """Check one node against the schema and keep it."""
        try:
            kind = schema().kind(label)
            unknown = sorted(set(props) - set(kind.properties))
            if unknown:
                raise SchemaError(f'{kind.label} has no property "{unknown[0]}"')
            kind.check_key(str(props.get("key") or ""))
            checked = self._in_order({name: kind.properties[name].coerce(value) for name, value in props.items()})
        except SchemaError as exc:
            raise LoaderError(f"{self.origin}, {where}: {str(exc).rstrip('.')}.") from exc
        if (kind.label, checked["key"]) in self.places:
            raise LoaderError(f"{self.origin}, {where}: {kind.node_id(checked['key'])} is already at {self.places[kind.label, checked['key']]}.")
        self.places[kind.label, checked["key"]] = where
        self.nodes.setdefault(kind.label, []).append(checked)

    def add_edge(self, rel_type: str, ends: tuple[str, str, str, str], props: Mapping[str, Any], where: str) -> None:
        """Check one relationship (from label, from key, to label, to key) against the schema and keep it."""
        try:
            rel = schema().rel(rel_type)
            if not rel.allows(ends[0], ends[2]):
                raise SchemaError(f"{rel.name} cannot go from {ends[0]} to {ends[2]}")
            unknown = sorted(set(props) - set(rel.properties))
            if unknown:
                raise SchemaError(f'{rel.name} has no property "{unknown[0]}"')
            checked = self._in_order({name: rel.properties[name].coerce(value) for name, value in props.items()})
        except SchemaError as exc:
            raise LoaderError(f"{self.origin}, {where}: {str(exc).rstrip('.')}.") from exc
        self.edges.setdefault(rel.name, []).append(EdgeRow(*ends, checked))
        self.places.setdefault((rel.name, *ends), where)

    def _in_order(self, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` if their dates are stored dates and their period does not end before it starts
        (`graph.dates.period_problem`), else `SchemaError` naming the property."""
        for name in sorted(DATE_PROPERTIES & set(props)):
            if props[name] is not None and not is_stored_date(props[name]):
                raise SchemaError(f'{self.prop_word} "{name}" is {quoted(props[name])}; expected a date written YYYY, YYYY-MM or YYYY-MM-DD{_as_stored(props[name])}')
        if problem := period_problem(props):
            raise SchemaError(f"until: {problem}")
        return props


def _as_stored(text: str) -> str:
    """`` (2023-12-31 for this one)`` for a date `loaders.values.parse_date` reads (``31/12/2023``), else nothing."""
    try:
        return f" ({parse_date(text)} for this one)" if parse_date(text) else ""
    except BadValue:
        return ""


def read_node_link(path: str | Path) -> GraphRecords:
    """Read a node-link JSON file (``tdi export json``): ``nodes`` with ``id``/``kind``/``key``, ``links`` with ``source``/``target``/``type``.

    Raises
    ------
    LoaderError
        The file is not such JSON, or an entry breaks the schema; the message names the entry.
    """
    path = Path(path)
    data = read_json(path, ' Write node-link JSON with "tdi export json -o FILE".')
    nodes, links = data.get("nodes") if isinstance(data, dict) else None, None
    if isinstance(data, dict):
        links = data.get("links", data.get("edges", []))
    if not isinstance(nodes, list) or not isinstance(links, list):
        raise LoaderError(f'{path}: nodes, links: not node-link JSON (an object with a list of nodes and a list of links). Write one with "tdi export json -o FILE".')
    records, labels = GraphRecords(str(path)), {}
    for i, node in enumerate(nodes, 1):
        node = _entry(path, node, f"node {i}", "id")
        label = _text_field(path, node, "kind", f"node {i}") or _label_of(node["id"], f"{path}, node {i}")
        props = {k: v for k, v in node.items() if k not in ("id", "kind")}
        records.add_node(label, props, f"node {i} ({quoted(node['id'])[1:-1]})")
        labels[(None, node["id"])] = (schema().kind(label).label, str(props.get("key")))
    for i, link in enumerate(links, 1):
        link = _entry(path, link, f"link {i}", "source", "target")
        where = f"link {i} ({quoted(link['source'])[1:-1]} -> {quoted(link['target'])[1:-1]})"
        ends = (*_end(labels, (None, link["source"]), records.origin, where), *_end(labels, (None, link["target"]), records.origin, where))
        props = {k: v for k, v in link.items() if k not in ("source", "target", "key", "type")}
        records.add_edge(_text_field(path, link, "type", f"link {i}") or _text_field(path, link, "key", f"link {i}"), ends, props, where)
    return records


def _entry(path: Path, entry: Any, where: str, *needed: str) -> dict[str, Any]:
    """A node or link of a node-link file: an object with text in ``needed``."""
    if not isinstance(entry, dict):
        raise LoaderError(f"{path}, {where}: is {quoted(entry)}; expected an object.")
    for name in needed:
        if not isinstance(entry.get(name), str) or not entry[name]:
            raise LoaderError(f"{path}, {where}: {name}: is {quoted(entry.get(name))}; expected an id such as region:32.")
    return entry


def _text_field(path: Path, entry: dict[str, Any], name: str, where: str) -> str:
    value = entry.get(name)
    if value is not None and not isinstance(value, str):
        raise LoaderError(f"{path}, {where}: {name}: is {quoted(value)}; expected text.")
    return value or ""


def read_neo4j_csv(folder: str | Path) -> GraphRecords:
    """Read a folder of neo4j-admin CSV files (``tdi export csv``): ``nodes-*.csv`` then ``relationships-*.csv``.

    Headers follow ``neo4j-admin database import``: ``:ID`` (or ``name:ID(Space)``), ``:LABEL``,
    ``:START_ID``, ``:END_ID``, ``:TYPE`` and typed columns (``amount_eur:double``,
    ``aliases:string[]``); the array delimiter comes from ``tdi-export.json`` (``;`` without it).

    Raises
    ------
    LoaderError
        A file is missing or malformed, or a row breaks the schema; the message names file and line.
    """
    folder = Path(folder)
    delimiter = _array_delimiter(folder / MANIFEST)
    node_files, rel_files = sorted(folder.glob("nodes-*.csv")), sorted(folder.glob("relationships-*.csv"))
    if not node_files and not rel_files:
        raise LoaderError(f'"{folder}" holds no nodes-*.csv or relationships-*.csv. Write them with "tdi export csv -o FOLDER".')
    records, labels = GraphRecords(str(folder), "column"), {}
    for path in node_files:
        for line, row in _rows(path, delimiter):
            space, node_id = _special(row, "ID")
            label = str(_special(row, "LABEL")[1] or space or _label_of(str(node_id), f"{folder}, {path.name}, line {line}")).split(";")[0]
            records.add_node(label, row, f"{path.name}, line {line}")
            labels[(space, node_id)] = (schema().kind(label).label, str(row.get("key")))
    for path in rel_files:
        for line, row in _rows(path, delimiter):
            where = f"{path.name}, line {line}"
            start, end = _special(row, "START_ID"), _special(row, "END_ID")
            ends = (*_end(labels, start, path.name, where), *_end(labels, end, path.name, where))
            records.add_edge(str(_special(row, "TYPE")[1]), ends, row, where)
    return records


def _array_delimiter(manifest: Path) -> str:
    """The array delimiter the export's manifest gives (``;`` without a manifest)."""
    if not manifest.is_file():
        return ";"
    data = read_json(manifest)
    delimiter = data.get("array_delimiter", ";") if isinstance(data, dict) else None
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise LoaderError(f"{manifest}:1: array_delimiter: is {quoted(delimiter)}; expected one character such as ;")
    return delimiter


def load_graph_records(graph: GraphBackend, records: GraphRecords) -> WriteStats:
    """Write ``records`` in one transaction: sources, actors, then relationships (all or nothing)."""
    _check_required(graph, records)
    stats = WriteStats()
    order = sorted(records.nodes, key=lambda label: (label != "Source", label))
    try:
        with graph.transaction():
            for label in order:
                stats.add(graph.upsert_nodes(label, records.nodes[label]))
            for rel_type, rows in sorted(records.edges.items()):
                stats.add(graph.upsert_edges(rel_type, rows))
    except PeriodConflict as exc:  # an until before the since the graph holds (or the reverse)
        raise LoaderError(f"{records.origin}, {records.places[exc.item]}: {exc} Nothing was loaded.") from exc
    except SchemaError as exc:
        raise LoaderError(f"{records.origin}: {exc} Nothing was loaded.") from exc
    return stats


def _check_required(graph: GraphBackend, records: GraphRecords) -> None:
    """Name the place of the first node new to the graph that lacks a property its kind requires (phase, value)."""
    for label, rows in records.nodes.items():
        kind = schema().kind(label)
        for row in rows:
            missing = [name for name, prop in kind.properties.items() if prop.required and row.get(name) in (None, "")]
            if missing and not graph.run(f"MATCH (n:{label} {{key: $key}}) RETURN n.key AS key", {"key": row["key"]}):
                where = records.places[label, row["key"]]
                raise LoaderError(f'{records.origin}, {where}: {missing[0]}: {kind.node_id(row["key"])} is new and needs a "{missing[0]}".')


def _rows(path: Path, delimiter: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of one CSV file, typed by its header: (line number, {column: value}); empty cells are left out."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise LoaderError(f"{path}: cannot be read ({exc}).") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            columns = [_column(path, name) for name in checked_cells(f"{path}, line {reader.line_num}", header)]
            repeated = sorted({name for name, _ in columns if [n for n, _ in columns].count(name) > 1})
            if repeated:
                raise LoaderError(f'{path}, line 1: column "{repeated[0]}" is given twice.')
            rows = []
            for record in reader:
                record = checked_cells(f"{path}, line {reader.line_num}", record)
                while len(record) > len(columns) and record[-1] == "":
                    record.pop()
                if len(record) > len(columns):
                    raise LoaderError(f"{path}, line {reader.line_num}: {len(record)} cells, but the header has {len(columns)} columns.")
                rows.append((reader.line_num, {name: _value(path, reader.line_num, name, kind, text, delimiter)
                                               for (name, kind), text in zip(columns, record) if text != ""}))  # fmt: skip
        except (csv.Error, UnicodeDecodeError) as exc:
            raise LoaderError(f"{path}, line {max(reader.line_num, 1)}: cannot be read as CSV ({exc}).") from exc
    return rows


def _column(path: Path, header: str) -> tuple[str, str]:
    """(name, type) of one header cell; ``key:ID(Region)`` → ("key:ID(Region)", "ID"), ``:LABEL`` → (":LABEL", "LABEL")."""
    found = _HEADER.match(header.strip())
    if not found:
        raise LoaderError(f'{path.name}, line 1: column "{header}" is not in the neo4j-admin header format (name:type).')
    kind = found["type"] or "string"
    if kind.upper() in _SPECIAL:
        return header.strip(), kind.upper()
    return found["name"], kind.lower()


def _value(path: Path, line: int, name: str, kind: str, text: str, delimiter: str) -> Any:
    if kind in _SPECIAL:
        return text
    base = kind.removesuffix("[]")
    try:
        convert = _boolean if base == "boolean" else _SCALARS[base]
        return [convert(t) for t in text.split(delimiter)] if kind.endswith("[]") else convert(text)
    except (KeyError, ValueError) as exc:
        raise LoaderError(f'{path.name}, line {line}: column "{name}" is {quoted(text)}; expected {kind}.') from exc


def _boolean(text: str) -> bool:
    if text.strip().lower() not in ("true", "false"):
        raise ValueError(text)
    return text.strip().lower() == "true"


def _special(row: dict[str, Any], field: str) -> tuple[str | None, Any]:
    """Take the column of type ``field`` (ID, START_ID…) out of ``row``: (its ID space, its value).

    A named ID column (``key:ID(Region)``) also stays in the row as the property it names.
    """
    for column in list(row):
        found = _HEADER.match(column)
        if found and (found["type"] or "").upper() == field:
            value = row.pop(column)
            if found["name"] and field == "ID":
                row[found["name"]] = value
            return found["space"], value
    return None, None


def _label_of(node_id: str, where: str) -> str:
    try:
        return schema().kind(split_id(node_id)[0]).label
    except SchemaError as exc:
        raise LoaderError(f"{where}: {exc}") from exc


def _end(labels: Mapping[Any, tuple[str, str]], ref: tuple[str | None, Any], origin: str, where: str) -> tuple[str, str]:
    """The (label, key) of a relationship's end, given as (ID space, id): a node of the file, else a ``kind:key`` id."""
    if ref in labels:
        return labels[ref]
    try:
        prefix, key = split_id(str(ref[1]))
        return schema().kind(prefix).label, key
    except SchemaError as exc:
        raise LoaderError(f"{origin}, {where}: {exc}") from exc
