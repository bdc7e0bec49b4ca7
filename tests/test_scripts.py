"""The bench and maintenance scripts still name what the project has: each ``from ours import name`` resolves.

They run by hand, not in the suite; a function renamed or moved under them would otherwise only
show the day someone runs them.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OURS = {"graph", "loaders", "queries", "viz", "commands", "cli"}
SCRIPTS = sorted([*(REPO / "bench").glob("*.py"), *(REPO / "scripts").glob("*.py")])


def _our_imports(path: Path) -> list[tuple[str, str, int]]:
    """``(module, name, line)`` of each ``from module import name`` of ours in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] in OURS:
            found += [(node.module, alias.name, node.lineno) for alias in node.names]
    return found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_a_script_imports_from_the_project_exists(script: Path) -> None:
    missing = []
    for module, name, line in _our_imports(script):
        owner = importlib.import_module(module)
        submodule = hasattr(owner, "__path__") and importlib.util.find_spec(f"{module}.{name}") is not None
        if not hasattr(owner, name) and not submodule:
            missing.append(f"{script.name}:{line}: {module} has no {name}")
    assert not missing, missing


def test_scripts_are_found() -> None:
    assert {p.name for p in SCRIPTS} >= {"names.py", "startup.py", "derive_name_variants.py"}
