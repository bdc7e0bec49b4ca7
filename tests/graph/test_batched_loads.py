"""Batched loads (graph/batched_loads.py) on the embedded engine: committed in batches, undone whole.

The same code is the Neo4j write path; here it runs on the embedded engine with ``batched=True``
(``TDI_BATCHED_LOADS=1`` for the CLI) and 5-row batches, so that a small load has many.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli import cli
from graph.backend import EdgeRow, open_graph
from graph.journal import JOURNAL_LABEL

NEW = 10
BASE = """sources:
  - {id: base-notes, name: Base notes, type: manual, date: '2026-11-01'}
actors:
  - {id: region:32, name: Hauts-de-France, evidence: [{source: base-notes}]}
  - {id: department:62, name: Pas-de-Calais, evidence: [{source: base-notes}]}
  - {id: operator:bpifrance, name: Bpifrance, aliases: [BPI], evidence: [{source: base-notes}]}
relationships:
  - {type: IN_REGION, from: department:62, to: region:32, evidence: [{source: base-notes}]}
  - {type: PARTNER_OF, from: operator:bpifrance, to: region:32, evidence: [{source: base-notes}]}
"""


def _facts(path: Path) -> Path:
    """NEW operators partnering region 32, and changes to region 32 and department 62 (a new alias, a new source)."""
    lines = ["sources:", "  - {id: batch-notes, name: Batch notes, type: manual, date: '2026-11-30'}", "actors:"]
    lines += [f"  - {{id: operator:batch-{i}, name: Batch operator {i}, evidence: [{{source: batch-notes}}]}}" for i in range(NEW)]
    lines += [
        "  - {id: region:32, name: Hauts-de-France, aliases: [HDF batch], evidence: [{source: batch-notes}]}",
        "  - {id: department:62, name: Pas-de-Calais, aliases: [Pas-de-Calais batch], evidence: [{source: batch-notes}]}",
        "relationships:",
    ]
    lines += [f"  - {{type: PARTNER_OF, from: operator:batch-{i}, to: region:32, evidence: [{{source: batch-notes}}]}}" for i in range(NEW)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _content(db: Path) -> str:
    """A digest of every node and relationship with all their properties (the journal included)."""
    with open_graph(db, read_only=True) as graph:
        nodes = graph.run("MATCH (n) RETURN head(labels(n)) AS k, properties(n) AS p ORDER BY k, n.key")
        rels = graph.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.key AS f, b.key AS k, properties(r) AS p ORDER BY t, f, k")
    return hashlib.sha256(json.dumps([nodes, rels], sort_keys=True, default=str).encode()).hexdigest()


def _journal(db: Path) -> int:
    """How many batch records the graph holds (the embedded engine drops their table once none is left)."""
    with open_graph(db, read_only=True) as graph:
        if JOURNAL_LABEL not in {row["name"] for row in graph.run("CALL show_tables() RETURN *")}:
            return 0
        return graph.run(f"MATCH (j:{JOURNAL_LABEL}) RETURN count(*) AS n")[0]["n"]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small graph: two regions' worth of actors, loaded in the default (copy-and-swap) mode."""
    from loaders.facts import read_facts
    from loaders.load import load_facts

    folder = tmp_path_factory.mktemp("batched")
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    with open_graph(folder / "graph", batched=False) as graph:
        load_facts(graph, read_facts(folder / "base.yaml"))
    return folder / "graph"


@pytest.fixture
def base_copy(base_db: Path, tmp_path: Path) -> Path:
    shutil.copyfile(base_db, tmp_path / "graph")
    return tmp_path / "graph"


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TDI_LOAD_BATCH_ROWS", "5")


def test_a_failed_batched_load_is_undone_whole(base_copy, tmp_path, small_batches, capsys):
    from loaders.facts import read_facts
    from loaders.load import load_facts

    old = _content(base_copy)
    with open_graph(base_copy, batched=True) as graph, pytest.raises(RuntimeError, match="cut"), graph.transaction():
        stats = load_facts(graph, read_facts(_facts(tmp_path / "batch.yaml")))
        graph.set_edge_properties("IN_REGION", [EdgeRow("Department", "62", "Region", "32", {"since": "2016"})])
        assert stats.created["Operator"] == NEW and stats.updated["Region"] == 1
        assert graph.run(f"MATCH (j:{JOURNAL_LABEL}) RETURN count(*) AS n")[0]["n"] > 5  # committed, one record per batch
        raise RuntimeError("cut")
    err = capsys.readouterr().err
    assert "as it failed" in err and f"removed {NEW + 1} nodes and {NEW} relationships" in err and "restored 3 it had changed" in err
    assert _content(base_copy) == old


def test_a_load_killed_after_its_first_batch_is_undone_by_the_next_write(base_db, base_copy, tmp_path, runner):
    """SIGKILL a real ``tdi load facts`` once its first batch committed; the next write undoes what it committed."""
    old = _content(base_copy)
    env = {**os.environ, "TDI_BATCHED_LOADS": "1", "TDI_LOAD_BATCH_ROWS": "5", "TDI_TEST_ANNOUNCE_COMMIT": "1"}
    command = [sys.executable, "-c", "from cli import main; main()", "--db", str(base_copy), "load", "facts", str(_facts(tmp_path / "k.yaml"))]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    announced = 0
    for line in process.stderr:  # the second batch's COMMIT is announced once the first one's has returned
        announced += line.startswith("tdi-test: commit")
        if announced == 2:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _journal(base_copy) > 0  # killed mid-load: some batches committed, not all
    assert _content(base_copy) != old
    check = runner.invoke(cli, ["--db", str(base_copy), "check"])
    assert check.exit_code == 1 and "did not finish" in check.output and "tdi load facts" in check.output
    # The next write (the base facts again, which change nothing) undoes the dead load and says so.
    result = runner.invoke(cli, ["--db", str(base_copy), "load", "facts", str(base_db.parent / "base.yaml")])
    assert result.exit_code == 0, result.output
    assert "as it did not finish" in result.stderr and "tdi load facts" in result.stderr
    assert _content(base_copy) == old
    assert _journal(base_copy) == 0


def test_a_dry_run_in_batched_mode_changes_nothing_then_the_load_is_kept_whole(base_copy, tmp_path, small_batches, capsys):
    from loaders.facts import read_facts
    from loaders.load import load_facts
    from loaders.session import write_or_preview

    old = _content(base_copy)
    with open_graph(base_copy, batched=True) as graph, write_or_preview(graph, dry_run=True):
        stats = load_facts(graph, read_facts(_facts(tmp_path / "dry.yaml")))
    assert stats.created["Operator"] == NEW
    assert "Undid" not in capsys.readouterr().err
    assert _content(base_copy) == old
    with open_graph(base_copy, batched=True) as graph, write_or_preview(graph):  # the same load, kept
        load_facts(graph, read_facts(tmp_path / "dry.yaml"))
    assert _journal(base_copy) == 0
    with open_graph(base_copy, read_only=True) as graph:
        assert graph.run("MATCH (o:Operator)-[:PARTNER_OF]->(:Region {key: '32'}) RETURN count(*) AS n")[0]["n"] == NEW + 1
        assert "HDF batch" in graph.run("MATCH (r:Region {key: '32'}) RETURN r.aliases AS a")[0]["a"]


def test_a_batched_reload_of_the_last_load_is_answered_without_opening_the_graph(base_copy, tmp_path, small_batches, monkeypatch):
    """The journal's closing statements leave the graph as the load left it: the load's record holds."""
    from click.testing import CliRunner

    monkeypatch.setenv("TDI_BATCHED_LOADS", "1")
    mapping = tmp_path / "partners.yaml"
    mapping.write_text(
        "description: partners of a region\nsource: {type: dataset}\nactors:\n"
        "  partner: {kind: operator, key: {column: name, parser: slug}, name: name}\n"
        "  region: {kind: region, key: region, existing: true}\n"
        "relationships:\n  - {type: PARTNER_OF, from: partner, to: region}\n",
        encoding="utf-8",
    )
    table = tmp_path / "partners.csv"
    table.write_text("name,region\n" + "".join(f"Partner {i},32\n" for i in range(NEW)), encoding="utf-8")

    def load() -> str:
        result = CliRunner().invoke(cli, ["--db", str(base_copy), "load", "table", str(table), "--mapping", str(mapping)])
        assert result.exit_code == 0, result.output
        return result.stderr.splitlines()[-1]

    assert load() == f"{table}: {2 * NEW + 1} created, 0 updated, 0 unchanged."
    identity = base_copy.stat()
    assert load() == f"{table}: nothing changed ({2 * NEW + 1} already in the graph)."
    after = base_copy.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (identity.st_ino, identity.st_mtime_ns, identity.st_size)
    assert _journal(base_copy) == 0
