"""The embedded backend: a LadybugDB database in one file, created on first use.

Node and relationship tables are derived from the schema when the database is opened for
writing (missing tables, columns and kind pairs are added). New nodes and relationships are
inserted with ``COPY … FROM`` an Arrow table, which stays fast as the graph grows; changes go
through ``UNWIND … MATCH … SET``. Queries are written in Neo4j's Cypher and rewritten by
`graph.dialect`.

With ``defer_copy`` (loads use it), a graph opened for writing is first read in place, read-only,
under the writer lock; the first write copies it and goes on in the copy (`graph.dbfiles`). A
session that writes nothing (a load that finds everything already there) then neither copies nor
replaces the graph file; one that writes pays one more opening of the engine (about 0.1 s).

Example
-------
>>> graph = EmbeddedBackend(tmp_path / "g")      # doctest: +SKIP
>>> graph.run("MATCH (r:Region) RETURN count(*) AS n")   # doctest: +SKIP
[{'n': 0}]
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.dbfiles import WriteSession, disk_full, prepare_read
from graph.deferred_copies import CopiesAtEnd
from graph.dialect import to_embedded
from graph.embedded_reads import CachedReads
from graph.engine_exit import close_left_engines, keep_till_exit
from graph.engine_heap import prepare_heap
from graph.engine_import import import_engine
from graph.engine_memory import is_pool_full, pool_full, read_pool_mb
from graph.engine_results import arrow_or_rows, result_columns, result_rows
from graph.engine_values import arrow_rows, arrow_type
from graph.errors import ConnectionFailed, DatabaseLocked, QueryFailed, ReadOnlyViolation, WriteFailed
from graph.journal import JOURNAL_LABEL
from graph.statements import check_query
from graph.store import CypherStore

if TYPE_CHECKING:
    from graph.schema import NodeKind, RelType

__all__ = ["EmbeddedBackend"]

ladybug = import_engine()


class EmbeddedBackend(CachedReads, CopiesAtEnd, CypherStore):
    """A graph stored in a LadybugDB file at ``path``."""

    kind = "embedded"

    def __init__(
        self, path: Path, *, read_only: bool = False, buffer_pool_mb: int | None = None, batched: bool = False, defer_copy: bool = False
    ) -> None:
        super().__init__()
        close_left_engines()  # a graph read earlier in this process and left open (`graph.engine_exit`)
        self.path = Path(path)
        self.read_only = read_only
        self._batched = batched and not read_only  # loads commit in batches in the graph file itself (`graph.batched_loads`)
        self._engine_tx = False  # a transaction is open (in the engine, or from the first write on)
        self._buffer_pool_mb = buffer_pool_mb or (read_pool_mb() if read_only else 0)  # 0: the engine's default
        self._session: WriteSession | None = None
        self._write_failed = False
        # Rolled back with nothing committed: the copy is dropped on close, keeping the graph as it was
        # (LadybugDB 0.22 can leave primary-key entries behind after rolling back a large write).
        self._existed, self._committed, self._rolled_back = self.path.exists(), False, False
        self._parts = False  # the open transaction continues parts already committed (`commit_part`)
        self._parts_failed = False  # one such transaction was rolled back: nothing of this session is kept
        self._statements = 0  # run so far: a load's mark holds only if nothing ran after it
        self._mark: tuple[str, dict[str, Any], int] | None = None
        self._tx_broken = False
        self._db: Any = None
        self._conn: Any = None
        self._writing = False  # the connection is on the working copy (else on the graph file, read-only)
        self._stored: dict[str, list[str]] = {}  # table → its columns, for a graph opened read-only (cached)
        self._keep_counts = False  # the graph's counts were cached when this write began: cache those of its result too
        if read_only:
            _say(prepare_read(self.path))
            if not self.path.exists():
                raise ConnectionFailed(f'No graph at "{self.path}". Run "tdi demo" or a "tdi load" command first, or give --db.')
            self._open(self.path, read_only=True)
            return
        # Writes go to a copy swapped in on close: a crash never reaches the graph file (graph/dbfiles.py);
        # batched loads write the file in place and undo themselves instead.
        self._session = WriteSession(self.path, deferred=True, in_place=self._batched)
        _say(self._session.recovered)
        from graph.counting import is_counted  # here and below: a graph opened read-only needs none of these

        self._keep_counts = is_counted(self.path)
        try:
            if self._batched or not (defer_copy and self._existed):
                self._start_writing()
                return
            self._open(self.path, read_only=True)
            from graph.embedded_schema import schema_changes
            from graph.schema import schema

            if schema_changes(self._conn, schema()) or JOURNAL_LABEL in self._catalogue():
                self._start_writing()
        except BaseException:
            self._close_engine()
            self._session.abandon()
            raise

    def _open(self, target: Path, *, read_only: bool) -> None:
        if read_only:
            prepare_heap()  # huge pages for the engine's start-up, when the ``tdi`` command asked (`graph.engine_heap`)
        try:
            self._db = ladybug.Database(str(target), read_only=read_only, buffer_pool_size=self._buffer_pool_mb << 20)
        except RuntimeError as exc:
            if is_pool_full(exc):
                raise self._failed_write(exc) from exc
            if "lock" in str(exc).lower():
                raise DatabaseLocked(
                    f'The graph at "{self.path}" is open for writing in another process. Close it and try again.'
                ) from exc
            raise ConnectionFailed(f'Cannot open the graph at "{self.path}": {exc}') from exc
        self._conn = ladybug.Connection(self._db)

    def _start_writing(self) -> None:
        """Before the session's first write: copy the graph, go on in the copy, bring its tables up to the schema.

        A read-only session has nothing to start: the engine refuses its writes.
        """
        if self._writing or self._session is None:
            return
        from graph.embedded_schema import schema_changes
        from graph.schema import schema

        self._close_engine()
        self._writing = True
        try:
            self._session.start()
            self._open(self._session.copy, read_only=False)
            for statement in schema_changes(self._conn, schema()):
                self._conn.execute(statement)
            if JOURNAL_LABEL in self._catalogue():
                pending, self._engine_tx = self._engine_tx, False
                self._undo_unfinished_loads()
                self._engine_tx = pending
            if self._engine_tx:
                self._conn.execute("BEGIN TRANSACTION")
        except RuntimeError as exc:
            raise self._failed_write(exc) from exc
        except BaseException:
            self._write_failed = True  # the copy is dropped on close
            raise

    # -- schema --------------------------------------------------------------------------
    def _catalogue(self) -> dict[str, str]:
        from graph.embedded_schema import catalogue

        return catalogue(self._conn)

    def _columns(self, table: str) -> list[str]:
        from graph.embedded_schema import table_columns

        return table_columns(self._conn, table)

    def _prepare_journal(self) -> None:
        from graph.embedded_schema import prepare_journal

        prepare_journal(self._conn)

    @contextlib.contextmanager
    def _bookkeeping(self) -> Iterator[None]:
        """Closing a batched load's journal does not void its mark (`remember_load`), unless it fails."""
        statements = self._statements
        yield
        self._statements = statements

    def _drop_journal(self) -> None:
        from graph.embedded_schema import drop_journal

        drop_journal(self._conn)

    # -- primitives ----------------------------------------------------------------------
    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return result_rows(self._result(cypher, params))

    def _result(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        if self._tx_broken:
            raise QueryFailed("The transaction was already rolled back after an error; nothing more is written.")
        if self._parts_failed:
            raise QueryFailed("A load committed in parts failed: this session's writes are dropped on close. Open the graph again.")
        if self._conn is None:
            raise QueryFailed("A write to this graph failed, so nothing more is written. Open the graph again.")
        self._statements += 1
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            self._note_failure()
            if self._engine_tx:
                # The engine ends the transaction on error; later statements would auto-commit.
                self._tx_broken = True
            message = str(exc).split("\n")[0]
            if is_pool_full(exc):
                raise self._failed_write(exc) from exc  # the copy is dropped on close
            if self._session and "IO exception" in message:
                raise self._failed_write(exc) from exc
            if "read only" in message.lower() or "read-only" in message.lower():
                raise ReadOnlyViolation("This command is read-only; add --write to change the graph.") from exc
            raise QueryFailed(f"The graph rejected the query: {message}") from exc
        return result

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run one statement of Neo4j-dialect Cypher; rows come back as plain dicts (nodes and relationships too).

        Unless ``write``, the statement must only read (`graph.statements.check_query`): no
        change to the graph, no file read or written, no extension, no setting.
        """
        return result_rows(self._statement(cypher, params, write))

    def columns(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> dict[str, list[Any]]:
        """`run`, one list per column (every column, even with no row), straight from Arrow when the values are plain.

        A column of 100,000 values costs a few milliseconds this way, against a dict per row for `run`.
        """
        return result_columns(self._statement(cypher, params, write))

    def _statement(self, cypher: str, params: Mapping[str, Any] | None, write: bool) -> Any:
        cypher = to_embedded(cypher)
        check_query(cypher, read_only=not write)
        self._refuse_unjournaled(write)
        if write:
            self._start_writing()
        return self._result(cypher, params)

    def _write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        self._start_writing()
        return self._execute(cypher, params)

    def _scan(self, cypher: str, column: str, wanted: set[str]) -> list[dict[str, Any]]:
        """The rows of ``cypher`` whose ``column`` is in ``wanted``, filtered in Arrow: a scan of a whole
        table then costs its columns (tens of MB for 500,000 relationships), not a dict per row."""
        table = self._scan_once(cypher, lambda: self._arrow_or_rows(cypher))
        if isinstance(table, list):
            return [dict(row) for row in table if row[column] in wanted]  # copies: the scan may be read again
        import pyarrow as pa
        import pyarrow.compute as pc

        return arrow_rows(table.filter(pc.is_in(table[column], value_set=pa.array(sorted(wanted), pa.string()))))

    def _arrow_or_rows(self, cypher: str) -> Any:
        """The result of ``cypher`` as an Arrow table, or as a list of dicts if its values are not all plain."""
        return arrow_or_rows(self._result(cypher))

    def _create_nodes(self, kind: NodeKind, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self._start_writing()  # first: the copy may gain columns
        columns = self._columns(kind.label)
        types = {p.name: arrow_type(p.type) for p in kind.properties.values()}
        table = pa.table({c: pa.array([r.get(c) for r in rows], type=types[c]) for c in columns})
        self._copy_rows((kind.label, "", ""), table)

    def _create_edges(self, rel: RelType, from_label: str, to_label: str, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self._start_writing()
        columns = [c for c in self._columns(rel.name) if c in rel.properties]
        data = {"from": pa.array([r["f"] for r in rows], pa.string()), "to": pa.array([r["t"] for r in rows], pa.string())}
        for c in columns:
            data[c] = pa.array([r.get(c) for r in rows], type=arrow_type(rel.properties[c].type))
        self._copy_rows((rel.name, from_label, to_label), pa.table(data))

    def remember_load(self, mark: str, report: dict[str, Any]) -> None:
        """Record on close, if this session commits and runs nothing more, that the graph holds load ``mark`` (`graph.load_marks`)."""
        self._mark = (mark, report, self._statements)

    def commit_part(self) -> None:
        """Inside `transaction`: commit what was written so far, in the working copy, and go on in a new transaction.

        The engine's memory then holds one part at a time. The graph file still changes only when
        the copy is swapped in on close; if the block fails after a part was committed, the whole
        copy is dropped on close, the graph stays as it was, and this session refuses any further
        statement (what it would write could not be kept).
        """
        if not self._in_transaction or not self._writing or self._batched:
            return  # batched loads commit every batch anyway
        self._commit()
        self._begin()
        self._parts = True

    def _begin(self) -> None:
        self._tx_broken = False
        if self._writing:  # else the first write begins it (`_start_writing`)
            self._conn.execute("BEGIN TRANSACTION")
        self._engine_tx = True

    def _commit(self) -> None:
        if self._tx_broken:
            # A statement failed and its error was caught inside the block: keep none of it.
            self._rollback()
            raise QueryFailed("A statement failed inside the transaction, so it was rolled back; nothing was written.")
        if not self._writing:
            self._engine_tx = False
            return  # nothing was written
        if os.environ.get("TDI_TEST_ANNOUNCE_COMMIT"):
            # Only the crash tests set it: they kill the process at random moments after this line.
            print("tdi-test: commit", file=sys.stderr, flush=True)
        try:
            self._conn.execute("COMMIT")
        except RuntimeError as exc:
            raise self._failed_write(exc) from exc
        self._committed, self._parts, self._engine_tx = True, False, False

    def _failed_write(self, exc: RuntimeError) -> WriteFailed:
        """Mark this write failed (its copy is dropped on close) and say that the previous graph was kept."""
        self._write_failed = True
        if is_pool_full(exc):
            return pool_full(self.path, self._buffer_pool_mb)
        if "no space left" in str(exc).lower():
            return disk_full(self.path)
        return WriteFailed(
            f'The write to the graph at "{self.path}" failed ({_first_line(exc)}): none of it was kept, the previous graph is unchanged.'
        )

    def _rollback(self) -> None:
        try:
            if self._writing and self._conn is not None:  # None: starting to write failed, nothing was written
                self._conn.execute("ROLLBACK")
        except RuntimeError:
            pass  # the engine already ended the transaction when a statement failed
        self._tx_broken = self._engine_tx = False
        self._rolled_back = True
        self._parts_failed = self._parts_failed or self._parts

    def close(self) -> None:
        """Close the database; after a write, swap the written copy in (or drop it if the write failed).

        If the graph's counts were cached when the write began, those of the written graph are
        counted before closing and cached once it is swapped in (`graph.counting.keep_counts`).
        """
        counts = self._counts_to_keep()
        closed = self._close_engine()
        session, self._session = self._session, None
        if session is None:
            return
        if self._write_failed or self._parts_failed or (self._rolled_back and self._existed and not self._committed):
            session.abandon()
        elif not closed and self._writing:
            session.abandon()
            raise WriteFailed(f'Cannot finish writing the graph at "{self.path}": the previous graph was kept.')
        else:
            from graph.counting import file_state, keep_counts

            written = file_state(session.copy)
            session.finish()
            self._record_mark()
            if counts is not None:
                keep_counts(self.path, counts, written)

    def _record_mark(self) -> None:
        mark, self._mark = self._mark, None
        # Nothing written at all (no copy made) also holds: the graph already held the load's result.
        # A batched load writes in place and commits batch by batch: a load with nothing to write commits nothing.
        if (
            mark
            and mark[2] == self._statements
            and (self._committed or not self._writing or self._batched)
            and not self._rolled_back
        ):
            from graph.load_marks import record_load

            record_load(self.path, mark[0], mark[1])

    def _close_engine(self) -> bool:
        """Close the connection and database (the engine checkpoints); whether it went cleanly.

        A graph opened read-only may instead be left to the end of the process (`graph.engine_exit`).
        """
        conn, db, self._conn, self._db = self._conn, self._db, None, None
        if self.read_only and conn is not None and keep_till_exit(conn, db):
            return True
        try:
            if conn is not None:
                conn.close()
                db.close()
        except RuntimeError:
            return False
        return True


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n")[0]


def _say(message: str | None) -> None:
    """Tell the user on stderr, in one line, that a graph was recovered."""
    if message:
        print(message, file=sys.stderr, flush=True)
