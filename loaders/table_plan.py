"""What reading each row of a table needs, looked up once per table rather than once per row.

A bound mapping (`loaders.mapping.TableMapping.bind`) says, for each actor and relationship, which
cells to read and which properties they fill. The first pass (`loaders.table_load`) reads a
million rows through it: each `ActorPlan` and `RelPlan` holds the cells' readers
(`loaders.mapping.Cell.reader`), the node kind, the texts that name a cell in messages, and the
coercion of each property to its type, left out where the cell's parser already gives a value of
that type (text read as text), so that a row costs only the reading itself.

Example
-------
>>> from loaders.mapping import read_mapping
>>> mapping = read_mapping("sirene")
>>> actors, rels = table_plans(mapping)
>>> [a.kind.label for a in actors], actors[0].key_where, [(r.index, r.source, r.target) for r in rels]
(['Company', 'Commune'], 'column "siren"', [(0, 'company', 'commune')])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.schema import NodeKind, Property, schema
from loaders.mapping import ActorSpec, TableMapping
from loaders.table_cells import Cell

__all__ = ["ActorPlan", "RelPlan", "Typed", "table_plans"]

Reader = Callable[[Mapping[str, Any]], Any]
Typed = tuple[tuple[str, int, Callable[[Any], Any] | None, str], ...]
"""Per property, in the order its problems are reported: its name, where its value is among those read
(-1: the actor's name), its coercion (None when the value read already has the property's type), and
where the value comes from, for a message."""


@dataclass(frozen=True)
class ActorPlan:
    """One actor of a mapping, ready for every row: ``spec`` with its kind, readers and typed properties."""

    spec: ActorSpec
    kind: NodeKind
    read_key: Reader
    key_where: str
    read_label: Reader | None
    label_where: str
    reads: tuple[Reader, ...]  # the properties' cells, in the mapping's order
    typed: Typed


@dataclass(frozen=True)
class RelPlan:
    """One relationship of a mapping, ready for every row; ``index`` is its position in the mapping."""

    index: int
    type: str
    source: str
    target: str
    source_label: str
    target_label: str
    reads: tuple[Reader, ...]
    typed: Typed


def table_plans(mapping: TableMapping) -> tuple[tuple[ActorPlan, ...], tuple[RelPlan, ...]]:
    """The plans of every actor and relationship of ``mapping``, in its order."""
    actors = tuple(_actor_plan(spec) for spec in mapping.actors.values())
    labels = {plan.spec.name: plan.kind.label for plan in actors}
    rels = tuple(
        RelPlan(
            index, rel.type, rel.source, rel.target, labels[rel.source], labels[rel.target],
            tuple(cell.reader() for cell in rel.properties.values()),
            _typed(schema().rel(rel.type).properties, list(rel.properties.items())),
        )
        for index, rel in enumerate(mapping.relationships)
    )  # fmt: skip
    return actors, rels


def _actor_plan(spec: ActorSpec) -> ActorPlan:
    kind = schema().kind(spec.kind)
    label = spec.label
    return ActorPlan(
        spec, kind, spec.key.reader(), spec.key.where(), label.reader() if label else None, label.where() if label else "name",
        tuple(cell.reader() for cell in spec.properties.values()), _typed(kind.properties, list(spec.properties.items()), name=label, with_name=True),
    )  # fmt: skip


def _typed(properties: Mapping[str, Property], cells: list[tuple[str, Cell]], *, name: Cell | None = None, with_name: bool = False) -> Typed:
    """The coercions of ``cells`` to ``properties``, and with ``with_name`` of the actor's ``name``: in the order
    of the dict ``{**{property: cell}, "name": name}``, the name's value standing for a property "name"."""
    order: dict[str, tuple[int, Cell | None]] = {prop: (position, cell) for position, (prop, cell) in enumerate(cells)}
    if with_name:
        order["name"] = (-1, name)
    return tuple(
        (prop, position, None if cell is not None and _already_typed(cell, properties[prop]) else properties[prop].coerce, cell.where() if cell else prop)
        for prop, (position, cell) in order.items()
    )


def _already_typed(cell: Cell, prop: Property) -> bool:
    """Whether what ``cell`` reads is already what ``prop.coerce`` would make of it: text read as text is
    checked (`loaders.values.parse_text`), and ``coerce`` leaves such text as it is."""
    return cell.parser == "text" and prop.type == "string"
