"""Time the whole ``tdi load programmes`` command: the 14 ANCT programme files, then reloads that change nothing.

Prepares (untimed) an embedded graph holding the administrative map and the phase II list by
groupement (fabp cites a territory of industry), or a copy of ``--graph`` (say the full graph of
``tdi demo --full``), then runs each step as its own ``tdi`` process and prints its wall time,
CPU time (user + system, the engine's threads included), peak memory (from ``os.wait4``) and
whether the graph file was replaced:

- all 14 files of ``<raw>/anct-programmes/`` (goal: under 10 s);
- the same files again, the graph unchanged since (goal: under 3 s; the load is recorded, so
  it is not redone: see "ANCT's other programmes" in the README);
- one actor added with ``tdi actor add`` (another write), then the same files again (goal: under
  3 s): the files come from the cache of checked reads, the graph is read in place and compared,
  nothing is found to change, so nothing is written, copied or replaced.

    python bench/load_programmes.py [--raw ../shared/data/raw] [--graph GRAPH]
"""

from __future__ import annotations

import argparse
import os
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


def run(name: str, db: str, *args: str) -> None:
    """Run ``tdi --db DB ARGS`` in its own process; print wall time, CPU time, peak memory, whether
    the graph file was replaced, and its last line."""
    before = _identity(db)
    t = time_process(tdi_command("--db", db, *args), cwd=REPO)
    replaced = "replaced" if _identity(db) != before else "kept"
    print(f"{name:34} wall {t.wall:5.2f} s  CPU {t.cpu:5.2f} s  peak {t.peak_mib:4,.0f} MiB  graph file {replaced:8}  "
          f"exit {t.exit_code}  {t.messages[-1] if t.messages else ''}")  # fmt: skip


def _identity(db: str) -> tuple[int, int] | None:
    try:
        info = Path(db).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


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
        os.environ["TDI_CACHE_DIR"] = str(Path(folder) / "cache")  # the first load starts with empty caches
        start = time.perf_counter()
        if args.graph:
            shutil.copyfile(args.graph, db)
        else:
            subprocess.run([sys.executable, __file__, "--raw", str(args.raw), "--prepare", db], check=True)
        print(f"{'graph prepared':34} in {time.perf_counter() - start:4.1f} s (not timed below)")
        load = ["load", "programmes", *paths, "--skip-unknown"]
        run(f"{len(paths)} files, first load", db, *load)
        run("again (graph unchanged since)", db, *load)
        run("tdi actor add (another write)", db, "actor", "add", "operator", "--key", "bench-operator", "--name", "Bench")
        run("again (after another write)", db, *load)


if __name__ == "__main__":
    main()
