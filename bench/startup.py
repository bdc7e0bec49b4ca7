"""Time the read commands analysts call in loops: CPU, wall time and peak memory of the whole process.

Each command runs as its own ``tdi`` process (the console script of this checkout's environment),
several times; the figures are the medians, and the largest peak.

Usage::

    python bench/startup.py                    # on a fresh graph of the built-in dataset
    python bench/startup.py --db ./tdi-graph   # on a graph of yours (e.g. after tdi demo --full)
    python bench/startup.py --runs 9
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from process_time import time_process

COMMANDS = [
    ["--help"],
    ["stats"],
    ["find", "bethune"],
    ["show", "region:32"],
    ["query", "run", "funders-of-region", "-p", "region=32"],
]


def tdi() -> str:
    """The ``tdi`` script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("tdi")
    return str(beside) if beside.exists() else (shutil.which("tdi") or "tdi")


def measure(args: list[str]) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak MiB of one process."""
    t = time_process(args)
    if t.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return t.cpu, t.wall, t.peak_mib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing graph (default: a fresh graph of the built-in dataset)")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = options.db
        if db is None:
            db = str(Path(scratch) / "graph")
            print("Loading the built-in dataset…", file=sys.stderr)
            subprocess.run([tdi(), "--db", db, "demo", "-o", str(Path(scratch) / "demo.html")], check=True, capture_output=True)
        print(f"{'command':<48} {'CPU s':>7} {'wall s':>7} {'peak MiB':>9}")
        for command in COMMANDS:
            runs = [measure([tdi(), "--db", db, *command]) for _ in range(options.runs)]
            cpu, wall = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"{'tdi ' + ' '.join(command):<48} {cpu:7.2f} {wall:7.2f} {max(r[2] for r in runs):9.0f}")


if __name__ == "__main__":
    main()
