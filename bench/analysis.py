"""Time every network analysis on the built-in graph and on synthetic graphs of 10k and 100k actors.

Also prints the error of sampled betweenness against exact betweenness on a graph small enough
for the exact measure. Every step is announced before it runs, so nothing hangs silently.

With ``--db``, also runs the whole-graph commands (``tdi analyze centrality``, ``brokers``,
``communities``, ``report``, ``tdi export json`` and ``graphml``) on that graph, each in a new
process, first with an empty cache directory and then again, and prints each process's CPU
time, wall time and peak memory; then times the measures on the actor network against
python-igraph on the same edge list, when igraph is importable (it is not a dependency).

Usage::

    python bench/analysis.py                   # built-in graph, 10k and 100k synthetic actors
    python bench/analysis.py --sizes 10000     # only the 10k synthetic graph
    python bench/analysis.py --db ./tdi-graph  # also a graph of yours (e.g. after tdi demo --full)
    python bench/analysis.py --db ./tdi-graph --commands-only --sizes   # only the commands and igraph
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from process_time import tdi_command, time_process

from queries.brokerage import brokers
from queries.centrality import betweenness, centrality, sample_size
from queries.communities import communities
from queries.compare import compare_graphs
from queries.network import analysis_graph, collapse
from queries.projections import cofunding, comembership
from queries.report import build_report

KINDS = ["Operator", "Programme", "StateBody", "Project", "Territory", "Epci", "Company", "Person", "Organisation", "Agreement"]
FUNDERS = {"Operator", "Programme", "StateBody"}
REGIONS = [f"{code:02d}" for code in (11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94, 1, 2, 3, 4, 6)]


def synthetic(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like the country's: ``n`` actors in a scale-free network, 18 regions, funding ties with amounts."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for node in base:
        kind = KINDS[rng.randrange(len(KINDS))]
        G.add_node(f"{kind.lower()}:{node}", kind=kind, key=str(node), name=f"{kind} {node}")
    ids = list(G)
    for u, v in base.edges():
        a, b = ids[u], ids[v]
        if G.nodes[b]["kind"] in FUNDERS:
            a, b = b, a
        funds = G.nodes[a]["kind"] in FUNDERS
        G.add_edge(a, b, key="FUNDS" if funds else "PARTNER_OF", amount_eur=float(rng.randrange(1, 100)) * 1e4 if funds else None)
    for code in REGIONS:
        G.add_node(f"region:{code}", kind="Region", key=code, name=f"Region {code}")
    for node in ids:
        if G.nodes[node]["kind"] in ("Epci", "Territory", "Project", "Company"):
            G.add_edge(node, f"region:{rng.choice(REGIONS)}", key="IN_REGION")
    return G


def timed(what: str, run: Callable[[], Any]) -> Any:
    """Announce, run and time one step: wall seconds, and CPU seconds of this process (the figure a busy machine distorts least)."""
    print(f"  {what:<34}", end="", flush=True)
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    print(f"{time.perf_counter() - start:8.2f} s wall {time.process_time() - cpu:8.2f} s CPU", flush=True)
    return result


def bench_graph(name: str, G: nx.MultiDiGraph, *, report: bool) -> None:
    """Time the network build and every analysis on ``G``."""
    print(f"\n{name}: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships", flush=True)
    A = timed("actor network (analysis_graph)", lambda: analysis_graph(G))
    S = collapse(A)
    k = sample_size(S)
    print(f"  -> {A.number_of_nodes()} actors, {A.number_of_edges()} ties; betweenness "
          + ("exact" if k is None else f"sampled: k={k} sources, seed 7"), flush=True)  # fmt: skip
    timed("centrality", lambda: centrality(A, top=10))
    timed("brokers (by kind)", lambda: brokers(A, top=10))
    if A.number_of_nodes() <= 20_000:
        timed("communities (Louvain, seed 7)", lambda: communities(A, top=10))
    timed("communities (label propagation)", lambda: communities(A, method="label-propagation", top=10))
    timed("cofunding", lambda: cofunding(A, top=10))
    timed("comembership", lambda: comembership(A, top=10))
    after = A.copy()
    rng = random.Random(2)
    after.remove_edges_from(rng.sample(list(A.edges(keys=True)), A.number_of_edges() // 20))
    timed("compare (5% of ties removed)", lambda: compare_graphs(A, after, top=10))
    if report:
        timed("report (everything above)", lambda: build_report(G, top=10))


def sampling_error(n: int, ks: list[int]) -> None:
    """Mean and worst absolute error of sampled betweenness against exact, and top-10 overlap."""
    S = collapse(analysis_graph(synthetic(n, seed=3)))
    print(f"\nSampled vs exact betweenness on {S.number_of_nodes()} actors, {S.number_of_edges()} ties (seed 7)", flush=True)
    exact = timed("exact", lambda: betweenness(S, k=S.number_of_nodes()))
    top = sorted(exact, key=exact.get, reverse=True)[:10]
    print(f"  {'k':>6} {'time':>8} {'mean abs err':>13} {'max abs err':>12} {'rel err top10':>14} {'top-10 kept':>12}")
    for k in ks:
        start = time.perf_counter()
        estimate = betweenness(S, k=k, seed=7)
        took = time.perf_counter() - start
        errors = [abs(estimate[v] - exact[v]) for v in S]
        rel = sum(abs(estimate[v] - exact[v]) / exact[v] for v in top) / len(top)
        kept = len(set(top) & set(sorted(estimate, key=estimate.get, reverse=True)[:10]))
        print(
            f"  {k:>6} {took:>7.2f}s {sum(errors) / len(errors):>13.6f} {max(errors):>12.6f} {rel:>13.1%} {kept:>9}/10",
            flush=True,
        )


COMMANDS = [
    ["analyze", "centrality", "--top", "10"], ["analyze", "brokers", "--top", "10"], ["analyze", "communities", "--top", "10"],
    ["analyze", "report", "-o", "{out}/report.md"], ["export", "json", "-o", "{out}/g.json"], ["export", "graphml", "-o", "{out}/g.graphml"],
]  # fmt: skip
REPO = Path(__file__).resolve().parents[1]


def run_tdi(db: str, args: list[str], cache: Path) -> tuple[float, float, float]:
    """Run one tdi command in a new process: its CPU seconds (user + system), wall seconds and peak MiB."""
    t = time_process(tdi_command("--db", db, *args), env={**os.environ, "TDI_CACHE_DIR": str(cache)}, cwd=REPO)
    if t.exit_code:
        sys.exit(f"tdi {' '.join(args)} failed: {chr(10).join(t.messages) or t.exit_code}")
    return t.cpu, t.wall, t.peak_mib


def bench_commands(db: str) -> None:
    """Each whole-graph command on ``db``: with an empty cache, then again (the cache of the first run kept)."""
    print(f"\nCommands on {db} (each a new process; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"  {'command':<28} {'CPU 1st':>8} {'wall 1st':>9} {'CPU 2nd':>8} {'wall 2nd':>9} {'peak MiB':>9}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for args in COMMANDS:
            args = [a.format(out=tmp) for a in args]
            cache = Path(tmp) / f"cache-{args[1]}"
            first, second = run_tdi(db, args, cache), run_tdi(db, args, cache)
            name = " ".join(args[:2])
            print(f"  {name:<28} {first[0]:>7.2f}s {first[1]:>8.2f}s {second[0]:>7.2f}s {second[1]:>8.2f}s {max(first[2], second[2]):>9.0f}",
                  flush=True)  # fmt: skip


def first_analysis_steps(db: str) -> None:
    """Where the first analysis of ``db`` spends its time: each step of ``tdi analyze centrality`` with an empty cache, in process."""
    import pickle

    from graph.backend import open_graph
    from graph.projection import read_projection

    print(f"\nSteps of a first analysis of {db} (in process; CPU seconds)")
    graph = timed("open the graph", lambda: open_graph(db, read_only=True))
    G = timed("read the projection from the store", lambda: read_projection(graph))
    graph.close()
    timed("save it (pickle, as the cache does)", lambda: pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL))
    A = timed("cut the actor network", lambda: analysis_graph(G, structure=False))
    timed("centrality (degree, betweenness, PageRank)", lambda: centrality(A))
    timed("brokers", lambda: brokers(A))
    timed("report (betweenness shared)", lambda: build_report(G, top=10))


def compare_igraph(db: str) -> None:
    """Betweenness, PageRank and Louvain on the actor network of ``db``: tdi (NetworkX and NumPy) against igraph."""
    from graph.backend import open_graph
    from graph.projection import project
    from queries.centrality import pagerank

    with open_graph(db, read_only=True) as graph:
        S = collapse(analysis_graph(project(graph)))
    print(f"\ntdi against python-igraph on the same edge list: {S.number_of_nodes()} actors, {S.number_of_edges()} ties")
    ours_b = timed("tdi betweenness (exact)", lambda: betweenness(S, k=S.number_of_nodes()))
    timed("networkx betweenness_centrality, 100 sources", lambda: nx.betweenness_centrality(S, k=100, seed=7))
    timed("tdi pagerank", lambda: pagerank(S))
    timed("tdi communities (Louvain)", lambda: nx.community.louvain_communities(S, weight="weight", seed=7))
    try:
        import igraph
    except ImportError:
        print("  python-igraph is not installed (pip install python-igraph): no comparison.")
        return
    index = {node: i for i, node in enumerate(S)}
    g = igraph.Graph(n=len(index), edges=[(index[u], index[v]) for u, v in S.edges()])
    g.es["weight"] = [d["weight"] for _, _, d in S.edges(data=True)]
    n = S.number_of_nodes()
    theirs = timed("igraph betweenness (exact)", g.betweenness)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0
    worst = max(abs(ours_b[node] - theirs[i] * scale) for node, i in index.items())
    print(f"  -> largest difference from tdi's betweenness: {worst:.1e}")
    timed("igraph pagerank", lambda: g.pagerank(weights="weight"))
    timed("igraph community_multilevel", lambda: g.community_multilevel(weights="weight"))


def builtin() -> nx.MultiDiGraph:
    from graph.backend import open_graph
    from loaders.builtin import load_builtin

    with tempfile.TemporaryDirectory() as tmp, open_graph(Path(tmp) / "graph") as graph:
        load_builtin(graph)
        return graph.to_networkx()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="synthetic graph sizes (actors)")
    parser.add_argument("--db", help="also time a graph of yours (embedded path or Neo4j URI)")
    parser.add_argument("--exact-size", type=int, default=2000, help="graph size for the sampling error")
    parser.add_argument("--commands-only", action="store_true", help="with --db: only the commands and the igraph comparison")
    args = parser.parse_args()
    if args.db and args.commands_only:
        bench_commands(args.db)
        first_analysis_steps(args.db)
        compare_igraph(args.db)
        return
    bench_graph("Built-in dataset", timed("load and export the built-in graph", builtin), report=True)
    if args.db:
        bench_commands(args.db)
        first_analysis_steps(args.db)
        compare_igraph(args.db)
        from graph.backend import open_graph

        with open_graph(args.db, read_only=True) as graph:
            G = timed(f"export {args.db}", graph.to_networkx)
        bench_graph(args.db, G, report=True)
    for n in args.sizes:
        bench_graph(f"Synthetic {n}", timed(f"generate {n} actors", lambda n=n: synthetic(n)), report=n <= 10_000)
    sampling_error(args.exact_size, [50, 100, 200, 500])


if __name__ == "__main__":
    main()
