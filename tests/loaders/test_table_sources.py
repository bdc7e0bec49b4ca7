"""A table's `Source` is named after its file: loading another file of the same name says what that does to provenance."""

from __future__ import annotations

from pathlib import Path

from cli import cli
from graph.backend import open_graph
from loaders.session import file_sha256
from tests.loaders.test_table import _db_with_communes, laureate_rows, write_laureates


def test_another_file_of_the_same_name_is_said_to_take_over_its_source(runner, tmp_path: Path) -> None:
    db = _db_with_communes(tmp_path)
    (tmp_path / "2023").mkdir(), (tmp_path / "2024").mkdir()
    first = write_laureates(tmp_path / "2023" / "laureats.csv", laureate_rows()[:2])
    second = write_laureates(tmp_path / "2024" / "laureats.csv", laureate_rows()[2:])
    loaded = runner.invoke(cli, ["--db", db, "load", "table", str(first), "--mapping", "laureates"])
    assert loaded.exit_code == 0 and "Warning" not in loaded.stderr, loaded.output
    again = runner.invoke(cli, ["--db", db, "load", "table", str(first), "--mapping", "laureates", "--dry-run"])
    assert "Warning" not in again.stderr, "the same file again: its source is its own"
    for args in (["--dry-run"], []):
        other = runner.invoke(cli, ["--db", db, "load", "table", str(second), "--mapping", "laureates", *args])
        assert other.exit_code == 0, other.output
        warning = other.stderr.splitlines()[0]
        assert warning.startswith(f"Warning: {second}: the source file-laureats-csv described another file of this name "
                                  f"(sha256 {file_sha256(first)[:12]}…, 2 rows, loaded ")  # fmt: skip
        assert warning.endswith("To keep the two apart, give one of the files another name before loading it.")
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (s:Source) RETURN s.key AS key, s.sha256 AS sha256") == [{"key": "file-laureats-csv", "sha256": file_sha256(second)}]
