"""The map step of ``bench/viz.py``: ``tdi viz map`` on a real graph, each run in its own process.

Runs ``tdi --db GRAPH viz map`` for each measure, then with ``--png`` and ``--svg``, and ``tdi
analyze report -o report.html`` (which embeds the map), with an empty NetworkX cache.
For each prints wall time, CPU time (user + system, Chromium included) and peak resident memory,
taken from ``os.wait4``. The graph must hold territories loaded from ANCT's GeoJSON lists
(``tdi demo --full --data DIR``); it is only read.

    python bench/viz.py --map /tmp/full
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(name: str, *args: str, env: dict[str, str]) -> None:
    """Run ``tdi ARGS`` in its own process and print its wall time, CPU time and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", "from cli import main; main()", *args], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    message = process.stderr.read().strip().splitlines() if process.stderr else []
    print(f"{name:34} wall {wall:6.2f} s  CPU {usage.ru_utime + usage.ru_stime:6.2f} s  peak {usage.ru_maxrss / 1024:6,.0f} MiB  "
          f"exit {os.waitstatus_to_exitcode(status)}  {message[0] if message else ''}")  # fmt: skip


def main(db: str) -> None:
    out = Path(tempfile.mkdtemp(prefix="tdi-bench-map-"))
    env = {**os.environ, "TDI_CACHE_DIR": str(out / "cache")}  # the report starts with an empty NetworkX cache
    for measure in ("programmes", "degree", "projects", "euros", "betweenness"):
        run(
            f"viz map --measure {measure}",
            "--db",
            db,
            "viz",
            "map",
            "--measure",
            measure,
            "-o",
            str(out / f"{measure}.html"),
            env=env,
        )
    run("viz map --png --svg", "--db", db, "viz", "map", "-o", str(out / "map.html"), "--png", str(out / "map.png"),
        "--svg", str(out / "map.svg"), env=env)  # fmt: skip
    run("analyze report -o report.html", "--db", db, "analyze", "report", "-o", str(out / "report.html"), env=env)
    print(f"Pages in {out}")
