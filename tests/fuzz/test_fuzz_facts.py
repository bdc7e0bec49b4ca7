"""Fuzz ``tdi load facts``: a valid facts file broken in one place, in 32 ways, 10 seeds each.

Each operator returns the broken lines and the indexes of the lines the error may name (the
broken line, or the start of its entry); the check is `fuzzing.run_refused`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from fuzzing import (
    CONTROL,
    SURROGATES,
    Prepared,
    case_ids,
    entry_start,
    lines_at,
    place_of,
    prepare,
    rng_of,
    run_refused,
    with_digits,
    yaml_escape,
)  # fmt: skip

BASE = Path(__file__).with_name("base_facts.yaml")
PER_OPERATOR = 10
Broken = tuple[list[str], list[int]]


def _value_line(lines: list[str], rng: random.Random, pattern: str) -> tuple[int, str]:
    """A random line matching ``pattern`` (``key:`` lines), and its text up to the value."""
    index = rng.choice(lines_at(lines, pattern))
    return index, lines[index][: lines[index].index(":") + 1]


def _set(lines: list[str], rng: random.Random, pattern: str, value: str) -> Broken:
    index, head = _value_line(lines, rng, pattern)
    lines[index] = f"{head} {value}"
    return lines, [index, entry_start(lines, index)]


TEXT_LINES = r"^\s+(name|description|role|unit): "


def control_in_text(lines: list[str], rng: random.Random) -> Broken:
    return _set(lines, rng, TEXT_LINES, f'"A{yaml_escape(rng.choice(CONTROL))}B"')


def surrogate_in_text(lines: list[str], rng: random.Random) -> Broken:
    return _set(lines, rng, TEXT_LINES, f'"x{yaml_escape(chr(rng.randint(SURROGATES[0], SURROGATES[3])))}y"')


def raw_control_byte(lines: list[str], rng: random.Random) -> Broken:
    char = rng.choice([c for c in CONTROL if c not in "\x85"])
    return _set(lines, rng, TEXT_LINES, f"A{char}B")


def control_in_quote(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"quote: "))
    lines[index] = lines[index].replace('quote: "', f'quote: "{yaml_escape(rng.choice(CONTROL))}', 1)
    return lines, [index, entry_start(lines, index)]


def mapping_as_text(lines: list[str], rng: random.Random) -> Broken:
    value = rng.choice(["{a: 1}", "[a, b]", "{name: X, __line__: 3}", "[[x]]", "{}"])
    return _set(lines, rng, r"^\s+(name|description|type|from|to|role|unit|official_id): ", value)


def mapping_as_quote(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"quote: "))
    value = rng.choice(["{a: 1}", "[x, y]", "{source: s}"])
    lines[index] = lines[index][: lines[index].index('quote: "')] + f"quote: {value}}}]"
    return lines, [index, entry_start(lines, index)]


def tag(lines: list[str], rng: random.Random) -> Broken:
    value = rng.choice(["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]", "!custom x",
                        "!!python/object:os.system x", "!<tag:example.com,2000:x> y"])  # fmt: skip
    return _set(lines, rng, TEXT_LINES, value)


def bad_date(lines: list[str], rng: random.Random) -> Broken:
    year = rng.randint(1990, 2030)
    month, day = rng.choice([(2, 30), (2, 31), (4, 31), (6, 31), (13, 1), (0, 10), (9, 31), (11, 31)])
    return _set(lines, rng, r"^\s+(date|since): ", f"{year}-{month:02d}-{day:02d}")


def non_finite(lines: list[str], rng: random.Random) -> Broken:
    value = rng.choice([".inf", "-.inf", ".NaN", "1e400", "-1e999", "1" + "0" * rng.randint(309, 2000), "9" * 5000])
    return _set(lines, rng, r"^\s+(amount_eur|value): ", value)


def int_overflow(lines: list[str], rng: random.Random) -> Broken:
    value = rng.choice([2**63 + rng.randrange(10**6), -(2**63) - 1 - rng.randrange(10**6), 10 ** rng.randint(19, 300)])
    return _set(lines, rng, r"^\s+(year|population): ", str(value))


def unicode_digits(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"(id|from|to): (region|department|commune|epci|territory):"))
    head, _, value = lines[index].partition(": ")
    lines[index] = f"{head}: {with_digits(value, rng)}"
    return lines, [index, entry_start(lines, index)]


def duplicate_key(lines: list[str], rng: random.Random) -> Broken:
    index, head = _value_line(lines, rng, r"^\s+(name|type|from|to|id|evidence|props): ")
    lines.insert(index + 1, f"{head} again")
    return lines, [index + 1]


def repeated_section(lines: list[str], rng: random.Random) -> Broken:
    section = rng.choice(["sources", "actors", "relationships"])
    lines += [f"{section}:", "  - id: operator:extra", "    name: Extra"]
    return lines, [len(lines) - 3]


def duplicate_source(lines: list[str], rng: random.Random) -> Broken:
    at = lines.index("actors:")
    source = rng.choice(["press-2024-example", "dataset-2023-example"])
    lines[at:at] = [f"  - id: {source}", f"    name: Again {rng.randint(1, 99)}"]
    return lines, [at]


def duplicate_actor(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^  - id: [a-z]+:"))
    at = lines.index("relationships:")
    lines[at:at] = [lines[index], "    name: Twice"]
    return lines, [at]


def alias(lines: list[str], rng: random.Random) -> Broken:
    names = lines_at(lines, r"^\s+name: ")
    first, second = sorted(rng.sample(names, 2))
    lines[first] = lines[first].replace("name: ", "name: &n ", 1)
    lines[second] = lines[second][: lines[second].index("name:")] + "name: *n"
    return lines, [second]


def laughs(lines: list[str], rng: random.Random) -> Broken:
    levels = rng.randint(3, 9)
    bomb = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return bomb + lines, [1]


def deep(lines: list[str], rng: random.Random) -> Broken:
    depth = rng.choice([33, 40, 100, 1000, 10_000])
    opening, closing = rng.choice([("[", "]"), ("{a: ", "}")])
    return _set(lines, rng, TEXT_LINES, opening * depth + "x" + closing * depth)


def evidence_not_a_list(lines: list[str], rng: random.Random) -> Broken:
    value = rng.choice(["5", "yes", '"a quote"', "{source: press-2024-example}", "[5]", "[[a]]", "[{quote: x}]"])
    return _set(lines, rng, r"^\s+evidence: ", value)


def odd_key(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^    name: "))
    lines.insert(index + 1, f"    {rng.choice(['1', 'true', '3.5', 'null', '2024-01-01', '~', '0x1F'])}: x")
    return lines, [index + 1, entry_start(lines, index)]


def missing_required(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^\s+(phase: II|value: 183)$")[:2])
    entry = entry_start(lines, index)
    lines[entry] = lines[entry].replace("6201", f"{rng.randint(7000, 9999)}").replace("2024", f"new-{rng.randint(1, 999)}")
    del lines[index]
    return lines, [entry]


def reserved_key(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^    name: "))
    lines.insert(index + 1, f"    {rng.choice(['__line__', '__lines__'])}: {rng.randint(1, 9)}")
    return lines, [index + 1]


def too_long(lines: list[str], rng: random.Random) -> Broken:
    return _set(lines, rng, TEXT_LINES, "x" * rng.randint(65_537, 120_000))


def not_utf8(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, TEXT_LINES))
    lines[index] += rng.choice(["\udcff", "\udcc3(", "\udce9t\udce9", "\udc80"])  # bytes 0xff…, written with surrogateescape
    return lines, [index]


def syntax(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^    name: "))
    lines[index] = rng.choice(['    name: "unclosed', "    name: [a, b", "    name: {a: 1", "    name: a: b", "\tname: x", "  name: x"])
    return lines, [index - 1, index, index + 1, index + 2]


def long_quote(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r'quote: "'))
    lines[index] = lines[index].replace('quote: "', 'quote: "' + "mot " * rng.randint(51, 120), 1)
    return lines, [index, entry_start(lines, index)]


def unknown_kind(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^  - id: [a-z]+:"))
    lines[index] = f"  - id: {rng.choice(['widget', 'regions', 'Région', 'x'])}:{rng.randint(1, 99)}"
    return lines, [index]


def bad_key(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^  - id: [a-z]+:"))
    kind = lines[index].split(": ", 1)[1].split(":")[0]
    lines[index] = f"  - id: {kind}:{rng.choice(['Not A Slug', 'x--y', '-a', 'a_b', '９９', 'é', ''])}"
    return lines, [index]


def unknown_property(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^\s+props:$"))
    lines.insert(index + 1, f"      {rng.choice(['colour', 'amount', 'Name', 'key2'])}: red")
    return lines, [index + 1, entry_start(lines, index)]


def unknown_section(lines: list[str], rng: random.Random) -> Broken:
    lines.append(f"{rng.choice(['actor', 'relations', 'notes', 'Sources'])}: []")
    return lines, [len(lines) - 1]


def forbidden_pair(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"^    to: "))
    lines[index] = f"    to: figure:{rng.choice(['territoires-2024', 'autre-chiffre'])}"
    return lines, [entry_start(lines, index)]


def dangling_evidence(lines: list[str], rng: random.Random) -> Broken:
    index = rng.choice(lines_at(lines, r"source: (press|dataset)"))
    lines[index] = lines[index].replace("{source: ", f"{{source: nowhere-{rng.randint(1, 99)}", 1).replace("-example", "", 1)
    return lines, [index, entry_start(lines, index)]


OPERATORS: dict[str, Callable[[list[str], random.Random], Broken]] = {
    f.__name__: f
    for f in (control_in_text, surrogate_in_text, raw_control_byte, control_in_quote, mapping_as_text, mapping_as_quote, tag,
              bad_date, non_finite, int_overflow, unicode_digits, duplicate_key, repeated_section, duplicate_source,
              duplicate_actor, alias, laughs, deep, evidence_not_a_list, odd_key, missing_required, reserved_key, too_long,
              not_utf8, syntax, long_quote, unknown_kind, bad_key, unknown_property, unknown_section, forbidden_pair,
              dangling_evidence)
}  # fmt: skip


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A graph holding the base facts file."""
    return prepare(tmp_path_factory.mktemp("fuzz-facts"), ["load", "facts", BASE])


def test_the_base_file_is_valid(prepared: Prepared) -> None:
    assert prepared.baseline[0].count('"Region": 1') == 1


# Refused only after a look at the graph (is the territory or figure new?), so fewer of them.
CASES = case_ids([op for op in OPERATORS if op != "missing_required"], PER_OPERATOR) + case_ids(["missing_required"], 3)


@pytest.mark.parametrize("case", CASES)
def test_malformed_facts_are_refused(prepared: Prepared, case: str) -> None:
    lines, places = OPERATORS[case.rsplit("-", 1)[0]](BASE.read_text(encoding="utf-8").split("\n"), rng_of(case))
    path = prepared.work / f"{case}.yaml"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    run_refused(prepared, ["load", "facts", path], place_of(path, *places))
