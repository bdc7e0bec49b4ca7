"""Time every named query on a graph: the median of several runs, in-process, after a warm-up.

The goal is under 100 ms per query on the full graph (``tdi demo --full``); queries over it are
marked. Parameters come from each query's ``// example:`` header line. Each line gives the median
wall time and the median CPU time of the process (the engine's threads included): on a busy
machine the wall time grows with the load, the CPU time much less. ``--dir`` times the ``.cypher``
files of another directory instead (an older copy of ``queries/cypher``, to compare rewrites).

Usage::

    tdi --db ./full demo --full --data ../shared/data/raw     # once
    python bench/queries.py --db ./full
    python bench/queries.py --db ./full --runs 5 --budget-ms 100
    python bench/queries.py --db ./full --dir /tmp/old-cypher
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backend import open_graph
from queries.registry import QUERY_DIR, parse_query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="./tdi-graph", help="the graph to query (default ./tdi-graph)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--dir", type=Path, default=QUERY_DIR, help="the .cypher files to time (default queries/cypher)")
    options = parser.parse_args()
    named = [parse_query(path) for path in sorted(options.dir.glob("*.cypher"))]
    over = 0
    with open_graph(options.db, read_only=True) as graph:
        print(f"{'query':<34} {'wall ms':>8} {'CPU ms':>8} {'rows':>6}")
        for query in named:
            params = dict(query.example)
            query.run(graph, params)  # warm-up
            walls, cpus = [], []
            for _ in range(options.runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                rows = query.run(graph, params)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu_started) * 1000)
            wall = statistics.median(walls)
            over += wall > options.budget_ms
            flag = "  over budget" if wall > options.budget_ms else ""
            print(f"{query.name:<34} {wall:8.1f} {statistics.median(cpus):8.1f} {len(rows):6d}{flag}")
    print(f"{over} of {len(named)} queries over {options.budget_ms:.0f} ms of wall time", file=sys.stderr)


if __name__ == "__main__":
    main()
