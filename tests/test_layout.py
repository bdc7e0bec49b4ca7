"""The layout is the dependency graph (STYLE.md rules 1, 3 and 18), checked on the source with `ast`.

``graph/`` imports nothing of ours outside itself; ``loaders/``, ``queries/`` and ``viz/`` use
``graph/`` and not each other; ``commands/`` (the CLI's command groups) and ``cli`` use them
all, and nothing else imports either; only ``graph/`` touches the database
drivers; modules stay short.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "loaders", "queries", "viz", "commands")
LIBRARIES = ("graph", "loaders", "queries", "viz")
OURS = {*PACKAGES, "cli"}
DRIVERS = {"neo4j", "neomodel", "ladybug"}
CLI = REPO / "cli.py"


def _modules() -> list[Path]:
    found = [p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))]
    return found + ([CLI] if CLI.is_file() else [])


def _owner(path: Path) -> str:
    """The top-level package (or ``cli``) a module belongs to."""
    return path.relative_to(REPO).parts[0].removesuffix(".py")


def _imports(path: Path, owner: str | None = None) -> set[str]:
    """Top-level names of every module ``path`` imports, wherever the import statement is (a relative import is its own package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((owner or _owner(path)) if node.level else (node.module or "").split(".")[0])
    return names


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO)) for p in paths]


MODULES = _modules()


def test_the_packages_exist() -> None:
    assert {_owner(p) for p in MODULES} >= {"graph", "loaders"}


def test_imports_are_read_from_every_form(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import graph.keys\nfrom loaders import facts\nfrom . import build\ndef f():\n    import neo4j as n\n", encoding="utf-8"
    )
    assert _imports(probe, owner="viz") == {"graph", "loaders", "viz", "neo4j"}


@pytest.mark.parametrize("path", MODULES, ids=_ids(MODULES))
def test_no_backward_or_sideways_import(path: Path) -> None:
    owner = _owner(path)
    ours = _imports(path) & OURS
    if owner == "graph":
        allowed = {"graph"}
    elif owner in ("cli", "commands"):
        allowed = {*LIBRARIES, "commands"}
    else:
        allowed = {"graph", owner}
    assert ours <= allowed, f"{path.relative_to(REPO)} imports {sorted(ours - allowed)}"


@pytest.mark.parametrize("package", ["loaders", "queries", "viz"])
def test_each_package_builds_on_graph(package: str) -> None:
    modules = [p for p in MODULES if _owner(p) == package]
    if not modules:
        pytest.skip(f"{package}/ has no module yet")
    assert any("graph" in _imports(p) for p in modules)


@pytest.mark.parametrize("path", MODULES, ids=_ids(MODULES))
def test_only_graph_touches_the_database_drivers(path: Path) -> None:
    if _owner(path) != "graph":
        assert not _imports(path) & DRIVERS, f"{path.relative_to(REPO)} imports {sorted(_imports(path) & DRIVERS)}"


def test_nothing_imports_cli() -> None:
    importers = [p for p in MODULES if p != CLI and "cli" in _imports(p)]  # tests may: they drive the CLI
    assert importers == []


def test_only_the_cli_uses_commands() -> None:
    importers = [p for p in MODULES if _owner(p) not in ("cli", "commands") and "commands" in _imports(p)]
    assert importers == []


@pytest.mark.parametrize("path", MODULES, ids=_ids(MODULES))
def test_module_length(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if path == CLI:
        assert lines < 500, f"cli.py has {lines} lines"
    else:
        assert lines <= 400, f"{path.relative_to(REPO)} has {lines} lines; split it by topic"
