"""Read-only queries: the statement rule on its own, then on each backend.

The CLI side (``tdi cypher`` with and without ``--write``, files not written or read) is in
tests/test_cli_read_only.py.
"""

from __future__ import annotations

import pytest

from graph.backend import GraphBackend
from graph.errors import QueryFailed, ReadOnlyViolation
from graph.statements import check_query, statements

READS = [
    "MATCH (n) RETURN n",
    "OPTIONAL MATCH (n:Region) RETURN n.name AS name",
    "UNWIND [1, 2] AS x RETURN x",
    "WITH 1 AS x RETURN x",
    "RETURN 'COPY x TO y' AS text",
    'RETURN "a\\" ; COPY (MATCH (n) RETURN n) TO \'x.csv\' //" AS text',
    "RETURN 'it\\'s; CHECKPOINT' AS text",
    "MATCH (n) RETURN n.key AS `COPY; DROP`",
    "MATCH (n) // COPY (MATCH (n) RETURN n) TO 'x.csv'\nRETURN n",
    "MATCH (n) /* ; INSTALL httpfs; */ RETURN n",
    "MATCH (n) RETURN {set: 1, load: 2} AS m",
    "MATCH (n) WHERE n.delete = 1 RETURN n",
    "MATCH (n:Region) RETURN n;",
    "CALL show_tables() RETURN *",
    "call TABLE_INFO('Region') RETURN *",
    "MATCH (n) CALL show_connection('FUNDS') RETURN *",
    "EXPLAIN MATCH (n) RETURN n",
    "MATCH (n) RETURN n.key AS load, n.name AS set, count(*) AS copy",
]

REFUSED = [
    "COPY (MATCH (n) RETURN n) TO 'x.csv'",
    "copy (MATCH (n) RETURN n) TO 'x.parquet'",
    "COPY Region FROM 'regions.csv'",
    "LOAD FROM '/etc/passwd' (delim=':') RETURN *",
    "MATCH (n) WITH n LOAD FROM '/etc/passwd' (delim=':') RETURN *",
    "LOAD EXTENSION httpfs",
    "INSTALL httpfs",
    "UNINSTALL httpfs",
    "CHECKPOINT",
    "CREATE (:Region {key: '11'})",
    "MATCH (n) MERGE (:Region {key: '11'})",
    "MATCH (n) SET n.name = 'x'",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) REMOVE n.name",
    "DROP TABLE Region",
    "ALTER TABLE Region ADD x STRING",
    "CALL threads=1",
    "CALL clear_warnings()",
    "CALL project_graph('G', ['Region'], []) RETURN *",
    "CALL `show_tables`() RETURN *",
    "EXPORT DATABASE '/tmp/x'",
    "IMPORT DATABASE '/tmp/x'",
    "ATTACH '/tmp/other' AS other (dbtype lbug)",
    "USE other",
    "BEGIN TRANSACTION",
    "COMMENT ON TABLE Region IS 'x'",
    "EXPLAIN CREATE (:Region {key: '11'})",
    "PROFILE MATCH (n) SET n.name = 'x'",
    "/* MATCH */ COPY (MATCH (n) RETURN n) TO 'x.csv'",
    "MATCH (n) RETURN n /* x */; COPY (MATCH (n) RETURN n) TO 'x.csv'",
    "RETURN '//' AS a; CHECKPOINT",
    "RETURN 1 // a comment ends at the line's end\nCOPY (MATCH (n) RETURN n) TO 'x.csv'",
    "MATCH (n) WITH n AS x SET n.name = 'x'",
    "UNWIND [1] AS load LOAD FROM '/etc/passwd' (delim=':') RETURN *",
    "UNWIND [1] AS load RETURN load",
]


@pytest.mark.parametrize("cypher", READS)
def test_reading_statements_are_allowed(cypher: str) -> None:
    check_query(cypher)


@pytest.mark.parametrize("cypher", REFUSED)
def test_other_statements_are_refused_unless_writing(cypher: str) -> None:
    with pytest.raises((ReadOnlyViolation, QueryFailed)) as caught:
        check_query(cypher)
    assert "\n" not in str(caught.value)
    if len(statements(cypher)) == 1:
        assert isinstance(caught.value, ReadOnlyViolation) and "--write" in str(caught.value)
        check_query(cypher, read_only=False)


@pytest.mark.parametrize("read_only", [True, False])
def test_several_statements_are_refused_in_one_line(read_only: bool) -> None:
    with pytest.raises(QueryFailed, match='^Give one statement at a time: this query holds 3, separated by ";".$'):
        check_query("RETURN 1; RETURN 2 /* ; */; RETURN ';'", read_only=read_only)


@pytest.mark.parametrize(
    "cypher",
    ["LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "CALL apoc.export.csv.all('x.csv', {})", "CALL `apoc`.load.json('x')"],
)
def test_neo4j_reads_refuse_files(cypher: str) -> None:
    with pytest.raises(ReadOnlyViolation, match="--write"):
        check_query(cypher, engine="neo4j")
    check_query(cypher, engine="neo4j", read_only=False)


def test_neo4j_reads_keep_procedures_and_strings() -> None:
    check_query("CALL db.labels() YIELD label RETURN label", engine="neo4j")
    check_query("RETURN 'LOAD CSV FROM x' AS text", engine="neo4j")


# ---------------------------------------------------------------- on each backend

# The same intent in each engine's dialect; the Neo4j server refuses writes itself (READ access mode).
KINDS = {
    "create": ("CREATE (:Region {key: '11', name: 'Île-de-France'})",) * 2,
    "set": ("MATCH (r:Region) SET r.name = 'x'",) * 2,
    "detach delete": ("MATCH (n) DETACH DELETE n",) * 2,
    "merge": ("MERGE (:Region {key: '11', name: 'x'})",) * 2,
    "load a file": ("LOAD FROM '/etc/passwd' (file_format='csv', delim=':') RETURN *", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"),
    "hidden after a comment": ("MATCH (n) RETURN n /* ; */ // x\nSET n.name = 'x'",) * 2,
}


@pytest.fixture
def region(backend: GraphBackend) -> GraphBackend:
    backend.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    return backend


@pytest.mark.parametrize("kind", KINDS)
def test_backend_reads_refuse_each_kind(region: GraphBackend, kind: str) -> None:
    cypher = KINDS[kind][region.kind == "neo4j"]
    before = region.counts()
    with pytest.raises(ReadOnlyViolation, match="--write"):
        region.run(cypher)
    assert region.counts() == before
    assert region.run("MATCH (r:Region) RETURN r.name AS name") == [{"name": "Hauts-de-France"}]


def test_backend_writes_with_write(region: GraphBackend) -> None:
    region.run("MATCH (r:Region {key: $key}) SET r.name = $name", {"key": "32", "name": "HdF"}, write=True)
    assert region.run("MATCH (r:Region) RETURN r.name AS name") == [{"name": "HdF"}]


@pytest.mark.parametrize("write", [False, True])
def test_backend_refuses_several_statements(region: GraphBackend, write: bool) -> None:
    before = region.counts()
    with pytest.raises(QueryFailed, match="one statement at a time" if write else "--write"):
        region.run("MATCH (r:Region) RETURN r; MATCH (r:Region) SET r.name = 'x'", write=write)
    assert region.counts() == before
