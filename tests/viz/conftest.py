"""A headless Chromium that runs a script in a page and hands back what it found.

No extra dependency: the test copies the page, adds a script that waits until the network has
stabilised, runs the test's JavaScript and writes the result as JSON into ``<pre id="tdi-test">``;
the browser gives the DOM back after the virtual-time budget, and we read the JSON. A first script,
placed before the page's own, records errors, ``console.error`` calls, ``alert`` calls and refused
requests. One browser serves the whole session (``devtools.py``), each page in a fresh context.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from tests.viz.devtools import Chromium

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--mute-audio",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1280,800",
)

HOOKS = """<script>
window.__tdi = {errors: [], alerts: [], refused: []};
window.addEventListener("error", function (e) { __tdi.errors.push(String(e.message)); });
window.addEventListener("unhandledrejection", function (e) { __tdi.errors.push(String(e.reason)); });
(function (original) {
  console.error = function () { __tdi.errors.push([].join.call(arguments, " ")); original.apply(console, arguments); };
})(console.error);
window.alert = function (message) { __tdi.alerts.push(String(message)); };
document.addEventListener("securitypolicyviolation", function (e) { __tdi.refused.push(e.violatedDirective + " " + e.blockedURI); });
</script>
"""

PROBE = """<script>
(function () {
  function finish(result) {
    var pre = document.createElement("pre");
    pre.id = "tdi-test";
    pre.textContent = JSON.stringify({
      result: result,
      errors: __tdi.errors,
      alerts: __tdi.alerts,
      refused: __tdi.refused,
      requests: performance.getEntriesByType("resource").map(function (r) { return r.name; }),
      state: document.body.dataset.state
    });
    document.body.appendChild(pre);
  }
  function run() {
    (async function () { %s
    })().then(finish, function (e) { finish({testError: String(e && e.stack || e)}); });
  }
  if (document.body.dataset.state === "ready") { run(); } else { document.addEventListener("tdi:ready", run); }
})();
</script>
"""


@dataclass
class PageRun:
    """What a script found in a page, with what the page recorded and its console lines."""

    result: Any
    errors: list[str]
    alerts: list[str]
    refused: list[str]
    requests: list[str]
    state: str
    dom: str
    log: str

    def console_errors(self) -> list[str]:
        """The page's console lines (``devtools.py``) that report an error."""
        return [line for line in self.log.splitlines() if "CONSOLE" in line and re.search(r"Uncaught|Error", line)]


def find_chromium() -> str | None:
    """The first Chromium (or Chrome) on PATH."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _instrument(page: str, script: str) -> str:
    head, sep, rest = page.partition("</head>")
    assert sep, "the page has no </head>"
    body, sep, tail = (head + HOOKS + sep + rest).rpartition("</body>")
    assert sep, "the page has no </body>"
    return body + PROBE % script + sep + tail


def _parse(dom: str, console: str, browser_log: str) -> PageRun:
    found = re.search(r'<pre id="tdi-test">(.*?)</pre>', dom, re.DOTALL)
    if not found:
        raise AssertionError(f"the test script wrote no result; the page's console:\n{console}\nChromium's log ends with:\n{browser_log}")
    report = json.loads(html.unescape(found.group(1)))
    return PageRun(dom=dom, log=console, **report)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """One headless Chromium for the session's pages (launching one costs about a second of CPU)."""
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium); the browser tests need one")
    browser = Chromium(binary, tmp_path_factory.mktemp("chromium") / "profile", FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def run_page(chromium: Chromium, tmp_path: Path) -> Callable[..., PageRun]:
    """Run ``script`` (the body of an async JS function) in the page at ``path`` once it is ready."""

    def run(path: Path, script: str = "return null;", *, budget_ms: int = 5000, screenshot: Path | None = None) -> PageRun:
        copy = tmp_path / f"probe-{path.name}"
        copy.write_text(_instrument(path.read_text(encoding="utf-8"), script), encoding="utf-8")
        dom, console = chromium.open(copy.as_uri(), budget_ms=budget_ms, screenshot=screenshot)
        if screenshot:
            return PageRun(None, [], [], [], [], "", "", console)
        return _parse(dom, console, chromium.log_tail())

    return run


@pytest.fixture(scope="session")
def policy_graph() -> Callable[..., nx.MultiDiGraph]:
    """A maker of synthetic graphs shaped like the programme's: ``size`` actors, with a source."""
    return _policy_graph


_SHARES = {
    "Region": 0.06,
    "Department": 0.1,
    "Epci": 0.3,
    "Territory": 0.2,
    "Company": 0.12,
    "Operator": 0.04,
    "Programme": 0.03,
    "Project": 0.08,
    "Person": 0.04,
    "Agreement": 0.03,
}
_LINKS = [
    ("Department", "Region", "IN_REGION"),
    ("Epci", "Department", "IN_DEPARTMENT"),
    ("Territory", "Epci", "COVERS"),
    ("Operator", "Territory", "FUNDS"),
    ("Company", "Project", "CARRIES"),
    ("Operator", "Project", "FUNDS"),
    ("Person", "Region", "HOLDS_ROLE"),
    ("Region", "Agreement", "SIGNED"),
    ("Territory", "Programme", "LABELLED"),
]


def _policy_graph(size: int = 200, *, seed: int = 1) -> nx.MultiDiGraph:
    counts = {kind: max(1, round(size * share)) for kind, share in _SHARES.items()}
    counts["Epci"] += size - sum(counts.values())  # exactly ``size`` drawn actors (size >= 20)
    rng = random.Random(seed)
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:seed-1", kind="Source", key="seed-1", name="Un premier bilan", publisher="La Gazette", date="2019-09")
    ids = {kind: [f"{kind.lower()}:{kind.lower()}-{i}" for i in range(n)] for kind, n in counts.items()}
    for kind, nodes in ids.items():
        for i, node in enumerate(nodes):
            G.add_node(node, kind=kind, key=node.partition(":")[2], name=f"{kind} {i} é", sources=["seed-1"])
    for a, b, rel in _LINKS:
        for u in ids[a]:
            for v in rng.sample(ids[b], k=min(2, len(ids[b]))):
                amount = rng.choice([None, 5e4, 1e6, 2e7]) if rel == "FUNDS" else None
                G.add_edge(u, v, key=rel, type=rel, sources=["seed-1"], **({"amount_eur": amount} if amount else {}))
    return G
