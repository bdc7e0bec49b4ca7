"""Read a facts file (YAML: sources, actors, relationships with evidence) into checked records.

The format is documented in ``docs/facts-format.md``; the built-in dataset uses it too. Every
problem is reported as ``FILE:LINE: field: reason`` before anything is written.

Example
-------
>>> facts = read_facts(builtin_facts_path())
>>> facts.actors[0].node_id.split(":")[0] in {k.prefix for k in schema().kinds.values()}
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.checked_rows import DERIVED_PROPERTIES
from graph.dates import DATE_PROPERTIES, is_stored_date, period_problem
from graph.errors import LoaderError, SchemaError
from graph.limits import quoted
from graph.schema import schema, split_id
from loaders.problems import LINE_KEYS, line_of, problems_error, read_yaml
from loaders.values import BadValue, read_value

__all__ = ["ActorRecord", "Evidence", "Facts", "LinkRecord", "SourceRecord", "builtin_facts_path", "read_facts"]

MAX_QUOTE = 200
# The parsers of `load table` a value goes through before its type: amounts ("1,5 M€"); a date
# stays ISO text (checked by `graph.dates.is_stored_date`).
_READ_AS_LOADED = ("amount",)
# Properties an actor's or a relationship's own fields give, never its props: where each belongs.
_OWN_FIELDS = {
    "key": "it is the part of the actor's id after the colon (kind:key)",
    "name": "give it as the actor's own name: field",
    "aliases": "give them as the actor's own aliases: field",
    "sources": "tdi cites the source of each item of the {owner}'s own evidence: field",
    "evidence": "give it as the {owner}'s own evidence: field, a list of {{source, quote}}",
}


@dataclass(frozen=True)
class Evidence:
    """A source id and the short quote from it that states a fact."""

    source: str
    quote: str = ""

    def as_text(self) -> str:
        """The form stored in the graph: ``source-id: quote``."""
        return f"{self.source}: {self.quote}" if self.quote else self.source


@dataclass(frozen=True)
class SourceRecord:
    """A document or dataset, stored as a `Source` node."""

    key: str
    props: dict[str, Any]
    line: int


@dataclass(frozen=True)
class ActorRecord:
    """An actor: its id (``kind:key``), properties and evidence."""

    node_id: str
    label: str
    key: str
    props: dict[str, Any]
    evidence: tuple[Evidence, ...]
    line: int


@dataclass(frozen=True)
class LinkRecord:
    """A relationship between two actor ids, with properties and evidence."""

    rel_type: str
    from_id: str
    to_id: str
    props: dict[str, Any]
    evidence: tuple[Evidence, ...]
    line: int


@dataclass
class Facts:
    """The checked content of one facts file."""

    path: Path
    sources: list[SourceRecord] = field(default_factory=list)
    actors: list[ActorRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)


def builtin_facts_path() -> Path:
    """The facts file shipped with tdi (the programme's documents, as facts)."""
    return Path(__file__).parent / "builtin" / "facts.yaml"


def read_facts(path: Path) -> Facts:
    """Read and check a facts file; raise `LoaderError` listing every problem found."""
    path = Path(path)
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise LoaderError(f"{path}:1: expected a mapping with sources, actors and relationships.")
    reader = _FactsReader(path)
    facts = reader.read(document)
    if reader.errors:
        raise problems_error(path, reader.errors)
    return facts


class _FactsReader:
    """Turns the parsed YAML into records, collecting errors instead of stopping at the first.

    A problem with a field names the line of its key (`line_of`); a field that is missing, the
    line of its entry.
    """

    def __init__(self, path: Path) -> None:
        self.path, self.errors, self.schema = path, [], schema()
        self.source_lines: dict[str, int] = {}  # each declared source or actor id: the line of its id
        self.actor_lines: dict[str, int] = {}

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append(f"{self.path}:{line}: {column}: {reason}")

    def read(self, document: dict[str, Any]) -> Facts:
        facts = Facts(self.path)
        unknown = set(document) - {"sources", "actors", "relationships", "pending", *LINE_KEYS}
        for name in sorted(unknown):
            self.error(line_of(document, name), name, "unknown section; expected sources, actors, relationships (and pending)")
        facts.sources = [s for s in (self.source(e) for e in self.entries(document, "sources")) if s]
        facts.actors = [a for a in (self.actor(e) for e in self.entries(document, "actors")) if a]
        facts.links = [r for r in (self.link(e) for e in self.entries(document, "relationships")) if r]
        return facts

    def entries(self, document: dict[str, Any], section: str) -> list[dict[str, Any]]:
        items = document.get(section) or []
        if not isinstance(items, list):
            self.error(line_of(document, section), section, "expected a list")
            return []
        good = [item for item in items if isinstance(item, dict)]
        if len(good) != len(items):
            self.error(line_of(document, section), section, "every entry must be a mapping")
        return good

    def source(self, entry: dict[str, Any]) -> SourceRecord | None:
        line, key = entry["__line__"], self.text(entry, "id")
        kind = self.schema.kinds["Source"]
        try:
            kind.check_key(key)
        except SchemaError as exc:
            self.error(line_of(entry, "id"), "id", str(exc))
            return None
        self.declare(self.source_lines, key, line_of(entry, "id"), f'source "{key}"')
        fields = {k: v for k, v in entry.items() if k not in {"id", *LINE_KEYS}}
        props = self.coerce(fields, kind.properties, "source field", line, entry["__lines__"])
        if not props.get("name"):
            self.error(line, "name", "a source needs a name (its title)")
        return SourceRecord(key, props, line)

    def actor(self, entry: dict[str, Any]) -> ActorRecord | None:
        line, node_id = entry["__line__"], self.text(entry, "id")
        try:
            prefix, key = split_id(node_id)
            kind = self.schema.kind(prefix)
            kind.check_key(key)
        except SchemaError as exc:
            self.error(line_of(entry, "id"), "id", str(exc))
            return None
        node_id = kind.node_id(key)  # canonical, as links spell their ends: "Operator:x" is operator:x
        self.declare(self.actor_lines, node_id, line_of(entry, "id"), node_id)
        props, lines = self.props(entry, "actor")
        props.update(key=key, name=entry.get("name"), aliases=entry.get("aliases") or [])
        self.refuse_unknown(entry, "an actor", ("id", "name", "aliases", "props", "evidence"))
        props = self.coerce(props, kind.properties, f"{kind.label} property", line, {**entry["__lines__"], **lines})
        if not props.get("name"):
            self.error(line, "name", f"{node_id} needs a name")
        return ActorRecord(node_id, kind.label, key, props, self.evidence(entry), line)

    def link(self, entry: dict[str, Any]) -> LinkRecord | None:
        self.refuse_unknown(entry, "a relationship", ("type", "from", "to", "props", "evidence"))
        rel = self.checked(entry, "type", self.schema.rel)
        ends = [self.checked(entry, end, self.end) for end in ("from", "to")]
        if rel is None or None in ends:
            return None
        (from_id, from_label), (to_id, to_label) = ends
        if not rel.allows(from_label, to_label):
            self.error(line_of(entry, "type"), "type", f"{rel.name} cannot go from {from_label} to {to_label}")
            return None
        props, lines = self.props(entry, "relationship")
        props = self.coerce(props, rel.properties, f"{rel.name} property", entry["__line__"], lines)
        return LinkRecord(rel.name, from_id, to_id, props, self.evidence(entry), entry["__line__"])

    def refuse_unknown(self, entry: dict[str, Any], owner: str, fields: tuple[str, ...]) -> None:
        """A problem at its line for each field of ``entry`` not in ``fields`` (nor ``extraction``, which `tdi extract` writes)."""
        for name in sorted(set(entry) - {*fields, "extraction", *LINE_KEYS}):
            self.error(line_of(entry, name), name, f"unknown field; {owner} has {', '.join(fields)} (and extraction)")

    def checked(self, entry: dict[str, Any], name: str, parse: Callable[[str], Any]) -> Any:
        """``parse`` of the text of field ``name``; None (and a problem on its line) if it raises `SchemaError`."""
        try:
            return parse(self.text(entry, name))
        except SchemaError as exc:
            self.error(line_of(entry, name), name, str(exc))
            return None

    def end(self, node_id: str) -> tuple[str, str]:
        """A relationship's end as written, checked, and the label of its kind."""
        prefix, key = split_id(node_id)
        kind = self.schema.kind(prefix)
        kind.check_key(key)
        return f"{prefix}:{key}", kind.label

    def declare(self, seen: dict[str, int], name: str, line: int, what: str) -> None:
        """Note that ``name`` is declared at ``line``; a problem if it already was."""
        if name in seen:
            self.error(line, "id", f"{what} is already declared at line {seen[name]}")
        seen.setdefault(name, line)

    def props(self, entry: dict[str, Any], owner: str) -> tuple[dict[str, Any], dict[str, int]]:
        """The entry's ``props`` and the line of each, less those its own fields give (each a problem saying where it belongs)."""
        value = entry.get("props") or {}
        if not isinstance(value, dict):
            self.error(line_of(entry, "props"), "props", "expected a mapping of property: value")
            return {}, {}
        props = {k: v for k, v in value.items() if k not in LINE_KEYS}
        own = {"sources", "evidence"} if owner == "relationship" else set(_OWN_FIELDS)  # a relationship has no key, name, aliases
        for name in sorted(own & set(props)):
            self.error(line_of(value, name), name, f"not a prop; {_OWN_FIELDS[name].format(owner=owner)}")
            del props[name]
        return props, {name: line_of(value, name) for name in props}

    def coerce(self, props: dict[str, Any], allowed: dict[str, Any], what: str, line: int, lines: Mapping[str, int]) -> dict[str, Any]:
        """The properties, checked and typed (an amount as `load table` reads it); a problem names the line in
        ``lines`` of its key, else ``line``."""
        out = {}
        for name, value in props.items():
            at = lines.get(name, line)
            if name in DERIVED_PROPERTIES and name in allowed:
                self.error(at, name, f"tdi derives it from {DERIVED_PROPERTIES[name]}; leave it out")
                continue
            if name not in allowed:
                known = ", ".join(p for p in allowed if p not in DERIVED_PROPERTIES and p not in _OWN_FIELDS)
                self.error(at, name, f"no {what} of that name; known: {known}")
                continue
            try:
                out[name] = read_value(allowed[name], value, _READ_AS_LOADED)
            except (BadValue, SchemaError) as exc:
                self.error(at, name, str(exc))
                continue
            if name in DATE_PROPERTIES and out[name] is not None and not is_stored_date(out[name]):
                self.error(at, name, f"{quoted(value)} is not a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD")
        if problem := period_problem(out):
            self.error(lines.get("until", line), "until", problem)
        return out

    def text(self, mapping: dict[str, Any], name: str) -> str:
        """Field ``name``, which must be one piece of text: "" (and a problem) for a list or a mapping."""
        value = mapping.get(name)
        if isinstance(value, (dict, list)):
            self.error(line_of(mapping, name), name, f"is {quoted(value)}; expected text")
            return ""
        return "" if value is None else str(value)

    def evidence(self, entry: dict[str, Any]) -> tuple[Evidence, ...]:
        items, line = entry.get("evidence") or [], line_of(entry, "evidence")
        if not isinstance(items, list):
            self.error(line, "evidence", f"is {quoted(items)}; expected a list of {{source, quote}}")
            return ()
        found = (self.evidence_item(item, line) for item in items)
        return tuple(item for item in found if item)

    def evidence_item(self, item: Any, line: int) -> Evidence | None:
        """One item of ``evidence``, checked; None if it has no source (named at ``line``, that of ``evidence:``, if not a mapping)."""
        if not isinstance(item, dict) or not item.get("source"):
            self.error(item["__line__"] if isinstance(item, dict) else line, "evidence", "each item needs a source (and a quote)")
            return None
        quote = " ".join(self.text(item, "quote").split())
        if len(quote) > MAX_QUOTE:
            self.error(line_of(item, "quote"), "quote", f"{len(quote)} characters; at most {MAX_QUOTE}")
        source = self.text(item, "source")
        if source not in self.source_lines:
            self.error(line_of(item, "source"), "evidence", f'source "{source}" is not among the sources of this file')
        return Evidence(source, quote)
