"""The CLI's read commands and every command's --help: wiring and errors, through click's runner.

They run on the session's built-in graph (opened read-only). Each command: its main path, and its
main error (exit code 1, one line, no traceback). Commands that write are in
``test_cli_write_commands.py``.
"""

from __future__ import annotations

import json

import pytest

from cli import cli
from tests.cli_graph import counts, run


def test_stats_json_shape(runner, builtin_db):
    result = run(runner, builtin_db, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"nodes", "relationships"}
    assert data["nodes"]["Department"] == 109 and data["relationships"]["IN_REGION"] >= 109
    assert all(isinstance(n, int) and n > 0 for part in data.values() for n in part.values())


def test_stats_without_a_graph(runner, tmp_path):
    result = run(runner, tmp_path / "nothing", "stats")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No graph at") and "tdi demo" in result.stderr
    assert not (tmp_path / "nothing").exists()


def test_find_ignores_case_and_accents(runner, builtin_db):
    result = run(runner, builtin_db, "find", "bethune", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert any(r["id"] == "commune:62119" and r["name"] == "Béthune" for r in rows)


def test_find_unknown_kind(runner, builtin_db):
    result = run(runner, builtin_db, "find", "x", "--kind", "castle")
    assert result.exit_code == 1
    assert "castle" in result.stderr and "Traceback" not in result.output


def test_show_lists_relationships_and_sources(runner, builtin_db):
    result = run(runner, builtin_db, "show", "operator:banque-des-territoires", "--format", "json")
    assert result.exit_code == 0, result.output
    actor = json.loads(result.stdout)
    assert actor["id"] == "operator:banque-des-territoires"
    assert actor["relationships"] and all(r["sources"] for r in actor["relationships"])
    table = run(runner, builtin_db, "show", "operator:banque-des-territoires")
    assert table.exit_code == 0 and "Banque des Territoires" in table.stdout


def test_show_unknown_actor(runner, builtin_db):
    result = run(runner, builtin_db, "show", "region:99")
    assert result.exit_code == 1
    assert result.stderr == 'Error: No actor region:99. Run "tdi find TEXT" to look it up.\n'


@pytest.mark.parametrize("args", [["show", "department:2a"], ["path", "department:2a", "region:94"], ["viz", "ego", "department:2a"]])
def test_an_id_written_in_other_letters_names_the_actor_meant(runner, builtin_db, args):
    result = run(runner, builtin_db, *args)
    assert result.exit_code == 1
    assert result.stderr == "Error: No actor department:2a. Did you mean department:2A?\n"


@pytest.mark.parametrize("args", [["show", "source:press-2019-09-premier-bilan"], ["find", "bilan", "--kind", "source"],
                                  ["path", "Source:press-2019-09-premier-bilan", "region:32"]])  # fmt: skip
def test_a_source_given_as_an_actor_is_named_a_source(runner, builtin_db, args):
    result = run(runner, builtin_db, *args)
    assert result.exit_code == 1
    assert result.stderr == ('Error: A source is a document, not an actor: "tdi sources" lists them, '
                             '"tdi query run actors-of-source -p source=KEY" gives the actors one states.\n')  # fmt: skip


def test_queries_lists_every_named_query(runner):
    from queries.registry import list_queries

    result = runner.invoke(cli, ["queries", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["name"] for r in json.loads(result.stdout)] == [q.name for q in list_queries()]


def test_query_run_csv(runner, builtin_db):
    from queries.registry import list_queries

    no_params = next(q for q in list_queries() if not q.params)
    result = run(runner, builtin_db, "query", "run", no_params.name, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(no_params.columns)


def test_query_run_unknown(runner, builtin_db):
    result = run(runner, builtin_db, "query", "run", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: No query named "nope". Run "tdi queries" to list them.')


@pytest.mark.parametrize(("query", "param"), [("communes-in-most-programmes", "limit"), ("multi-region-actors", "min_regions")])
def test_query_run_refuses_a_negative_count_before_the_engine(runner, builtin_db, query, param):
    result = run(runner, builtin_db, "query", "run", query, "-p", f"{param}=-1")
    assert result.exit_code == 1
    assert result.stderr == f'Error: Query "{query}": Parameter "{param}" is "-1"; expected a whole number, 1 or more (int >= 1).\n'


def test_query_run_id_of_an_unknown_kind(runner, builtin_db):
    result = run(runner, builtin_db, "query", "run", "shortest-path", "-p", "from_id=regoin:32", "-p", "to_id=operator:bpifrance")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: Query "shortest-path": Parameter "from_id" is "regoin:32": unknown kind "regoin".')
    assert len(result.stderr.splitlines()) == 1


def test_query_run_reads_a_phase_in_any_case(runner, builtin_db):
    result = run(runner, builtin_db, "query", "run", "territories-by-phase", "-p", "phase=ii", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["territory:II-ti-3207"]
    wrong = run(runner, builtin_db, "query", "run", "territories-of-region", "-p", "region=32", "-p", "phase=III")
    assert wrong.exit_code == 1
    assert wrong.stderr == 'Error: Query "territories-of-region": Parameter "phase" is "III"; expected I or II (in any case).\n'


def test_query_run_reads_an_actor_by_key_id_or_name(runner, builtin_db):
    """As the press writes it: "Hauts de France" answered nothing, as did hauts-de-france, REGION:32 and i-ti-3204."""
    expected = run(runner, builtin_db, "query", "run", "territories-of-region", "-p", "region=32", "--format", "json")
    assert expected.exit_code == 0 and json.loads(expected.stdout)
    for spelling in ("Hauts de France", "hauts-de-france", "REGION:32"):
        result = run(runner, builtin_db, "query", "run", "territories-of-region", "-p", f"region={spelling}", "--format", "json")
        assert result.exit_code == 0, result.output
        assert result.stdout == expected.stdout, spelling
    funders = run(runner, builtin_db, "query", "run", "funders-of-territory", "-p", "territory=i-ti-3204", "--format", "json")
    assert funders.exit_code == 0 and json.loads(funders.stdout)


def test_query_run_names_the_actors_a_name_may_mean(runner, builtin_db):
    result = run(runner, builtin_db, "query", "run", "epci-of-territory", "-p", "territory=Saint")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Query "epci-of-territory": Parameter "territory" is "Saint": it matches 2 actors: territory:I-ti-3209 '
        "(Flandre - Saint-Omer), territory:I-ti-5311 (Saint-Brieuc Baie d'Armor). Give one of these ids instead.\n"
    )


def test_query_run_bad_param_syntax(runner, builtin_db):
    result = run(runner, builtin_db, "query", "run", "anything", "-p", "novalue")
    assert result.exit_code == 2
    assert "key=value" in result.stderr


def test_cypher_reads_with_parameters(runner, builtin_db):
    result = run(
        runner, builtin_db, "cypher", "MATCH (r:Region {key: $code}) RETURN r.name AS name", "-p", "code=\"32\"", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"name": "Hauts-de-France"}]


@pytest.mark.parametrize(
    ("fmt", "stdout", "stderr"),
    [("csv", "r.name,key\n", ""), ("json", "[]\n", ""), ("table", "", "(no rows)\n")],
)
def test_cypher_with_no_row_keeps_its_columns(runner, builtin_db, fmt, stdout, stderr):
    result = run(runner, builtin_db, "cypher", "MATCH (r:Region) RETURN r.name, r.key AS key LIMIT 0", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (stdout, stderr)


def test_cypher_syntax_error(runner, builtin_db):
    result = run(runner, builtin_db, "cypher", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The graph rejected the query") and result.stderr.count("\n") == 1
    for empty in ("", "  "):
        result = run(runner, builtin_db, "cypher", empty)
        assert result.exit_code == 2 and "QUERY is empty" in result.stderr and "Connection exception" not in result.stderr


def test_viz_ego(runner, builtin_db, tmp_path):
    out = tmp_path / "ego.html"
    result = run(runner, builtin_db, "viz", "ego", "region:32", "--depth", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Hauts-de-France" in out.read_text(encoding="utf-8")


def test_viz_ego_unknown(runner, builtin_db, tmp_path):
    result = run(runner, builtin_db, "viz", "ego", "region:99", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and "region:99" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_export_json_node_link(runner, builtin_db, tmp_path):
    out = tmp_path / "g.json"
    result = run(runner, builtin_db, "export", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert "region:32" in ids and len(ids) == sum(counts(builtin_db)["nodes"].values())
    region = next(n for n in data["nodes"] if n["id"] == "region:32")
    assert region["kind"] == "Region" and region["key"] == "32" and region["sources"]


def test_every_command_has_help_with_an_example(runner):
    for path in _command_paths(cli):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        if path and not _is_group(path):
            assert "Example" in result.stdout, f"tdi {' '.join(path)} --help has no example"


def _is_group(path: list[str]) -> bool:
    import click

    command = cli
    for name in path:
        command = command.get_command(click.Context(command), name)
    return isinstance(command, click.Group)


def _command_paths(group, prefix=()):
    import click

    yield list(prefix)
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield [*prefix, name]
