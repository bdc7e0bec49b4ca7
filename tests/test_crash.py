"""Real loads killed at random moments, and loads on a full disk: the graph keeps its old content or gets the new.

Each kill runs ``tdi load facts`` in a subprocess over a copy of the built-in graph and sends
SIGKILL either at a random time after its start or at a random delay after the load announces
its COMMIT (``TDI_TEST_ANNOUNCE_COMMIT``, set only here), up to the time an uninterrupted load
takes from there to its exit: inside the commit, the engine's checkpoint on close, the swap of the
written copy or after it. The disk-full tests need root to
mount a small tmpfs and are skipped otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph

KILLS = 20
ACTORS = 60


def _facts(path: Path) -> Path:
    """A facts file adding ACTORS operators, each a partner of region 32."""
    lines = ["sources:", "  - {id: crash-notes, name: Crash notes, type: manual, date: '2026-11-30'}", "actors:"]
    lines += [f"  - {{id: operator:crash-{i}, name: Crash operator {i}, evidence: [{{source: crash-notes}}]}}" for i in range(ACTORS)]
    lines += ["relationships:"]
    lines += [
        f"  - {{type: PARTNER_OF, from: operator:crash-{i}, to: region:32, evidence: [{{source: crash-notes}}]}}" for i in range(ACTORS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _content(db: Path) -> str:
    """A digest of every node (kind, key, name, sources) and relationship (type, ends, sources)."""
    with open_graph(db, read_only=True) as graph:
        nodes = graph.run("MATCH (n) RETURN head(labels(n)) AS k, n.key AS key, n.name AS name ORDER BY k, key")
        rels = graph.run(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.key AS f, b.key AS k, r.sources AS s ORDER BY t, f, k",
        )
        counts = graph.counts()
    return hashlib.sha256(json.dumps([counts, nodes, rels], sort_keys=True, default=str).encode()).hexdigest()


def _load(db: Path, facts: Path) -> subprocess.Popen:
    env = {**os.environ, "TDI_TEST_ANNOUNCE_COMMIT": "1"}
    command = [sys.executable, "-c", "from cli import main; main()", "--db", str(db), "load", "facts", str(facts)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _timed_load(db: Path, facts: Path) -> tuple[float, float]:
    """Run the load to its end: how long it took, and how long from its COMMIT to its exit."""
    started = time.monotonic()
    process = _load(db, facts)
    committed = next((time.monotonic() for line in process.stderr if line.startswith("tdi-test: commit")), None)
    assert process.wait() == 0 and committed is not None
    ended = time.monotonic()
    return ended - started, ended - committed


def _kill_at_random(process: subprocess.Popen, rng: random.Random, *, around_commit: bool, span: float, tail: float) -> bool:
    """SIGKILL ``process`` at a random moment (after its COMMIT began if ``around_commit``); whether it still ran then."""
    if around_commit:
        for line in process.stderr:
            if line.startswith("tdi-test: commit"):
                break
        time.sleep(rng.uniform(0, tail))
    else:
        time.sleep(rng.uniform(0.3 * span, span))
    killed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return killed


def _attempt(number: int, old_db: Path, facts: Path, span: float, tail: float, folder: Path) -> tuple[Path, bool]:
    """Copy the old graph, start the load on it and kill it: odd attempts at random, even ones around the commit."""
    folder.mkdir()
    db = folder / "g"
    shutil.copyfile(old_db, db)
    process = _load(db, facts)
    return db, _kill_at_random(process, random.Random(number), around_commit=number % 2 == 0, span=span, tail=tail)


@pytest.mark.slow
def test_loads_killed_at_random_keep_the_old_graph_or_the_new(builtin_db, tmp_path, capsys):
    facts, db = _facts(tmp_path / "crash.yaml"), tmp_path / "g"
    shutil.copyfile(builtin_db, db)
    old = _content(db)
    span, tail = _timed_load(db, facts)
    new = _content(db)
    assert new != old
    outcomes, attempt = {"old": 0, "new": 0}, 0
    with ThreadPoolExecutor(max_workers=2) as pool:  # two kills at a time, one per core
        while sum(outcomes.values()) < KILLS and attempt < 2 * KILLS:
            numbers = (attempt + 1, attempt + 2)
            attempt += 2
            done = pool.map(lambda n: _attempt(n, builtin_db, facts, span, tail, tmp_path / f"kill-{n}"), numbers)
            for (killed_db, killed), number in zip(list(done), numbers):
                if killed:
                    content = _content(killed_db)
                    assert content in (old, new), f"kill {number}: the graph is neither the old one nor the new one"
                    outcomes["old" if content == old else "new"] += 1
                    assert {p.name for p in killed_db.parent.iterdir()} <= {"g", "g.lock"}
                shutil.rmtree(killed_db.parent)
    assert sum(outcomes.values()) >= KILLS, outcomes
    assert "Recovered the graph" in capsys.readouterr().err


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 24 MiB tmpfs (root only; skipped when it cannot be mounted)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until ``leave`` bytes are free."""
    free = shutil.disk_usage(disk).free - leave
    with open(disk / "filler", "wb") as handle:
        handle.truncate(0)
        while free > 0:
            chunk = min(free, 1 << 20)
            handle.write(b"\0" * chunk)
            free -= chunk


@pytest.mark.parametrize("free_mib", [1, 11, 13])
def test_a_full_disk_keeps_the_old_graph(builtin_db, small_disk, tmp_path, runner, free_mib):
    db, facts = small_disk / "g", _facts(tmp_path / "crash.yaml")
    shutil.copyfile(builtin_db, db)
    old = _content(db)
    _fill(small_disk, free_mib << 20)
    result = runner.invoke(cli, ["--db", str(db), "load", "facts", str(facts)])
    if free_mib == 1 or result.exit_code != 0:
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
        assert "kept" in result.stderr and "Traceback" not in result.output
        assert _content(db) == old
    else:
        assert _content(db) != old
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "g", "g.lock"]
