"""Crash safety of the embedded graph's files: writes on a copy, recovery on open, lock, backup, restore.

Interrupted writes are reproduced with the files a killed process leaves (a half-written copy,
a copy marked ready, engine logs left by a raw engine write that never closed); the kills
themselves are in tests/test_crash.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.backend import open_graph
from graph.dbfiles import WriteSession, backup_graph, engine_files, restore_graph
from graph.errors import DatabaseLocked, InvalidGraph


def _region_graph(path: Path, *keys: str) -> Path:
    with open_graph(path) as graph:
        graph.upsert_nodes("Region", [{"key": k, "name": f"Region {k}"} for k in keys])
    return path


def _keys(path: Path) -> list[str]:
    with open_graph(path, read_only=True) as graph:
        return [r["key"] for r in graph.run("MATCH (r:Region) RETURN r.key AS key ORDER BY key")]


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_a_write_leaves_only_the_graph_and_its_lock(tmp_path):
    path = _region_graph(tmp_path / "g", "32", "11")
    assert _beside(path) == ["g", "g.lock"]
    assert _keys(path) == ["11", "32"]


def test_an_interrupted_copy_is_discarded_and_the_old_graph_kept(tmp_path, capsys):
    path = _region_graph(tmp_path / "g", "32")
    (tmp_path / "g.writing").write_bytes(b"half a copy")
    (tmp_path / "g.writing.wal").write_bytes(b"\0" * 100)
    assert _keys(path) == ["32"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a write was interrupted, the previous graph was kept" in err
    assert _beside(path) == ["g", "g.lock"]


def test_a_copy_marked_ready_is_swapped_in(tmp_path, capsys):
    path = _region_graph(tmp_path / "g", "32")
    newer = _region_graph(tmp_path / "newer", "32", "84")
    shutil.copyfile(newer, tmp_path / "g.writing")
    (tmp_path / "g.writing.ready").touch()
    with open_graph(path) as graph:  # a writer recovers too
        assert graph.counts()["nodes"] == {"Region": 2}
    assert "its new content was kept" in capsys.readouterr().err
    assert _keys(path) == ["32", "84"]
    assert _beside(path) == ["g", "g.lock"]


def test_one_writer_at_a_time_and_readers_see_the_old_graph_meanwhile(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    writer = open_graph(path)
    try:
        writer.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        with pytest.raises(DatabaseLocked, match="open for writing in another process"):
            open_graph(path)
        assert _keys(path) == ["32"]
    finally:
        writer.close()
    assert _keys(path) == ["32", "84"]


def test_a_failed_session_keeps_the_graph(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    session = WriteSession(path)
    session.copy.write_bytes(b"garbage")
    session.abandon()
    assert _keys(path) == ["32"] and _beside(path) == ["g", "g.lock"]


_RAW_WRITE = """
import os, sys, ladybug
conn = ladybug.Connection(ladybug.Database(sys.argv[1]))
conn.execute("CREATE (:Region {key: '84', name: 'Auvergne-Rhône-Alpes'})")
os._exit(0)  # dies without closing: the engine's log stays beside the file
"""


def test_engine_logs_left_by_a_raw_write_are_replayed_on_a_copy(tmp_path, capsys):
    path = _region_graph(tmp_path / "g", "32")
    subprocess.run([sys.executable, "-c", _RAW_WRITE, str(path)], check=True)
    assert engine_files(path)
    assert _keys(path) == ["32", "84"]
    assert "were replayed" in capsys.readouterr().err
    assert _beside(path) == ["g", "g.lock"]


def test_engine_logs_that_cannot_be_replayed_leave_the_files_untouched(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    (tmp_path / "g.wal").write_bytes(b"\xff" * 4096)
    before = path.read_bytes()
    with pytest.raises(Exception, match='cannot be recovered.*tdi restore'):
        open_graph(path, read_only=True)
    assert path.read_bytes() == before and (tmp_path / "g.wal").exists()
    assert not (tmp_path / "g.writing").exists()
    restore_graph(_region_graph(tmp_path / "saved", "11"), path)  # what the error says to do
    assert _keys(path) == ["11"] and _beside(path) == ["g", "g.lock"]


def test_backup_and_restore(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    backup_graph(path, tmp_path / "saved")
    _region_graph(path, "84")
    restore_graph(tmp_path / "saved", path)
    assert _keys(path) == ["32"]
    assert _beside(path) == ["g", "g.lock"]


def test_restore_refuses_what_is_not_a_graph(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    (tmp_path / "notes.txt").write_text("not a graph")
    with pytest.raises(InvalidGraph, match="is not a graph the engine can open"):
        restore_graph(tmp_path / "notes.txt", path)
    assert _keys(path) == ["32"]


def test_a_backup_during_a_write_is_the_graph_before_it(tmp_path):
    path = _region_graph(tmp_path / "g", "32")
    writer = open_graph(path)
    try:
        writer.upsert_nodes("Region", [{"key": "84", "name": "Auvergne-Rhône-Alpes"}])
        backup_graph(path, tmp_path / "during")
    finally:
        writer.close()
    assert _keys(tmp_path / "during") == ["32"]
    assert _keys(path) == ["32", "84"]
