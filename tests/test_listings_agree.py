"""Every listing is the same, byte for byte, whatever the backend and whatever order the graph was loaded in.

The built-in facts are loaded into two embedded graphs, in the file's order and in the reverse
order (sources, actors and relationships), and, when ``NEO4J_URI`` is set, into Neo4j. The real
CLI then prints ``show`` (table and JSON), ``find``, ``sources``, named queries (``query run``; all of them
when Neo4j is compared) and ``path`` from each graph, and the outputs must be equal; every named
query's rows are compared too.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli import cli
from graph.backend import open_graph
from loaders.facts import Facts, builtin_facts_path, read_facts
from loaders.load import load_facts
from queries.registry import NamedQuery, list_queries

# A value for each parameter a named query needs; the others keep their defaults.
PARAMS = {
    "region": "32", "territory": "II-ti-3207", "source": "press-2024-hauts-de-france-phase-2",
    "programme": "territoires-d-industrie", "operator": "bpifrance", "actor": "programme:territoires-d-industrie",
    "from_id": "operator:bpifrance", "to_id": "region:32",
}  # fmt: skip
SHOW = ["programme:territoires-d-industrie"]
FIND = ["Territoires"]
# The named queries the CLI runs on the embedded graphs (on Neo4j: all of them); the rows of every one are compared anyway.
CLI_QUERIES = {"roles"}
PATHS = [("person:xavier-bertrand", "territory:I-ti-3204")]


def _reversed(facts: Facts) -> Facts:
    return dataclasses.replace(facts, sources=facts.sources[::-1], actors=facts.actors[::-1], links=facts.links[::-1])


def _load(db: str | Path, facts: Facts) -> str:
    with open_graph(db) as graph:
        load_facts(graph, facts)
    return str(db)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, str]:
    """The built-in facts in each graph compared: ``--db`` values by name."""
    facts, folder = read_facts(builtin_facts_path()), tmp_path_factory.mktemp("listings")
    found = {"in file order": _load(folder / "forward", facts), "in reverse order": _load(folder / "reverse", _reversed(facts))}
    if os.environ.get("NEO4J_URI"):
        from tests.conftest import _neo4j

        with _neo4j(request) as graph:  # emptied first (--reset-neo4j)
            load_facts(graph, facts)
        found["on Neo4j"] = os.environ["NEO4J_URI"]
    return found


def _params(query: NamedQuery) -> dict[str, str]:
    return {param.name: PARAMS[param.name] for param in query.params if param.required}


def _commands(every_query: bool) -> list[list[str]]:
    """The CLI commands compared: every named query when a Neo4j server is compared (opening an embedded
    graph costs 0.1 s of CPU per command; `test_every_named_query_lists_the_same_rows` covers them all)."""
    commands = [["show", actor] for actor in SHOW] + [["show", SHOW[0], "--format", "json"]]
    commands += [["find", text] for text in FIND]
    for query in list_queries():
        if every_query or query.name in CLI_QUERIES:
            commands.append(["query", "run", query.name, *[arg for k, v in _params(query).items() for arg in ("-p", f"{k}={v}")]])
    commands += [["path", a, b] for a, b in PATHS] + [["sources"]]
    return commands


def _outputs(db: str, invoke: Callable[..., Any], every_query: bool) -> dict[str, str]:
    found = {}
    for command in _commands(every_query):
        result = invoke(cli, ["--db", db, *command])
        found[" ".join(command)] = f"exit {result.exit_code}\n{result.stdout}"
    return found


def _same(outputs: dict[str, dict[str, str]]) -> None:
    first, *others = outputs
    failed = {c: t for c, t in outputs[first].items() if not t.startswith("exit 0")}
    assert not failed, failed
    for other in others:
        differ = [command for command in outputs[first] if outputs[first][command] != outputs[other][command]]
        assert not differ, f"{other} vs {first}: {differ[0]}\n{outputs[first][differ[0]]}\n---\n{outputs[other][differ[0]]}"


def test_show_find_query_run_and_path_print_the_same_in_every_graph(graphs, runner):
    every_query = "on Neo4j" in graphs
    _same({name: _outputs(db, runner.invoke, every_query) for name, db in graphs.items()})


def test_every_named_query_lists_the_same_rows(graphs):
    outputs = {}
    for name, db in graphs.items():
        with open_graph(db, read_only=True) as graph:
            outputs[name] = {q.name: "exit 0\n" + json.dumps(q.run(graph, _params(q)), default=str) for q in list_queries()}
    _same(outputs)


READ_COMMANDS = [["stats"], ["show", "region:32"], ["find", "Hauts"], ["sources"], ["query", "run", "roles"], ["check"],
                 ["path", *PATHS[0]], ["cypher", "MATCH (r:Region) RETURN count(*) AS n"]]  # fmt: skip


def test_read_commands_open_the_graph_read_only(graphs, runner, tmp_path):
    """They run while another process holds the writer lock; a write does not (on Neo4j: READ sessions)."""
    from graph.dbfiles import WriteSession

    db = Path(graphs["in file order"])
    session = WriteSession(db)  # the writer lock, as a write in another process holds it
    try:
        for command in READ_COMMANDS:
            result = runner.invoke(cli, ["--db", str(db), *command])
            assert result.exit_code == 0, (command, result.output)
        written = runner.invoke(cli, ["--db", str(db), "actor", "add", "operator", "--key", "x", "--name", "X", "--yes"])
        assert written.exit_code == 1 and "open for writing in another process" in written.stderr
    finally:
        session.abandon()
