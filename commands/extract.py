"""``tdi extract``: turn a French article about the programme into a facts file, and review it.

Example
-------
>>> from click.testing import CliRunner
>>> "--review" in CliRunner().invoke(extract_cmd, ["--help"]).output
True
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from commands.common import Settings, calendar_date, in_a_folder, report
from commands.outputs import is_stdout

__all__ = ["extract_cmd"]

_CHOICES = {"a": "accept", "n": "edit name", "k": "edit kind", "m": "merge with a graph actor", "r": "reject", "s": "keep pending"}


@click.command("extract")
@click.argument("path", metavar="FILE.txt|FILE.html|-")
@click.option("--title", help="The article's title (an HTML page gives its own).")
@click.option("--date", "date_", callback=calendar_date(day_only=True), metavar="YYYY-MM-DD", help="The article's date: relative dates count from it.")
@click.option("--url", help="Where the article was published.")
@click.option("--publisher", help="The newspaper or site.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=in_a_folder,
              help='Write the facts file here (default, or "-": stdout).')
@click.option("--review", is_flag=True, help="Go through the proposals one by one, then load them (needs a terminal).")
@click.pass_obj
def extract_cmd(settings: Settings, path: str, title: str | None, date_: str | None, url: str | None,
                publisher: str | None, output: Path | None, review: bool) -> None:  # fmt: skip
    """Propose the actors and relationships a French article states, as a facts file to load.

    Every proposal has its quote (with offsets in the text), a confidence, and a status:
    matched with an actor of the graph, or new with a proposed kind and key. Nothing is
    loaded without --review; "tdi load facts FILE" loads a file written here.

    \b
    Example:
      tdi extract article.txt --date 2024-03-12 --publisher "La Voix du Nord" -o facts.yaml
      tdi extract page.html --review
      curl -s https://… | tdi extract - -o facts.yaml
    """
    from loaders.extract.article import Extractor
    from loaders.extract.text import read_article

    output = None if is_stdout(output) else output
    article = read_article(path, title=title, date=date_, url=url, publisher=publisher)
    with _graph_to_match(settings) as graph:
        extractor = Extractor()
        if graph is not None:
            extractor.names(graph)  # read once, like the model, before the article's time starts
        extraction = extractor.extract(article, graph)
    _summary(extraction)
    if review and not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo("No terminal to review in: the proposals are written, nothing is loaded.", err=True)
        review = False
    if not review:
        _write(extraction, output)
        return
    _review_and_load(settings, extraction, output)


@contextmanager
def _graph_to_match(settings: Settings) -> Iterator[Any]:
    """The graph opened read-only to match names, or None when there is none yet (nothing is created)."""
    if "://" not in settings.db and not Path(settings.db).exists():
        click.echo(f"No graph at {settings.db} yet: every actor is proposed as new.", err=True)
        yield None
        return
    graph = settings.open(read_only=True)
    try:
        yield graph
    finally:
        graph.close()


def _summary(extraction: Any) -> None:
    matched = sum(1 for a in extraction.actors if a.match)
    pending = sum(1 for a in extraction.actors if not a.node_id)
    click.echo(
        f"{extraction.article.name}: {len(extraction.actors)} actors ({matched} matched, "
        f"{len(extraction.actors) - matched - pending} new, {pending} needing a key) and "
        f"{len(extraction.relations)} relationships in {extraction.seconds:.1f} s.",
        err=True,
    )
    if extraction.low_confidence:
        click.echo("Warning: the text does not read as French; every proposal is flagged low confidence.", err=True)
    from loaders.extract.namesakes import AmbiguousPlace

    for actor in [a for a in extraction.actors if isinstance(a, AmbiguousPlace)]:
        which = ", ".join(f"{c['id']} in {c['department']}" for c in actor.candidates)
        click.echo(f'Warning: "{actor.name}" names {len(actor.candidates)} communes ({which}) and the text does not say which: '
                   "left pending, with its candidates, for review.", err=True)  # fmt: skip


def _write(extraction: Any, output: Path | None) -> None:
    from loaders.extract.facts import write_facts

    text = write_facts(extraction, output)
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote {output}; load it with: tdi load facts {output}", err=True)


def _review_and_load(settings: Settings, extraction: Any, output: Path | None) -> None:
    import yaml

    from graph.writing import writing
    from loaders.extract.facts import facts_document, source_id
    from loaders.facts import read_facts
    from loaders.load import load_facts

    document = facts_document(extraction)
    with settings.open() as graph:
        _review(document, graph)
        path = output or Path(f"{source_id(extraction)}.facts.yaml")
        with writing(path):
            path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        stats = load_facts(graph, read_facts(path))
    report(stats, str(path))


def _review(document: dict[str, Any], graph: Any) -> None:
    """Ask about each actor, then each relationship; Ctrl-C or Ctrl-D (the end of the input) stops it
    with one ``Error:`` line saying where, and that nothing was written or loaded."""
    from loaders.extract import review

    actors = [*document["actors"], *document.get("pending", {}).get("actors", [])]
    step = "the start"
    try:
        for number, actor in enumerate(actors, 1):
            step = f"actor {number} of {len(actors)}"
            _show_actor(number, len(actors), actor)
            _decide(document, actor, graph, review)
        links = list(document["relationships"])  # those left with both ends
        for number, link in enumerate(links, 1):
            step = f"relationship {number} of {len(links)}"
            click.echo(f"[{number}/{len(links)}] {link['type']} {link['from']} -> {link['to']} {link.get('props', '')}", err=True)
            click.echo(f"  « {link['evidence'][0]['quote']} »", err=True)
            if click.prompt("  a)ccept r)eject", type=click.Choice(["a", "r"]), default="a", err=True) == "r":
                review.reject_link(document, link)
    except (click.Abort, KeyboardInterrupt):
        click.echo("", err=True)  # end the line of the question
        raise click.ClickException(f"Review stopped at {step} (Ctrl-C or Ctrl-D): the answers given are dropped, no facts file was "
                                   "written and nothing was loaded. Run it again, or leave out --review to write the proposals to a file.") from None


def _show_actor(number: int, total: int, actor: dict[str, Any]) -> None:
    info = actor["extraction"]
    where = actor.get("id") or f"{info.get('kind')}, needs {info.get('needs', 'a key')}"
    click.echo(f"[{number}/{total}] {info['status']} \"{actor['name']}\" ({where}), confidence {info['confidence']}", err=True)
    click.echo(f"  « {actor['evidence'][0]['quote']} »", err=True)
    for candidate in info.get("candidates", []):
        click.echo(f"  candidate: {candidate['id']} {candidate['name']}, {candidate['department']}", err=True)


def _decide(document: dict[str, Any], actor: dict[str, Any], graph: Any, review: Any) -> None:
    from graph.errors import TdiError

    while True:
        choice = click.prompt("  " + "  ".join(f"{k}) {v}" for k, v in _CHOICES.items()), type=click.Choice(list(_CHOICES)),
                              default="a" if actor.get("id") else "m", err=True)  # fmt: skip
        try:
            if choice == "a" and not actor.get("id"):
                review.set_key(document, actor, click.prompt("  key", err=True))
            elif choice == "n":
                review.rename(document, actor, click.prompt("  name", default=actor["name"], err=True))
            elif choice == "k":
                review.set_kind(document, actor, click.prompt("  kind", err=True), click.prompt("  key", default="", err=True) or None)
            elif choice == "m":
                _merge(document, actor, graph, review)
            elif choice == "r":
                review.reject(document, actor)
            elif choice == "s":
                review.defer(document, actor)
            return
        except TdiError as exc:
            click.echo(f"  {exc}", err=True)


def _merge(document: dict[str, Any], actor: dict[str, Any], graph: Any, review: Any) -> None:
    from queries.lookup import describe_actor, resolve_actor

    node_id = resolve_actor(graph, click.prompt("  id or name of the actor in the graph (tdi find)", err=True))
    review.merge(document, actor, node_id, describe_actor(graph, node_id)["name"])
