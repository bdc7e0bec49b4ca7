"""Fuzz ``tdi load territories`` (the official phase II list, cut to 30 rows and broken in one
place) and the options of ``tdi actor add`` and ``tdi link add``.

A list is read and checked before the graph is opened, and so are the options: every case
must leave the graph's files untouched.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RAW
from fuzzing import CONTROL, Prepared, case_ids, prepare, rng_of, run_refused, with_digits

BASE = Path(__file__).with_name("base_facts.yaml")
LIST = RAW / "ti_phase2_groupements_anct_20240704.csv"
PER_OPERATOR = 10


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A graph holding the base facts file."""
    return prepare(tmp_path_factory.mktemp("fuzz-territories"), ["load", "facts", BASE])


def base_list() -> list[str]:
    """The header and the first 30 rows of the phase II list of groupements."""
    return LIST.read_text(encoding="utf-8").split("\n")[:31]


# ---------------------------------------------------------------- territory lists

ListBroken = tuple[list[str], list[str], str]  # lines, extra options, place regex (after the file name)


def _row(lines: list[str], rng: random.Random) -> int:
    return rng.randrange(1, len(lines))


def _set_cell(lines: list[str], rng: random.Random, column: int, value: str) -> ListBroken:
    row = _row(lines, rng)
    cells = lines[row].split(",")
    cells[column] = value
    lines[row] = ",".join(cells)
    return lines, [], rf":{row + 1}:"


def extra_cell(lines: list[str], rng: random.Random) -> ListBroken:
    row = _row(lines, rng)
    lines[row] += rng.choice([",x", ",,y", ",1,2"])
    return lines, [], rf":{row + 1}:"


def nul_byte(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, rng.choice([1, 3]), f"Pays{chr(0)}Vitryat")


def control_in_name(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, 1, f"Pays{rng.choice([c for c in CONTROL if c not in chr(0)])}Vitryat")


def unicode_digits(lines: list[str], rng: random.Random) -> ListBroken:
    row = _row(lines, rng)
    cells = lines[row].split(",")
    cells[2] = with_digits(cells[2], rng)
    lines[row] = ",".join(cells)
    return lines, [], rf":{row + 1}:"


def bad_id(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, 0, rng.choice(["ti/01", "ti 01", "", "TI_01", "ti-٠١", "ti-01\u200b"]))


def empty_name(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, 1, rng.choice(["", " ", "  "]))


def two_names(lines: list[str], rng: random.Random) -> ListBroken:
    row = rng.randrange(2, len(lines))
    cells = lines[row].split(",")
    cells[0] = lines[row - 1].split(",")[0]
    cells[1] = f"Autre nom {rng.randint(1, 99)}"
    lines[row] = ",".join(cells)
    return lines, [], rf":{row + 1}:"


def unknown_siren(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, 2, f"{rng.randrange(10**8, 10**9)}"[:8] + "0" if rng.random() < 0.5 else "1" * 9)


def bad_siren(lines: list[str], rng: random.Random) -> ListBroken:
    return _set_cell(lines, rng, 2, rng.choice(["12345678", "1234567890", "2A0012345", "abcdefghi", "2000 7246 0x"]))


def vintage(lines: list[str], rng: random.Random) -> ListBroken:
    value = rng.choice(["garbage", "2024-02-30", "2024-13-01", "20240704x", "2024-7-4", "٢٠٢٤-٠٧-٠٤", "2024-07-04\n", ""])
    return lines, ["--vintage", value], r": --vintage: "


def header(lines: list[str], rng: random.Random) -> ListBroken:
    lines[0] = rng.choice(["idti,lib_ti,siren_groupement,lib_groupement", "id_ti,libti,siren_groupement,lib_groupement",
                           "id_ti,lib_ti,siren_grp,lib_groupement", "id_ti,lib_ti,siren_groupement,insee_com", ""])  # fmt: skip
    return lines, [], r":1:"


def huge_cell(lines: list[str], rng: random.Random) -> ListBroken:
    row = _row(lines, rng)
    cells = lines[row].split(",")
    cells[3] = '"' + "x" * rng.randint(131_073, 200_000) + '"'
    lines[row] = ",".join(cells)
    return lines, [], rf":{row + 1}:"


def latin1_controls(lines: list[str], rng: random.Random) -> ListBroken:
    # Bytes that are not UTF-8 (a lone surrogate, C1 controls) make the file read as Latin-1, where the
    # first multi-byte character (maybe on an earlier line) becomes a control character, or names differ.
    row = _row(lines, rng)
    cells = lines[row].split(",")
    cells[1] += rng.choice(["\udced\udca0\udc80", "\udc81", "\udc9f"])
    lines[row] = ",".join(cells)
    return lines, [], r":\d+: "


LIST_OPERATORS: dict[str, Callable[[list[str], random.Random], ListBroken]] = {
    f.__name__: f
    for f in (extra_cell, nul_byte, control_in_name, unicode_digits, bad_id, empty_name, two_names, unknown_siren, bad_siren,
              vintage, header, huge_cell, latin1_controls)
}  # fmt: skip


@pytest.mark.parametrize("case", case_ids(LIST_OPERATORS, PER_OPERATOR))
def test_malformed_territory_list_is_refused(prepared: Prepared, case: str) -> None:
    lines, options, place = LIST_OPERATORS[case.rsplit("-", 1)[0]](base_list(), rng_of(case))
    path = prepared.work / case / LIST.name
    path.parent.mkdir()
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    run_refused(prepared, ["load", "territories", path, *options], re.escape(str(path)) + place)


# ---------------------------------------------------------------- actor add, link add

Options = tuple[list[str], str]  # the command's arguments, the place regex (an option)
KEYS = {"region": "32", "department": "62", "commune": "62119", "epci": "200072460", "territory": "II-ti-6201"}


def _strange(rng: random.Random) -> str:
    return rng.choice([f"A{rng.choice(CONTROL)}B", f"x{chr(rng.randint(0xD800, 0xDFFF))}", "x" * 70_000, "\ufffe"])


def actor_key_digits(rng: random.Random) -> Options:
    kind = rng.choice(sorted(KEYS))
    return ["actor", "add", kind, "--key", with_digits(KEYS[kind], rng), "--name", "X", "--yes"], r"key"


def actor_bad_name(rng: random.Random) -> Options:
    return ["actor", "add", "operator", "--key", "x-op", "--name", _strange(rng), "--yes"], r"--name: "


def actor_bad_alias(rng: random.Random) -> Options:
    return ["actor", "add", "operator", "--key", "x-op", "--name", "X", "--alias", _strange(rng), "--yes"], r"--alias: "


def actor_bad_text_prop(rng: random.Random) -> Options:
    return ["actor", "add", "operator", "--key", "x-op", "--name", "X", "--prop", f"description={_strange(rng)}"], r"--prop description: "


def actor_unknown_prop(rng: random.Random) -> Options:
    name = rng.choice(["colour", "amount_eur", "Name", "__line__", "search_text2"])
    return ["actor", "add", "operator", "--key", "x-op", "--name", "X", "--prop", f"{name}=1"], rf"--prop {re.escape(name)}: "


def actor_int_overflow(rng: random.Random) -> Options:
    value = rng.choice([str(2**63 + rng.randrange(10**6)), str(-(2**63) - 1), "1" + "0" * rng.randint(19, 400), "1e400", "١٢"])
    return ["actor", "add", "commune", "--key", "62119", "--name", "Béthune", "--prop", f"population={value}"], r"--prop population: "


def actor_non_finite(rng: random.Random) -> Options:
    value = rng.choice(["inf", "-inf", "nan", "Infinity", "1e400", "1" + "0" * rng.randint(400, 1000), "١٢", "12,5,3"])
    return ["actor", "add", "figure", "--key", "x-fig", "--name", "X", "--prop", f"value={value}"], r"--prop value: "


def actor_unknown_kind(rng: random.Random) -> Options:
    return ["actor", "add", rng.choice(["widget", "regions", "Région", ""]), "--key", "x", "--name", "X"], r"kind"


def link_ids(rng: random.Random) -> Options:
    kind = rng.choice(sorted(KEYS))
    bad = rng.choice([f"{kind}:{with_digits(KEYS[kind], rng)}", f"{kind}{KEYS[kind]}", f"widget:{KEYS[kind]}", ":", f"{kind}:"])
    ends = [bad, "territory:II-ti-6201"] if rng.random() < 0.5 else ["region:32", bad]
    return ["link", "add", "FUNDS", *ends], r"(FROM_ID|TO_ID|actor id|kind|key)"


def link_non_finite(rng: random.Random) -> Options:
    value = rng.choice(["inf", "nan", "-Infinity", "1e400", "1" + "0" * rng.randint(400, 1000), "١٢", "1.500"])  # ambiguous; 1 200 is an amount, as load table reads it
    return ["link", "add", "FUNDS", "region:32", "territory:II-ti-6201", "--prop", f"amount_eur={value}"], r"--prop amount_eur: "


def link_int_overflow(rng: random.Random) -> Options:
    value = rng.choice([str(2**63 + rng.randrange(10**6)), "9" * rng.randint(20, 400), "2024.5", "٢٠٢٤", "true"])
    return ["link", "add", "FUNDS", "region:32", "territory:II-ti-6201", "--prop", f"year={value}"], r"--prop year: "


def link_bad_text(rng: random.Random) -> Options:
    return ["link", "add", "HOLDS_ROLE", "person:jeanne-dupont", "region:32", "--prop", f"role={_strange(rng)}"], r"--prop role: "


def link_unknown(rng: random.Random) -> Options:
    choice = rng.choice(["type", "pair", "prop"])
    if choice == "type":
        return ["link", "add", rng.choice(["NOPE", "FUNDS2", ""]), "region:32", "territory:II-ti-6201"], r"relationship type"
    if choice == "pair":
        return ["link", "add", "FUNDS", "region:32", rng.choice(["person:jeanne-dupont", "figure:x"])], r"cannot go from"
    return ["link", "add", "FUNDS", "region:32", "territory:II-ti-6201", "--prop", "colour=red"], r"--prop colour: "


OPTION_OPERATORS: dict[str, Callable[[random.Random], Options]] = {
    f.__name__: f
    for f in (actor_key_digits, actor_bad_name, actor_bad_alias, actor_bad_text_prop, actor_unknown_prop, actor_int_overflow,
              actor_non_finite, actor_unknown_kind, link_ids, link_non_finite, link_int_overflow, link_bad_text, link_unknown)
}  # fmt: skip


@pytest.mark.parametrize("case", case_ids(OPTION_OPERATORS, PER_OPERATOR))
def test_malformed_options_are_refused(prepared: Prepared, case: str) -> None:
    args, place = OPTION_OPERATORS[case.rsplit("-", 1)[0]](rng_of(case))
    result = run_refused(prepared, args, place)
    assert prepared.stat() == prepared.files, "checked before the graph is opened"
    assert len(result.stderr) < 2000
