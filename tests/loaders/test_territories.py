"""Loading the lists of Territoires d'industrie into a graph holding the administrative map: both real
phases, successions, idempotence, atomicity, dry runs, the full dataset, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import cli
from graph.backend import GraphBackend, open_graph
from graph.errors import LoaderError
from loaders.builtin import load_builtin
from loaders.territories import load_territories
from tests.loaders.injected import fail_midway

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"  # as tests/conftest.py
PHASE_I = RAW / "ti_phase1_groupements_anct_datagouv.csv"
PHASE_II = RAW / "ti_phase2_groupements_anct_20240704.csv"
COMMUNES_II = RAW / "ti_phase2_communes_anct_20231107.csv"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RAW.is_dir(), reason=f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)"),
]



@pytest.fixture
def graph_db(reference_copy: Path) -> Path:
    """A copy of the administrative map's graph."""
    return reference_copy


@pytest.fixture
def graph(graph_db: Path) -> Iterator[GraphBackend]:
    with open_graph(graph_db) as opened:
        yield opened


@pytest.fixture(scope="module")
def phases_db(reference_db: Path, copy_db, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The administrative map and both phases' lists of groupements, loaded once (the tests change nothing)."""
    path = copy_db(reference_db, tmp_path_factory.mktemp("phases"))
    with open_graph(path) as graph:
        load_territories(graph, PHASE_I)
        load_territories(graph, PHASE_II)
    return path


@pytest.fixture
def both_phases(phases_db: Path) -> Iterator[GraphBackend]:
    with open_graph(phases_db) as graph:
        yield graph


def snapshot(graph: GraphBackend) -> tuple:
    """The counts of the whole graph, and every property of what a list load writes (its nodes and the
    territories' relationships): reading all 35,000 communes back would take seconds per snapshot."""
    nodes = sorted(
        str(sorted(row["n"].items()))
        for label in ("Territory", "Programme", "Source")
        for row in graph.run(f"MATCH (n:{label}) RETURN n")
    )
    edges = graph.run("MATCH (t:Territory)-[r]->(x) RETURN t.key AS a, type(r) AS type, x.key AS b, r.sources AS sources, "
                      "r.phase AS phase, r.share AS share, r.since AS since, r.until AS until")  # fmt: skip
    return graph.counts(), nodes, sorted(str(sorted(row.items())) for row in edges)


def test_both_phases_load_with_their_territories(both_phases: GraphBackend) -> None:
    rows = both_phases.run("MATCH (t:Territory) RETURN t.phase AS phase, count(*) AS n ORDER BY phase")
    assert [(r["phase"], r["n"]) for r in rows] == [("I", 149), ("II", 183)]
    same_id = both_phases.run("MATCH (t:Territory {official_id: 'ti-0101'}) RETURN t.key AS key, t.name AS name ORDER BY key")
    assert [(r["key"], r["name"]) for r in same_id] == [
        ("I-ti-0101", "Communauté d'agglomération Cap Excellence"),
        ("II-ti-0101", "Basse-Terre"),
    ]
    covers = both_phases.run(
        "MATCH (t:Territory)-[c:COVERS]->(g) RETURN t.phase AS phase, head(labels(g)) AS kind, c.phase AS cphase, count(*) AS n"
    )
    assert sorted((r["phase"], r["kind"], r["cphase"], r["n"]) for r in covers) == [
        ("I", "Commune", "I", 38), ("I", "Epci", "I", 550), ("II", "Commune", "II", 12), ("II", "Epci", "II", 629),
    ]  # fmt: skip
    labelled = both_phases.run(
        "MATCH (t:Territory)-[l:LABELLED]->(p:Programme {key: 'territoires-d-industrie'}) RETURN l.phase AS phase, count(*) AS n"
    )
    assert sorted((r["phase"], r["n"]) for r in labelled) == [("I", 149), ("II", 183)]


def test_places_are_derived_from_the_members(both_phases: GraphBackend) -> None:
    places = both_phases.run(
        "MATCH (t:Territory {key: 'I-ti-3204'})-[:IN_DEPARTMENT|IN_REGION]->(p) RETURN head(labels(p)) AS kind, p.key AS key"
    )
    assert sorted((r["kind"], r["key"]) for r in places) == [("Department", "62"), ("Region", "32")]
    cercy = both_phases.run("MATCH (t:Territory {key: 'I-ti-2706'})-[:COVERS]->(c:Commune {key: '58046'}) RETURN t.name AS name")
    assert cercy == [{"name": "Nevers Val de Loire"}]  # SIREN 215800467 is the commune Cercy-la-Tour


def test_succeeded_by_shares(both_phases: GraphBackend) -> None:
    # Phase I ti-3204 Béthune-Bruay lists 200072460, 246200299 and 246200364. In the phase II list,
    # 200072460 is in ti-3205 (Béthune-Bruay et Flandre-Lys), the other two in ti-3209 (Lens – Hénin).
    rows = both_phases.run(
        "MATCH (:Territory {key: 'I-ti-3204'})-[s:SUCCEEDED_BY]->(b:Territory) RETURN b.key AS key, s.share AS share, s.sources AS sources"
    )
    assert sorted((r["key"], r["share"]) for r in rows) == [("II-ti-3205", 0.3333), ("II-ti-3209", 0.6667)]
    assert set(rows[0]["sources"]) == {
        "file-ti-phase1-groupements-anct-datagouv-csv",
        "file-ti-phase2-groupements-anct-20240704-csv",
    }
    # Cap Excellence continues under another official id.
    cap = both_phases.run(
        "MATCH (:Territory {key: 'I-ti-0101'})-[s:SUCCEEDED_BY]->(b:Territory) RETURN b.key AS key, s.share AS share"
    )
    assert cap == [{"key": "II-ti-0102", "share": 1.0}]
    assert both_phases.counts()["relationships"]["SUCCEEDED_BY"] == 163


def test_every_item_cites_the_list(both_phases: GraphBackend) -> None:
    source = both_phases.run(
        "MATCH (s:Source {key: 'file-ti-phase2-groupements-anct-20240704-csv'}) RETURN s.vintage AS vintage, s.rows AS rows, s.sha256 AS sha"
    )
    assert source[0]["vintage"] == "2024-07-04" and source[0]["rows"] == 641 and len(source[0]["sha"]) == 64
    uncited = both_phases.run("MATCH (t:Territory)-[r]->() WHERE size(r.sources) = 0 RETURN count(*) AS n")
    assert uncited == [{"n": 0}]


def test_a_second_load_changes_nothing(both_phases: GraphBackend) -> None:
    before = snapshot(both_phases)
    again = load_territories(both_phases, PHASE_II)
    assert not again.stats.changed
    assert again.stats.unchanged["Territory"] == 183 and again.stats.unchanged["SUCCEEDED_BY"] == 163
    assert snapshot(both_phases) == before


def test_commune_list_maps_delegated_communes(graph: GraphBackend) -> None:
    with pytest.raises(LoaderError, match="7 problem"):
        load_territories(graph, COMMUNES_II)
    result = load_territories(graph, COMMUNES_II, skip_unknown=True)
    found = result.territory_list
    assert (len(found.mapped), len(found.unknown), len(found.disagreements), found.unreliable_names) == (27, 7, 38, 3229)
    notes = result.notes()
    assert "27 delegated or associated commune code(s) mapped to their current commune." in notes
    assert f'{COMMUNES_II}:138: insee_com: "95282" is not a commune of the administrative map 2026: left out' in notes
    saraz = graph.run("MATCH (t:Territory)-[:COVERS]->(c:Commune {key: '25223'}) RETURN t.key AS key")
    assert len(saraz) == 1  # 25533 (Saraz, delegated) is covered as 25223
    assert graph.run("MATCH (c:Commune {key: '25533'}) RETURN c.key") == []
    assert result.stats.created["COVERS Territory→Commune"] == 18695  # 18726 rows, less 7 unknown and 24 repeats after mapping


def subset(path: Path, directory: Path, official_ids: set[str]) -> Path:
    """The header and the rows of these territories of a real list, under the list's name (which gives its phase and date)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in official_ids]
    (directory / path.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return directory / path.name


def test_newer_list_names_the_territory(graph: GraphBackend, tmp_path: Path) -> None:
    communes = subset(COMMUNES_II, tmp_path, {"ti-4421"})  # 2023-11-07: "Vitry-le-François", 100 communes
    load_territories(graph, communes)
    load_territories(graph, PHASE_II)  # 2024-07-04: "Pays Vitryat"
    again = load_territories(graph, communes)
    assert not again.stats.changed
    row = graph.run("MATCH (t:Territory {key: 'II-ti-4421'}) RETURN t.name AS name, t.aliases AS aliases")
    assert row == [{"name": "Pays Vitryat", "aliases": ["Vitry-le-François"]}]


def test_dry_run_writes_nothing(graph: GraphBackend) -> None:
    before = snapshot(graph)
    result = load_territories(graph, PHASE_I, dry_run=True)
    assert result.dry_run and result.stats.created["Territory"] == 149
    assert snapshot(graph) == before


def test_the_administrative_map_is_needed(empty_graph: GraphBackend) -> None:
    with pytest.raises(LoaderError, match='load the administrative map first: "tdi load reference". Nothing was loaded.'):
        load_territories(empty_graph, PHASE_I)
    assert empty_graph.counts()["nodes"] == {}


def test_a_failure_mid_load_leaves_the_graph_as_it_was(reference_backend: GraphBackend) -> None:
    backend = reference_backend  # the administrative map, copied on the embedded engine, loaded on Neo4j
    load_territories(backend, PHASE_I)
    before = snapshot(backend)

    with pytest.raises(RuntimeError, match="injected"):
        load_territories(backend, PHASE_II, progress=fail_midway)
    assert snapshot(backend) == before


@pytest.mark.slow
def test_load_builtin_full(reference_copy: Path) -> None:
    with open_graph(reference_copy) as graph:  # the map already loaded: its reload changes nothing
        stats = load_builtin(graph, full=True, data_dir=RAW)
        # The map's communes unchanged, but for the 4 the facts cite (their sources grow): each counted once.
        assert (stats.unchanged["Commune"], stats.updated["Commune"], stats.created["Commune"]) == (34965, 4, 0)
        counts = graph.counts()
        # Each item of the graph once (the steps write some twice: a territory of both phase II lists, a commune the facts cite).
        items = sum(counts["nodes"].values()) + sum(counts["relationships"].values())
        assert sum(stats.created.values()) + sum(stats.updated.values()) + sum(stats.unchanged.values()) == items
        assert sum(stats.updated.values()) < 100  # the facts' sources added to the map's regions, departments, communes
        assert counts["nodes"]["Territory"] == 332 and counts["relationships"]["SUCCEEDED_BY"] == 163
        sources = graph.run("MATCH (s:Source) WHERE s.key STARTS WITH 'file-ti' RETURN s.key AS key, s.publisher AS publisher")
        assert len(sources) == 3 and all(s["publisher"].startswith("ANCT") for s in sources)
        # 8,108 features, amm's 100 repeats left aside; COVERS: 19,913 of territories and 10,177 of sites.
        assert counts["nodes"]["Site"] == 8008 and counts["relationships"]["COVERS"] == 30090
        assert counts["relationships"]["LABELLED"] == 332 + 8008
        # Each loader's no-change reload is tested on its own; a second full load would double this slow test.


# ---------------------------------------------------------------- CLI


def test_cli_load_territories(runner, graph_db: Path) -> None:
    result = runner.invoke(cli, ["--db", str(graph_db), "load", "territories", str(PHASE_I)])
    assert result.exit_code == 0, result.output
    assert "Territory" in result.stdout and "COVERS Territory→Epci" in result.stdout
    assert f"{PHASE_I}: phase I, 149 territories, 588 rows" in result.stderr
    assert result.stderr.endswith(f"{PHASE_I}: 1272 created, 0 updated, 0 unchanged.\n")


def test_cli_load_territories_unknown_siren(runner, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(
        "id_ti;lib_ti;siren_groupement\nti-0101;Cap Excellence;200018653\nti-0101;Cap Excellence;123456789\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["--db", str(tmp_path / "g"), "load", "territories", str(path), "--phase", "I"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"Error: {path}: 1 problem(s), nothing was loaded:",
        (
            f'{path}:3: siren_groupement: "123456789" is neither an EPCI, an EPT nor a commune of the administrative map 2026; '
            "check it, or pass --skip-unknown to leave it out"
        ),
    ]


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("ti_phase2_groupements_anct_20240704.csv", "id_ti,lib_ti,siren_groupement\n", "no rows below the header"),
        ("ti_phase2_groupements_anct_20240704.geojson", '{"type": "FeatureCollection", "features": []}', "no features"),
    ],
)
def test_cli_load_territories_of_a_list_with_nothing_to_load_writes_nothing(runner, tmp_path: Path, name: str, text: str, reason: str) -> None:
    db, path = tmp_path / "graph", tmp_path / name
    with open_graph(db) as graph:  # something stored; no administrative map: a list with nothing to load needs none
        graph.upsert_nodes("Programme", [{"key": "territoires-d-industrie", "name": "Territoires d'industrie", "sources": []}])
    path.write_text(text, encoding="utf-8")
    before = db.stat()
    for dry_run in ([], ["--dry-run"]):
        result = runner.invoke(cli, ["--db", str(db), "load", "territories", str(path), *dry_run])
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == f"Warning: {path}: {reason}; nothing loaded.\n"
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the graph file is not even copied"
    with open_graph(db, read_only=True) as graph:
        assert graph.counts()["nodes"] == {"Programme": 1}
        assert graph.run("MATCH (p:Programme) RETURN p.sources AS sources") == [{"sources": []}]
        assert load_territories(graph, path).empty == reason
