"""Time ``tdi load programmes``: the 14 ANCT programme files together, then the reload that changes nothing.

Prepares (untimed) an embedded graph holding the administrative map and the phase II list by
groupement (fabp cites a territory of industry), then runs each step in its own process: all
14 files of ``<raw>/anct-programmes/`` into that graph (goal: under 10 s), and the same files
again (goal: under 3 s). Prints, per step, the time to read and check the files, the total time
(reading, checks and writing, in one transaction; CPU time beside it: the embedded engine runs
in the process), the sites and relationships written or found unchanged, and peak memory.

    python bench/load_programmes.py [--raw ../shared/data/raw]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed


def prepare(db: str, raw: Path) -> None:
    from graph.backend import open_graph
    from loaders.reference import load_reference, read_reference
    from loaders.territories import load_territories

    with open_graph(db) as graph:
        load_reference(graph, read_reference())
        load_territories(graph, raw / "ti_phase2_groupements_anct_20240704.csv")


def child(db: str, raw: str) -> None:
    """Load the 14 files into ``db`` and print what it took, as one JSON line."""
    from graph.backend import open_graph
    from loaders.anct_read import CodeIndex, read_anct_list
    from loaders.cog_compact import builtin_reference_dir, read_compact
    from loaders.programmes import load_programmes

    paths = sorted((Path(raw) / "anct-programmes").glob("*.geojson"))
    start = time.perf_counter()
    reference = read_compact(builtin_reference_dir())
    index = CodeIndex(reference)
    for path in paths:
        read_anct_list(path, index, skip_unknown=True)
    read = time.perf_counter() - start
    with open_graph(db) as graph:
        start, cpu = time.perf_counter(), time.process_time()
        stats = load_programmes(graph, paths, skip_unknown=True, reference=reference).stats
        load, cpu = time.perf_counter() - start, time.process_time() - cpu
    totals = {part: sum(getattr(stats, part).values()) for part in ("created", "updated", "unchanged")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"files": len(paths), "read": read, "load": load, "cpu": cpu, "peak": peak, **totals}))


def step(name: str, db: str, raw: Path) -> None:
    out = subprocess.run([sys.executable, __file__, "--child", db, str(raw)], check=True, capture_output=True, text=True).stdout
    r = json.loads(out.splitlines()[-1])
    print(f"{name:26} {r['files']} files  read and check {r['read']:4.2f} s  load {r['load']:5.2f} s (CPU {r['cpu']:5.2f} s)  "
          f"created {r['created']:>6,}  updated {r['updated']:>4,}  unchanged {r['unchanged']:>6,}  peak {r['peak']:>4,.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data" / "raw")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "graph")
        start = time.perf_counter()
        prepare(db, args.raw)
        print(f"{'map and phase II list':26} prepared in {time.perf_counter() - start:4.1f} s (not timed below)")
        step("14 files, first load", db, args.raw)
        step("14 files again (no change)", db, args.raw)


if __name__ == "__main__":
    main()
