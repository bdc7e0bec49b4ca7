"""``tdi viz map``: the territories of industry as polygons, coloured by a measure (`viz.map_page`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from commands.common import PhaseChoice, Settings, in_a_folder
from commands.outputs import check_stdout, stdout_or_file, wrote
from commands.pictures import picture_options, write_pictures
from graph.backend import is_neo4j_url

__all__ = ["viz_map"]

MEASURES = ("programmes", "degree", "betweenness", "euros", "projects")


@click.command("map")
@click.option(
    "--phase",
    type=PhaseChoice(),
    default="II",
    show_default=True,
    help="The phase whose territories are drawn.",
)
@click.option("--region", help="Only the territories that lie in this region (INSEE code, id or name), framed to fill the map.")
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="programmes",
    show_default=True,
    help="What colours the territories: other ANCT programmes present, neighbours, betweenness, euros, projects.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=in_a_folder, default="tdi-map.html",
              show_default=True, help='The page to write ("-": stdout).')
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@picture_options
@click.pass_obj
def viz_map(
    settings: Settings, phase: str, region: str | None, measure: str, output: Path, open_page: bool, png: Path | None, svg: Path | None
) -> None:
    """Draw the territories of industry as a map (offline SVG): colour by a measure, hover for figures, click for ties.

    \b
    Example:
      tdi viz map --phase II --measure programmes -o map.html --png map.png
      tdi viz map --phase I --measure betweenness --open
      tdi viz map --region 32 -o hauts-de-france-map.html
    """
    from viz.map_data import map_data
    from viz.map_page import render_map
    from viz.map_svg import HEIGHT, WIDTH

    check_stdout(output, svg=svg, open_page=open_page)
    with settings.open(read_only=True) as graph:
        scores = territory_betweenness(settings, graph) if measure == "betweenness" else None
        data = map_data(graph, phase=phase.upper(), measure=measure, betweenness=scores, region=region)
    with stdout_or_file(output, "map.html") as path:
        page = render_map(data, path)
        click.echo(f"{wrote(output)} ({page.territories} territories).", err=True)
        if page.notice:
            click.echo(page.notice, err=True)
        write_pictures(page.path, png, svg, own_svg=(page.svg, (WIDTH, HEIGHT)))
    if open_page:
        import webbrowser

        webbrowser.open(page.path.resolve().as_uri())


def territory_betweenness(settings: Settings, graph: Any) -> dict[str, float]:
    """Each territory's betweenness in the map's actor network (`viz.map_data.actor_network`), with NumPy.

    The same figures as NetworkX's (300 sampled sources above 600 actors, seed 7) in a tenth of
    the time (`queries.centrality.betweenness`), cached per graph state on an embedded graph.
    """
    import queries.brandes
    import queries.centrality
    import viz.map_data
    from viz.measures import BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_MAX

    def build() -> dict[str, float]:
        U = viz.map_data.actor_network(graph)
        sample = None if len(U) <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLE
        scores = queries.centrality.betweenness(U, k=sample, seed=7)
        return {key: round(score, 6) for (kind, key), score in scores.items() if kind == "Territory"}

    if is_neo4j_url(settings.db):
        return build()
    from graph.nxcache import cached

    code = [Path(module.__file__ or "") for module in (queries.brandes, queries.centrality, viz.map_data)]
    return cached(settings.db, "map-betweenness", build, parts=(BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_MAX), code=code)
