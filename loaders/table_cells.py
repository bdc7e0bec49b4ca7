"""How a table mapping reads one value from a row: from columns (the first non-empty wins), a
``template`` of ``{column}`` placeholders or a constant ``value``, through a parser of
`loaders.values`; a cell that cannot be read raises `CellError` naming its column.

Example
-------
>>> Cell(("Nom", "Enseigne")).read({"Nom": "", "Enseigne": "Boulangerie"})
'Boulangerie'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from loaders.values import PARSERS, BadValue

__all__ = ["PLACEHOLDER", "Cell", "CellError"]

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class CellError(ValueError):
    """A cell that cannot be read: ``where`` names its column, ``reason`` says why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


@dataclass(frozen=True)
class Cell:
    """How one value is read from a row: columns, a template or a constant, and a parser."""

    columns: tuple[str, ...] = ()
    template: str | None = None
    value: Any = None
    parser: str = "text"
    sep: str = "|"
    combine: str | None = None
    line: int = 0

    def where(self) -> str:
        """The cell's origin, for messages: ``column "montant"``."""
        if self.template is not None:
            return f'template "{self.template}"'
        return " or ".join(f'column "{c}"' for c in self.columns) or "value"

    def read(self, row: Mapping[str, Any]) -> Any:
        """The parsed value of this cell in ``row`` (``None`` when empty); raises `CellError`."""
        return self.reader()(row)

    def reader(self) -> Callable[[Mapping[str, Any]], Any]:
        """`read` made once for a whole table: a function of the row, with the parser and column looked up.

        >>> Cell(("Montant",), parser="amount").reader()({"Montant": "5 M€"})
        5000000.0
        """
        parse = functools.partial(PARSERS["list"], sep=self.sep) if self.parser == "list" else PARSERS[self.parser]
        if self.template is not None or not self.columns:
            return functools.partial(self._read, parse=parse)
        columns = self.columns

        def read_columns(row: Mapping[str, Any]) -> Any:
            for column in columns:  # the first non-empty one
                raw = row.get(column)
                if raw is not None and raw != "":
                    break
            else:
                column = columns[0]
                raw = row.get(column)
            try:
                return parse(raw)
            except BadValue as exc:
                raise CellError(f'column "{column}"', str(exc)) from None

        return read_columns

    def _read(self, row: Mapping[str, Any], parse: Callable[[Any], Any]) -> Any:
        """A template's or a constant's value."""
        raw = self.value
        if self.template is not None:
            parts = {c: str(PARSERS["text"](row.get(c)) or "") for c in self.columns}
            raw = PLACEHOLDER.sub(lambda m: parts[m[1]], self.template).strip() if any(parts.values()) else None
        try:
            return parse(raw)
        except BadValue as exc:
            raise CellError(self.where(), str(exc)) from None
