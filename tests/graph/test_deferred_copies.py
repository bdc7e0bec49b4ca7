"""New rows inserted at the end of a block, one `COPY` per table from a temporary Parquet file (graph/deferred_copies.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from graph.backend import EdgeRow, open_graph
from loaders.session import commit_part, copies_at_end, write_or_preview


def _operators(start: int, stop: int) -> list[dict]:
    return [{"key": f"op-{i}", "name": f"Operator {i}", "aliases": [f"O{i}"]} for i in range(start, stop)]


def _partners(start: int, stop: int) -> list[EdgeRow]:
    return [EdgeRow("Operator", f"op-{i}", "Region", "32", {"sources": ["s"]}) for i in range(start, stop)]


def _load_in_parts(db: Path) -> tuple[list, list, int]:
    """Two parts of operators and their ties to region 32, each committed; what the graph holds inside the block too."""
    with open_graph(db) as graph, write_or_preview(graph):
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
        commit_part(graph)
        with copies_at_end(graph):
            for part in ((0, 30), (30, 60)):
                graph.upsert_nodes("Operator", _operators(*part))
                commit_part(graph)
            inside = graph.run("MATCH (o:Operator) RETURN count(*) AS n")[0]["n"]
        with copies_at_end(graph):
            for part in ((0, 30), (30, 60)):
                graph.upsert_edges("PARTNER_OF", _partners(*part))
                commit_part(graph)
    with open_graph(db, read_only=True) as graph:
        nodes = graph.run("MATCH (o:Operator) RETURN o.key AS key, o.aliases AS aliases, o.search_text AS s ORDER BY key")
        ties = graph.run("MATCH (o:Operator)-[r:PARTNER_OF]->(:Region {key: '32'}) RETURN o.key AS key, r.sources AS s ORDER BY key")
    return nodes, ties, inside


def test_rows_are_copied_once_at_the_end_of_the_block(tmp_path: Path) -> None:
    nodes, ties, inside = _load_in_parts(tmp_path / "g")
    assert inside == 0  # nothing inserted before the block ends
    assert len(nodes) == 60 and len(ties) == 60
    assert nodes[0] == {"key": "op-0", "aliases": ["O0"], "s": "operator 0 | o0"}
    assert {tuple(t["s"]) for t in ties} == {("s",)}
    with open_graph(tmp_path / "g") as graph:  # a second load finds all of them: nothing is created twice
        assert graph.upsert_nodes("Operator", _operators(0, 60)).unchanged["Operator"] == 60
        assert graph.upsert_edges("PARTNER_OF", _partners(0, 60)).unchanged["PARTNER_OF"] == 60


def test_a_temporary_folder_with_a_quote_is_copied_from_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = tmp_path / "l'temp"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    nodes, ties, _ = _load_in_parts(tmp_path / "g")
    assert len(nodes) == 60 and len(ties) == 60
    assert list(odd.iterdir()) == []  # the files are dropped


def test_a_block_that_fails_copies_nothing_and_drops_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    with open_graph(tmp_path / "g") as graph:
        graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    with pytest.raises(RuntimeError, match="stop"), open_graph(tmp_path / "g") as graph, write_or_preview(graph), copies_at_end(graph):
        graph.upsert_nodes("Operator", _operators(0, 10))
        assert len(list(folder.iterdir())) == 1
        raise RuntimeError("stop")
    assert list(folder.iterdir()) == []
    with open_graph(tmp_path / "g", read_only=True) as graph:
        assert graph.run("MATCH (o:Operator) RETURN count(*) AS n")[0]["n"] == 0
        assert graph.run("MATCH (r:Region) RETURN count(*) AS n")[0]["n"] == 1



def test_a_full_disk_under_the_temporary_files_is_one_error_and_keeps_the_graph(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli import cli
    from tests.loaders.test_table_stream import COMMUNES, laureates, sum_mapping

    full = tmp_path / "full"
    full.mkdir()
    for name in ("0-Programme.parquet", "0-Company.parquet"):  # the first table the load copies into: writes fail with ENOSPC
        (full / name).symlink_to("/dev/full")
    db = tmp_path / "g"
    with open_graph(db) as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    before = db.read_bytes()
    original = tempfile.mkdtemp  # the spill's own folders stay real
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: str(full) if k.get("prefix") == "tdi-copy-" else original(*a, **k))
    path, mapping = laureates(tmp_path / "l.csv", 20), sum_mapping(tmp_path / "m.yaml")
    result = runner.invoke(cli, ["--db", str(db), "load", "table", str(path), "--mapping", str(mapping)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].startswith(f'Error: Cannot write the new rows to the temporary folder "{full}" (')
    assert "No space left on device" in errors[0] and errors[0].endswith("the previous graph is unchanged. Free some space there, or set TMPDIR to a folder with more.")
    assert "Traceback" not in result.output and db.read_bytes() == before
