"""The Neo4j backend: a Neo4j 5 server, Aura or cluster, through the official driver.

Credentials come from ``NEO4J_USERNAME``/``NEO4J_PASSWORD`` and the database from
``NEO4J_DATABASE``; none of them is ever printed. Opening for writing installs one uniqueness
constraint per kind, derived from the schema. Reads run in read transactions, so a read-only
command cannot write even by mistake.

Example
-------
>>> graph = Neo4jBackend("neo4j://localhost:7687")    # doctest: +SKIP
>>> graph.counts()["nodes"].get("Region", 0)          # doctest: +SKIP
18
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from graph.errors import ConnectionFailed, QueryFailed, ReadOnlyViolation
from graph.schema import NodeKind, RelType, Schema
from graph.statements import check_query
from graph.store import CypherStore

__all__ = ["Neo4jBackend", "constraint_statements"]

Reader = Callable[[neo4j.Result], Any]  # what a statement's result is read into: rows (`_rows`) or columns (`_columns`)


def constraint_statements(s: Schema) -> list[str]:
    """The ``CREATE CONSTRAINT`` statements for every unique property of every kind.

    >>> from graph.schema import schema
    >>> constraint_statements(schema())[0]
    'CREATE CONSTRAINT tdi_StateBody_key IF NOT EXISTS FOR (n:StateBody) REQUIRE n.key IS UNIQUE'
    """
    return [
        f"CREATE CONSTRAINT tdi_{kind.label}_{prop.name} IF NOT EXISTS FOR (n:{kind.label}) REQUIRE n.{prop.name} IS UNIQUE"
        for kind in s.kinds.values()
        for prop in kind.properties.values()
        if prop.unique
    ]


def _credentials(url: str) -> tuple[str, str]:
    """User name and password: from the URL if it has them, else ``NEO4J_USERNAME``/``NEO4J_PASSWORD``.

    >>> _credentials("neo4j://ana:s3cret@localhost:7687")
    ('ana', 's3cret')
    """
    parts = urlsplit(url)
    if parts.username:
        return parts.username, parts.password or os.environ.get("NEO4J_PASSWORD", "")
    return os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")


def _public(url: str) -> str:
    """The URL without any user name or password in it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


class Neo4jBackend(CypherStore):
    """A graph in a Neo4j database reached at ``url``."""

    kind = "neo4j"
    _batched = True  # loads commit in batches of at most BATCH_SIZE rows, undone if the load fails (`graph.batched_loads`)
    _exclusive_writer = False  # another client may be loading: only loads idle for STALE_AFTER_S are undone on opening

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        super().__init__()
        self.url, self.read_only = _public(url), read_only
        auth = _credentials(url)
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # its own retries and routing notes: we report failures once
        url = self.url if urlsplit(url).username else url
        self._database = os.environ.get("NEO4J_DATABASE") or None
        try:
            self._driver = neo4j.GraphDatabase.driver(url, auth=auth)
            self._driver.verify_connectivity()
        except neo4j_errors.AuthError as exc:
            raise ConnectionFailed(f"Neo4j at {self.url} refused the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD.") from exc
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, ValueError, OSError) as exc:
            raise ConnectionFailed(f"Cannot reach Neo4j at {self.url} ({type(exc).__name__}). Is the server running?") from exc
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        self._session = self._driver.session(database=self._database, default_access_mode=mode)
        self._tx: neo4j.Transaction | None = None
        if not read_only:
            from graph.schema import schema

            for statement in constraint_statements(schema()):
                self._execute(statement)
            self._undo_unfinished_loads()

    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None, read: Reader | None = None) -> Any:
        """Run ``cypher`` in the open transaction or on its own; its result read by ``read`` (default: `_rows`)."""
        read = read or _rows
        try:
            if self._tx is not None:
                return read(self._tx.run(cypher, dict(params or {})))
            return read(self._session.run(cypher, dict(params or {})))
        except neo4j_errors.Neo4jError as exc:
            self._note_failure()
            raise _query_error(exc) from exc
        except neo4j_errors.DriverError as exc:
            self._note_failure()
            raise self._lost(exc) from exc

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run one Cypher statement with parameters; unless ``write``, inside a read transaction.

        Reads also refuse ``LOAD CSV`` and APOC's file procedures (`graph.statements.check_query`).
        """
        return self._statement(cypher, params, write, _rows)

    def columns(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> dict[str, list[Any]]:
        """`run`, one list per column: every column the statement returns, even with no row."""
        return self._statement(cypher, params, write, _columns)

    def _statement(self, cypher: str, params: Mapping[str, Any] | None, write: bool, read: Reader) -> Any:
        check_query(cypher, read_only=not write, engine="neo4j")
        self._refuse_unjournaled(write)
        if write or self._tx is not None:
            return self._execute(cypher, params, read)
        try:
            return self._session.execute_read(lambda tx: read(tx.run(cypher, dict(params or {}))))
        except neo4j_errors.Neo4jError as exc:
            self._note_failure()
            raise _query_error(exc) from exc
        except neo4j_errors.DriverError as exc:
            self._note_failure()
            raise self._lost(exc) from exc

    def _lost(self, exc: neo4j_errors.DriverError) -> ConnectionFailed:
        """The connection failed during a statement (server gone, leader changed, commit outcome unknown)."""
        return ConnectionFailed(f"Lost the connection to Neo4j at {self.url} ({type(exc).__name__}); a batched load is undone by the next write.")

    def _create_nodes(self, kind: NodeKind, rows: list[dict[str, Any]]) -> None:
        self._execute(f"UNWIND $rows AS r CREATE (n:{kind.label}) SET n = r", {"rows": rows})

    def _create_edges(self, rel: RelType, from_label: str, to_label: str, rows: list[dict[str, Any]]) -> None:
        batch = [{"f": r["f"], "t": r["t"], "p": {k: v for k, v in r.items() if k not in ("f", "t")}} for r in rows]
        self._execute(
            f"UNWIND $rows AS r MATCH (a:{from_label} {{key: r.f}}), (b:{to_label} {{key: r.t}}) "
            f"CREATE (a)-[x:{rel.name}]->(b) SET x = r.p",
            {"rows": batch},
        )

    def _begin(self) -> None:
        self._tx = self._session.begin_transaction()

    def _commit(self) -> None:
        tx, self._tx = self._tx, None
        if tx is None:
            return
        try:
            tx.commit()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            # The driver refuses to commit after a failed statement (TransactionError): roll back, report.
            tx.close()
            memory = _memory_error(exc)
            if memory is not None:
                raise memory from exc
            raise QueryFailed("A statement failed inside the transaction, so it was rolled back; nothing was written.") from exc

    def _rollback(self) -> None:
        tx, self._tx = self._tx, None
        if tx is not None and not tx.closed():
            with contextlib.suppress(neo4j_errors.Neo4jError, neo4j_errors.DriverError):
                tx.rollback()  # a lost connection ends the transaction on the server anyway

    def close(self) -> None:
        """Close the session and the driver."""
        self._session.close()
        self._driver.close()


MEMORY_CODES = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",  # db.memory.transaction.total.max (all transactions)
    "Neo.ClientError.General.TransactionOutOfMemoryError",  # db.memory.transaction.max (one transaction)
})  # fmt: skip


def _memory_error(exc: BaseException | None) -> QueryFailed | None:
    """One line for a transaction that outgrew the server's memory limits, or None for any other error.

    Looks through the causes too: the driver reports a failed statement again, wrapped, at commit.

    Example
    -------
    >>> _memory_error(ValueError("x")) is None
    True
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "code", None) in MEMORY_CODES:
            return QueryFailed(
                "Neo4j refused the transaction: it needs more memory than the server allows "
                "(db.memory.transaction.total.max, or db.memory.transaction.max per transaction); nothing was written. "
                "Raise the limit in neo4j.conf (for example db.memory.transaction.total.max=1g) and restart the server, "
                "or load smaller files."
            )
        exc = exc.__cause__ or exc.__context__
    return None


def _query_error(exc: neo4j_errors.Neo4jError) -> QueryFailed:
    memory = _memory_error(exc)
    if memory is not None:
        return memory
    if isinstance(exc, neo4j_errors.ForbiddenOnReadOnlyDatabase) or "read access mode" in str(exc.message or ""):
        return ReadOnlyViolation("This command is read-only; add --write to change the graph.")
    first_line = (str(exc.message or exc).strip().splitlines() or [""])[0]  # syntax errors add the query and a caret
    return QueryFailed(f"Neo4j rejected the query: {first_line}")


def _rows(result: neo4j.Result) -> list[dict[str, Any]]:
    return [{key: _plain(value) for key, value in record.items()} for record in result]


def _columns(result: neo4j.Result) -> dict[str, list[Any]]:
    """One list per column: the result's keys name them even when it has no record."""
    names, records = result.keys(), list(result)
    return {name: [_plain(record[name]) for record in records] for name in names}


def _plain(value: Any) -> Any:
    """Driver values as plain Python, shaped like the embedded backend's."""
    if isinstance(value, Node):
        label = next(iter(value.labels), "")
        return {"_kind": label, "_id": f"{label.lower()}:{value.get('key')}", **dict(value)}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
