"""Fuzz ``tdi load json`` and ``tdi load csv``: the graph's own exports, broken in one place.

The prepared graph holds the base facts file; its ``export json`` and ``export csv`` are the
valid inputs. Each operator breaks one of them and says, as a regex, where the error must
point: ``node N`` / ``link N`` / ``FILE:LINE`` for JSON, ``FILE, line N`` for a CSV folder.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fuzzing import CONTROL, Prepared, case_ids, invoke, prepare, rng_of, run_refused, with_digits

BASE = Path(__file__).with_name("base_facts.yaml")
PER_OPERATOR = 12
Exports = tuple[dict[str, Any], dict[str, str]]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A graph holding the base facts file."""
    return prepare(tmp_path_factory.mktemp("fuzz-graph-files"), ["load", "facts", BASE])


@pytest.fixture(scope="module")
def exports(prepared: Prepared) -> Exports:
    """The prepared graph's node-link JSON (parsed) and CSV folder (file name → text)."""
    root = prepared.work.parent
    assert invoke("--db", prepared.db, "export", "json", "-o", root / "base.json").exit_code == 0
    assert invoke("--db", prepared.db, "export", "csv", "-o", root / "base-csv").exit_code == 0
    folder = {p.name: p.read_text(encoding="utf-8") for p in (root / "base-csv").iterdir()}
    return json.loads((root / "base.json").read_text(encoding="utf-8")), folder


# ---------------------------------------------------------------- node-link JSON

JsonBroken = tuple[str, str]  # the file's text, the place regex (after the file name)


def _node(data: dict[str, Any], rng: random.Random, kinds: tuple[str, ...] = ()) -> int:
    return rng.choice([i for i, n in enumerate(data["nodes"]) if not kinds or n["kind"] in kinds])


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _at_node(data: dict[str, Any], index: int) -> JsonBroken:
    return _dump(data), rf", node {index + 1}\b"


def _at_link(data: dict[str, Any], index: int) -> JsonBroken:
    return _dump(data), rf", link {index + 1}\b"


def node_not_object(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i] = rng.choice([5, "region:32", None, [1, 2], True, 1.5])
    return _at_node(data, i)


def link_not_object(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = rng.randrange(len(data["links"]))
    data["links"][i] = rng.choice([5, "FUNDS", None, ["a", "b"], False])
    return _at_link(data, i)


def control_in_text(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i]["name"] = f"A{rng.choice(CONTROL)}B"
    return _at_node(data, i)


def surrogate_in_text(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i][rng.choice(["name", "description"])] = f"x{chr(rng.randint(0xD800, 0xDFFF))}y"
    return json.dumps(data, indent=1), rf", node {i + 1}\b"  # ASCII: the surrogate as a \u escape


def mapping_as_text(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    field, value = rng.choice([("name", {"a": 1}), ("name", ["x"]), ("description", {"__line__": 3}), ("aliases", [{"a": 1}]),
                               ("aliases", [["x"]]), ("sources", {"s": 1})])  # fmt: skip
    data["nodes"][i][field] = value
    return _at_node(data, i)


def non_finite(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    target = rng.choice(["figure", "link"])
    if target == "figure":
        data["nodes"][_node(data, rng, ("Figure",))]["value"] = rng.choice([math.inf, -math.inf, math.nan])
    else:
        next(link for link in data["links"] if link["type"] == "FUNDS")["amount_eur"] = rng.choice([math.inf, math.nan])
    return _dump(data), r":\d+: not valid JSON"


def overflow_number(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng, ("Figure", "Commune"))
    figure = data["nodes"][i]["kind"] == "Figure"
    data["nodes"][i]["value" if figure else "population"] = "@@"
    big = rng.choice(["1e400", "-1e999", "1" + "0" * rng.randint(309, 3000), *([] if figure else [str(2**63 + rng.randrange(10**6))])])
    return _dump(data).replace('"@@"', big), rf", node {i + 1}\b"


def unicode_digits(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng, ("Region", "Department", "Commune", "Epci", "Territory"))
    data["nodes"][i]["key"] = with_digits(data["nodes"][i]["key"], rng)
    return _at_node(data, i)


def duplicate_node(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"].append(dict(data["nodes"][i], name=f"Twice {rng.randint(1, 99)}"))
    return _at_node(data, len(data["nodes"]) - 1)


def duplicate_key(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    field = rng.choice(["name", "key", "kind"])
    text = _dump(data)
    needle = f'"{field}": {json.dumps(data["nodes"][i][field], ensure_ascii=False)}'
    return text.replace(needle, f"{needle}, {needle}", 1), rf':\d+: not valid JSON: key "{field}" is given twice'


def bad_id(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    value = rng.choice([None, 5, "", ["region:32"], {"a": 1}])
    if value is None:
        del data["nodes"][i]["id"]
    else:
        data["nodes"][i]["id"] = value
    return _at_node(data, i)


def unknown_kind(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i]["kind"] = rng.choice(["Widget", "regions", 5, ["Region"]])
    return _at_node(data, i)


def unknown_property(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i][rng.choice(["colour", "Name", "amount", "__line__"])] = "x"
    return _at_node(data, i)


def bad_end(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = rng.randrange(len(data["links"]))
    data["links"][i][rng.choice(["source", "target"])] = rng.choice(["nothing", "widget:1", "region:", 5, None, ["a"]])
    return _at_link(data, i)


def bad_type(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = rng.randrange(len(data["links"]))
    data["links"][i]["type"] = data["links"][i]["key"] = rng.choice(["NOPE", "funds2", "DETACH DELETE"])
    return _at_link(data, i)


def forbidden_pair(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = rng.randrange(len(data["links"]))
    data["links"][i]["target"] = rng.choice(["figure:territoires-2024", "source:press-2024-example"])
    return _at_link(data, i)


def deep(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    depth = rng.choice([33, 100, 900, 5_000, 10_000])
    data["nodes"][i]["aliases"] = "@@"
    return _dump(data).replace('"@@"', "[" * depth + "]" * depth), rf"(, node {i + 1}\b|:\d+: not valid JSON)"


def truncated(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    text = _dump(data)
    return text[: rng.randrange(1, len(text) - 2)], r":\d+: not valid JSON"


def not_utf8(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    text = _dump(data)
    at = text.index('"name": "', rng.randrange(len(text) // 2)) + 9
    return text[:at] + rng.choice(["\udcff", "\udcc3(", "\udc80"]) + text[at:], r":\d+: not UTF-8"


def top_level(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    return rng.choice(["[]", "5", '{"nodes": 5}', '{"links": []}', '{"nodes": [], "links": {}}', '"x"', "null"]), r": nodes, links: "


def too_long(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng)
    data["nodes"][i]["name"] = "x" * rng.randint(65_537, 200_000)
    return _at_node(data, i)


def bool_as_number(data: dict[str, Any], rng: random.Random) -> JsonBroken:
    i = _node(data, rng, ("Figure", "Commune"))
    data["nodes"][i]["value" if data["nodes"][i]["kind"] == "Figure" else "population"] = rng.choice([True, False, "many", [1]])
    return _at_node(data, i)


JSON_OPERATORS: dict[str, Callable[[dict[str, Any], random.Random], JsonBroken]] = {
    f.__name__: f
    for f in (node_not_object, link_not_object, control_in_text, surrogate_in_text, mapping_as_text, non_finite, overflow_number,
              unicode_digits, duplicate_node, duplicate_key, bad_id, unknown_kind, unknown_property, bad_end, bad_type,
              forbidden_pair, deep, truncated, not_utf8, top_level, too_long, bool_as_number)
}  # fmt: skip


@pytest.mark.parametrize("case", case_ids(JSON_OPERATORS, PER_OPERATOR))
def test_malformed_json_is_refused(prepared: Prepared, exports: Exports, case: str) -> None:
    text, place = JSON_OPERATORS[case.rsplit("-", 1)[0]](json.loads(json.dumps(exports[0])), rng_of(case))
    path = prepared.work / f"{case}.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    run_refused(prepared, ["load", "json", path], re.escape(str(path)) + place)


# ---------------------------------------------------------------- neo4j-admin CSV folders

CsvBroken = tuple[str, str, str]  # the file broken, its new text, the place regex


def _table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _csv_file(folder: dict[str, str], rng: random.Random, pattern: str = r"\.csv$") -> str:
    return rng.choice(sorted(name for name in folder if re.search(pattern, name)))


def _cell(folder: dict[str, str], rng: random.Random, column: str, value: str, files: str = r"\.csv$") -> CsvBroken:
    """Set one cell of a column whose header matches ``column`` (in a file that has one)."""
    names = [n for n in sorted(folder) if re.search(files, n) and any(re.search(column, h) for h in _table(folder[n])[0])]
    name = rng.choice(names)
    rows = _table(folder[name])
    position = rng.choice([i for i, h in enumerate(rows[0]) if re.search(column, h)])
    line = rng.randrange(1, len(rows))
    rows[line][position] = value
    return name, _write(rows), rf"{re.escape(name)}, line {line + 1}\b"


def manifest(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    text = folder["tdi-export.json"]
    broken = rng.choice([text[: rng.randrange(1, len(text) - 1)], "[]", '{"array_delimiter": ""}', '{"array_delimiter": 5}',
                         '{"array_delimiter": ";;"}', '{"array_delimiter": "\\n"}', "NaN", '{"a": 1, "a": 2}'])  # fmt: skip
    return "tdi-export.json", broken, r"tdi-export\.json:\d+: "


def extra_cell(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng)
    lines = folder[name].split("\n")
    line = rng.randrange(1, len([x for x in lines if x]))
    lines[line] += rng.choice([",x", ",,,y", ',"a,b"'])
    return name, "\n".join(lines), rf"{re.escape(name)}, line {line + 1}\b"


def nul_byte(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng)
    lines = folder[name].split("\n")
    line = rng.randrange(0, len([x for x in lines if x]))
    at = rng.randrange(len(lines[line]))
    lines[line] = lines[line][:at] + "\0" + lines[line][at:]
    return name, "\n".join(lines), rf"{re.escape(name)}, line {line + 1}\b"


def control_in_text(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    return _cell(folder, rng, r"^name$", f"A{rng.choice([c for c in CONTROL if c not in chr(0)])}B", r"^nodes-")


def bad_number(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    value = rng.choice(["abc", "inf", "-Infinity", "NaN", "1e400", "١٢", "1,5", "true", "１"])
    return _cell(folder, rng, r":(long|double)$", value)


def unicode_digits(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = rng.choice([n for n in ("nodes-Region.csv", "nodes-Department.csv", "nodes-Commune.csv", "nodes-Epci.csv") if n in folder])
    rows = _table(folder[name])
    rows[1][rows[0].index("key")] = with_digits(rows[1][rows[0].index("key")], rng)
    return name, _write(rows), rf"{re.escape(name)}, line 2\b"


def duplicate_row(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng, r"^nodes-")
    rows = _table(folder[name])
    rows.append(list(rows[1]))
    return name, _write(rows), rf"{re.escape(name)}, line {len(rows)}\b"


def bad_header(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng)
    rows = _table(folder[name])
    position = rng.randrange(len(rows[0]))
    rows[0][position] = rng.choice(["name:wat(", "a:b:c", rows[0][position - 1] if position else rows[0][1], "x:(", ":"])
    return name, _write(rows), rf"{re.escape(name)}, line [12]\b"


def huge_cell(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    return _cell(folder, rng, r"^name$", "x" * rng.randint(131_073, 300_000), r"^nodes-")


def not_utf8(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng)
    lines = folder[name].split("\n")
    lines[1] = lines[1] + rng.choice(["\udcff", "\udcc3(", "\udc80"])
    return name, "\n".join(lines), rf"{re.escape(name)}, line [12]\b"


def unknown_column(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    name = _csv_file(folder, rng)
    rows = _table(folder[name])
    rows[0].append(rng.choice(["colour", "amount:double", "Name"]))
    for row in rows[1:]:
        row.append("1")
    return name, _write(rows), rf"{re.escape(name)}, line 2\b"


def bad_end(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    return _cell(folder, rng, r"^:(START|END)_ID", rng.choice(["nothing", "widget:1", "region:", ":"]), r"^relationships-")


def bad_label(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    return _cell(folder, rng, r"^:LABEL$", rng.choice(["Widget", "regions", "Figure2"]), r"^nodes-")


def bad_type(folder: dict[str, str], rng: random.Random) -> CsvBroken:
    return _cell(folder, rng, r"^:TYPE$", rng.choice(["NOPE", "funds2", ""]), r"^relationships-")


CSV_OPERATORS: dict[str, Callable[[dict[str, str], random.Random], CsvBroken]] = {
    f.__name__: f
    for f in (manifest, extra_cell, nul_byte, control_in_text, bad_number, unicode_digits, duplicate_row, bad_header, huge_cell,
              not_utf8, unknown_column, bad_end, bad_label, bad_type)
}  # fmt: skip


@pytest.mark.parametrize("case", case_ids(CSV_OPERATORS, PER_OPERATOR))
def test_malformed_csv_folder_is_refused(prepared: Prepared, exports: Exports, case: str) -> None:
    folder = prepared.work / case
    folder.mkdir()
    name, text, place = CSV_OPERATORS[case.rsplit("-", 1)[0]](exports[1], rng_of(case))
    for file, content in {**exports[1], name: text}.items():
        (folder / file).write_bytes(content.encode("utf-8", "surrogateescape"))
    run_refused(prepared, ["load", "csv", folder], place)
