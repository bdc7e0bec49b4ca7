"""``tdi analyze report`` writes hostile names and URLs as text: no raw HTML, only http(s) links.

The names and URLs are loaded with ``tdi load facts``; the Markdown report is rendered by a
CommonMark renderer that accepts any link (markdown-it-py, if installed) and the HTML of both
reports is parsed to list every tag and link.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cli import cli

FACTS = """\
sources:
  - id: s-one
    name: "<script>alert(1)</script> *report*"
    type: manual
    url: "javascript:alert(1)"
  - id: s-two
    name: "[a link](javascript:alert(2))"
    type: manual
    url: "https://example.org/doc?a=1&b=2"
actors:
  - id: operator:op-a
    name: "<img src=x onerror=alert(1)>"
    evidence: [{source: s-one, quote: "x"}]
  - id: operator:op-b
    name: "[click](javascript:alert(1)) | *b* _c_ `d` <javascript:alert(3)> ![i](x.png)"
    evidence: [{source: s-one, quote: "x"}]
  - id: project:p1
    name: "# Heading & <b>bold</b> &lt;i&gt;"
    evidence: [{source: s-two, quote: "x"}]
relationships:
  - {type: FUNDS, from: operator:op-a, to: project:p1, props: {amount_eur: 1000}, evidence: [{source: s-one, quote: "x"}]}
  - {type: FUNDS, from: operator:op-b, to: project:p1, props: {amount_eur: 2000}, evidence: [{source: s-two, quote: "x"}]}
"""
NAMES = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1)) | *b* _c_ `d` <javascript:alert(3)> ![i](x.png)",
         "# Heading & <b>bold</b> &lt;i&gt;", "<script>alert(1)</script> *report*", "[a link](javascript:alert(2))"]  # fmt: skip
# What Markdown or HTML structure a report may produce; anything else came from the data.
REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "em", "small", "ul", "li", "table", "thead",
               "tbody", "tr", "th", "td", "a", "code",
               "section", "div", "figure", "svg", "g", "rect", "path", "text"}  # fmt: skip  (the map and charts: inline SVG)


class Page(HTMLParser):
    """The tags, link targets and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(folder / "graph"), "load", "facts", str(folder / "facts.yaml")])
    assert result.exit_code == 0, result.output
    return folder / "graph"


def report(runner, db: Path, path: Path) -> str:
    result = runner.invoke(cli, ["--db", str(db), "analyze", "report", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def assert_only_text(page: Page) -> None:
    assert page.tags <= REPORT_TAGS, page.tags - REPORT_TAGS
    assert page.links == ["https://example.org/doc?a=1&b=2"]
    text = "".join(page.text)
    for name in NAMES:
        assert name in text


def test_markdown_report_escapes_names_and_urls(runner, hostile_db: Path, tmp_path: Path) -> None:
    markdown = report(runner, hostile_db, tmp_path / "r.md")
    assert not re.search(r"(?<!\\)<(img|script|b>|javascript:)", markdown)  # only escaped: \<img
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
    assert "<https://example.org/doc?a=1&b=2>" in markdown
    markdown_it = pytest.importorskip("markdown_it")
    renderer = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    renderer.validateLink = lambda url: True  # a renderer that trusts every link: only escaping protects it
    assert_only_text(Page(renderer.render(markdown)))


def test_html_report_escapes_names_and_links_only_http(runner, hostile_db: Path, tmp_path: Path) -> None:
    page = Page(report(runner, hostile_db, tmp_path / "r.html"))
    assert_only_text(page)
    assert "javascript:alert(1)" in "".join(page.text)  # shown as text
