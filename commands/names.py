"""``tdi find`` (the actors a name may mean) and ``tdi match`` (a table's names joined to actor ids).

Both use the one name matcher of `graph.name_index`. ``tdi find`` is a read command that analysts
call in loops: on an embedded graph it answers from the saved name index when the graph has not
changed since (`graph.name_cache`), without opening the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from commands.common import Settings, emit, format_option, in_a_folder
from commands.outputs import is_stdout

if TYPE_CHECKING:
    from graph.name_index import NameIndex

__all__ = ["find", "match"]

kind_option = click.option("--kind", help="Only this kind (region, department, epci, territory, operator…).")


def _name_index(settings: Settings) -> NameIndex:
    """The saved index of an unchanged embedded graph, else the one read from the graph."""
    from graph.backend import is_neo4j_url
    from graph.name_cache import cached_name_index, name_index

    index = None if is_neo4j_url(settings.db) else cached_name_index(settings.db)
    if index is None:
        with settings.open(read_only=True) as graph:
            index = name_index(graph)
    return index


@click.command()
@click.argument("text")
@kind_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="At most this many actors.")
@format_option("table", "json", "csv")
@click.pass_obj
def find(settings: Settings, text: str, kind: str | None, limit: int, fmt: str) -> None:
    """Find the actors TEXT may name, best first, with the score and the name or alias that matched.

    Case, accents, dashes, articles, Saint/St, legal forms (CA, communauté
    d'agglomération…), "Région X", "Territoire d'industrie X" and acronyms (ANCT, BPI, BdT)
    do not matter. Exact names and aliases come first, then names whose words all begin
    with TEXT's words, then names that contain it, then close spellings; ties go to the
    actor with more relationships.

    \b
    Example:
      tdi find "Région Occitanie"
      tdi find "CC Grand-Figeac" --format json
      tdi find lot --kind department --limit 5
    """
    from queries.lookup import search_names

    rows = search_names(_name_index(settings), text, kind=kind, limit=limit)
    emit(rows, fmt, ["id", "kind", "name", "matched", "score", "tier"])


@click.command("match")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--column", required=True, help="The column of names.")
@kind_option
@click.option("--context-column", help="A column of department or commune codes that breaks ties between namesakes.")
@click.option("--sheet", help="The sheet of an XLSX file (name or number; the first by default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=in_a_folder,
              help='Write here (.csv or .xlsx) rather than to stdout ("-": stdout, as CSV).')
@click.pass_obj
def match(settings: Settings, path: Path, column: str, kind: str | None, context_column: str | None, sheet: str | None,
          output: Path | None) -> None:  # fmt: skip
    """Match the names of a CSV or XLSX column to actor ids, like OpenRefine's reconciliation.

    The table comes back with id, matched_name, score, runner_up and status (matched,
    ambiguous or unmatched); a summary goes to stderr. An id is given only when the
    match is sure: ambiguous rows name their best candidate and the runner-up to review.

    \b
    Example:
      tdi match laureats.csv --column "Bénéficiaire" --kind epci -o laureats-ids.csv
      tdi match communes.xlsx --column Nom --context-column Département -o out.xlsx
    """
    from loaders.match_table import match_table, write_matches
    from queries.lookup import kind_label

    output = None if is_stdout(output) else output
    index = _name_index(settings)
    label = kind_label(index, kind) if kind else None
    result = match_table(index, path, column, kind=label, context_column=context_column, sheet=sheet)
    text = write_matches(result, output)
    if text:
        click.echo(text, nl=False)
    click.echo(result.summary() + (f" Wrote {output}." if output else ""), err=True)
