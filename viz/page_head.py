"""The start of every page tdi draws, network pages (`viz.network_page`) and the map (`viz.map_page`):
the head, with its content security policy, and the header's title.

Example
-------
>>> print(page_head(title="A &amp; B", generator="tdi viz map", styles=["body { margin: 0 }"]))  # doctest: +ELLIPSIS
<!DOCTYPE html>
...
<title>A &amp; B</title>
<style>body { margin: 0 }</style>
</head>
<body data-state="loading">
<header>
  <h1 id="tdi-title">A &amp; B</h1>
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["page_head"]

# A page runs offline: nothing is fetched, everything it needs is inlined.
_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{generator}">
<title>{title}</title>
{styles}
</head>
<body data-state="loading">
<header>
  <h1 id="tdi-title">{title}</h1>"""


def page_head(*, title: str, generator: str, styles: Iterable[str]) -> str:
    """The page up to its title in the header (the header left open); every value goes in as it is, escaped by the caller."""
    return _HEAD.format(title=title, generator=generator, styles="\n".join(f"<style>{css}</style>" for css in styles))
