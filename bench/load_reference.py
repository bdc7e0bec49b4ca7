"""Time ``tdi load reference``: into an empty graph, its no-change reload, and the 2024 → 2026 update.

Each step runs in its own process, so that its peak memory (the process's maximum resident set,
engine included) is its own: the shipped 2026 copy into an empty embedded graph, the same again
(nothing changes), then 2024 (the upstream tarball) into another graph followed by the 2026
update. Prints, per step, the time to read the data, the time to write it (and the CPU time it
took: the embedded engine runs in the process), rows/s (nodes and relationships written or
found unchanged) and peak memory. With ``NEO4J_URI`` set, the same
steps run on Neo4j too (the database must be empty unless ``--reset-neo4j`` is given).

    python bench/load_reference.py [--raw ../shared/data/raw] [--reset-neo4j]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed

UPSTREAM_2024 = "etalab-decoupage-administratif-4.1.0.tgz"


def child(db: str, source: str) -> None:
    """Load one vintage into ``db`` and print what it took, as one JSON line."""
    from graph.backend import open_graph
    from loaders.reference import load_reference, read_reference
    from loaders.session import write_or_preview

    start = time.perf_counter()
    data = read_reference(source or None)
    read = time.perf_counter() - start
    with open_graph(db) as graph:
        start, cpu = time.perf_counter(), time.process_time()
        with write_or_preview(graph):
            stats = load_reference(graph, data)
        load, cpu = time.perf_counter() - start, time.process_time() - cpu
    totals = {part: sum(getattr(stats, part).values()) for part in ("created", "updated", "ended", "unchanged")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"vintage": data.vintage, "read": read, "load": load, "cpu": cpu, "peak": peak, **totals}))


def step(name: str, backend: str, db: str, source: str) -> None:
    out = subprocess.run([sys.executable, __file__, "--child", db, source], check=True, capture_output=True, text=True).stdout
    r = json.loads(out.splitlines()[-1])
    rows = r["created"] + r["updated"] + r["ended"] + r["unchanged"]
    print(f"{backend:9} {name:22} {rows:>7,} rows  read {r['read']:4.2f} s  write {r['load']:5.2f} s (CPU {r['cpu']:5.2f} s) "
          f"{rows / r['load']:>7,.0f} rows/s  peak {r['peak']:>4,.0f} MiB  "
          f"created {r['created']:>7,}  updated {r['updated']:>7,}  ended {r['ended']:>3}")  # fmt: skip


def run_all(backend: str, first_db: str, second_db: str, raw: Path) -> None:
    step("empty graph (2026)", backend, first_db, "")
    step("reload (no change)", backend, first_db, "")
    if not (raw / UPSTREAM_2024).is_file():
        print(f"{backend:9} (no {UPSTREAM_2024} in {raw}: vintage update skipped)")
        return
    step("2024 into empty graph", backend, second_db, str(raw / UPSTREAM_2024))
    step("update 2024 → 2026", backend, second_db, "")


def reset_neo4j(url: str, allowed: bool) -> None:
    from graph.backend import open_graph

    with open_graph(url) as graph:
        if graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"] and not allowed:
            raise SystemExit("The Neo4j database is not empty: give --reset-neo4j to let the bench empty it.")
        graph.run("MATCH (n) DETACH DELETE n", write=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data" / "raw", help="where the 2024 tarball is")
    parser.add_argument("--reset-neo4j", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DB", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        run_all("embedded", f"{tmp}/first", f"{tmp}/second", args.raw)
    url = os.environ.get("NEO4J_URI")
    if url:
        reset_neo4j(url, args.reset_neo4j)
        step("empty graph (2026)", "neo4j", url, "")
        step("reload (no change)", "neo4j", url, "")
        reset_neo4j(url, True)
        step("2024 into empty graph", "neo4j", url, str(args.raw / UPSTREAM_2024))
        step("update 2024 → 2026", "neo4j", url, "")


if __name__ == "__main__":
    main()
