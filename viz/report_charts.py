"""One picture per table of an HTML report: a horizontal bar chart, as inline SVG (no network, no library).

`embed_charts` reads the tables the report was built from (``report["tables"]``: title, columns,
rows) and puts, under each table it knows how to chart (`CHARTS`: the label and the value
columns), a bar chart of its rows: central actors by degree, brokers by betweenness, communities
by size, co-funders by recipients shared. A table it does not know, or one without rows or
without its heading in the page, gets no chart.

Example
-------
>>> svg = bar_chart("Degree", [("France services", 1379), ("Villages d'avenir", 972)])
>>> svg.count("<rect class=")
2
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from graph.writing import writing

__all__ = ["CHARTS", "bar_chart", "embed_charts"]

CHARTS = {  # table title: (the columns that label a bar, the column of its value)
    "Most central actors": (("name",), "degree"),
    "Brokers": (("name",), "betweenness"),
    "Communities": (("key_members",), "size"),
    "Co-funders": (("name_a", "name_b"), "shared"),
}
_WIDTH, _LABEL, _ROW = 720, 260, 22


def bar_chart(title: str, bars: list[tuple[str, float]]) -> str:
    """An SVG of one bar per (label, value), longest first as given, with the value at the end of each bar."""
    top = max((v for _, v in bars), default=0) or 1
    height = 30 + _ROW * len(bars)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="tdi-chart" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" '
             f'height="{height}" role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="12">'),
             f'<text x="0" y="16" font-weight="bold">{_e(title)}</text>']  # fmt: skip
    for i, (label, value) in enumerate(bars):
        y = 26 + i * _ROW
        length = max(1.0, (_WIDTH - _LABEL - 70) * value / top)
        short = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f'<text x="{_LABEL - 6}" y="{y + 13}" text-anchor="end">{_e(short)}</text>'
                     f'<rect class="tdi-bar" x="{_LABEL}" y="{y + 2}" width="{length:.1f}" height="{_ROW - 6}" fill="#2c7fb8"/>'
                     f'<text x="{_LABEL + length + 5:.1f}" y="{y + 13}">{_e(_figure(value))}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def embed_charts(report_path: Path, report: dict[str, Any]) -> int:
    """Put a chart under each known table of the HTML report at ``report_path``; return how many were put."""
    text, put = report_path.read_text(encoding="utf-8"), 0
    for table in report.get("tables", []):
        chart = _chart_of(table)
        heading = f"<h2>{html.escape(table['title'])}</h2>"
        start = text.find(heading)
        end = text.find("</table>", start) if chart and start >= 0 else -1
        if end < 0:
            continue
        end += len("</table>")
        text = text[:end] + f'<figure class="tdi-report-chart">{chart}</figure>' + text[end:]
        put += 1
    with writing(report_path):
        report_path.write_text(text, encoding="utf-8")
    return put


def _chart_of(table: dict[str, Any]) -> str | None:
    labels, value = CHARTS.get(table.get("title", ""), ((), ""))
    if not value or not table.get("rows"):
        return None
    bars = []
    for row in table["rows"]:
        number = row.get(value)
        if isinstance(number, int | float) and not isinstance(number, bool):
            bars.append((" + ".join(_label(row.get(c)) for c in labels), float(number)))
    return bar_chart(f"{table['title']}: {value.replace('_', ' ')}", bars) if bars else None


def _label(value: Any) -> str:
    """A cell as a bar's label: a list (a community's key members) gives its first two."""
    return "; ".join(map(str, value[:2])) if isinstance(value, list | tuple) else str(value or "")


def _figure(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:.3g}"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)
