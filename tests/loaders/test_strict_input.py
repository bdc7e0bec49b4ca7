"""Strict reading, one behaviour per test, with the exact place the error names (the fuzz suite
in tests/fuzz/ generates a thousand more cases of the same kinds)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.errors import LoaderError, SchemaError
from graph.schema import Property
from loaders.graph_files import read_json, read_node_link
from loaders.manual import check_actor, check_link
from loaders.problems import read_yaml
from loaders.values import BadValue, parse_amount, parse_siren

# libyaml (PyYAML's C parser, in its wheels) refuses the escape itself; PyYAML's own parser reads it and tdi refuses the text
LONE_SURROGATE = (
    ":1: not valid YAML: found invalid Unicode character escape code"
    if yaml.__with_libyaml__
    else r':1: n: not valid YAML: "\ud800" holds a lone surrogate (\ud800)'
)


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x [1]\nb: *x\n", ":2: not valid YAML: aliases (*name) are not accepted"),
    ("a: 1\nb: 2\na: 3\n", ":3: a: not valid YAML: given twice in one mapping (first at line 1)"),
    ("a:\n  b: !!binary aGk=\n", ":2: b: not valid YAML: the tag !!binary is not accepted"),
    ("s: !!set {x}\n", ":1: s: not valid YAML: the tag !!set is not accepted"),
    ("d: 2024-02-30\n", ':1: d: not valid YAML: "2024-02-30" is not a date of the calendar'),
    ('n: "A\\0B"\n', r':1: n: not valid YAML: "A\x00B" holds a control character (\x00)'),
    ('n: "\\ud800"\n', LONE_SURROGATE),
    ("x: " + "[" * 100 + "]" * 100 + "\n", ":1: not valid YAML: nested more than 32 levels deep"),
    ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", ":1: not valid YAML: nested more than 32 levels deep"),
])  # fmt: skip
def test_yaml_is_read_strictly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoaderError) as error:
        read_yaml(path)
    assert str(error.value).startswith(f"{path}{message}"), str(error.value)


def test_yaml_keys_are_the_text_written_and_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("1: a\ntrue: b\nd: 2024-02-03\n", encoding="utf-8")
    data = read_yaml(path)
    assert (data["1"], data["true"], data["d"]) == ("a", "b", "2024-02-03")


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("string", {"a": 1, "__line__": 3}, 'property "p" is a mapping; expected text.'),
    ("list", ["a", ["b"]], 'property "p": an item is a list; expected text.'),
    ("int", 2**63, 'property "p": 9223372036854775808 is out of range'),
    ("float", float("inf"), 'property "p": inf is not a finite number'),
    ("float", 10**400, 'property "p" is'),
    ("float", "١٢", 'property "p" is "١٢"; expected a number.'),
    ("int", "12.5", 'property "p" is "12.5"; expected a whole number.'),
])  # fmt: skip
def test_stored_values_keep_their_limits(kind: str, value: object, message: str) -> None:
    with pytest.raises(SchemaError) as error:
        Property("p", kind).coerce(value)
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize(("text", "message"), [
    ('{"nodes": [],\n "x": NaN}', ":2: not valid JSON: NaN is not a number JSON allows."),
    ('{"a": 1, "a": 2}', ':1: not valid JSON: key "a" is given twice in one object.'),
    ('{"nodes":\n ' + "[" * 5000 + "]" * 5000 + "}", ":2: not valid JSON: nested too deep."),
])  # fmt: skip
def test_json_is_read_strictly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "g.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoaderError) as error:
        read_json(path)
    assert str(error.value) == f"{path}{message}"


def test_node_link_entries_must_be_objects(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"nodes": [5], "links": []}', encoding="utf-8")
    with pytest.raises(LoaderError, match=r'g.json, node 1: is "5"; expected an object.'):
        read_node_link(path)


def test_options_are_checked_before_the_graph_is_opened() -> None:
    with pytest.raises(SchemaError, match=r'^--prop population: property "population": 9223372036854775808 is out of range'):
        check_actor("commune", "62119", "Béthune", {"population": str(2**63)})
    with pytest.raises(SchemaError, match=r"^TO_ID: Region key \"٣٢\" is not valid"):
        check_link("FUNDS", "statebody:anct", "region:٣٢", {})


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"search_text": "danone"}, "--prop search_text: tdi derives it from the name and aliases; it cannot be given."),
        ({"name": "Danone SA"}, "--prop name: give it with --name."),
        ({"aliases": "DN"}, "--prop aliases: give it with --alias."),
        ({"sources": "press-2024"}, "--prop sources: give it with --source."),
        ({"nosuch": "1"}, "--prop nosuch: Company has no such property. Its properties: description, url, evidence, sector."),
    ],
)
def test_prop_takes_neither_what_tdi_derives_nor_what_has_its_own_option(props: dict, message: str) -> None:
    with pytest.raises(SchemaError) as error:
        check_actor("company", "552032534", "Danone", props)
    assert str(error.value) == message


def test_a_source_is_not_added_as_an_actor() -> None:
    with pytest.raises(SchemaError) as error:
        check_actor("source", "my-notes", "My notes", {})
    assert str(error.value) == 'A source is not an actor: declare it in a facts file ("tdi load facts", docs/facts-format.md), then cite it with --source.'


def test_link_prop_takes_neither_sources_nor_unknown_names() -> None:
    with pytest.raises(SchemaError, match=r"^--prop sources: give it with --source\.$"):
        check_link("LOCATED_IN", "company:552032534", "region:32", {"sources": "x"})
    with pytest.raises(SchemaError, match=r"^--prop nosuch: LOCATED_IN has no such property\. Its properties: evidence\.$"):
        check_link("LOCATED_IN", "company:552032534", "region:32", {"nosuch": "1"})


def test_a_facts_file_may_not_give_what_tdi_derives(tmp_path: Path) -> None:
    from loaders.facts import read_facts

    path = tmp_path / "notes.yaml"
    path.write_text("sources:\n  - {id: notes, name: Notes, type: manual}\nactors:\n  - id: company:552032534\n    name: Danone\n"
                    "    props: {search_text: danone}\n    evidence: [{source: notes, quote: Danone}]\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(LoaderError) as error:
        read_facts(path)
    assert str(error.value).endswith(f"{path}:6: search_text: tdi derives it from the name and aliases; leave it out")  # the line of the key, in props


def test_table_values_take_ascii_digits_and_finite_amounts() -> None:
    with pytest.raises(BadValue, match="is too large an amount"):
        parse_amount("1" + "0" * 400 + " €")
    with pytest.raises(BadValue, match="is not a SIREN or a SIRET"):
        parse_siren("٥٥٢٠٣٢٥٣٤")
