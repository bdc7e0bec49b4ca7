"""One readable report on the actor network: key figures, findings in sentences, tables, sources.

`build_report` gathers plain data (centrality, brokers, communities, co-funding on the filtered
actor network); `render_markdown` and `render_html` write it; `write_report` does both and
picks the format from the file name.

Names, keys and URLs come from the graph, so both renderings escape them: in Markdown every
character that could start markup (``<img onerror…>``, ``[x](javascript:…)``, ``*``, ``|``…) is
backslash-escaped and line breaks become spaces; in HTML they are entity-escaped. Only an
``http``/``https`` URL becomes a link.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("operator:a", "project:p", "FUNDS"), ("operator:b", "project:p", "FUNDS")])
>>> nx.set_node_attributes(G, {"operator:a": "Operator", "operator:b": "Operator", "project:p": "Project"}, "kind")
>>> report = build_report(G, top=3)
>>> report["figures"][0], report["findings"][1]
(('Actors', 3), 'The most connected actor is project:p (Project), tied to 2 others; next come operator:a and operator:b.')
>>> render_markdown(report).splitlines()[0]
'# The actor network of Territoires d’industrie'
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from graph.writing import writing
from queries.brokerage import brokers
from queries.centrality import betweenness, betweenness_note, centrality, sample_size
from queries.communities import communities
from queries.network import DEFAULT_KINDS, analysis_graph, collapse, names_once
from queries.projections import cofunding

__all__ = ["build_report", "markdown_text", "network_report", "render_html", "render_markdown", "save_report", "write_report"]

_TABLES = {
    "Most central actors": ("centrality", ["rank", "name", "kind", "degree", "betweenness", "pagerank"]),
    "Brokers": ("brokers", ["rank", "name", "kind", "betweenness", "constraint", "effective_size", "brokerage"]),
    "Communities": ("communities", ["community", "size", "kinds", "regions", "key_members"]),
    "Co-funders": ("cofunding", ["name_a", "name_b", "shared", "recipients", "euros"]),
}


def _euros(value: float) -> str:
    return f"{value:,.0f} €".replace(",", " ")


def _share(value: float) -> str:
    """A share as a percentage, with two significant digits below 1%.

    >>> _share(0.46), _share(0.0012)
    ('46%', '0.12%')
    """
    return f"{value:.0%}" if value >= 0.01 else f"{value * 100:.2g}%"


def _scope(A: nx.MultiDiGraph, region: str | None, phase: str | None, as_of: str | None) -> str:
    parts = []
    if region:
        from graph.regions import region_key

        names = A.graph.get("region_names", {})
        code = region_key(region, [(key, name, None) for key, name in names.items()]) or region.split(":")[-1]
        parts.append(f"region {names[code] or f'region:{code}' if code in names else code}")
    if phase:
        parts.append(f"phase {phase}")
    if as_of:
        parts.append(f"as of {as_of}")
    return ", ".join(parts) or "whole graph"


def _figures(A: nx.MultiDiGraph) -> list[tuple[str, Any]]:
    components = sorted((len(c) for c in nx.weakly_connected_components(A)), reverse=True)
    n = A.number_of_nodes()
    figures: list[tuple[str, Any]] = [("Actors", n), ("Ties", A.number_of_edges())]
    figures += [
        ("Connected groups", len(components)),
        ("Share of actors in the largest group", f"{components[0] / n:.0%}" if n else "—"),
    ]
    figures += [(f"Actors of kind {k}", c) for k, c in Counter(str(d.get("kind")) for _, d in A.nodes(data=True)).most_common()]
    figures += [(f"Ties of type {t}", c) for t, c in Counter(str(k) for _, _, k in A.edges(keys=True)).most_common()]
    return figures


def _findings(A: nx.MultiDiGraph, parts: dict[str, dict[str, Any]]) -> list[str]:
    n = A.number_of_nodes()
    if not n:
        return ["No actor matches these filters."]
    components = sorted((len(c) for c in nx.weakly_connected_components(A)), reverse=True)
    groups = f"{len(components)} connected groups" if len(components) > 1 else "one connected group"
    found = [(f"The network has {n} actors and {A.number_of_edges()} ties in {groups}; "
              f"the largest gathers {components[0] / n:.0%} of the actors.")]  # fmt: skip
    by_degree = sorted(parts["centrality"]["rows"], key=lambda r: (-r["degree"], r["rank"]))
    first, *rest = by_degree
    next_ = " and ".join(names_once(A, [first["id"], *(r["id"] for r in rest[:4])])[1:3])  # not first's other phase
    found.append(f"The most connected actor is {first['name']} ({first['kind']}), tied to {first['degree']} others"
                 + (f"; next come {next_}." if next_ else "."))  # fmt: skip
    broker = parts["brokers"]["rows"][0]
    if broker["betweenness"]:
        found.append(f"The main broker is {broker['name']}: it lies on {_share(broker['betweenness'])} of the shortest paths "
                     f"between other actors, with a constraint of {broker['constraint']:.2f} (lower means more structural holes).")  # fmt: skip
    found.append(_community_finding(parts["communities"]))
    pairs = parts["cofunding"]["rows"]
    if pairs:
        p = pairs[0]
        found.append(f"The funders that share the most recipients are {p['name_a']} and {p['name_b']} "
                     f"({p['shared']} in common, {_euros(p['euros'])} stated between them).")  # fmt: skip
    else:
        found.append(f"No two funders share {parts['cofunding']['min_shared']} recipients or more in this network "
                     "(the programme that labels the territories does not count)" + _support_finding(A))  # fmt: skip
    return found


def _support_finding(A: nx.MultiDiGraph) -> str:
    """When no two funders share recipients, the end of the sentence: who shares them counting support."""
    pairs = cofunding(A, with_support=True, top=1)["rows"]
    if not pairs:
        return "."
    p = pairs[0]
    return (f"; counting support without an amount, {p['name_a']} and {p['name_b']} share the most: "
            f"{p['shared']} ({'; '.join(p['recipients'][:3])}{', …' if len(p['recipients']) > 3 else ''}).")


def _community_finding(part: dict[str, Any]) -> str:
    rows = part["rows"]
    if not rows:
        return "There are no communities to report."
    largest = rows[0]
    members = ", ".join(largest["key_members"][:3])
    return f"{part['notes'][0]} The largest, with {largest['size']} actors ({largest['kinds']}), centres on {members}."


def _sources(A: nx.MultiDiGraph) -> list[dict[str, Any]]:
    cited = Counter(s for _, _, d in A.edges(data=True) for s in d.get("sources") or [])
    documents = A.graph.get("documents", {})
    rows = []
    for key, count in sorted(cited.items(), key=lambda kv: (-kv[1], kv[0])):
        attrs = documents.get(f"source:{key}", {})
        rows.append(
            {"key": key, "name": attrs.get("name") or key, "date": attrs.get("date"), "url": attrs.get("url"), "ties": count}
        )
    return rows


def build_report(
    G: nx.MultiDiGraph, *, kinds: Sequence[str] = DEFAULT_KINDS, structure: bool = False, **options: Any
) -> dict[str, Any]:
    """The report's content as plain data: `network_report` of the actor network of ``G``.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The graph exported by ``to_networkx()`` or `graph.projection.project` (its `Source` nodes name the sources).
    kinds : sequence of str
        The kinds of actors analysed (see `queries.network.analysis_graph`).
    structure : bool
        Keep the programme hubs and the administrative map (left out by default, and the report says so).
    **options
        Those of `network_report`; ``region``, ``phase`` and ``as_of`` also cut the network analysed.

    Returns
    -------
    dict
        See `network_report`.
    """
    scope = {name: options.get(name) for name in ("region", "phase", "as_of")}
    return network_report(analysis_graph(G, kinds=kinds, structure=structure, **scope), **options)


def network_report(
    A: nx.MultiDiGraph,
    *,
    region: str | None = None,
    phase: str | None = None,
    as_of: str | None = None,
    top: int = 10,
    k: int | None = None,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The report on an actor network already cut (`queries.network.analysis_graph`, or its cache).

    Betweenness, the costliest measure, is computed once for the central actors and the brokers.

    Parameters
    ----------
    A : nx.MultiDiGraph
        The actor network; its graph attributes ``region_names`` and ``documents`` name the region and the sources.
    region, phase, as_of
        The filters ``A`` was cut by, as the report's scope states them.
    top : int
        Rows per table.
    k, seed : int, optional
        Betweenness sample size and seed; ``seed`` also seeds the communities.
    log : callable, optional
        Called with a message before a long computation starts.

    Returns
    -------
    dict
        ``title``, ``scope``, ``figures`` (label, value pairs), ``findings`` (sentences),
        ``tables`` (``{title, columns, rows}``), ``sources`` (``{key, name, date, url, ties}``),
        ``notes`` (how figures were computed), ``left_out`` (a sentence, or ``None``).
    """
    S = collapse(A)
    if log and sample_size(S, k=k):
        log(betweenness_note(S, k=k, seed=seed))
    between = betweenness(S, k=k, seed=seed)
    parts = {
        "centrality": centrality(A, by="degree", k=k, seed=seed, known_betweenness=between),
        "brokers": brokers(A, top=top, k=k, seed=seed, known_betweenness=between),
        "communities": communities(A, top=top, seed=seed),
        "cofunding": cofunding(A, top=top),
    }
    findings = _findings(A, parts)
    parts["centrality"]["rows"] = parts["centrality"]["rows"][:top]
    tables = [{"title": title, "columns": cols, "rows": parts[part]["rows"]} for title, (part, cols) in _TABLES.items()]
    notes = list(dict.fromkeys(note for part in parts.values() for note in part["notes"]))
    return {
        "title": "The actor network of Territoires d’industrie", "scope": _scope(A, region, phase, as_of),
        "figures": _figures(A), "findings": findings, "tables": tables, "sources": _sources(A), "notes": notes,
        "left_out": A.graph.get("left_out"),
    }  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", " ") if abs(value) >= 1000 else f"{value:.4g}"
    return "" if value is None else str(value)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: title, scope, findings, figures, tables, sources, method notes.

    >>> hostile = "<img src=x onerror=alert(1)> funds [me](javascript:alert(1))"
    >>> report = {"title": "T", "scope": "all", "findings": [hostile], "figures": [], "tables": [], "sources": [], "notes": []}
    >>> render_markdown(report).split("\\n")[6]
    '- \\\\<img src=x onerror=alert(1)\\\\> funds \\\\[me\\\\](javascript:alert(1))'
    """
    md = markdown_text
    lines = [f"# {report['title']}", "", f"*Scope: {md(report['scope'])}.*", ""]
    lines += [f"*{md(report['left_out'])}*", ""] if report.get("left_out") else []
    lines += ["## Key findings", ""]
    lines += [f"- {md(sentence)}" for sentence in report["findings"]] + ["", "## Figures", "", "| figure | value |", "|---|---|"]
    lines += [f"| {md(name)} | {md(value)} |" for name, value in report["figures"]]
    for table in report["tables"]:
        lines += ["", f"## {table['title']}", ""]
        if not table["rows"]:
            lines.append("None.")
            continue
        lines += ["| " + " | ".join(table["columns"]) + " |", "|" + "---|" * len(table["columns"])]
        lines += ["| " + " | ".join(md(row.get(c)) for c in table["columns"]) + " |" for row in table["rows"]]
    lines += ["", "## Sources", ""]
    lines += [f"- {md(s['name'])}" + (f" ({md(s['date'])})" if s["date"] else "") + (f", {_markdown_url(s['url'])}" if s["url"] else "")
              + f" — {_markdown_code(s['key'])}, {s['ties']} ties" for s in report["sources"]] or ["None cited."]  # fmt: skip
    lines += ["", "## Method", ""] + [f"- {md(note)}" for note in report["notes"]]
    lines.append(f"\n*Written by tdi on {date.today().isoformat()}.*")
    return "\n".join(lines) + "\n"


_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^(\d*)([#+\-=.)])(?=[\s\-=]|$)")  # a heading, list item or rule at a list item's start
_HTTP_URL = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)


def markdown_text(value: Any) -> str:
    """``value`` as Markdown text that renders as itself: markup characters escaped, one line.

    >>> markdown_text("a|b *c* <b>\\n# d")
    'a\\\\|b \\\\*c\\\\* \\\\<b\\\\> # d'
    >>> markdown_text("1. Nord"), markdown_text("# Nord"), markdown_text("---"), markdown_text(0.25)
    ('1\\\\. Nord', '\\\\# Nord', '\\\\---', '0.25')
    """
    text = _MARKUP.sub(r"\\\1", _BREAKS.sub(" ", _text(value)).strip())
    return _LINE_START.sub(r"\1\\\2", text)


def _markdown_url(url: str) -> str:
    """An http(s) URL as an autolink; anything else (``javascript:``…) as plain text."""
    return f"<{url}>" if _HTTP_URL.fullmatch(url) else markdown_text(url)


def _markdown_code(text: str) -> str:
    """``text`` as a code span whose fence is longer than any run of backticks in it."""
    text = _BREAKS.sub(" ", text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


# svg: the map and the charts shrink to a narrow window rather than lose their right side (Corsica)
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}"
          "table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
          "text-align:left;vertical-align:top}th{background:#f3f3f3}"
          "svg{max-width:100%;height:auto}")  # fmt: skip


class _Html(str):
    """Text already written as HTML."""


def _html_url(url: str | None) -> str:
    """An http(s) URL as a link; anything else (``javascript:``…) as text."""
    if url and _HTTP_URL.fullmatch(url):
        return _Html(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
    return url or ""


def _html_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    cell = lambda v: v if isinstance(v, _Html) else html.escape(_text(v))
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page (no external resources)."""
    esc = html.escape
    parts = [f"<h1>{esc(report['title'])}</h1>", f"<p><em>Scope: {esc(report['scope'])}.</em></p>"]
    parts += [f"<p><em>{esc(report['left_out'])}</em></p>"] if report.get("left_out") else []
    parts.append("<h2>Key findings</h2><ul>")
    parts += [f"<li>{esc(s)}</li>" for s in report["findings"]] + ["</ul><h2>Figures</h2>"]
    parts.append(_html_table(["figure", "value"], report["figures"]))
    for table in report["tables"]:
        parts.append(f"<h2>{esc(table['title'])}</h2>")
        rows = [[row.get(c) for c in table["columns"]] for row in table["rows"]]
        parts.append(_html_table(table["columns"], rows) if rows else "<p>None.</p>")
    parts.append("<h2>Sources</h2>")
    parts.append(
        _html_table(["source", "date", "url", "ties"], [[s["name"], s["date"], _html_url(s["url"]), s["ties"]] for s in report["sources"]])
    )
    parts += ["<h2>Method</h2><ul>"] + [f"<li>{esc(n)}</li>" for n in report["notes"]] + ["</ul>"]
    parts.append(f"<p><small>Written by tdi on {date.today().isoformat()}.</small></p>")
    head = f'<meta charset="utf-8"><title>{esc(report["title"])}</title><style>{_STYLE}</style>'
    return f'<!doctype html>\n<html lang="en"><head>{head}</head><body>{"".join(parts)}</body></html>\n'


def write_report(G: nx.MultiDiGraph, path: str | Path, **options: Any) -> dict[str, Any]:
    """Build the report and write it to ``path``: HTML for ``.html``/``.htm``, Markdown otherwise.

    ``options`` are those of `build_report`; the report's data is returned.
    """
    return save_report(build_report(G, **options), path)


def save_report(report: dict[str, Any], path: str | Path) -> dict[str, Any]:
    """Write ``report`` (`network_report`) to ``path``: HTML for ``.html``/``.htm``, Markdown otherwise; returns it."""
    path = Path(path)
    text = render_html(report) if path.suffix.lower() in (".html", ".htm") else render_markdown(report)
    with writing(path):
        path.write_text(text, encoding="utf-8")
    return report
