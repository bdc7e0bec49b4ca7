"""Read commands import only what they need: analysts call them in loops.

Each command runs in a fresh interpreter on the built-in graph; the test lists the heavy modules
it imported. The time they take is measured by bench/startup.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("neomodel", "neo4j", "pandas", "pyvis", "networkx", "pyarrow", "numpy", "jinja2", "openpyxl", "yaml", "spacy", "trafilatura", "asyncio")
PROBE = """
import json, sys
from cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))
"""
READ_COMMANDS = [
    ["--help"],
    ["stats"],
    ["find", "bethune"],
    ["show", "region:32"],
    ["path", "region:32", "department:62"],
    ["query", "run", "funders-of-region", "-p", "region=32"],
    ["query", "run", "funders-of-region", "-p", "region=Hauts de France"],  # reads the name index
    ["sources"],
    ["queries"],
]


def heavy_modules(db: Path, args: list[str], *, watched: tuple[str, ...] = HEAVY, cache: Path | None = None) -> list[str]:
    """The ``watched`` modules imported by ``tdi --db DB ARGS…`` in a fresh interpreter (caches in ``cache`` if given)."""
    env = {**os.environ, "TDI_CACHE_DIR": str(cache)} if cache else None
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(watched=watched), "--db", str(db), *args],
        capture_output=True, text=True, cwd=REPO, check=True, env=env,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_command_imports_no_heavy_module(builtin_db: Path, args: list[str]) -> None:
    assert heavy_modules(builtin_db, args) == []


# What only a write (or counting the graph) needs: a lookup in an open graph imports neither.
WRITE_MODULES = ("graph.embedded_schema", "graph.counting")


@pytest.mark.parametrize("args", [["show", "region:32"], ["query", "run", "funders-of-region", "-p", "region=32"]], ids=" ".join)
def test_a_lookup_imports_no_module_of_writes(builtin_db: Path, args: list[str]) -> None:
    assert heavy_modules(builtin_db, args, watched=HEAVY + WRITE_MODULES) == []


LOCAL_PAGES = [["viz", "ego", "region:32", "--depth", "2"], ["viz", "territory", "territory:I-ti-3204"], ["viz", "path", "region:32", "department:62"]]


@pytest.mark.parametrize("args", LOCAL_PAGES, ids=" ".join)
def test_local_pages_import_no_networkx(builtin_db: Path, tmp_path: Path, args: list[str]) -> None:
    """A local page needs no NetworkX algorithm by default: the part read is drawn as a `graph.tie_graph.TieGraph`."""
    page = tmp_path / "x.html"
    assert heavy_modules(builtin_db, [*args, "-o", str(page)]) == []
    assert page.stat().st_size > 0


def test_the_probe_sees_heavy_modules(builtin_db: Path, tmp_path: Path) -> None:
    """The same probe does see what a drawing command imports, so the tests above can fail: betweenness needs NetworkX."""
    imported = heavy_modules(builtin_db, ["viz", "ego", "region:32", "--size", "betweenness", "-o", str(tmp_path / "x.html")])
    assert "networkx" in imported
    assert "pyvis" not in imported  # vis-network's files are read from its package, but pyvis (0.2-0.4 s) is not imported
    assert "jinja2" not in imported  # the page is written with plain string formatting (viz.network_page)


def test_stats_of_an_unchanged_graph_does_not_start_the_engine(builtin_db: Path, tmp_path: Path) -> None:
    """The first ``tdi stats`` counts with the engine; the next ones read the counts kept for that state of the graph."""
    assert heavy_modules(builtin_db, ["stats"], watched=("ladybug",), cache=tmp_path) == ["ladybug"]
    assert heavy_modules(builtin_db, ["stats"], watched=("ladybug",), cache=tmp_path) == []


def test_stats_after_a_write_by_tdi_does_not_start_the_engine(builtin_db: Path, tmp_path: Path, copy_db: Callable[[Path, Path], Path]) -> None:
    """A write to a graph whose counts are cached leaves the counts of its result: ``tdi stats`` reads them."""
    db, cache = copy_db(builtin_db, tmp_path), tmp_path / "cache"
    assert heavy_modules(db, ["stats"], watched=("ladybug",), cache=cache) == ["ladybug"]
    add = ["actor", "add", "operator", "--key", "bench-operator", "--name", "Opérateur de mesure", "-y"]
    subprocess.run([sys.executable, "-c", "from cli import main; main()", "--db", str(db), *add],
                   capture_output=True, cwd=REPO, check=True, env={**os.environ, "TDI_CACHE_DIR": str(cache)})  # fmt: skip
    assert heavy_modules(db, ["stats"], watched=("ladybug",), cache=cache) == []
