"""The parameters of named queries: their types, how text typed by a user becomes a value, and ids.

A code (a phase, a kind of actor, a relationship type, a choice the header lists) is read in any
case and becomes the spelling the graph stores, before the query runs; a value that is no such
code is refused, naming what the parameter takes. A parameter whose type is a kind of actor
(``region: region``) or ``id`` (an actor of any kind) designates an actor: its value is
read here as text (the kind of an id in lower case), and `queries.resolution` turns it into the
actor's key or id once a graph is at hand.

Example
-------
>>> QueryParam("year", "int", 2024).coerce("2019"), split_id("region:32")
(2019, ('region', '32'))
>>> QueryParam("region", "region").coerce("REGION:32"), QueryParam("region", "region").is_actor
('region:32', True)
>>> QueryParam("phase", "choice", choices=("I", "II")).coerce("ii"), QueryParam("kind", "kind").coerce("EPCI")
('II', 'epci')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graph.dates import is_stored_date
from graph.errors import QueryParameterError
from graph.limits import INT_MAX, INT_MIN

__all__ = ["COERCERS", "ENGINE_KEYWORDS", "REQUIRED", "QueryParam", "actor_kinds", "is_id", "split_id"]


class _Required:
    """The default of a parameter that has none."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

_TYPE_PHRASES = {
    "str": "text (str)",
    "int": "a whole number (int)",
    "float": "a number (float)",
    "bool": "true or false (bool)",
    "date": "a date such as 2024-01-31, 2024-01 or 2024 (date)",
    "list": "a comma-separated list (list)",
    "id": "an actor: its id such as region:32, or its name (id)",
    "kind": "a kind of actor such as epci (kind)",
    "rel": "a relationship type such as FUNDS (rel)",
}
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
# Parameter names the embedded engine's parser takes for keywords (measured on LadybugDB 0.22).
ENGINE_KEYWORDS_TEXT = """
all and any asc case column create default desc distinct else end ends exists false from glob group in index install
macro none not null on only optional or order primary profile shortest single starts table then to true union unwind when
where with xor
"""
ENGINE_KEYWORDS = frozenset(ENGINE_KEYWORDS_TEXT.split())


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query: its name, type, default (`REQUIRED` if it has none), for a number its
    ``minimum``, and for the type ``choice`` the values it takes (``choices``, in the spelling the graph stores)."""

    name: str
    type: str
    default: Any = REQUIRED
    minimum: int | None = None
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        """Whether the parameter has no default."""
        return self.default is REQUIRED

    @property
    def spec(self) -> str:
        """The type as a query's header writes it.

        >>> QueryParam("limit", "int", 20, minimum=1).spec, QueryParam("phase", "choice", choices=("I", "II")).spec
        ('int >= 1', 'I|II')
        """
        if self.choices:
            return "|".join(self.choices)
        return self.type if self.minimum is None else f"{self.type} >= {self.minimum}"

    @property
    def is_actor(self) -> bool:
        """Whether the value designates an actor: the type is a kind of actor (``region``) or ``id`` (any kind).

        >>> QueryParam("territory", "territory").is_actor, QueryParam("theme", "str").is_actor
        (True, False)
        """
        return self.type == "id" or self.type in actor_kinds()

    @property
    def derived(self) -> tuple[str, ...]:
        """The extra Cypher parameters an ``id`` parameter gives: its kind and its key.

        >>> QueryParam("from_id", "id").derived
        ('from_id_kind', 'from_id_key')
        """
        return (f"{self.name}_kind", f"{self.name}_key") if self.type == "id" else ()

    def coerce(self, value: Any) -> Any:
        """Convert text typed by a user (or a Python value) to this parameter's type.

        Parameters
        ----------
        value : Any
            ``"2024"`` for an ``int``, ``"a,b"`` for a ``list``, or a value of the type itself;
            ``None`` stays ``None``.

        Raises
        ------
        QueryParameterError
            The value cannot be read as the type, or is a number the query cannot take: below its
            ``minimum``, beyond 64 bits, not finite. The message names the parameter, the value and
            what it accepts.

        Examples
        --------
        >>> QueryParam("year", "int").coerce("2024"), QueryParam("ids", "list").coerce("a, b")
        (2024, ['a', 'b'])
        >>> QueryParam("limit", "int", minimum=1).coerce("-1")
        Traceback (most recent call last):
        graph.errors.QueryParameterError: Parameter "limit" is "-1"; expected a whole number, 1 or more (int >= 1).
        >>> QueryParam("change", "choice", choices=("stayed", "left", "joined")).coerce("gone")
        Traceback (most recent call last):
        graph.errors.QueryParameterError: Parameter "change" is "gone"; expected stayed, left or joined (in any case).
        """
        if value is None:
            return None
        try:
            coerced = _choose(value, self.choices) if self.choices else COERCERS.get(self.type, _to_id)(value)  # else an actor
        except UnknownKind as exc:
            raise QueryParameterError(f'Parameter "{self.name}" is "{value}": {exc}') from exc
        except (TypeError, ValueError) as exc:
            raise QueryParameterError(f'Parameter "{self.name}" is "{value}"; expected {self._phrase()}.') from exc
        if self.type in ("int", "float"):
            self._check_number(value, coerced)
        return coerced

    def _phrase(self) -> str:
        """What the parameter takes, in words."""
        if self.type in actor_kinds():
            return f"an actor of kind {self.type}: its key, id or name ({self.type})"
        if not self.choices:
            return _TYPE_PHRASES[self.type]
        return f"{', '.join(self.choices[:-1])} or {self.choices[-1]} (in any case)"

    def _check_number(self, value: Any, number: float) -> None:
        """Refuse a number below ``minimum``, or one the engines cannot hold (beyond 64 bits, not finite)."""
        what = _TYPE_PHRASES[self.type].split(" (")[0]
        if self.minimum is not None and number < self.minimum:
            expected = f"{what}, {self.minimum} or more ({self.spec})"
        elif self.type == "int" and not INT_MIN <= number <= INT_MAX:
            expected = f"{what} from {INT_MIN if self.minimum is None else self.minimum} to {INT_MAX} ({self.spec})"
        elif self.type == "float" and not math.isfinite(number):
            expected = f"a finite number ({self.spec})"
        else:
            return
        raise QueryParameterError(f'Parameter "{self.name}" is "{value}"; expected {expected}.')


def _to_str(value: Any) -> str:
    if isinstance(value, (list, tuple, dict, set)):
        raise TypeError(value)
    return str(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError(value)
    return int(value.strip()) if isinstance(value, str) else int(value)


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError(value)
    return float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in _TRUE | _FALSE:
        raise ValueError(value)
    return text in _TRUE


def _to_date(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
    if not is_stored_date(text):  # also rejects 2024-02-30
        raise ValueError(value)
    return text


def _choose(value: Any, choices: tuple[str, ...]) -> str:
    """The choice ``value`` names in any case, spelled as the header lists it.

    >>> _choose(" ii ", ("I", "II"))
    'II'
    """
    text = _to_str(value).strip().lower()
    found = [choice for choice in choices if choice.lower() == text]
    if not found:
        raise ValueError(value)
    return found[0]


class UnknownKind(ValueError):
    """A kind of actor (alone or before an id's first colon), or a relationship type, that the schema does not have."""


def _to_kind(value: Any) -> str:
    """A kind of actor in lower case, as ids write it.

    >>> _to_kind("EPCI"), _to_kind(" StateBody ")
    ('epci', 'statebody')
    """
    from graph.schema import schema

    kind = _to_str(value).strip().lower()
    kinds = sorted(k.prefix for k in schema().kinds.values())
    if kind not in kinds:
        raise UnknownKind(f'unknown kind "{_to_str(value).strip()}". Known kinds: {", ".join(kinds)}.')
    return kind


def _to_rel(value: Any) -> str:
    """A relationship type in upper case, as the graph stores it.

    >>> _to_rel("funds")
    'FUNDS'
    """
    from graph.schema import schema

    name = _to_str(value).strip().upper()
    if name not in schema().rels:
        raise UnknownKind(f'unknown relationship type "{_to_str(value).strip()}". Known types: {", ".join(sorted(schema().rels))}.')
    return name


def _to_id(value: Any) -> str:
    """An id with its kind in lower case, as ids are stored; other text (no colon, or a space: a name) is kept, trimmed.

    >>> _to_id("REGION:32"), _to_id(" bpifrance "), _to_id("Figeacteurs : la fabrique")
    ('region:32', 'bpifrance', 'Figeacteurs : la fabrique')
    """
    text = _to_str(value).strip()
    if not text:
        raise ValueError(value)
    kind, _, key = text.partition(":")
    return f"{_to_kind(kind)}:{key}" if is_id(text) else text


def is_id(text: str) -> bool:
    """Whether ``text`` is written as an id, ``kind:key``: a colon and no space (a name may have a colon, a key has no space).

    >>> is_id("region:32"), is_id("Avvià: le Tiers lieu"), is_id("Hauts-de-France")
    (True, False, False)
    """
    return ":" in text and not any(c.isspace() for c in text)


def actor_kinds() -> frozenset[str]:
    """The kinds of actor, as a parameter's type and an id's prefix write them.

    >>> sorted(actor_kinds())[:3]
    ['agreement', 'commune', 'company']
    """
    from graph.schema import schema

    return frozenset(kind.prefix for kind in schema().kinds.values())


def _to_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [item.strip() for item in str(value).split(",") if item.strip()]


COERCERS = {
    "str": _to_str,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "date": _to_date,
    "list": _to_list,
    "id": _to_id,
    "kind": _to_kind,
    "rel": _to_rel,
}


def split_id(value: str | None) -> tuple[str | None, str | None]:
    """The kind and the key of an id, split at its first colon; ``(None, None)`` if it has none.

    A node matches the id when ``toLower(head(labels(n))) = kind AND n.key = key``, exactly when
    ``toLower(head(labels(n))) + ':' + n.key = id``.

    >>> split_id("territory:I-ti-3204"), split_id("bpifrance")
    (('territory', 'I-ti-3204'), (None, None))
    """
    if value is None or ":" not in value:
        return None, None
    kind, _, key = value.partition(":")
    return kind, key
