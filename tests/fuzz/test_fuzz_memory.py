"""Bounded memory: the most expansive malformed inputs, each run as the real ``tdi`` in its own
process, whose peak resident memory (``VmHWM``, which it reports as it exits) must stay under
`MEMORY_BOUND_MB` (``tdi`` needs 20 to 140 MB to start, read and refuse them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fuzzing import assert_refused

REPO = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB = 300


def laughs(levels: int = 9) -> str:
    """A billion laughs: 9^levels items from a few lines of aliases."""
    lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join([*lines, "sources: []", "actors: []"])


CASES = {
    "billion-laughs.yaml": ("facts", laughs()),
    "deep.yaml": ("facts", "actors: " + "[" * 10_000 + "]" * 10_000),
    "huge-integer.yaml": ("facts", "actors:\n  - {id: 'figure:x', name: X, props: {value: " + "9" * 100_000 + "}}"),
    "deep.json": ("json", '{"nodes": ' + "[" * 200_000 + "]" * 200_000 + ', "links": []}'),
    "many-keys.json": ("json", '{"nodes": [{"id": "region:32", "kind": "Region", "key": "32", "name": "x", '
                       + ", ".join(f'"p{i}": {i}' for i in range(200_000)) + "}], \"links\": []}"),
}  # fmt: skip


# The child reports its own peak (VmHWM): ru_maxrss would include the memory of the test process
# it was forked from, which Linux carries over an exec.
BOOT = """
import atexit, os, re
def report():
    with open("/proc/self/status") as status, open(os.environ["TDI_PEAK_FILE"], "w") as out:
        out.write(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1))
atexit.register(report)
from cli import main
main()
"""


@pytest.mark.parametrize("name", sorted(CASES))
def test_memory_stays_bounded(tmp_path: Path, name: str) -> None:
    command, text = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    argv = [sys.executable, "-c", BOOT, "--db", str(tmp_path / "graph"), "load", command, str(path)]
    env = {**os.environ, "TDI_PEAK_FILE": str(tmp_path / "peak")}
    done = subprocess.run(argv, check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    peak_mb = int((tmp_path / "peak").read_text()) / 1024
    print(f"{name}: peak {peak_mb:.0f} MB")
    assert peak_mb < MEMORY_BOUND_MB, f"{name}: {peak_mb:.0f} MB"
    result = SimpleNamespace(exit_code=done.returncode, exception=None, stderr=done.stderr, output=done.stdout + done.stderr)
    assert_refused(result, rf"{path.name}(:\d+|, node \d+)")  # type: ignore[arg-type]
