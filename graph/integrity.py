"""Verify a graph: counts per kind and type, relationship ends, keys, cited sources, dates.

The queries are portable Cypher, so the same check runs on the embedded engine and on Neo4j.

Example
-------
>>> report = check_graph(graph)                     # doctest: +SKIP
>>> report.problems                                  # doctest: +SKIP
[]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graph.dates import DATE_PROPERTIES, is_stored_date, period_problem, period_start
from graph.errors import InvalidKey, QueryFailed
from graph.journal import JOURNAL_LABEL
from graph.schema import NodeKind, RelType, schema

__all__ = ["GraphCheck", "check_graph"]

_SHOWN = 5  # examples named per problem


@dataclass
class GraphCheck:
    """What `check_graph` found: the counts, and one sentence per problem."""

    counts: dict[str, dict[str, int]]
    problems: list[str] = field(default_factory=list)


def check_graph(graph: Any) -> GraphCheck:
    """Check every node kind and relationship type of ``graph`` against the schema.

    A problem is a node without a key or with a key its kind does not allow, a key used twice,
    a relationship whose ends are missing or of kinds its type does not join, a table of the
    graph the schema does not know, a source cited but absent, a date that is not one of the
    calendar, a period whose ``until`` is before its ``since`` (an event's: its ``date``), or a
    batched load that did not finish (`graph.batched_loads`: part of it is in the graph until
    the next write undoes it).
    """
    s = schema()
    report = GraphCheck(graph.counts())
    sources = {row["key"] for row in graph.run("MATCH (s:Source) RETURN s.key AS key")}
    for label in report.counts["nodes"]:
        if label not in s.kinds:
            report.problems.append(f"{label}: a kind of node the schema does not know.")
            continue
        report.problems += _check_nodes(graph, s.kinds[label], sources)
    for name in report.counts["relationships"]:
        if name not in s.rels:
            report.problems.append(f"{name}: a type of relationship the schema does not know.")
            continue
        report.problems += _check_rels(graph, s.rels[name], sources)
    report.problems += _unfinished_loads(graph)
    return report


def _unfinished_loads(graph: Any) -> list[str]:
    try:
        rows = graph.run(f"MATCH (j:{JOURNAL_LABEL}) RETURN j.load AS load_id, j.command AS command")
    except QueryFailed:  # the embedded engine has no such table: no load is unfinished
        return []
    batches = Counter((row["load_id"], row["command"]) for row in rows)
    return [
        f"Load {load} ({command}) did not finish: {n} of its batches are in the graph; the next write undoes them."
        for (load, command), n in sorted(batches.items())
    ]


def _examples(values: list[str]) -> str:
    shown = ", ".join(values[:_SHOWN])
    return shown + (f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else "")


def _date_columns(var: str, properties: Any) -> str:
    """The date properties of a kind or type as extra columns ``, n.date AS date…`` (none: empty)."""
    return "".join(f", {var}.{name} AS {name}" for name in sorted(DATE_PROPERTIES & set(properties)))


def _bad_dates(owner: str, rows: list[dict[str, Any]], name_of: Any) -> list[str]:
    """One problem per date property whose stored values are not dates of the calendar (`graph.dates`), and
    one for the periods that end before they start (`graph.dates.period_problem`)."""
    problems = []
    for prop in sorted(DATE_PROPERTIES & set(rows[0] if rows else ())):
        bad = [f"{name_of(row)} {row[prop]!r}" for row in rows if row[prop] is not None and not is_stored_date(row[prop])]
        if bad:
            problems.append(f"{owner}: {len(bad)} {prop} value(s) not a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD: {_examples(bad)}.")
    ended = [f"{name_of(row)} ({_period(row)})" for row in rows if "until" in row and period_problem(row)]
    if ended:
        problems.append(f"{owner}: {len(ended)} period(s) that end before they start: {_examples(ended)}.")
    return problems


def _period(row: dict[str, Any]) -> str:
    """A period as a problem quotes it: ``since 2024, until 2016``."""
    start = period_start(row)
    return f"{start} {row[start]}, until {row['until']}"


def _check_nodes(graph: Any, kind: NodeKind, sources: set[str]) -> list[str]:
    cited = "n.sources" if "sources" in kind.properties else "null"
    rows = graph.run(f"MATCH (n:{kind.label}) RETURN n.key AS key, {cited} AS sources{_date_columns('n', kind.properties)}")
    keys = Counter(row["key"] for row in rows)
    problems = _bad_dates(kind.label, rows, lambda row: kind.node_id(row["key"]))
    if keys.get(None):
        problems.append(f"{kind.label}: {keys.pop(None)} node(s) without a key.")
    bad = [k for k in keys if not _is_valid(kind, k)]
    if bad:
        problems.append(f"{kind.label}: {len(bad)} key(s) not of the form {kind.key_format}: {_examples(sorted(map(repr, bad)))}.")
    twice = sorted(k for k, n in keys.items() if n > 1)
    if twice:
        problems.append(f"{kind.label}: {len(twice)} key(s) used by several nodes: {_examples(twice)}.")
    missing = sorted({c for row in rows for c in row["sources"] or [] if c not in sources})
    if missing:
        problems.append(f"{kind.label}: cites {len(missing)} source(s) that are not in the graph: {_examples(missing)}.")
    return problems


def _is_valid(kind: NodeKind, key: Any) -> bool:
    try:
        return isinstance(key, str) and kind.check_key(key) == key
    except InvalidKey:
        return False


def _check_rels(graph: Any, rel: RelType, sources: set[str]) -> list[str]:
    cited = "r.sources" if "sources" in rel.properties else "null"
    rows = graph.run(
        f"MATCH (a)-[r:{rel.name}]->(b) RETURN head(labels(a)) AS f, a.key AS fk, head(labels(b)) AS t, b.key AS tk, {cited} AS sources"
        + _date_columns("r", rel.properties)
    )
    problems = _bad_dates(rel.name, rows, lambda row: f"{row['f'].lower()}:{row['fk']} -> {row['t'].lower()}:{row['tk']}")
    keyless = [r for r in rows if r["fk"] is None or r["tk"] is None]
    if keyless:
        problems.append(f"{rel.name}: {len(keyless)} relationship(s) with an end that has no key.")
    pairs = Counter((r["f"], r["t"]) for r in rows if not rel.allows(r["f"], r["t"]))
    if pairs:
        joined = _examples([f"{f} -> {t} ({n})" for (f, t), n in sorted(pairs.items())])
        problems.append(f"{rel.name}: relationship(s) between kinds the schema does not join: {joined}.")
    missing = sorted({c for row in rows for c in row["sources"] or [] if c not in sources})
    if missing:
        problems.append(f"{rel.name}: cites {len(missing)} source(s) that are not in the graph: {_examples(missing)}.")
    return problems
