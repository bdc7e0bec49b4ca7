"""Time one command as a whole process: wall time, CPU time (user + system, the engine's threads
included) and peak resident memory, from ``os.wait4``. Every bench that runs ``tdi`` in its own
process measures it here.

Example
-------
>>> timing = time_process(tdi_command("--help"), cwd=REPO)  # doctest: +SKIP
>>> timing.exit_code, timing.cpu < 5
(0, True)
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("commands", "graph", "loaders", "queries", "viz")


@dataclass(frozen=True)
class Timing:
    """What one process cost, its exit code and what it wrote on stderr."""

    wall: float
    cpu: float
    peak_mib: float
    exit_code: int
    messages: list[str]


def compile_checkout(checkout: Path = REPO) -> None:
    """Write the bytecode of a checkout's modules, as an installation would."""
    compileall.compile_file(str(checkout / "cli.py"), quiet=1)
    for package in PACKAGES:
        compileall.compile_dir(str(checkout / package), quiet=1)


def tdi_command(*args: str) -> list[str]:
    """``tdi ARGS`` run from this clone (with ``cwd=REPO``), whether or not the package is installed."""
    return [sys.executable, "-c", "from cli import main; main()", *args]


def time_process(args: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Timing:
    """Run ``args`` (in ``cwd``) and time it; stderr goes to a file, so a long one never blocks the process."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(list(args), cwd=cwd, env=None if env is None else dict(env), stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        stderr.seek(0)
        messages = stderr.read().strip().splitlines()
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), messages)
