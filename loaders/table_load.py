"""Load a table through a mapping: every row checked first, then one transaction, citing the file.

`load_table` reads the file (`loaders.table`), matches the mapping's columns to its header,
turns each row into actors and relationships and collects every bad cell as
``FILE:LINE: column "montant": reason``; it checks that the actors the mapping says already
exist (communes…) are in the graph; only then does it write, in one transaction, the file's
`Source` node and every actor and relationship, each citing that source. Loading the same file
again changes nothing; a dry run reports what would change and writes nothing.

Example
-------
>>> result = load_table(graph, "laureats.csv", read_mapping("laureates"))   # doctest: +SKIP
>>> result.stats.created["FUNDS"]                                           # doctest: +SKIP
3
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import InvalidName, SchemaError
from graph.keys import slugify
from graph.name_index import MARGIN, NameIndex, check_name
from graph.schema import schema
from graph.store import merge_props
from loaders.mapping import ActorSpec, Cell, CellError, RelSpec, TableMapping
from loaders.problems import problems_error
from loaders.session import Progress, file_source, no_progress, record_source, write_or_preview
from loaders.table import Table, read_table
from loaders.values import parse_text

__all__ = ["CHUNK", "TableLoad", "load_table"]

CHUNK = 10_000
_COMBINE = {"sum": lambda a, b: a + b, "min": min, "max": max}


@dataclass
class TableLoad:
    """What a table load did (or, for a dry run, would do)."""

    stats: WriteStats
    rows: int
    skipped: int
    source: str
    dry_run: bool = False


@dataclass
class _Records:
    """The actors and relationships of a table, merged by key, and what went wrong."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    edges: dict[str, dict[tuple[str, str, str, str], dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    first_line: dict[tuple[str, ...], int] = field(default_factory=dict)
    wanted: dict[str, dict[str, tuple[int, str]]] = field(default_factory=lambda: defaultdict(dict))
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def load_table(
    graph: GraphBackend, path: str | Path, mapping: TableMapping, *, sheet: str | None = None, dry_run: bool = False,
    progress: Progress = no_progress,
) -> TableLoad:  # fmt: skip
    """Load the rows of a CSV or XLSX file as the actors and relationships ``mapping`` describes.

    Parameters
    ----------
    graph : GraphBackend
        Where to write.
    path : str or Path
        The table (``.csv`` in any usual delimiter and encoding, or ``.xlsx``).
    mapping : TableMapping
        From `loaders.mapping.read_mapping`.
    sheet : str, optional
        The sheet of an XLSX file (name or number); the first by default.
    dry_run : bool
        Compute what would change, and roll it back.
    progress : Progress
        Called as ``progress(stage, done, total)``.

    Raises
    ------
    LoaderError
        Listing every bad cell (up to 50) and every actor the graph lacks; nothing is written.
    """
    table = read_table(path, sheet=sheet)
    records = _Converter(table, mapping.bind(table.columns, table.name), progress, graph).convert()
    _check_existing(graph, table, records, progress)
    if records.errors:
        raise problems_error(table.name, records.errors)
    source = _source_row(table, mapping, explicit_sheet=sheet is not None)
    with write_or_preview(graph, dry_run=dry_run):
        stats = _write(graph, source, records, progress)
    return TableLoad(stats, len(table.rows), records.skipped, source["key"], dry_run)


def _source_row(table: Table, mapping: TableMapping, *, explicit_sheet: bool) -> dict[str, Any]:
    props = {k: v for k, v in mapping.source.items() if k not in ("name", "type")}
    name = mapping.source.get("name") or table.path.name
    row = file_source(table.path, rows=len(table.rows), name=name, source_type=mapping.source.get("type", "dataset"), **props)
    if explicit_sheet:
        # Each sheet of a workbook is a table of its own: its own Source node.
        row.update(key=f"{row['key']}-{slugify(table.sheet)}", document=f"{table.path.name} [{table.sheet}]")
    return row


class _Converter:
    """Turns rows into records, collecting every error rather than stopping at the first."""

    def __init__(self, table: Table, mapping: TableMapping, progress: Progress, graph: GraphBackend) -> None:
        self.table, self.mapping, self.progress, self.records = table, mapping, progress, _Records()
        self.kinds = {spec.name: schema().kind(spec.kind) for spec in mapping.actors.values()}
        self.names = _Names(graph)

    def error(self, line: int, where: str, reason: str) -> None:
        message = f"{self.table.path}:{line}: {where}: {reason}"
        if message not in self.records.errors[-5:]:  # two properties read from one bad cell: say it once
            self.records.errors.append(message)

    def convert(self) -> _Records:
        total = len(self.table.rows)
        for done, (line, row) in enumerate(self.table.rows, 1):
            if self.kept(row):
                self.row(line, row)
            else:
                self.records.skipped += 1
            if done % 5000 == 0 or done == total:
                self.progress("reading rows", done, total)
        return self.records

    def kept(self, row: dict[str, Any]) -> bool:
        return all((parse_text(row.get(column)) or "") in values for column, values in self.mapping.where.items())

    def row(self, line: int, row: dict[str, Any]) -> None:
        before = len(self.records.errors)
        keys = {name: self.actor(line, row, spec) for name, spec in self.mapping.actors.items()}
        for rel in self.mapping.relationships:
            if keys[rel.source] is not None and keys[rel.target] is not None:
                self.relationship(line, row, rel, keys[rel.source], keys[rel.target])
            elif len(self.records.errors) > before:
                for cell in rel.properties.values():  # a bad end already fails the row: report its other bad cells too
                    self.cell(line, row, cell)

    def cell(self, line: int, row: dict[str, Any], cell: Cell) -> Any:
        try:
            return cell.read(row)
        except CellError as exc:
            self.error(line, exc.where, exc.reason)
            return None

    def actor(self, line: int, row: dict[str, Any], spec: ActorSpec) -> str | None:
        kind, errors = self.kinds[spec.name], len(self.records.errors)
        key = self.cell(line, row, spec.key)
        if key is None:
            if not spec.optional and len(self.records.errors) == errors:
                what = "name" if spec.match is not None else "key"
                self.error(line, spec.key.where(), f"empty; each row needs the {what} of its {kind.prefix} (or optional: true in the mapping)")
            return None
        if spec.match is not None:
            key, problem = self.names.key(kind.label, str(key), spec.match)
            if problem:
                self.error(line, spec.key.where(), problem)
            return key
        try:
            key = kind.check_key(str(key))
        except SchemaError as exc:
            self.error(line, spec.key.where(), str(exc))
            return None
        if spec.existing:
            self.records.wanted[kind.label].setdefault(key, (line, spec.key.where()))
            return key
        name = self.cell(line, row, spec.label) if spec.label else None
        if name is None:
            self.error(line, spec.label.where() if spec.label else "name", f"empty; a {kind.prefix} needs a name")
        props = {p: self.cell(line, row, c) for p, c in spec.properties.items()}
        nodes = self.records.nodes[kind.label]
        nodes[key] = merge_props(nodes.get(key, {}), {**props, "key": key, "name": name})
        return key

    def relationship(self, line: int, row: dict[str, Any], rel: RelSpec, from_key: str, to_key: str) -> None:
        ends = (self.kinds[rel.source].label, from_key, self.kinds[rel.target].label, to_key)
        props = {p: self.cell(line, row, c) for p, c in rel.properties.items()}
        edges = self.records.edges[rel.type]
        if ends not in edges:
            edges[ends] = props
            self.records.first_line[(rel.type, *ends)] = line
            return
        merged, first = edges[ends], self.records.first_line[(rel.type, *ends)]
        for name, value in props.items():
            old = merged.get(name)
            combine = rel.properties[name].combine
            if old is None or value is None or old == value:
                merged[name] = old if value is None else value
            elif combine:
                merged[name] = _COMBINE[combine](old, value)
            else:
                this = f"{rel.type} {ends[0].lower()}:{from_key} -> {ends[2].lower()}:{to_key}"
                self.error(line, rel.properties[name].where(), f'"{value}", but line {first} gives "{old}" for the same {this}; '
                           "one relationship holds one value: add combine: sum, min or max to the mapping")  # fmt: skip


class _Names:
    """The actors of each kind, by name, for ``match: name`` (`graph.name_index`): one index per kind, built once."""

    def __init__(self, graph: GraphBackend) -> None:
        self.graph, self.indexes, self.found = graph, {}, {}

    def key(self, label: str, name: str, threshold: float) -> tuple[str | None, str]:
        """The key of the one actor of ``label`` that ``name`` surely names, or why there is none."""
        if (label, name) not in self.found:
            self.found[(label, name)] = self._look_up(label, name, threshold)
        return self.found[(label, name)]

    def _look_up(self, label: str, name: str, threshold: float) -> tuple[str | None, str]:
        if label not in self.indexes:
            rows = self.graph.run(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases")
            self.indexes[label] = NameIndex({**row, "kind": label} for row in rows).unpack()
        try:
            check_name(name)
        except InvalidName as exc:
            return None, str(exc)
        matches = self.indexes[label].search(name, limit=3, exhaustive=False)
        best = matches[0] if matches else None
        rivals = [m for m in matches[1:] if best and m.strength >= best.strength - MARGIN]
        if best is None or best.strength < threshold:
            closest = f"; the closest is {best.id} ({best.name}), score {best.score:g}" if best else ""
            return None, f'"{name}" names no {label.lower()} with a score of {threshold:g} or more{closest}'
        if rivals:
            listed = ", ".join(f"{m.id} ({m.name})" for m in [best, *rivals])
            return None, f'"{name}" may name {listed}: give the key in a column of its own'
        return best.id.split(":", 1)[1], ""


def _check_existing(graph: GraphBackend, table: Table, records: _Records, progress: Progress) -> None:
    """Report every actor the mapping expects in the graph (``existing: true``) that is not there."""
    for label, wanted in records.wanted.items():
        keys = [k for k in wanted if k not in records.nodes.get(label, {})]
        present: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            rows = graph.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key", {"keys": keys[start : start + CHUNK]})
            present.update(r["key"] for r in rows)
            progress("checking the graph", min(start + CHUNK, len(keys)), len(keys))
        kind = schema().kind(label)
        hint = ' (load the administrative map first: "tdi load reference")' if label in ("Commune", "Epci", "Department", "Region") else ""
        for key in keys:
            if key not in present:
                line, where = wanted[key]
                records.errors.append(f"{table.path}:{line}: {where}: no {kind.node_id(key)} in the graph{hint}")
    records.errors.sort(key=_line_of)


def _line_of(message: str) -> int:
    """The line number of a ``FILE:LINE: …`` message, to list errors in file order."""
    head = message.split(": ", 1)[0]
    tail = head.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _write(graph: GraphBackend, source: dict[str, Any], records: _Records, progress: Progress) -> WriteStats:
    """Write the source, then every actor, then every relationship, each citing the source."""
    stats, cited = WriteStats(), [source["key"]]
    stats.add(record_source(graph, source))
    batches: list[tuple[str, list[Any]]] = []
    for label, nodes in records.nodes.items():
        batches.append((label, [{**props, "sources": cited} for props in nodes.values()]))
    for rel_type, edges in records.edges.items():
        batches.append((rel_type, [EdgeRow(fl, fk, tl, tk, {**props, "sources": cited}) for (fl, fk, tl, tk), props in edges.items()]))
    total, done = sum(len(rows) for _, rows in batches), 0
    for name, rows in batches:
        write = graph.upsert_edges if name in records.edges else graph.upsert_nodes
        for start in range(0, len(rows), CHUNK):
            stats.add(write(name, rows[start : start + CHUNK]))
            done += len(rows[start : start + CHUNK])
            progress("writing", done, total)
    return stats
