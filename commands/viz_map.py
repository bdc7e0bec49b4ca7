"""``tdi viz map``: the territories of industry as polygons, coloured by a measure (`viz.map_page`)."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import Settings
from commands.pictures import picture_options, write_pictures

__all__ = ["viz_map"]

MEASURES = ("programmes", "degree", "betweenness", "euros", "projects")


@click.command("map")
@click.option(
    "--phase",
    type=click.Choice(["I", "II"], case_sensitive=False),
    default="II",
    show_default=True,
    help="The phase whose territories are drawn.",
)
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="programmes",
    show_default=True,
    help="What colours the territories: other ANCT programmes present, neighbours, betweenness, euros, projects.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default="tdi-map.html", show_default=True)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@picture_options
@click.pass_obj
def viz_map(
    settings: Settings, phase: str, measure: str, output: Path, open_page: bool, png: Path | None, svg: Path | None
) -> None:
    """Draw the territories of industry as a map (offline SVG): colour by a measure, hover for figures, click for ties.

    \b
    Example:
      tdi viz map --phase II --measure programmes -o map.html --png map.png
      tdi viz map --phase I --measure betweenness --open
    """
    from viz.map_data import map_data
    from viz.map_page import render_map
    from viz.map_svg import HEIGHT, WIDTH

    with settings.open(read_only=True) as graph:
        data = map_data(graph, phase=phase.upper(), measure=measure)
    page = render_map(data, output)
    click.echo(f"Wrote {page.path} ({page.territories} territories).", err=True)
    if page.notice:
        click.echo(page.notice, err=True)
    write_pictures(page.path, png, svg, own_svg=(page.svg, (WIDTH, HEIGHT)))
    if open_page:
        import webbrowser

        webbrowser.open(page.path.resolve().as_uri())
