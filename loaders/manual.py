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
from collections.abc import Mapping, Sequence
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.checked_rows import DERIVED_PROPERTIES
from graph.dates import period_problem
from graph.errors import SchemaError
from graph.name_index import NameIndex
from graph.schema import Property, schema, split_id
from loaders.values import BadValue, read_value

__all__ = ["NAME_SIMILARITY", "OWN_OPTIONS", "add_actor", "add_link", "check_actor", "check_link", "likely_duplicates", "manual_source"]

NAME_SIMILARITY = 90.0
# The properties given by an option of their own rather than by --prop.
OWN_OPTIONS = {"key": "--key", "name": "--name", "aliases": "--alias", "sources": "--source"}


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


def check_actor(kind: str, key: str, name: str, props: Mapping[str, Any], *, aliases: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
    """The label and the checked properties of an actor typed by hand, without touching a graph.

    ``props`` are the ``--prop`` values: neither what has an option of its own (`OWN_OPTIONS`) nor
    what tdi derives (`graph.checked_rows.DERIVED_PROPERTIES`). Raises `SchemaError`/`InvalidKey`
    naming the option at fault (kind, key, name or a ``--prop``).

    >>> check_actor("operator", "ademe", "ADEME", {"url": "https://www.ademe.fr"})
    ('Operator', {'url': 'https://www.ademe.fr', 'key': 'ademe', 'name': 'ADEME', 'aliases': None})
    >>> check_actor("operator", "ademe", "ADEME", {"search_text": "ademe"})
    Traceback (most recent call last):
    graph.errors.SchemaError: --prop search_text: tdi derives it from the name and aliases; it cannot be given.
    """
    kind_ = schema().kind(kind)
    if kind_.label == "Source":
        raise SchemaError('A source is not an actor: declare it in a facts file ("tdi load facts", docs/facts-format.md), then cite it with --source.')
    kind_.check_key(key)
    _check_prop_names(props, kind_.label, kind_.properties)
    row = {**props, "key": key, "name": name, "aliases": list(aliases) or None}
    checked = {}
    for prop, value in row.items():
        option = OWN_OPTIONS.get(prop, f"--prop {prop}")
        checked[prop] = _checked_value(kind_.properties[prop], value, option)
    _check_period(checked)
    return kind_.label, checked


def check_link(rel_type: str, from_id: str, to_id: str, props: Mapping[str, Any]) -> EdgeRow:
    """The checked row of a relationship typed by hand, without touching a graph.

    >>> check_link("funds", "operator:bpifrance", "programme:fonds-vert", {"amount_eur": "1200000"}).props
    {'amount_eur': 1200000.0}
    """
    s = schema()
    rel = s.rel(rel_type)
    (from_prefix, from_key), (to_prefix, to_key) = split_id(from_id), split_id(to_id)
    from_kind, to_kind = s.kind(from_prefix), s.kind(to_prefix)
    for option, kind_, key in (("FROM_ID", from_kind, from_key), ("TO_ID", to_kind, to_key)):
        try:
            kind_.check_key(key)
        except SchemaError as exc:
            raise SchemaError(f"{option}: {exc}") from exc
    if not rel.allows(from_kind.label, to_kind.label):
        targets = ", ".join(b for a, b in rel.pairs if a == from_kind.label) or "nothing"
        raise SchemaError(f"{rel.name} cannot go from {from_kind.label} to {to_kind.label}. From {from_kind.label} it goes to: {targets}.")
    _check_prop_names(props, rel.name, rel.properties)
    checked = {prop: _checked_value(rel.properties[prop], value, f"--prop {prop}") for prop, value in props.items()}
    _check_period(checked)
    return EdgeRow(from_kind.label, from_key, to_kind.label, to_key, checked)


def _check_prop_names(props: Mapping[str, Any], owner: str, properties: Mapping[str, Property]) -> None:
    """Refuse a ``--prop`` that is derived, has its own option, or that ``owner`` (a kind or a type) does not have."""
    for prop in sorted(props):
        if prop in DERIVED_PROPERTIES:
            raise SchemaError(f"--prop {prop}: tdi derives it from {DERIVED_PROPERTIES[prop]}; it cannot be given.")
        if prop in OWN_OPTIONS and prop in properties:
            raise SchemaError(f"--prop {prop}: give it with {OWN_OPTIONS[prop]}.")
        if prop not in properties:
            offered = [p for p in properties if p not in OWN_OPTIONS and p not in DERIVED_PROPERTIES]
            raise SchemaError(f'--prop {prop}: {owner} has no such property. Its properties: {", ".join(offered) or "none"}.')


def _check_period(props: Mapping[str, Any]) -> None:
    """Refuse an ``until`` before the ``since`` (or an event's ``date``) given with it (`graph.dates.period_problem`).

    >>> _check_period({"since": "2024", "until": "2016"})
    Traceback (most recent call last):
    graph.errors.SchemaError: --prop until: "2016" is before since "2024": a period cannot end before it starts.
    """
    problem = period_problem(props)
    if problem:
        raise SchemaError(f"--prop until: {problem}.")


def _checked_value(prop: Property, value: Any, option: str) -> Any:
    """``value`` as `load table` reads it for ``prop`` (an amount, a date of the calendar, a year), coerced to its type.

    >>> _checked_value(schema().rel("FUNDS").properties["date"], "18/12/2023", "--prop date")
    '2023-12-18'
    >>> _checked_value(schema().rel("FUNDS").properties["amount_eur"], "1,5 M€", "--prop amount_eur")
    1500000.0
    """
    try:
        return read_value(prop, value)
    except (BadValue, SchemaError) as exc:
        raise SchemaError(f"{option}: {exc}") from exc


def add_actor(
    graph: GraphBackend, kind: str, key: str, name: str, props: Mapping[str, str], *, aliases: Sequence[str] = (), source: str | None = None
) -> WriteStats:
    """Create or update one actor of ``kind``; it cites ``source`` or today's manual entry.

    Raises `SchemaError`/`InvalidKey` for an unknown kind or property, or a malformed key,
    before anything is written (see `check_actor`).
    """
    label, checked = check_actor(kind, key, name, props, aliases=aliases)
    with graph.transaction():
        cited = _cite(graph, source)
        return graph.upsert_nodes(label, [{**checked, "sources": [cited]}])


def add_link(
    graph: GraphBackend, rel_type: str, from_id: str, to_id: str, props: Mapping[str, str], *, source: str | None = None
) -> WriteStats:
    """Create or update one relationship between two existing actors, citing its source (see `check_link`)."""
    row = check_link(rel_type, from_id, to_id, props)
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
