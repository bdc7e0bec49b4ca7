"""The embedded engine's tables, derived from the schema, and the table of load records.

`schema_changes` gives the statements that bring a graph's tables up to `graph.schema` (none when
they are up to date), so that a session can tell without writing whether it must write.

Example
-------
>>> schema_changes(conn, schema())[:1]         # doctest: +SKIP
['CREATE NODE TABLE Region(key STRING, name STRING, …, PRIMARY KEY(key))']
"""

from __future__ import annotations

from typing import Any

from graph.journal import JOURNAL_COLUMNS, JOURNAL_LABEL
from graph.schema import RelType, Schema

__all__ = ["catalogue", "drop_journal", "prepare_journal", "schema_changes", "table_columns"]

_COLUMN_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "list": "STRING[]"}


def catalogue(conn: Any) -> dict[str, str]:
    """Every table of the graph and its kind (``NODE`` or ``REL``)."""
    return {row[1]: row[2] for row in conn.execute("CALL show_tables() RETURN *").get_all()}


def table_columns(conn: Any, table: str) -> list[str]:
    """The columns of ``table``, in order."""
    return [row[1] for row in conn.execute(f"CALL table_info('{table}') RETURN *").get_all()]


def schema_changes(conn: Any, s: Schema) -> list[str]:
    """The statements that add the tables, columns and kind pairs the graph lacks (none when it is up to date)."""
    tables, changes = catalogue(conn), []
    for kind in s.kinds.values():
        if kind.label not in tables:
            cols = ", ".join(f"{p.name} {_COLUMN_TYPES[p.type]}" for p in kind.properties.values())
            changes.append(f"CREATE NODE TABLE {kind.label}({cols}, PRIMARY KEY(key))")
        else:
            changes += _missing_columns(conn, kind.label, kind.properties.values())
    for rel in s.rels.values():
        if rel.name not in tables:
            pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
            cols = "".join(f", {p.name} {_COLUMN_TYPES[p.type]}" for p in rel.properties.values())
            changes.append(f"CREATE REL TABLE {rel.name}({pairs}{cols})")
        else:
            changes += _missing_columns(conn, rel.name, rel.properties.values())
            changes += _missing_pairs(conn, rel)
    return changes


def prepare_journal(conn: Any) -> None:
    """Declare the table of load records; it exists only while a batched load runs or is unfinished."""
    if JOURNAL_LABEL not in catalogue(conn):
        cols = ", ".join(f"{name} {kind}" for name, kind in JOURNAL_COLUMNS.items())
        conn.execute(f"CREATE NODE TABLE {JOURNAL_LABEL}({cols}, PRIMARY KEY(key))")


def drop_journal(conn: Any) -> None:
    """Drop the table of load records once empty: every untyped ``properties(n)`` would show its columns."""
    if JOURNAL_LABEL in catalogue(conn) and not conn.execute(f"MATCH (j:{JOURNAL_LABEL}) RETURN count(*)").get_all()[0][0]:
        conn.execute(f"DROP TABLE {JOURNAL_LABEL}")


def _missing_columns(conn: Any, table: str, properties: Any) -> list[str]:
    present = set(table_columns(conn, table))
    return [f"ALTER TABLE {table} ADD {p.name} {_COLUMN_TYPES[p.type]}" for p in properties if p.name not in present]


def _missing_pairs(conn: Any, rel: RelType) -> list[str]:
    rows = conn.execute(f"CALL show_connection('{rel.name}') RETURN *").get_all()
    present = {(row[0], row[1]) for row in rows}
    return [f"ALTER TABLE {rel.name} ADD FROM {a} TO {b}" for a, b in rel.pairs if (a, b) not in present]
