"""History of the administrative map across vintages: what starts, what holds, what ends.

A reference load describes the graph *as of its vintage*. For each set it keeps a history of
(`Commune` and `Epci` nodes, and the ``IN_EPCI``, ``IN_DEPARTMENT`` and ``IN_REGION``
relationships of the map) it reads what the graph holds, then:

- what the vintage lists and the graph lacks is created with ``since`` = the vintage if an earlier
  vintage is already loaded (it appeared between the two); on the first load into a graph it is
  created without ``since``: the first vintage says when tdi first saw the map, not when a commune
  or a membership began;
- what both hold keeps its ``since``, even none; the rest of its properties are updated;
- what an earlier reference load stated, is still open, and the vintage no longer lists is
  *ended*: ``until`` = the vintage; nothing is deleted;
- what had ended and is listed again is reopened (``until`` cleared, ``since`` kept: one
  relationship holds one period, so the gap is not recorded).

The graph's state is read in one query per set, every property included, so `plan` also tells
apart what the vintage leaves exactly as it is: those rows are counted as unchanged and not
handed to the store at all, which makes a no-change reload cheap (the store would find them
unchanged too, after reading them again).

Only items citing a ``decoupage-administratif-*`` source are ever ended: actors added by hand or
by other loaders are left alone. A vintage older than the latest one loaded is refused
(`check_vintage`): it would have to rewrite history that later vintages wrote.

Example
-------
>>> first = plan({}, {"01001": {"key": "01001"}, "01002": {"key": "01002"}}, "2024", loaded=set())
>>> first.rows
{'01001': {'key': '01001', 'since': None}, '01002': {'key': '01002', 'since': None}}
>>> existing = {"01001": Period(None, None, frozenset({"2024"})), "01002": Period(None, None, frozenset({"2024"}))}
>>> p = plan(existing, {"01001": {"key": "01001"}, "01003": {"key": "01003"}}, "2026", loaded={"2024"})
>>> p.rows, p.ended
({'01001': {'key': '01001', 'since': None}, '01003': {'key': '01003', 'since': '2026'}}, ['01002'])
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.backend import GraphBackend
from graph.diff import merge_props
from graph.errors import LoaderError
from graph.keys import REFERENCE_PREFIX
from graph.schema import schema

__all__ = [
    "REFERENCE_PREFIX", "EdgeScope", "NodeScope", "Period", "Plan", "check_vintage", "plan", "read_edges", "read_nodes",
]  # fmt: skip



@dataclass(frozen=True)
class Period:
    """What the graph holds about one item: its period, the reference vintages citing it, all its properties."""

    since: str | None
    until: str | None
    vintages: frozenset[str] = frozenset()
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NodeScope:
    """A set of nodes with a history: a label, optionally narrowed by a condition on ``n``."""

    name: str
    label: str
    condition: str = ""


@dataclass(frozen=True)
class EdgeScope:
    """A set of relationships with a history: type and end kinds, optionally a condition on ``b``."""

    name: str
    rel: str
    from_label: str
    to_label: str
    condition: str = ""

    @property
    def pattern(self) -> str:
        """The MATCH pattern, binding ``a``, ``x`` and ``b``."""
        return f"(a:{self.from_label})-[x:{self.rel}]->(b:{self.to_label})"


@dataclass
class Plan:
    """What to write for one set: new or changed rows with their ``since``, what to end or reopen, what stays as it is."""

    rows: dict[Any, dict[str, Any]] = field(default_factory=dict)
    ended: list[Any] = field(default_factory=list)
    reopened: list[Any] = field(default_factory=list)
    unchanged: list[Any] = field(default_factory=list)


@functools.lru_cache(maxsize=1024)
def _cited(sources: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s[len(REFERENCE_PREFIX) :] for s in sources if s.startswith(REFERENCE_PREFIX))


def _vintages(sources: Iterable[str] | None) -> frozenset[str]:
    """The reference vintages among ``sources`` (most items share a few lists: cached)."""
    return _cited(tuple(sources or ()))


def _period(props: dict[str, Any]) -> Period:
    return Period(props["since"], props["until"], _vintages(props["sources"]), props)


def read_nodes(graph: GraphBackend, scope: NodeScope) -> dict[str, Period]:
    """Every node in ``scope`` with all its properties, by key, in one query."""
    where = f" WHERE {scope.condition}" if scope.condition else ""
    columns = ", ".join(f"n.{p} AS {p}" for p in schema().kind(scope.label).properties)
    return {r["key"]: _period(r) for r in graph.run(f"MATCH (n:{scope.label}){where} RETURN {columns}")}


def read_edges(graph: GraphBackend, scope: EdgeScope) -> dict[tuple[str, str], Period]:
    """Every relationship in ``scope`` with all its properties, by (from key, to key), in one query."""
    where = f" WHERE {scope.condition}" if scope.condition else ""
    columns = ", ".join(f"x.{p} AS {p}" for p in schema().rel(scope.rel).properties)
    rows = graph.run(f"MATCH {scope.pattern}{where} RETURN a.key AS from_key, b.key AS to_key, {columns}")
    return {(r.pop("from_key"), r.pop("to_key")): _period(r) for r in rows}


def check_vintage(vintage: str, loaded: Iterable[str]) -> None:
    """Refuse a vintage older than the latest one already loaded.

    >>> check_vintage("2026", {"2024"})
    >>> check_vintage("2024", {"2026"})
    Traceback (most recent call last):
    ...
    graph.errors.LoaderError: The graph already holds the administrative map of 2026, and 2024 is older: \
loading it would rewrite the history that 2026 wrote. Load vintages oldest first, or load 2024 into another graph (--db).
    """
    latest = max(loaded, default=None)
    if latest is not None and vintage < latest:
        raise LoaderError(
            f"The graph already holds the administrative map of {latest}, and {vintage} is older: loading it would "
            f"rewrite the history that {latest} wrote. Load vintages oldest first, or load {vintage} into another graph (--db)."
        )


def plan(
    existing: Mapping[Hashable, Period], incoming: Mapping[Hashable, dict[str, Any]], vintage: str, *, loaded: Iterable[str]
) -> Plan:
    """Compare what the graph holds with what ``vintage`` lists; see the module docstring.

    ``loaded`` holds the reference vintages the graph already holds (of the whole map, not only of
    this set): new items start with ``vintage`` only if one of them is older.
    """
    result = Plan()
    start = vintage if any(v < vintage for v in loaded) else None
    for item, props in incoming.items():
        before = existing.get(item)
        row = {**props, "since": before.since if before is not None else start}
        if before is not None and before.until is not None:
            result.reopened.append(item)
        elif before is not None and before.props and merge_props(before.props, row) == before.props:
            result.unchanged.append(item)
            continue
        result.rows[item] = row
    result.ended = [
        item
        for item, period in existing.items()
        if period.vintages and period.until is None and item not in incoming
    ]
    return result
