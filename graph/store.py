"""What both backends share: validated, batched, idempotent upserts computed as a diff.

An upsert checks its rows (`graph.checked_rows`), reads what the graph already holds for the
given keys, merges the new rows into it (lists such as ``sources`` and ``aliases`` are united, a
``None`` leaves a value alone: see `graph.diff`), and writes only what is new or changed: new
items through the backend's bulk path, changed ones with one parameterised ``UNWIND … MATCH …
SET`` per batch. A second load of the same rows writes nothing and reports every row as unchanged.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Self

from graph.backend import EdgeRow, WriteStats
from graph.batched_loads import BatchedLoads, batch_rows
from graph.checked_rows import checked_edge_props, checked_node, checked_pair, complete_edge, complete_node, require_properties
from graph.dates import period_problem
from graph.diff import Change, change_of, group_by_changes, merge_props
from graph.errors import PeriodConflict, SchemaError
from graph.journal import edge_match, node_match, set_statements
from graph.reading import GraphReading
from graph.schema import NodeKind, RelType, schema
from graph.tally import Tally, edge_items

__all__ = ["BATCH_SIZE", "SCAN_MIN", "SCAN_RATIO", "CypherStore"]

BATCH_SIZE = 5000
# Reading what the graph holds for many keys: from SCAN_MIN keys on, one scan of the whole table
# (filtered in Python) replaces the batched UNWIND … MATCH lookups, if the table has at most
# SCAN_RATIO rows per key asked. On the embedded engine a lookup of 5000 relationships inside a
# transaction takes up to a second; a scan of 35,000 takes a tenth of that.
SCAN_MIN = 2000
SCAN_RATIO = 10
EDGE_LOOKUP_BATCH = 100_000  # keys of one end per lookup of relationships (see `_fetch_edges`)


def _differs(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return any(stored.get(name) != value for name, value in wanted.items())


def _of_pairs(rows: Iterable[dict[str, Any]], wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The properties of each relationship in ``rows`` (with ends ``f`` and ``t``) whose ends are ``wanted``.

    >>> _of_pairs([{"f": "a", "t": "b", "n": 1}, {"f": "a", "t": "c", "n": 2}], {("a", "b")})
    {('a', 'b'): {'n': 1}}
    """
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        pair = (row.pop("f"), row.pop("t"))
        if pair in wanted:
            found[pair] = row
    return found


def _by_key(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Checked rows by key, those of one key merged (`graph.diff.merge_props`)."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["key"]
        found[key] = merge_props(found[key], row) if key in found else dict(row)
    return found


def _check_period(item: tuple[str, ...], row: Mapping[str, Any], *, held: bool) -> None:
    """Refuse to store ``row`` if its period ends before it starts (`graph.dates.period_problem`): its ``until``
    may be given now and its ``since`` held by the graph (``held``), which the readers of files cannot see.
    ``item`` is the node or relationship (`PeriodConflict`), for its loader to name the line it came from.

    >>> _check_period(("Region", "32"), {"since": "2024", "until": "2016"}, held=True)
    Traceback (most recent call last):
    graph.errors.PeriodConflict: region:32, with what the graph holds: until "2016" is before since "2024": a period cannot end before it starts.
    """
    problem = period_problem(row)
    if problem:
        raise PeriodConflict(f"{_named(item)}{', with what the graph holds' if held else ''}: until {problem}.", item)


def _named(item: tuple[str, ...]) -> str:
    """``region:32`` for a node (label, key), ``HOLDS_ROLE person:p -> region:32`` for a relationship."""
    if len(item) == 2:
        return f"{item[0].lower()}:{item[1]}"
    rel_type, from_label, from_key, to_label, to_key = item
    return f"{rel_type} {from_label.lower()}:{from_key} -> {to_label.lower()}:{to_key}"


def _batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class CypherStore(BatchedLoads, GraphReading):
    """Base of both backends: upserts, counts and NetworkX export over a few primitives.

    A backend supplies `_execute` (one Cypher statement, rows as dicts), `_create_nodes` and
    `_create_edges` (bulk insertion of items known to be new), and the transaction hooks. In
    batched mode (`graph.batched_loads`) every write goes in batches committed with their undo record.
    """

    kind = "abstract"

    def __init__(self) -> None:
        self._in_transaction = False
        self._tally: Tally | None = None  # while a transaction opened with tally=True is open

    # -- primitives a backend implements (with `_execute`, `_begin`, `_commit`, `_rollback`: see `BatchedLoads`) --
    def _write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement that writes; a backend may have to prepare for writing first."""
        return self._execute(cypher, params)

    def _scan(self, cypher: str, column: str, wanted: set[str]) -> list[dict[str, Any]]:
        """The rows of ``cypher`` whose ``column`` is in ``wanted``; a backend may filter them before building them."""
        return [row for row in self._execute(cypher) if row[column] in wanted]

    def _create_nodes(self, kind: NodeKind, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _scans_kept(self, scan: str = "") -> bool:
        """Whether a scan of a whole table is read once and kept for the next upserts (`graph.deferred_copies`),
        and, given ``scan``, whether that one is already read."""
        return False

    def _create_edges(self, rel: RelType, from_label: str, to_label: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def stored_properties(self, table: str) -> list[str] | None:
        """The properties ``table`` holds, or None when reading one it lacks gives null (Neo4j)."""
        return None

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        raise NotImplementedError

    # -- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, *, tally: bool = False) -> Iterator[Tally | None]:
        """All writes inside the block are kept, or none of them if it raises; with ``tally``, each item they
        touch is counted once (`graph.tally`). The block gets the `Tally` of the outermost block, or None."""
        if self._in_transaction:
            yield self._tally
            return
        self._tally = Tally() if tally else None
        try:
            with self._outermost() as block:
                yield block
        finally:
            self._tally = None

    @contextlib.contextmanager
    def _outermost(self) -> Iterator[Tally | None]:
        if self._batched:
            self._in_transaction = True
            try:
                with self._journaled():
                    yield self._tally
            finally:
                self._in_transaction = False
            return
        self._begin()
        self._in_transaction = True
        try:
            yield self._tally
        except BaseException:
            self._in_transaction = False
            self._rollback()
            raise
        self._in_transaction = False
        self._commit()

    def _counted(self, table: str, created: list[Any], updated: list[Any], unchanged: list[Any]) -> WriteStats:
        """One write's counts: each item once per transaction when it is tallied (`graph.tally`)."""
        if self._tally is not None:
            return self._tally.count(table, created=created, updated=updated, unchanged=unchanged)
        return WriteStats(created=Counter({table: len(created)}), updated=Counter({table: len(updated)}),
                          unchanged=Counter({table: len(unchanged)}) if unchanged else Counter())  # fmt: skip

    # -- nodes ---------------------------------------------------------------------------
    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]], *, checked: bool = False) -> WriteStats:
        """Create or update nodes of ``label`` by key; see the module docstring. With ``checked``, the rows are
        already as `_prepare_nodes` gives them (known properties, checked keys, coerced values: `loaders.table_load`)."""
        kind = schema().kind(label)
        incoming = _by_key(rows) if checked else self._prepare_nodes(kind, rows)
        existing = self._fetch_nodes(kind, list(incoming))
        new: list[dict[str, Any]] = []
        changed: list[Change] = []
        same: list[str] = []
        periods = "until" in kind.properties
        for key, row in incoming.items():
            stored = existing.get(key)
            if stored is None:
                after = complete_node(kind, row)
                require_properties(kind, after)
                new.append(after)
            elif change := change_of(functools.partial(complete_node, kind), stored, row):
                changed.append((*change, stored))
                after = change[1]
            else:
                same.append(key)
                continue
            if periods:
                _check_period((kind.label, key), after, held=stored is not None)
        with self.transaction():
            self._write_nodes(kind, new, changed)
        if self._tally is None:  # counts only: no identities to build
            return self._counted(kind.label, new, changed, same)
        return self._counted(kind.label, [r["key"] for r in new], [change[1]["key"] for change in changed], same)

    def set_node_properties(self, label: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Set exactly the values of ``rows`` (each with a ``key``; None clears a property) on the nodes of ``label`` that exist."""
        kind = schema().kind(label)
        wanted = {str(row["key"]): dict(row) for row in rows}
        existing = self._fetch_nodes(kind, list(wanted))
        changed: list[Change] = [
            (stored, {**stored, **wanted[key]}, stored) for key, stored in existing.items() if _differs(stored, wanted[key])
        ]
        with self.transaction():
            self._write_nodes(kind, [], changed)

    def _write_nodes(self, kind: NodeKind, new: list[dict[str, Any]], changed: list[Change]) -> None:
        """Create ``new`` (in one bulk write, or batches in batched mode) and set what ``changed``, in batches."""
        for chunk in _batches(new, batch_rows(BATCH_SIZE) if self._load else max(len(new), 1)):
            with self._batch() as undo:
                self._create_nodes(kind, list(chunk))
                undo.created_nodes(kind.label, [r["key"] for r in chunk])
        for names, group in group_by_changes(changed, ("key",)).items():
            for chunk in _batches(group, batch_rows(BATCH_SIZE)):
                with self._batch() as undo:
                    for statement in set_statements(node_match(kind.label), "n", names, [n for n, _ in chunk]):
                        self._write(*statement)
                    undo.changed_nodes(kind.label, names, [old for _, old in chunk])

    def _prepare_nodes(self, kind: NodeKind, rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        return _by_key(checked_node(kind, row) for row in rows)

    def _keys_asked(self, target: tuple[str, str, str]) -> int:
        """How many keys of ``target`` (a node table, or a relationship type and its pair of node tables)
        the load in progress asks in all of its parts; 0 when unknown (`graph.deferred_copies`)."""
        return 0

    def _scan_is_cheaper(self, pattern: str, wanted: int, scan: str = "", target: tuple[str, str, str] = ("", "", "")) -> bool:
        """Whether reading every match of ``pattern`` beats looking ``wanted`` keys up (see `SCAN_MIN`);
        always once the load has read ``scan`` (`_scans_kept`). A scan kept for a whole load serves
        all its parts: it is then weighed against every key the load asks of ``target``."""
        if scan and self._scans_kept(scan):
            return True
        wanted = max(wanted, self._keys_asked(target))
        if wanted < SCAN_MIN:
            return False
        return self._execute(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"] <= SCAN_RATIO * wanted

    def _fetch_nodes(self, kind: NodeKind, keys: list[str]) -> dict[str, dict[str, Any]]:
        columns = ", ".join(f"n.{p} AS {p}" for p in kind.properties)
        rows = f"MATCH (n:{kind.label}) RETURN {columns}"
        cheaper = self._scan_is_cheaper(f"(n:{kind.label})", len(keys), rows, (kind.label, "", ""))
        if cheaper and self._scans_kept():
            # Read once for every part of a load (`graph.deferred_copies`): whole rows, no lookups.
            return {row["key"]: row for row in self._scan(rows, "key", set(keys))}
        if cheaper:
            # The keys only (one column), then whole rows only for those there: a first load reads no more,
            # and no statement returns the whole table's rows (the engine holds a result in its page memory).
            keys = [r["key"] for r in self._scan(f"MATCH (n:{kind.label}) RETURN n.key AS key", "key", set(keys))]
        found: dict[str, dict[str, Any]] = {}
        for batch in _batches(keys):
            for row in self._execute(f"UNWIND $keys AS k MATCH (n:{kind.label} {{key: k}}) RETURN {columns}", {"keys": list(batch)}):
                found[row["key"]] = row
        return found

    # -- relationships -------------------------------------------------------------------
    def upsert_edges(self, rel_type: str, rows: Iterable[EdgeRow], *, checked: bool = False) -> WriteStats:
        """Create or update relationships of ``rel_type``, one per (from, to); with ``checked``, properties are used as given."""
        rel = schema().rel(rel_type)
        groups: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = {}
        pairs: dict[tuple[str, str], tuple[str, str]] = {}  # as written in the rows → checked labels
        for row in rows:
            labels = (row.from_label, row.to_label)
            pair = pairs[labels] if labels in pairs else pairs.setdefault(labels, checked_pair(rel, *labels))
            props = dict(row.props) if checked else checked_edge_props(rel, row.props)
            ends = (row.from_key, row.to_key)
            group = groups.setdefault(pair, {})
            group[ends] = merge_props(group[ends], props) if ends in group else props
        stats = WriteStats()
        with self.transaction():
            for (from_label, to_label), edges in groups.items():
                stats.add(self._upsert_edge_group(rel, from_label, to_label, edges))
        return stats

    def _require_endpoints(self, label: str, keys: set[str]) -> None:
        kind = schema().kind(label)
        present = self._fetch_keys(kind, sorted(keys))
        missing = sorted(keys - present)
        if missing:
            raise SchemaError(f"No actor {kind.node_id(missing[0])}: add it first (tdi actor add {kind.prefix} …) or load a file that has it.")

    def _fetch_keys(self, kind: NodeKind, keys: list[str]) -> set[str]:
        present: set[str] = set()
        scan = f"MATCH (n:{kind.label}) RETURN n.key AS key"
        if self._scan_is_cheaper(f"(n:{kind.label})", len(keys), scan, (kind.label, "", "")):
            return {r["key"] for r in self._scan(scan, "key", set(keys))}
        for batch in _batches(keys):
            rows = self._execute(f"UNWIND $keys AS k MATCH (n:{kind.label} {{key: k}}) RETURN n.key AS key", {"keys": list(batch)})
            present.update(r["key"] for r in rows)
        return present

    def _upsert_edge_group(self, rel: RelType, from_label: str, to_label: str, edges: dict[tuple[str, str], dict[str, Any]]) -> WriteStats:
        existing = self._fetch_edges(rel, from_label, to_label, list(edges))
        new: list[dict[str, Any]] = []
        changed: list[Change] = []
        same: list[tuple[str, str]] = []
        periods = "until" in rel.properties
        for (f, t), props in edges.items():
            stored = existing.get((f, t))
            if stored is None:
                new.append({"f": f, "t": t, **complete_edge(rel, props)})
                after = new[-1]
            elif change := change_of(functools.partial(complete_edge, rel), stored, props):
                changed.append((change[0], {"f": f, "t": t, **change[1]}, stored))
                after = change[1]
            else:
                same.append((f, t))
                continue
            if periods:
                _check_period((rel.name, from_label, f, to_label, t), after, held=stored is not None)
        if new:
            # Only new relationships need their ends checked: those found in the graph have theirs.
            self._require_endpoints(from_label, {r["f"] for r in new})
            self._require_endpoints(to_label, {r["t"] for r in new})
        self._write_edges(rel, from_label, to_label, new, changed)
        if self._tally is None:  # counts only: no identities to build
            return self._counted(rel.name, new, changed, same)
        ends = functools.partial(edge_items, from_label, to_label)
        return self._counted(rel.name, ends((r["f"], r["t"]) for r in new), ends((change[1]["f"], change[1]["t"]) for change in changed), ends(same))

    def set_edge_properties(self, rel_type: str, rows: Iterable[EdgeRow]) -> None:
        """Set exactly the values of each row's ``props`` (None clears a property) on the relationships of ``rel_type`` that exist."""
        rel = schema().rel(rel_type)
        groups: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(checked_pair(rel, row.from_label, row.to_label), {})[(row.from_key, row.to_key)] = dict(row.props)
        with self.transaction():
            for (from_label, to_label), wanted in groups.items():
                existing = self._fetch_edges(rel, from_label, to_label, list(wanted))
                changed: list[Change] = [
                    (old, {"f": f, "t": t, **old, **wanted[(f, t)]}, old) for (f, t), old in existing.items() if _differs(old, wanted[(f, t)])
                ]
                self._write_edges(rel, from_label, to_label, [], changed)

    def _write_edges(self, rel: RelType, from_label: str, to_label: str, new: list[dict[str, Any]], changed: list[Change]) -> None:
        """Create ``new`` (in one bulk write, or batches in batched mode) and set what ``changed``, in batches."""
        for chunk in _batches(new, batch_rows(BATCH_SIZE) if self._load else max(len(new), 1)):
            with self._batch() as undo:
                self._create_edges(rel, from_label, to_label, list(chunk))
                undo.created_edges(rel.name, from_label, to_label, [(r["f"], r["t"]) for r in chunk])
        match = edge_match(rel.name, from_label, to_label)
        for names, group in group_by_changes(changed, ("f", "t")).items():
            for chunk in _batches(group, batch_rows(BATCH_SIZE)):
                with self._batch() as undo:
                    for statement in set_statements(match, "x", names, [n for n, _ in chunk]):
                        self._write(*statement)
                    undo.changed_edges(rel.name, from_label, to_label, names, [old for _, old in chunk])

    def _fetch_edges(self, rel: RelType, from_label: str, to_label: str, ends: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        columns = ", ".join(f"x.{p} AS {p}" for p in rel.properties)
        wanted = set(ends)
        pattern = f"(a:{from_label})-[x:{rel.name}]->(b:{to_label})"
        scan = f"MATCH {pattern} RETURN a.key AS f, b.key AS t, {columns}"
        if self._scan_is_cheaper(pattern, len(ends), scan, (rel.name, from_label, to_label)):
            # Ends and properties, filtered by one end (in Arrow on the embedded engine), instead of the lookups below.
            return _of_pairs(self._scan(scan, "f", {f for f, _ in ends}), wanted)
        # By the keys of one end (the one with more distinct keys), in large batches: inside a write
        # transaction on the embedded engine each such statement costs about a second on a graph of a
        # million relationships, whatever the keys asked (100,000 or 50,000: half the statements, half the time); by pairs, 5000 at a time, that was 20 s per 100k.
        by_from = len({f for f, _ in wanted}) >= len({t for _, t in wanted})
        keys = sorted({f for f, _ in wanted} if by_from else {t for _, t in wanted})
        match = (f"(a:{from_label} {{key: k}})-[x:{rel.name}]->(b:{to_label})" if by_from
                 else f"(a:{from_label})-[x:{rel.name}]->(b:{to_label} {{key: k}})")  # fmt: skip
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for batch in _batches(keys, EDGE_LOOKUP_BATCH):
            found.update(_of_pairs(self._execute(f"UNWIND $keys AS k MATCH {match} RETURN a.key AS f, b.key AS t, {columns}", {"keys": list(batch)}), wanted))
        return found

    def close(self) -> None:
        """Release the database."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
