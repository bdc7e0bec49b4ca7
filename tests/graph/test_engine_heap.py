"""The ``tdi`` command opens a read-only graph on huge pages (`graph.engine_heap`): far fewer page faults, the same answer.

Each run is a whole ``tdi`` process; the page faults are the kernel's count for it. Its time is
measured by bench/startup.py, not here.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from graph import engine_heap

REPO = Path(__file__).resolve().parents[2]
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def _huge_pages_usable() -> bool:
    return sys.platform.startswith("linux") and bool(os.confstr("CS_GNU_LIBC_VERSION")) and THP.exists() and "[never]" not in THP.read_text()


def tdi_faults(db: Path, args: list[str], *, huge_pages: bool) -> tuple[str, int]:
    """The output of ``tdi --db DB ARGS…`` run as the ``tdi`` script runs, and the minor page faults it took."""
    env = {**os.environ, engine_heap.HUGE_PAGES_ENV: "1" if huge_pages else "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    done = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "--db", str(db), *args],
        capture_output=True, text=True, cwd=REPO, env=env, check=True,
    )  # fmt: skip
    return done.stdout, resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before


@pytest.mark.skipif(not _huge_pages_usable(), reason="needs glibc on Linux with transparent huge pages")
@pytest.mark.parametrize("args", [["show", "region:32"], ["query", "run", "funders-of-region", "-p", "region=32"]], ids=" ".join)
def test_a_read_command_opens_the_graph_with_far_fewer_page_faults(builtin_db: Path, args: list[str]) -> None:
    plain, plain_faults = tdi_faults(builtin_db, args, huge_pages=False)
    huge, huge_faults = tdi_faults(builtin_db, args, huge_pages=True)
    assert huge == plain and "Hauts-de-France" in huge
    assert huge_faults < plain_faults * 0.6, (huge_faults, plain_faults)


def test_nothing_changes_unless_the_tdi_command_asked() -> None:
    """Library use and tests never call `allow_huge_pages`: the heap is left as it is."""
    assert engine_heap.prepare_heap() == 0
