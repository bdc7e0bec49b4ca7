"""Measure what crash safety costs a write on the embedded graph: copying the graph, syncing and swapping it in.

Builds the built-in graph and the full one (``tdi demo`` and ``tdi demo --full`` content) in a
scratch directory, unless ``--db`` gives graphs to use, then prints for each: its size, the time
of the copy-and-swap alone (a `WriteSession` opened and finished without writing), and the time of
a whole ``tdi actor add`` and ``tdi link add`` (median of ``--runs``, each in its own process),
and of one ``tdi demo --full`` over the last graph.

    python bench/crash_safety.py [--runs 5] [--db GRAPH ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.backend import open_graph
from graph.dbfiles import WriteSession
from loaders.builtin import load_builtin


def build(path: Path, *, full: bool) -> Path:
    """A graph holding the built-in dataset (all of France's map and both lists with ``full``)."""
    with open_graph(path) as graph:
        load_builtin(graph, full)
    return path


def swap_seconds(path: Path, runs: int) -> float:
    """Median time of copying the graph, syncing the copy and renaming it over the graph."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        WriteSession(path).finish()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def command_seconds(path: Path, runs: int, *args: str) -> float:
    """Median wall time of ``tdi --db path ARGS`` in a fresh process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from cli import main; main()", "--db", str(path), *args],
                       check=True, capture_output=True)  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, action="append", help="a graph to measure (repeatable); default: build two")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tdi-bench-"))
    graphs = args.db or [build(scratch / "builtin", full=False), build(scratch / "full", full=True)]
    print(f"{'graph':<12} {'size':>9} {'copy+swap':>10} {'actor add':>10} {'link add':>9}")
    for path in graphs:
        swap = swap_seconds(path, args.runs)
        actor = command_seconds(path, args.runs, "actor", "add", "operator", "--key", "bench-op", "--name", "Bench", "--yes")
        link = command_seconds(path, args.runs, "link", "add", "PARTNER_OF", "operator:bench-op", "region:32")
        size = path.stat().st_size / 2**20
        print(f"{path.name:<12} {size:>7.1f}MB {swap:>9.3f}s {actor:>9.2f}s {link:>8.2f}s")
    full = graphs[-1]
    demo = command_seconds(full, 1, "demo", "--full", "-o", str(scratch / "demo.html"))
    print(f"tdi demo --full again on {full.name}: {demo:.1f}s, of which copy+swap {swap_seconds(full, args.runs):.3f}s")


if __name__ == "__main__":
    main()
