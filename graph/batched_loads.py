"""The part of `graph.store.CypherStore` that commits a load in batches and undoes it whole (`graph.journal`).

A backend in batched mode sets ``_batched``; its `transaction` then opens no engine transaction
for the whole block: each write of the store runs in `_batch`, its own transaction committed with
its undo record. ``_exclusive_writer`` says whether any load record found on opening is
certainly a dead process's (the embedded engine's lock) rather than one of a load still running
elsewhere (Neo4j).

Example
-------
>>> graph = open_graph(tmp_path / "g", batched=True)      # doctest: +SKIP
>>> with graph.transaction():                             # doctest: +SKIP
...     graph.upsert_nodes("Operator", rows)              # commits every 5,000 rows
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import Discard, QueryFailed
from graph.journal import (
    STALE_AFTER_S,
    Undo,
    UndoReport,
    delete_record_cypher,
    finish_cypher,
    journal_record,
    new_load_id,
    now_iso,
    read_undo,
    undo_statements,
    unfinished_loads,
)

__all__ = ["BATCH_ROWS_ENV", "BatchedLoads", "batch_rows", "say"]

BATCH_ROWS_ENV = "TDI_LOAD_BATCH_ROWS"


def batch_rows(default: int) -> int:
    """Rows per batch: ``TDI_LOAD_BATCH_ROWS`` if set to a positive number, else ``default``."""
    value = os.environ.get(BATCH_ROWS_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def say(message: str | None) -> None:
    """Tell the user on stderr, in one line."""
    if message:
        print(message, file=sys.stderr, flush=True)


@dataclass
class _ActiveLoad:
    id: str
    started: str
    seq: int = 0
    failed: bool = False  # a statement failed, even if the caller caught its error: the load is not kept


class BatchedLoads:
    """Batches with undo records, and the undoing of loads that did not finish."""

    _batched = False
    _exclusive_writer = True
    _load: _ActiveLoad | None = None

    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _prepare_journal(self) -> None:
        """Before a batched load: make room for its records (the embedded engine declares a table)."""

    def _drop_journal(self) -> None:
        """Once no record is left: drop what `_prepare_journal` made, so the graph is as before."""

    @contextlib.contextmanager
    def _bookkeeping(self) -> Iterator[None]:
        """Around the statements that close a load's journal: they leave the graph as the load left it."""
        yield

    def _note_failure(self) -> None:
        """A backend calls it when a statement fails: a batched load in progress is then not kept."""
        if self._load is not None:
            self._load.failed = True

    def _refuse_unjournaled(self, write: bool) -> None:
        """A write statement inside a batched load could not be undone: loaders write through the store."""
        if write and self._load is not None:
            raise RuntimeError("A batched load writes through upsert_* and set_*_properties, not run(write=True).")

    @contextlib.contextmanager
    def _batch(self) -> Iterator[Undo]:
        """One batch of a load: in batched mode its own transaction, committed with its undo record; else part of the open one."""
        undo, load = Undo(), self._load
        if load is None:
            yield undo
            return
        self._begin()
        try:
            yield undo
            if undo.ops:
                load.seq += 1
                self._execute(*journal_record(load.id, load.seq, load.started, undo))
        except BaseException:
            self._rollback()
            raise
        self._commit()

    @contextlib.contextmanager
    def _journaled(self) -> Iterator[None]:
        """A load in batched mode: its batches are kept together, or undone if the block raises."""
        self._prepare_journal()
        load = self._load = _ActiveLoad(new_load_id(), now_iso())
        try:
            yield
        except BaseException as exc:
            self._load = None
            if load.seq:
                self._undo_failed(load, quiet=isinstance(exc, Discard))
            self._drop_journal()
            raise
        self._load = None
        if load.failed:
            if load.seq:
                self._undo_failed(load, quiet=False)
            self._drop_journal()
            raise QueryFailed("A statement failed inside the transaction, so what it had written was undone; nothing was kept.")
        with self._bookkeeping():
            if load.seq:
                self._execute(finish_cypher(), {"load": load.id})
            self._drop_journal()

    def _undo_failed(self, load: _ActiveLoad, *, quiet: bool) -> None:
        """Undo a load whose block raised; if even that fails (connection lost), the next write undoes it."""
        try:
            records = unfinished_loads(self._execute).get(load.id, [])
            report = self._undo_load(load.id, records)
        except Exception as exc:  # noqa: BLE001 - the load's own error is raised next; this only changes what the user is told
            say(
                f"Load {load.id} failed after committing {load.seq:,} batches, and undoing them failed too "
                f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}): the next write to the graph undoes them."
            )
            return
        if not quiet:
            say(report.message(reason="it failed"))

    def _undo_load(self, load: str, records: list[dict[str, Any]]) -> UndoReport:
        """Undo the batches of ``load``, last first, each in one transaction that deletes its record."""
        first = records[0] if records else {}
        report = UndoReport(load, first.get("command") or "tdi", first.get("started") or "?")
        for record in reversed(records):
            ops = read_undo(self._execute, record["key"])
            self._begin()
            try:
                for op in reversed(ops):
                    for statement in undo_statements(op):
                        self._execute(*statement)
                    report.add(op)
                self._execute(delete_record_cypher(), {"key": record["key"]})
            except BaseException:
                self._rollback()
                raise
            self._commit()
            report.batches += 1
        return report

    def _undo_unfinished_loads(self) -> None:
        """On opening for writing: undo every load a dead process left unfinished, and say so."""
        for load, records in unfinished_loads(self._execute).items():
            last = max(r["written"] or 0 for r in records)
            if not self._exclusive_writer and time.time() - last < STALE_AFTER_S:
                say(
                    f"Load {load} ({records[0]['command']}, started {records[0]['started']}) has not finished; it may still be "
                    f"running elsewhere, so it was left as it is (it is undone once {STALE_AFTER_S // 60} minutes pass without a batch)."
                )
                continue
            say(self._undo_load(load, records).message(reason="it did not finish"))
        self._drop_journal()
