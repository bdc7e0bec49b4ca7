"""The embedded backend: a LadybugDB database in one file, created on first use.

Node and relationship tables are derived from the schema when the database is opened for
writing (missing tables, columns and kind pairs are added). New nodes and relationships are
inserted with ``COPY … FROM`` an Arrow table, which stays fast as the graph grows; changes go
through ``UNWIND … MATCH … SET``. Queries are written in Neo4j's Cypher and rewritten by
`graph.dialect`.

Example
-------
>>> graph = EmbeddedBackend(tmp_path / "g")      # doctest: +SKIP
>>> graph.run("MATCH (r:Region) RETURN count(*) AS n")   # doctest: +SKIP
[{'n': 0}]
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ladybug

from graph.dbfiles import WriteSession, disk_full, prepare_read
from graph.dialect import to_embedded
from graph.errors import (
    ConnectionFailed,
    DatabaseLocked,
    QueryFailed,
    ReadOnlyViolation,
    WriteFailed,
)
from graph.schema import NodeKind, RelType, Schema
from graph.statements import check_query
from graph.store import CypherStore

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EmbeddedBackend"]

_COLUMN_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "list": "STRING[]"}
# Result column types whose Arrow values are the same plain Python values as row by row.
_ARROW_SAFE = frozenset({"STRING", "INT64", "INT32", "DOUBLE", "BOOL", "STRING[]", "INT64[]", "DOUBLE[]"})
# Below this many rows, reading row by row costs less than importing pyarrow (0.2 s) for a read command.
_ARROW_FROM_ROWS = 20_000


class EmbeddedBackend(CypherStore):
    """A graph stored in a LadybugDB file at ``path``."""

    kind = "embedded"

    def __init__(self, path: Path, *, read_only: bool = False, buffer_pool_mb: int | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._buffer_pool_mb = buffer_pool_mb or 0  # 0: the engine's default, most of the memory
        self._session: WriteSession | None = None
        self._write_failed = False
        # Rolled back with nothing committed: the copy is dropped on close, keeping the graph as it was
        # (LadybugDB 0.22 can leave primary-key entries behind after rolling back a large write).
        self._existed, self._committed, self._rolled_back = self.path.exists(), False, False
        self._parts = False  # the open transaction continues parts already committed (`commit_part`)
        self._parts_failed = False  # one such transaction was rolled back: nothing of this session is kept
        self._statements = 0  # run so far: a load's mark holds only if nothing ran after it
        self._mark: tuple[str, dict[str, Any], int] | None = None
        if read_only:
            _say(prepare_read(self.path))
            if not self.path.exists():
                raise ConnectionFailed(f'No graph at "{self.path}". Run "tdi demo" or a "tdi load" command first, or give --db.')
            target = self.path
        else:
            # Writes go to a copy swapped in on close: a crash never reaches the graph file (graph/dbfiles.py).
            self._session = WriteSession(self.path)
            _say(self._session.recovered)
            target = self._session.copy
        try:
            self._open(target)
        except BaseException:
            if self._session:
                self._session.abandon()
            raise

    def _open(self, target: Path) -> None:
        try:
            self._db = ladybug.Database(str(target), read_only=self.read_only, buffer_pool_size=self._buffer_pool_mb << 20)
        except RuntimeError as exc:
            if "lock" in str(exc).lower():
                raise DatabaseLocked(
                    f'The graph at "{self.path}" is open for writing in another process. Close it and try again.'
                ) from exc
            raise ConnectionFailed(f'Cannot open the graph at "{self.path}": {exc}') from exc
        self._conn = ladybug.Connection(self._db)
        self._tx_broken = False
        if not self.read_only:
            from graph.schema import schema

            try:
                self._install(schema())
            except RuntimeError as exc:
                self._close_engine()
                raise self._failed_write(exc) from exc

    # -- schema --------------------------------------------------------------------------
    def _catalogue(self) -> dict[str, str]:
        return {row[1]: row[2] for row in self._conn.execute("CALL show_tables() RETURN *").get_all()}

    def _columns(self, table: str) -> list[str]:
        return [row[1] for row in self._conn.execute(f"CALL table_info('{table}') RETURN *").get_all()]

    def stored_properties(self, table: str) -> list[str]:
        return self._columns(table)

    def _install(self, s: Schema) -> None:
        tables = self._catalogue()
        for kind in s.kinds.values():
            if kind.label not in tables:
                columns = ", ".join(f"{p.name} {_COLUMN_TYPES[p.type]}" for p in kind.properties.values())
                self._conn.execute(f"CREATE NODE TABLE {kind.label}({columns}, PRIMARY KEY(key))")
            else:
                self._add_missing_columns(kind.label, kind.properties.values())
        for rel in s.rels.values():
            if rel.name not in tables:
                pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
                columns = "".join(f", {p.name} {_COLUMN_TYPES[p.type]}" for p in rel.properties.values())
                self._conn.execute(f"CREATE REL TABLE {rel.name}({pairs}{columns})")
            else:
                self._add_missing_columns(rel.name, rel.properties.values())
                self._add_missing_pairs(rel)

    def _add_missing_columns(self, table: str, properties: Any) -> None:
        present = set(self._columns(table))
        for prop in properties:
            if prop.name not in present:
                self._conn.execute(f"ALTER TABLE {table} ADD {prop.name} {_COLUMN_TYPES[prop.type]}")

    def _add_missing_pairs(self, rel: RelType) -> None:
        rows = self._conn.execute(f"CALL show_connection('{rel.name}') RETURN *").get_all()
        present = {(row[0], row[1]) for row in rows}
        for a, b in rel.pairs:
            if (a, b) not in present:
                self._conn.execute(f"ALTER TABLE {rel.name} ADD FROM {a} TO {b}")

    # -- primitives ----------------------------------------------------------------------
    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._result(cypher, params)
        columns = result.get_column_names()
        types = result.get_column_data_types()
        if types and _ARROW_SAFE.issuperset(types) and ("pyarrow" in sys.modules or result.get_num_tuples() > _ARROW_FROM_ROWS):
            # Plain values only: through Arrow, 3 to 4 times faster than row by row, once pyarrow is imported.
            return result.get_as_arrow().to_pylist()
        return [dict(zip(columns, (_plain(v) for v in row))) for row in result.get_all()]

    def _result(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        if self._tx_broken:
            raise QueryFailed("The transaction was already rolled back after an error; nothing more is written.")
        if self._parts_failed:
            raise QueryFailed("A load committed in parts failed: this session's writes are dropped on close. Open the graph again.")
        self._statements += 1
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            if self._in_transaction:
                # The engine ends the transaction on error; later statements would auto-commit.
                self._tx_broken = True
            message = str(exc).split("\n")[0]
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
        cypher = to_embedded(cypher)
        check_query(cypher, read_only=not write)
        return self._execute(cypher, params)

    def _scan(self, cypher: str, column: str, wanted: set[str]) -> list[dict[str, Any]]:
        """The rows of ``cypher`` whose ``column`` is in ``wanted``, filtered in Arrow: a scan of a whole
        table then costs its columns (tens of MB for 500,000 relationships), not a dict per row."""
        result = self._result(cypher)
        if not _ARROW_SAFE.issuperset(result.get_column_data_types()):
            columns = result.get_column_names()
            rows = (dict(zip(columns, (_plain(v) for v in row))) for row in result.get_all())
            return [row for row in rows if row[column] in wanted]
        import pyarrow as pa
        import pyarrow.compute as pc

        table = result.get_as_arrow()
        return table.filter(pc.is_in(table[column], value_set=pa.array(sorted(wanted), pa.string()))).to_pylist()

    def _create_nodes(self, kind: NodeKind, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        columns = self._columns(kind.label)
        types = {p.name: _arrow_type(p.type) for p in kind.properties.values()}
        table = pa.table({c: pa.array([r.get(c) for r in rows], type=types[c]) for c in columns})
        self._execute(f"COPY {kind.label} FROM $rows", {"rows": table})

    def _create_edges(self, rel: RelType, from_label: str, to_label: str, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        columns = [c for c in self._columns(rel.name) if c in rel.properties]
        data = {"from": pa.array([r["f"] for r in rows], pa.string()), "to": pa.array([r["t"] for r in rows], pa.string())}
        for c in columns:
            data[c] = pa.array([r.get(c) for r in rows], type=_arrow_type(rel.properties[c].type))
        self._execute(f"COPY {rel.name} FROM $rows (from='{from_label}', to='{to_label}')", {"rows": pa.table(data)})

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
        if not self._in_transaction:
            return
        self._commit()
        self._begin()
        self._parts = True

    def _begin(self) -> None:
        self._tx_broken = False
        self._conn.execute("BEGIN TRANSACTION")

    def _commit(self) -> None:
        if self._tx_broken:
            # A statement failed and its error was caught inside the block: keep none of it.
            self._rollback()
            raise QueryFailed("A statement failed inside the transaction, so it was rolled back; nothing was written.")
        if os.environ.get("TDI_TEST_ANNOUNCE_COMMIT"):
            # Only the crash tests set it: they kill the process at random moments after this line.
            print("tdi-test: commit", file=sys.stderr, flush=True)
        try:
            self._conn.execute("COMMIT")
        except RuntimeError as exc:
            raise self._failed_write(exc) from exc
        self._committed, self._parts = True, False

    def _failed_write(self, exc: RuntimeError) -> WriteFailed:
        """Mark this write failed (its copy is dropped on close) and say that the previous graph was kept."""
        self._write_failed = True
        if "no space left" in str(exc).lower():
            return disk_full(self.path)
        return WriteFailed(
            f'The write to the graph at "{self.path}" failed ({_first_line(exc)}): none of it was kept, the previous graph is unchanged.'
        )

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError:
            pass  # the engine already ended the transaction when a statement failed
        self._tx_broken = False
        self._rolled_back = True
        self._parts_failed = self._parts_failed or self._parts

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and relationships per type, from each table of the catalogue."""
        nodes, rels = {}, {}
        for table, kind in sorted(self._catalogue().items()):
            pattern = f"MATCH (n:{table})" if kind == "NODE" else f"MATCH ()-[n:{table}]->()"
            n = self._conn.execute(f"{pattern} RETURN count(*)").get_all()[0][0]
            if n:
                (nodes if kind == "NODE" else rels)[table] = n
        return {"nodes": nodes, "relationships": rels}

    def to_networkx(self, labels: Sequence[str] = (), rel_types: Sequence[str] = ()) -> nx.MultiDiGraph:
        """The graph as a MultiDiGraph; opened read-only, from the disk cache while the file is unchanged."""
        build = functools.partial(super().to_networkx, labels, rel_types)
        if not self.read_only:
            return build()  # writes of this session may not be on disk yet
        from graph.nxcache import cached_export

        return cached_export(self.path, labels, rel_types, build)

    def close(self) -> None:
        """Close the database; after a write, swap the written copy in (or drop it if the write failed)."""
        closed = self._close_engine()
        session, self._session = self._session, None
        if session is None:
            return
        if self._write_failed or self._parts_failed or (self._rolled_back and self._existed and not self._committed):
            session.abandon()
        elif not closed:
            session.abandon()
            raise WriteFailed(f'Cannot finish writing the graph at "{self.path}": the previous graph was kept.')
        else:
            session.finish()
            self._record_mark()

    def _record_mark(self) -> None:
        mark, self._mark = self._mark, None
        if mark and mark[2] == self._statements and self._committed and not self._rolled_back:
            from graph.load_marks import record_load

            record_load(self.path, mark[0], mark[1])

    def _close_engine(self) -> bool:
        """Close the connection and database (the engine checkpoints); whether it went cleanly."""
        try:
            self._conn.close()
            self._db.close()
        except RuntimeError:
            return False
        return True


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n")[0]


def _say(message: str | None) -> None:
    """Tell the user on stderr, in one line, that a graph was recovered."""
    if message:
        print(message, file=sys.stderr, flush=True)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "list": pa.list_(pa.string())}[kind]


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Engine values as plain Python: nodes and relationships become dicts of their properties."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dict):
        if "_LABEL" in value or "_NODES" in value:
            return _plain_entity(value)
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _plain_entity(value: dict[str, Any]) -> dict[str, Any]:
    if "_NODES" in value:
        return {"nodes": [_plain_entity(n) for n in value["_NODES"]], "relationships": [_plain_entity(r) for r in value["_RELS"]]}
    props = {k: _plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
    if "_SRC" in value:
        return {"_type": value["_LABEL"], **props}
    return {"_kind": value["_LABEL"], "_id": f"{value['_LABEL'].lower()}:{props.get('key')}", **props}
