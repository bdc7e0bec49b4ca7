"""Load a table through a mapping: every row checked first, then written whole or not at all, citing the file.

`load_table` streams the file (`loaders.table`) twice at most, in bounded memory whatever its
size. The first pass matches the mapping's columns to the header, turns each row into actors and
relationships, collects every bad cell as ``FILE:LINE: column "montant": reason``, checks batch by
batch that the actors the mapping says already exist (communes…) are in the graph, and appends
the records to partitioned temporary files (`loaders.table_spill`). Each partition is then merged
(an actor on several rows, a relationship given twice, which must agree unless ``combine`` says
how to merge). Only when nothing is wrong does it write the file's `Source` node and every actor
and relationship, partition by partition, each citing that source: in one transaction, or on an
embedded graph one per partition inside the graph's working copy, which is swapped in whole or
dropped whole (`loaders.session.commit_part`), the new rows being inserted at the end with one
`COPY` per table (`loaders.session.copies_at_end`). Loading
the same file again changes nothing; a dry run reports what would change and writes nothing.

Example
-------
>>> result = load_table(graph, "laureats.csv", read_mapping("laureates"))   # doctest: +SKIP
>>> result.stats.created["FUNDS"]                                           # doctest: +SKIP
3
"""

from __future__ import annotations

import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.dates import period_problem
from graph.errors import LoaderError, PeriodConflict, PoolFull, SchemaError
from graph.keys import check_key, slugify
from loaders.mapping import TableMapping
from loaders.page_memory import written_fitting
from loaders.session import (
    Progress,
    commit_part,
    copies_at_end,
    file_sha256,
    file_source,
    load_mark,
    no_progress,
    record_source,
    recorded_stats,
    remember_load,
    write_or_preview,
)
from loaders.table import Table, open_table
from loaders.table_cells import CellError
from loaders.table_merge import FirstPass, conflict_error, merge_partitions
from loaders.table_names import NameLookup
from loaders.table_plan import ActorPlan, RelPlan, Typed, table_plans
from loaders.table_spill import Spill, partitions_for
from loaders.values import parse_text

__all__ = ["CHUNK", "TableLoad", "load_table", "recorded_reload"]

CHUNK = 100_000  # rows per upsert (and per commit on an embedded graph); fewer calls mean fewer reads of the graph
_KNOWN_MAX = 1_000_000  # keys of existing actors remembered as present, to look each up once
_GC_EVERY = 100_000


@dataclass
class TableLoad:
    """What a table load did (or, for a dry run, would do); ``empty`` says why nothing was loaded, when the table held nothing
    to load; ``replaced``, that its `Source` described another file of the same name until now (`_replaced`)."""

    stats: WriteStats
    rows: int
    skipped: int
    source: str
    dry_run: bool = False
    empty: str = ""
    replaced: str = ""


def _why_empty(rows: int, skipped: int) -> str:
    """Why a table without a record to write has nothing to load.

    >>> _why_empty(0, 0), _why_empty(3, 3)
    ('no rows below the header', "the mapping's where: filter left out all 3 rows")
    """
    if not rows:
        return "no rows below the header"
    these = "its one row" if rows == 1 else f"all {rows} rows"
    if skipped == rows:
        return f"the mapping's where: filter left out {these}"
    return f"{these} make no actor or relationship but those the graph already holds"


def load_table(
    graph: GraphBackend, path: str | Path, mapping: TableMapping, *, sheet: str | None = None, dry_run: bool = False,
    progress: Progress = no_progress, reopen: Callable[[PoolFull], GraphBackend] | None = None,
) -> TableLoad:  # fmt: skip
    """Load the rows of a CSV or XLSX file as the actors and relationships ``mapping`` describes.

    Parameters
    ----------
    graph : GraphBackend
        Where to write.
    path : str or Path
        The table (``.csv`` in any usual delimiter and encoding, gzip'd or not, or ``.xlsx``).
    mapping : TableMapping
        From `loaders.mapping.read_mapping`.
    sheet : str, optional
        The sheet of an XLSX file (name or number); the first by default.
    dry_run : bool
        Compute what would change, and roll it back.
    progress : Progress
        Called as ``progress(stage, done, total)``.
    reopen : callable, optional
        Gives the graph opened with more page memory after a write that did not fit, which is
        then redone from the checked rows, without reading the file again (`loaders.page_memory`).

    Returns
    -------
    TableLoad
        What changed; a table that holds no actor or relationship to load (a header and no rows)
        writes nothing, not even its `Source`, and says why in ``empty``.

    Raises
    ------
    LoaderError
        Listing every bad cell (the first 50) and every actor the graph lacks, or naming the line of a row
        whose period would end before it starts once merged with what the graph holds; nothing is written.
    """
    table = open_table(path, sheet=sheet)
    bound = mapping.bind(table.columns, table.name)
    with Spill(partitions_for(table.path, table.lines)) as spill, _rare_collections():
        found = _Converter(graph, table, bound, spill, progress).convert()
        merge_partitions(table, bound, spill, found, progress)
        if found.problems.count:
            raise found.problems.error(table.name)
        if not found.written:  # a source citing nothing: not written
            return TableLoad(WriteStats(), found.rows, found.skipped, "", dry_run, empty=_why_empty(found.rows, found.skipped))
        source = _source_row(table, mapping, found.rows, explicit_sheet=sheet is not None)
        mark = None if dry_run else _mark(table.path, source["sha256"], mapping, sheet)
        replaced = _replaced(graph, source)
        try:
            stats = written_fitting(lambda graph: _write(graph, source, spill, found, progress, mark=mark), graph, reopen)
        except PeriodConflict as exc:  # a row's until before the since the graph holds (or the reverse)
            raise conflict_error(table, spill, found, exc) from exc
    return TableLoad(stats, found.rows, found.skipped, source["key"], dry_run, replaced=replaced)


def _replaced(graph: GraphBackend, source: Mapping[str, Any]) -> str:
    """What to say when ``source``'s key (made from the file's name) already names a Source with other
    content: the graph keeps one Source per name, so what only the earlier file stated will cite this one."""
    held = graph.run("MATCH (s:Source {key: $key}) RETURN s.sha256 AS sha256, s.rows AS rows, s.loaded_at AS loaded_at", {"key": source["key"]})
    if not held or held[0]["sha256"] in (None, source["sha256"]):
        return ""
    was = held[0]
    return (f'the source {source["key"]} described another file of this name (sha256 {str(was["sha256"])[:12]}…, {was["rows"]} rows, '
            f'loaded {was["loaded_at"]}); it now describes this one, and what only that file stated still cites it. '
            "To keep the two apart, give one of the files another name before loading it")  # fmt: skip


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Python's cycle collector run every `_GC_EVERY` new objects rather than 700: a load makes millions of
    small dicts and tuples, none in a cycle, and counting them over and over took a fifth of its CPU time."""
    thresholds = gc.get_threshold()
    gc.set_threshold(_GC_EVERY, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def recorded_reload(db: str | Path, path: str | Path, mapping: TableMapping, *, sheet: str | None = None, dry_run: bool = False) -> TableLoad | None:
    """What `load_table` would report, without opening the graph, when it would change nothing.

    That is when the last write to the embedded graph at ``db`` was this very load: the same
    file (name and sha256), mapping, sheet and code (`graph.load_marks`). None otherwise.
    """
    try:
        found = recorded_stats(db, _mark(Path(path), file_sha256(path), mapping, sheet))
    except (OSError, LoaderError):  # the load itself says what is wrong with the file
        return None
    if found is None:
        return None
    stats, details = found
    return TableLoad(stats, int(details.get("rows", 0)), int(details.get("skipped", 0)), str(details.get("source", "")), dry_run)


def _mark(path: Path, sha256: str, mapping: TableMapping, sheet: str | None) -> str:
    return load_mark("table", [(path.name, sha256)], mapping=file_sha256(mapping.path), sheet=sheet)


def _source_row(table: Table, mapping: TableMapping, rows: int, *, explicit_sheet: bool) -> dict[str, Any]:
    props = {k: v for k, v in mapping.source.items() if k not in ("name", "type")}
    name = mapping.source.get("name") or table.path.name.removesuffix(".gz")
    row = file_source(table.path, rows=rows, name=name, source_type=mapping.source.get("type", "dataset"), **props)
    if explicit_sheet:
        # Each sheet of a workbook is a table of its own: its own Source node.
        row.update(key=f"{row['key']}-{slugify(table.sheet)}", document=f"{table.path.name} [{table.sheet}]")
    return row


class _Converter:
    """The first pass: rows into records (spilled), every error collected rather than the first."""

    def __init__(self, graph: GraphBackend, table: Table, mapping: TableMapping, spill: Spill, progress: Progress) -> None:
        self.graph, self.table, self.mapping, self.spill, self.progress = graph, table, mapping, spill, progress
        self.actors, self.rels = table_plans(mapping)
        self.where = tuple(mapping.where.items())
        self.found = FirstPass()
        self.wanted: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
        self.known: dict[str, set[str]] = defaultdict(set)
        self.names = NameLookup(graph)

    def error(self, line: int, where: str, reason: str) -> None:
        self.found.problems.add(line, f"{self.table.path}:{line}: {where}: {reason}")

    def convert(self) -> FirstPass:
        used = {column for cell in self.mapping.cells() for column in cell.columns} | set(self.mapping.where)
        found, row, kept, progress, lines = self.found, self.row, self.kept, self.progress, self.table.lines
        for line, cells in self.table.rows(used):
            found.rows += 1
            if kept(cells):
                row(line, cells)
            else:
                found.skipped += 1
            if found.rows % 5000 == 0:
                progress("reading rows", found.rows, max(lines, found.rows))
        self.check_existing()
        self.spill.finish()
        self.progress("reading rows", found.rows, found.rows)
        return found

    def kept(self, row: dict[str, Any]) -> bool:
        for column, values in self.where:
            if (parse_text(row.get(column)) or "") not in values:
                return False
        return True

    def row(self, line: int, row: dict[str, Any]) -> None:
        problems = self.found.problems
        before = problems.count
        keys = {plan.spec.name: self.actor(line, row, plan) for plan in self.actors}
        for rel in self.rels:
            from_key, to_key = keys[rel.source], keys[rel.target]
            if from_key is not None and to_key is not None:
                self.relationship(line, row, rel, from_key, to_key)
            elif problems.count > before:
                for read in rel.reads:  # a bad end already fails the row: report its other bad cells too
                    self.cell(line, row, read)

    def cell(self, line: int, row: dict[str, Any], read: Callable[[dict[str, Any]], Any]) -> Any:
        try:
            return read(row)
        except CellError as exc:
            self.error(line, exc.where, exc.reason)
            return None

    def actor(self, line: int, row: dict[str, Any], plan: ActorPlan) -> str | None:
        spec, kind, errors = plan.spec, plan.kind, self.found.problems.count
        try:
            key = plan.read_key(row)
        except CellError as exc:
            self.error(line, exc.where, exc.reason)
            key = None
        if key is None:
            if not spec.optional and self.found.problems.count == errors:
                what = "name" if spec.match is not None else "key"
                self.error(line, plan.key_where, f"empty; each row needs the {what} of its {kind.prefix} (or optional: true in the mapping)")
            return None
        if spec.match is not None:
            key, problem = self.names.key(kind.label, str(key), spec.match)
            if problem:
                self.error(line, plan.key_where, problem)
            return key
        try:
            key = check_key(kind.key_format, str(key), kind=kind.label)
        except SchemaError as exc:
            self.error(line, plan.key_where, str(exc))
            return None
        if spec.existing:
            self.want(kind.label, key, line, plan.key_where)
            return key
        name = self.cell(line, row, plan.read_label) if plan.read_label else None
        if name is None:
            self.error(line, plan.label_where, f"empty; a {kind.prefix} needs a name")
        values = [self.cell(line, row, read) for read in plan.reads]
        props = self.typed(line, plan.typed, values, name)
        props["key"] = key
        self.spill.add("nodes", (kind.label, key), (kind.label, key, props, line))
        return key

    def relationship(self, line: int, row: dict[str, Any], rel: RelPlan, from_key: str, to_key: str) -> None:
        """Spill one relationship; its spec is named by its position in the mapping."""
        ends = (rel.source_label, from_key, rel.target_label, to_key)
        props = self.typed(line, rel.typed, [self.cell(line, row, read) for read in rel.reads], None)
        self.spill.add("edges", (rel.type, ends), (rel.index, ends, props, line))

    def typed(self, line: int, plan: Typed, values: list[Any], name: Any) -> dict[str, Any]:
        """Each value read, coerced to its property's type (`loaders.table_plan.Typed`); a bad one, or an ``until``
        before the ``since`` of the same row (`graph.dates.period_problem`), is a problem on ``line``.
        What is written is then used as it is (``checked`` upserts), not checked again."""
        typed: dict[str, Any] = {}
        for prop, position, coerce, where in plan:
            value = name if position < 0 else values[position]
            if coerce is None:
                typed[prop] = value
                continue
            try:
                typed[prop] = coerce(value)
            except SchemaError as exc:
                self.error(line, where, str(exc))
        if typed.get("until") is not None and (problem := period_problem(typed)):
            self.error(line, next(where for prop, _, _, where in plan if prop == "until"), problem)
        return typed

    def want(self, label: str, key: str, line: int, where: str) -> None:
        """Note an actor that must be in the graph; look the pending ones up a batch at a time."""
        if key not in self.known[label]:
            self.wanted[label].setdefault(key, (line, where))
            if len(self.wanted[label]) >= CHUNK:
                self.check_existing()

    def check_existing(self) -> None:
        for label, wanted in self.wanted.items():
            rows = self.graph.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key", {"keys": list(wanted)})
            present = {r["key"] for r in rows}
            if len(self.known[label]) + len(present) > _KNOWN_MAX:
                self.known[label].clear()
            self.known[label].update(present)
            for key, place in wanted.items():
                if key not in present:
                    self.found.missing[label].setdefault(key, place)
        self.wanted.clear()


def _write(graph: GraphBackend, source: dict[str, Any], spill: Spill, found: FirstPass, progress: Progress, *, mark: str | None) -> WriteStats:
    """Write the source, then every actor, then every relationship, partition by partition, each citing the source,
    kept whole or not at all, and record load ``mark``; without one (a dry run), roll it all back.

    A load in parts (not a dry run) commits each part's changes on their own inside the graph's working
    copy (`loaders.session.commit_part`), and what is new waits in temporary files until one `COPY`
    per table inserts it, actors before relationships (`loaders.session.copies_at_end`): each table
    is rewritten once, the engine's memory stays bounded, and the load stays whole.
    """
    stats, cited, done, in_parts = WriteStats(), [source["key"]], 0, mark is not None
    with write_or_preview(graph, dry_run=not in_parts):
        stats.add(record_source(graph, source))
        for kind in ("nodes", "edges"):
            with copies_at_end(graph, found.asked[kind]) if in_parts else nullcontext():
                for partition in range(spill.partitions):
                    done = _write_partition(graph, spill, kind, partition, cited, stats, (done, found.written), progress, in_parts=in_parts)
            if in_parts:
                commit_part(graph)
        if mark is not None:
            remember_load(graph, mark, stats, rows=found.rows, skipped=found.skipped, source=source["key"])
    return stats


def _write_partition(
    graph: GraphBackend, spill: Spill, kind: str, partition: int, cited: list[str], stats: WriteStats, counts: tuple[int, int],
    progress: Progress, *, in_parts: bool,
) -> int:  # fmt: skip
    """Upsert one partition's actors or relationships, `CHUNK` rows of a kind or type at a time, adding to ``stats``.

    Each key appears once in a merged partition, so its chunks are independent; with ``in_parts``
    each is committed on its own, so that memory holds one chunk whatever the partition's size.
    Returns how many rows are done.
    """
    done, total = counts
    upsert = graph.upsert_nodes if kind == "nodes" else graph.upsert_edges
    write = functools.partial(upsert, checked=True)  # each value coerced by `_Converter.typed`, each key checked
    pending: dict[str, list[Any]] = defaultdict(list)

    def flush(name: str) -> None:
        nonlocal done
        rows = pending.pop(name)
        stats.add(write(name, rows))
        done += len(rows)
        progress("writing", done, total)
        if in_parts:
            commit_part(graph)

    for name, *rest in spill.records(kind, partition):
        if kind == "nodes":
            pending[name].append({**rest[0], "sources": cited})
        else:
            (fl, fk, tl, tk), props, _line = rest
            pending[name].append(EdgeRow(fl, fk, tl, tk, {**props, "sources": cited}))
        if len(pending[name]) >= CHUNK:
            flush(name)
    for name in list(pending):
        flush(name)
    return done
