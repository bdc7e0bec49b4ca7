"""The embedded engine's cheaper spellings of paths (`graph.dialect`) give the rows of the plain ones.

A shortest path with named relationships is read from them and its ends, not from the path; a
variable-length path read only as ``min(length(p))`` is matched as a shortest path. Both are run
here on the built-in graph against the same query written so that the rewrite does not apply.
"""

from __future__ import annotations

import pytest

from graph.backend import GraphBackend
from graph.dialect import to_embedded
from queries.registry import get_query
from queries.resolution import resolve_actors

PAIRS = [
    ("person:francois-blouvac", "region:32"),
    ("region:32", "person:francois-blouvac"),
    ("operator:banque-des-territoires", "region:32"),
    ("operator:bpifrance", "territory:I-ti-3204"),
    ("person:francois-blouvac", "person:nobody"),
]


@pytest.mark.parametrize(("from_id", "to_id"), PAIRS)
def test_shortest_path_read_from_its_relationships(builtin_read_only: GraphBackend, from_id: str, to_id: str) -> None:
    query = get_query("shortest-path")
    assert "(a)-[ties*..8]-(b)" in query.cypher
    params = query.bind({"from_id": from_id, "to_id": to_id})
    read_from_ties = builtin_read_only.run(query.cypher, params)
    read_from_path = builtin_read_only.run(query.cypher.replace("[ties*..8]", "[*..8]"), params)
    assert read_from_ties == read_from_path
    for row in read_from_ties:
        assert len(row["ids"]) == len(row["names"]) == row["hops"] + 1 == len(row["types"]) + 1
        assert all(":" in i and not i.startswith(":") and not i.endswith(":") for i in row["ids"]), row["ids"]


@pytest.mark.parametrize("region", ["32", "84", "Hauts-de-France"])
def test_least_length_path_matched_as_shortest(builtin_read_only: GraphBackend, region: str) -> None:
    query = get_query("actors-of-region")
    least = "WITH n, min(length(p)) AS steps"
    assert least in query.cypher and "SHORTEST" in to_embedded(query.cypher)
    every_path = query.cypher.replace(least, f"{least}, min(size(nodes(p))) AS reads_p_again")
    assert "SHORTEST" not in to_embedded(every_path)
    params = resolve_actors(builtin_read_only, query.params, query.bind({"region": region}))  # a name becomes its key, as query run does
    rows = builtin_read_only.run(query.cypher, params)
    assert rows and rows == builtin_read_only.run(every_path, params)


def test_rewrites_leave_other_paths_alone() -> None:
    counted = "MATCH p = (n)-[:IN_REGION*1..3]->(r) WITH n, min(length(p)) AS s, count(p) AS c RETURN n"
    assert "SHORTEST" not in to_embedded(counted)
    longer = "MATCH p = (n)-[:IN_REGION*2..3]->(r) WITH n, min(length(p)) AS s RETURN n"
    assert "SHORTEST" not in to_embedded(longer)
    unnamed = "MATCH p = shortestPath((a)-[*..4]-(b)) RETURN [n IN nodes(p) | n.key]"
    assert to_embedded(unnamed) == "MATCH p = (a)-[* SHORTEST 1..4]-(b) RETURN list_transform(nodes(p), n -> n.key)"
    quoted = "MATCH p = shortestPath((a)-[t*..4]-(b)) RETURN [n IN nodes(p) | n.key + ' n ']"
    assert "[a.key + ' n '] + list_transform(nodes(t), n -> n.key + ' n ') + [b.key + ' n ']" in to_embedded(quoted)
