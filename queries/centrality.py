"""Who is central in the actor network: degree, betweenness and PageRank.

Every measure runs on the undirected network of distinct ties (`queries.network.collapse`):
two actors tied by a ``FUNDS`` and a ``SIGNED`` relationship are neighbours once, with weight 2.
Betweenness is exact up to `EXACT_MAX` actors and estimated from a seeded sample of source
actors above it (the sample size is stated in the result's notes).

Example
-------
>>> import networkx as nx
>>> star = nx.MultiDiGraph([("hub", leaf) for leaf in "abcd"])
>>> [(row["id"], row["degree"], row["betweenness"]) for row in centrality(star, top=2)["rows"]]
[('hub', 4, 1.0), ('a', 1, 0.0)]
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from queries.brandes import dependencies
from queries.network import collapse, label

__all__ = ["EXACT_MAX", "betweenness", "betweenness_note", "centrality", "pagerank", "ranked", "sample_size"]

# Exact betweenness costs one search per actor; above this many actors it is estimated.
EXACT_MAX = 2000
# Work budget of an estimate, sampled sources × (actors + ties), and the bounds of the sample:
# about 5 s in pure Python on one core (bench/analysis.py measures it).
SAMPLE_WORK = 8_000_000
SAMPLE_MIN, SAMPLE_MAX = 20, 500
MEASURES = ("degree", "betweenness", "pagerank")


def sample_size(G: nx.Graph, *, k: int | None = None) -> int | None:
    """How many source actors estimate betweenness on ``G``: ``None`` means exact.

    ``k`` forces a sample (``None`` if it covers every actor); otherwise graphs of at most
    `EXACT_MAX` actors are exact, and larger ones get a sample that keeps the work bounded.

    >>> sample_size(nx.path_graph(10)), sample_size(nx.path_graph(10), k=4)
    (None, 4)
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    if k is not None:
        return None if k >= n else max(1, k)
    if n <= EXACT_MAX:
        return None
    return max(SAMPLE_MIN, min(SAMPLE_MAX, SAMPLE_WORK // (n + m)))


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 7) -> dict[Any, float]:
    """Normalised betweenness of each actor: the share of shortest paths between others through it.

    The same figures as ``nx.betweenness_centrality(S, k=k, seed=seed)`` on the collapsed graph
    (same sample of sources, same scaling), computed on integer-indexed arrays by
    `queries.brandes` to run several times faster on large graphs.

    Parameters
    ----------
    G : nx.Graph
        Any graph; multi-edges and directions are collapsed first.
    k : int, optional
        Estimate from ``k`` sampled source actors (default: see `sample_size`).
    seed : int
        Seed of the sample (a private generator; the global one is left alone).

    Examples
    --------
    >>> betweenness(nx.MultiDiGraph([("donor", "ngo"), ("ngo", "ministry")]))["ngo"]
    1.0
    """
    S = collapse(G)
    nodes = list(S)
    n, size = len(nodes), sample_size(S, k=k)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [[index[v] for v in S[u]] for u in nodes]
    sources = range(n) if size is None else [index[v] for v in random.Random(seed).sample(nodes, size)]
    totals = dependencies(adjacency, sources)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    if size is None:
        return {node: totals[i] / ((n - 1) * (n - 2)) for i, node in enumerate(nodes)}
    # As NetworkX does: a sampled source cannot lie on its own paths, so it had one source fewer.
    sampled = set(sources)
    per_source = [(size - 1 if i in sampled else size) * (n - 2) for i in range(n)]
    return {node: totals[i] / per_source[i] if per_source[i] else 0.0 for i, node in enumerate(nodes)}


def pagerank(G: nx.Graph, *, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 200) -> dict[Any, float]:
    """PageRank on the undirected, tie-weighted network (pure Python: no NumPy needed).

    An actor scores high when it is tied, often, to actors that score high. Scores sum to 1.

    Examples
    --------
    >>> scores = pagerank(nx.star_graph(3))
    >>> round(scores[0], 3), round(sum(scores.values()), 6)
    (0.48, 1.0)
    >>> pagerank(nx.Graph())   # as NetworkX: no actor, no score
    {}
    """
    S = collapse(G)
    nodes = list(S)
    n = len(nodes)
    if not n:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    links = [[(index[v], d["weight"]) for v, d in S[u].items()] for u in nodes]
    strength = [sum(w for _, w in out) for out in links]
    rank = [1.0 / n] * n
    for _ in range(max_iter):
        dangling = alpha * sum(rank[i] for i in range(n) if not strength[i]) / n
        new = [(1.0 - alpha) / n + dangling] * n
        for i, out in enumerate(links):
            if out:
                share = alpha * rank[i] / strength[i]
                for j, w in out:
                    new[j] += share * w
        done = sum(abs(a - b) for a, b in zip(new, rank, strict=True)) < n * tol
        rank = new
        if done:
            break
    return dict(zip(nodes, rank, strict=True))


def ranked(G: nx.Graph, scores: dict[str, dict[Any, Any]], *, by: str, top: int | None) -> list[dict[str, Any]]:
    """One row per actor (id, name, kind, regions, then each score), best ``by`` first.

    >>> ranked(nx.Graph([("a", "b")]), {"degree": {"a": 1, "b": 2}}, by="degree", top=1)
    [{'rank': 1, 'id': 'b', 'name': 'b', 'kind': None, 'regions': '', 'degree': 2}]
    """
    order = sorted(G, key=lambda n: (-(scores[by].get(n) or 0), label(G, n), str(n)))
    rows = []
    for rank, node in enumerate(order[:top] if top else order, start=1):
        attrs = G.nodes[node]
        row = {"rank": rank, "id": node, "name": label(G, node), "kind": attrs.get("kind")}
        row["regions"] = ", ".join(attrs.get("regions") or [])
        row.update({name: _round(values.get(node)) for name, values in scores.items()})
        rows.append(row)
    return rows


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def centrality(
    G: nx.Graph,
    *,
    by: str = "degree",
    top: int | None = None,
    k: int | None = None,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
    known_betweenness: Mapping[Any, float] | None = None,
) -> dict[str, Any]:
    """Degree, ties, betweenness and PageRank of every actor, ranked.

    Parameters
    ----------
    G : nx.Graph
        The actor network (`queries.network.analysis_graph`), or any graph.
    by : {"degree", "betweenness", "pagerank"}
        The measure that ranks the rows.
    top : int, optional
        Keep the first ``top`` rows.
    k, seed : int, optional
        Betweenness sample size and seed (see `betweenness`).
    log : callable, optional
        Called with a message before a long computation starts (for the command line).
    known_betweenness : mapping, optional
        `betweenness` of ``G`` with the same ``k`` and ``seed``, if already computed (the report
        shares one computation between its tables).

    Returns
    -------
    dict
        ``rows``: ``{rank, id, name, kind, regions, degree, ties, betweenness, pagerank}``
        (``degree`` = distinct neighbours, ``ties`` = relationships); ``notes``: sentences on
        how the figures were computed (sample size and seed when betweenness is estimated).

    Raises
    ------
    ValueError
        ``by`` is not one of the measures.
    """
    if by not in MEASURES:
        raise ValueError(f"by must be one of {', '.join(MEASURES)}, not {by!r}")
    S = collapse(G)
    notes = [betweenness_note(S, k=k, seed=seed)]
    if log and sample_size(S, k=k) and known_betweenness is None:
        log(notes[0])
    scores = {
        "degree": dict(S.degree()),
        "ties": {n: G.degree(n) for n in G},
        "betweenness": dict(known_betweenness) if known_betweenness is not None else betweenness(S, k=k, seed=seed),
        "pagerank": pagerank(S),
    }
    return {"rows": ranked(G, scores, by=by, top=top), "notes": notes, "columns": {"rows": ("rank", "id", "name", "kind", "regions", *scores)}}


def betweenness_note(G: nx.Graph, *, k: int | None = None, seed: int = 7) -> str:
    """A sentence saying whether betweenness is exact or estimated, and from what sample.

    >>> betweenness_note(nx.path_graph(3))
    'Betweenness is exact (3 actors).'
    """
    n, size = G.number_of_nodes(), sample_size(G, k=k)
    if size is None:
        return f"Betweenness is exact ({n} actors)."
    return (
        f"Betweenness is estimated from {size} of {n} actors sampled as path sources (seed {seed}); "
        "pass --sample N to change the sample size."
    )
