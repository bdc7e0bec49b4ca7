"""What every command shares: the settings, the error translation, the common options and output.

Data goes to stdout as a table, CSV or JSON; messages go to stderr.

Example
-------
>>> emit([{"id": "region:32", "name": "Hauts-de-France"}], "csv")
id,name
region:32,Hauts-de-France
"""

from __future__ import annotations

import importlib
import io
import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import click

from graph.errors import TdiError

__all__ = [
    "CELL_MAX",
    "SCOPE_HELP",
    "LazyGroup",
    "PhaseChoice",
    "Settings",
    "TdiGroup",
    "calendar_date",
    "confirm_or_stop",
    "counts_rows",
    "dry_run_option",
    "echo_json",
    "emit",
    "format_option",
    "in_a_folder",
    "kind_list",
    "nothing_loaded",
    "pairs_option",
    "progress_bar",
    "report",
    "source_option",
    "summary_line",
]  # fmt: skip

CELL_MAX = 60
# What --region, --phase, --as-of and --kinds keep, in views and analyses alike (graph.scope).
SCOPE_HELP = {
    "region": "Only the places that lie in this region (INSEE code, id or name) and the actors located in or tied to them.",
    "phase": "Only what holds in this phase: what has this phase, or dates within its years (I: 2018-2023, II: 2024-2027).",
    "as_of": "Only what holds on this date (YYYY[-MM[-DD]]): nothing started after it or ended before it.",
    "kinds": "Only actors of these kinds, comma-separated (operator,territory…); the others still place actors in a region.",
}
_ID = re.compile(r"[a-z]+:\S+")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def kind_list(text: str | None) -> list[str]:
    """The kinds a ``--kinds`` value names, comma-separated (none when it is not given).

    >>> kind_list("operator, territory,"), kind_list(None)
    (['operator', ' territory'], [])
    """
    return [k for k in (text or "").split(",") if k.strip()]


def calendar_date(*, day_only: bool = False) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """The callback of a date option (repeated or not): each value must be a day of the calendar
    (YYYY-MM-DD), or also a month (YYYY-MM) or a year (YYYY) unless ``day_only``.

    >>> check = calendar_date()
    >>> check(None, None, ("2019", "2019-02-28"))
    ('2019', '2019-02-28')
    >>> check(None, None, "2019-02-30")
    Traceback (most recent call last):
    click.exceptions.BadParameter: "2019-02-30" is not a date of the calendar (day 30, month 2, year 2019).
    """
    shapes = "YYYY-MM-DD" if day_only else "YYYY, YYYY-MM or YYYY-MM-DD"

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        from graph.dates import is_stored_date

        for text in value if isinstance(value, tuple) else [value]:
            match = _DATE.fullmatch(text) if text is not None else None
            if text is not None and (not match or (day_only and not match[3])):
                raise click.BadParameter(f'"{text}" is not a date: use {shapes}.', ctx, param)
            if match and not is_stored_date(text):
                named = zip(("day", "month", "year"), reversed(match.groups()))
                where = ", ".join(f"{name} {int(part)}" for name, part in named if part is not None)
                raise click.BadParameter(f'"{text}" is not a date of the calendar ({where}).', ctx, param)
        return value

    return check


def in_a_folder(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """The callback of an option naming a file to write: its folder must exist, checked before any work
    (`graph.writing.check_folder`; the write itself goes through `graph.writing.writing`)."""
    from graph.writing import check_folder

    if value is not None:
        check_folder(value)
    return value


class PhaseChoice(click.Choice):
    """``--phase``: I or II, in any case (``ii`` is II); a wrong value is named against I and II.

    >>> PhaseChoice().convert("ii", None, None)
    'II'
    """

    def __init__(self) -> None:
        super().__init__(["I", "II"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(value.strip().upper() if isinstance(value, str) else value, param, ctx)


class Settings(NamedTuple):
    """What the root group passes to every command (a named tuple: quicker to define than a dataclass)."""

    db: str

    def open(self, *, read_only: bool = False, buffer_pool_mb: int | None = None, defer_copy: bool = False) -> Any:
        """Open the graph (embedded path or Neo4j URI); ``buffer_pool_mb`` and ``defer_copy`` (loads) as `graph.backend.open_graph`."""
        from graph.backend import open_graph

        return open_graph(self.db, read_only=read_only, buffer_pool_mb=buffer_pool_mb, defer_copy=defer_copy)


class LazyGroup(click.Group):
    """A group whose commands in ``commands/`` are imported when one runs, or when ``--help`` lists them:
    a command pays for its own module only. ``lazy`` maps each name to ``"module:attribute"``.

    >>> group = LazyGroup(lazy={"find": "commands.names:find"})
    >>> group.list_commands(click.Context(group)), group.get_command(click.Context(group), "find").name
    (['find'], 'find')
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)


class TdiGroup(LazyGroup):
    """The root group: it turns every `TdiError` into a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TdiError as exc:
            raise click.ClickException(str(exc)) from exc


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format`` with these choices, the first being the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format.")


def _parse_pairs(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f'"{value}" is not key=value.', ctx, param)
        pairs[name.strip()] = text
    return pairs


def pairs_option(*names: str, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A repeatable ``key=value`` option, collected into a dict."""
    return click.option(*names, multiple=True, callback=_parse_pairs, metavar="KEY=VALUE", help=help)


dry_run_option = click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
source_option = click.option("--source", metavar="SOURCE_ID", help="Key of the Source that states it (default: a manual entry of today).")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _shorten(cell: str) -> str:
    """A long cell cut to `CELL_MAX` characters; an id (``kind:key``) is never cut, since commands need all of it."""
    if len(cell) <= CELL_MAX or _ID.fullmatch(cell):
        return cell
    return cell[: CELL_MAX - 1] + "…"


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_shorten(_cell(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
    lines = [list(columns), ["-" * w for w in widths], *cells]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)


def echo_json(value: Any) -> None:
    """Print ``value`` as strict JSON: a NaN or infinite number is written as null, with a warning on stderr.

    >>> echo_json({"amount_eur": float("inf"), "year": 2024})
    {
      "amount_eur": null,
      "year": 2024
    }
    """
    replaced: list[float] = []

    def finite(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            replaced.append(v)
            return None
        if isinstance(v, Mapping):
            return {k: finite(x) for k, x in v.items()}
        return [finite(x) for x in v] if isinstance(v, (list, tuple)) else v

    click.echo(json.dumps(finite(value), ensure_ascii=False, indent=2, default=str, allow_nan=False))
    if replaced:
        click.echo(f"Warning: {len(replaced)} number{'s' * (len(replaced) > 1)} that JSON cannot hold (NaN or infinity) "
                   "written as null.", err=True)  # fmt: skip


def emit(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] = ()) -> None:
    """Print rows as an aligned table, CSV or JSON."""
    columns = list(columns) or list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "json":
        echo_json([dict(row) for row in rows])
    elif fmt == "csv":
        import csv  # only here: a table or JSON needs no CSV module

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        click.echo(out.getvalue(), nl=False)
    elif rows:
        click.echo(_table(rows, columns))
    else:
        click.echo("(no rows)", err=True)


def report(stats: Any, what: str, *, table: bool = True, dry_run: bool = False) -> None:
    """Print what a write changed per kind (stdout) and `summary_line` (stderr)."""
    if stats.changed and table:
        emit([r for r in stats.as_rows() if r["created"] or r["updated"]], "table")
    click.echo(summary_line(stats, what, dry_run=dry_run), err=True)


def nothing_loaded(path: Any, why: str) -> None:
    """Warn (stderr) that the file at ``path`` held nothing to load, and ``why``; nothing was written."""
    click.echo(f"Warning: {path}: {why}; nothing loaded.", err=True)


def summary_line(stats: Any, what: str, *, dry_run: bool = False, parts: Sequence[str] = ("created", "updated", "unchanged")) -> str:
    """One line: the totals of ``parts``, or that nothing changed; a dry run says nothing was written.

    >>> from graph.backend import WriteStats
    >>> summary_line(WriteStats(), "Map 2026", dry_run=True)
    'Map 2026 (dry run, nothing written): nothing would change.'
    """
    head = f"{what} (dry run, nothing written)" if dry_run else what
    totals = {part: sum(getattr(stats, part).values()) for part in parts}
    if not stats.changed:
        already = f" ({totals['unchanged']} already in the graph)" if totals.get("unchanged") else ""
        return f"{head}: nothing {'would change' if dry_run else 'changed'}{already}."
    return f"{head}: " + ", ".join(f"{n} {part}" for part, n in totals.items()) + "."


def confirm_or_stop(question: str, *, stopped: str, yes: str = "--yes") -> None:
    """Ask ``question`` on stderr; unless answered yes, stop with one ``Error:`` line saying so, never a bare "Aborted!".

    Without an answer (no terminal, stdin at its end, Ctrl-C) the line says what was asked and that ``yes`` answers it.

    >>> from click.testing import CliRunner
    >>> ask = click.command()(lambda: confirm_or_stop("Add it anyway?", stopped="operator:x was not added"))
    >>> CliRunner().invoke(ask, input="").stderr.splitlines()[-1]
    'Error: No answer to "Add it anyway?" (no terminal to ask in): operator:x was not added. Add --yes to answer yes.'
    """
    terminal = sys.stdin.isatty()
    try:
        answer = click.confirm(question, err=True)
    except click.Abort:
        click.echo("", err=True)  # end the line of the question
        how = "" if terminal else " (no terminal to ask in)"
        raise click.ClickException(f'No answer to "{question}"{how}: {stopped}. Add {yes} to answer yes.') from None
    if not answer:
        if not terminal:
            click.echo("", err=True)  # an answer read from a pipe is not echoed
        raise click.ClickException(f"Answered no: {stopped}.")


def counts_rows(counts: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    nodes = [{"what": "node", "name": k, "count": n} for k, n in counts["nodes"].items()]
    return nodes + [{"what": "relationship", "name": k, "count": n} for k, n in counts["relationships"].items()]


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback that draws one bar per stage on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[stage] = click.progressbar(length=max(total, 1), label=stage.ljust(24), file=sys.stderr)
        bar = bars[stage]
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.render_finish()
