"""The page memory of a graph opened read-only: capped, changed by TDI_READ_BUFFER_POOL_MB, checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from graph.backend import open_graph
from graph.engine_memory import READ_POOL_ENV, READ_POOL_MB, read_pool_mb


@pytest.mark.parametrize(("value", "pool_mb"), [(None, None), ("64", 64), ("0", 0)])
def test_read_only_page_memory(builtin_db: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, pool_mb: int | None) -> None:
    if value is None:
        monkeypatch.delenv(READ_POOL_ENV, raising=False)
        pool_mb = read_pool_mb()
        assert 0 < pool_mb <= READ_POOL_MB  # 80% of the memory on a machine with less than 5 GiB
    else:
        monkeypatch.setenv(READ_POOL_ENV, value)
    with open_graph(builtin_db, read_only=True) as graph:
        assert graph._db.buffer_pool_size == pool_mb << 20  # what the engine was given (0: its default)
        assert graph.run("MATCH (r:Region) RETURN count(*) AS n")[0]["n"] > 0


def test_a_bad_page_memory_is_one_error_line(builtin_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READ_POOL_ENV, "lots")
    monkeypatch.setenv("TDI_CACHE_DIR", str(tmp_path))  # no counts cached: stats opens the graph
    result = CliRunner().invoke(cli, ["--db", str(builtin_db), "stats"])
    assert result.exit_code == 1
    assert result.stderr == f'Error: {READ_POOL_ENV} is "lots"; expected a whole number of MiB (0: the engine\'s default).\n'
