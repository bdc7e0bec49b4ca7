"""Rows as the schema wants them: checked before an upsert (`graph.store`) compares them with the
graph, and completed with every property before they are stored.

A row checked has known properties only, its key in its kind's format and its values coerced to
their types; a relationship goes between kinds its type allows. A completed row has every
property of its kind (lists empty rather than None) and, for an actor, its ``search_text``.

Example
-------
>>> from graph.schema import schema
>>> region = schema().kind("Region")
>>> row = checked_node(region, {"key": "32", "name": "Hauts-de-France", "aliases": "HdF"})
>>> row["aliases"], complete_node(region, row)["search_text"]
(['HdF'], 'hauts-de-france | hdf')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.errors import SchemaError
from graph.schema import NodeKind, RelType, schema
from graph.search_text import search_text

__all__ = ["DERIVED_PROPERTIES", "checked_edge_props", "checked_node", "checked_pair", "complete_edge", "complete_node", "require_properties"]

# The properties tdi derives on every write (`complete_node`), and from what: never given by a user.
DERIVED_PROPERTIES = {"search_text": "the name and aliases"}


def checked_node(kind: NodeKind, row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with known properties only, its key checked and its values coerced to their types."""
    unknown = set(row) - set(kind.properties)
    if unknown:
        raise SchemaError(f'{kind.label} has no property "{min(unknown)}". Its properties: {", ".join(kind.properties)}.')
    if not row.get("key"):
        raise SchemaError(f"A {kind.label} has no key.")
    key = kind.check_key(str(row["key"]))
    values = {name: kind.properties[name].coerce(value) for name, value in row.items()}
    values["key"] = key
    return values


def complete_node(kind: NodeKind, row: Mapping[str, Any]) -> dict[str, Any]:
    """Every property of ``kind`` (lists empty rather than None), with ``search_text`` folded from the names."""
    full = {name: row.get(name) for name in kind.properties}
    for name, prop in kind.properties.items():
        if prop.type == "list" and full[name] is None:
            full[name] = []
    if "search_text" in kind.properties:
        full["search_text"] = search_text(full.get("name"), full.get("aliases"))
    return full


def require_properties(kind: NodeKind, row: Mapping[str, Any]) -> None:
    """Raise `SchemaError` if a new node's ``row`` lacks a property its kind requires."""
    for name, prop in kind.properties.items():
        if prop.required and row.get(name) in (None, ""):
            raise SchemaError(f'{kind.node_id(row["key"])} has no "{name}", which a new {kind.label} needs.')


def checked_pair(rel: RelType, from_label: str, to_label: str) -> tuple[str, str]:
    """The labels of the two ends, as the schema spells them, if ``rel`` may join them; else `SchemaError` says where it goes.

    >>> checked_pair(schema().rel("IN_REGION"), "department", "region")
    ('Department', 'Region')
    """
    s = schema()
    from_label, to_label = s.kind(from_label).label, s.kind(to_label).label
    if not rel.allows(from_label, to_label):
        targets = [b for a, b in rel.pairs if a == from_label]
        if targets:
            hint = f"From {from_label} it goes to: {', '.join(targets)}."
        else:
            hint = f"It starts from: {', '.join(dict.fromkeys(a for a, _ in rel.pairs))}."
        raise SchemaError(f"{rel.name} cannot go from {from_label} to {to_label}. {hint}")
    return from_label, to_label


def checked_edge_props(rel: RelType, props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` if ``rel`` has them all, coerced to their types."""
    unknown = set(props) - set(rel.properties)
    if unknown:
        raise SchemaError(f'{rel.name} has no property "{min(unknown)}". Its properties: {", ".join(rel.properties)}.')
    return {name: rel.properties[name].coerce(value) for name, value in props.items()}


def complete_edge(rel: RelType, props: Mapping[str, Any]) -> dict[str, Any]:
    """Every property of ``rel`` (lists empty rather than None)."""
    full = {name: props.get(name) for name in rel.properties}
    for name, prop in rel.properties.items():
        if prop.type == "list" and full[name] is None:
            full[name] = []
    return full
