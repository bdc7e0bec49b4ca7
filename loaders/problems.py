"""How readers report what is wrong with a file: every problem at once, each with its line.

YAML files (facts, mappings) are read with `read_yaml`, which records the line of every
mapping (``__line__``) and of each of its keys (``__lines__``), so a problem can name
``FILE:LINE: field``; `problems_error` turns the list into one `LoaderError`.

Example
-------
>>> print(problems_error("notes.yaml", ["notes.yaml:3: id: not a slug"]))
notes.yaml: 1 problem(s), nothing was loaded:
notes.yaml:3: id: not a slug
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import LoaderError

__all__ = ["LINE_KEYS", "MAX_PROBLEMS", "line_of", "problems_error", "read_yaml"]

MAX_PROBLEMS = 50
LINE_KEYS = frozenset({"__line__", "__lines__"})


def problems_error(where: str | Path, problems: list[str]) -> LoaderError:
    """One error listing the first `MAX_PROBLEMS` problems and how many more there are."""
    more = f"\n… and {len(problems) - MAX_PROBLEMS} more" if len(problems) > MAX_PROBLEMS else ""
    listed = "\n".join(problems[:MAX_PROBLEMS])
    return LoaderError(f"{where}: {len(problems)} problem(s), nothing was loaded:\n{listed}{more}")


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping and of each of its keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping


def read_yaml(path: Path, what: str = "file") -> Any:
    """Parse a YAML file with line numbers; `LoaderError` naming the line of a syntax error."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(f"{path}: cannot read the {what}: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LoaderError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def line_of(entry: dict[str, Any], name: str) -> int:
    """The line of key ``name`` in a mapping read by `read_yaml` (of the mapping itself if unknown).

    >>> line_of({"__line__": 4, "__lines__": {"name": 5}}, "name"), line_of({"__line__": 4}, "id")
    (5, 4)
    """
    return entry.get("__lines__", {}).get(name, entry["__line__"])
