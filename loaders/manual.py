"""Add one actor or one relationship typed at the command line, with its provenance.

Without a named source, the fact cites a manual-entry source of the day
(``manual-2026-11-23``), so that "says who?" always has an answer.

Example
-------
>>> add_actor(graph, "operator", "ademe", "ADEME", {})          # doctest: +SKIP
WriteStats(created=Counter({'Source': 1, 'Operator': 1}), ...)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import SchemaError
from graph.name_index import NameIndex
from graph.schema import schema, split_id

__all__ = ["NAME_SIMILARITY", "add_actor", "add_link", "likely_duplicates", "manual_source"]

NAME_SIMILARITY = 90.0


def manual_source(today: dt.date | None = None) -> dict[str, Any]:
    """The `Source` row for facts typed by hand on ``today``.

    >>> manual_source(dt.date(2026, 11, 23))["key"]
    'manual-2026-11-23'
    """
    day = (today or dt.date.today()).isoformat()
    return {"key": f"manual-{day}", "name": f"Manual entry of {day}", "type": "manual", "date": day}


def likely_duplicates(graph: GraphBackend, kind: str, key: str, name: str) -> list[dict[str, str]]:
    """Actors of ``kind`` with the same key, or a name or alias the name matcher scores at least `NAME_SIMILARITY`.

    The matcher is `graph.name_index`: "Communauté d'agglomération du Cotentin" is a likely
    duplicate of "CA du Cotentin". Returns rows ``{id, name, reason}``, the same key first.
    """
    label = schema().kind(kind).label
    rows = graph.run(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases")
    found = [{"id": f"{label.lower()}:{r['key']}", "name": r["name"], "reason": "same key"} for r in rows if r["key"] == key]
    index = NameIndex({**r, "kind": label} for r in rows if r["key"] != key)
    for m in index.search(name, limit=5) if name.strip() else []:
        if m.score >= NAME_SIMILARITY:
            found.append({"id": m.id, "name": m.name, "reason": f'near-identical name "{m.matched}" (score {m.score:g})'})
    return found


def add_actor(
    graph: GraphBackend, kind: str, key: str, name: str, props: Mapping[str, str], *, source: str | None = None
) -> WriteStats:
    """Create or update one actor of ``kind``; it cites ``source`` or today's manual entry.

    Raises `SchemaError`/`InvalidKey` for an unknown kind or property, or a malformed key,
    before anything is written.
    """
    label = schema().kind(kind).label
    with graph.transaction():
        cited = _cite(graph, source)
        return graph.upsert_nodes(label, [{**props, "key": key, "name": name, "sources": [cited]}])


def add_link(
    graph: GraphBackend, rel_type: str, from_id: str, to_id: str, props: Mapping[str, str], *, source: str | None = None
) -> WriteStats:
    """Create or update one relationship between two existing actors, citing its source."""
    s = schema()
    (from_prefix, from_key), (to_prefix, to_key) = split_id(from_id), split_id(to_id)
    row = EdgeRow(s.kind(from_prefix).label, from_key, s.kind(to_prefix).label, to_key, dict(props))
    s.rel(rel_type)
    with graph.transaction():
        cited = _cite(graph, source)
        row = EdgeRow(row.from_label, row.from_key, row.to_label, row.to_key, {**row.props, "sources": [cited]})
        return graph.upsert_edges(rel_type.upper(), [row])


def _cite(graph: GraphBackend, source: str | None) -> str:
    """The key of the source to cite: ``source`` if the graph has it, else today's manual entry."""
    if source is None:
        row = manual_source()
        graph.upsert_nodes("Source", [row])
        return row["key"]
    if not graph.run("MATCH (s:Source {key: $key}) RETURN s.key AS key", {"key": source}):
        raise SchemaError(f'No source "{source}" in the graph. Run "tdi sources" to list them, or leave out --source.')
    return source
