"""The query registry: header parsing, parameter coercion, and every error message."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import QueryNotFound, QueryParameterError
from queries.registry import REQUIRED, NamedQuery, QueryParam, get_query, list_queries, parse_query

GOOD = """// title: Funders of a region
// description: Who funds what
//   in a region.
// params: region: str, year: int = 2024, phase: str = null, label: str = "a, b"
// columns: funder, total
MATCH (f)-[m:FUNDS]->(r:Region {key: $region})
WHERE m.year = $year AND coalesce($phase, 'x') = 'x' AND f.name <> $label AND f.name <> '$ignored'
RETURN f.name AS funder, sum(m.amount_eur) AS total
"""


def write(tmp_path: Path, text: str, name: str = "funders.cypher") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_header(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD))
    assert query.name == "funders"
    assert query.title == "Funders of a region"
    assert query.description == "Who funds what in a region."
    assert query.params == (
        QueryParam("region", "str"),
        QueryParam("year", "int", 2024),
        QueryParam("phase", "str", None),
        QueryParam("label", "str", "a, b"),
    )
    assert query.params[0].default is REQUIRED and query.params[0].required
    assert query.columns == ("funder", "total")
    assert query.cypher.startswith("MATCH (f)")
    assert query.example == ()
    with_example = parse_query(write(tmp_path, GOOD.replace("// columns:", "// example: region=32, year=2020\n// columns:")))
    assert with_example.example == (("region", "32"), ("year", "2020"))
    assert with_example.example_command == "tdi query run funders -p region=32 -p year=2020"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("// title: Funders of a region\n", ""), 'funders.cypher: the header has no "// title:" line'),
        (GOOD.replace("// columns: funder, total", "// colums: funder, total"), "funders.cypher, line 5: expected one of"),
        (GOOD.replace("// columns:", "// title: again\n// columns:"), 'funders.cypher, line 5: "title" is given twice'),
        (GOOD.replace("year: int", "year: integer"), 'line 4: parameter "year" has unknown type "integer"'),
        (GOOD.replace("year: int = 2024", "year: int = soon"), 'line 4: the default is wrong. Parameter "year" is "soon"'),
        (GOOD.replace("region: str,", "region,"), 'line 4: "region" is not a parameter'),
        (GOOD.replace("$region", "$regoin"), "line 4: the Cypher uses $regoin, which the params line does not declare"),
        (
            GOOD.replace(', label: str = "a, b"', ", label: str = null, extra: int = 1"),
            'declares "extra", which the Cypher never uses',
        ),
        (GOOD.replace("label: str", "region: str"), 'parameter "region" is declared twice'),
        (
            GOOD.replace("region: str", "region: id").replace("$label", "$region_key").replace("label: str", "region_key: str"),
            'parameter "region_key" clashes with the _kind or _key of an id parameter',
        ),
        (GOOD.replace("region: str", "region: id").replace("$region", "$region_code"), "the Cypher uses $region_code"),
        (GOOD.replace("$label", "$end").replace("label: str", "end: str"), 'parameter "end" is a keyword of the embedded engine'),
        (GOOD.split("MATCH")[0], "funders.cypher: there is no Cypher after the header"),
        (GOOD.replace("// columns:", "// example: region\n// columns:"), 'line 5: "region" is not an example value'),
        (GOOD.replace("// columns:", "// example: year=2020\n// columns:"), 'line 5: the example does not bind. Query "funders" needs parameter "region"'),
        (GOOD.replace("// columns:", "// example: region=32, year=soon\n// columns:"), 'line 5: the example does not bind. Query "funders": Parameter "year" is "soon"'),
    ],
)
def test_malformed_header(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(QueryNotFound) as excinfo:
        parse_query(write(tmp_path, text))
    assert message in str(excinfo.value)


def test_dollar_in_string_and_comment_is_not_a_parameter(tmp_path: Path) -> None:
    text = GOOD.replace("RETURN", "// uses $nothing here\nRETURN").replace("'$ignored'", '"$also \\" $ignored"')
    assert [p.name for p in parse_query(write(tmp_path, text)).params] == ["region", "year", "phase", "label"]


def test_id_parameter_gives_its_kind_and_key(tmp_path: Path) -> None:
    """An id parameter binds three values: the id, the text before its first colon and the text after it."""
    text = GOOD.replace("region: str", "region: id").replace("{key: $region}", "{key: $region_key}")
    query = parse_query(write(tmp_path, text))
    assert query.params[0] == QueryParam("region", "id")
    assert query.bind({"region": "region:32"})["region_key"] == "32"
    bound = query.bind({"region": "site:acv:001"})
    assert (bound["region"], bound["region_kind"], bound["region_key"]) == ("site:acv:001", "site", "acv:001")
    bound = query.bind({"region": "32"})  # no colon: no node has that id
    assert (bound["region_kind"], bound["region_key"]) == (None, None)
    only_kind = text.replace("f.name <> $label", "f.name <> $label AND $region_kind IS NOT NULL")
    assert parse_query(write(tmp_path, only_kind)).bind({"region": "region:32"})["region_kind"] == "region"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QueryNotFound, match="No query file"):
        parse_query(tmp_path / "nope.cypher")


@pytest.mark.parametrize(
    ("type_", "text", "value"),
    [
        ("str", "Douaisis", "Douaisis"),
        ("str", 32, "32"),
        ("int", " 2024 ", 2024),
        ("int", 3.0, 3),
        ("float", "12,5", 12.5),
        ("float", 2, 2.0),
        ("bool", "yes", True),
        ("bool", "False", False),
        ("bool", True, True),
        ("date", "2024-02-29", "2024-02-29"),
        ("date", "2019-09", "2019-09"),
        ("date", "2019", "2019"),
        ("list", "a, b,,c", ["a", "b", "c"]),
        ("list", ("x", 1), ["x", "1"]),
        ("str", None, None),
        ("id", "REGION:32", "region:32"),
        ("id", "StateBody:anct", "statebody:anct"),
        ("id", "territory:II-ti-3204", "territory:II-ti-3204"),
        ("id", "bpifrance", "bpifrance"),
        ("kind", " StateBody ", "statebody"),
        ("rel", "holds_role", "HOLDS_ROLE"),
    ],
)
def test_coerce(type_: str, text: object, value: object) -> None:
    assert QueryParam("p", type_).coerce(text) == value


@pytest.mark.parametrize(
    ("type_", "text", "expected"),
    [
        ("int", "12.5", "a whole number (int)"),
        ("int", True, "a whole number (int)"),
        ("float", "douze", "a number (float)"),
        ("bool", "maybe", "true or false (bool)"),
        ("date", "2024-02-30", "a date such as 2024-01-31, 2024-01 or 2024 (date)"),
        ("date", "31/01/2024", "a date such as 2024-01-31, 2024-01 or 2024 (date)"),
        ("str", ["a"], "text (str)"),
    ],
)
def test_coerce_errors(type_: str, text: object, expected: str) -> None:
    with pytest.raises(QueryParameterError) as excinfo:
        QueryParam("p", type_).coerce(text)
    assert str(excinfo.value) == f'Parameter "p" is "{text}"; expected {expected}.'


@pytest.mark.parametrize(
    ("param", "text", "expected"),
    [
        (QueryParam("limit", "int", minimum=1), "-1", "a whole number, 1 or more (int >= 1)"),
        (QueryParam("limit", "int", minimum=1), "0", "a whole number, 1 or more (int >= 1)"),
        (QueryParam("limit", "int", minimum=1), str(2**63), "a whole number from 1 to 9223372036854775807 (int >= 1)"),
        (QueryParam("year", "int"), str(-(2**63) - 1), "a whole number from -9223372036854775808 to 9223372036854775807 (int)"),
        (QueryParam("share", "float", minimum=0), "-0.5", "a number, 0 or more (float >= 0)"),
        (QueryParam("share", "float"), "inf", "a finite number (float)"),
        (QueryParam("share", "float"), "nan", "a finite number (float)"),
    ],
)
def test_a_number_the_query_cannot_take_is_refused(param: QueryParam, text: str, expected: str) -> None:
    with pytest.raises(QueryParameterError) as excinfo:
        param.coerce(text)
    assert str(excinfo.value) == f'Parameter "{param.name}" is "{text}"; expected {expected}.'
    assert param.coerce(str(param.minimum or 0)) == (param.minimum or 0)


def test_a_minimum_is_read_from_the_header(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD.replace("year: int = 2024", "year: int >= 2000 = 2024")))
    assert query.params[1] == QueryParam("year", "int", 2024, minimum=2000) and query.params[1].spec == "int >= 2000"
    assert parse_query(write(tmp_path, GOOD.replace("year: int = 2024", "year: int >= 2000"))).params[1].required
    with pytest.raises(QueryNotFound) as below:
        parse_query(write(tmp_path, GOOD.replace("year: int = 2024", "year: int >= 2000 = 1999")))
    assert str(below.value) == (
        'funders.cypher, line 4: the default is wrong. Parameter "year" is "1999"; expected a whole number, 2000 or more (int >= 2000).'
    )
    with pytest.raises(QueryNotFound) as text:
        parse_query(write(tmp_path, GOOD.replace("region: str", "region: str >= 1")))
    assert str(text.value) == 'funders.cypher, line 4: parameter "region" is str: only an int or a float takes a minimum (">= N").'


NUMBERS = [(q, p) for q in list_queries() for p in q.params if p.type in ("int", "float")]


@pytest.mark.parametrize(("query", "param"), NUMBERS, ids=[f"{q.name}-{p.name}" for q, p in NUMBERS])
def test_every_shipped_number_refuses_a_negative_value_before_the_engine(query: NamedQuery, param: QueryParam) -> None:
    """A count (``limit``, ``min_regions``…) below 1 is refused by tdi, naming the parameter and what it takes."""
    assert param.minimum is not None
    with pytest.raises(QueryParameterError) as excinfo:
        query.bind({**dict(query.example), param.name: "-1"})
    assert str(excinfo.value) == f'Query "{query.name}": Parameter "{param.name}" is "-1"; expected a whole number, {param.minimum} or more ({param.spec}).'


def test_an_id_of_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(QueryParameterError) as excinfo:
        get_query("shortest-path").bind({"from_id": "regoin:32", "to_id": "operator:bpifrance"})
    message = str(excinfo.value)
    assert message.startswith('Query "shortest-path": Parameter "from_id" is "regoin:32": unknown kind "regoin". Known kinds: ')
    assert "region" in message.split("Known kinds: ")[1]


def test_a_code_is_read_in_any_case_and_one_not_taken_is_refused(tmp_path: Path) -> None:
    """A phase, a kind, a relationship type or a listed choice becomes the spelling the graph stores before the query runs."""
    query = parse_query(write(tmp_path, GOOD.replace("phase: str = null", "phase: I|II = null")))
    assert query.params[2] == QueryParam("phase", "choice", None, choices=("I", "II")) and query.params[2].spec == "I|II"
    assert query.bind({"region": "32", "phase": "ii"})["phase"] == "II"
    with pytest.raises(QueryParameterError) as excinfo:
        query.bind({"region": "32", "phase": "III"})
    assert str(excinfo.value) == 'Query "funders": Parameter "phase" is "III"; expected I or II (in any case).'
    assert QueryParam("kind", "kind").coerce("Epci") == "epci" and QueryParam("rel_type", "rel").coerce("funds") == "FUNDS"
    with pytest.raises(QueryParameterError, match='Parameter "rel_type" is "backs": unknown relationship type "backs". Known types: CARRIES'):
        QueryParam("rel_type", "rel").coerce("backs")
    with pytest.raises(QueryNotFound, match='parameter "phase" lists a choice twice'):
        parse_query(write(tmp_path, GOOD.replace("phase: str = null", "phase: I|i = null")))


CODES = [(q, p) for q in list_queries() for p in q.params if p.name in ("phase", "change", "kind", "rel_type")]


@pytest.mark.parametrize(("query", "param"), CODES, ids=[f"{q.name}-{p.name}" for q, p in CODES])
def test_every_shipped_code_parameter_is_a_code(query: NamedQuery, param: QueryParam) -> None:
    """Each phase, change, kind and relationship type of the shipped queries is declared as a code, not as text."""
    assert param.choices or param.type in ("kind", "rel")
    stored = param.choices[-1] if param.choices else {"kind": "epci", "rel": "FUNDS"}[param.type]
    assert query.bind({**dict(query.example), param.name: stored.swapcase()})[param.name] == stored


# Parameters that name an actor: of the kind they are named after, or of any kind.
OF_A_KIND = {"region", "department", "territory", "epci", "commune", "operator", "programme", "agreement", "event", "person", "source"}
OF_ANY_KIND = {"actor", "organisation", "from_id", "to_id"}
ACTORS = [(q, p) for q in list_queries() for p in q.params if p.name in OF_A_KIND | OF_ANY_KIND]


@pytest.mark.parametrize(("query", "param"), ACTORS, ids=[f"{q.name}-{p.name}" for q, p in ACTORS])
def test_every_shipped_actor_parameter_designates_an_actor(query: NamedQuery, param: QueryParam) -> None:
    """Each region, territory, operator… of the shipped queries is declared by its kind (any kind: id), not as text,
    so that it is resolved to a key before the query runs; the Cypher never compares it with a name."""
    assert param.is_actor and param.type == ("id" if param.name in OF_ANY_KIND else param.name)
    assert f"name = ${param.name}" not in query.cypher and f"${param.name} IN [" not in query.cypher


def test_a_kind_of_actor_is_a_type(tmp_path: Path) -> None:
    """``region: region`` declares a parameter that designates a region: bound as text, an id's kind in lower case."""
    query = parse_query(write(tmp_path, GOOD.replace("region: str", "region: region")))
    assert query.params[0] == QueryParam("region", "region") and query.params[0].spec == "region"
    assert query.bind({"region": " REGION:32 "})["region"] == "region:32"
    assert query.bind({"region": "Hauts de France"})["region"] == "Hauts de France"
    with pytest.raises(QueryParameterError, match='Parameter "region" is ""; expected an actor of kind region: its key, id or name \\(region\\).'):
        query.bind({"region": ""})


def test_bind_fills_defaults_and_coerces() -> None:
    query = get_query("co-funders")
    assert query.bind({}) == {"min_shared": 1, "with_support": False}
    assert query.bind({"min_shared": "3", "with_support": "on"}) == {"min_shared": 3, "with_support": True}


def test_bind_errors() -> None:
    funders = get_query("funders-of-region")
    with pytest.raises(QueryParameterError) as missing:
        funders.bind({})
    assert str(missing.value) == 'Query "funders-of-region" needs parameter "region" (region). Add -p region=VALUE.'
    with pytest.raises(QueryParameterError) as unknown:
        funders.bind({"region": "32", "foo": "1"})
    assert str(unknown.value) == 'Query "funders-of-region" has no parameter "foo". Its parameters: region.'
    with pytest.raises(QueryParameterError) as none:
        get_query("territory-changes").bind({"foo": "1"})
    assert str(none.value) == 'Query "territory-changes" has no parameter "foo". It takes no parameters.'
    with pytest.raises(QueryParameterError) as wrong:
        get_query("co-funders").bind({"min_shared": "many"})
    assert str(wrong.value) == 'Query "co-funders": Parameter "min_shared" is "many"; expected a whole number (int).'


def test_query_not_found() -> None:
    with pytest.raises(QueryNotFound) as excinfo:
        get_query("fundres")
    assert str(excinfo.value) == 'No query named "fundres". Did you mean "co-funders"? Run "tdi queries" to list them.'
    with pytest.raises(QueryNotFound) as far:
        get_query("zzzz")
    assert str(far.value) == 'No query named "zzzz". Run "tdi queries" to list them.'
    with pytest.raises(QueryNotFound):
        get_query("../registry")


def test_list_queries_sorted() -> None:
    names = [q.name for q in list_queries()]
    assert names == sorted(names) and len(names) >= 15


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_shipped_query_header(query: NamedQuery) -> None:
    assert query.title and query.description and query.columns
    assert (
        "id" in query.columns or any(c.endswith("_id") or c == "ids" for c in query.columns) or query.name == "territory-changes"
    )
    assert len(set(query.columns)) == len(query.columns)
    assert query.name == query.path.stem and query.path.suffix == ".cypher"
