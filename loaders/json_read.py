"""Read a JSON file strictly, naming the line of what is wrong.

No key twice in an object, no ``NaN`` or ``Infinity`` (not JSON, and not storable), text in
UTF-8; a nesting too deep for the parser is refused with its line rather than a
``RecursionError``. Used for node-link files and the manifest of a CSV export.

Example
-------
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "g.json"
>>> _ = path.write_text('{"a": 1,\\n "a": 2}')
>>> read_json(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.errors.LoaderError: ...g.json:2: not valid JSON: key "a" is given twice in one object.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from graph.limits import quoted
from loaders.problems import MAX_DEPTH

__all__ = ["read_json"]

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|-?Infinity|NaN')


def read_json(path: Path, hint: str = "") -> Any:
    """Parse a JSON file strictly: no repeated keys, no NaN or Infinity; `LoaderError` naming the line otherwise."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except OSError as exc:
        raise LoaderError(f"{path}: cannot be read ({exc}).") from exc
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoaderError(f"{path}:{line}: not UTF-8 text.{hint}") from exc
    except json.JSONDecodeError as exc:
        raise LoaderError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno}).{hint}") from exc
    except RecursionError:
        raise LoaderError(f"{path}:{_deep_line(text)}: not valid JSON: nested too deep.{hint}") from None
    except ValueError as exc:  # a repeated key, NaN or Infinity, a number too long
        line = _problem_line(text)
        raise LoaderError(f"{path}{f':{line}' if line else ''}: not valid JSON: {exc}.{hint}") from exc


def _deep_line(text: str) -> int:
    """The line where ``text`` first nests deeper than `MAX_DEPTH` (strings skipped)."""
    depth = 0
    for found in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        token = found.group()
        depth += 1 if token in "[{" else -1 if token in "]}" else 0
        if depth > MAX_DEPTH:
            return text.count("\n", 0, found.start()) + 1
    return 1


def _problem_line(text: str) -> int | None:
    """The line of the first NaN or Infinity, or of the first key given twice in one object."""
    objects: list[set[str] | None] = []  # the keys of each open object (None for a list)
    last = None
    for found in _TOKENS.finditer(text):
        token = found.group()
        if token in ("{", "["):
            objects.append(set() if token == "{" else None)
        elif token in ("}", "]") and objects:
            objects.pop()
        elif token == ":" and objects and objects[-1] is not None and last is not None:
            key = json.loads(last.group())
            if key in objects[-1]:
                return text.count("\n", 0, last.start()) + 1
            objects[-1].add(key)
        elif not token.startswith('"') and token not in ",:":
            return text.count("\n", 0, found.start()) + 1
        last = found if token.startswith('"') else None
    return None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f'key {quoted(key)} is given twice in one object')
        found[key] = value
    return found


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


