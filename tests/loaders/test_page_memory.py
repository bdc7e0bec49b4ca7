"""Table loads with capped engine page memory: a load that does not fit is written again with a larger pool,
saying so once, without reading the file again, and ends exactly as a load with the engine's default memory."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from cli import cli
from graph.backend import open_graph
from graph.engine_memory import larger_pools
from graph.errors import PoolFull
from graph.keys import luhn_check_digit
from loaders.mapping import read_mapping
from loaders.page_memory import GrowingPool
from loaders.table_load import load_table

COMMUNES = [f"59{n:03d}" for n in range(1, 41)]
TINY_MB = 32  # enough to open the graph, read it and write a part; too little for the COPY that inserts the new actors


def sirene(path: Path, rows: int) -> Path:
    """``rows`` establishments of as many companies, in 40 communes (the bench's columns)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["siren", "nic", "siret", "dateCreationEtablissement", "codeCommuneEtablissement",
                         "etatAdministratifEtablissement", "activitePrincipaleEtablissement", "denominationUniteLegale"])  # fmt: skip
        for i in range(rows):
            s = siren(i)
            writer.writerow([s, "00012", s + "00012", "2015-03-01", COMMUNES[i % 40], "A", "25.62A", f"ENTREPRISE {i}"])
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A graph holding the communes, and a file of 1,000 rows to load into copies of it."""
    folder = tmp_path_factory.mktemp("page-memory")
    with open_graph(folder / "base") as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    return folder / "base", sirene(folder / "StockEtablissement_pool.csv", 1000)


def siren(i: int) -> str:
    """The ``i``-th valid SIREN of the test companies."""
    return f"{20_000_000 + i:08d}" + luhn_check_digit(f"{20_000_000 + i:08d}")


def copy_of(base: Path, target: Path) -> Path:
    shutil.copyfile(base, target)
    return target


def contents(db: Path) -> tuple:
    with open_graph(db, read_only=True) as graph:
        located = graph.run("MATCH (c:Company)-[:LOCATED_IN]->(m:Commune) RETURN c.key AS company, c.name AS name, m.key AS commune ORDER BY company")
        return graph.counts(), located


@pytest.fixture(scope="module")
def uncapped(base: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """What the load gives with the engine's default page memory."""
    db = copy_of(base[0], tmp_path_factory.mktemp("uncapped") / "graph")
    with open_graph(db, defer_copy=True) as graph:
        load_table(graph, base[1], read_mapping("sirene"))
    return contents(db)


def test_a_load_that_does_not_fit_is_written_again_without_reading_the_file_again(base, uncapped, tmp_path):
    db, path = copy_of(base[0], tmp_path / "graph"), base[1]
    events: list[str] = []
    with GrowingPool(lambda pool_mb: open_graph(db, buffer_pool_mb=pool_mb, defer_copy=True), TINY_MB, say=events.append) as pool:
        result = pool.run(lambda graph: load_table(graph, path, read_mapping("sirene"), reopen=pool.reopen,
                                                   progress=lambda stage, done, total: events.append(stage)))  # fmt: skip
        assert pool.pool_mb == TINY_MB * 4
    said = [e for e in events if "page memory" in e]
    assert said == [f"The engine's page memory of {TINY_MB} MiB was too small for this load (nothing was kept); writing it again with {TINY_MB * 4} MiB."]
    retried = events.index(said[0])
    assert "writing" in events[:retried], "the pool was found full while writing"
    assert "reading rows" not in events[retried:], "the rows read and checked once are written again from the spill"
    assert result.stats.created["Company"] == 1000 and result.stats.created["LOCATED_IN"] == 1000
    assert contents(db) == uncapped


def test_without_a_larger_pool_the_load_fails_whole(base, tmp_path):
    db, path = copy_of(base[0], tmp_path / "graph"), base[1]
    before = contents(db)
    expected = f"more page memory than {TINY_MB} MiB .*none of it was kept, the previous graph is unchanged"
    with pytest.raises(PoolFull, match=expected), open_graph(db, buffer_pool_mb=TINY_MB, defer_copy=True) as graph:
        load_table(graph, path, read_mapping("sirene"))
    assert contents(db) == before
    assert larger_pools(512, memory_mb=24_000) == [2048, 8192, 0] and larger_pools(0) == []


def test_cli_says_once_that_it_loads_again(base, uncapped, tmp_path, runner, monkeypatch):
    db, path = copy_of(base[0], tmp_path / "graph"), base[1]
    monkeypatch.setenv("TDI_LOAD_BUFFER_POOL_MB", str(TINY_MB))
    result = runner.invoke(cli, ["--db", str(db), "load", "table", str(path), "--mapping", "sirene"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"The engine's page memory of {TINY_MB} MiB was too small for this load (nothing was kept); writing it again with {TINY_MB * 4} MiB.",
        f"{path}: 2001 created, 0 updated, 0 unchanged.",
    ]
    assert contents(db) == uncapped
    written = db.stat().st_mtime_ns
    again = runner.invoke(cli, ["--db", str(db), "load", "table", str(path), "--mapping", "sirene"])
    assert again.stderr == f"{path}: nothing changed (2001 already in the graph).\n"
    assert db.stat().st_mtime_ns == written, "the load written again is recorded like any other: not even opened for writing"


def test_a_negative_pool_is_one_error_line(base, tmp_path, runner, monkeypatch):
    db = copy_of(base[0], tmp_path / "graph")
    monkeypatch.setenv("TDI_LOAD_BUFFER_POOL_MB", "-3")
    result = runner.invoke(cli, ["--db", str(db), "load", "table", str(base[1]), "--mapping", "sirene"])
    assert (result.exit_code, result.stderr) == (1, 'Error: TDI_LOAD_BUFFER_POOL_MB is "-3"; expected a whole number of MiB (0: the engine\'s default).\n')


def test_a_graph_that_does_not_open_in_the_pool_is_opened_with_a_larger_one(base, uncapped, tmp_path, runner, monkeypatch):
    """8 MiB is too little to open even this small graph: the open is retried larger before any row is read,
    and the load then goes on growing the pool as a load that opened at once does."""
    db, path = copy_of(base[0], tmp_path / "graph"), base[1]
    monkeypatch.setenv("TDI_LOAD_BUFFER_POOL_MB", "8")
    result = runner.invoke(cli, ["--db", str(db), "load", "table", str(path), "--mapping", "sirene"])
    assert result.exit_code == 0, result.output
    said = result.stderr.splitlines()
    assert said[0].startswith("The engine's page memory of 8 MiB was too small") and said[0].endswith("again with 32 MiB.")
    assert said[-1] == f"{path}: 2001 created, 0 updated, 0 unchanged."
    assert contents(db) == uncapped


def test_a_step_that_fills_the_pool_is_run_again_whole_on_the_larger_one(base, tmp_path):
    """`GrowingPool.run` redoes the whole step, on a graph where the failed attempt left nothing."""
    db = copy_of(base[0], tmp_path / "graph")
    attempts: list[int] = []

    def step(graph) -> int:
        attempts.append(len(graph.run("MATCH (c:Company) RETURN c.key AS key")))  # what an earlier attempt left
        graph.upsert_nodes("Company", [{"key": siren(i), "name": f"E {i}"} for i in range(20_000)])
        return graph.run("MATCH (c:Company) RETURN count(*) AS n")[0]["n"]

    events: list[str] = []
    with GrowingPool(lambda pool_mb: open_graph(db, buffer_pool_mb=pool_mb, defer_copy=True), TINY_MB, say=events.append) as pool:
        assert pool.run(step) == 20_000
    assert len(events) >= 1 and attempts == [0] * (len(events) + 1), "each attempt starts from the unchanged graph"
    assert contents(db)[0]["nodes"]["Company"] == 20_000
