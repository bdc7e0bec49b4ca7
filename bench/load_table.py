"""Time ``tdi load table`` on 10,000, 100,000 and 1,000,000 synthetic SIRENE rows: first load and reloads.

For each size, writes a StockEtablissement-shaped CSV (UTF-8, ``,``) of ROWS establishments of
ROWS companies spread over 2,000 communes, prepares an embedded graph holding those communes,
then runs each step as its own ``tdi`` process and prints its wall time, CPU time (user +
system, the engine's threads included), rows per CPU second and peak memory (``os.wait4``):

- the first load (``--mapping sirene``);
- the reload, the graph unchanged since (the load is recorded, so it is not redone);
- one actor added with ``tdi actor add`` (another write), then the reload again: the whole file
  is read, checked and compared with the graph, and nothing changes.

A step that did not fit in the engine's page memory and was written again with more prints that line too.

With ``NEO4J_URI`` set, also loads each file twice into Neo4j in this process (the database must
be empty unless ``--reset-neo4j`` is given).

    python bench/load_table.py [--rows 10000 100000 1000000] [--reset-neo4j]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed
from process_time import tdi_command, time_process

from graph.keys import luhn_check_digit

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


def add_communes(db: str) -> None:
    from graph.backend import open_graph

    with open_graph(db) as graph:
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])


def run(name: str, rows: int, *args: str, rate: bool = True) -> None:
    """Run ``tdi ARGS`` in its own process; print wall time, CPU time, rows per CPU second, peak memory, its last line."""
    t = time_process(tdi_command(*args), cwd=REPO)
    per_second = f"{rows / t.cpu:>9,.0f} rows/CPU s" if rate else " " * 20
    print(f"{rows:>9,} rows  {name:30} wall {t.wall:7.1f} s  CPU {t.cpu:7.1f} s  {per_second}  "
          f"peak {t.peak_mib:5,.0f} MiB  exit {t.exit_code}  {t.messages[-1] if t.messages else ''}", flush=True)  # fmt: skip
    for line in t.messages[:-1]:
        if "page memory" in line:  # the load did not fit and was written again with more memory
            print(f"{'':>15}{line}", flush=True)


def bench_embedded(folder: Path, path: Path, rows: int) -> None:
    db = str(folder / f"graph-{rows}")
    subprocess.run([sys.executable, __file__, "--communes", db], check=True)
    load = ["--db", db, "load", "table", str(path), "--mapping", "sirene"]
    run("first load", rows, *load)
    run("again (graph unchanged since)", rows, *load)
    run("tdi actor add (another write)", rows, "--db", db, "actor", "add", "operator", "--key", "bench-operator", "--name", "Bench", rate=False)
    run("again (after another write)", rows, *load)


def bench_neo4j(path: Path, rows: int, reset: bool) -> None:
    from graph.backend import open_graph
    from loaders.mapping import read_mapping
    from loaders.table_load import load_table

    with open_graph(os.environ["NEO4J_URI"]) as graph:
        if graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"] and not reset:
            raise SystemExit("The Neo4j database is not empty: give --reset-neo4j to let the bench empty it.")
        graph.run("MATCH (n) DETACH DELETE n", write=True)
        graph.upsert_nodes("Commune", [{"key": c, "name": f"Commune {c}"} for c in COMMUNES])
        for step in ("neo4j first load", "neo4j again"):
            start = time.perf_counter()
            load_table(graph, path, read_mapping("sirene"))
            print(f"{rows:>9,} rows  {step:30} wall {time.perf_counter() - start:7.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reset-neo4j", action="store_true")
    parser.add_argument("--communes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.communes:  # in a process of its own, so that the steps' peak memory is theirs alone
        add_communes(args.communes)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = write_rows(Path(tmp) / f"StockEtablissement_bench_{rows}.csv", rows)
            bench_embedded(Path(tmp), path, rows)
            if os.environ.get("NEO4J_URI"):
                bench_neo4j(path, rows, args.reset_neo4j)
            path.unlink()


if __name__ == "__main__":
    main()
