"""``tdi load reference``: the whole administrative map, with its history across vintages.

Example
-------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(load_reference_cmd, ["--help"]).output.splitlines()[0]
'Usage: load-reference [OPTIONS]'
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import Settings, emit, format_option, progress_bar, summary_line

__all__ = ["load_reference_cmd"]

_COLUMNS = ("name", "created", "updated", "ended", "unchanged")


@click.command("load-reference")
@click.option(
    "--from", "source", type=click.Path(path_type=Path), metavar="DIR_OR_TGZ",
    help="Another vintage: the @etalab/decoupage-administratif tarball (npm pack) or its unpacked directory. "
    "Default: the copy shipped with tdi (2026).",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Show what would be created, updated and ended, without writing.")
@format_option("table", "csv", "json")
@click.pass_obj
def load_reference_cmd(settings: Settings, source: Path | None, dry_run: bool, fmt: str) -> None:
    """Load regions, departments, communes, EPCI and EPT with their memberships (official COG data).

    Loading a newer vintage ends what no longer holds (until = its year) instead of deleting it,
    and starts what is new (since = its year); a vintage older than the one loaded is refused.
    The load is all or nothing; loading the same vintage again changes nothing.

    \b
    Example:
      tdi load reference
      tdi load reference --from etalab-decoupage-administratif-4.1.0.tgz --dry-run
    """
    from loaders.reference import load_reference, read_reference
    from loaders.session import write_or_preview

    data = read_reference(source)
    with settings.open(defer_copy=True) as graph, progress_bar() as progress, write_or_preview(graph, dry_run=dry_run):
        stats = load_reference(graph, data, progress=progress)
    emit(stats.as_rows(), fmt, _COLUMNS)
    click.echo(summary_line(stats, f"Administrative map {data.vintage}", dry_run=dry_run, parts=_COLUMNS[1:]), err=True)
