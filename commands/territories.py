"""``tdi load territories`` and ``tdi load programmes``: ANCT's lists of territories and of programme sites.

Example
-------
>>> from click.testing import CliRunner
>>> "--skip-unknown" in CliRunner().invoke(load_territories_cmd, ["--help"]).output
True
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import PhaseChoice, Settings, nothing_loaded, progress_bar, report

__all__ = ["load_programmes_cmd", "load_territories_cmd"]


@click.command("territories")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--phase", type=PhaseChoice(), help="The programme's phase, when the file name does not say (phase1, phase2)."
)
@click.option("--vintage", metavar="YYYY-MM-DD", help="The list's date, when the file name does not give it.")
@click.option("--skip-unknown", is_flag=True, help="Leave out codes the administrative map does not know, and list them.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
@click.pass_obj
def load_territories_cmd(
    settings: Settings, path: Path, phase: str | None, vintage: str | None, skip_unknown: bool, dry_run: bool
) -> None:
    """Load a list of Territoires d'industrie with the EPCI, EPT or communes each covers.

    The administrative map must be loaded first ("tdi load reference"). Every row is checked
    before anything is written; loading the same list again changes nothing.

    \b
    Example:
      tdi load territories ti_phase2_groupements_anct_20240704.csv
      tdi load territories liste-ti.csv --phase I --dry-run
      tdi load territories ti_phase2_communes_anct_20231107.csv --skip-unknown
      tdi load territories ti_phase2_groupements_anct_20240704.geojson
    """
    from loaders.territories import load_territories, read_territory_list, shipped_reference

    found = read_territory_list(path, shipped_reference(), phase=phase, vintage=vintage, skip_unknown=skip_unknown)
    with settings.open(defer_copy=True) as graph, progress_bar() as progress:
        result = load_territories(graph, found, dry_run=dry_run, progress=progress)
    if result.empty:
        nothing_loaded(path, result.empty)
        return
    for line in result.notes():
        click.echo(line, err=True)
    report(result.stats, str(path), dry_run=dry_run)


@click.command("programmes")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--programme", metavar="CODE", help="ANCT's code of the programme (pvd, acv, fs…), when the file name does not give it.")
@click.option("--skip-unknown", is_flag=True, help="Leave out codes the administrative map does not know, and count them.")
@click.option("--dry-run", is_flag=True, help="Check the files and show what would change, without writing.")
@click.pass_obj
def load_programmes_cmd(settings: Settings, paths: tuple[Path, ...], programme: str | None, skip_unknown: bool, dry_run: bool) -> None:
    """Load ANCT programme files: each site, its programme and the communes or EPCI it covers.

    The files are ANCT's cartography GeoJSON (pvd.geojson, fs_geom.geojson…); the programme is
    the file's name unless --programme says it. Load the administrative map first ("tdi load
    reference"), and the territories before a file that cites one (fabp cites ti-8408). All the
    files load in one transaction; loading them again changes nothing (the graph file is not even
    rewritten), and when nothing was written to the graph since that load, the same files are not
    even read again.

    \b
    Example:
      tdi load programmes anct-programmes/*.geojson --skip-unknown
      tdi load programmes pvd.geojson --dry-run
      tdi load programmes liste-sites.geojson --programme va
    """
    from loaders.programmes import load_programmes, recorded_reload

    result = recorded_reload(settings.db, paths, programme=programme, skip_unknown=skip_unknown, dry_run=dry_run)
    if result is None:
        with settings.open(defer_copy=True) as graph, progress_bar() as progress:
            result = load_programmes(graph, paths, programme=programme, skip_unknown=skip_unknown, dry_run=dry_run, progress=progress)
    for path, why in result.empty.items():
        nothing_loaded(path, why)
    if len(result.empty) == len(paths):
        return
    for line in result.notes():
        click.echo(line, err=True)
    report(result.stats, f"{len(paths) - len(result.empty)} programme file(s)", dry_run=dry_run)
