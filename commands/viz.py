"""``tdi viz …`` (network pages), ``tdi export …`` (files for other tools), ``tdi load json|csv``.

Each view command reads the graph, chooses what to show with one function of `viz.views`, and
draws it with `viz.pages.draw_page`; options shared by every view are declared once
(`view_options`). Actor ids or names are resolved with `queries.lookup.resolve_actor`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from commands.common import (
    SCOPE_HELP,
    LazyGroup,
    PhaseChoice,
    Settings,
    dry_run_option,
    in_a_folder,
    kind_list,
    pairs_option,
    report,
)
from commands.outputs import check_stdout, not_stdout, stdout_or_file, wrote
from commands.pictures import picture_options, write_pictures

__all__ = ["export", "load_csv_cmd", "load_json_cmd", "viz"]

SIZES = ("importance", "degree", "betweenness", "euros")
LOCAL_DEPTH = 2  # ego views up to this depth fetch only the neighbourhood
_XML_NOTE = "NUL and other characters XML cannot hold become U+FFFD"
EXPORT_HELP = {  # summary, example
    "graphml": (f"Write GraphML, for Gephi, Cytoscape, yEd and NetworkX (lists as JSON text; {_XML_NOTE}).", "tdi export graphml -o ti.graphml"),
    "gexf": (f"Write GEXF 1.2, for Gephi and NetworkX (lists as JSON text; the type as rel_type; {_XML_NOTE}).", "tdi export gexf -o ti.gexf"),
    "json": ("Write strict node-link JSON (NaN and infinity become null, with a warning); tdi load json reads it back.", "tdi export json -o ti.json"),
    "csv": ("Write a folder of CSV files in the neo4j-admin import format; tdi load csv reads it back.", "tdi export csv -o ti-csv/"),
    "cypher": ("Write a Cypher script that recreates the graph in Neo4j (cypher-shell -f FILE).", "tdi export cypher -o ti.cypher"),
}


def view_options(default_output: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every view takes: output, --open, filters, size, reduction."""
    options = [
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=in_a_folder, default=default_output,
                     show_default=True, help='The page to write ("-": stdout).'),
        click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser."),
        click.option("--region", help=SCOPE_HELP["region"]),
        click.option("--phase", type=PhaseChoice(), help=SCOPE_HELP["phase"]),
        click.option("--kinds", help=SCOPE_HELP["kinds"]),
        click.option(
            "--size", type=click.Choice(SIZES), default="importance", show_default=True,
            help="What sizes and ranks the actors (importance: what documents, tables and programmes say of them).",
        ),
        click.option("--max-nodes", type=click.IntRange(10), default=1500, show_default=True, help="Reduce larger views to this many actors."),
        click.option(
            "--reduce", type=click.Choice(["top", "communities"]), default="top", show_default=True,
            help="How: the top actors by --size, or one node per community.",
        ),
    ]
    return lambda f: picture_options(functools.reduce(lambda g, option: option(g), reversed(options), f))


def expand_option(*foldable: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--expand``, repeatable, for what the view folds by default (communes into their EPCI, sites into their programme)."""
    into = {"communes": "communes into their EPCI", "sites": "programme sites into their programme"}
    help_text = f"Draw the {' or the '.join(foldable)} themselves (by default {', '.join(into[f] for f in foldable)} are folded)."
    return click.option("--expand", type=click.Choice(foldable), multiple=True, help=help_text)


def _draw(settings: Settings, select: Callable[[Any], Any], title: str, what: str, opts: dict[str, Any],
          communities: str | None = None, focus: list[str] | None = None, foldable: tuple[str, ...] = (), local: bool = False,
          filtered: bool = False) -> None:  # fmt: skip
    """Read the part of the graph the view needs and choose the view (``select(graph)``), filter it, draw it.

    A view of the whole graph (`_whole`) is ``filtered`` already: it applied the filters before choosing.

    ``title`` and ``what`` name the actors ``select`` puts in ``focus`` ({0}, {1}) by their names;
    what ``foldable`` names is folded unless ``--expand`` says otherwise. A ``local`` view (one that
    reads only a neighbourhood) is read and drawn with the garbage collector paused (`collector_paused`).
    """
    from graph.collector import collector_paused

    check_stdout(opts["output"], svg=opts["svg"], open_page=opts["open_page"])
    with collector_paused() if local else contextlib.nullcontext():
        _draw_view(settings, select, title, what, opts, communities, focus, foldable, filtered)


def _draw_view(settings: Settings, select: Callable[[Any], Any], title: str, what: str, opts: dict[str, Any],
               communities: str | None, focus: list[str] | None, foldable: tuple[str, ...], filtered: bool) -> None:  # fmt: skip
    from viz.build import name_of
    from viz.pages import draw_page
    from viz.views import filter_view

    kinds = kind_list(opts["kinds"])
    region, name, placed = opts["region"], "", None
    with settings.open(read_only=True) as graph:
        G = select(graph)
        if region:  # a keyed lookup; a local view holds a part of the graph: where its actors lie is read from the store too
            from graph.regions import find_region, store_placement

            region, name = find_region(graph.run, region)
            placed = None if filtered else store_placement(graph, G)
    if focus:
        names = [name_of(G, node) for node in focus]
        title, what = title.format(*names), what.format(*names)
    unexpanded, limit = G.graph.get("unexpanded") or {}, G.graph.get("limit")
    if not filtered:
        G = filter_view(G, region=region, phase=opts["phase"], kinds=kinds, placed=placed)
    filters = {"region": f"{name} ({region})" if region else None, "phase": opts["phase"], "kinds": kinds}
    with stdout_or_file(opts["output"], "page.html") as path:
        page = draw_page(G, path, title=title, what=what, filters=filters, size=opts["size"], communities=communities,
                         max_nodes=opts["max_nodes"], reduce=opts["reduce"], fold=[f for f in foldable if f not in opts.get("expand", ())],
                         copy=False)  # fmt: skip
        click.echo(f"{wrote(opts['output'])} ({page.nodes} actors, {page.edges} links).", err=True)
        for notice in (page.notice, unexpanded and unexpanded_notice(unexpanded, limit)):
            if notice:
                click.echo(notice, err=True)
        write_pictures(page.path, opts["png"], opts["svg"])
    if opts["open_page"]:
        import webbrowser

        webbrowser.open(page.path.resolve().as_uri())


def unexpanded_notice(unexpanded: dict[str, int], limit: int) -> str:
    """Say which hubs a neighbourhood left unexpanded.

    >>> unexpanded_notice({"department:62": 894, "region:32": 140, "epci:1": 90, "epci:2": 80}, 5000)
    'Not expanded, to stay under 5000 actors: department:62 (894 ties), region:32 (140 ties), epci:1 (90 ties) and 1 more.'
    """
    ranked = sorted(unexpanded.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{node} ({ties} ties)" for node, ties in ranked[:3])
    more = f" and {len(ranked) - 3} more" if len(ranked) > 3 else ""
    return f"Not expanded, to stay under {limit} actors: {shown}{more}."


def _whole(view: Callable[[Any], Any], opts: dict[str, Any]) -> Callable[[Any], Any]:
    """A view of the whole graph: ``view`` of what ``--region``, ``--phase`` and ``--kinds`` keep of it.

    The filters come first, on the whole graph read into NetworkX: a region's places are found
    there, including those the view then leaves out (a region tied to nothing but its departments).
    """
    from viz.views import filter_view

    kinds = kind_list(opts["kinds"])
    return lambda graph: view(filter_view(graph.to_networkx(), region=opts["region"], phase=opts["phase"], kinds=kinds))


@click.group(cls=LazyGroup, lazy={"map": "commands.viz_map:viz_map"}, invoke_without_command=True)
@view_options("tdi-network.html")
@expand_option("communes", "sites")
@click.option("--all", "everything", is_flag=True, help="Keep the places tied only to the administrative map (a department tied only to its region).")
@click.pass_context
def viz(ctx: click.Context, everything: bool, **opts: Any) -> None:
    """Draw the graph as an interactive page that works offline (communes folded into their EPCI, programme sites into their programme); subcommands draw one part of it.

    \b
    Example:
      tdi viz -o network.html --region 32 --phase II
      tdi viz --region 32 --expand communes -o communes.html
      tdi viz --expand sites -o sites.html
      tdi viz ego operator:bpifrance --depth 2 -o bpifrance.html
    """
    if ctx.invoked_subcommand is not None:
        given = [name for name, value in ctx.params.items() if ctx.get_parameter_source(name).name != "DEFAULT"]
        if given:
            raise click.UsageError(_misplaced(ctx, given[0]))
        return
    from viz.views import actor_view

    what = "The actors and their ties" + ("" if everything else ", without places tied only to the administrative map")
    _draw(ctx.obj, _whole(lambda G: G if everything else actor_view(G, copy=False), opts), "Territoires d'industrie — actors and ties", what, opts,
          foldable=("communes", "sites"), filtered=True)  # fmt: skip


def _misplaced(ctx: click.Context, name: str) -> str:
    """Where the option ``name`` given before a view goes: after the view, if the view takes it at all."""
    option, view = max(next(p for p in ctx.command.params if p.name == name).opts, key=len), ctx.invoked_subcommand
    if any(option in p.opts for p in ctx.command.get_command(ctx, view).params):
        return f"Put the options after the view: tdi viz {view} … {option} …."
    return f'tdi viz {view} takes no {option} option: see "tdi viz {view} --help".'


@viz.command("ego")
@click.argument("actor", metavar="ID")
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="Ties away from the actor (up to 2, only that neighbourhood is read).")
@view_options("tdi-ego.html")
@click.pass_obj
def viz_ego(settings: Settings, actor: str, depth: int, **opts: Any) -> None:
    """Draw one actor (id or name) and everything within --depth ties of it.

    \b
    Example:
      tdi viz ego operator:banque-des-territoires --depth 2 -o bdt.html --open
    """
    from commands.local_views import ego_neighbourhood
    from graph.neighbourhood import LIMIT
    from queries.lookup import resolve_actor
    from viz.views import ego_view

    focus: list[str] = []

    def select(graph: Any) -> Any:
        focus.append(resolve_actor(graph, actor))
        # Up to 2 ties the neighbourhood stays small enough to fetch; deeper ones reach most of the graph.
        local = depth <= LOCAL_DEPTH
        G = ego_neighbourhood(graph, focus[0], depth, limit=max(LIMIT, opts["max_nodes"])) if local else graph.to_networkx()
        return ego_view(G, focus[0], depth=depth, copy=False)  # G was read for this view alone

    _draw(settings, select, "{0} and its ties", f"{{0}} and the actors within {depth} tie{'s' if depth > 1 else ''} of it", opts, focus=focus,
          local=depth <= LOCAL_DEPTH)  # fmt: skip


@viz.command("territory")
@click.argument("territory", metavar="ID")
@view_options("tdi-territory.html")
@expand_option("communes")
@click.pass_obj
def viz_territory(settings: Settings, territory: str, **opts: Any) -> None:
    """Draw a territory with its EPCI (communes folded in), funders, operators, projects, people and agreements.

    \b
    Example:
      tdi viz territory territory:I-ti-3204 -o bethune.html
      tdi viz territory "Béthune-Bruay" --expand communes
    """
    from commands.local_views import territory_neighbourhood
    from queries.lookup import resolve_actor
    from viz.views import territory_view

    focus: list[str] = []

    def select(graph: Any) -> Any:
        focus.append(resolve_actor(graph, territory))
        return territory_view(territory_neighbourhood(graph, focus[0]), focus[0])

    what = "The territory {0}: what it covers, what lies in it, who funds it"
    _draw(settings, select, "Territory {0}", what, opts, focus=focus, foldable=("communes",), local=True)


@viz.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@view_options("tdi-path.html")
@click.pass_obj
def viz_path(settings: Settings, source: str, target: str, **opts: Any) -> None:
    """Draw the shortest paths between two actors (ids or names).

    \b
    Example:
      tdi viz path operator:bpifrance region:32 -o path.html
    """
    from commands.local_views import path_neighbourhood
    from queries.lookup import resolve_actor
    from viz.views import path_view

    focus: list[str] = []

    def select(graph: Any) -> Any:
        focus.extend([resolve_actor(graph, source), resolve_actor(graph, target)])
        return path_view(path_neighbourhood(graph, *focus, plain=True), *focus)

    _draw(settings, select, "From {0} to {1}", "The shortest paths from {0} to {1}", opts, focus=focus, local=True)


@viz.command("query")
@click.argument("name")
@pairs_option("-p", "--param", "params", help="A parameter of the query (repeatable).")
@view_options("tdi-query.html")
@click.pass_obj
def viz_query(settings: Settings, name: str, params: dict[str, str], **opts: Any) -> None:
    """Draw the actors a named query returns, and the ties between them.

    \b
    Example:
      tdi viz query funders-of-territory -p territory=Béthune-Bruay -o funders.html
    """
    from graph.errors import TdiError
    from queries.registry import get_query
    from viz.views import ids_in_rows, nodes_view

    named = get_query(name)
    named.bind(params)

    def select(graph: Any) -> Any:
        G = graph.to_networkx()
        ids = ids_in_rows(named.run(graph, params), G)
        if not ids:
            raise TdiError(f'Query "{name}" returned no actor ids to draw. Check it with "tdi query run {name} …".')
        return nodes_view(G, ids)

    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    _draw(settings, select, named.title, f"{named.title} (query {name}{': ' + shown if shown else ''})", opts)


@viz.command("communities")
@click.option("--collapse", is_flag=True, help="Draw one node per community instead of colouring the actors.")
@view_options("tdi-communities.html")
@expand_option("communes", "sites")
@click.pass_obj
def viz_communities(settings: Settings, collapse: bool, **opts: Any) -> None:
    """Draw the actors coloured by community (Louvain, fixed seed), or one node per community.

    \b
    Example:
      tdi viz communities -o communities.html
      tdi viz communities --collapse --region 32
    """
    from viz.views import actor_view

    what = "Communities of actors (Louvain)" + (", one node each" if collapse else ", by colour")
    _draw(settings, _whole(lambda G: actor_view(G, copy=False), opts), "Communities of actors", what, opts, "collapse" if collapse else "colour",
          foldable=("communes", "sites"), filtered=True)  # fmt: skip


@click.group()
def export() -> None:
    """Write the whole graph to files other tools read."""


def _export_command(fmt: str) -> click.Command:
    summary, example = EXPORT_HELP[fmt]
    path_type = click.Path(file_okay=fmt != "csv", dir_okay=fmt == "csv", path_type=Path)

    @click.pass_obj
    def command(settings: Settings, output: Path) -> None:
        warn = lambda message: click.echo(f"Warning: {message}", err=True)
        with settings.open(read_only=True) as graph, stdout_or_file(output, f"graph.{fmt}") as path:
            nodes, relationships = _write_export(graph, fmt, path, warn)
        click.echo(f"{wrote(output)} ({nodes} nodes, {relationships} relationships).", err=True)

    command.__doc__ = f"{summary}\n\n\b\nExample:\n  {example}"
    # The csv folder is created with its parents; the other formats are one file, "-" for stdout.
    check = not_stdout("export csv writes a folder of files", give="a folder name", folder=False) if fmt == "csv" else in_a_folder
    where = "The folder to write." if fmt == "csv" else 'The file to write ("-": stdout).'
    option = click.option("-o", "--output", type=path_type, callback=check, required=True, help=where)
    return click.command(fmt)(option(command))


def _write_export(graph: Any, fmt: str, output: Path, warn: Callable[[str], None]) -> tuple[int, int]:
    """Write the export; JSON and GraphML stream from the store, the other formats go through NetworkX."""
    if fmt in ("json", "graphml"):
        from viz.node_link import export_streamed

        return export_streamed(graph, fmt, output, warn=warn)
    from viz.export import write_export

    G = graph.to_networkx()
    write_export(G, fmt, output, warn=warn)
    return G.number_of_nodes(), G.number_of_edges()


for _fmt in EXPORT_HELP:
    export.add_command(_export_command(_fmt))


@click.command("json")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@dry_run_option
@click.pass_obj
def load_json_cmd(settings: Settings, path: Path, dry_run: bool) -> None:
    """Load a node-link JSON file written by tdi export json (all of it, or nothing).

    \b
    Example:
      tdi load json ti.json
    """
    from loaders.graph_files import load_graph_records, read_node_link
    from loaders.session import write_or_preview

    records = read_node_link(path)
    with settings.open(defer_copy=True) as graph, write_or_preview(graph, dry_run=dry_run):
        stats = load_graph_records(graph, records)
    report(stats, str(path), dry_run=dry_run)


@click.command("csv")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@dry_run_option
@click.pass_obj
def load_csv_cmd(settings: Settings, folder: Path, dry_run: bool) -> None:
    """Load a folder of neo4j-admin CSV files written by tdi export csv (all of it, or nothing).

    \b
    Example:
      tdi load csv ti-csv/
    """
    from loaders.graph_files import load_graph_records, read_neo4j_csv
    from loaders.session import write_or_preview

    records = read_neo4j_csv(folder)
    with settings.open(defer_copy=True) as graph, write_or_preview(graph, dry_run=dry_run):
        stats = load_graph_records(graph, records)
    report(stats, str(folder), dry_run=dry_run)
