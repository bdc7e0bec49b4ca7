"""Tables loaded in parts: the records of a table split over many temporary partitions give exactly
what one partition gives — merged actors, combined relationships, disagreements found, exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import LoaderError
from graph.keys import luhn_check_digit
from loaders import table_spill
from loaders.mapping import read_mapping
from loaders.table_load import load_table

COMMUNES = [f"59{n:03d}" for n in range(1, 41)]


def siren(n: int) -> str:
    """A Luhn-valid SIREN made of ``n`` (8 digits) and its check digit."""
    return f"{n:08d}" + luhn_check_digit(f"{n:08d}")


def laureates(path: Path, rows: int) -> Path:
    """``rows`` laureates: each company funded twice by one programme (two amounts to add up), in two communes."""
    lines = ["Bénéficiaire;SIRET;Montant;Dispositif;Code commune;Date"]
    for i in range(rows):
        company = siren(40_000_000 + i % (rows // 2))
        lines.append(f"Société {i % (rows // 2)};{company}00012;{1000 + i} €;Programme {i % (rows // 2) % 3};{COMMUNES[i % 40]};0{1 + i % 9}/02/2024")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sum_mapping(path: Path) -> Path:
    path.write_text(
        "actors:\n"
        "  programme: {kind: programme, key: {column: Dispositif, parser: slug}, name: Dispositif}\n"
        "  company: {kind: company, key: {column: SIRET, parser: siren}, name: Bénéficiaire}\n"
        "  commune: {kind: commune, key: Code commune, existing: true}\n"
        "relationships:\n"
        "  - {type: FUNDS, from: programme, to: company, properties: {amount_eur: {column: Montant, parser: amount, combine: sum},"
        " date: {column: Date, parser: date, combine: min}}}\n"
        "  - {type: LOCATED_IN, from: company, to: commune}\n",
        encoding="utf-8",
    )
    return path


def contents(graph) -> tuple:
    funds = graph.run("MATCH (p:Programme)-[f:FUNDS]->(c:Company) RETURN p.key AS programme, c.key AS company, f.amount_eur AS amount, f.date AS date ORDER BY programme, company")
    names = graph.run("MATCH (c:Company) RETURN c.key AS key, c.name AS name ORDER BY key")
    return graph.counts(), funds, names


def load_in_parts(graph, path: Path, mapping: Path, partition_bytes: int, monkeypatch) -> tuple:
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", partition_bytes)
    graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    result = load_table(graph, path, read_mapping(mapping))
    again = load_table(graph, path, read_mapping(mapping))
    return result.stats, again.stats, contents(graph)


def test_many_partitions_give_what_one_gives(tmp_path, monkeypatch):
    from graph.backend import open_graph

    path, mapping = laureates(tmp_path / "l.csv", 200), sum_mapping(tmp_path / "m.yaml")
    assert table_spill.partitions_for(path) == 1
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", 3000)
    assert table_spill.partitions_for(path) >= 4
    results = []
    for size, name in ((table_spill.PARTITION_BYTES, "many"), (1 << 30, "one")):
        with open_graph(tmp_path / name) as graph:
            results.append(load_in_parts(graph, path, mapping, size, monkeypatch))
    (created, reloaded, held), (created_one, reloaded_one, held_one) = results
    assert held == held_one and created.created == created_one.created and reloaded.unchanged == reloaded_one.unchanged
    assert created.created["Company"] == 100 and created.created["FUNDS"] == 100 and created.created["LOCATED_IN"] == 200
    assert sum(reloaded.created.values()) == sum(reloaded.updated.values()) == 0
    funds = held[1]
    first = next(f for f in funds if f["company"] == siren(40_000_000))  # rows 0 and 100: 1000 € + 1100 €, same programme
    assert first["amount"] == 2100 and first["date"] == "2024-02-01"


def test_a_table_loaded_in_many_parts_gets_one_copy_per_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New rows wait for the end of their kind's parts (graph/deferred_copies.py): each table is rewritten once, not once per part."""
    from graph.backend import open_graph

    path, mapping = laureates(tmp_path / "l.csv", 200), sum_mapping(tmp_path / "m.yaml")
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", 3000)
    copies: list[str] = []
    with open_graph(tmp_path / "g") as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
        write = graph._write

        def counted(cypher: str, params: object = None) -> list:
            if cypher.startswith("COPY"):
                copies.append(cypher.split()[1])
            return write(cypher, params)

        monkeypatch.setattr(graph, "_write", counted)
        result = load_table(graph, path, read_mapping(mapping))
    assert table_spill.partitions_for(path) >= 4
    assert result.stats.created["Company"] == 100 and result.stats.created["LOCATED_IN"] == 200
    assert sorted(copies) == ["Company", "FUNDS", "LOCATED_IN", "Programme", "Source"]
    with open_graph(tmp_path / "g", read_only=True) as graph:
        assert graph.counts()["relationships"] == {"FUNDS": 100, "LOCATED_IN": 200}


def test_a_disagreement_across_partitions_is_found_before_writing(empty_graph, tmp_path, monkeypatch):
    path = laureates(tmp_path / "l.csv", 600)
    mapping = sum_mapping(tmp_path / "m.yaml")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(", combine: sum", ""), encoding="utf-8")
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", 1000)
    empty_graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    before = empty_graph.counts()
    with pytest.raises(LoaderError) as error:
        load_table(empty_graph, path, read_mapping(mapping))
    lines = str(error.value).splitlines()
    assert lines[0] == f"{path}: 300 problem(s), nothing was loaded:"
    assert lines[1].startswith(f'{path}:302: column "Montant": "1300.0", but line 2 gives "1000.0" for the same FUNDS programme:programme-0')
    assert lines[-1] == "… and 250 more"
    assert empty_graph.counts() == before


def test_a_dry_run_leaves_the_graph_file_untouched(runner, tmp_path):
    import hashlib

    from cli import cli
    from graph.backend import open_graph

    db = tmp_path / "graph"
    with open_graph(db) as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    path, mapping = laureates(tmp_path / "l.csv", 20), sum_mapping(tmp_path / "m.yaml")
    result = runner.invoke(cli, ["--db", str(db), "load", "table", str(path), "--mapping", str(mapping), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "(dry run, nothing written): 44 created" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_reload_in_many_parts_reads_each_table_once_and_updates_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With scans of whole tables (`graph.store.SCAN_MIN` lowered), each part of a reload takes its rows from
    one scan per table and load: the reload of the same file changes nothing, and the reload of a changed
    file updates exactly what changed, as a load into a fresh graph of that file gives."""
    from graph import store
    from graph.backend import open_graph

    path, mapping = laureates(tmp_path / "l.csv", 200), sum_mapping(tmp_path / "m.yaml")
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", 3000)
    monkeypatch.setattr(store, "SCAN_MIN", 1)
    scans: list[str] = []
    with open_graph(tmp_path / "g") as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
        load_table(graph, path, read_mapping(mapping))
        read = graph._arrow_or_rows
        monkeypatch.setattr(graph, "_arrow_or_rows", lambda cypher: scans.append(cypher) or read(cypher))
        again = load_table(graph, path, read_mapping(mapping))
        assert sum(again.stats.created.values()) == sum(again.stats.updated.values()) == 0
        assert again.stats.unchanged["Company"] == 100 and again.stats.unchanged["LOCATED_IN"] == 200
        assert len(scans) == len(set(scans)) == 5  # Source, Company and Programme keys, FUNDS, LOCATED_IN: once each over 4+ parts
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[1] = lines[1].replace(";1000 €;", ";1500 €;")
        lines[101] = lines[101].replace("Société 0;", "Société zéro;")  # company 0's last row gives its name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        changed = load_table(graph, path, read_mapping(mapping))
        assert (changed.stats.updated["Company"], changed.stats.updated["FUNDS"], sum(changed.stats.created.values())) == (1, 1, 0)
        held = contents(graph)
    with open_graph(tmp_path / "fresh") as fresh:
        fresh.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
        load_table(fresh, path, read_mapping(mapping))
        assert contents(fresh)[1:] == held[1:]
    assert next(f for f in held[1] if f["company"] == siren(40_000_000))["amount"] == 2600


def test_a_reload_in_parts_too_small_to_scan_alone_scans_for_the_whole_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table holding more than `SCAN_RATIO` times one part's keys, but not the whole load's, is read
    with one scan for the load rather than looked up key by key part after part (a million-row reload
    in parts of 91,000 rows looked every row up); a changed row is still found and updated."""
    from graph import store
    from graph.backend import open_graph

    path, mapping = laureates(tmp_path / "l.csv", 200), sum_mapping(tmp_path / "m.yaml")
    monkeypatch.setattr(table_spill, "PARTITION_BYTES", 3000)  # 4+ parts of at most 25 companies and 50 LOCATED_IN
    monkeypatch.setattr(store, "SCAN_MIN", 60)  # above a part's keys, below the load's (100 companies, 200 LOCATED_IN)
    monkeypatch.setattr(store, "SCAN_RATIO", 2)  # 100 companies: more than 2 x a part's, at most 2 x the load's
    statements: list[str] = []
    with open_graph(tmp_path / "g") as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
        load_table(graph, path, read_mapping(mapping))
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[101] = lines[101].replace("Société 0;", "Société zéro;")  # company 0's last row gives its name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        execute = graph._execute
        monkeypatch.setattr(graph, "_execute", lambda cypher, params=None: statements.append(cypher) or execute(cypher, params))
        changed = load_table(graph, path, read_mapping(mapping))
        names = {row["key"]: row["name"] for row in graph.run("MATCH (c:Company) RETURN c.key AS key, c.name AS name")}
    assert table_spill.partitions_for(path) >= 4
    assert (changed.stats.updated["Company"], sum(changed.stats.created.values())) == (1, 0)
    assert changed.stats.unchanged["Company"] == 99 and changed.stats.unchanged["LOCATED_IN"] == 200
    assert names[siren(40_000_000)] == "Société zéro" and len(names) == 100
    lookups = [s for s in statements if "UNWIND $keys" in s and (":Company {key: k}" in s or "LOCATED_IN" in s)]
    assert lookups == []
    scans = [s for s in statements if s.startswith(("MATCH (n:Company) RETURN", "MATCH (a:Company)-[x:LOCATED_IN]"))]
    assert len(scans) == 2, scans
