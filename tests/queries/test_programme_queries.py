"""The named queries on ANCT programmes, on a hand-checked territory: Anjou Bleu (II-ti-5202), one
EPCI (CC Anjou Bleu Communauté, 244900809) of 11 communes. In the real files, its communes hold
the Villages d'avenir va-49-03 (Chazé-sur-Argos) and va-49-07 (Loiré), the France services
fs-906 (Candé) and fs-907 (Ombrée d'Anjou), the Petites villes de demain pvd-52-49-12 (Ombrée
d'Anjou) and pvd-52-49-14 (Segré-en-Anjou Bleu). The graph holds the administrative map, the
phase II list by groupement, and those sites with the first 20 features of each file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backend import GraphBackend, open_graph
from loaders.programmes import load_programmes
from loaders.territories import load_territories
from queries.registry import get_query

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"  # as tests/conftest.py
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"the ANCT lists are not in {RAW} (clone shared/ beside the repository)")
ANJOU_BLEU = {"va": (1388, 1392), "fs": (1242, 1256), "pvd": (707, 709)}  # feature numbers, checked by hand


@pytest.fixture(scope="module")
def programmes_db(reference_db: Path, copy_db, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("programmes")
    path = copy_db(reference_db, folder)
    files = []
    for code, numbers in ANJOU_BLEU.items():
        document = json.loads((RAW / "anct-programmes" / f"{code}.geojson").read_text(encoding="utf-8"))
        chosen = [document["features"][n - 1] for n in (*range(1, 21), *numbers)]
        files.append(folder / f"{code}.geojson")
        files[-1].write_text(json.dumps({"type": "FeatureCollection", "features": chosen}), encoding="utf-8")
    with open_graph(path) as graph:
        load_territories(graph, RAW / "ti_phase2_groupements_anct_20240704.csv")
        load_programmes(graph, files)
    return path


@pytest.fixture
def graph(programmes_db: Path) -> Iterator[GraphBackend]:
    with open_graph(programmes_db, read_only=True) as opened:
        yield opened


def test_programmes_of_territory(graph: GraphBackend) -> None:
    rows = get_query("programmes-of-territory").run(graph, {"territory": "Anjou Bleu"})
    assert [(r["code"], r["sites"], r["communes"]) for r in rows] == [("fs", 2, 2), ("pvd", 2, 2), ("va", 2, 2)]
    assert rows[1]["id"] == "programme:petites-villes-de-demain"


def test_territories_with_programme(graph: GraphBackend) -> None:
    rows = get_query("territories-with-programme").run(graph, {"programme": "pvd"})
    anjou = [r for r in rows if r["id"] == "territory:II-ti-5202"]
    assert anjou == [{"id": "territory:II-ti-5202", "name": "Anjou Bleu", "phase": "II", "sites": 2, "communes": 2}]
    assert get_query("territories-with-programme").run(graph, {"programme": "pvd", "phase": "I"}) == []
    for spelling in ("PVD", "Programme:Petites-Villes-de-Demain", "petites-villes-de-demain", "Petites villes de demain"):
        assert get_query("territories-with-programme").run(graph, {"programme": spelling, "phase": "ii"}) == rows, spelling


def test_places_in_most_programmes(graph: GraphBackend) -> None:
    communes = get_query("communes-in-most-programmes").run(graph, {"limit": 1000})
    ombree = next(r for r in communes if r["id"] == "commune:49248")
    assert (ombree["programmes"], sorted(ombree["codes"]), ombree["sites"]) == (2, ["fs", "pvd"], 2)
    epci = get_query("epci-in-most-programmes").run(graph, {"limit": 3})
    assert (epci[0]["id"], sorted(epci[0]["codes"]), epci[0]["sites"]) == ("epci:244900809", ["fs", "pvd", "va"], 6)


def test_territories_without_programme(graph: GraphBackend) -> None:
    rows = get_query("territories-without-programme").run(graph, {"phase": "II"})
    reached = {f"territory:II-{t}" for t in ("ti-0101", "ti-0103", "ti-0202", "ti-0301", "ti-5202", "ti-8402", "ti-8412", "ti-8413")}
    # The 8 territories whose communes hold one of the sites loaded (worked out from the raw files), out of 183.
    assert len(rows) == 175 and not reached & {r["id"] for r in rows}
    assert rows[0] == {"id": "territory:II-ti-0102", "name": "Cap Excellence", "phase": "II", "official_id": "ti-0102"}
