"""``tdi path`` (chains of relationships between two actors) and ``tdi analyze …`` (network measures).

Every analysis reads the slim graph of `graph.projection` (cached on disk while the graph is
unchanged), builds the actor network with `queries.network.analysis_graph`
(cut by ``--region``, ``--phase``, ``--as-of``, ``--kinds``; cached too, so the report and the
other analyses share it) and calls one function of `queries`; rows go to stdout, notes on how they were computed (sample sizes, seeds) to stderr.
``tdi path`` exits with 1 and a one-line message, without ``Error:``, when there is no path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from commands.common import (
    SCOPE_HELP,
    PhaseChoice,
    Settings,
    calendar_date,
    echo_json,
    emit,
    format_option,
    in_a_folder,
    kind_list,
)
from commands.outputs import stdout_or_file, wrote
from graph.backend import is_neo4j_url

__all__ = ["analyze", "path"]

_date = calendar_date()


def _decorate(options: list[Callable[..., Any]]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return lambda f: functools.reduce(lambda g, option: option(g), reversed(options), f)


_kinds = click.option("--kinds", help=SCOPE_HELP["kinds"] + " Default: every kind but communes, departments, sites, documents.")
_region = click.option("--region", help=SCOPE_HELP["region"])
_structure = click.option(
    "--include-structure", is_flag=True,
    help="Keep the programme that labels the territories, the administrative map (IN_REGION, IN_DEPARTMENT, IN_EPCI) "
    "and programme lists (LABELLED, PRESENT_IN); left out by default.",
)  # fmt: skip
_top = click.option("--top", type=click.IntRange(1), help="Only the first N rows.")
network_options = _decorate([
    _region,
    click.option("--phase", type=PhaseChoice(), help=SCOPE_HELP["phase"]),
    click.option("--as-of", "as_of", callback=_date, metavar="DATE", help=SCOPE_HELP["as_of"]),
    _kinds,
])  # fmt: skip
sample_options = _decorate([
    click.option("--sample", type=click.IntRange(1), metavar="K", help="Estimate betweenness from K sampled actors (default: exact up to 2000 actors)."),
    click.option("--seed", type=int, default=7, show_default=True, help="Seed of everything random (samples, communities)."),
])  # fmt: skip


def _network(settings: Settings, filters: dict[str, Any], *, say_left_out: bool = True) -> Any:
    """The actor network, read from the graph and cut by the filters; what was left out is said on stderr."""
    from queries.network import DEFAULT_KINDS, analysis_graph

    kinds = kind_list(filters.pop("kinds")) or DEFAULT_KINDS
    structure = filters.pop("include_structure", True)
    build = lambda: analysis_graph(_projection(settings), kinds=kinds, structure=structure, **filters)
    if is_neo4j_url(settings.db):
        A = build()
    else:
        import queries.network
        from graph.nxcache import cached
        from graph.projection import __file__ as projection_code
        from graph.scope import __file__ as scope_code
        from graph.structure import __file__ as structure_code

        # The actor network itself is cached too, for these filters: a second analysis neither reads nor cuts the graph.
        code = [Path(queries.network.__file__), Path(projection_code), Path(scope_code), Path(structure_code)]
        A = cached(settings.db, "network", build, parts=(list(kinds), sorted(filters.items()), structure), code=code)
    if A.graph.get("left_out") and say_left_out:
        click.echo(A.graph["left_out"], err=True)
    return A


def _projection(settings: Settings) -> Any:
    """The graph with only what analyses read (`graph.projection`), from the disk cache when unchanged."""
    from graph.projection import project

    with settings.open(read_only=True) as graph:
        return project(graph)


def _logger() -> Callable[[str], None]:
    """A function that prints each message once on stderr: analyses call it before a long computation."""
    said: set[str] = set()

    def log(message: str) -> None:
        if message not in said:
            said.add(message)
            click.echo(message, err=True)

    return log


def _emit(
    result: dict[str, Any], fmt: str, log: Callable[[str], None], columns: list[str] | None = None, rows: str = "rows"
) -> None:
    """Rows on stdout (with their header in CSV, even with none); the notes on how they were computed on stderr (each once)."""
    emit(result[rows], fmt, columns or result.get("columns", {}).get(rows, ()))
    for note in result.get("notes", []):
        log(note)


# ---------------------------------------------------------------- tdi path


@click.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-length", type=click.IntRange(1), default=6, show_default=True, help="Give up beyond this many steps.")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest path (up to 100), not just one.")
@format_option("table", "json", "csv")
@click.pass_obj
def path(settings: Settings, source: str, target: str, max_length: int, all_paths: bool, fmt: str) -> None:
    """Show the shortest chains of relationships between two actors (ids or names), with their sources.

    Exits with 1 when there is no path within --max-length steps, saying whether a longer one may help.

    \b
    Example:
      tdi path operator:bpifrance "Xavier Bertrand" --all
    """
    from commands.local_views import path_neighbourhood
    from queries.lookup import resolve_actor
    from queries.paths import NOT_ACTORS, no_path_note, path_rows, shortest_paths

    with settings.open(read_only=True) as graph:
        ends = resolve_actor(graph, source), resolve_actor(graph, target)
        if ends[0] == ends[1]:
            raise click.UsageError(f"FROM and TO are the same actor, {ends[0]}: give two actors to join.")
        G = path_neighbourhood(graph, *ends, max_length=max_length, exclude_kinds=NOT_ACTORS, plain=True)
    paths = shortest_paths(G, *ends, max_length=max_length, all_paths=all_paths)
    if fmt == "json":
        echo_json(paths)
    elif paths:
        emit(path_rows(paths), fmt)
    if not paths:
        click.echo(no_path_note(G, *ends, max_length), err=True)
        raise click.exceptions.Exit(1)


# ---------------------------------------------------------------- tdi analyze


@click.group()
def analyze() -> None:
    """Measure the actor network: centrality, brokers, communities, co-funding, changes, a report.

    \b
    Example:
      tdi analyze brokers --region 32 --top 10
    """


@analyze.command()
@network_options
@_structure
@click.option(
    "--by",
    type=click.Choice(["degree", "betweenness", "pagerank"]),
    default="degree",
    show_default=True,
    help="What ranks the actors.",
)
@sample_options
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def centrality(settings: Settings, by: str, sample: int | None, seed: int, top: int | None, fmt: str, **filters: Any) -> None:
    """Rank actors by degree (distinct partners), betweenness and PageRank.

    Left out by default: the programme that labels the territories and the administrative map (see --include-structure).

    \b
    Example:
      tdi analyze centrality --phase II --by betweenness --top 20
    """
    from queries.centrality import centrality as measure

    log = _logger()
    _emit(measure(_network(settings, filters), by=by, top=top, k=sample, seed=seed, log=log), fmt, log)


@analyze.command()
@network_options
@_structure
@click.option(
    "--by", type=click.Choice(["kind", "region"]), default="kind", show_default=True, help="Groups of the Gould–Fernandez roles."
)
@sample_options
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def brokers(settings: Settings, by: str, sample: int | None, seed: int, top: int | None, fmt: str, **filters: Any) -> None:
    """Find who bridges separate groups: betweenness, Burt's constraint and effective size, brokerage roles.

    Left out by default: the programme that labels the territories and the administrative map (see --include-structure).

    \b
    Example:
      tdi analyze brokers --region 32 --by region --top 10
    """
    from queries.brokerage import brokers as measure

    log = _logger()
    _emit(measure(_network(settings, filters), by=by, top=top, k=sample, seed=seed, log=log), fmt, log)


@analyze.command()
@network_options
@_structure
@click.option(
    "--method",
    type=click.Choice(["louvain", "leiden", "label-propagation"]),
    default="louvain",
    show_default=True,
    help="Louvain (NetworkX), Leiden (needs a NetworkX backend), or label propagation (fast on large graphs).",
)
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Above 1: smaller communities.")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed: the same seed gives the same communities.")
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def communities(settings: Settings, method: str, resolution: float, seed: int, top: int | None, fmt: str, **filters: Any) -> None:
    """Find communities of actors with their size, dominant kinds and regions, and key members.

    Left out by default: the programme that labels the territories and the administrative map (see --include-structure).

    \b
    Example:
      tdi analyze communities --seed 7 --top 10
    """
    from queries.communities import communities as detect

    log = _logger()
    result = detect(_network(settings, filters), method=method, resolution=resolution, seed=seed, top=top, log=log)
    _emit(result, fmt, log, ["community", "size", "kinds", "regions", "key_members", "key_member_ids"])


@analyze.command()
@network_options
@_structure
@click.option(
    "--min-shared", type=click.IntRange(1), default=2, show_default=True,
    help="Pairs sharing at least this many recipients (the programme that labels the territories does not count).",
)  # fmt: skip
@click.option("--with-support", is_flag=True, help="Count SUPPORTS (support without amount) as funding.")
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def cofunding(settings: Settings, min_shared: int, with_support: bool, top: int | None, fmt: str, **filters: Any) -> None:
    """List pairs of funders that fund the same recipients, with what they share and the euros stated.

    Left out by default: the programme that labels the territories and the administrative map (see --include-structure).

    \b
    Example:
      tdi analyze cofunding --with-support --format csv
    """
    from queries.projections import cofunding as project

    _emit(project(_network(settings, filters), min_shared=min_shared, with_support=with_support, top=top), fmt, _logger())


@analyze.command()
@network_options
@click.option(
    "--min-shared", type=click.IntRange(1), default=1, show_default=True, help="Pairs sharing at least this many partners."
)
@click.option(
    "--max-shared-by", type=click.IntRange(2), default=500, show_default=True, help="Leave out partners tied to more members."
)
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def comembership(settings: Settings, min_shared: int, max_shared_by: int, top: int | None, fmt: str, **filters: Any) -> None:
    """List pairs of EPCI or territories that share partners (actors of other kinds tied to both).

    \b
    Example:
      tdi analyze comembership --phase I --min-shared 2
    """
    from queries.projections import comembership as project

    result = project(_network(settings, filters), min_shared=min_shared, max_shared_by=max_shared_by, top=top)
    _emit(result, fmt, _logger())


@analyze.command()
@click.option("--region", help="Only the communes and EPCI of this region (INSEE code, id or name).")
@click.option("--phase", type=PhaseChoice(), help="Only this phase's territories of industry (code ti).")
@click.option("--programme", "programmes", multiple=True, metavar="CODE", help="Only these programmes (pvd, fs, ti…; repeat it).")
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def overlap(settings: Settings, region: str | None, phase: str | None, programmes: tuple[str, ...], top: int | None, fmt: str) -> None:
    """Tabulate programme × programme the communes and EPCI they share, with Jaccard and lift.

    Territoires d'industrie is the programme ti; the others are ANCT's codes ("tdi load programmes").

    \b
    Example:
      tdi analyze overlap --phase II --programme ti --programme pvd --programme fs
      tdi analyze overlap --region 32 --format csv
    """
    from queries.overlap import programme_overlap

    with settings.open(read_only=True) as graph:
        result = programme_overlap(graph, region=region, phase=phase, programmes=programmes)
    result["rows"] = result["rows"][:top] if top else result["rows"]
    _emit(result, fmt, _logger())


@analyze.command()
@click.option("--phase", "phases", multiple=True, type=PhaseChoice(), help="A phase to compare (give two).")
@click.option("--as-of", "dates", multiple=True, callback=_date, metavar="DATE", help="A date to compare (give two).")
@_region
@_kinds
@click.option("--ties", is_flag=True, help="List the ties that appeared or disappeared rather than the actors.")
@sample_options
@_top
@format_option("table", "csv", "json")
@click.pass_obj
def compare(settings: Settings, phases: tuple[str, ...], dates: tuple[str, ...], ties: bool, sample: int | None, seed: int,
            top: int | None, fmt: str, region: str | None, kinds: str | None) -> None:  # fmt: skip
    """Compare two phases or two dates: who entered, left, gained or lost centrality; which ties changed.

    \b
    Example:
      tdi analyze compare --phase I --phase II --top 20
      tdi analyze compare --as-of 2020 --as-of 2025 --ties
    """
    from queries.compare import compare_snapshots
    from queries.network import DEFAULT_KINDS

    if (len(phases), len(dates)) not in ((2, 0), (0, 2)):
        raise click.UsageError("Give two phases (--phase I --phase II) or two dates (--as-of 2020 --as-of 2025).")
    G = _projection(settings)
    chosen = kind_list(kinds) or DEFAULT_KINDS
    log = _logger()
    result = compare_snapshots(G, phases=phases, dates=dates, kinds=chosen, region=region, top=top, k=sample, seed=seed, log=log)
    _emit(result, fmt, log, rows="ties" if ties else "actors")


@analyze.command()
@network_options
@_structure
@sample_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Rows per table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=in_a_folder, default="tdi-report.md", show_default=True,
              help='The report: HTML for .html, Markdown otherwise ("-": Markdown on stdout).')  # fmt: skip
@click.pass_obj
def report(settings: Settings, sample: int | None, seed: int, top: int, output: Path, **filters: Any) -> None:
    """Write one report to send: key figures, findings in sentences, tables of actors, the sources.

    Left out by default: the programme that labels the territories and the administrative map (see --include-structure).

    \b
    Example:
      tdi analyze report --region 32 --phase II -o hauts-de-france.html
    """
    from queries.report import network_report, save_report

    scope = {name: filters[name] for name in ("region", "phase", "as_of")}
    network = _network(settings, filters, say_left_out=False)  # the report states it
    with stdout_or_file(output, "report.md") as path:  # a report on stdout is Markdown
        written = save_report(network_report(network, top=top, k=sample, seed=seed, log=_logger(), **scope), path)
        if path.suffix.lower() in (".html", ".htm"):
            from graph.scope import phase_on
            from viz.report_charts import embed_charts
            from viz.report_map import embed_map

            embed_charts(path, written)
            phase = filters.get("phase") or phase_on(filters.get("as_of"))  # the territories labelled that day
            with settings.open(read_only=True) as graph:
                embed_map(graph, path, phase=phase, region=filters.get("region"))
    click.echo(f"{wrote(output)}: {len(written['findings'])} findings, {written['figures'][0][1]} actors.", err=True)
