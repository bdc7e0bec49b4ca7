"""Benchmark of the network page: file size, and time to render and settle in headless Chromium.

For synthetic graphs of 500, 1,500 and 5,000 actors shaped like the programme's (regions,
departments, EPCI, territories, operators, projects…), writes the page with `viz.pages.draw_page`
(``max_nodes`` raised so that nothing is reduced), then opens it in Chromium (networking
disabled) and waits until the page says it is ready (``body[data-state=ready]``: physics settled
and stopped). Prints one line per size: actors, links, file size, time to write the page, wall
time of Chromium minus that of a blank page, and the settle time the page measured itself.

    python bench/viz.py                 # 500, 1500, 5000
    python bench/viz.py 1500 3000       # other sizes
    python bench/viz.py --map GRAPH     # tdi viz map (and the report) on a real graph: bench/viz_map.py
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viz.pages import draw_page

SHARES = {"Region": 0.02, "Department": 0.08, "Epci": 0.35, "Territory": 0.2, "Company": 0.12, "Operator": 0.02,
          "Programme": 0.01, "Project": 0.12, "Person": 0.05, "Agreement": 0.03}  # fmt: skip
LINKS = [("Department", "Region", "IN_REGION"), ("Epci", "Department", "IN_DEPARTMENT"), ("Territory", "Epci", "COVERS"),
         ("Operator", "Territory", "SUPPORTS"), ("Company", "Project", "CARRIES"), ("Operator", "Project", "FUNDS"),
         ("Project", "Epci", "LOCATED_IN"), ("Person", "Epci", "HOLDS_ROLE"), ("Region", "Agreement", "SIGNED"),
         ("Territory", "Programme", "LABELLED")]  # fmt: skip
PROBE = """<script>
document.addEventListener("tdi:ready", function () {
  var pre = document.createElement("pre"); pre.id = "bench";
  pre.textContent = JSON.stringify({settled: window.tdiStabilizedMs, nodes: tdiNetwork.body.nodeIndices.length});
  document.body.appendChild(pre);
});
</script>
"""


def synthetic(size: int, seed: int = 1) -> nx.MultiDiGraph:
    """``size`` actors with about two ties each, and one source."""
    rng = random.Random(seed)
    counts = {kind: max(1, round(size * share)) for kind, share in SHARES.items()}
    counts["Epci"] += size - sum(counts.values())
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_node("source:s", kind="Source", key="s", name="Synthetic", date="2024")
    ids = {kind: [f"{kind.lower()}:{i}" for i in range(n)] for kind, n in counts.items()}
    for kind, nodes in ids.items():
        for i, node in enumerate(nodes):
            G.add_node(node, kind=kind, key=str(i), name=f"{kind} {i}", sources=["s"])
    for a, b, rel in LINKS:
        for u in ids[a]:
            for v in rng.sample(ids[b], k=min(2 if rel != "FUNDS" else 5, len(ids[b]))):
                amount = rng.choice([5e4, 1e6, 2e7]) if rel == "FUNDS" else None
                G.add_edge(u, v, key=rel, type=rel, sources=["s"], **({"amount_eur": amount} if amount else {}))
    return G


def chromium_run(chromium: str, page: Path, profile: Path) -> tuple[float, str]:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,800",
               "--virtual-time-budget=120000", "--dump-dom", page.as_uri()]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    return time.perf_counter() - started, done.stdout


def main(sizes: list[int]) -> None:
    chromium = next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None)
    if chromium is None:
        sys.exit("No Chromium on PATH: apt-get install chromium")
    folder = Path(tempfile.mkdtemp(prefix="tdi-bench-"))
    blank = folder / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title><p>blank</p>", encoding="utf-8")
    baseline, _ = chromium_run(chromium, blank, folder / "profile")
    print(f"Chromium start-up (blank page): {baseline:.2f} s")
    print(f"{'actors':>7} {'links':>7} {'file':>9} {'write':>7} {'render+settle':>14} {'in-page settle':>15}")
    for size in sizes:
        G = synthetic(size)
        started = time.perf_counter()
        page = draw_page(G, folder / f"page-{size}.html", title=f"{size} actors", what="Synthetic", max_nodes=size)
        written = time.perf_counter() - started
        page.path.write_text(page.path.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
        wall, dom = chromium_run(chromium, page.path, folder / "profile")
        found = re.search(r'<pre id="bench">\{"settled":(\d+),"nodes":(\d+)\}</pre>', dom)
        settled = f"{int(found.group(1)) / 1000:.2f} s" if found else "not ready"
        size_mb = page.path.stat().st_size / 1e6
        print(f"{page.nodes:>7} {page.edges:>7} {size_mb:>7.2f}MB {written:>6.2f}s {wall - baseline:>13.2f}s {settled:>15}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--map"]:
        from viz_map import main as map_main

        map_main(sys.argv[2])
    else:
        main([int(a) for a in sys.argv[1:]] or [500, 1500, 5000])
