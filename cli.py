"""The ``tdi`` command: load actors, ask the graph, draw it.

Each command parses its options, opens the graph, calls one library function and formats the
result with `commands.common`: data on stdout, messages on stderr. Every `TdiError` becomes a
one-line ``Error: …`` with exit code 1; bad usage exits with 2. Groups of commands on one topic
live in ``commands/`` and are added to the root group at the end of this file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from commands.common import (
    LazyGroup,
    Settings,
    TdiGroup,
    confirm_or_stop,
    counts_rows,
    dry_run_option,
    echo_json,
    emit,
    format_option,
    pairs_option,
    report,
    source_option,
)  # fmt: skip
from commands.outputs import not_stdout

DEFAULT_DB = "./tdi-graph"
GC_YOUNG = 50_000  # new objects between two runs of the cycle collector in a tdi process (`main`)
# The commands of commands/, imported only when called: a command pays for its own module only.
COMMANDS = {
    "analyze": "commands.analyze:analyze", "backup": "commands.maintenance:backup", "check": "commands.maintenance:check",
    "export": "commands.viz:export", "extract": "commands.extract:extract_cmd", "find": "commands.names:find",
    "mappings": "commands.table:mappings_cmd", "match": "commands.names:match", "path": "commands.analyze:path",
    "restore": "commands.maintenance:restore", "viz": "commands.viz:viz",
}  # fmt: skip
LOAD_COMMANDS = {
    "csv": "commands.viz:load_csv_cmd", "json": "commands.viz:load_json_cmd", "programmes": "commands.territories:load_programmes_cmd",
    "reference": "commands.reference:load_reference_cmd", "table": "commands.table:load_table_cmd",
    "territories": "commands.territories:load_territories_cmd",
}  # fmt: skip


# ---------------------------------------------------------------- root


@click.group(cls=TdiGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", envvar="TDI_DB", show_envvar=True, default=DEFAULT_DB, show_default=True,
    help="Embedded graph directory, or a Neo4j URI (neo4j://, neo4j+s://, bolt://).",
)  # fmt: skip
@click.version_option(package_name="tdi-graph")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Map the actors of Territoires d'industrie as a graph: load, ask, draw.

    \b
    Example:
      tdi demo                       # load the built-in dataset, write tdi-demo.html
      tdi find bethune
      tdi --db neo4j://localhost:7687 stats
    """
    ctx.obj = Settings(db=db)


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=not_stdout("demo prints its counts on stdout"),
              default="tdi-demo.html", show_default=True, help="The page to write.")
@click.option("--full", is_flag=True, help="Also load every commune and EPCI, the lists of both phases and 14 other programmes.")
@click.option("--data", "data_dir", envvar="TDI_DATA", show_envvar=True, type=click.Path(file_okay=False, path_type=Path),
              help="With --full (refused without it): the folder holding ANCT's lists (see the README).")  # fmt: skip
@click.pass_obj
def demo(settings: Settings, output: Path, full: bool, data_dir: Path | None) -> None:
    """Load the built-in dataset and draw it as an interactive page.

    \b
    Example:
      tdi demo
      tdi demo --full --data ../shared/data/raw -o programme.html
      tdi --db neo4j://localhost:7687 demo -o demo.html
    """
    from commands.common import progress_bar
    from loaders.builtin import full_data_files, load_builtin
    from viz.pages import draw_page
    from viz.views import actor_view

    if full:
        full_data_files(data_dir)  # missing files stop it before a graph is made
    elif data_dir is not None and click.get_current_context().get_parameter_source("data_dir") is ParameterSource.COMMANDLINE:
        # TDI_DATA alone is a standing setting, read when --full is given: not a request for the lists
        raise click.UsageError(f"--data {data_dir} is read only with --full: add --full to load ANCT's lists from it, or leave --data out.")
    with settings.open(defer_copy=True) as graph, progress_bar() as progress:
        stats = load_builtin(graph, full, data_dir=data_dir, progress=progress)
        counts, G = graph.counts(), graph.to_networkx()
    emit(counts_rows(counts), "table")
    report(stats, "Built-in dataset", table=False)
    what = "The actors the programme's documents state" + (", the lists of territories of both phases and 14 other programmes" if full else "")
    draw_page(actor_view(G, copy=False), output, title="Territoires d'industrie — actors and ties", what=what + ".", fold=("communes", "sites"), copy=False)
    click.echo(f"Wrote {output}: open it in a browser.", err=True)


@cli.command()
@format_option("table", "json")
@click.pass_obj
def stats(settings: Settings, fmt: str) -> None:
    """Count nodes per kind and relationships per type.

    \b
    Example:
      tdi stats --format json
    """
    from graph.counting import count_graph

    counts = count_graph(settings.db)
    if fmt == "json":
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
    else:
        emit(counts_rows(counts), "table")


@cli.command()
@click.argument("actor_id", metavar="ID_OR_NAME")
@format_option("table", "json")
@click.pass_obj
def show(settings: Settings, actor_id: str, fmt: str) -> None:
    """Show one actor (its id, or a name only it has): properties, every relationship in and out, and who says so.

    \b
    Example:
      tdi show operator:banque-des-territoires
      tdi show region:32 --format json
      tdi show "Région Occitanie"
    """
    from queries.lookup import show_actor

    with settings.open(read_only=True) as graph:
        actor = show_actor(graph, actor_id)
    if fmt == "json":
        echo_json(actor)
        return
    click.echo(f"{actor['id']}  ({actor['kind']})")
    emit([{"property": k, "value": v} for k, v in actor["properties"].items()], "table")
    click.echo("")
    rows = [
        {"dir": "->" if r["direction"] == "out" else "<-", "type": r["type"], "other": r["other_id"], "name": r["other_name"],
         "properties": {k: v for k, v in r["properties"].items() if v is not None} or "",
         "sources": [s["key"] for s in r["sources"]]}
        for r in actor["relationships"]
    ]  # fmt: skip
    emit(rows, "table", ["dir", "type", "other", "name", "properties", "sources"])


@cli.command("sources")
@format_option("table", "json", "csv")
@click.pass_obj
def sources_cmd(settings: Settings, fmt: str) -> None:
    """List the documents and datasets the graph cites, and how many facts each supports.

    \b
    Example:
      tdi sources --format csv
    """
    from queries.sources import list_sources

    with settings.open(read_only=True) as graph:
        rows = list_sources(graph)
    emit(rows, fmt)


# ---------------------------------------------------------------- queries


@cli.command("queries")
@format_option("table", "json")
def queries_cmd(fmt: str) -> None:
    """List the named queries and their parameters.

    \b
    Example:
      tdi queries
    """
    from queries.registry import list_queries

    rows = [
        {
            "name": q.name,
            "title": q.title,
            "params": [f"{p.name}: {p.spec}" for p in q.params],
            "description": q.description,
            "example": q.example_command,
        }
        for q in list_queries()
    ]
    emit(rows, fmt, ["name", "title", "params"] if fmt == "table" else ())


@cli.group()
def query() -> None:
    """Run named queries."""


@query.command("run")
@click.argument("name")
@pairs_option("-p", "--param", "params", help="A parameter of the query (repeatable).")
@format_option("table", "csv", "json")
@click.pass_obj
def query_run(settings: Settings, name: str, params: dict[str, str], fmt: str) -> None:
    """Run the named query NAME with its parameters.

    \b
    Example:
      tdi query run funders-of-region -p region=32 --format csv
    """
    from queries.registry import get_query

    named = get_query(name)
    named.bind(params)
    with settings.open(read_only=True) as graph:
        rows = named.run(graph, params)
    emit(rows, fmt, named.columns)


@cli.command()
@click.argument("statement", metavar="QUERY")
@pairs_option("-p", "--param", "params", help="A parameter: $KEY in the query; VALUE read as JSON if it parses, else text.")
@click.option("--write", is_flag=True, help="Allow the query to change the graph, read or write files (COPY, LOAD FROM), install extensions.")
@format_option("table", "csv", "json")
@click.pass_obj
def cypher(settings: Settings, statement: str, params: dict[str, str], write: bool, fmt: str) -> None:
    """Run an ad-hoc Cypher QUERY (Neo4j syntax, one statement); read-only unless --write.

    Read-only means MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN and CALL of catalogue functions
    such as show_tables(): nothing else runs without --write. After a write, the actors it made
    or renamed get the search text that tdi find reads.

    \b
    Example:
      tdi cypher "MATCH (t:Territory) WHERE t.name CONTAINS \\$word RETURN t.key, t.name" -p word=Calais
    """
    from graph.ad_hoc import run_statement

    if not statement.strip():
        raise click.UsageError("QUERY is empty: give one Cypher statement.")
    values = {name: _json_or_text(text) for name, text in params.items()}
    with settings.open(read_only=not write) as graph:
        rows, columns = run_statement(graph, statement, values, write=write)
    emit(rows, fmt, columns)


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- loading and editing


@cli.group(cls=LazyGroup, lazy=LOAD_COMMANDS)
def load() -> None:
    """Load files into the graph."""


@load.command("facts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@dry_run_option
@click.pass_obj
def load_facts_cmd(settings: Settings, path: Path, dry_run: bool) -> None:
    """Load actors and relationships with their sources from a facts file (YAML).

    The format is that of the built-in dataset (docs/facts-format.md). The file loads
    completely or not at all; loading it again changes nothing.

    \b
    Example:
      tdi load facts my-notes.yaml --dry-run
    """
    from loaders.facts import read_facts
    from loaders.load import load_facts
    from loaders.session import write_or_preview

    facts = read_facts(path)
    with settings.open(defer_copy=True) as graph, write_or_preview(graph, dry_run=dry_run):
        stats = load_facts(graph, facts)
    report(stats, str(path), dry_run=dry_run)


@cli.group()
def actor() -> None:
    """Add actors one at a time."""


@actor.command("add")
@click.argument("kind")
@click.option("--key", required=True, help="INSEE code, SIREN, phase-official id or slug, by kind.")
@click.option("--name", required=True)
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@pairs_option("--prop", "props", help="Another property of the kind (repeatable): not key, name, aliases or sources, which have their own "
              'option. Amounts and dates are read as "tdi load table" reads them (amount_eur="1,5 M€", date=18/12/2023).')
@source_option
@click.option("-y", "--yes", is_flag=True, help="Do not ask before adding a likely duplicate.")
@click.pass_obj
def actor_add(settings: Settings, kind: str, key: str, name: str, aliases: tuple[str, ...],
              props: dict[str, str], source: str | None, yes: bool) -> None:  # fmt: skip
    """Add one actor of KIND (or update the one with that key).

    \b
    Example:
      tdi actor add company --key 552032534 --name "Danone" --prop sector=agrifood
      tdi actor add operator --key ademe --name ADEME --source manual-2026-11-23
    """
    from loaders.manual import add_actor, check_actor, likely_duplicates

    check_actor(kind, key, name, props, aliases=aliases)  # before the graph is opened
    with settings.open() as graph:
        similar = likely_duplicates(graph, kind, key, name)
        if similar and not yes:
            for row in similar:
                click.echo(f"Warning: {row['id']} ({row['name']}) has the {row['reason']}.", err=True)
            confirm_or_stop("Add it anyway?", stopped=f"{kind}:{key} was not added")
        stats = add_actor(graph, kind, key, name, props, aliases=aliases, source=source)
    report(stats, f"{kind}:{key}")


@cli.group()
def link() -> None:
    """Add relationships one at a time."""


@link.command("add")
@click.argument("rel_type", metavar="TYPE")
@click.argument("from_id", metavar="FROM_ID")
@click.argument("to_id", metavar="TO_ID")
@pairs_option("--prop", "props", help="A property of the relationship: amount_eur, date, role… (repeatable). Amounts and dates are read as "
              '"tdi load table" reads them (amount_eur="1,5 M€", date=18/12/2023).')
@source_option
@click.pass_obj
def link_add(settings: Settings, rel_type: str, from_id: str, to_id: str, props: dict[str, str], source: str | None) -> None:
    """Add a relationship of TYPE from one actor to another (both must exist).

    \b
    Example:
      tdi link add FUNDS operator:bpifrance project:usine-x --prop amount_eur=1200000 --prop year=2024
      tdi link add FUNDS operator:bpifrance project:usine-x --prop amount_eur="1,5 M€" --prop date=18/12/2023
    """
    from loaders.manual import add_link, check_link

    check_link(rel_type, from_id, to_id, props)  # before the graph is opened
    with settings.open() as graph:
        stats = add_link(graph, rel_type, from_id, to_id, props, source=source)
    report(stats, f"{rel_type.upper()} {from_id} -> {to_id}")


def main() -> None:
    """Entry point of the ``tdi`` script.

    A graph read by the command is not closed: the process ends with its engine still open, the
    operating system reclaims it (`graph.engine_exit`: 0.02-0.04 s of CPU saved), once stdout and
    stderr are flushed. A graph opened read-only starts on huge pages (`graph.engine_heap`: about
    0.09 s of CPU saved on the full graph). Exit codes are click's: 0, 1 for an ``Error: …``, 2 for bad usage.
    Python's cycle collector runs after every `GC_YOUNG` new objects rather than 700: the imports of
    a read command, about 20,000 objects that stay, cost it 20 collections (5-8 ms) otherwise.
    """
    import gc

    from graph.engine_exit import engines_left_open, leave_read_engines_open
    from graph.engine_heap import allow_huge_pages

    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    leave_read_engines_open()
    allow_huge_pages()
    try:
        cli(prog_name="tdi")
    except SystemExit as end:
        if not engines_left_open():
            raise
        _exit_now(end.code)


def _exit_now(code: Any) -> None:
    """End the process at once with ``code`` (as `sys.exit` reads it), after flushing stdout and stderr.

    A reader that went away (``tdi … | head -1``) ends it quietly, as click does.
    """
    if code is not None and not isinstance(code, int):
        click.echo(code, err=True)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started with that descriptor closed
                stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (quietly, as click does); the stream was closed
            pass
        except OSError:  # a full disk: the exit code of Python's own end after a failed flush
            code = code or 120
    os._exit(code or 0)
