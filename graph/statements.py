"""Cypher cut into tokens and statements, and the rule that says what a read-only query may do.

Read-only means: no change to the graph, no file written, no file read outside the graph, no
extension installed, no setting changed. Opening the database read-only is not enough for that
(the embedded engine still runs ``COPY … TO``, ``LOAD FROM``, ``INSTALL``, ``EXPORT DATABASE``
and ``CHECKPOINT``), so `check_query` decides from the text, after a tokeniser has set aside
string literals, backtick names and ``//`` and ``/* */`` comments:

- embedded engine: an allow-list. A statement starts with ``MATCH``, ``OPTIONAL MATCH``,
  ``UNWIND``, ``WITH``, ``RETURN`` or ``CALL`` (``EXPLAIN``/``PROFILE`` before it are allowed);
  ``CALL`` names one of the catalogue functions in `READ_FUNCTIONS`; and no updating clause
  (`UPDATING_CLAUSES`) or file statement (``COPY``, ``INSTALL``…) follows. A variable named
  like one of them (``set``, ``copy``…) is read as such right after ``AS`` (``RETURN n.key AS load``: the
  engine's parser takes it as a name there); elsewhere it must be written in backticks.
- Neo4j: reads run in READ access mode, so the server refuses writes; the text check also
  refuses the updating clauses (a read inside a write transaction runs in it), ``LOAD CSV``
  and the APOC procedures that read or write files (`NEO4J_FILE_PROCEDURES`).

Every query, read or write, holds one statement: text with several statements separated by
``;`` is refused (a trailing ``;`` is fine).

Example
-------
>>> check_query("MATCH (n) RETURN 'COPY x TO y' AS text")
>>> check_query("MATCH (n) RETURN n /* x */; COPY (MATCH (n) RETURN n) TO 'x.csv'")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.errors.ReadOnlyViolation: "COPY" is not allowed in a read-only query (MATCH, ...). Add --write to run it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graph.errors import QueryFailed, ReadOnlyViolation

__all__ = [
    "NEO4J_FILE_PROCEDURES",
    "READ_CLAUSES",
    "READ_FUNCTIONS",
    "UPDATING_CLAUSES",
    "Token",
    "check_query",
    "statements",
    "tokens",
]

# The statements the embedded engine reads without changing anything (its grammar also starts
# statements with ALTER, ANALYZE, ATTACH, BEGIN, CHECKPOINT, COMMENT, COMMIT, COPY, CREATE,
# DELETE, DETACH, DROP, EXPORT, FORCE, IMPORT, INSTALL, LOAD, MERGE, ROLLBACK, SET, UNINSTALL,
# UPDATE and USE: all refused).
READ_CLAUSES = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"})
_PREFIXES = frozenset({"EXPLAIN", "PROFILE"})
# The clauses that may follow a reading clause in the same statement and change the graph or read
# a file (REMOVE and FOREACH are Neo4j's).
UPDATING_CLAUSES = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD"})
# Statements that touch files, extensions or the database: the engine needs a ";" before them, but
# a read refuses them anywhere, in case its lexer and ours ever disagree on where a ";" is.
_STATEMENT_WORDS = frozenset({"COPY", "CHECKPOINT", "INSTALL", "UNINSTALL", "EXPORT", "IMPORT", "ATTACH", "DROP", "ALTER"})
# Catalogue functions of the embedded engine's CALL clause that only read (not CLEAR_WARNINGS,
# PROJECT_GRAPH, the READ_* file scanners, nor the configuration form ``CALL threads=4``).
READ_FUNCTIONS = frozenset({
    "catalog_version", "current_setting", "db_version", "projected_graph_info", "show_attached_databases",
    "show_connection", "show_functions", "show_graphs", "show_indexes", "show_loaded_extensions", "show_macros",
    "show_official_extensions", "show_projected_graphs", "show_sequences", "show_tables", "show_warnings",
    "stats_info", "storage_version", "table_info",
})  # fmt: skip
NEO4J_FILE_PROCEDURES = ("apoc.export.", "apoc.import.", "apoc.load.", "apoc.log.")

_ALLOWED = "MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN, and CALL of catalogue functions such as show_tables()"


class Token(NamedTuple):
    """One token of Cypher: ``kind`` is word, string, name (backticks), param, number or symbol."""

    kind: str
    text: str
    offset: int


# The engine's lexer: backslash escapes in strings, `` doubled in backtick names, non-nesting
# /* */ comments; an unterminated literal or comment runs to the end (the engine rejects it).
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<name>`(?:[^`]|``)*(?:`|\Z))
    | (?P<param>\$\w*)
    | (?P<word>[^\W\d]\w*)
    | (?P<number>\d\w*)
    | (?P<symbol>.)""",
    re.VERBOSE | re.DOTALL,
)


def tokens(cypher: str) -> list[Token]:
    """The tokens of ``cypher``, without spaces and comments.

    >>> [t.text for t in tokens("MATCH (n) // all\\nRETURN n.name AS `a;b`, 'x;y'")]
    ['MATCH', '(', 'n', ')', 'RETURN', 'n', '.', 'name', 'AS', '`a;b`', ',', "'x;y'"]
    """
    found = []
    for match in _TOKEN.finditer(cypher):
        kind = match.lastgroup or "symbol"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start()))
    return found


def statements(cypher: str) -> list[list[Token]]:
    """The statements of ``cypher`` (split at each ``;`` outside literals and comments), empty ones left out.

    >>> len(statements("RETURN 1; /* ; */ RETURN ';';"))
    2
    """
    parts: list[list[Token]] = [[]]
    for token in tokens(cypher):
        if token.kind == "symbol" and token.text == ";":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def check_query(cypher: str, *, read_only: bool = True, engine: str = "embedded") -> None:
    """Refuse ``cypher`` unless it is one statement, and, if ``read_only``, one that only reads.

    Parameters
    ----------
    cypher : str
        The query as the engine will run it.
    read_only : bool
        Apply the read-only rule of ``engine`` (see the module docstring).
    engine : str
        ``"embedded"`` or ``"neo4j"``.

    Raises
    ------
    ReadOnlyViolation
        A statement would write, touch a file or the network, or change a setting.
    QueryFailed
        The text holds several statements.

    Examples
    --------
    >>> check_query("CALL show_tables() RETURN *")
    >>> check_query("MATCH (n) SET n.name = 'x'", read_only=False)
    >>> check_query("RETURN 1; RETURN 2", read_only=False)
    Traceback (most recent call last):
    ...
    graph.errors.QueryFailed: Give one statement at a time: this query holds 2, separated by ";".
    """
    found = statements(cypher)
    if read_only:
        for statement in found:
            (_check_embedded if engine == "embedded" else _check_neo4j)(statement)
    if len(found) > 1:
        raise QueryFailed(f'Give one statement at a time: this query holds {len(found)}, separated by ";".')


def _is_clause(statement: list[Token], i: int) -> bool:
    """Whether the word at ``i`` is in clause position: not a property (``n.set``), label (``:Load``), map key (``{set: 1}``) or alias (``AS load``)."""
    before = statement[i - 1].text if i else ""
    after = statement[i + 1].text if i + 1 < len(statement) else ""
    return before not in (".", ":") and before.upper() != "AS" and after != ":"


def _check_embedded(statement: list[Token]) -> None:
    start = 0
    while start < len(statement) and statement[start].text.upper() in _PREFIXES:
        start += 1
    first = statement[start] if start < len(statement) else statement[-1]
    if first.text.upper() not in READ_CLAUSES:
        raise _refused(f'"{first.text}"')
    for i in range(start, len(statement)):
        token = statement[i]
        if token.kind != "word" or not _is_clause(statement, i):
            continue
        word = token.text.upper()
        if word in UPDATING_CLAUSES or word in _STATEMENT_WORDS:
            raise _refused(f'"{token.text}"')
        if word == "CALL":
            name = statement[i + 1] if i + 1 < len(statement) else token
            call = statement[i + 2].text if i + 2 < len(statement) else ""
            if name.kind != "word" or name.text.lower() not in READ_FUNCTIONS or call != "(":
                raise _refused(f'"CALL {name.text}"')


def _check_neo4j(statement: list[Token]) -> None:
    for i, token in enumerate(statement):
        if token.kind != "word" or not _is_clause(statement, i):
            continue
        if token.text.upper() in UPDATING_CLAUSES:
            raise ReadOnlyViolation(f'"{token.text}" is not allowed in a read-only query. Add --write to run it.')
        if token.text.upper() == "CALL":
            name = _dotted_name(statement, i + 1)
            if name.lower().startswith(NEO4J_FILE_PROCEDURES):
                raise ReadOnlyViolation(f'"CALL {name}" reads or writes files, which a read-only query may not. Add --write to run it.')


def _dotted_name(statement: list[Token], i: int) -> str:
    """The procedure name that starts at ``i`` (``apoc.export.csv.all``)."""
    parts = []
    while i < len(statement) and (statement[i].kind in ("word", "name") or statement[i].text == "."):
        parts.append(statement[i].text.strip("`"))
        i += 1
    return "".join(parts)


def _refused(what: str) -> ReadOnlyViolation:
    return ReadOnlyViolation(f"{what} is not allowed in a read-only query ({_ALLOWED}). Add --write to run it.")
