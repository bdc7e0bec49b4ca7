"""Score and time the name matcher on the full graph (about 45k actors).

Quality, on the annotated variants of ``tests/fixtures/names/variants.csv`` (made by
``scripts/derive_name_variants.py``): top-1 accuracy (the first actor found is the one meant), the
share of variants ``tdi match`` would take (status ``matched``) and take wrongly, per rule, and
the false-match rate: names not in the graph that ``tdi match`` would still take. Speed: the
wall time of ``tdi find`` (a new process each time, as an analyst's shell runs it) with the saved
index, and after a write (index rebuilt); the wall time of ``tdi match`` on 10,000 distinct
commune names written by rules (upper case, St-, spaces for dashes) with their department.

The full graph is built in a temporary directory (``load_builtin(full=True)`` from the ANCT
files of ``--data`` or ``TDI_DATA``, about a minute), or taken from ``--db`` (a graph loaded by
``tdi demo --full``).

    python bench/names.py --data ../shared/data/raw
    python bench/names.py --db ./tdi-graph-full
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed

VARIANTS = REPO / "tests" / "fixtures" / "names" / "variants.csv"


def quality(db: Path) -> None:
    from graph.backend import open_graph
    from graph.name_cache import name_index
    from graph.name_index import verdict

    with open_graph(db, read_only=True) as graph:
        index = name_index(graph)
    with VARIANTS.open(encoding="utf-8") as file:
        variants = list(csv.DictReader(file))
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for row in variants:
        matches = index.search(row["variant"], limit=5, context=row["context"] or None)
        status, _ = verdict(matches)
        wanted = set(filter(None, row["ids"].split("|")))
        tally = per_rule[row["rule"]]
        tally["n"] += 1
        if wanted:
            tally["top1"] += bool(matches) and matches[0].id in wanted
        tally[status] += 1
        tally["wrong"] += status == "matched" and matches[0].id not in wanted
        if wanted and (not matches or matches[0].id not in wanted):
            print(f"  miss  {row['rule']:18} {row['variant'][:50]!r:54} -> {matches[0].id if matches else '-'} "
                  f"{matches[0].name[:30] if matches else ''} {matches[0].score if matches else ''}", file=sys.stderr)  # fmt: skip
    print(f"{'rule':20} {'variants':>8} {'top-1':>7} {'matched':>8} {'wrong':>6} {'ambiguous':>9} {'unmatched':>9}")
    total: Counter = Counter()
    for rule, t in per_rule.items():
        if rule != "not-in-graph":
            total.update(t)
        print(f"{rule:20} {t['n']:>8} {_pct(t['top1'], t['n']) if rule != 'not-in-graph' else '':>7} {t['matched']:>8} "
              f"{t['wrong']:>6} {t['ambiguous']:>9} {t['unmatched']:>9}")  # fmt: skip
    absent = per_rule["not-in-graph"]
    print(f"\nTop-1 accuracy: {_pct(total['top1'], total['n'])} of {total['n']} variants of names in the graph; "
          f"matched {_pct(total['matched'], total['n'])} (wrongly {_pct(total['wrong'], total['n'])}), "
          f"ambiguous {_pct(total['ambiguous'], total['n'])}, unmatched {_pct(total['unmatched'], total['n'])}.")  # fmt: skip
    print(f"False matches: {_pct(absent['matched'], absent['n'])} of {absent['n']} names not in the graph "
          f"({absent['ambiguous']} ambiguous, {absent['unmatched']} unmatched).")  # fmt: skip


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def _tdi(db: Path, *args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run tdi in a new process: its wall time, its CPU time (user and system) and what it did."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from cli import main; main()", "--db", str(db), *args],
                          check=False, capture_output=True, text=True, cwd=REPO)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done


def speed(db: Path, work: Path) -> None:
    from graph.nxcache import cache_dir

    for saved in cache_dir().glob("names-*.pickle"):
        saved.unlink(missing_ok=True)
    cold, cold_cpu, _ = _tdi(db, "find", "Région Occitanie")
    runs = [_tdi(db, "find", text) for text in ("Région Occitanie", "Brest", "CC Grand-Figeac", "Lot", "ANCT", "Bethnue", "Saint-Denis")]
    wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
    print(f"\ntdi find, full graph: {statistics.median(wall):.2f} s wall, {statistics.median(cpu):.2f} s CPU (medians of {len(runs)}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs) with the saved index; "
          f"{cold:.2f} s wall, {cold_cpu:.2f} s CPU after a write (index rebuilt and saved).")  # fmt: skip
    names = work / "communes-10000.csv"
    _write_communes(names, 10_000)
    wall, cpu, done = _tdi(db, "match", str(names), "--column", "nom", "--context-column", "departement", "-o", str(work / "out.csv"))
    if done.returncode:
        raise SystemExit(done.stderr)
    with (work / "out.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    right = sum(r["id"] == r["expected"] for r in rows)
    print(f"tdi match, 10,000 commune names written by rules, with their department: {wall:.1f} s wall, {cpu:.1f} s CPU; "
          f"{done.stderr.strip().split(': ', 1)[1]} Right id on {_pct(right, len(rows))} of rows.")  # fmt: skip


def _write_communes(path: Path, size: int) -> None:
    from loaders.cog_compact import builtin_reference_dir

    with gzip.open(builtin_reference_dir() / "communes.csv.gz", "rt", encoding="utf-8") as file:
        communes = random.Random(7).sample(list(csv.DictReader(file)), size)
    rules = [lambda n: n, str.upper, lambda n: n.replace("Saint-", "St-").replace("Sainte-", "Ste-"), lambda n: n.replace("-", " ")]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["nom", "departement", "expected"])
        for position, row in enumerate(communes):
            writer.writerow([rules[position % len(rules)](row["name"]), row["department"], f"commune:{row['code']}"])


def build_full(db: Path, data: str | None) -> None:
    from graph.backend import open_graph
    from loaders.builtin import load_builtin

    start = time.perf_counter()
    with open_graph(db) as graph:
        load_builtin(graph, True, data_dir=data)
    print(f"Built the full graph in {time.perf_counter() - start:.0f} s.", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a graph loaded by `tdi demo --full` (built in a temporary directory otherwise)")
    parser.add_argument("--data", default=os.environ.get("TDI_DATA"), help="the ANCT files, to build the full graph (default: $TDI_DATA)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = args.db or work / "graph"
        if args.db is None:
            build_full(db, args.data)
        quality(db)
        speed(db, work)


if __name__ == "__main__":
    main()
