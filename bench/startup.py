"""Time the read commands analysts call in loops: CPU, wall time and peak memory of the whole process.

Each command runs as its own ``tdi`` process (the console script of this checkout's environment),
several times; the figures are the medians, and the largest peak. The caches live in a scratch
directory: "no cache" rows start each run with it empty (a graph never read, or changed by another
program), the others run once untimed first, as an analyst's loop does. The "after a write" row
runs ``tdi stats`` on a scratch copy of the graph right after a ``tdi actor add`` (not timed):
a write to a graph whose counts are cached caches the counts of what it wrote.

The checkout's modules are compiled to bytecode first, as ``pip install`` does for an installed
package; ``--from-source`` leaves them as they are (with ``PYTHONDONTWRITEBYTECODE=1`` and no
bytecode, Python compiles every module it imports, in each process).

Usage::

    python bench/startup.py                    # on a fresh graph of the built-in dataset
    python bench/startup.py --db ./tdi-graph   # on a graph of yours (e.g. after tdi demo --full)
    python bench/startup.py --runs 9 --from-source
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from process_time import compile_checkout, time_process

COMMANDS = [
    ["--help"],
    ["stats"],
    ["find", "bethune"],
    ["show", "region:32"],
    ["query", "run", "funders-of-region", "-p", "region=32"],
]
FIRST_RUN = [["stats"], ["find", "bethune"]]  # the commands that answer from a cache once it is made
WRITE = ["actor", "add", "operator", "--key", "bench-operator-{n}", "--name", "Opérateur de mesure {n}", "-y"]


def tdi() -> str:
    """The ``tdi`` script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("tdi")
    return str(beside) if beside.exists() else (shutil.which("tdi") or "tdi")


def measure(args: list[str], runs: int, cache: Path, *, first_run: bool, before: list[str] | None = None) -> tuple[float, float, float]:
    """Median CPU seconds and wall seconds, and the largest peak MiB, of ``runs`` processes (each after ``before``, untimed)."""
    timings = []
    for n in range(runs):
        if first_run:
            shutil.rmtree(cache, ignore_errors=True)
        if before:
            env = {**os.environ, "TDI_CACHE_DIR": str(cache)}
            subprocess.run([part.format(n=n) for part in before], check=True, capture_output=True, env=env)
        t = time_process(args, env={**os.environ, "TDI_CACHE_DIR": str(cache)})
        if t.exit_code != 0:
            raise SystemExit(f"{' '.join(args)} failed: {t.messages}")
        timings.append(t)
    return statistics.median(t.cpu for t in timings), statistics.median(t.wall for t in timings), max(t.peak_mib for t in timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing graph (default: a fresh graph of the built-in dataset)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--from-source", action="store_true", help="do not compile the checkout's modules first")
    options = parser.parse_args()
    if not options.from_source:
        compile_checkout()
    with tempfile.TemporaryDirectory() as scratch:
        db, cache = options.db, Path(scratch) / "cache"
        if db is None:
            db = str(Path(scratch) / "graph")
            print("Loading the built-in dataset…", file=sys.stderr)
            subprocess.run([tdi(), "--db", db, "demo", "-o", str(Path(scratch) / "demo.html")], check=True, capture_output=True)
        print(f"{'command':<56} {'CPU s':>7} {'wall s':>7} {'peak MiB':>9}")
        for command in COMMANDS:
            args = [tdi(), "--db", db, *command]
            for first_run in (True, False) if command in FIRST_RUN else (False,):
                if not first_run:
                    measure(args, 1, cache, first_run=False)  # makes the caches it reads
                cpu, wall, peak = measure(args, options.runs, cache, first_run=first_run)
                label = "tdi " + " ".join(command) + (" (no cache)" if first_run else "")
                print(f"{label:<56} {cpu:7.2f} {wall:7.2f} {peak:9.0f}")
        print_after_write(Path(db), Path(scratch), options.runs)


def print_after_write(db: Path, scratch: Path, runs: int) -> None:
    """The row of ``tdi stats`` right after a write by tdi, on a copy of ``db`` whose counts were cached."""
    copy, cache = scratch / "written", scratch / "cache-written"
    shutil.copyfile(db, copy)
    args = [tdi(), "--db", str(copy), "stats"]
    measure(args, 1, cache, first_run=False)  # counts the copy: its cache is in use
    cpu, wall, peak = measure(args, runs, cache, first_run=False, before=[tdi(), "--db", str(copy), *WRITE])
    print(f"{'tdi stats (after a write: tdi actor add)':<56} {cpu:7.2f} {wall:7.2f} {peak:9.0f}")


if __name__ == "__main__":
    main()
