"""The library of named queries: one Cypher file per question, with a metadata header.

Each ``queries/cypher/<name>.cypher`` starts with ``//`` lines that `parse_query` reads::

    // title: Funders of a region
    // description: Who funds projects and territories located in a region,
    //   with amounts and sources.
    // params: region: str, year: int = 2024
    // columns: funder_id, funder, total_eur

Parameter types are ``str``, ``int``, ``float``, ``bool``, ``date`` (ISO ``YYYY-MM-DD``,
``YYYY-MM`` or ``YYYY``, kept as text so that it compares with the stored dates) and ``list``
(comma-separated on the command line). A default of ``null`` makes a parameter optional.

Example
-------
>>> query = get_query("territories-of-region")
>>> query.bind({"region": "32"})["phase"] is None
True
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import QueryFailed, QueryNotFound, QueryParameterError

if TYPE_CHECKING:
    from graph.backend import GraphBackend

__all__ = ["QUERY_DIR", "REQUIRED", "NamedQuery", "QueryParam", "get_query", "list_queries", "parse_query"]

QUERY_DIR = Path(__file__).parent / "cypher"


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
}
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
# Parameter names the embedded engine's parser takes for keywords (measured on LadybugDB 0.22).
_ENGINE_KEYWORDS = frozenset(
    "all and any asc case column create default desc distinct else end ends exists false from glob group in index "
    "install macro none not null on only optional or order primary profile shortest single starts table then to "
    "true union unwind when where with xor".split()
)


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query: its name, type and default (`REQUIRED` if it has none)."""

    name: str
    type: str
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        """Whether the parameter has no default."""
        return self.default is REQUIRED

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
            The value cannot be read as the type; the message names the parameter and the value.

        Examples
        --------
        >>> QueryParam("year", "int").coerce("2024"), QueryParam("ids", "list").coerce("a, b")
        (2024, ['a', 'b'])
        """
        if value is None:
            return None
        try:
            return _COERCERS[self.type](value)
        except (TypeError, ValueError) as exc:
            raise QueryParameterError(
                f'Parameter "{self.name}" is "{value}"; expected {_TYPE_PHRASES[self.type]}.'
            ) from exc


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
    if not _DATE.match(text):
        raise ValueError(value)
    if len(text) == 10:
        import datetime

        datetime.date.fromisoformat(text)  # rejects 2024-02-30
    return text


def _to_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [item.strip() for item in str(value).split(",") if item.strip()]


_COERCERS = {"str": _to_str, "int": _to_int, "float": _to_float, "bool": _to_bool, "date": _to_date, "list": _to_list}


@dataclass(frozen=True)
class NamedQuery:
    """A named question: its header (title, description, parameters, columns) and its Cypher."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The Cypher parameters for ``values``: coerced to their types, defaults filled in.

        Parameters
        ----------
        values : Mapping
            Parameter values, as text (``-p year=2024``) or as Python values.

        Raises
        ------
        QueryParameterError
            A parameter is unknown, missing or of the wrong type; the message says what to do.

        Examples
        --------
        >>> get_query("roles").bind({"at": "2020-01-01"})
        {'person': None, 'organisation': None, 'at': '2020-01-01'}
        """
        declared = {p.name: p for p in self.params}
        for name in values:
            if name not in declared:
                known = f"Its parameters: {', '.join(declared)}." if declared else "It takes no parameters."
                raise QueryParameterError(f'Query "{self.name}" has no parameter "{name}". {known}')
        bound = {}
        for param in self.params:
            value = values.get(param.name)
            if value is None and param.required:
                raise QueryParameterError(
                    f'Query "{self.name}" needs parameter "{param.name}" ({param.type}). Add -p {param.name}=VALUE.'
                )
            try:
                bound[param.name] = param.default if value is None else param.coerce(value)
            except QueryParameterError as exc:
                raise QueryParameterError(f'Query "{self.name}": {exc}') from exc
        return bound

    def run(self, graph: GraphBackend, values: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Bind ``values`` and run the query on ``graph``; each row has the declared columns, in order.

        Raises
        ------
        QueryParameterError
            See `bind`.
        QueryFailed
            The database rejected the query, or it returned other columns than its header declares.
        """
        rows = graph.run(self.cypher, self.bind(values or {}))
        if rows and set(rows[0]) != set(self.columns):
            raise QueryFailed(
                f'Query "{self.name}" returned the columns {", ".join(rows[0])}, '
                f"but {self.path.name} declares {', '.join(self.columns)}."
            )
        return [{column: row[column] for column in self.columns} for row in rows]


def list_queries() -> list[NamedQuery]:
    """Every named query shipped in ``queries/cypher/``, sorted by name.

    >>> "shortest-path" in [q.name for q in list_queries()]
    True
    """
    return [parse_query(path) for path in sorted(QUERY_DIR.glob("*.cypher"))]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    QueryNotFound
        No query has that name; the message suggests the closest names.

    Examples
    --------
    >>> get_query("co-funders").columns[:2]
    ('funder_id', 'funder')
    """
    path = QUERY_DIR / f"{name}.cypher"
    if not path.is_file() or path.parent != QUERY_DIR:
        names = [p.stem for p in QUERY_DIR.glob("*.cypher")]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" Did you mean {' or '.join(f'{c!r}' for c in close)}?" if close else ""
        raise QueryNotFound(f'No query named "{name}".{hint} Run "tdi queries" to list them.')
    return parse_query(path)


def parse_query(path: Path) -> NamedQuery:
    """Read a ``.cypher`` file: its ``//`` header and its body.

    Raises
    ------
    QueryNotFound
        The file is missing, or its header is malformed; the message names the file and line.

    Examples
    --------
    >>> parse_query(QUERY_DIR / "shortest-path.cypher").params[0].name
    'from_id'
    """
    from queries.header import read_header

    path = Path(path)
    if not path.is_file():
        raise QueryNotFound(f'No query file "{path}".')
    header, body = read_header(path)
    return NamedQuery(path.stem, header.title, header.description, header.params, header.columns, body, path)
