"""What only the Neo4j backend does and can be checked without a server: messages and URLs.

Everything else about Neo4j runs in the contract suite when ``NEO4J_URI`` is set. The errors
here are the driver's own exception objects, built the way the driver builds them from a
server's answer.
"""

from __future__ import annotations

import pytest
from neo4j import exceptions as neo4j_errors

from graph.errors import QueryFailed, ReadOnlyViolation
from graph.neo4j import _memory_error, _public, _query_error


def _server_error(code: str, message: str) -> neo4j_errors.Neo4jError:
    hydrate = getattr(neo4j_errors.Neo4jError, "_hydrate_neo4j", None)
    if hydrate is None:
        pytest.skip("this neo4j driver builds its errors differently")
    return hydrate(code=code, message=message)


def test_syntax_error_becomes_a_one_line_query_failed() -> None:
    exc = _server_error(
        "Neo.ClientError.Statement.SyntaxError",
        "Invalid input 'RETURN' (line 1, column 10 (offset: 9))\n\"MATCH (n RETURN n\"\n          ^",
    )
    error = _query_error(exc)
    assert type(error) is QueryFailed
    assert str(error) == "Neo4j rejected the query: Invalid input 'RETURN' (line 1, column 10 (offset: 9))"


def test_write_in_read_mode_becomes_read_only_violation() -> None:
    exc = _server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed. Attempted write to internal graph 0")
    assert isinstance(_query_error(exc), ReadOnlyViolation)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
            "The allocation of an extra 2.0 MiB would use more than the limit 358.0 MiB. dbms.memory.transaction.total.max threshold reached",
        ),
        ("Neo.ClientError.General.TransactionOutOfMemoryError", "The transaction used more memory than was allowed."),
    ],
)
def test_transaction_memory_limit_is_one_line_naming_the_setting(code: str, message: str) -> None:
    error = _query_error(_server_error(code, message))
    text = str(error)
    assert "db.memory.transaction.total.max" in text and "nothing was written" in text
    assert "\n" not in text


def test_memory_error_is_found_behind_the_commit_error() -> None:
    try:
        try:
            raise _server_error("Neo.TransientError.General.MemoryPoolOutOfMemoryError", "threshold reached")
        except neo4j_errors.Neo4jError as exc:
            raise neo4j_errors.TransactionError("Transaction failed") from exc
    except neo4j_errors.TransactionError as wrapped:
        assert _memory_error(wrapped) is not None
    assert _memory_error(neo4j_errors.TransactionError("Transaction failed")) is None


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("neo4j://alice:s3cret@db.example.org:7687", "neo4j://db.example.org:7687"),
        ("neo4j+s://abcd.databases.neo4j.io", "neo4j+s://abcd.databases.neo4j.io"),
        ("bolt://user@localhost", "bolt://localhost"),
    ],
)
def test_public_url_has_no_credentials(url: str, public: str) -> None:
    assert _public(url) == public
    assert "s3cret" not in _public(url) and "alice" not in _public(url)
