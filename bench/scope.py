"""Time the filters every view and analysis applies (graph.scope) and the actor network built on them.

The graph is read once; each cut then runs several times on it, and the figures are the median
CPU and wall seconds, with the peak memory of the process at the end.

Usage::

    python bench/scope.py --db ../fullgraph/full   # a graph of yours (e.g. after tdi demo --full)
    python bench/scope.py                          # a fresh graph of the built-in dataset
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backend import open_graph
from graph.scope import select
from queries.network import analysis_graph

CUTS: list[tuple[str, dict[str, Any]]] = [
    ("no filter", {}),
    ("--phase II", {"phase": "II"}),
    ("--region 32", {"region": "32"}),
    ("--region 32 --phase II", {"region": "32", "phase": "II"}),
    ("--as-of 2021", {"as_of": "2021"}),
]


def median_run(run: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median CPU and wall seconds of ``runs`` calls, and the last result."""
    cpu, wall, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(cpu), statistics.median(wall), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing graph (default: a fresh graph of the built-in dataset)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = options.db
        if db is None:
            from loaders.builtin import load_builtin

            db = str(Path(scratch) / "graph")
            with open_graph(db) as graph:
                load_builtin(graph)
        with open_graph(db, read_only=True) as graph:
            G = graph.to_networkx()
    print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} relationships; median of {options.runs} runs")
    print(f"{'cut':28} {'what':26} {'CPU s':>7} {'wall s':>7} {'kept':>7}")
    for name, cut in CUTS:
        for what, run in [
            ("view filter (select)", lambda cut=cut: select(G, **cut).subgraph()),
            ("actor network", lambda cut=cut: analysis_graph(G, **cut)),
            ("actor network, no structure", lambda cut=cut: analysis_graph(G, structure=False, **cut)),
        ]:
            cpu, wall, kept = median_run(run, options.runs)
            print(f"{name:28} {what:26} {cpu:7.2f} {wall:7.2f} {kept.number_of_nodes():7}", flush=True)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
