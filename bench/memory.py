"""Peak memory of the commands that read the whole graph into memory, per 100k relationships.

Each command runs as its own process on GRAPH with an empty cache directory, so that the graph is
built from the store's rows, as on Neo4j (an embedded graph read again is taken from the disk
cache instead: less CPU, about the same memory). The in-Python part (rows, then a NetworkX
graph) is the same on both backends. Prints, per command: peak resident memory, that minus the
peak of ``tdi stats`` (the process, the engine and the code: what a command adds by reading the
graph), and that per 100k relationships, with CPU and wall time.

Usage::

    python bench/memory.py /work/fullgraph/full2            # every command below
    python bench/memory.py GRAPH --only "analyze centrality"
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_time import REPO, tdi_command, time_process

OUT = Path(tempfile.gettempdir()) / "tdi-bench-memory"
COMMANDS = {
    "stats": ["stats"],
    "find": ["find", "Béthune"],
    "analyze centrality": ["analyze", "centrality"],
    "analyze brokers": ["analyze", "brokers"],
    "analyze communities": ["analyze", "communities"],
    "analyze cofunding": ["analyze", "cofunding"],
    "analyze comembership": ["analyze", "comembership"],
    "analyze compare": ["analyze", "compare", "--phase", "I", "--phase", "II"],
    "analyze report": ["analyze", "report", "-o", str(OUT / "report.md")],
    "viz": ["viz", "-o", str(OUT / "viz.html")],
    "viz communities": ["viz", "communities", "-o", str(OUT / "communities.html")],
    "viz query": ["viz", "query", "territories-by-phase", "-p", "phase=II", "-o", str(OUT / "query.html")],
    "export json": ["export", "json", "-o", str(OUT / "g.json")],
    "export graphml": ["export", "graphml", "-o", str(OUT / "g.graphml")],
    "export gexf": ["export", "gexf", "-o", str(OUT / "g.gexf")],
    "export csv": ["export", "csv", "-o", str(OUT / "csv")],
    "export cypher": ["export", "cypher", "-o", str(OUT / "g.cypher")],
}


def relationships(db: str) -> int:
    """How many relationships the graph holds (``tdi stats --format json``)."""
    done = subprocess.run(tdi_command("--db", db, "stats", "--format", "json"), cwd=REPO, capture_output=True, text=True, check=True)
    return sum(json.loads(done.stdout)["relationships"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="the graph (a path, or a Neo4j URI)")
    parser.add_argument("--only", action="append", help="run only this command (repeatable)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rels = relationships(args.db)
    print(f"{args.db}: {rels:,} relationships", flush=True)
    print(f"{'command':24} {'peak MiB':>9} {'+ MiB':>7} {'MiB/100k rel':>13} {'CPU s':>7} {'wall s':>7}", flush=True)
    base = None
    for name, words in COMMANDS.items():
        if args.only and name not in args.only and name != "stats":
            continue
        with tempfile.TemporaryDirectory() as cache:
            timing = time_process(tdi_command("--db", args.db, *words), cwd=REPO, env={**os.environ, "TDI_CACHE_DIR": cache})
        if timing.exit_code:
            print(f"{name:24} exit {timing.exit_code}: {timing.messages[-1:] or ''}", flush=True)
            continue
        base = timing.peak_mib if base is None else base
        added = timing.peak_mib - base
        per = added / (rels / 100_000)
        print(f"{name:24} {timing.peak_mib:9.0f} {added:7.0f} {per:13.0f} {timing.cpu:7.1f} {timing.wall:7.1f}", flush=True)


if __name__ == "__main__":
    main()
