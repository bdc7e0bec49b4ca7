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

from graph.errors import LoaderError, SchemaError
from graph.limits import check_text, quoted

__all__ = ["LINE_KEYS", "MAX_DEPTH", "MAX_PROBLEMS", "MAX_YAML_BYTES", "checked_cells", "line_of", "problems_error", "read_yaml"]

MAX_PROBLEMS = 50
MAX_DEPTH = 32
MAX_YAML_BYTES = 20 * 2**20
LINE_KEYS = frozenset({"__line__", "__lines__"})


def problems_error(where: str | Path, problems: list[str]) -> LoaderError:
    """One error listing the first `MAX_PROBLEMS` problems and how many more there are."""
    more = f"\n… and {len(problems) - MAX_PROBLEMS} more" if len(problems) > MAX_PROBLEMS else ""
    listed = "\n".join(problems[:MAX_PROBLEMS])
    return LoaderError(f"{where}: {len(problems)} problem(s), nothing was loaded:\n{listed}{more}")


class _Refused(yaml.MarkedYAMLError):
    """Something the YAML reader does not accept: an alias, a deep nesting, a tag, a repeated key…"""

    def __init__(self, node: yaml.Node | yaml.Event, problem: str, field: str | None = None) -> None:
        super().__init__(problem=problem, problem_mark=node.start_mark)
        self.field = field


_C_PARSER = yaml.cyaml.CParser if yaml.__with_libyaml__ else None  # libyaml's parser, in PyYAML's wheels: 7 times as fast
_BASES = (
    (yaml.composer.Composer, _C_PARSER, yaml.constructor.SafeConstructor, yaml.resolver.Resolver) if _C_PARSER else (yaml.SafeLoader,)
)


class _LineLoader(*_BASES):  # type: ignore[misc]
    """A strict YAML loader that records the line of every mapping and of each of its keys.

    Keys are the text as written (``1:`` is the key ``"1"``) and may not repeat; aliases
    (``*name``) are refused, which bounds memory; nesting stops at `MAX_DEPTH`; values are plain
    scalars, lists and mappings (no ``!!binary``, ``!!set``…); a date stays the text written;
    text keeps `graph.limits` (no control characters). The text is parsed by libyaml where PyYAML
    has it, and composed and checked here (0.05 s for the built-in facts instead of 0.36 s).
    """

    depth = 0

    def __init__(self, stream: str) -> None:
        if _C_PARSER is None:
            yaml.SafeLoader.__init__(self, stream)
            return
        _C_PARSER.__init__(self, stream)  # each part set up on its own, as PyYAML's CSafeLoader does
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(self.peek_event(), "aliases (*name) are not accepted; write the value out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(self.peek_event(), f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _Refused(node, f"expected a mapping, not {node.id}")
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node, "a key must be plain text, not a list or a mapping")
            key = self._checked_text(key_node, key_node.value)
            if key in mapping or key in LINE_KEYS:
                why = f"given twice in one mapping (first at line {lines[key]})" if key in mapping else "a reserved name"
                raise _Refused(key_node, why, key)
            try:
                mapping[key] = self.construct_object(value_node, deep=deep)
            except _Refused as exc:
                exc.field = exc.field or key
                raise
            lines[key] = key_node.start_mark.line + 1
        return {**mapping, "__line__": node.start_mark.line + 1, "__lines__": lines}

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        return self._checked_text(node, super().construct_yaml_str(node))

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise _Refused(node, f"{quoted(node.value)} is too long a number") from None

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:
        try:
            super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _Refused(node, f"{quoted(node.value)} is not a date of the calendar") from None
        return node.value

    def refuse_tag(self, node: yaml.Node) -> None:
        raise _Refused(node, f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not accepted; write plain text, numbers, lists and mappings")

    @staticmethod
    def _checked_text(node: yaml.Node, text: str) -> str:
        try:
            return check_text(text)
        except SchemaError as exc:
            raise _Refused(node, str(exc).rstrip(".")) from None


_LineLoader.add_constructor("tag:yaml.org,2002:str", _LineLoader.construct_yaml_str)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)
for _tag in ("binary", "set", "omap", "pairs"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _LineLoader.refuse_tag)
_LineLoader.add_constructor(None, _LineLoader.refuse_tag)


def checked_cells(where: str, cells: list[str]) -> list[str]:
    """``cells`` if each is text that may be stored (`graph.limits.check_text`); else an error naming ``where`` and the cell.

    >>> checked_cells("list.csv:2", ["ti-0101", "Basse-Terre"])
    ['ti-0101', 'Basse-Terre']
    >>> checked_cells("list.csv:3", ["ti-0101", "Basse" + chr(0) + "Terre"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.errors.LoaderError: list.csv:3: cell 2: ...
    """
    for position, cell in enumerate(cells, 1):
        try:
            check_text(cell)
        except SchemaError as exc:
            raise LoaderError(f"{where}: cell {position}: {exc}") from exc
    return cells


def read_yaml(path: Path, what: str = "file") -> Any:
    """Parse a YAML file strictly (see `_LineLoader`), with line numbers.

    Raises `LoaderError` naming the line, and the key when there is one, of the first problem.
    """
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise LoaderError(f"{path}: {path.stat().st_size:,} bytes; a {what} has at most {MAX_YAML_BYTES:,}.")
        data = path.read_bytes()
        text = data.decode("utf-8")
        return yaml.load(text, Loader=_LineLoader) or {}
    except OSError as exc:
        raise LoaderError(f"{path}: cannot read the {what}: {exc}") from exc
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoaderError(f"{path}:{line}: not UTF-8 text: byte {data[exc.start]:#04x} cannot be decoded; save the {what} as UTF-8.") from exc
    except yaml.reader.ReaderError as exc:  # its position counts characters (PyYAML) or bytes (libyaml): find the character
        line = text.count("\n", 0, max(text.find(chr(exc.character)), 0)) + 1
        raise LoaderError(f"{path}:{line}: not valid YAML: the character U+{exc.character:04X} is not allowed; remove it.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        field = f" {exc.field}:" if getattr(exc, "field", None) else ""
        problem = getattr(exc, "problem", exc)
        if problem == "exceeded maximum nesting depth":  # libyaml's own limit (1,000), past ours
            problem = f"nested more than {MAX_DEPTH} levels deep"
        raise LoaderError(f"{path}:{mark.line + 1 if mark else 1}:{field} not valid YAML: {problem}") from exc


def line_of(entry: dict[str, Any], name: str) -> int:
    """The line of key ``name`` in a mapping read by `read_yaml` (of the mapping itself if unknown).

    >>> line_of({"__line__": 4, "__lines__": {"name": 5}}, "name"), line_of({"__line__": 4}, "id")
    (5, 4)
    """
    return entry.get("__lines__", {}).get(name, entry["__line__"])
