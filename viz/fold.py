"""Fold communes into their EPCI, and programme sites into their programme, so that a page shows
the intercommunalities and the programmes, not 35,000 communes and 8,000 sites.

On a view (`viz.views`; a NetworkX graph or a `graph.tie_graph.TieGraph`): each commune whose
EPCI is in the view becomes part of that EPCI's node, which counts them in ``folded_communes``;
the ties of the folded communes (a territory that ``COVERS`` them, a project ``LOCATED_IN`` one)
are re-attached to the EPCI, one tie per EPCI, type and direction, with ``folded`` = how many
ties it stands for. A commune whose EPCI is not in the view, or that a document states
(`viz.importance.is_stated`), is left as it is. Sites (a Petite ville de demain, a France
services house…) fold the same way into the programme that labels them (``folded_sites``),
unless a document states them or one of their ties (`viz.importance.documented`): a loaded
list alone does not keep a site.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("epci:1", kind="Epci", name="CA de Béthune")
>>> for c in ("commune:a", "commune:b"):
...     _ = G.add_edge(c, "epci:1", key="IN_EPCI", type="IN_EPCI")
...     _ = G.add_edge("territory:t", c, key="COVERS", type="COVERS")
>>> H, folded = fold_communes(G)
>>> sorted(H), H.nodes["epci:1"]["folded_communes"], H.edges["territory:t", "epci:1", "COVERS"]["folded"], folded
(['epci:1', 'territory:t'], 2, 2, 2)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from viz.build import kind_of
from viz.importance import documented, is_stated

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EXPANDABLE", "epci_of", "fold_communes", "fold_sites", "programme_of"]

EXPANDABLE = ("communes", "sites")


def epci_of(G: nx.MultiDiGraph) -> dict[Any, Any]:
    """Commune id → the EPCI it belongs to, among the EPCI in ``G``.

    A current membership (no ``until``) wins over an ended one; a commune in two groupings (a
    Paris commune is in its EPT and in the Métropole du Grand Paris) goes to the smaller one.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("commune:a", "epci:big"), ("commune:b", "epci:big"), ("commune:a", "epci:small")])
    >>> epci_of(G)
    {'commune:a': 'epci:small', 'commune:b': 'epci:big'}
    """
    candidates: dict[Any, list[tuple[bool, Any]]] = {}
    for u in (n for n, d in G.nodes(data=True) if kind_of(n, d) == "Commune"):
        for _, v, data in G.out_edges(u, data=True):
            if data.get("type", "IN_EPCI") == "IN_EPCI" and _is(G, v, "Epci"):
                candidates.setdefault(u, []).append((bool(data.get("until")), v))
    size = Counter(v for found in candidates.values() for _, v in found)
    return {c: min(found, key=lambda f: (f[0], size[f[1]], str(f[1])))[1] for c, found in sorted(candidates.items(), key=lambda i: str(i[0]))}


def fold_communes(G: nx.MultiDiGraph, *, copy: bool = True) -> tuple[nx.MultiDiGraph, int]:
    """A copy of ``G`` with each commune folded into its EPCI, and how many communes were folded.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A view, with its `Source` nodes.
    copy : bool, default True
        False: fold within ``G`` itself (and return it), which saves a copy of a large view.

    Returns
    -------
    (nx.MultiDiGraph, int)
        The folded copy (the EPCI nodes gain ``folded_communes``, re-attached ties gain
        ``folded``) and the number of communes folded (0: ``G`` itself is returned).
    """
    into = {c: epci for c, epci in epci_of(G).items() if not is_stated(G.nodes[c])}
    return _fold(G, into, "folded_communes", copy=copy)


def programme_of(G: nx.MultiDiGraph) -> dict[Any, Any]:
    """Site id → the programme that labels it, among the programmes in ``G`` (the one with fewer sites if several).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("site:a", "programme:pvd"), ("site:b", "programme:pvd"), ("site:b", "programme:acv")])
    >>> for n in G:
    ...     G.nodes[n]["kind"] = n.split(":")[0].title()
    >>> programme_of(G)
    {'site:a': 'programme:pvd', 'site:b': 'programme:acv'}
    """
    candidates: dict[Any, list[Any]] = {}
    for u in (n for n, d in G.nodes(data=True) if kind_of(n, d) == "Site"):
        for _, v, data in G.out_edges(u, data=True):
            if data.get("type", "LABELLED") == "LABELLED" and _is(G, v, "Programme"):
                candidates.setdefault(u, []).append(v)
    size = Counter(v for found in candidates.values() for v in found)
    return {s: min(found, key=lambda p: (size[p], str(p))) for s, found in sorted(candidates.items(), key=lambda i: str(i[0]))}


def fold_sites(G: nx.MultiDiGraph, *, copy: bool = True) -> tuple[nx.MultiDiGraph, int]:
    """A copy of ``G`` (``G`` itself unless ``copy``) with each site folded into its programme, and how many sites were folded.

    A site that a document states, or whose ties a document states, stays; so does a site
    whose programme is not in ``G``. The programme nodes gain ``folded_sites``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("source:anct-pvd", kind="Source", key="anct-pvd", type="dataset")
    >>> G.add_node("programme:pvd", kind="Programme", name="Petites villes de demain")
    >>> for s in ("site:a", "site:b"):
    ...     G.add_node(s, kind="Site", sources=["anct-pvd"])
    ...     _ = G.add_edge(s, "programme:pvd", key="LABELLED", type="LABELLED")
    ...     _ = G.add_edge(s, "epci:1", key="COVERS", type="COVERS")
    >>> H, folded = fold_sites(G)
    >>> sorted(H), H.nodes["programme:pvd"]["folded_sites"], H.edges["programme:pvd", "epci:1", "COVERS"]["folded"]
    (['epci:1', 'programme:pvd', 'source:anct-pvd'], 2, 2)
    """
    keep = documented(G)
    return _fold(G, {s: p for s, p in programme_of(G).items() if s not in keep}, "folded_sites", copy=copy)


def _fold(G: nx.MultiDiGraph, into: Mapping[Any, Any], counter: str, *, copy: bool) -> tuple[nx.MultiDiGraph, int]:
    """``G`` with each node of ``into`` merged into the node it maps to, which counts them in ``counter``."""
    if not into:
        return G, 0
    ties = {(u, v, k): d for c in into for u, v, k, d in (*G.out_edges(c, keys=True, data=True), *G.in_edges(c, keys=True, data=True))}
    if copy:
        H = type(G)()
        H.graph.update(G.graph)
        for n, d in G.nodes(data=True):
            if n not in into:
                H.add_node(n, **d)  # a copy of each dict
        for u, v, k, d in G.edges(keys=True, data=True):
            if u not in into and v not in into:
                H.add_edge(u, v, key=k, **d)
    else:
        H = G
        H.remove_nodes_from(into)
    for target, count in Counter(into.values()).items():
        H.nodes[target][counter] = count
    for (u, v, key), data in ties.items():
        a, b = into.get(u, u), into.get(v, v)
        if a != b:
            _reattach(H, a, b, key, data)
    return H, len(into)


def _reattach(H: nx.MultiDiGraph, u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> None:
    """Add the tie ``u -key-> v`` standing for a folded one, or count it on the tie already there."""
    if H.has_edge(u, v, key):
        edge = H.edges[u, v, key]
        edge["folded"] = edge.get("folded", 1) + data.get("folded", 1)
        had = list(edge.get("sources") or [])
        added = [s for s in data.get("sources") or [] if s not in had]
        if added:
            edge["sources"] = had + added
        return
    kept = {k: data[k] for k in ("type", "sources", "phase", "since", "until") if k in data}
    H.add_edge(u, v, key=key, **kept, folded=data.get("folded", 1))


def _is(G: nx.MultiDiGraph, node: Any, kind: str) -> bool:
    return kind_of(node, G.nodes[node]) == kind
