"""Time every named query on a graph: the median of several runs, in-process, after a warm-up.

The goal is under 100 ms per query on the full graph (``tdi demo --full``); queries over it are
marked. Parameters come from each query's ``// example:`` header line.

Usage::

    tdi --db ./full demo --full --data ../shared/data/raw     # once
    python bench/queries.py --db ./full
    python bench/queries.py --db ./full --runs 5 --budget-ms 100
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backend import open_graph
from queries.registry import list_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="./tdi-graph", help="the graph to query (default ./tdi-graph)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget-ms", type=float, default=100.0)
    options = parser.parse_args()
    over = 0
    with open_graph(options.db, read_only=True) as graph:
        print(f"{'query':<34} {'median ms':>10} {'rows':>6}")
        for query in list_queries():
            params = dict(query.example)
            query.run(graph, params)  # warm-up
            times = []
            for _ in range(options.runs):
                started = time.perf_counter()
                rows = query.run(graph, params)
                times.append((time.perf_counter() - started) * 1000)
            median = statistics.median(times)
            over += median > options.budget_ms
            flag = "  over budget" if median > options.budget_ms else ""
            print(f"{query.name:<34} {median:10.1f} {len(rows):6d}{flag}")
    print(f"{over} of {len(list_queries())} queries over {options.budget_ms:.0f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
