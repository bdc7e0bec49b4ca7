"""Join an analyst's list of names to actor ids: each row gets its best match, its score and the runner-up.

This is reconciliation as OpenRefine does it: the table is read with `loaders.table.open_table`
(CSV in any form French files use, or XLSX), each name of one column is matched with the
`graph.name_index` matcher, and the table is written back with five more columns:

============  ===================================================================
column        what
============  ===================================================================
id            the actor's id when the row is ``matched``, empty otherwise
matched_name  the name or alias of the best match, as the graph writes it
score         the score the status is decided on (see `graph.name_index`): 0–100, plus what a
              designator that agrees or the context adds, so it may exceed 100
runner_up     the next actor, as ``id (name) score``, scored the same way: how close the call
              was (after a sure match, only actors that could rival it are looked for)
status        ``matched``, ``ambiguous`` (rivals within 2 points, or a weak best
              match: review it) or ``unmatched``
============  ===================================================================

A context column (a department code such as ``46``, or a commune code) breaks ties between
namesakes: "Saint-Denis" with ``93`` is commune:93066. "Saint-Étienne" with ``42`` is the commune at
104, ahead of Saint-Étienne Métropole at 100 (96, and 4 for the department): matched.

Example
-------
>>> result = match_table(index, "laureats.csv", "Bénéficiaire", context_column="Dépt")   # doctest: +SKIP
>>> result.counts                                                                      # doctest: +SKIP
Counter({'matched': 140, 'ambiguous': 8, 'unmatched': 4})
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InvalidName, LoaderError
from graph.keys import fold
from graph.name_index import NameIndex, NameMatch, check_name, verdict
from graph.writing import check_folder, writing
from loaders.table import Table, open_table

__all__ = ["MATCH_COLUMNS", "MatchResult", "match_table", "write_matches"]

MATCH_COLUMNS = ("id", "matched_name", "score", "runner_up", "status")


@dataclass
class MatchResult:
    """The table read, with the match columns added to each row, and the count of each status."""

    table: Table
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        """One line for stderr.

        >>> MatchResult(Table(Path("x.csv"), ["nom"]), ["nom"], counts=Counter(matched=3, unmatched=1)).summary()
        'x.csv: 4 rows: 3 matched, 0 ambiguous, 1 unmatched.'
        """
        total = sum(self.counts.values())
        parts = ", ".join(f"{self.counts[status]} {status}" for status in ("matched", "ambiguous", "unmatched"))
        return f"{self.table.name}: {total} rows: {parts}."


def match_table(index: NameIndex, path: str | Path, column: str, *, kind: str | None = None,
                context_column: str | None = None, sheet: str | None = None) -> MatchResult:  # fmt: skip
    """Match the names of ``column`` in the table at ``path`` against ``index``.

    Parameters
    ----------
    index : NameIndex
        The names of the graph (`graph.name_cache.name_index`).
    path : str or Path
        A CSV or XLSX file.
    column : str
        The column of names; its header is found whatever its case and accents.
    kind : str, optional
        Only actors of this kind, as a label (``Epci``).
    context_column : str, optional
        A column of department or commune codes that breaks ties between namesakes.
    sheet : str, optional
        The sheet of an XLSX file.

    Raises
    ------
    LoaderError
        The file cannot be read, lacks a column, or a name is empty or too long (file, line, column).
    """
    table = open_table(path, sheet=sheet)
    index.unpack()
    name_column = _column(table, column)
    place_column = _column(table, context_column) if context_column else None
    result = MatchResult(table, [c for c in table.columns if c and c not in MATCH_COLUMNS] + list(MATCH_COLUMNS))
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for line, row in table.rows():
        name = "" if row.get(name_column) is None else str(row[name_column])
        try:
            check_name(name, f'{table.name}:{line}: column "{name_column}"')
        except InvalidName as exc:
            raise LoaderError(str(exc)) from exc
        context = _code(row.get(place_column)) if place_column else ""
        if (name, context) not in seen:
            seen[(name, context)] = _match_columns(index.search(name, kind=kind, limit=3, context=context or None, exhaustive=False))
        found = seen[(name, context)]
        result.counts[found["status"]] += 1
        result.rows.append({**{c: v for c, v in row.items() if c not in MATCH_COLUMNS}, **found})
    return result


def _column(table: Table, wanted: str) -> str:
    """The header of ``table`` that is ``wanted``, whatever its case, accents and spaces."""
    key = fold(" ".join(wanted.split()))
    for name in table.columns:
        if fold(name) == key:
            return name
    listed = ", ".join(f'"{c}"' for c in table.columns if c)
    raise LoaderError(f'{table.name}: no column "{wanted}"; its columns are {listed}.')


def _code(value: Any) -> str:
    """A department or commune code as written in a cell: ``1`` → ``01``, ``1053`` → ``01053`` (Excel drops the zero)."""
    if value is None:
        return ""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if text.isdigit() and len(text) in (1, 4):
        return text.zfill(len(text) + 1)
    return text


def _match_columns(matches: list[NameMatch]) -> dict[str, Any]:
    status, _ = verdict(matches)
    best = matches[0] if matches else None
    second = matches[1] if len(matches) > 1 else None
    return {
        "id": best.id if best and status == "matched" else "",
        "matched_name": best.matched if best else "",
        "score": best.strength if best else "",  # not capped at 100 as `tdi find` shows it: the status is decided on these
        "runner_up": f"{second.id} ({second.name}) {second.strength:g}" if second else "",
        "status": status,
    }


def write_matches(result: MatchResult, out: Path | None) -> str:
    """Write the matched table to ``out`` (``.xlsx`` or CSV, the input's delimiter) or return it as CSV text."""
    if out is not None and out.suffix.lower() == ".xlsx":
        _write_xlsx(result, out)
        return ""
    delimiter = result.table.delimiter or ","
    if out is None:
        import io

        buffer = io.StringIO()
        _write_csv(result, buffer, delimiter)
        return buffer.getvalue()
    with writing(out), out.open("w", encoding="utf-8-sig" if result.table.encoding != "utf-8" else "utf-8", newline="") as file:
        _write_csv(result, file, delimiter)
    return ""


def _write_csv(result: MatchResult, file: Any, delimiter: str) -> None:
    writer = csv.DictWriter(file, result.columns, delimiter=delimiter, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(result.rows)


def _write_xlsx(result: MatchResult, out: Path) -> None:
    import openpyxl

    check_folder(out)  # before the workbook: openpyxl's write-only sheets print errors if saving fails
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(result.table.sheet or "matches")
    sheet.append(result.columns)
    for row in result.rows:
        sheet.append([row.get(c) for c in result.columns])
    with writing(out):
        book.save(out)
