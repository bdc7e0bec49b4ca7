"""Benchmark of the network page: file size, and time to render and settle in headless Chromium.

For synthetic graphs of 500, 1,500 and 5,000 actors shaped like the programme's (regions,
departments, EPCI, territories, operators, projects…), writes the page with `viz.pages.draw_page`
(``max_nodes`` raised so that nothing is reduced), then opens it in Chromium (networking
disabled) and waits until the page says it is ready (``body[data-state=ready]``: physics settled
and stopped). Prints one line per size: actors, links, file size, time to write the page, wall
time of Chromium minus that of a blank page, and the settle time the page measured itself.

With ``--db``, times instead the local views and lookups analysts wait for (`LOCAL_COMMANDS`) on
that graph, each as its own ``tdi`` process: CPU, wall time and peak memory of the whole process,
the median of ``--runs`` runs, with an empty export cache (``TDI_CACHE_DIR``) for the first run
and the cache it left for the others ("cold" and "warm").

    python bench/viz.py                 # 500, 1500, 5000
    python bench/viz.py 1500 3000       # other sizes
    python bench/viz.py --db /work/fullgraph/full --runs 3
    python bench/viz.py --map GRAPH     # tdi viz map (and the report) on a real graph: bench/viz_map.py
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from process_time import time_process

from viz.pages import draw_page

LOCAL_COMMANDS = [
    ["--help"],
    ["show", "operator:banque-des-territoires"],
    ["path", "commune:2A004", "commune:97101"],
    ["path", "operator:banque-des-territoires", "region:32"],
    ["viz", "ego", "operator:banque-des-territoires", "-o", "{out}/ego1.html"],
    ["viz", "ego", "operator:banque-des-territoires", "--depth", "2", "-o", "{out}/ego2.html"],
    ["viz", "ego", "region:32", "--depth", "2", "-o", "{out}/ego-region.html"],
    ["viz", "territory", "territory:II-ti-3205", "-o", "{out}/territory.html"],
    ["viz", "territory", "territory:I-ti-3204", "-o", "{out}/bethune.html"],
    ["viz", "path", "operator:banque-des-territoires", "region:32", "-o", "{out}/path.html"],
]

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


def tdi() -> str:
    """The ``tdi`` script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("tdi")
    return str(beside) if beside.exists() else (shutil.which("tdi") or "tdi")


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak MiB of one process."""
    t = time_process(args, env=env)
    if t.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return t.cpu, t.wall, t.peak_mib


def local_commands(db: str, runs: int) -> None:
    """Time each of `LOCAL_COMMANDS` on ``db``: the first run with an empty export cache, the others warm."""
    with tempfile.TemporaryDirectory(prefix="tdi-bench-") as scratch:
        _time_local_commands(db, runs, Path(scratch))


def _time_local_commands(db: str, runs: int, folder: Path) -> None:
    print(f"{'command':<72} {'cold CPU':>8} {'CPU s':>7} {'wall s':>7} {'peak MiB':>9}")
    for command in LOCAL_COMMANDS:
        cache = tempfile.mkdtemp(prefix="cache-", dir=folder)
        env = {**os.environ, "TDI_CACHE_DIR": cache}
        args = [tdi(), "--db", db, *(a.format(out=folder) for a in command)]
        cold = measure(args, env)
        warm = [measure(args, env) for _ in range(max(runs - 1, 1))]
        cpu, wall = statistics.median(r[0] for r in warm), statistics.median(r[1] for r in warm)
        shown = "tdi " + " ".join(a.replace("{out}/", "") for a in command)
        print(f"{shown:<72} {cold[0]:8.2f} {cpu:7.2f} {wall:7.2f} {max(r[2] for r in [cold, *warm]):9.0f}", flush=True)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="synthetic page sizes (default 500 1500 5000)")
    parser.add_argument("--db", help="time the local commands on this graph instead")
    parser.add_argument("--map", metavar="GRAPH", help="time tdi viz map (and the report) on this graph (bench/viz_map.py)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if options.map:
        from viz_map import main as map_main

        map_main(options.map)
    elif options.db:
        local_commands(options.db, options.runs)
    else:
        main(options.sizes or [500, 1500, 5000])
