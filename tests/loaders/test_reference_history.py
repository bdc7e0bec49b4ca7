"""History across vintages of the administrative map, on small made-up vintages, on every backend;
and the ``tdi load reference`` command.

Each vintage below is a few communes of Seine-Saint-Denis and their groupements; the real
vintages (2024 → 2026) are in ``test_reference.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.backend import GraphBackend
from graph.errors import LoaderError
from loaders.cog import Commune, Department, Groupement, Membership, ReferenceData, Region
from loaders.cog_compact import write_compact
from loaders.reference import load_reference, load_regions_and_departments
from loaders.session import write_or_preview

CA_A, CA_B, EPT = "200057990", "200058014", "200057867"
MEMBERS_2024 = {"93001": CA_A, "93059": CA_A, "93066": CA_A}


def vintage(year: str, members: dict[str, str], *, extra: tuple[Membership, ...] = ()) -> ReferenceData:
    """A vintage whose communes are the keys of ``members``, each in one CA, and all in the EPT."""
    communes = tuple(Commune(code, f"Commune {code}", "93", "11", None, 1000 + int(year)) for code in sorted(members))
    groupements = (
        Groupement(CA_A, "CA Alpha", "CA", "FPU", 100_000),
        Groupement(CA_B, "CA Beta", "CA", "FPU", 200_000),
        Groupement(EPT, "Plaine Commune", "EPT", None, 450_000),
    )
    memberships = tuple(Membership(c, g) for c, g in sorted(members.items()))
    memberships += tuple(Membership(c, EPT) for c in sorted(members)) + extra
    return ReferenceData(
        year, f"{year}.0.0", "", (Region("11", "Île-de-France", "metro"),),
        (Department("93", "Seine-Saint-Denis", "11", "metro"),), communes, (), groupements, memberships,
    )  # fmt: skip


def period(graph: GraphBackend, commune: str, group: str) -> tuple[Any, Any] | None:
    rows = graph.run(
        "MATCH (:Commune {key: $c})-[x:IN_EPCI]->(:Epci {key: $g}) RETURN x.since AS since, x.until AS until", {"c": commune, "g": group}
    )
    return (rows[0]["since"], rows[0]["until"]) if rows else None


def node_period(graph: GraphBackend, label: str, key: str) -> tuple[Any, Any]:
    (row,) = graph.run(f"MATCH (n:{label} {{key: $k}}) RETURN n.since AS since, n.until AS until", {"k": key})
    return row["since"], row["until"]


def snapshot(graph: GraphBackend) -> tuple[list, list]:
    G = graph.to_networkx()
    return sorted(G.nodes(data=True)), sorted(G.edges(keys=True, data=True))


def test_first_vintage_creates_everything_without_a_start(backend: GraphBackend) -> None:
    """The first vintage loaded says when tdi first saw the map, not when a commune or a membership began."""
    stats = load_reference(backend, vintage("2024", MEMBERS_2024))
    assert stats.created["Commune"] == 3 and stats.created["Epci"] == 2 and stats.created["Epci (EPT)"] == 1
    assert stats.created["IN_EPCI Commune→Epci"] == 3 and stats.created["IN_EPCI Commune→EPT"] == 3
    assert node_period(backend, "Commune", "93001") == (None, None)
    assert node_period(backend, "Epci", EPT) == (None, None)
    assert period(backend, "93001", CA_A) == (None, None)
    rows = backend.run("MATCH (:Epci {key: $k})-[x:IN_REGION]->(r:Region) RETURN r.key AS r, x.since AS since", {"k": CA_A})
    assert rows == [{"r": "11", "since": None}]


def test_a_later_vintage_starts_only_what_is_new(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    load_reference(backend, vintage("2026", {**MEMBERS_2024, "93048": CA_A}))
    assert node_period(backend, "Commune", "93048") == ("2026", None)
    assert period(backend, "93048", CA_A) == ("2026", None)
    assert node_period(backend, "Commune", "93001") == (None, None)  # not stamped later either
    assert period(backend, "93001", CA_A) == (None, None)


def test_a_move_ends_the_old_membership_and_starts_a_new_one(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    stats = load_reference(backend, vintage("2026", {**MEMBERS_2024, "93001": CA_B}))
    assert (stats.ended["IN_EPCI Commune→Epci"], stats.created["IN_EPCI Commune→Epci"]) == (1, 1)
    assert stats.ended["Commune"] == 0 and stats.unchanged["IN_EPCI Commune→EPT"] == 0  # each now cites 2026 too
    assert period(backend, "93001", CA_A) == (None, "2026")
    assert period(backend, "93001", CA_B) == ("2026", None)
    assert period(backend, "93059", CA_A) == (None, None)


def test_a_vanished_commune_ends_with_its_ties(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    later = vintage("2026", {"93001": CA_A, "93066": CA_A})
    stats = load_reference(backend, later)
    assert stats.ended == {"Commune": 1, "IN_DEPARTMENT Commune→Department": 1, "IN_EPCI Commune→Epci": 1, "IN_EPCI Commune→EPT": 1}
    assert node_period(backend, "Commune", "93059") == (None, "2026")
    assert period(backend, "93059", EPT) == (None, "2026")
    again = load_reference(backend, later)
    assert not again.changed
    assert node_period(backend, "Commune", "93059") == (None, "2026")


def test_a_return_reopens_the_membership(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    load_reference(backend, vintage("2025", {**MEMBERS_2024, "93001": CA_B}))
    stats = load_reference(backend, vintage("2026", MEMBERS_2024))
    assert stats.ended["IN_EPCI Commune→Epci"] == 1
    assert period(backend, "93001", CA_A) == (None, None)  # one relationship, one period: the gap is not kept
    assert period(backend, "93001", CA_B) == ("2025", "2026")


def test_what_no_reference_load_stated_is_never_ended(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    backend.upsert_nodes("Commune", [{"key": "93048", "name": "Montreuil", "sources": ["manual-2026-01-02"]}])
    load_reference(backend, vintage("2026", MEMBERS_2024))
    assert node_period(backend, "Commune", "93048") == (None, None)


def test_an_older_vintage_is_refused(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2026", MEMBERS_2024))
    before = snapshot(backend)
    with pytest.raises(LoaderError, match=r"^The graph already holds the administrative map of 2026, and 2024 is older"):
        load_reference(backend, vintage("2024", MEMBERS_2024))
    assert snapshot(backend) == before


def test_regions_alone_do_not_fix_the_vintage(backend: GraphBackend) -> None:
    """The demo loads regions and departments only; any vintage of the whole map may follow."""
    load_regions_and_departments(backend, vintage("2026", MEMBERS_2024))
    load_reference(backend, vintage("2024", MEMBERS_2024))
    rows = backend.run("MATCH (:Department {key: '93'})-[x:IN_REGION]->(:Region) RETURN x.since AS since, x.sources AS sources")
    assert [r["since"] for r in rows] == [None]  # the first vintage of the whole map: no start
    assert "decoupage-administratif-2024" in rows[0]["sources"]


def test_codes_pointing_to_nothing_are_refused_before_writing(backend: GraphBackend) -> None:
    broken = vintage("2024", MEMBERS_2024, extra=(Membership("93999", CA_A),))
    with pytest.raises(LoaderError) as error:
        load_reference(backend, broken)
    assert str(error.value) == (
        "The administrative map 2024 points to codes it does not define: membership of 93999 in 200057990: "
        "current commune 93999 not found. Nothing was loaded."
    )
    assert backend.counts() == {"nodes": {}, "relationships": {}}


class Injected(Exception):
    """The failure a test injects in the middle of a load."""


def fail_at(stage: str):
    def progress(name: str, done: int, total: int) -> None:
        if name == stage:
            raise Injected(stage)

    return progress


def test_a_failed_update_leaves_the_graph_as_it_was(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    before = snapshot(backend)
    with pytest.raises(Injected), write_or_preview(backend):
        # Communes are written (one ended) before the memberships fail.
        load_reference(backend, vintage("2026", {"93001": CA_B, "93066": CA_A}), progress=fail_at("IN_EPCI Commune→Epci"))
    assert snapshot(backend) == before


def test_a_dry_run_reports_and_writes_nothing(backend: GraphBackend) -> None:
    load_reference(backend, vintage("2024", MEMBERS_2024))
    before = snapshot(backend)
    with write_or_preview(backend, dry_run=True):
        stats = load_reference(backend, vintage("2026", {"93001": CA_B, "93066": CA_A}))
    assert stats.ended["Commune"] == 1 and stats.created["IN_EPCI Commune→Epci"] == 1
    assert snapshot(backend) == before


# ---------------------------------------------------------------- the command


def test_cli_loads_a_vintage_then_previews_the_next(runner, tmp_path: Path) -> None:
    from cli import cli

    write_compact(vintage("2024", MEMBERS_2024), tmp_path / "2024")
    write_compact(vintage("2026", {"93001": CA_B, "93066": CA_A}), tmp_path / "2026")
    db = str(tmp_path / "graph")
    first = runner.invoke(cli, ["--db", db, "load", "reference", "--from", str(tmp_path / "2024"), "--format", "csv"])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[:2] == ["name,created,updated,ended,unchanged", "Commune,3,0,0,0"]
    assert first.stderr == "Administrative map 2024: 23 created, 0 updated, 0 ended, 0 unchanged.\n"
    preview = runner.invoke(cli, ["--db", db, "load", "reference", "--from", str(tmp_path / "2026"), "--dry-run", "--format", "json"])
    assert preview.exit_code == 0, preview.output
    rows = {row["name"]: row for row in json.loads(preview.stdout)}
    assert rows["Commune"] == {"name": "Commune", "created": 0, "updated": 2, "ended": 1, "unchanged": 0}
    assert preview.stderr == "Administrative map 2026 (dry run, nothing written): 4 created, 17 updated, 5 ended, 0 unchanged.\n"
    again = runner.invoke(cli, ["--db", db, "load", "reference", "--from", str(tmp_path / "2024")])
    assert again.exit_code == 0
    assert again.stderr == "Administrative map 2024: nothing changed (23 already in the graph).\n"


def test_cli_from_a_file_that_is_not_the_package(runner, tmp_path: Path) -> None:
    from cli import cli

    (tmp_path / "notes.txt").write_text("not a tarball\n")
    result = runner.invoke(cli, ["--db", str(tmp_path / "graph"), "load", "reference", "--from", str(tmp_path / "notes.txt")])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: notes.txt: not a readable tarball (file could not be opened successfully). "
        "Expected the @etalab/decoupage-administratif tarball (npm pack) or its unpacked package/ directory.\n"
    )
    assert not (tmp_path / "graph").exists()


@pytest.mark.slow
def test_cli_loads_the_shipped_copy(runner, tmp_path: Path) -> None:
    from cli import cli

    result = runner.invoke(cli, ["--db", str(tmp_path / "graph"), "load", "reference"])
    assert result.exit_code == 0, result.output
    assert "Commune                           34969    0        0      0" in result.stdout
    assert result.stderr.startswith("Administrative map 2026: 109")
