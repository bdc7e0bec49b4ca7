"""One call from a view to a published page: size, colour, reduce, caption, render.

`draw_page` is what every ``tdi viz`` command calls with the view it chose (`viz.views`): it
measures the actors, reduces a view larger than ``max_nodes`` (`viz.reduce`), colours or
collapses communities, writes a caption naming what is shown, the filters, the data vintage
and the sources, and renders the offline page (`viz.html.render_html`).

Example
-------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph([("operator:bpifrance", "region:32")])
>>> page = draw_page(G, pathlib.Path(tempfile.mkdtemp()) / "p.html", title="Two", what="Two actors")
>>> page.nodes, page.reduced
(2, False)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import SchemaError
from viz.build import build_vis_data, kind_of
from viz.fold import fold_communes, fold_sites
from viz.html import render_html
from viz.importance import importance, stated_actors
from viz.measures import MEASURES, actors_of, community_of, size_measure
from viz.reduce import DEFAULT_MAX_NODES, collapse_communities, top_view

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["COMMUNITY_MODES", "REDUCTIONS", "Page", "caption_for", "draw_page"]

COMMUNITY_MODES = ("colour", "collapse")
REDUCTIONS = ("top", "communities")


@dataclass(frozen=True)
class Page:
    """A page written: where, how many actors and links it draws, and what it left out."""

    path: Path
    nodes: int
    edges: int
    notice: str = ""

    @property
    def reduced(self) -> bool:
        """Whether actors were left out to keep the page usable."""
        return bool(self.notice)

    def _repr_html_(self) -> str:
        """The page inside Jupyter: an iframe holding the whole file (it needs nothing else)."""
        import html

        page = html.escape(self.path.read_text(encoding="utf-8"), quote=True)
        return f'<iframe srcdoc="{page}" style="width: 100%; height: 720px; border: 0"></iframe>'


def draw_page(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str,
    what: str,
    filters: Mapping[str, Any] | None = None,
    size: str = "importance",
    communities: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    reduce: str = "top",
    fold: Collection[str] = (),
    seed: int = 7,
    copy: bool = True,
) -> Page:
    """Draw the view ``G`` into an offline page at ``path``.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The view (from `viz.views`), with its `Source` nodes.
    path : str or Path
        The HTML file to write.
    title, what : str
        The page's title, and one sentence saying what it shows (the caption starts with it).
    filters : mapping, optional
        The filters that made the view (``{"region": "32"}``), named in the caption.
    size : {"importance", "degree", "betweenness", "euros"}
        What sizes and ranks the actors (see `viz.measures.size_measure`); labels follow importance.
    communities : {None, "colour", "collapse"}
        Colour actors by Louvain community, or draw one node per community.
    max_nodes : int, default 1,500
        Above this many actors the view is reduced before drawing, and the page says how.
    reduce : {"top", "communities"}
        The reduction: the top actors by ``size`` (those stated by documents or tables first),
        or one node per community.
    fold : collection of {"communes", "sites"}
        Fold communes into their EPCI, sites into their programme, first (`viz.fold`); the notice says so.
    seed : int
        Seed of the communities and of the layout.
    copy : bool, default True
        False: ``G`` may be changed (folded in place), which spares a copy of a large view.

    Returns
    -------
    Page

    Raises
    ------
    SchemaError
        An unknown ``size``, ``communities`` or ``reduce``.
    TdiError
        The file cannot be written.
    """
    _check(size, MEASURES, "--size")
    _check(reduce, REDUCTIONS, "--reduce")
    if communities is not None:
        _check(communities, COMMUNITY_MODES, "communities")
    G, folded = _folded(G, fold, copied=not copy)
    count = len(actors_of(G))
    color_by: Mapping[Any, int] | None
    label_by: Mapping[Any, float] | None
    if communities == "collapse" or (count > max_nodes and reduce == "communities"):
        H, size_by, color_by, notice = _collapsed(G, max_nodes, seed, reduced=count > max_nodes)
        label_by = None
    else:
        values = size_measure(G, size, seed=seed)
        H, notice = top_view(G, values, max_nodes=max_nodes, measure=size, keep=stated_actors(G), copy=False)  # H is only read
        size_by, color_by = values, (community_of(H, seed=seed) if communities == "colour" else None)
        label_by = values if size == "importance" else importance(H)
    caption = caption_for(G, what=what, filters=filters or {}, size=size if size_by is not None else "")
    notice = " ".join(part for part in (folded, notice, "" if count else _nothing_left(G, filters or {})) if part)
    data = build_vis_data(H, title=title, caption=caption, size_by=size_by or "members", color_by=color_by, notice=notice,
                          label_by=label_by)  # fmt: skip
    render_html(data, path, seed=seed)
    return Page(Path(path), len(data.nodes), len(data.edges), notice)


def _folded(G: nx.MultiDiGraph, fold: Collection[str], *, copied: bool) -> tuple[nx.MultiDiGraph, str]:
    """``G`` with what ``fold`` names folded (communes first, so that sites re-attach to EPCI), and the sentences that say so.

    Unless ``copied`` (``G`` is ours to change), ``G`` is copied once, by the first fold that folds anything.
    """
    said = []
    for what, folder, into, counter in (("communes", fold_communes, "EPCI", "folded_communes"),
                                        ("sites", fold_sites, "programmes", "folded_sites")):  # fmt: skip
        if what not in fold:
            continue
        H, count = folder(G, copy=not copied)  # the caller's view is copied once, then folded in place
        copied, G = copied or H is not G, H
        if count:
            targets = sum(1 for _, n in G.nodes(data=counter) if n)
            things = "communes" if what == "communes" else "programme sites"
            into = into if targets > 1 or into == "EPCI" else "programme"
            said.append(f"{count:,} {things} are folded into their {targets:,} {into} (--expand {what} draws them).")
    return G, " ".join(said)


def _collapsed(G: nx.MultiDiGraph, max_nodes: int, seed: int, *, reduced: bool) -> tuple[nx.MultiDiGraph, None, dict[str, int], str]:
    membership = community_of(G, seed=seed)
    C = collapse_communities(G, membership, max_nodes=max_nodes)
    for n, data in G.nodes(data=True):
        if kind_of(n, data) == "Source":
            C.add_node(n, **data)
    count, groups = len(membership), len(set(membership.values()))
    notice = f"One node per community: {count:,} actors in {groups:,} communities (Louvain, seed {seed})."
    if groups > max_nodes:
        notice += f" Only the {max_nodes:,} largest communities are drawn."
    if reduced:
        notice = f"This view has {count:,} actors, more than {max_nodes:,}. " + notice
    notice += " Draw the actors themselves with tdi viz communities (colour only), or narrow the view with --region, --phase, --kinds."
    return C, None, {n: int(n.partition(":")[2]) - 1 for n in C if str(n).startswith("community:")}, notice


def caption_for(G: nx.MultiDiGraph, *, what: str, filters: Mapping[str, Any], size: str = "") -> str:
    """The caption of a page: what it shows, the filters, the sizing, the data vintage and the sources.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("source:s", kind="Source", key="s", name="Bilan", date="2019-09")
    >>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France", sources=["s"])
    >>> caption_for(G, what="One region", filters={"phase": "II"}, size="degree")
    'One region. Filters: phase II. Size: degree. Data: 1 source, dated 2019 (Bilan).'
    """
    parts = [what.rstrip(".") + "."]
    shown = {k: v for k, v in filters.items() if v not in (None, "", (), [])}
    if shown:
        parts.append("Filters: " + ", ".join(f"{k} {_named(G, k, v)}" for k, v in shown.items()) + ".")
    if size:
        parts.append(f"Size: {size}.")
    parts.append(_sources_sentence(G))
    return " ".join(parts)


def _nothing_left(G: nx.MultiDiGraph, filters: Mapping[str, Any]) -> str:
    """What to say of a view that its filters left empty (nothing when no filter was given)."""
    shown = {k: v for k, v in filters.items() if v not in (None, "", (), [])}
    if not shown:
        return ""
    named = ", ".join(f"{k} {_named(G, k, v)}" for k, v in shown.items())
    return f"Nothing of this view is left by its filters ({named}): the page is empty."


def _sources_sentence(G: nx.MultiDiGraph) -> str:
    cited = {str(s) for _, d in G.nodes(data=True) for s in d.get("sources") or []}
    cited |= {str(s) for *_, d in G.edges(data=True) for s in d.get("sources") or []}
    found = {str(d.get("key")): d for n, d in G.nodes(data=True) if kind_of(n, d) == "Source" and str(d.get("key")) in cited}
    if not cited:
        return "Data: no sources cited."
    years = sorted({m for d in found.values() for m in re.findall(r"\b(1[89]\d\d|20\d\d)\b", f"{d.get('date', '')} {d.get('vintage', '')}")})
    vintage = f", dated {years[0]}" + (f" to {years[-1]}" if years[-1] != years[0] else "") if years else ""
    names = sorted(str(d.get("name") or k) for k, d in found.items())
    listed = f" ({'; '.join(_clip(n, 60) for n in names)})" if 0 < len(names) <= 2 else ", listed under Sources" if names else ""
    plural = "s" if len(cited) > 1 else ""
    return f"Data: {len(cited)} source{plural}{vintage}{listed}."


def _check(value: str, choices: tuple[str, ...], name: str) -> None:
    if value not in choices:
        raise SchemaError(f'{name} is "{value}"; use one of: {", ".join(choices)}.')


def _named(G: nx.MultiDiGraph, name: str, value: Any) -> str:
    """A filter's value as the caption shows it: a region by its name and code ("Hauts-de-France (32)")."""
    text = _text(value)
    if name == "region":
        node = text if text in G else f"region:{text}"
        if node in G and G.nodes[node].get("name"):
            return f"{G.nodes[node]['name']} ({str(node).partition(':')[2]})"
    return text


def _text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
