"""The HTML of a network page, written with plain string formatting (no template engine to import).

Every value is escaped (``markupsafe.escape``: ``&``, ``<``, ``>``, ``"`` and ``'``) unless it is
already ``Markup`` (the inlined scripts and stylesheets, the JSON payload). Jinja cost 0.1 s of
import and template compiling for each page; this is the same page, byte for byte.

Example
-------
>>> page = network_page(title="A & B", caption="", notice="", legend=[], groups=[], sources=[], node_count=0,
...                     edge_count=0, vis_version="9.1.2", payload="{}", vis_js="", vis_css="", page_js="", page_css="")
>>> "<title>A &amp; B</title>" in page
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import escape

from viz.page_head import page_head

__all__ = ["network_page"]

_SEARCH = """
</header>
<main>
  <aside>
    <form id="tdi-search-form" role="search" autocomplete="off">
      <label for="tdi-search">Find an actor</label>
      <div class="tdi-row">
        <input id="tdi-search" type="search" list="tdi-names" placeholder="Name or alias">
        <button type="submit">Find</button>
      </div>
      <datalist id="tdi-names"></datalist>
      <p id="tdi-search-status" aria-live="polite"></p>
    </form>
    <fieldset id="tdi-legend">
      <legend>Kinds (untick to hide)</legend>"""

_KIND = """
      <label class="tdi-kind">
        <input type="checkbox" checked data-kind="{kind}">
        <span class="tdi-swatch tdi-shape-{shape}" style="background-color: {color}"></span>
        <span class="tdi-kind-name">{kind}</span>
        <span class="tdi-kind-count">{count}</span>
      </label>"""

_GROUP = """
        <li class="tdi-group" title="{name}: {top}, {count} actors"><span class="tdi-swatch tdi-shape-dot" style="background-color: {color}"></span>
          <span class="tdi-group-text"><span class="tdi-group-top">{top}</span>
          <span class="tdi-group-name">{name}</span></span> <span class="tdi-kind-count">{count}</span></li>"""

_DETAILS = """
    <section id="tdi-details" aria-live="polite" hidden>
      <h2 id="tdi-details-name"></h2>
      <p id="tdi-details-kind"></p>
      <ul id="tdi-details-links"></ul>
    </section>
    <p class="tdi-help">Hover over an actor or a link for its details and sources; click it for links to its sources. Scroll to zoom, drag to move.</p>"""

_TAIL = """
  </aside>
  <div id="tdi-network" aria-label="Network of actors"></div>
</main>
<script type="application/json" id="tdi-data">{payload}</script>
<script>{vis_js}</script>
<script>{page_js}</script>
</body>
</html>"""


def network_page(*, title: str, caption: str, notice: str, legend: Sequence[Mapping[str, Any]], groups: Sequence[Mapping[str, Any]],
                 sources: Sequence[Mapping[str, Any]], node_count: int, edge_count: int, vis_version: str, payload: str,
                 vis_js: str, vis_css: str, page_js: str, page_css: str) -> str:  # fmt: skip
    """The page: header (title, caption, counts, notice), the side panel (search, legend, communities, details, sources), the network.

    ``payload``, ``vis_js``, ``vis_css``, ``page_js`` and ``page_css`` go in as they are when they
    are ``Markup`` (`viz.html` makes them so), escaped otherwise; everything else is escaped.
    """
    e = escape
    generator = f"tdi (vis-network {e(vis_version)} through pyvis)"
    parts = [page_head(title=e(title), generator=generator, styles=[e(vis_css), e(page_css)])]
    if caption:
        parts.append(f'\n  <p id="tdi-caption">{e(caption)}</p>')
    parts.append(f'\n  <p id="tdi-counts">{e(node_count)} actors · {e(edge_count)} links</p>')
    if notice:
        parts.append(f'\n  <p id="tdi-notice" role="note">{e(notice)}</p>')
    parts.append(_SEARCH)
    parts += [_KIND.format(**{k: e(item[k]) for k in ("kind", "shape", "color", "count")}) for item in legend]
    parts.append('\n      <button type="button" id="tdi-show-all">Show all</button>\n    </fieldset>')
    if groups:
        parts.append('\n    <section id="tdi-groups">\n      <h2>Communities (most central actor, size)</h2>\n      <ol>')
        parts += [_GROUP.format(**{k: e(group[k]) for k in ("name", "top", "count", "color")}) for group in groups]
        parts.append("\n      </ol>\n    </section>")
    parts.append(_DETAILS)
    if sources:
        parts.append(f'\n    <details id="tdi-sources">\n      <summary>Sources ({e(len(sources))})</summary>\n      <ul>')
        parts += [f"\n        <li>{_source(source)}</li>" for source in sources]
        parts.append("\n      </ul>\n    </details>")
    parts.append(_TAIL.format(payload=e(payload), vis_js=e(vis_js), page_js=e(page_js)))
    return "".join(parts)


def _source(source: Mapping[str, Any]) -> str:
    """A source's label, linked when its address is a web one."""
    if source["url"].startswith(("https://", "http://")):
        return f'<a href="{escape(source["url"])}" rel="noopener noreferrer" target="_blank">{escape(source["label"])}</a>'
    return str(escape(source["label"]))
