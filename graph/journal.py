"""Batched loads that stay atomic for the user: each batch commits with the record of how to undo it.

A load in batched mode (always on Neo4j; on the embedded engine when ``TDI_BATCHED_LOADS=1``)
commits in transactions of at most `graph.store.BATCH_SIZE` rows, so that no transaction outgrows
a modest server. Each transaction also creates one `JOURNAL_LABEL` node, marked with the load's
id and the batch's number, holding (as JSON) how to undo the batch: the keys of the nodes and
relationships it created, and the old values of the properties it changed. A batch and its record
are committed together or not at all. Then:

- when the load ends, its records are deleted in one statement: the load is kept whole;
- when it fails, its batches are undone, last first, each in one transaction that also deletes
  its record (created nodes and relationships deleted, changed properties set back), and the
  user is told what was undone;
- when its process dies, the next write that opens the graph finds the records and undoes them
  the same way, and says so. On the embedded engine only one process writes at a time, so any
  record found is a dead load's; on Neo4j a load whose last batch is less than `STALE_AFTER_S`
  old may still be running elsewhere, and is left alone (and named).

Example
-------
>>> undo = Undo()
>>> undo.created_nodes("Operator", ["bpifrance"])
>>> undo.changed_nodes("Region", ("name",), [{"key": "32", "name": "Nord"}])
>>> [op["op"] for op in undo.ops], undo.rows
(['created_nodes', 'changed_nodes'], 2)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "JOURNAL_LABEL", "STALE_AFTER_S", "Undo", "UndoReport", "edge_match", "journal_record", "new_load_id", "node_match", "set_statements",
    "undo_statements",
]  # fmt: skip

JOURNAL_LABEL = "LoadJournal"
JOURNAL_COLUMNS = {"key": "STRING", "load": "STRING", "seq": "INT64", "started": "STRING", "command": "STRING",
                   "written": "DOUBLE", "undo": "STRING"}  # fmt: skip
STALE_AFTER_S = 600


@dataclass
class Undo:
    """How to undo one batch: operations replayed in reverse order."""

    ops: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0

    def created_nodes(self, label: str, keys: Sequence[str]) -> None:
        """The batch created these nodes: undoing deletes them."""
        self.ops.append({"op": "created_nodes", "label": label, "keys": list(keys)})
        self.rows += len(keys)

    def created_edges(self, rel: str, from_label: str, to_label: str, pairs: Sequence[tuple[str, str]]) -> None:
        """The batch created these relationships (from key, to key): undoing deletes them."""
        rows = [{"f": f, "t": t} for f, t in pairs]
        self.ops.append({"op": "created_edges", "rel": rel, "from": from_label, "to": to_label, "rows": rows})
        self.rows += len(rows)

    def changed_nodes(self, label: str, names: Sequence[str], old: Sequence[Mapping[str, Any]]) -> None:
        """The batch set ``names`` on these nodes; ``old`` holds each key and the values before."""
        self.ops.append({"op": "changed_nodes", "label": label, "names": list(names), "rows": [dict(r) for r in old]})
        self.rows += len(old)

    def changed_edges(self, rel: str, from_label: str, to_label: str, names: Sequence[str], old: Sequence[Mapping[str, Any]]) -> None:
        """The batch set ``names`` on these relationships; ``old`` holds each ``f``, ``t`` and the values before."""
        self.ops.append({"op": "changed_edges", "rel": rel, "from": from_label, "to": to_label, "names": list(names),
                         "rows": [dict(r) for r in old]})  # fmt: skip
        self.rows += len(old)


@dataclass
class UndoReport:
    """What undoing a load did."""

    load: str
    command: str
    started: str
    nodes_removed: int = 0
    edges_removed: int = 0
    restored: int = 0
    batches: int = 0

    def add(self, op: Mapping[str, Any]) -> None:
        n = len(op.get("keys") or op.get("rows") or [])
        if op["op"] == "created_nodes":
            self.nodes_removed += n
        elif op["op"] == "created_edges":
            self.edges_removed += n
        else:
            self.restored += n

    def message(self, *, reason: str) -> str:
        """One line for the user.

        >>> UndoReport("3f2a", "tdi load facts x.yaml", "2026-11-30T17:00:00Z", 2, 1, 0, 1).message(reason="it failed")
        'Undid load 3f2a (tdi load facts x.yaml, started 2026-11-30T17:00:00Z), as it failed: 1 committed batch; removed 2 nodes and 1 relationship it had created, restored 0 it had changed.'
        """
        return (
            f"Undid load {self.load} ({self.command}, started {self.started}), as {reason}: "
            f"{_count(self.batches, 'committed batch', 'committed batches')}; removed {_count(self.nodes_removed, 'node')} "
            f"and {_count(self.edges_removed, 'relationship')} it had created, restored {self.restored:,} it had changed."
        )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def new_load_id() -> str:
    """A fresh load id: 12 hex digits.

    >>> len(new_load_id())
    12
    """
    return uuid.uuid4().hex[:12]


def journal_record(load: str, seq: int, started: str, undo: Undo) -> tuple[str, dict[str, Any]]:
    """The statement and parameters that create batch ``seq``'s record, in the batch's own transaction."""
    params = {"key": f"{load}-{seq:06d}", "load": load, "seq": seq, "started": started, "command": _command(),
              "written": time.time(), "undo": json.dumps(undo.ops, ensure_ascii=False)}  # fmt: skip
    props = ", ".join(f"{name}: ${name}" for name in params)
    return f"CREATE (j:{JOURNAL_LABEL} {{{props}}})", params


def now_iso() -> str:
    """The time a load starts, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _command(argv: list[str] | None = None) -> str:
    """The command that runs the load, as the user would recognise it: its words, without options.

    >>> _command(["tdi", "--db", "g", "load", "facts", "x.yaml", "--dry-run"])
    'tdi load facts x.yaml'
    """
    args, words = list(sys.argv[1:] if argv is None else argv[1:]), []
    while args:
        word = args.pop(0)
        if word == "--db" and args:
            args.pop(0)
        elif not word.startswith("-"):
            words.append(word)
    return " ".join(["tdi", *words[:4]])


def set_statements(match: str, var: str, names: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """``UNWIND $rows AS r {match} SET …`` for ``names``, one statement per set of values that are None.

    A None is written as the literal ``NULL``: the embedded engine cannot type a parameter column
    that holds only nulls (it reads them as text, and refuses them for a number).

    >>> [c for c, _ in set_statements("MATCH (n:Region {key: r.key})", "n", ["name"], [{"key": "1", "name": None}])]
    ['UNWIND $rows AS r MATCH (n:Region {key: r.key}) SET n.name = NULL']
    """
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(p for p in names if row.get(p) is None), []).append(row)
    statements = []
    for nulls, group in groups.items():
        assignments = ", ".join(f"{var}.{p} = NULL" if p in nulls else f"{var}.{p} = r.{p}" for p in names)
        statements.append((f"UNWIND $rows AS r {match} SET {assignments}", {"rows": [dict(r) for r in group]}))
    return statements


def node_match(label: str) -> str:
    """The match of a node of ``label`` by the key of row ``r``."""
    return f"MATCH (n:{label} {{key: r.key}})"


def edge_match(rel: str, from_label: str, to_label: str) -> str:
    """The match of a relationship by the keys of its ends in row ``r`` (the far end in WHERE: ~5x faster embedded)."""
    return f"MATCH (a:{from_label} {{key: r.f}})-[x:{rel}]->(b:{to_label}) WHERE b.key = r.t"


def undo_statements(op: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The statements (portable Cypher, values as parameters) that undo one operation of a batch.

    >>> undo_statements({"op": "created_nodes", "label": "Operator", "keys": ["x"]})[0][0]
    'UNWIND $keys AS k MATCH (n:Operator {key: k}) DETACH DELETE n'
    """
    kind = op["op"]
    if kind == "created_nodes":
        return [(f"UNWIND $keys AS k MATCH (n:{op['label']} {{key: k}}) DETACH DELETE n", {"keys": op["keys"]})]
    if kind == "changed_nodes":
        return set_statements(node_match(op["label"]), "n", op["names"], op["rows"])
    match = edge_match(op["rel"], op["from"], op["to"])
    if kind == "created_edges":
        return [(f"UNWIND $rows AS r {match} DELETE x", {"rows": op["rows"]})]
    return set_statements(match, "x", op["names"], op["rows"])


def unfinished_loads(execute: Callable[..., list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The records of every load the graph holds, by load id, each list in batch order (without their undo text)."""
    rows = execute(
        f"MATCH (j:{JOURNAL_LABEL}) RETURN j.key AS key, j.load AS load_id, j.seq AS seq, j.started AS started, "
        "j.command AS command, j.written AS written"
    )  # not "AS load": a word that starts a clause (LOAD CSV) is a poor name for a column
    loads: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["load_id"], r["seq"])):
        loads.setdefault(row["load_id"], []).append(row)
    return loads


def read_undo(execute: Callable[..., list[dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    """The operations of one record."""
    rows = execute(f"MATCH (j:{JOURNAL_LABEL} {{key: $key}}) RETURN j.undo AS undo", {"key": key})
    return json.loads(rows[0]["undo"]) if rows else []


def delete_record_cypher() -> str:
    """The statement that deletes one record, by key (run in the transaction that undoes its batch)."""
    return f"MATCH (j:{JOURNAL_LABEL} {{key: $key}}) DELETE j"


def finish_cypher() -> str:
    """The statement that deletes every record of a load: the load is then kept whole."""
    return f"MATCH (j:{JOURNAL_LABEL}) WHERE j.load = $load DELETE j"
