"""Time the first pass of ``tdi load table`` alone (rows checked, coerced and spilled), optionally against another checkout.

The first pass (`loaders.table_load`) reads every row of a SIRENE-like CSV (the narrow one of
``bench/load_table.py``) through the ``sirene`` mapping before anything is merged or written. Each
run is a process of its own, from the checkout's folder, on a scratch graph holding the communes
the rows name; with ``--base``, the two checkouts run alternately, so that both share the machine's
load. Prints the CPU seconds of the pass itself, and the process's wall time, CPU and peak memory.

    git archive main | tar -x -C /tmp/tdi-main
    python bench/table_first_pass.py --rows 100000 --runs 3 --base /tmp/tdi-main
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from load_table import add_communes, write_rows
from process_time import REPO, time_process

_PASS = """
import sys, time
from graph.backend import open_graph
from loaders.mapping import read_mapping
from loaders.session import no_progress
from loaders.table import open_table
from loaders.table_load import _Converter, _rare_collections
from loaders.table_spill import Spill, partitions_for

with open_graph(sys.argv[1]) as graph:
    table = open_table(sys.argv[2])
    mapping = read_mapping("sirene").bind(table.columns, table.name)
    with Spill(partitions_for(table.path, table.lines)) as spill, _rare_collections():
        start = time.process_time()
        found = _Converter(graph, table, mapping, spill, no_progress).convert()
        print(f"{time.process_time() - start:.2f} s CPU, {found.rows:,} rows, {found.problems.count} problems", file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--base", type=Path, help="another checkout (a folder holding cli.py), run alternately")
    args = parser.parse_args()
    checkouts = [REPO, *([args.base.resolve()] if args.base else [])]
    with tempfile.TemporaryDirectory(prefix="tdi-first-pass-") as tmp:
        path = write_rows(Path(tmp) / f"StockEtablissement_bench_{args.rows}.csv", args.rows)
        db = str(Path(tmp) / "graph")
        add_communes(db)
        for _ in range(args.runs):
            for checkout in checkouts:
                t = time_process([sys.executable, "-c", _PASS, db, str(path)], cwd=checkout)
                said = t.messages[-1] if t.messages else ""
                print(f"{checkout!s:40} first pass {said:45} process: wall {t.wall:6.1f} s, CPU {t.cpu:6.1f} s, "
                      f"peak {t.peak_mib:5,.0f} MiB, exit {t.exit_code}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
