"""``tdi check``, ``tdi backup`` and ``tdi restore``: verify a graph, copy it safely, put a copy back.

Example
-------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(check, ["--help"]).output.splitlines()[0]
'Usage: check [OPTIONS]'
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import Settings, counts_rows, emit, format_option
from commands.outputs import not_stdout
from graph.backend import is_neo4j_url
from graph.errors import TdiError

__all__ = ["backup", "check", "restore"]

_SERVER = "On a Neo4j server, back up and restore with neo4j-admin (neo4j-admin database dump / load)."


@click.command()
@format_option("table", "json")
@click.pass_obj
def check(settings: Settings, fmt: str) -> None:
    """Verify the graph: counts per kind and type, relationship ends, keys well-formed and unique, sources cited.

    Prints the counts, then one line per problem; exits with 1 if there is any.

    \b
    Example:
      tdi check
      tdi --db backup-2026-11-30.tdi check
    """
    import json

    from graph.integrity import check_graph

    with settings.open(read_only=True) as graph:
        report = check_graph(graph)
    if fmt == "json":
        click.echo(json.dumps({**report.counts, "problems": report.problems}, ensure_ascii=False, indent=2))
    else:
        emit(counts_rows(report.counts), "table")
    for problem in report.problems:
        click.echo(f"Problem: {problem}", err=True)
    nodes, rels = sum(report.counts["nodes"].values()), sum(report.counts["relationships"].values())
    if report.problems:
        raise TdiError(f"{len(report.problems)} problem(s) in the graph ({nodes} nodes, {rels} relationships).")
    click.echo(f"The graph is sound: {nodes} nodes, {rels} relationships.", err=True)


@click.command()
@click.argument("dest", type=click.Path(dir_okay=False, writable=True, path_type=Path),
                callback=not_stdout("a backup is a copy of the graph's file", folder=False))
@click.pass_obj
def backup(settings: Settings, dest: Path) -> None:
    """Copy the embedded graph to DEST, consistently, even while a write runs.

    \b
    Example:
      tdi backup tdi-graph-2026-11-30.backup
    """
    from graph.dbfiles import backup_graph

    if is_neo4j_url(settings.db):
        raise TdiError(_SERVER)
    if dest.exists():
        raise TdiError(f'"{dest}" already exists: give the backup a new name.')
    backup_graph(Path(settings.db), dest)
    click.echo(f'Backed up the graph at "{settings.db}" to "{dest}".', err=True)


@click.command()
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def restore(settings: Settings, src: Path) -> None:
    """Replace the embedded graph with the backup SRC, atomically; refuse SRC if it is not a graph.

    \b
    Example:
      tdi restore tdi-graph-2026-11-30.backup
    """
    from graph.dbfiles import restore_graph

    if is_neo4j_url(settings.db):
        raise TdiError(_SERVER)
    restore_graph(src, Path(settings.db))
    with settings.open(read_only=True) as graph:
        counts = graph.counts()
    nodes, rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    click.echo(f'Restored "{src}" to "{settings.db}": {nodes} nodes, {rels} relationships.', err=True)
