"""Time every named query on a graph: the median of several runs, in-process, after a warm-up.

The goal is under 100 ms per query on the full graph (``tdi demo --full``); queries over it are
marked. Parameters come from each query's ``// example:`` header line. Each line gives the median
wall time and the median CPU time of the process (the engine's threads included): on a busy
machine the wall time grows with the load, the CPU time much less, so the last line gives the
load average before and after the run. ``--dir`` times the ``.cypher`` files of another
directory instead; ``--against OLD`` also times the files of the same names in ``OLD`` (an older
copy of ``queries/cypher``), one run of each in turn, so that both see the same load, and says
whether they return the same rows. ``--query NAME`` (repeatable) times only those queries.

Usage::

    tdi --db ./full demo --full --data ../shared/data/raw     # once
    python bench/queries.py --db ./full
    python bench/queries.py --db ./full --runs 5 --budget-ms 100
    python bench/queries.py --db ./full --against /tmp/old-cypher
    python bench/queries.py --db ./full --runs 11 --query multi-region-actors --query shortest-path
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backend import open_graph
from queries.registry import QUERY_DIR, NamedQuery, parse_query


def time_once(graph, query: NamedQuery, params: dict) -> tuple[float, float, list]:
    """Wall and CPU milliseconds of one run, and its rows."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = query.run(graph, params)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="./tdi-graph", help="the graph to query (default ./tdi-graph)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--dir", type=Path, default=QUERY_DIR, help="the .cypher files to time (default queries/cypher)")
    parser.add_argument("--against", type=Path, help="a directory of older .cypher files to time in turn with them")
    parser.add_argument("--query", action="append", default=[], metavar="NAME", help="time only this query (repeatable)")
    options = parser.parse_args()
    paths = [options.dir / f"{name}.cypher" for name in options.query] or sorted(options.dir.glob("*.cypher"))
    missing = [path.stem for path in paths if not path.is_file()]
    if missing:
        parser.error(f"no query named {', '.join(missing)} in {options.dir}")
    named = [parse_query(path) for path in paths]
    over = 0
    load_before = os.getloadavg()[0]
    old_columns = f" {'old wall':>8} {'old CPU':>8} same" if options.against else ""
    with open_graph(options.db, read_only=True) as graph:
        print(f"{'query':<34} {'wall ms':>8} {'CPU ms':>8} {'rows':>6}{old_columns}")
        for query in named:
            params = dict(query.example)
            old_path = options.against / query.path.name if options.against else None
            old = parse_query(old_path) if old_path and old_path.is_file() else None
            versions = [query] if old is None else [query, old]
            runs: list[list[tuple[float, float, list]]] = [[] for _ in versions]
            for version in versions:
                version.run(graph, params)  # warm-up
            for _ in range(options.runs):
                for index, version in enumerate(versions):
                    runs[index].append(time_once(graph, version, params))
            wall, cpu = (statistics.median(r[i] for r in runs[0]) for i in (0, 1))
            rows = runs[0][-1][2]
            over += wall > options.budget_ms
            line = f"{query.name:<34} {wall:8.1f} {cpu:8.1f} {len(rows):6d}"
            if old is not None:
                old_wall, old_cpu = (statistics.median(r[i] for r in runs[1]) for i in (0, 1))
                line += f" {old_wall:8.1f} {old_cpu:8.1f} {'yes' if runs[1][-1][2] == rows else 'NO'}"
            print(line + ("  over budget" if wall > options.budget_ms else ""))
    print(f"{over} of {len(named)} queries over {options.budget_ms:.0f} ms of wall time", file=sys.stderr)
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after", file=sys.stderr)


if __name__ == "__main__":
    main()
