"""Who bridges otherwise separate groups: betweenness, Burt's structural holes, Gould–Fernandez roles.

Burt's measures run on the undirected network of distinct ties, weighted by the number of
relationships between two actors; Gould–Fernandez roles follow the relationships' direction
(who funds, signs, supports whom) and the actors' groups: their kind or their region.

Example
-------
>>> import networkx as nx
>>> two_cliques = nx.MultiDiGraph(list(nx.complete_graph(3).edges) + [(2, 9), (9, 10)]
...                               + [(u + 10, v + 10) for u, v in nx.complete_graph(3).edges])
>>> brokers(two_cliques, top=1)["rows"][0]["id"]
9
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from queries.centrality import betweenness, betweenness_note, ranked, sample_size
from queries.network import collapse

__all__ = ["ROLES", "brokerage_roles", "brokers", "group_of", "structural_holes"]

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
GROUPINGS = ("kind", "region")


def structural_holes(G: nx.Graph) -> dict[Any, tuple[float | None, float | None]]:
    """Burt's constraint and effective size of each actor (``None`` for an actor without ties).

    Constraint is high (up to 1 and more) when an actor's contacts are tied to one another, low
    when they are not: a broker spanning structural holes has low constraint. Effective size is
    the number of contacts minus their redundancy (``n - 2t/n`` without weights, ``t`` the ties
    among the ``n`` contacts). Ties are weighted by the number of relationships.

    Examples
    --------
    >>> holes = structural_holes(nx.star_graph(4))
    >>> holes[0], holes[1]
    ((0.25, 4.0), (1.0, 1.0))
    """
    S = collapse(G)
    strength = {u: sum(d["weight"] for d in S[u].values()) for u in S}
    strongest = {u: max((d["weight"] for d in S[u].values()), default=0) for u in S}
    holes: dict[Any, tuple[float | None, float | None]] = {}
    for i in S:
        p = {j: d["weight"] / strength[i] for j, d in S[i].items()}
        indirect, redundancy = dict.fromkeys(p, 0.0), dict.fromkeys(p, 0.0)
        for q, p_iq in p.items():
            around = S[q]
            # Common contacts of i and q: walk the shorter of the two lists (hubs have thousands).
            common = (j for j in p if j in around) if len(p) < len(around) else (j for j in around if j in p)
            for j in common:
                w = around[j]["weight"]
                indirect[j] += p_iq * w / strength[q]
                redundancy[j] += p_iq * w / strongest[j]
        if not p:
            holes[i] = (None, None)
            continue
        holes[i] = (sum((p[j] + indirect[j]) ** 2 for j in p), sum(1 - redundancy[j] for j in p))
    return holes


def group_of(G: nx.Graph, node: Any, by: str) -> str:
    """The group of ``node`` for brokerage roles: its kind, or its region (``national`` if none or several).

    >>> G = nx.Graph(); G.add_node("a", kind="Epci", regions=["32"])
    >>> group_of(G, "a", "kind"), group_of(G, "a", "region")
    ('Epci', '32')
    """
    attrs = G.nodes[node]
    if by == "kind":
        return str(attrs.get("kind"))
    regions = attrs.get("regions") or []
    return regions[0] if len(regions) == 1 else "national"


def _role(a: str, b: str, c: str) -> str:
    if a == b == c:
        return "coordinator"
    if a == c:
        return "itinerant"
    if a == b:
        return "representative"
    return "gatekeeper" if b == c else "liaison"


def brokerage_roles(G: nx.Graph, *, by: str = "kind") -> dict[Any, dict[str, int]]:
    """Gould–Fernandez brokerage: how often each actor is the middle of an open two-step chain.

    For every chain ``a → b → c`` with no tie ``a → c``, ``b`` brokers; its role depends on the
    groups of the three: *coordinator* (all one group), *itinerant* (``a`` and ``c`` share a group
    that ``b`` is not in), *representative* (``b`` carries its own group's tie out: ``a`` and
    ``b`` share a group), *gatekeeper* (``b`` lets a tie into its group: ``b`` and ``c`` share
    one), *liaison* (three groups).

    Parameters
    ----------
    G : nx.Graph
        A directed graph (an undirected one counts each tie both ways).
    by : {"kind", "region"}
        What the groups are (see `group_of`).

    Returns
    -------
    dict
        Node → ``{role: count}`` with every role of `ROLES`.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "Operator", "b": "Territory", "c": "Territory"}, "kind")
    >>> brokerage_roles(G)["b"]["gatekeeper"]
    1
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    D = collapse(G, directed=True) if G.is_directed() else collapse(G).to_directed()
    group = {n: group_of(D, n, by) for n in D}
    roles = {n: dict.fromkeys(ROLES, 0) for n in D}
    for b in D:
        for a in D.predecessors(b):
            for c in D.successors(b):
                if a != c and not D.has_edge(a, c):
                    roles[b][_role(group[a], group[b], group[c])] += 1
    return roles


def brokers(
    G: nx.Graph,
    *,
    by: str = "kind",
    top: int | None = None,
    k: int | None = None,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
    known_betweenness: Mapping[Any, float] | None = None,
) -> dict[str, Any]:
    """Actors ranked by betweenness, with Burt's constraint and effective size and their brokerage roles.

    Parameters
    ----------
    G : nx.Graph
        The actor network (`queries.network.analysis_graph`), or any graph.
    by : {"kind", "region"}
        Groups for the Gould–Fernandez roles.
    top : int, optional
        Keep the first ``top`` rows.
    k, seed : int, optional
        Betweenness sample size and seed (see `queries.centrality.betweenness`).
    log : callable, optional
        Called with a message before a long computation starts.
    known_betweenness : mapping, optional
        Betweenness of ``G`` with the same ``k`` and ``seed``, if already computed (see `queries.centrality.centrality`).

    Returns
    -------
    dict
        ``rows``: ``{rank, id, name, kind, regions, betweenness, constraint, effective_size,
        brokerage, coordinator, itinerant, representative, gatekeeper, liaison}``, highest
        betweenness first; ``notes``: how betweenness was computed and what groups mean.
    """
    S = collapse(G)
    notes = [betweenness_note(S, k=k, seed=seed), f"Brokerage roles are counted across {by}s."]
    if log and sample_size(S, k=k) and known_betweenness is None:
        log(notes[0])
    holes, roles = structural_holes(S), brokerage_roles(G, by=by)
    scores: dict[str, dict[Any, Any]] = {
        "betweenness": dict(known_betweenness) if known_betweenness is not None else betweenness(S, k=k, seed=seed),
        "constraint": {n: holes[n][0] for n in S},
        "effective_size": {n: holes[n][1] for n in S},
        "brokerage": {n: sum(roles[n].values()) for n in S},
    }
    scores.update({role: {n: roles[n][role] for n in S} for role in ROLES})
    columns = ("rank", "id", "name", "kind", "regions", *scores)
    return {"rows": ranked(G, scores, by="betweenness", top=top), "notes": notes, "columns": {"rows": columns}}
