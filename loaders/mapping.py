"""Read a table mapping: which columns of a spreadsheet make which actors and relationships.

A mapping is a small YAML file (the format is documented in the README, "Loading your own
tables"): the ``source`` the file is, optional ``where`` filters on rows, the ``actors`` each row
makes (kind, key, name, properties, each read from a column, a list of columns — the first
non-empty wins —, a ``template`` or a constant ``value``, through a parser of `loaders.values`)
and the ``relationships`` between them. Every problem is reported as ``MAPPING:LINE: field:
reason`` before any table is read. Ready-made mappings ship in ``loaders/mappings/``.

Example
-------
>>> m = read_mapping("sirene")
>>> m.actors["company"].kind, m.actors["commune"].existing, [r.type for r in m.relationships]
('Company', True, ['LOCATED_IN'])
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.checked_rows import DERIVED_PROPERTIES
from graph.errors import LoaderError, SchemaError
from graph.keys import fold
from graph.name_index import SURE, WEAK
from graph.schema import Property, schema
from loaders.problems import LINE_KEYS, line_of, problems_error, read_yaml
from loaders.table_cells import PLACEHOLDER, Cell
from loaders.values import PARSERS, property_parser

__all__ = ["ActorSpec", "RelSpec", "TableMapping", "find_mapping", "read_mapping", "shipped_mappings"]

SOURCE_FIELDS = ("name", "type", "publisher", "date", "url", "licence", "vintage")
COMBINE = ("sum", "min", "max")
_KEY_PARSERS = {"siren": "siren", "insee_commune": "commune", "slug": "slug"}
_WRITTEN_BY_LOADER = {"key", "name", "sources", "evidence", *DERIVED_PROPERTIES}


@dataclass(frozen=True)
class ActorSpec:
    """One actor each row makes (or, if ``existing``, finds in the graph)."""

    name: str
    kind: str
    key: Cell
    label: Cell | None = None
    properties: dict[str, Cell] = field(default_factory=dict)
    existing: bool = False
    optional: bool = False
    line: int = 0
    match: float | None = None  # with ``match: name``: the least score of the name matcher; ``key`` then reads the name


@dataclass(frozen=True)
class RelSpec:
    """One relationship each row makes between two of its actors."""

    type: str
    source: str
    target: str
    properties: dict[str, Cell] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class TableMapping:
    """A checked mapping file."""

    path: Path
    description: str = ""
    source: dict[str, str] = field(default_factory=dict)
    where: dict[str, frozenset[str]] = field(default_factory=dict)
    actors: dict[str, ActorSpec] = field(default_factory=dict)
    relationships: tuple[RelSpec, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)

    def cells(self) -> list[Cell]:
        """Every cell the mapping reads."""
        found = []
        for actor in self.actors.values():
            found += [actor.key, *([actor.label] if actor.label else []), *actor.properties.values()]
        for rel in self.relationships:
            found += list(rel.properties.values())
        return found

    def bind(self, header: list[str], table_name: str) -> TableMapping:
        """This mapping with its column names spelled as in ``header`` (case, accents and spaces aside).

        Raises `LoaderError` naming every column the table lacks.
        """
        names, errors = _match_columns(self, header)
        if errors:
            raise problems_error(self.path, [f"{self.path}:{line}: {c}: no such column in {table_name} (its columns: {', '.join(header)})" for c, line in errors])
        rename = lambda cell: dataclasses.replace(cell, columns=tuple(names[c] for c in cell.columns if c in names))
        actors = {
            n: dataclasses.replace(a, key=rename(a.key), label=a.label and rename(a.label), properties={p: rename(c) for p, c in a.properties.items()})
            for n, a in self.actors.items()
        }
        rels = tuple(dataclasses.replace(r, properties={p: rename(c) for p, c in r.properties.items()}) for r in self.relationships)
        return dataclasses.replace(self, where={names[c]: v for c, v in self.where.items()}, actors=actors, relationships=rels)


def _match_columns(mapping: TableMapping, header: list[str]) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Header names for the mapping's columns; of a list of alternatives, those present are enough."""
    folded: dict[str, list[str]] = {}
    for column in header:
        folded.setdefault(" ".join(fold(column).split()), []).append(column)
    groups = [(cell.columns, cell.line, cell.template is None) for cell in mapping.cells() if cell.columns]
    groups += [((c,), mapping.lines.get("where", 1), False) for c in mapping.where]
    names, missing = {}, []
    for columns, line, alternatives in groups:
        found = {}
        for column in columns:
            candidates = [column] if column in header else folded.get(" ".join(fold(column).split()), [])
            if len(candidates) == 1:
                found[column] = candidates[0]
        names.update(found)
        absent = [c for c in columns if c not in found]
        if absent and not (alternatives and found):
            missing += [(c, line) for c in absent if (c, line) not in missing]
    return names, missing


def shipped_mappings() -> dict[str, Path]:
    """The ready-made mappings, by name (``sirene``, ``laureates``).

    >>> sorted(shipped_mappings())
    ['laureates', 'sirene']
    """
    return {p.stem: p for p in sorted((Path(__file__).parent / "mappings").glob("*.yaml"))}


def find_mapping(name_or_path: str | Path) -> Path:
    """The file of a shipped mapping named ``name_or_path``, or that path; `LoaderError` if neither."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = shipped_mappings()
    if str(name_or_path) in shipped:
        return shipped[str(name_or_path)]
    raise LoaderError(f'No mapping "{name_or_path}": give a YAML file, or one of {", ".join(shipped)} (run "tdi mappings" to list them).')


def read_mapping(name_or_path: str | Path) -> TableMapping:
    """Read and check a mapping (a shipped one by name, or a YAML file).

    Raises
    ------
    LoaderError
        Listing every problem as ``MAPPING:LINE: field: reason``.
    """
    path = find_mapping(name_or_path)
    document = read_yaml(path, "mapping")
    if not isinstance(document, dict):
        raise LoaderError(f"{path}:1: expected a mapping with source, actors and relationships.")
    reader = _MappingReader(path)
    mapping = reader.read({"__line__": 1, **document})  # an empty file has no line of its own
    if reader.errors:
        raise problems_error(path, sorted(reader.errors, key=lambda e: int(e[len(str(path)) + 1 :].split(":", 1)[0])))
    return mapping


class _MappingReader:
    """Turns the parsed YAML into a `TableMapping`, collecting every error."""

    def __init__(self, path: Path) -> None:
        self.path, self.errors, self.schema = path, [], schema()

    def error(self, line: int, name: str, reason: str) -> None:
        self.errors.append(f"{self.path}:{line}: {name}: {reason}")

    def known(self, entry: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
        for name in sorted(set(entry) - {*allowed, *LINE_KEYS}):
            self.error(line_of(entry, name), name, f"unknown field of {what}; expected {', '.join(allowed)}")

    def read(self, document: dict[str, Any]) -> TableMapping:
        self.known(document, ("description", "source", "where", "actors", "relationships"), "a mapping")
        errors, section = len(self.errors), self.section(document, "actors")
        if not section and len(self.errors) == errors:  # missing, or empty (not already refused as not a mapping)
            self.error(line_of(document, "actors"), "actors", "a mapping needs at least one actor")
        at = document["actors"]["__lines__"] if section else {}
        actors = {name: spec for name, e in section.items() if (spec := self.actor(name, e, at[name]))}
        rels = [r for r in (self.relationship(e, actors) for e in self.entries(document)) if r]
        lines = dict(document.get("__lines__", {}))
        where = self.where(document)
        return TableMapping(self.path, str(document.get("description") or ""), self.source(document), where, actors, tuple(rels), lines)

    def section(self, document: dict[str, Any], name: str, shape: str = "name: entry") -> dict[str, Any]:
        value = document.get(name) or {}
        if not isinstance(value, dict):
            self.error(line_of(document, name), name, f"expected a mapping of {shape}")
            return {}
        return {k: v for k, v in value.items() if k not in LINE_KEYS}

    def entries(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        items = document.get("relationships") or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.error(line_of(document, "relationships"), "relationships", "expected a list of entries with type, from and to")
            return []
        return items

    def source(self, document: dict[str, Any]) -> dict[str, str]:
        source = document.get("source") or {"__line__": document["__line__"]}
        if not isinstance(source, dict):
            self.error(line_of(document, "source"), "source", f"expected a mapping with {', '.join(SOURCE_FIELDS)}")
            return {}
        self.known(source, SOURCE_FIELDS, "the source")
        return {k: os.path.expandvars(str(v)) for k, v in source.items() if k in SOURCE_FIELDS and v is not None}

    def where(self, document: dict[str, Any]) -> dict[str, frozenset[str]]:
        """The ``where:`` filters, column: the values its cell may hold; a value that no cell can hold is a problem at its line."""
        found = {}
        for column, values in self.section(document, "where", "column: values").items():
            if problem := _where_problem(values):
                self.error(line_of(document["where"], column), f"where.{column}", f"{problem}; expected the text a cell must hold, or a list of them ({column}: [Attribué, Versé])")
            else:
                found[str(column)] = frozenset(str(v) for v in (values if isinstance(values, list) else [values]))
        return found

    def actor(self, name: str, entry: Any, at: int) -> ActorSpec | None:
        """The actor ``name`` of the mapping, written at line ``at``; None (and a problem) if it cannot be read."""
        if not isinstance(entry, dict):
            self.error(at, f"actors.{name}", "expected a mapping with kind, key, name and properties")
            return None
        line = entry["__line__"]
        self.known(entry, ("kind", "key", "name", "properties", "existing", "optional", "match", "threshold"), f"actor {name}")
        try:
            kind = self.schema.kind(str(entry.get("kind") or ""))
            if kind.label == "Source":
                raise SchemaError("the file's Source is written by the loader; describe it under source:")
        except SchemaError as exc:
            self.error(line_of(entry, "kind"), f"actors.{name}.kind", str(exc))
            return None
        existing = bool(entry.get("existing"))
        if "match" in entry:
            return self.matched_actor(name, entry, kind.label)
        key = self.cell(entry.get("key"), line_of(entry, "key"), f"actors.{name}.key", _KEY_PARSERS.get(kind.key_format, "text"))
        label = self.cell(entry.get("name"), line_of(entry, "name"), f"actors.{name}.name", "text") if entry.get("name") is not None else None
        if label is None and not existing:
            self.error(line, f"actors.{name}.name", f"a {kind.prefix} needs a name (or existing: true if it is already in the graph)")
        properties = self.properties(entry, kind.properties, f"actors.{name}", kind.label)
        if existing and (properties or label):
            self.error(line, f"actors.{name}", "an existing actor is only found by its key: leave out its name and properties")
        return ActorSpec(name, kind.label, key, label, properties, existing, bool(entry.get("optional")), line) if key else None

    def matched_actor(self, name: str, entry: dict[str, Any], label: str) -> ActorSpec | None:
        """An actor already in the graph, found by its name (``match: name``, ``threshold``) rather than its key."""
        line, where = entry["__line__"], f"actors.{name}"
        if entry.get("match") != "name":
            self.error(line_of(entry, "match"), f"{where}.match", f'"{entry.get("match")}"; the only match is "name"')
        if not entry.get("existing") or "key" in entry or entry.get("properties"):
            self.error(line, where, "match: name finds an actor already in the graph by its name: give existing: true and name, not key or properties")
        threshold = entry.get("threshold", SURE)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not WEAK <= threshold <= 100:
            self.error(line_of(entry, "threshold"), f"{where}.threshold", f'"{threshold}"; expected a score from {WEAK:g} to 100')
            threshold = SURE
        label_cell = self.cell(entry.get("name"), line_of(entry, "name"), f"{where}.name", "text") if entry.get("name") is not None else None
        if label_cell is None:
            self.error(line, f"{where}.name", "match: name needs the column of names")
            return None
        return ActorSpec(name, label, label_cell, None, {}, True, bool(entry.get("optional")), line, float(threshold))

    def relationship(self, entry: dict[str, Any], actors: dict[str, ActorSpec]) -> RelSpec | None:
        line = entry["__line__"]
        self.known(entry, ("type", "from", "to", "properties"), "a relationship")
        try:
            rel = self.schema.rel(str(entry.get("type") or ""))
        except SchemaError as exc:
            self.error(line_of(entry, "type"), "type", str(exc))
            return None
        ends = [str(entry.get(end) or "") for end in ("from", "to")]
        for end, name in zip(("from", "to"), ends):
            if name not in actors:
                self.error(line_of(entry, end), end, f'no actor "{name}" in this mapping; its actors: {", ".join(actors) or "none"}')
        if all(name in actors for name in ends) and not rel.allows(actors[ends[0]].kind, actors[ends[1]].kind):
            pairs = ", ".join(f"{a}->{b}" for a, b in rel.pairs)
            self.error(line_of(entry, "type"), "type", f"{rel.name} cannot go from {actors[ends[0]].kind} to {actors[ends[1]].kind}; it joins {pairs}")
        properties = self.properties(entry, rel.properties, rel.name, rel.name)
        return RelSpec(rel.name, ends[0], ends[1], properties, line)

    def properties(self, entry: dict[str, Any], allowed: dict[str, Property], where: str, owner: str) -> dict[str, Cell]:
        given = entry.get("properties") or {}
        if not isinstance(given, dict):
            self.error(line_of(entry, "properties"), f"{where}.properties", "expected a mapping of property: column")
            return {}
        found = {}
        for name, spec in given.items():
            if name in LINE_KEYS:
                continue
            line = line_of(given, name)
            if name not in allowed or name in _WRITTEN_BY_LOADER - {"name"}:
                known = ", ".join(p for p in allowed if p not in _WRITTEN_BY_LOADER)
                self.error(line, f"{where}.properties.{name}", f"{owner} has no such property; its properties: {known}")
            elif cell := self.cell(spec, line, f"{where}.properties.{name}", property_parser(allowed[name])):
                found[name] = cell
        return found

    def cell(self, spec: Any, line: int, where: str, parser: str) -> Cell | None:
        if isinstance(spec, str) or (isinstance(spec, list) and spec and all(isinstance(c, str) for c in spec)):
            return Cell(columns=tuple([spec] if isinstance(spec, str) else spec), parser=parser, line=line)
        if not isinstance(spec, dict):
            self.error(line, where, "expected a column name, a list of columns, or a mapping with column, template or value")
            return None
        self.known(spec, ("column", "template", "value", "parser", "sep", "combine"), where)
        given = [k for k in ("column", "template", "value") if k in spec]
        if len(given) != 1:
            self.error(line, where, "give exactly one of column, template, value")
            return None
        parser, combine = str(spec.get("parser") or parser), spec.get("combine")
        if parser not in PARSERS:
            self.error(line_of(spec, "parser"), f"{where}.parser", f'unknown parser "{parser}"; known: {", ".join(PARSERS)}')
        if combine is not None and combine not in COMBINE:
            self.error(line_of(spec, "combine"), f"{where}.combine", f'unknown "{combine}"; expected one of {", ".join(COMBINE)}')
        line = spec["__line__"]
        column = spec.get("column")
        columns = tuple(column if isinstance(column, list) else [column]) if column is not None else ()
        template = str(spec["template"]) if "template" in spec else None
        if template is not None:
            columns = tuple(dict.fromkeys(PLACEHOLDER.findall(template)))
        return Cell(tuple(map(str, columns)), template, spec.get("value"), parser, str(spec.get("sep") or "|"), combine, line)


def _where_problem(values: Any) -> str | None:
    """What is wrong with the values a ``where:`` filter gives a column, if no cell could hold them.

    >>> _where_problem(["Attribué", 2024]) is None, _where_problem({"a": 1}), _where_problem([None])
    (True, 'is a mapping', 'holds an empty item')
    """
    if values is None or values == []:
        return "is empty"
    for value in values if isinstance(values, list) else [values]:
        verb = "is" if value is values else "holds"
        if value is None:
            return "holds an empty item"
        if isinstance(value, bool):
            return f'{verb} {str(value).lower()} as YAML reads it: write the text in quotes ("yes", "true")'
        if isinstance(value, (dict, list)):
            return f"{verb} a {'mapping' if isinstance(value, dict) else 'list'}"
    return None
