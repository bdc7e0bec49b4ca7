"""The reader of the administrative map (COG, EPCI, EPT) and its compact copy.

Figures are those of the real npm tarballs in ``../shared/data/raw/`` (see SOURCES.md §4);
the tests that need them are skipped when that directory is absent.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import LoaderError
from loaders.cog import (
    Commune,
    FormerCommune,
    Groupement,
    Membership,
    ReferenceData,
    dangling_references,
    read_upstream,
)
from loaders.cog_compact import builtin_reference_dir, read_compact, write_compact

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
UPSTREAM_2026 = RAW / "etalab-decoupage-administratif-6.0.0.tgz"
UPSTREAM_2024 = RAW / "etalab-decoupage-administratif-4.1.0.tgz"
SHA256_2026 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
needs_raw = pytest.mark.skipif(
    not UPSTREAM_2026.is_file() or not UPSTREAM_2024.is_file(),
    reason=f"the upstream tarballs are not in {RAW} (clone shared/ beside the repository)",
)


@pytest.fixture(scope="module")
def cog_2026() -> ReferenceData:
    return read_upstream(UPSTREAM_2026)


@pytest.fixture(scope="module")
def cog_2024() -> ReferenceData:
    return read_upstream(UPSTREAM_2024)


def epci_memberships(data: ReferenceData) -> set[tuple[str, str]]:
    epci = {g.siren for g in data.groupements if g.type != "EPT"}
    return {(m.commune_code, m.group_siren) for m in data.memberships if m.group_siren in epci}


# ---------------------------------------------------------------- the real files


@needs_raw
def test_counts_2026(cog_2026):
    assert (cog_2026.vintage, cog_2026.package_version) == ("2026", "6.0.0")
    assert cog_2026.sha256 == SHA256_2026
    assert cog_2026.summary() == {
        "regions": 26,
        "departments": 109,
        "communes": 34_969,
        "former_communes": 2_105 + 471,
        "epci": 1_255,
        "ept": 11,
        "epci_memberships": 34_871,
        "ept_memberships": 129,
    }
    assert Counter(g.type for g in cog_2026.groupements) == {
        "CC": 989, "CA": 230, "METRO": 21, "CU": 14, "MET69": 1, "EPT": 11,
    }  # fmt: skip
    assert Counter(f.type for f in cog_2026.former_communes) == {
        "commune-deleguee": 2_105, "commune-associee": 471,
    }  # fmt: skip
    assert Counter(r.zone for r in cog_2026.regions) == {"metro": 13, "drom": 5, "com": 8}


@needs_raw
def test_2024_vintage_comes_from_the_major_version(cog_2024):
    # 4.1.0's own README lists 4.0.0 for 2024, not 4.1.0.
    assert (cog_2024.vintage, cog_2024.package_version) == ("2024", "4.1.0")
    assert cog_2024.summary()["communes"] == 35_029


@needs_raw
def test_paris_lyon_marseille_are_communes_without_arrondissements(cog_2026):
    codes = {c.code for c in cog_2026.communes}
    assert {"75056", "69123", "13055"} <= codes
    assert not codes & {"75101", "69381", "13201"}
    groups = {(m.commune_code, m.group_siren) for m in cog_2026.memberships}
    assert ("75056", "200054781") in groups  # Métropole du Grand Paris, and no EPT
    assert ("93066", "200057867") in groups  # Saint-Denis in Plaine Commune (EPT)


@needs_raw
def test_overseas_collectivities_have_communes_without_siren_or_epci(cog_2026):
    without_siren = [c for c in cog_2026.communes if c.siren is None]
    assert len(without_siren) == 94
    collectivities = {r.code for r in cog_2026.regions if r.zone == "com"}
    assert {c.region for c in without_siren} == collectivities
    members = {m.commune_code for m in cog_2026.memberships}
    outside = {c.code for c in cog_2026.communes if c.code not in members}
    # The four single-commune islands are in no EPCI either (Bréhat, Sein, Ouessant, Yeu).
    assert outside == {c.code for c in without_siren} | {"22016", "29083", "29155", "85113"}


@needs_raw
def test_changes_from_2024_to_2026(cog_2024, cog_2026):
    before, after = {c.code for c in cog_2024.communes}, {c.code for c in cog_2026.communes}
    assert (len(before - after), len(after - before)) == (68, 8)
    ended = epci_memberships(cog_2024) - epci_memberships(cog_2026)
    begun = epci_memberships(cog_2026) - epci_memberships(cog_2024)
    assert (len(ended), len(begun)) == (72, 12)
    epci = {g.siren for data in (cog_2024, cog_2026) for g in data.groupements if g.type != "EPT"}
    assert len(epci) == 1_255


@needs_raw
def test_every_code_points_to_something(cog_2024, cog_2026):
    assert dangling_references(cog_2024) == []
    assert dangling_references(cog_2026) == []


@needs_raw
def test_compact_copy_round_trips(cog_2026, tmp_path):
    write_compact(cog_2026, tmp_path)
    assert read_compact(tmp_path) == cog_2026


@needs_raw
def test_shipped_copy_is_what_the_script_derives(cog_2026, tmp_path):
    script = REPO / "scripts" / "derive_reference.py"
    result = subprocess.run(
        [sys.executable, str(script), str(UPSTREAM_2026), str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "communes\t34969\n" in result.stdout
    shipped = sorted(path.name for path in builtin_reference_dir().iterdir())
    assert shipped == sorted(path.name for path in tmp_path.iterdir())
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (builtin_reference_dir() / name).read_bytes(), name
    assert read_compact(builtin_reference_dir()) == cog_2026


# ---------------------------------------------------------------- without the real files

SAMPLE = ReferenceData(
    vintage="2026",
    package_version="6.0.0",
    communes=(
        Commune("75056", "Paris", "75", "11", "217500016", 2_100_000),
        Commune("98611", "Alo", "986", "986", None, None),
    ),
    former_communes=(FormerCommune("01120", "Cordieux", "01262", "commune-associee"),),
    groupements=(
        Groupement("200054781", "Métropole du Grand Paris", "METRO", "FPU", 7_000_000),
        Groupement("200057867", "Plaine Commune", "EPT", None, 0),
    ),
    memberships=(Membership("75056", "200054781"), Membership("93066", "200057867")),
)


def test_shipped_copy_reads():
    data = read_compact(builtin_reference_dir())
    assert (data.vintage, data.package_version) == ("2026", "6.0.0")
    assert data.summary()["communes"] == 34_969


def test_compact_copy_keeps_missing_values_and_zeros(tmp_path):
    write_compact(SAMPLE, tmp_path)
    assert read_compact(tmp_path) == SAMPLE


def test_compact_copy_is_deterministic(tmp_path):
    first = {p.name: p.read_bytes() for p in write_compact(SAMPLE, tmp_path / "first")}
    second = {p.name: p.read_bytes() for p in write_compact(SAMPLE, tmp_path / "second")}
    assert first == second
    assert gzip.decompress(first["memberships.csv.gz"]).decode() == (
        "commune_code,group_siren\n75056,200054781\n93066,200057867\n"
    )


def test_compact_copy_with_wrong_counts(tmp_path):
    write_compact(SAMPLE, tmp_path)
    record = json.loads((tmp_path / "vintage.json").read_text())
    record["counts"]["communes"] = 3
    (tmp_path / "vintage.json").write_text(json.dumps(record))
    with pytest.raises(LoaderError, match="counts disagree with the CSV files"):
        read_compact(tmp_path)


def test_dangling_references_are_reported():
    assert dangling_references(SAMPLE) == [
        "commune 75056 (Paris): department 75 not found",
        "commune 98611 (Alo): department 986 not found",
        "commune 75056 (Paris): region 11 not found",
        "commune 98611 (Alo): region 986 not found",
        "former commune 01120 (Cordieux): current commune 01262 not found",
        "membership of 93066 in 200057867: current commune 93066 not found",
    ]


README = """| Année | Version du package | NPM |
|-------|--------------------|-----|
| 2026  | 6.0.0              | `npm install x` |
| 2024  | 4.0.0              | `npm install x` |
| 2020  | Non disponible, sauf EPCI 2020 avec 0.8.0 | |
"""


def write_upstream(root: Path, *, version: str = "6.0.0", **data: object) -> Path:
    """A tiny unpacked npm package under ``root/package``; ``data`` replaces a JSON file."""
    files = {
        "regions": [{"code": "11", "nom": "Île-de-France", "zone": "metro"}],
        "departements": [{"code": "75", "nom": "Paris", "region": "11", "zone": "metro"}],
        "communes": [
            {"code": "75056", "nom": "Paris", "type": "commune-actuelle", "departement": "75",
             "region": "11", "siren": "217500016", "population": 2_100_000},
            {"code": "75101", "nom": "Paris 1er Arrondissement", "type": "arrondissement-municipal",
             "departement": "75", "region": "11", "commune": "75056"},
        ],
        "epci": [{"code": "200054781", "nom": "Métropole du Grand Paris", "type": "METRO",
                  "modeFinancement": "FPU", "populationTotale": 7_000_000,
                  "membres": [{"code": "75056", "siren": "217500016", "nom": "Paris"}]}],
        "ept": [],
    }  # fmt: skip
    files.update(data)
    package = root / "package"
    (package / "data").mkdir(parents=True)
    manifest = {"name": "@etalab/decoupage-administratif", "version": version}
    (package / "package.json").write_text(json.dumps(manifest))
    (package / "README.md").write_text(README, encoding="utf-8")
    for name, entries in files.items():
        if entries is not None:
            (package / "data" / f"{name}.json").write_text(json.dumps(entries), encoding="utf-8")
    return root


@pytest.mark.parametrize("where", [".", "package", "package/data"])
def test_reads_a_directory(tmp_path, where):
    data = read_upstream(write_upstream(tmp_path) / where)
    assert (data.vintage, data.sha256) == ("2026", "")
    assert data.communes == (Commune("75056", "Paris", "75", "11", "217500016", 2_100_000),)
    assert data.memberships == (Membership("75056", "200054781"),)


def test_reads_a_tarball(tmp_path):
    write_upstream(tmp_path / "tree", version="4.1.0")
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        tar.add(tmp_path / "tree" / "package", arcname="package")
    (tmp_path / "up.tgz").write_bytes(packed.getvalue())
    data = read_upstream(tmp_path / "up.tgz")
    assert (data.vintage, data.package_version) == ("2024", "4.1.0")
    assert len(data.sha256) == 64


def test_directory_without_epci_json(tmp_path):
    write_upstream(tmp_path, epci=None)
    with pytest.raises(LoaderError, match=r"package/data/epci\.json: missing\. Expected the @"):
        read_upstream(tmp_path)


def test_entry_without_code(tmp_path):
    valid = {"code": "200054781", "nom": "MGP", "type": "METRO", "membres": []}
    write_upstream(tmp_path, epci=[valid] * 12 + [{"nom": "X"}])
    with pytest.raises(LoaderError) as error:
        read_upstream(tmp_path)
    assert str(error.value) == "epci.json: entry 12: missing field 'code'"


def test_unknown_commune_type(tmp_path):
    write_upstream(tmp_path, communes=[{"code": "1", "nom": "X", "type": "commune-nouvelle"}])
    with pytest.raises(LoaderError, match="communes.json: entry 0: field 'type' is 'commune-n"):
        read_upstream(tmp_path)


def test_version_missing_from_the_readme(tmp_path):
    write_upstream(tmp_path, version="9.0.0")
    with pytest.raises(LoaderError, match="README.md: .* no year for 9.0.0"):
        read_upstream(tmp_path)
