"""ANCT's programme files: the exact counts of the 14 real files, every error path, and loads of
subsets the tests write from the real files into a copy of the administrative map's graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import cli
from graph.backend import GraphBackend, open_graph
from graph.errors import LoaderError
from loaders.anct_read import CodeIndex, read_anct_list
from loaders.cog_compact import builtin_reference_dir, read_compact
from loaders.programmes import load_programmes
from loaders.session import cached_read
from loaders.territories import load_territories
from tests.loaders.injected import fail_midway

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"  # as tests/conftest.py
PROGRAMMES = RAW / "anct-programmes"
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)")

# file: (features = sites as ANCT counts them, code references, distinct sites, codes left out by --skip-unknown)
COUNTS = {
    "acv": (232, 245, 232, 0), "acv2": (45, 50, 45, 0), "ami": (61, 1811, 61, 19), "amm": (200, 456, 100, 4),
    "cde": (91, 283, 91, 0), "citeduc": (189, 219, 189, 0), "fabp": (19, 94, 19, 0), "fabt": (342, 342, 342, 0),
    "frla": (70, 70, 70, 0), "fs": (2519, 2720, 2519, 0), "manuprox": (98, 98, 98, 0), "pao": (99, 99, 99, 0),
    "pvd": (1645, 1645, 1645, 0), "va": (2498, 2498, 2498, 0),
}  # fmt: skip


@pytest.fixture(scope="module")
def index() -> CodeIndex:
    return CodeIndex(read_compact(builtin_reference_dir()))


def features(code: str, *numbers: int) -> list[dict]:
    """Real features of a programme file, by their number (from 1)."""
    document = json.loads((PROGRAMMES / f"{code}.geojson").read_text(encoding="utf-8"))
    return [document["features"][n - 1] for n in numbers]


def write(path: Path, feature_list: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feature_list}, ensure_ascii=False), encoding="utf-8")
    return path


def site(site_id: str, name: str, listed: str, **more: str) -> dict:
    return {"type": "Feature", "properties": {"id_territoire": site_id, "lib_territoire": name, "liste_geo": listed, **more}}


@pytest.mark.parametrize("code", sorted(COUNTS))
def test_exact_counts_of_each_file(index: CodeIndex, code: str) -> None:
    found = read_anct_list(PROGRAMMES / f"{code}.geojson", index, skip_unknown=True)
    assert (found.rows, found.references, len(found.sites), len(found.unknown)) == COUNTS[code]
    assert found.rows == len(found.sites) + found.repeated  # amm lists each of its 100 sites twice


def test_what_the_files_hold(index: CodeIndex) -> None:
    fabp = read_anct_list(PROGRAMMES / "fabp.geojson", index)
    assert [(m.site, m.key) for m in fabp.members if m.kind == "Site"] == [("fabp-16", "ti-8408")]
    pvd = read_anct_list(PROGRAMMES / "pvd.geojson", index)
    assert pvd.details["pvd-01-971-1"] == {"signed": "2021-05-28"} and pvd.sites["pvd-01-971-1"] == "Bouillante"
    fs = read_anct_list(PROGRAMMES / "fs.geojson", index)
    marseille = [n.where("fs") for n in fs.mapped if n.value == "13201"]
    assert marseille[0].endswith('liste_geo: "13201" is a municipal arrondissement: mapped to commune 13055 (Marseille)')
    frla = read_anct_list(PROGRAMMES / "frla.geojson", index)  # "OP1" names 30 different sites: each keeps its commune
    assert {"OP1 (03082)", "OP1 (04209)", "OPE 3"} <= set(frla.sites)
    with pytest.raises(LoaderError, match=r"ami.geojson: 19 problem\(s\), nothing was loaded"):
        read_anct_list(PROGRAMMES / "ami.geojson", index)


def test_a_file_checked_before_is_read_again_only_when_it_or_the_options_change(tmp_path: Path, index: CodeIndex) -> None:
    path = write(tmp_path / "va.geojson", [site("va-1", "A", "Abbeville (80001)")])
    reads = []

    def read() -> object:
        reads.append(path.read_text(encoding="utf-8"))
        return read_anct_list(path, index)

    first = cached_read(path, read, "va", False)
    assert cached_read(path, read, "va", False) == first and len(reads) == 1
    write(path, [site("va-1", "A", "Amiens (80021)")])
    assert [m.key for m in cached_read(path, read, "va", False).members] == ["80021"] and len(reads) == 2
    cached_read(path, read, "va", True)
    assert len(reads) == 3
    write(path, [site("va-1", "A", "Inconnue (99999)")])
    for _ in range(2):  # a bad file is checked, and reported, every time
        with pytest.raises(LoaderError, match="99999"):
            cached_read(path, read, "va", False)
    assert len(reads) == 5


def test_a_bad_item_is_never_dropped_silently(tmp_path: Path, index: CodeIndex) -> None:
    path = write(tmp_path / "pvd.geojson", [
        site("pvd-1", "Aa", "Abbeville (80001); Nulle part; Inconnue (99999)"),
        site("pvd-2", "Bb", "Béthune (62119)", date_signature="mai 2021"),
        site("pvd-3", "Cc", "Chose (X12)"),
    ])  # fmt: skip
    with pytest.raises(LoaderError) as error:
        read_anct_list(path, index)
    assert str(error.value).splitlines() == [
        f"{path}: 4 problem(s), nothing was loaded:",
        f'{path}: feature 2 (pvd-2): date_signature: "mai 2021" is not a date (YYYY-MM-DD)',
        f'{path}: feature 1 (pvd-1): liste_geo: "Nulle part" is not "Name (CODE)"; check it, or pass --skip-unknown to leave it out',
        f'{path}: feature 1 (pvd-1): liste_geo: "99999" is not a commune of the administrative map 2026; check it, or pass --skip-unknown to leave it out',
        (f'{path}: feature 3 (pvd-3): liste_geo: "X12" is neither an INSEE commune code, a SIREN nor a site id such as ti-8408; '
        "check it, or pass --skip-unknown to leave it out"),
    ]


# ---------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Real features: 40 PVD towns, amm's first 3 sites twice (as the file lists them), fabp-16 (cites ti-8408)."""
    folder = tmp_path_factory.mktemp("subset")
    return [
        write(folder / "pvd.geojson", features("pvd", *range(1, 41))),
        write(folder / "amm_geom.geojson", features("amm", 1, 2, 3, 101, 102, 103)),
        write(folder / "fabp.geojson", features("fabp", 16)),
    ]


@pytest.fixture(scope="module")
def territories_db(reference_db: Path, copy_db, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The administrative map and the phase II list by groupement, loaded once: tests work on copies."""
    path = copy_db(reference_db, tmp_path_factory.mktemp("territories"))
    with open_graph(path) as graph:
        load_territories(graph, RAW / "ti_phase2_groupements_anct_20240704.csv")
    return path


@pytest.fixture
def graph(territories_db: Path, copy_db, tmp_path: Path) -> Iterator[GraphBackend]:
    with open_graph(copy_db(territories_db, tmp_path)) as opened:
        yield opened


def snapshot(graph: GraphBackend) -> tuple:
    nodes = sorted(str(sorted(r["n"].items())) for label in ("Site", "Programme", "Source") for r in graph.run(f"MATCH (n:{label}) RETURN n"))
    edges = graph.run("MATCH (s:Site)-[r]->(x) RETURN s.key AS a, type(r) AS type, x.key AS b, r.sources AS sources, r.date AS date")
    return graph.counts(), nodes, sorted(str(sorted(r.items())) for r in edges)


def test_load_sites_with_their_programme_and_coverage(graph: GraphBackend, subset: list[Path]) -> None:
    result = load_programmes(graph, subset)
    assert result.stats.created["Site"] == 40 + 3 + 1 and result.stats.created["Programme"] == 3
    bouillante = graph.run("MATCH (s:Site {key: 'pvd-01-971-1'})-[l:LABELLED]->(p:Programme) "
                           "RETURN s.name AS name, s.signed AS signed, l.date AS date, p.key AS programme, p.code AS code")  # fmt: skip
    assert bouillante == [{"name": "Bouillante", "signed": "2021-05-28", "date": "2021-05-28",
                           "programme": "petites-villes-de-demain", "code": "pvd"}]  # fmt: skip
    covers = graph.run("MATCH (s:Site {key: 'amm-alp-01'})-[:COVERS]->(e:Epci) RETURN e.key AS key ORDER BY key")
    assert [r["key"] for r in covers] == ["200000172", "247400583", "247400666", "247400724"]
    cited = graph.run("MATCH (s:Site {key: 'fabp-16'})-[:COVERS]->(t:Territory) RETURN t.key AS key")
    assert cited == [{"key": "II-ti-8408"}]
    source = graph.run("MATCH (s:Source {key: 'file-pvd-geojson'}) RETURN s.rows AS rows, s.sha256 AS sha")
    assert source[0]["rows"] == 40 and len(source[0]["sha"]) == 64
    assert graph.run("MATCH (s:Site)-[r]->() WHERE size(r.sources) = 0 RETURN count(*) AS n") == [{"n": 0}]
    notes = result.notes()
    assert notes[2].endswith("6 features, 3 sites (3 repeated features), 12 code references: 0 communes, 6 EPCI/EPT, 0 other sites.")
    before = snapshot(graph)
    again = load_programmes(graph, subset)
    assert not again.stats.changed and again.stats.unchanged["Site"] == 44
    assert snapshot(graph) == before


def test_dry_run_and_unknown_codes_write_nothing(graph: GraphBackend, subset: list[Path], tmp_path: Path) -> None:
    before = snapshot(graph)
    assert load_programmes(graph, subset, dry_run=True).stats.created["Site"] == 44
    bad = write(tmp_path / "va.geojson", [site("va-1", "A", "Abbeville (80001)"), site("va-2", "B", "Inconnue (99999)")])
    with pytest.raises(LoaderError, match=r'va.geojson: feature 2 \(va-2\): liste_geo: "99999" is not a commune'):
        load_programmes(graph, [*subset, bad])
    assert snapshot(graph) == before
    skipped = load_programmes(graph, [bad], skip_unknown=True)
    assert skipped.stats.created["Site"] == 2 and "0 code(s) mapped to their current commune, 1 unknown code(s) skipped" in skipped.notes()[1]


def test_a_cited_site_must_be_somewhere(reference_copy: Path, subset: list[Path]) -> None:
    with open_graph(reference_copy) as graph:
        with pytest.raises(LoaderError, match=r'fabp.geojson: feature 1 \(fabp-16\): liste_geo: "ti-8408" is no site of these files'):
            load_programmes(graph, subset)
        assert graph.counts()["nodes"].get("Site", 0) == 0


def test_a_failure_mid_load_leaves_the_graph_as_it_was(graph: GraphBackend, subset: list[Path]) -> None:
    before = snapshot(graph)

    with pytest.raises(RuntimeError, match="injected"):
        load_programmes(graph, subset, progress=fail_midway)
    assert snapshot(graph) == before


def test_cli_load_programmes(runner, reference_copy: Path, subset: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(reference_copy), "load", "programmes", str(subset[0])])
    assert result.exit_code == 0, result.output
    assert "Site" in result.stdout and f"{subset[0]}: programme pvd (Petites villes de demain), 40 features" in result.stderr
    bad = write(tmp_path / "liste.geojson", [site("x-1", "A", "Inconnue (99999)")])
    result = runner.invoke(cli, ["--db", str(reference_copy), "load", "programmes", str(bad), "--programme", "va"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: {bad}: 1 problem(s), nothing was loaded:"


def test_a_reload_is_skipped_only_while_the_graph_holds_that_very_load(runner, territories_db: Path, copy_db, subset: list[Path], tmp_path: Path) -> None:
    db = copy_db(territories_db, tmp_path)

    def load(*paths: Path, more: tuple[str, ...] = ()) -> tuple[str, list[str]]:
        result = runner.invoke(cli, ["--db", str(db), "load", "programmes", *map(str, paths), *more])
        assert result.exit_code == 0, result.output
        return result.stderr.splitlines()[-1], result.stderr.splitlines()[:-1]

    def written() -> tuple[int, ...]:
        info = db.stat()
        return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns

    first, notes = load(*subset)
    assert first == "3 programme file(s): 148 created, 0 updated, 0 unchanged."
    before = written()
    assert load(*subset) == ("3 programme file(s): nothing changed (148 already in the graph).", notes)
    assert written() == before, "a reload of the last load, with the graph unchanged since, does not open it for writing"
    # Another write since (here: a site renamed by hand): the files are loaded again, and the file's name restored.
    renamed = runner.invoke(cli, ["--db", str(db), "actor", "add", "site", "--key", "pvd-01-971-1", "--name", "Renamed", "-y"])
    assert renamed.exit_code == 0, renamed.output
    assert load(*subset)[0] == "3 programme file(s): 0 created, 1 updated, 147 unchanged."
    # Another file, other options or a dry run are loads of their own; a dry run records nothing.
    before = written()
    assert load(subset[0], more=("--dry-run",))[0].endswith("nothing would change (122 already in the graph).")
    assert load(*subset)[0].endswith("nothing changed (148 already in the graph).") and written() == before
    changed = write(tmp_path / "pvd.geojson", features("pvd", *range(1, 42)))
    assert load(changed, *subset[1:])[0] == "3 programme file(s): 3 created, 1 updated, 147 unchanged."
    # After a write the load does not touch, it is compared in full, finds nothing to change and writes nothing.
    added = runner.invoke(cli, ["--db", str(db), "actor", "add", "operator", "--key", "other", "--name", "Other"])
    assert added.exit_code == 0, added.output
    before = written()
    assert load(changed, *subset[1:])[0] == "3 programme file(s): nothing changed (151 already in the graph)."
    assert written() == before and not db.with_name(db.name + ".writing").exists()
    assert load(changed, *subset[1:])[0].endswith("nothing changed (151 already in the graph).")  # now recorded: not even opened


def _graph_with_one_programme(path: Path) -> str:
    """An embedded graph holding something (no administrative map: a file with nothing to load needs none)."""
    with open_graph(path) as graph:
        graph.upsert_nodes("Programme", [{"key": "petites-villes-de-demain", "name": "Petites villes de demain", "code": "pvd", "sources": []}])
    return str(path)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("pvd.geojson", '{"type": "FeatureCollection", "features": []}', "no features"),
        ("pvd.csv", "id_territoire;lib_territoire;insee_com\n", "no rows below the header"),
    ],
)
def test_cli_load_programmes_of_a_file_with_nothing_to_load_writes_nothing(runner, tmp_path: Path, name: str, text: str, reason: str) -> None:
    db, path = _graph_with_one_programme(tmp_path / "graph"), tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = Path(db).stat()
    for dry_run in ([], ["--dry-run"]):
        result = runner.invoke(cli, ["--db", db, "load", "programmes", str(path), *dry_run])
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == f"Warning: {path}: {reason}; nothing loaded.\n"
    assert (Path(db).stat().st_ino, Path(db).stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the graph file is not even copied"
    with open_graph(db, read_only=True) as graph:
        assert graph.counts()["nodes"] == {"Programme": 1} and graph.run("MATCH (s:Source) RETURN s.key AS key") == []


def test_a_file_with_nothing_to_load_is_left_out_and_the_others_load(runner, tmp_path: Path) -> None:
    db = _graph_with_one_programme(tmp_path / "graph")
    empty = write(tmp_path / "pvd.geojson", [])
    va = write(tmp_path / "va.geojson", [site("va-1", "A", "Inconnue (99999)")])  # its code left out: the graph needs no map
    result = runner.invoke(cli, ["--db", db, "load", "programmes", str(empty), str(va), "--skip-unknown"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"Warning: {empty}: no features; nothing loaded."
    assert result.stderr.endswith("1 programme file(s): 4 created, 0 updated, 0 unchanged.\n")
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (s:Source) RETURN s.key AS key") == [{"key": "file-va-geojson"}]
        loaded = load_programmes(graph, [empty, va], skip_unknown=True, dry_run=True)
        assert loaded.empty == {empty: "no features"} and [read.code for read in loaded.files] == ["va"]
