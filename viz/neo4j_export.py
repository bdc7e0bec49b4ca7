"""Write the graph for Neo4j: CSV files for ``neo4j-admin database import``, or a Cypher script.

**CSV** — a folder with one ``nodes-<Kind>.csv`` per kind and one ``relationships-<TYPE>.csv``
per relationship type, in the header format of ``neo4j-admin database import``::

    :ID,key,name,aliases:string[],population:long,sources:string[],:LABEL
    region:32,32,Hauts-de-France,HdF;Nord,6004108,decoupage-administratif-2026,Region

    :START_ID,:END_ID,:TYPE,amount_eur:double,year:long,sources:string[]
    operator:bpifrance,project:usine-x,FUNDS,1200000.0,2024,seed-001

``:ID`` is the node's id (``kind:key``, not stored as a property); typed columns are
``:long``, ``:double``, ``:boolean`` and ``:string[]`` (text has no suffix); list items are
joined by the array delimiter, ``;`` unless an item contains one (then ``|``, or the unit
separator U+001F). ``tdi-export.json`` in the folder records the delimiter, the files and the
``neo4j-admin`` command that imports them. Kumu and Gephi's spreadsheet import read the same files.

**Cypher** — one statement per line, literals only (no parameters), so that it runs in
``cypher-shell -f``, Neo4j Browser or any driver: a uniqueness constraint per kind, then
``MERGE (n:Kind {key: '…'}) SET n.name = '…', …;`` per node and ``MATCH … MERGE (a)-[r:TYPE]->(b)
SET …;`` per relationship. Running it twice changes nothing.

Example
-------
>>> cypher_literal("l'usine \\\\ 2")
"'l\\\\'usine \\\\\\\\ 2'"
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import TdiError
from graph.writing import writing

__all__ = ["DELIMITERS", "MANIFEST", "column_type", "cypher_literal", "write_cypher", "write_neo4j_csv"]

DELIMITERS = (";", "|", "\x1f")
MANIFEST = "tdi-export.json"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def column_type(values: Iterable[Any]) -> str:
    """The neo4j-admin type of a column: ``string``, ``long``, ``double``, ``boolean`` or ``string[]``.

    >>> column_type([1, 2.5]), column_type([["a"], []]), column_type(["x", 3])
    ('double', 'string[]', 'string')
    """
    kinds = {_value_type(v) for v in values if v is not None}
    if kinds == {"long", "double"}:
        return "double"
    return kinds.pop() if len(kinds) == 1 else "string"


def write_neo4j_csv(G: nx.MultiDiGraph, folder: str | Path) -> Path:
    """Write ``G`` as neo4j-admin CSV files into ``folder`` (created if needed); returns the folder.

    Raises
    ------
    TdiError
        The folder cannot be created or written, or already holds other files.
    """
    folder = Path(folder)
    _prepare(folder)
    delimiter = _delimiter(G)
    nodes, rels = {}, {}
    for kind, rows in sorted(_group(((d.get("kind") or "Unknown", n, d) for n, d in G.nodes(data=True))).items()):
        nodes[kind] = f"nodes-{kind}.csv"
        _write_table(folder / nodes[kind], ":ID", [(n, {**d, ":LABEL": kind}) for _, n, d in rows], delimiter, tail=":LABEL")
    for rel_type, rows in sorted(_group(((k, (u, v), d) for u, v, k, d in G.edges(keys=True, data=True))).items()):
        rels[rel_type] = f"relationships-{rel_type}.csv"
        table = [(u, {":END_ID": v, ":TYPE": rel_type, **d}) for _, (u, v), d in rows]
        _write_table(folder / rels[rel_type], ":START_ID", table, delimiter, head=(":END_ID", ":TYPE"), skip={"type"})
    command = ["neo4j-admin", "database", "import", "full", f"--array-delimiter={delimiter!r}", "--multiline-fields=true"]
    command += [f"--nodes={f}" for f in nodes.values()] + [f"--relationships={f}" for f in rels.values()] + ["neo4j"]
    manifest = {"format": "neo4j-admin-csv", "array_delimiter": delimiter, "nodes": nodes, "relationships": rels, "command": " ".join(command)}
    with writing(folder / MANIFEST) as path:
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def write_cypher(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a Cypher script that recreates ``G`` (constraints, nodes, relationships); returns the path."""
    path = Path(path)
    lines = ["// Written by tdi export cypher: run with cypher-shell -f, or paste into Neo4j Browser."]
    kinds = sorted({str(d.get("kind")) for _, d in G.nodes(data=True) if d.get("kind")})
    lines += [f"CREATE CONSTRAINT {_name('tdi_' + k + '_key')} IF NOT EXISTS FOR (n:{_name(k)}) REQUIRE n.key IS UNIQUE;" for k in kinds]
    for n, data in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        lines.append(f"MERGE (n:{_name(data['kind'])} {{key: {cypher_literal(data['key'])}}}){_sets('n', data, {'kind', 'key'})};")
    for u, v, k, data in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        a, b = G.nodes[u], G.nodes[v]
        match = (
            f"MATCH (a:{_name(a['kind'])} {{key: {cypher_literal(a['key'])}}}) "
            f"MATCH (b:{_name(b['kind'])} {{key: {cypher_literal(b['key'])}}}) "
        )
        lines.append(f"{match}MERGE (a)-[r:{_name(str(data.get('type') or k))}]->(b){_sets('r', data, {'type'})};")
    with writing(path):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal: quoted and escaped text, numbers, booleans, lists, ``null``.

    >>> cypher_literal(["a'b", 2, 1.5, True, None])
    "['a\\\\'b', 2, 1.5, true, null]"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    text = "".join(_ESCAPES.get(c, c if c >= " " else f"\\u{ord(c):04x}") for c in str(value))
    return f"'{text}'"


def _name(name: str) -> str:
    """A label, type or property name, in backticks unless it is a plain identifier."""
    return name if _IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def _sets(var: str, data: Mapping[str, Any], skip: set[str]) -> str:
    props = [(k, v) for k, v in sorted(data.items()) if k not in skip and v is not None]
    return (" SET " + ", ".join(f"{var}.{_name(k)} = {cypher_literal(v)}" for k, v in props)) if props else ""


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string[]" if isinstance(value, (list, tuple)) else "string"


def _group(items: Iterable[tuple[str, Any, Mapping[str, Any]]]) -> dict[str, list[tuple[str, Any, Mapping[str, Any]]]]:
    groups: dict[str, list[tuple[str, Any, Mapping[str, Any]]]] = {}
    for name, item, data in items:
        groups.setdefault(str(name), []).append((name, item, data))
    return {name: sorted(rows, key=lambda r: str(r[1])) for name, rows in groups.items()}


def _write_table(path: Path, first: str, rows: list[tuple[Any, Mapping[str, Any]]], delimiter: str, *,
                 head: tuple[str, ...] = (), tail: str = "", skip: set[str] = frozenset()) -> None:  # fmt: skip
    fixed = {first, *head, tail, *skip, "kind"}
    names = sorted({k for _, d in rows for k in d if k not in fixed})
    names = [n for n in ("key", "name") if n in names] + [n for n in names if n not in ("key", "name")]
    types = {n: column_type(d.get(n) for _, d in rows) for n in names}
    header = [first, *head, *(n if types[n] == "string" else f"{n}:{types[n]}" for n in names), *([tail] if tail else [])]
    with writing(path), path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for ident, data in rows:
            cells = [_cell(data.get(n), delimiter) for n in names]
            writer.writerow([ident, *(data[h] for h in head), *cells, *([data[tail]] if tail else [])])


def _cell(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return delimiter.join(str(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def _delimiter(G: nx.MultiDiGraph) -> str:
    items = [str(v) for _, d in G.nodes(data=True) for x in d.values() if isinstance(x, (list, tuple)) for v in x]
    items += [str(v) for *_, d in G.edges(data=True) for x in d.values() if isinstance(x, (list, tuple)) for v in x]
    return next((d for d in DELIMITERS if not any(d in item for item in items)), DELIMITERS[-1])


def _prepare(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TdiError(f'Cannot create the folder "{folder}": {exc.strerror or exc}.') from exc
    others = [p.name for p in folder.iterdir() if not (p.name == MANIFEST or re.match(r"^(nodes|relationships)-.*\.csv$", p.name))]
    if others:
        raise TdiError(f'"{folder}" holds other files ({others[0]}…). Export into an empty or new folder.')
    for old in folder.iterdir():
        old.unlink()
