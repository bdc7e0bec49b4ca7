"""The whole administrative map in a graph: the shipped 2026 copy, and the 2024 → 2026 update.

Figures are those of the real data (SOURCES.md §4). The graphs are built once per module:
``shipped`` holds 2026 loaded twice (the first load is the session's ``reference_build``),
``history`` a copy of ``db_2024`` (the 2024 vintage) then 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.backend import GraphBackend, WriteStats, open_graph
from graph.errors import LoaderError
from loaders.cog import ReferenceData
from loaders.reference import load_reference, read_reference
from loaders.session import write_or_preview

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"
UPSTREAM_2024 = RAW / "etalab-decoupage-administratif-4.1.0.tgz"
SHA256_2026 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
needs_raw = pytest.mark.skipif(not UPSTREAM_2024.is_file(), reason=f"the 2024 tarball is not in {RAW}")
pytestmark = pytest.mark.slow

COUNTS_2026 = {
    "nodes": {"Commune": 34_969, "Department": 109, "Epci": 1_266, "Region": 26, "Source": 1},
    "relationships": {"IN_DEPARTMENT": 34_969 + 1_366, "IN_EPCI": 34_871 + 129, "IN_REGION": 109 + 1_292},
}


@pytest.fixture(scope="module")
def data_2026() -> ReferenceData:
    return read_reference()


@pytest.fixture(scope="module")
def data_2024() -> ReferenceData:
    return read_reference(UPSTREAM_2024)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, reference_build, data_2026: ReferenceData, copy_db) -> Iterator[tuple[GraphBackend, list[WriteStats]]]:
    """2026 loaded twice: the first load is the session's ``reference_build`` (read_reference() into an empty graph)."""
    db, first = reference_build
    with open_graph(copy_db(db, tmp_path_factory.mktemp("shipped"))) as graph:
        loads = [first]
        counts = graph.counts()
        loads.append(load_reference(graph, data_2026))
        assert graph.counts() == counts
        yield graph, loads


@pytest.fixture(scope="module")
def db_2024(tmp_path_factory: pytest.TempPathFactory, data_2024: ReferenceData) -> Path:
    """The 2024 vintage in a graph, loaded once: the tests work on copies of it."""
    path = tmp_path_factory.mktemp("v2024") / "graph"
    with open_graph(path) as graph:
        load_reference(graph, data_2024)
    return path


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, db_2024: Path, data_2026: ReferenceData, copy_db) -> Iterator[tuple[GraphBackend, WriteStats]]:
    """2024 then 2026: the graph and the update's figures."""
    with open_graph(copy_db(db_2024, tmp_path_factory.mktemp("history"))) as graph:
        yield graph, load_reference(graph, data_2026)


def one(graph: GraphBackend, cypher: str, **params: Any) -> Any:
    (row,) = graph.run(cypher, params)
    return row


# ---------------------------------------------------------------- the shipped copy


def test_counts(shipped) -> None:
    graph, (first, _) = shipped
    assert graph.counts() == COUNTS_2026
    assert first.created["Epci"] == 1_255 and first.created["Epci (EPT)"] == 11
    assert first.created["IN_EPCI Commune→Epci"] == 34_871 and first.created["IN_EPCI Commune→EPT"] == 129


def test_reload_changes_nothing(shipped) -> None:
    _, (first, second) = shipped
    assert not second.changed
    assert second.unchanged == first.created


def test_source_records_the_vintage(shipped, data_2026: ReferenceData) -> None:
    graph, _ = shipped
    source = one(graph, "MATCH (s:Source) RETURN s.key AS key, s.sha256 AS sha256, s.vintage AS vintage, s.rows AS rows, s.loaded_at AS at")
    assert source["key"] == "decoupage-administratif-2026"
    assert (source["sha256"], source["vintage"], source["rows"]) == (SHA256_2026, "2026", sum(data_2026.summary().values()))
    assert source["at"].startswith("20")
    uncited = graph.run("MATCH (n) WHERE NOT 'decoupage-administratif-2026' IN n.sources AND n.key <> $k RETURN count(*) AS n", {"k": source["key"]})
    assert uncited == [{"n": 0}]


def test_commune(shipped, data_2026: ReferenceData) -> None:
    graph, _ = shipped
    (expected,) = [c for c in data_2026.communes if c.code == "62119"]
    (epci,) = [m.group_siren for m in data_2026.memberships if m.commune_code == "62119"]
    bethune = one(graph, "MATCH (c:Commune {key: '62119'}) RETURN c.name AS name, c.siren AS siren, c.population AS pop, c.since AS since, c.until AS until")
    assert bethune == {"name": "Béthune", "siren": expected.siren, "pop": expected.population, "since": None, "until": None}
    ties = graph.run("MATCH (:Commune {key: '62119'})-[x]->(n) RETURN type(x) AS type, n.key AS key ORDER BY type")
    assert ties == [{"type": "IN_DEPARTMENT", "key": "62"}, {"type": "IN_EPCI", "key": epci}]


def test_epci_and_ept(shipped) -> None:
    graph, _ = shipped
    cabbalr = one(graph, "MATCH (e:Epci {key: '200072460'}) RETURN e.type AS type, e.financing AS financing, e.population AS pop")
    assert (cabbalr["type"], cabbalr["financing"]) == ("CA", "FPU") and cabbalr["pop"] > 200_000
    types = graph.run("MATCH (e:Epci) RETURN e.type AS type, count(*) AS n ORDER BY type")
    assert {r["type"]: r["n"] for r in types} == {"CA": 230, "CC": 989, "CU": 14, "EPT": 11, "MET69": 1, "METRO": 21}
    mgp = graph.run("MATCH (:Epci {key: '200054781'})-[:IN_DEPARTMENT]->(d:Department) RETURN d.key AS dep ORDER BY dep")
    assert [r["dep"] for r in mgp] == ["75", "91", "92", "93", "94", "95"]
    ept = graph.run("MATCH (c:Commune)-[:IN_EPCI]->(:Epci {key: '200057867'}) RETURN count(c) AS n")
    assert ept[0]["n"] >= 8


# ---------------------------------------------------------------- 2024, then 2026


@needs_raw
def test_vintage_update_figures(history) -> None:
    graph, update = history
    assert (update.ended["Commune"], update.created["Commune"]) == (68, 8)
    assert (update.ended["IN_EPCI Commune→Epci"], update.created["IN_EPCI Commune→Epci"]) == (72, 12)
    assert update.ended["Epci"] == update.created["Epci"] == 0
    in_graph = one(graph, "MATCH (c:Commune) RETURN sum(CASE WHEN c.until = '2026' THEN 1 ELSE 0 END) AS ended, "
                          "sum(CASE WHEN c.since = '2026' THEN 1 ELSE 0 END) AS started")  # fmt: skip
    assert (int(in_graph["ended"]), int(in_graph["started"])) == (68, 8)
    members = one(graph, "MATCH (:Commune)-[x:IN_EPCI]->(e:Epci) WHERE e.type <> 'EPT' "
                         "RETURN sum(CASE WHEN x.until = '2026' THEN 1 ELSE 0 END) AS ended, "
                         "sum(CASE WHEN x.since = '2026' THEN 1 ELSE 0 END) AS started")  # fmt: skip
    assert (int(members["ended"]), int(members["started"])) == (72, 12)


@needs_raw
def test_a_commune_that_moved(history, data_2024: ReferenceData, data_2026: ReferenceData) -> None:
    graph, _ = history
    before = {m.commune_code: m.group_siren for m in data_2024.memberships if not m.group_siren.startswith("2000579")}
    after = {m.commune_code: m.group_siren for m in data_2026.memberships if not m.group_siren.startswith("2000579")}
    commune = min(c for c in before.keys() & after.keys() if before[c] != after[c])
    rows = graph.run("MATCH (:Commune {key: $c})-[x:IN_EPCI]->(e:Epci) WHERE e.type <> 'EPT' "
                     "RETURN e.key AS epci, x.since AS since, x.until AS until ORDER BY epci", {"c": commune})  # fmt: skip
    expected = [{"epci": before[commune], "since": None, "until": "2026"}]  # began before the first vintage loaded
    expected.append({"epci": after[commune], "since": "2026", "until": None})
    assert sorted(rows, key=lambda r: r["epci"]) == sorted(expected, key=lambda r: r["epci"])


@needs_raw
def test_reload_after_the_update_changes_nothing_and_older_is_refused(history, data_2024, data_2026) -> None:
    graph, _ = history
    counts = graph.counts()
    assert not load_reference(graph, data_2026).changed
    with pytest.raises(LoaderError, match="already holds the administrative map of 2026, and 2024 is older"):
        load_reference(graph, data_2024)
    assert graph.counts() == counts


@needs_raw
def test_a_failed_update_leaves_the_graph_as_it_was(tmp_path: Path, db_2024: Path, data_2026, copy_db) -> None:
    class Injected(Exception):
        pass

    def fail_on_memberships(stage: str, done: int, total: int) -> None:
        if stage == "IN_EPCI Commune→Epci":
            raise Injected

    sample = "MATCH (c:Commune) WHERE c.key IN ['62119', '93059', '93066'] RETURN c.key AS key, c.sources AS sources, c.until AS until ORDER BY key"
    with open_graph(copy_db(db_2024, tmp_path)) as graph:
        counts, rows = graph.counts(), graph.run(sample)
        with pytest.raises(Injected), write_or_preview(graph):
            load_reference(graph, data_2026, progress=fail_on_memberships)  # communes were updated and ended already
        assert graph.counts() == counts
        assert graph.run(sample) == rows
        assert [r["until"] for r in rows] == [None, None, None]
