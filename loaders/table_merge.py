"""The first pass's findings over a table, and the merge of its partitions before anything is written.

`FirstPass` holds what reading the rows found (counts, problems, actors the graph lacks);
`merge_partitions` then merges each partition's records by key — an actor on several rows, a
relationship given twice, whose properties must agree unless ``combine`` says how to merge them —
reports every disagreement, and counts how many keys writing will ask of each table: a load in parts
weighs one scan of a table against looking all of those up (`loaders.session.copies_at_end`).

Example
-------
>>> found = FirstPass()
>>> merge_partitions(table, mapping, spill, found, no_progress)      # doctest: +SKIP
>>> found.asked["nodes"][("Company", "", "")]                          # doctest: +SKIP
1000000
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from graph.dates import DATE_PROPERTIES
from graph.deferred_copies import Target
from graph.diff import merge_props
from graph.errors import LoaderError, PeriodConflict
from graph.schema import schema
from loaders.mapping import RelSpec, TableMapping
from loaders.problems import MAX_PROBLEMS
from loaders.session import Progress
from loaders.table import Table
from loaders.table_spill import Spill

__all__ = ["FirstPass", "Problems", "conflict_error", "merge_partitions"]

_COMBINE = {"sum": lambda a, b: a + b, "min": min, "max": max}


@dataclass
class Problems:
    """How many problems were found, and the `MAX_PROBLEMS` first in file order."""

    count: int = 0
    _kept: list[tuple[int, int, str]] = field(default_factory=list)
    _recent: deque[str] = field(default_factory=lambda: deque(maxlen=5))

    def add(self, line: int, message: str) -> None:
        if message in self._recent:  # two properties read from one bad cell: say it once
            return
        self._recent.append(message)
        self.count += 1
        entry = (-line, -self.count, message)
        if len(self._kept) < MAX_PROBLEMS:
            heapq.heappush(self._kept, entry)
        elif entry > self._kept[0]:
            heapq.heapreplace(self._kept, entry)

    def error(self, where: str) -> LoaderError:
        listed = "\n".join(message for _, _, message in sorted(self._kept, reverse=True))
        more = f"\n… and {self.count - MAX_PROBLEMS} more" if self.count > MAX_PROBLEMS else ""
        return LoaderError(f"{where}: {self.count} problem(s), nothing was loaded:\n{listed}{more}")


@dataclass
class FirstPass:
    """What the first pass found: rows, rows filtered out, problems, actors the graph lacks, and once merged,
    how many records there are to write and how many keys the writing asks of each table (`asked`)."""

    rows: int = 0
    skipped: int = 0
    problems: Problems = field(default_factory=Problems)
    missing: dict[str, dict[str, tuple[int, str]]] = field(default_factory=lambda: defaultdict(dict))
    written: int = 0
    asked: dict[str, Counter[Target]] = field(default_factory=lambda: {"nodes": Counter(), "edges": Counter()})


def merge_partitions(table: Table, mapping: TableMapping, spill: Spill, found: FirstPass, progress: Progress) -> None:
    """Merge each partition's records by key, reporting disagreements and actors the graph lacks, and count
    in ``found.asked`` the keys the writing will ask of each table: its actors, its relationships and their ends.

    Each merged record keeps a line of the table (`conflict_error` names it): an actor's is the last row that gives it a
    date, since or until (else its first row), a relationship's its first row (its rows agree)."""
    for partition in range(spill.partitions):
        nodes: dict[tuple[str, str], dict[str, Any]] = {}
        lines: dict[tuple[str, str], int] = {}
        for label, key, props, line in spill.records("nodes", partition):
            nodes[(label, key)] = merge_props(nodes.get((label, key), {}), props)
            if (label, key) not in lines or not DATE_PROPERTIES.isdisjoint(n for n, v in props.items() if v is not None):
                lines[(label, key)] = line
            found.missing.get(label, {}).pop(key, None)  # made by the file itself
        edges: dict[tuple[str, tuple[str, ...]], tuple[dict[str, Any], int]] = {}
        for index, ends, props, line in spill.records("edges", partition):
            rel = mapping.relationships[index]
            if (rel.type, ends) in edges:
                _merge_edge(table, found, edges[(rel.type, ends)], rel, ends, props, line)
            else:
                edges[(rel.type, ends)] = (props, line)
        _count_asked(found.asked, nodes, edges)
        spill.replace("nodes", partition, [(item[0], props, lines[item]) for item, props in nodes.items()])
        spill.replace("edges", partition, [(rel_type, ends, props, line) for (rel_type, ends), (props, line) in edges.items()])
        found.written += len(nodes) + len(edges)
        progress("checking", partition + 1, spill.partitions)
    for label, missing in found.missing.items():
        kind = schema().kind(label)
        hint = ' (load the administrative map first: "tdi load reference")' if label in ("Commune", "Epci", "Department", "Region") else ""
        for key, (line, where) in missing.items():
            found.problems.add(line, f"{table.path}:{line}: {where}: no {kind.node_id(key)} in the graph{hint}")


def conflict_error(table: Table, spill: Spill, found: FirstPass, conflict: PeriodConflict) -> LoaderError:
    """``conflict``, raised by the graph as a merged record is written, as a problem at the line of the table that made it."""
    line = _line_of(spill, conflict.item)
    found.problems.add(line, f"{table.path}:{line}: {conflict}")
    return found.problems.error(table.name)


def _line_of(spill: Spill, item: tuple[str, ...]) -> int:
    """The line a merged record of ``spill`` keeps for ``item``: (label, key) for an actor, (type, from label,
    from key, to label, to key) for a relationship, as `graph.errors.PeriodConflict` names them; 0 if none."""
    actor = len(item) == 2
    for partition in range(spill.partitions):
        for name, *rest in spill.records("nodes" if actor else "edges", partition):
            if ((name, rest[0]["key"]) if actor else (name, *rest[0])) == item:
                return rest[-1]
    return 0


def _count_asked(asked: dict[str, Counter[Target]], nodes: dict[tuple[str, str], Any], edges: dict[tuple[str, tuple[str, ...]], Any]) -> None:
    """Add one merged partition's keys to ``asked``: its actors by table, its relationships by type and pair, and their ends.

    >>> asked = {"nodes": Counter(), "edges": Counter()}
    >>> _count_asked(asked, {("Company", "a"): {}}, {("LOCATED_IN", ("Company", "a", "Commune", "59350")): ({}, 2)})
    >>> asked["nodes"][("Company", "", "")], asked["edges"][("LOCATED_IN", "Company", "Commune")], asked["edges"][("Commune", "", "")]
    (1, 1, 1)
    """
    asked["nodes"].update(Counter((label, "", "") for label, _ in nodes))
    pairs = Counter((rel_type, ends[0], ends[2]) for rel_type, ends in edges)
    for (rel_type, from_label, to_label), count in pairs.items():
        asked["edges"].update({(rel_type, from_label, to_label): count})
        asked["edges"].update({(from_label, "", ""): count})
        asked["edges"].update({(to_label, "", ""): count})


def _merge_edge(
    table: Table, found: FirstPass, merged: tuple[dict[str, Any], int], rel: RelSpec, ends: tuple[str, ...], props: dict[str, Any], line: int
) -> None:  # fmt: skip
    """Fold one more row's properties into a relationship given before (on line ``merged[1]``)."""
    current, first = merged
    for name, value in props.items():
        old, cell = current.get(name), rel.properties[name]
        if old is None or value is None or old == value:
            current[name] = old if value is None else value
        elif cell.combine:
            current[name] = _COMBINE[cell.combine](old, value)
        else:
            this = f"{rel.type} {ends[0].lower()}:{ends[1]} -> {ends[2].lower()}:{ends[3]}"
            found.problems.add(line, f'{table.path}:{line}: {cell.where()}: "{value}", but line {first} gives "{old}" for the same {this}; '
                               "one relationship holds one value: add combine: sum, min or max to the mapping")  # fmt: skip
