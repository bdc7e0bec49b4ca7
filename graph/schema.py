"""The schema as plain data, derived from the neomodel classes of `graph.model`.

Backends and loaders read the schema from here; nothing else spells a label, a key or a
property list by hand. Deriving it imports neomodel (about 1 s), so the derived schema is also
kept in ``graph/schema.json`` with a CRC-32 of ``graph/model.py``: while the two agree,
``schema()`` reads the JSON; after an edit of the model it derives the schema again. Rewrite the
JSON with ``python -m graph.schema``; a test fails while it is out of date.

Example
-------
>>> s = schema()
>>> s.kind("epci:200072460").label, s.rel("FUNDS").properties["amount_eur"].type
('Epci', 'float')
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SchemaError
from graph.keys import check_key
from graph.limits import check_float, check_int, check_text, quoted

__all__ = ["NodeKind", "Property", "RelType", "Schema", "derive_schema", "kind_of", "schema", "schema_as_json", "split_id"]

MODEL = Path(__file__).with_name("model.py")
SCHEMA_JSON = Path(__file__).with_name("schema.json")

_PROPERTY_TYPES = {
    "StringProperty": "string",
    "IntegerProperty": "int",
    "FloatProperty": "float",
    "ArrayProperty": "list",
}


@dataclass(frozen=True)
class Property:
    """One property: its name, type (``string``, ``int``, ``float``, ``list``), whether it is required and unique."""

    name: str
    type: str
    required: bool = False
    unique: bool = False

    def coerce(self, value: Any) -> Any:
        """Convert a value typed by a user or read from a file to this property's type, within `graph.limits`.

        >>> Property("year", "int").coerce("2024"), Property("aliases", "list").coerce("BdT")
        (2024, ['BdT'])
        """
        if value is None or value == "":
            return None
        if type(value) is str and self.type == "string":  # most values: a quicker way to the same checks
            return _checked_text(self.name, value)
        try:
            if self.type == "list":
                return [self._item(v) for v in value] if isinstance(value, (list, tuple)) else [_text(value)]
            if self.type == "int":
                return check_int(_whole(value))
            if self.type == "float":
                return check_float(_number(value))
            return _text(value)
        except (TypeError, ValueError, OverflowError) as exc:
            raise SchemaError(f'property "{self.name}" is {quoted(value)}; expected {self.type_phrase()}.') from exc
        except SchemaError as exc:
            raise SchemaError(f'property "{self.name}": {exc}') from exc

    def _item(self, value: Any) -> str:
        if type(value) is str:
            return check_text(value)  # `coerce` names the property if it raises
        try:
            return _text(value)
        except TypeError as exc:
            raise SchemaError(f"an item is {quoted(value)}; expected text.") from exc

    def type_phrase(self) -> str:
        """The type in words, for messages."""
        return {"int": "a whole number", "float": "a number", "list": "a list"}.get(self.type, "text")


_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_TEXT_SCALARS = (str, int, float, dt.date)


def _text(value: Any) -> str:
    """A scalar as text (never a mapping's or a list's Python form)."""
    if not isinstance(value, _TEXT_SCALARS):
        raise TypeError(f"{type(value).__name__} is not text")
    if isinstance(value, float):
        check_float(value)
    return check_text(value if isinstance(value, str) else str(value))


def _checked_text(name: str, text: str) -> str:
    """``text`` if it may be stored (`graph.limits.check_text`), else the error `Property.coerce` gives."""
    try:
        return check_text(text)
    except SchemaError as exc:
        raise SchemaError(f'property "{name}": {exc}') from exc


def _number(value: Any) -> float:
    """A number from a number or from text written with ASCII digits and a dot or a comma."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"{type(value).__name__} is not a number")
    if isinstance(value, str):
        text = value.strip()
        if not _ASCII_NUMBER.fullmatch(text):
            raise ValueError(text)
        return float(text.replace(",", "."))
    return float(value)


def _whole(value: Any) -> int:
    """A whole number from an int, a float without fraction or text (``2024``, ``2024.0``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value.strip()):
        return int(value.strip())
    number = _number(value)
    if not number.is_integer():
        raise ValueError(value)
    return int(number)


@dataclass(frozen=True)
class NodeKind:
    """A node label with its key format and properties."""

    label: str
    key_format: str
    properties: dict[str, Property]
    doc: str = ""

    @property
    def prefix(self) -> str:
        """The id prefix: the label in lower case (``statebody`` for ``StateBody``)."""
        return self.label.lower()

    def node_id(self, key: str) -> str:
        """The id of this kind's node with ``key``: ``region:32``."""
        return f"{self.prefix}:{key}"

    def check_key(self, key: str) -> str:
        """Return ``key`` if it has this kind's format, else raise `InvalidKey`."""
        return check_key(self.key_format, key, kind=self.label)


@dataclass(frozen=True)
class RelType:
    """A relationship type, the (from, to) label pairs it may join, and its properties."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, Property]
    doc: str = ""

    def allows(self, from_label: str, to_label: str) -> bool:
        """Whether this type may go from ``from_label`` to ``to_label``."""
        return (from_label, to_label) in self.pairs


@dataclass(frozen=True)
class Schema:
    """Every node kind and relationship type."""

    kinds: dict[str, NodeKind]
    rels: dict[str, RelType]
    _by_prefix: dict[str, NodeKind] = field(default_factory=dict, repr=False, compare=False)

    def kind(self, name_or_id: str) -> NodeKind:
        """The kind named by a label, a lower-case kind or an id (``Epci``, ``epci``, ``epci:200072460``)."""
        prefix = name_or_id.split(":", 1)[0].lower()
        if prefix not in self._by_prefix:
            known = ", ".join(k.prefix for k in self.kinds.values())
            raise SchemaError(f'Unknown kind "{prefix}". Known kinds: {known}.')
        return self._by_prefix[prefix]

    def rel(self, name: str) -> RelType:
        """The relationship type ``name`` (any case)."""
        rel = self.rels.get(name.upper())
        if rel is None:
            raise SchemaError(f'Unknown relationship type "{name}". Known types: {", ".join(self.rels)}.')
        return rel


def kind_of(node_id: Any, data: Any) -> str:
    """The kind of a graph node: its ``kind`` attribute, or the label its id's prefix names (``source:…`` is a Source).

    >>> kind_of("statebody:anct", {}), kind_of("source:seed-1", {"kind": "press"}), kind_of("x", {})
    ('StateBody', 'Source', 'x')
    """
    prefix = str(node_id).partition(":")[0].lower()
    if prefix == "source" or data.get("kind") == "Source":
        return "Source"
    return str(data.get("kind") or _label_of_prefix(prefix))


@functools.lru_cache(maxsize=64)
def _label_of_prefix(prefix: str) -> str:
    try:
        return schema().kind(prefix).label
    except SchemaError:
        return prefix or "Unknown"


def split_id(node_id: str) -> tuple[str, str]:
    """Split ``kind:key`` into its two parts (the key may itself contain ``:``).

    >>> split_id("territory:II-ti-6201")
    ('territory', 'II-ti-6201')
    """
    prefix, sep, key = node_id.partition(":")
    if not sep or not prefix or not key:
        raise SchemaError(f'"{node_id}" is not an actor id: expected kind:key, such as region:32.')
    return prefix.lower(), key


def _properties(cls: type) -> dict[str, Property]:
    found = {}
    for name, prop in cls.defined_properties(aliases=False, rels=False).items():
        kind = _PROPERTY_TYPES.get(type(prop).__name__)
        if kind is None:
            raise SchemaError(f"{cls.__name__}.{name}: unsupported property type {type(prop).__name__}.")
        found[name] = Property(name, kind, bool(prop.required), bool(getattr(prop, "unique_index", False)))
    return found


def _relationship_pairs(classes: dict[str, type]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for label, cls in classes.items():
        for attr, rel in cls.defined_properties(aliases=False, properties=False).items():
            rel_type, model = rel.definition["relation_type"], rel.definition["model"]
            entry = found.setdefault(rel_type, {"model": model, "pairs": []})
            if entry["model"] is not model:
                raise SchemaError(f"{label}.{attr}: {rel_type} is declared with two different models.")
            target = rel._raw_class if isinstance(rel._raw_class, str) else rel._raw_class.__name__
            if target not in classes:
                raise SchemaError(f"{label}.{attr}: {rel_type} points to unknown kind {target}.")
            if (label, target) not in entry["pairs"]:
                entry["pairs"].append((label, target))
    return found


@functools.cache
def schema() -> Schema:
    """The schema: from ``graph/schema.json`` while it matches ``graph/model.py``, else derived (cached)."""
    try:
        stored = json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    if stored.get("model_crc32") == _model_crc32():
        return _from_json(stored)
    return derive_schema()


def _model_crc32() -> str:
    """A fingerprint of ``graph/model.py`` that tells an edited model (CRC-32: no OpenSSL to load for it)."""
    return f"{zlib.crc32(MODEL.read_bytes()):08x}"


def schema_as_json(s: Schema) -> str:
    """``s`` as the JSON kept in ``graph/schema.json``, stamped with the model's CRC-32."""
    data = {
        "model_crc32": _model_crc32(),
        "kinds": {label: {**asdict(k), "properties": list(map(asdict, k.properties.values()))} for label, k in s.kinds.items()},
        "rels": {name: {**asdict(r), "properties": list(map(asdict, r.properties.values()))} for name, r in s.rels.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _from_json(data: dict[str, Any]) -> Schema:
    def props(entry: dict[str, Any]) -> dict[str, Property]:
        return {p["name"]: Property(**p) for p in entry["properties"]}

    kinds = {label: NodeKind(**{**k, "properties": props(k)}) for label, k in data["kinds"].items()}
    rels = {
        name: RelType(**{**r, "pairs": tuple(tuple(pair) for pair in r["pairs"]), "properties": props(r)})
        for name, r in data["rels"].items()
    }
    return Schema(kinds, rels, {kind.prefix: kind for kind in kinds.values()})


def derive_schema() -> Schema:
    """Derive the schema from the neomodel classes of `graph.model`."""
    from neomodel import StructuredNode

    from graph import model

    classes = {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type)
        and issubclass(cls, StructuredNode)
        and cls.__module__ == model.__name__
        and cls is not model.Actor
    }
    kinds = {
        label: NodeKind(label, cls.KEY_FORMAT, _properties(cls), (cls.__doc__ or "").strip())
        for label, cls in classes.items()
    }
    rels = {
        name: RelType(name, tuple(entry["pairs"]), _properties(entry["model"]), (entry["model"].__doc__ or "").strip())
        for name, entry in sorted(_relationship_pairs(classes).items())
    }
    return Schema(kinds, rels, {kind.prefix: kind for kind in kinds.values()})


if __name__ == "__main__":
    SCHEMA_JSON.write_text(schema_as_json(derive_schema()), encoding="utf-8")
    print(f"Wrote {SCHEMA_JSON}")
