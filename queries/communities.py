"""Groups of actors more tied to one another than to the rest: Louvain (seeded), or Leiden where available.

Communities are found on the undirected network of distinct ties, weighted by the number of
relationships between two actors. NetworkX implements Louvain itself; it only *dispatches*
Leiden to installed backends (such as ``nx-cugraph``), so ``method="leiden"`` works when one is
installed and raises `AnalysisUnavailable` otherwise.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(list(nx.complete_graph(4).edges) + [(3, 4)]
...                     + [(u + 4, v + 4) for u, v in nx.complete_graph(4).edges])
>>> sorted(sorted(c) for c in detect_communities(G, seed=1))
[[0, 1, 2, 3], [4, 5, 6, 7]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import networkx as nx

from graph.errors import TdiError
from queries.network import collapse, label, names_once

__all__ = ["METHODS", "AnalysisUnavailable", "communities", "detect_communities"]

METHODS = ("louvain", "leiden", "label-propagation")
# Louvain in pure Python slows down sharply on large graphs: above this many actors, say so first.
LOUVAIN_SLOW = 20_000


class AnalysisUnavailable(TdiError):
    """An analysis that needs a library or NetworkX backend that is not installed."""


def detect_communities(G: nx.Graph, *, method: str = "louvain", resolution: float = 1.0, seed: int = 7) -> list[set[Any]]:
    """The communities of ``G``, largest first (ties broken by their smallest member).

    Parameters
    ----------
    G : nx.Graph
        Any graph; multi-edges and directions are collapsed, ties weighted by their number.
    method : {"louvain", "leiden", "label-propagation"}
        The algorithm: label propagation is much faster on large graphs, with coarser results.
    resolution : float
        Above 1, smaller communities; below 1, larger ones.
    seed : int
        Seed of the algorithm's private generator: the same seed gives the same communities.

    Raises
    ------
    AnalysisUnavailable
        ``method="leiden"`` and no installed NetworkX backend implements it.

    Examples
    --------
    >>> detect_communities(nx.Graph([(1, 2), (3, 4)]))
    [{1, 2}, {3, 4}]
    """
    S = collapse(G)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "louvain":
        found = nx.community.louvain_communities(S, weight="weight", resolution=resolution, seed=seed)
    elif method == "label-propagation":
        found = nx.community.asyn_lpa_communities(S, weight="weight", seed=seed)
    else:
        found = _leiden(S, resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(str(n) for n in c)))


def _leiden(S: nx.Graph, *, resolution: float, seed: int) -> list[set[Any]]:
    try:
        return list(nx.community.leiden_communities(S, weight="weight", resolution=resolution, seed=seed))
    except (NotImplementedError, AttributeError) as exc:
        raise AnalysisUnavailable(
            "Leiden is not implemented by NetworkX itself, only by optional backends (such as nx-cugraph), "
            "and none is installed. Use --method louvain."
        ) from exc


def _top(counter: Counter[str], n: int = 3) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common(n))


def communities(
    G: nx.Graph,
    *,
    method: str = "louvain",
    resolution: float = 1.0,
    seed: int = 7,
    top: int | None = None,
    members: int = 5,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Communities with their size, dominant kinds and regions, and key members.

    Parameters
    ----------
    G : nx.Graph
        The actor network (`queries.network.analysis_graph`), or any graph.
    method, resolution, seed
        See `detect_communities`.
    top : int, optional
        Keep the ``top`` largest communities.
    members : int
        How many key members (most tied within the community) to name.
    log : callable, optional
        Called with a message before a long computation starts.

    Returns
    -------
    dict
        ``rows``: ``{community, size, kinds, regions, key_members, key_member_ids}`` (an actor of
        both phases is one key member, named with its phases);
        ``membership``: node → community number (1 = largest); ``notes``: method, seed and
        modularity.
    """
    S = collapse(G)
    if log and method == "louvain" and S.number_of_nodes() > LOUVAIN_SLOW:
        log(f"Louvain on {S.number_of_nodes()} actors can take minutes; --method label-propagation is fast but coarser.")
    found = detect_communities(S, method=method, resolution=resolution, seed=seed)
    names = S.graph.get("region_names", {})
    rows = []
    for number, found_nodes in enumerate(found[:top] if top else found, start=1):
        nodes = sorted(found_nodes, key=str)  # counts tied in most_common() keep this order, not the set's
        inner = S.subgraph(nodes)
        key = sorted(nodes, key=lambda n: (-inner.degree(n, weight="weight"), label(S, n)))[:members]
        regions = Counter(names.get(r, r) for n in nodes for r in S.nodes[n].get("regions") or [])
        rows.append({
            "community": number, "size": len(nodes),
            "kinds": _top(Counter(str(S.nodes[n].get("kind")) for n in nodes)),
            "regions": _top(regions), "key_members": names_once(S, key), "key_member_ids": key,
        })  # fmt: skip
    quality = nx.community.modularity(S, found, weight="weight") if S.number_of_edges() else 0.0
    how = (
        "label propagation (seed {seed})"
        if method == "label-propagation"
        else f"{method.capitalize()} (seed {seed}, resolution {resolution})"
    )
    notes = [f"{len(found)} communities by {how.format(seed=seed)}; modularity {quality:.3f}."]
    membership = {n: i for i, nodes in enumerate(found, start=1) for n in nodes}
    return {"rows": rows, "membership": membership, "notes": notes}
