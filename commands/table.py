"""``tdi load table`` and ``tdi mappings``: load analysts' spreadsheets through a YAML mapping.

Example
-------
>>> from click.testing import CliRunner
>>> "sirene" in CliRunner().invoke(mappings_cmd, []).output
True
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import Settings, emit, format_option, nothing_loaded, progress_bar, report

__all__ = ["load_table_cmd", "mappings_cmd"]


@click.command("table")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_ref", required=True, metavar="NAME|FILE.yaml",
              help='A mapping file, or the name of a shipped one (see "tdi mappings").')  # fmt: skip
@click.option("--sheet", help="The sheet of an .xlsx file (name or number); the first by default.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
@click.pass_obj
def load_table_cmd(settings: Settings, path: Path, mapping_ref: str, sheet: str | None, dry_run: bool) -> None:
    """Load a CSV or XLSX table: its columns become actors and relationships as a YAML mapping says.

    Every row is checked before anything is written; the file loads completely or not at
    all, and loading it again changes nothing (without even reading the rows when nothing was
    written to the graph since that load). Files of any size are streamed (.csv.gz
    too); lines, cells, decompressed sizes and the engine's memory have limits
    (TDI_MAX_LINE_BYTES, TDI_MAX_CELL_CHARS, TDI_MAX_DECOMPRESSED_MB; see the README).
    The engine's page memory starts at 512 MiB (TDI_LOAD_BUFFER_POOL_MB); a load that
    needs more is written again with a larger one, saying so on stderr.

    \b
    Example:
      tdi load table laureats.csv --mapping laureates
      tdi load table StockEtablissement_extrait.csv --mapping sirene --dry-run
      tdi load table suivi.xlsx --sheet 2024 --mapping my-mapping.yaml
    """
    from loaders.bounded import load_buffer_pool_mb
    from loaders.mapping import read_mapping
    from loaders.page_memory import GrowingPool
    from loaders.table_load import load_table, recorded_reload

    mapping = read_mapping(mapping_ref)
    result = recorded_reload(settings.db, path, mapping, sheet=sheet, dry_run=dry_run)
    if result is None:
        memory = None if dry_run else load_buffer_pool_mb()  # a load commits in parts; a dry run is one transaction
        opened = GrowingPool(lambda pool_mb: settings.open(buffer_pool_mb=pool_mb, defer_copy=True), memory, say=lambda line: click.echo(line, err=True))
        with opened as pool, progress_bar() as progress:
            result = pool.run(lambda graph: load_table(graph, path, mapping, sheet=sheet, dry_run=dry_run, progress=progress, reopen=pool.reopen))
    if result.empty:
        nothing_loaded(path, result.empty)
        return
    if result.replaced:
        click.echo(f"Warning: {path}: {result.replaced}.", err=True)
    if result.skipped:
        click.echo(f"{result.skipped} of {result.rows} rows left out by the mapping's where: filter.", err=True)
    report(result.stats, str(path), dry_run=dry_run)


@click.command("mappings")
@format_option("table", "json")
def mappings_cmd(fmt: str) -> None:
    """List the ready-made table mappings that "tdi load table --mapping NAME" accepts.

    \b
    Example:
      tdi mappings
    """
    from loaders.mapping import read_mapping, shipped_mappings

    rows = [{"name": name, "description": read_mapping(path).description, "file": str(path)} for name, path in shipped_mappings().items()]
    emit(rows, fmt, ["name", "description"] if fmt == "table" else ())
