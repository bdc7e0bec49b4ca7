"""Time ``tdi load table`` on 100,000 synthetic SIRENE establishment rows, and its no-change reload.

Writes a StockEtablissement-shaped CSV (UTF-8, ``,``) of ROWS establishments of ROWS companies
spread over 2,000 communes, creates those communes, then loads the file with the shipped
``sirene`` mapping into an empty embedded graph (and into Neo4j when ``NEO4J_URI`` is set; the
database must be empty unless ``--reset-neo4j`` is given) and loads it again. Prints rows/s and
the process's peak memory.

    python bench/load_table.py [--rows 100000] [--reset-neo4j]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import tempfile
import time
from pathlib import Path

from graph.backend import GraphBackend, open_graph
from graph.keys import luhn_check_digit
from loaders.mapping import read_mapping
from loaders.table_load import load_table

COLUMNS = ["siren", "nic", "siret", "dateCreationEtablissement", "codeCommuneEtablissement", "etatAdministratifEtablissement",
           "activitePrincipaleEtablissement", "denominationUniteLegale"]  # fmt: skip
COMMUNES = [f"{d:02d}{n:03d}" for d in range(1, 21) for n in range(1, 101)]


def siren(n: int) -> str:
    """A Luhn-valid SIREN made of ``n`` (8 digits) and its check digit."""
    return f"{n:08d}" + luhn_check_digit(f"{n:08d}")


def write_rows(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            s = siren(10_000_000 + i)
            writer.writerow(
                [s, "00012", s + "00012", "2015-03-01", COMMUNES[i % len(COMMUNES)], "A", "25.62A", f"ENTREPRISE {i}"]
            )
    return path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(graph: GraphBackend, name: str, path: Path, rows: int) -> None:
    graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
    mapping = read_mapping("sirene")
    for step in ("empty graph", "reload (no change)"):
        start = time.perf_counter()
        result = load_table(graph, path, mapping)
        seconds = time.perf_counter() - start
        created = sum(result.stats.created.values())
        print(f"{name:9} {step:20} {rows:>8} rows {seconds:7.2f} s {rows / seconds:>9,.0f} rows/s "
              f"created {created:>7}  peak {peak_mib():,.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reset-neo4j", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_rows(Path(tmp) / "StockEtablissement_bench.csv", args.rows)
        with open_graph(Path(tmp) / "graph") as graph:
            bench(graph, "embedded", path, args.rows)
        if os.environ.get("NEO4J_URI"):
            with open_graph(os.environ["NEO4J_URI"]) as graph:
                if graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"] and not args.reset_neo4j:
                    raise SystemExit("The Neo4j database is not empty: give --reset-neo4j to let the bench empty it.")
                graph.run("MATCH (n) DETACH DELETE n", write=True)
                bench(graph, "neo4j", path, args.rows)


if __name__ == "__main__":
    main()
