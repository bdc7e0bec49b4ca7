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
import tempfile
from pathlib import Path

from process_time import tdi_command, time_process

REPO = Path(__file__).resolve().parents[1]


def run(name: str, *args: str, env: dict[str, str]) -> None:
    """Run ``tdi ARGS`` in its own process and print its wall time, CPU time and peak memory."""
    t = time_process(tdi_command(*args), env=env, cwd=REPO)
    print(f"{name:34} wall {t.wall:6.2f} s  CPU {t.cpu:6.2f} s  peak {t.peak_mib:6,.0f} MiB  "
          f"exit {t.exit_code}  {t.messages[0] if t.messages else ''}")  # fmt: skip


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
