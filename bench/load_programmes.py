"""Time the whole ``tdi load programmes`` command: the 14 ANCT programme files, then reloads that change nothing.

Prepares (untimed) an embedded graph holding the administrative map and the phase II list by
groupement (fabp cites a territory of industry), or a copy of ``--graph`` (say the full graph of
``tdi demo --full``), then runs each step as its own ``tdi`` process and prints its wall time,
CPU time (user + system, the engine's threads included) and peak memory, from ``os.wait4``:

- all 14 files of ``<raw>/anct-programmes/`` (goal: under 10 s);
- the same files again, the graph unchanged since (goal: under 3 s; the load is recorded, so
  it is not redone: see "ANCT's other programmes" in the README);
- one actor added with ``tdi actor add`` (another write), then the same files again: the whole
  load is read, checked and compared with the graph, and finds nothing to change.

    python bench/load_programmes.py [--raw ../shared/data/raw] [--graph GRAPH]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed
from process_time import tdi_command, time_process


def prepare(db: str, raw: Path) -> None:
    from graph.backend import open_graph
    from loaders.reference import load_reference, read_reference
    from loaders.territories import load_territories

    with open_graph(db) as graph:
        load_reference(graph, read_reference())
        load_territories(graph, raw / "ti_phase2_groupements_anct_20240704.csv")


def run(name: str, *args: str) -> None:
    """Run ``tdi ARGS`` in its own process; print wall time, CPU time, peak memory and its last line."""
    t = time_process(tdi_command(*args), cwd=REPO)
    print(f"{name:34} wall {t.wall:5.2f} s  CPU {t.cpu:5.2f} s  peak {t.peak_mib:4,.0f} MiB  "
          f"exit {t.exit_code}  {t.messages[-1] if t.messages else ''}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data" / "raw")
    parser.add_argument("--graph", type=Path, help="copy this graph rather than prepare the map and the phase II list")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:  # in a process of its own, so that the steps' peak memory is theirs alone
        prepare(args.prepare, args.raw)
        return
    paths = [str(p) for p in sorted((args.raw / "anct-programmes").glob("*.geojson"))]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "graph")
        start = time.perf_counter()
        if args.graph:
            shutil.copyfile(args.graph, db)
        else:
            subprocess.run([sys.executable, __file__, "--raw", str(args.raw), "--prepare", db], check=True)
        print(f"{'graph prepared':34} in {time.perf_counter() - start:4.1f} s (not timed below)")
        load = ["--db", db, "load", "programmes", *paths, "--skip-unknown"]
        run(f"{len(paths)} files, first load", *load)
        run("again (graph unchanged since)", *load)
        run("tdi actor add (another write)", "--db", db, "actor", "add", "operator", "--key", "bench-operator", "--name", "Bench")
        run("again (after another write)", *load)


if __name__ == "__main__":
    main()
