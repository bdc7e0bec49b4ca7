"""Time the same ``tdi`` commands with two checkouts of the code, run alternately, on one graph.

On a machine shared with other work, CPU and wall times drift from one minute to the next; running
the old and the new code one after the other, command by command, puts both under the same load.
Each checkout runs from its own folder (``tdi_command`` with ``cwd``) with its own cache directory,
so caches do not mix; the first run of each fills that cache. Both checkouts are compiled to
bytecode first, as an installation leaves them. Prints, per command and checkout,
the median CPU and wall time and the largest peak memory of ``--runs`` runs, then the load average.

    git archive main | tar -x -C /tmp/tdi-main
    python bench/versus.py --db /work/fullgraph/full2 --base /tmp/tdi-main --runs 3 \\
        "viz territory territory:I-ti-3204" "viz map --measure betweenness"

``-o PAGE`` is added to commands that do not give one (a page in a scratch folder).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import tempfile
from pathlib import Path

from process_time import REPO, Timing, compile_checkout, tdi_command, time_process


def run(checkout: Path, db: str, args: list[str], cache: Path) -> Timing:
    """One run of ``tdi --db DB ARGS`` from ``checkout``; stops the bench if it fails."""
    timing = time_process(tdi_command("--db", db, *args), env={**os.environ, "TDI_CACHE_DIR": str(cache)}, cwd=checkout)
    if timing.exit_code != 0:
        raise SystemExit(f"{checkout}: tdi {' '.join(args)} failed: {timing.messages[-1:] or ''}")
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="+", help="tdi arguments after --db, one quoted string per command")
    parser.add_argument("--db", required=True, help="the graph (only read)")
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (a folder holding cli.py)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tdi-versus-") as scratch:
        checkouts = {"base": options.base.resolve(), "this": REPO}
        for checkout in checkouts.values():
            compile_checkout(checkout)
        for number, command in enumerate(options.commands):
            args = shlex.split(command)
            if "-o" not in args and args[0] in ("viz", "analyze"):
                args += ["-o", f"{scratch}/page-{number}.html"]
            timings: dict[str, list[Timing]] = {name: [] for name in checkouts}
            for _ in range(options.runs):
                for name, checkout in checkouts.items():
                    timings[name].append(run(checkout, options.db, args, Path(scratch) / f"cache-{name}"))
            for name, runs in timings.items():
                cpu, wall = statistics.median(t.cpu for t in runs), statistics.median(t.wall for t in runs)
                print(f"{name:4}  CPU {cpu:6.2f} s  wall {wall:6.2f} s  peak {max(t.peak_mib for t in runs):5.0f} MiB  tdi {command}", flush=True)
    print("load average:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
