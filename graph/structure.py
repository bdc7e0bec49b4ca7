"""The structure of the map, left out when the question is who works with whom.

Two things tie nearly every actor to a few hubs and so top every ranking: the programme that
labels the territories (``LABELLED`` from territories), and the lists and maps that place
actors (``IN_REGION``, ``IN_DEPARTMENT``, ``IN_EPCI``: the administrative hierarchy;
``LABELLED`` and ``PRESENT_IN``: membership of a programme's list). `leave_out_structure`
drops the hubs and these ties, then the actors that only they tied to the rest, and says what
it left out. What else ties a region or a programme (it signs, funds, pilots) stays.

Example
-------
>>> G = nx.MultiDiGraph([("territory:I-1", "programme:ti", "LABELLED"), ("territory:I-1", "region:32", "IN_REGION"),
...                      ("operator:o", "territory:I-1", "SUPPORTS")])
>>> nx.set_node_attributes(G, {"territory:I-1": "Territory", "programme:ti": "Programme", "region:32": "Region"}, "kind")
>>> H = leave_out_structure(G)
>>> sorted(H), H.graph["left_out"]
(['operator:o', 'territory:I-1'], 'Left out the structure of the map (add --include-structure to keep it): the programme programme:ti, which labels 1 territory; 1 tie of the administrative map or of programme lists (IN_REGION 1); 1 actor tied only by them (region:32).')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx

__all__ = ["STRUCTURAL_TIES", "leave_out_structure", "programme_hubs"]

STRUCTURAL_TIES = frozenset({"IN_REGION", "IN_DEPARTMENT", "IN_EPCI", "LABELLED", "PRESENT_IN"})
_SHOWN = 5


def programme_hubs(G: nx.MultiDiGraph) -> list[Any]:
    """The programmes that label territories (the targets of ``LABELLED`` ties from territories), sorted.

    >>> G = nx.MultiDiGraph([("territory:I-1", "programme:ti", "LABELLED"), ("site:s", "programme:pvd", "LABELLED")])
    >>> nx.set_node_attributes(G, {"territory:I-1": "Territory", "site:s": "Site"}, "kind")
    >>> programme_hubs(G)
    ['programme:ti']
    """
    kinds = G.nodes(data="kind")
    return sorted({v for u, v, k in G.edges(keys=True) if k == "LABELLED" and kinds[u] == "Territory"}, key=str)


def leave_out_structure(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` without the programme hubs, the structural ties and the actors tied only by them.

    The graph attribute ``left_out`` says, in one sentence, what was left out (``None`` if nothing).
    """
    hubs = programme_hubs(G)
    H = G.copy()
    H.remove_nodes_from(hubs)
    H.remove_edges_from([(u, v, k) for u, v, k in G.edges(keys=True) if k in STRUCTURAL_TIES])
    ties = Counter(k for u, v, k in G.edges(keys=True) if k in STRUCTURAL_TIES and u not in hubs and v not in hubs)
    orphans = sorted((n for n in H if G.degree(n) and not H.degree(n)), key=str)
    H.remove_nodes_from(orphans)
    H.graph["left_out"] = _notice(G, hubs, ties, orphans)
    return H


def _notice(G: nx.MultiDiGraph, hubs: list[Any], ties: Counter[str], orphans: list[Any]) -> str | None:
    parts = []
    for hub in hubs:
        labelled = sum(1 for u, _, k in G.in_edges(hub, keys=True) if k == "LABELLED" and G.nodes[u].get("kind") == "Territory")
        parts.append(f"the programme {_name(G, hub)}, which labels {_count(labelled, 'territory', 'territories')}")
    if ties:
        by_type = ", ".join(f"{k} {n}" for k, n in ties.most_common())
        parts.append(f"{_count(sum(ties.values()), 'tie', 'ties')} of the administrative map or of programme lists ({by_type})")
    if orphans:
        parts.append(f"{_count(len(orphans), 'actor', 'actors')} tied only by them ({_names(G, orphans)})")
    if not parts:
        return None
    return "Left out the structure of the map (add --include-structure to keep it): " + "; ".join(parts) + "."


def _names(G: nx.MultiDiGraph, nodes: Iterable[Any]) -> str:
    """The first few names, most tied first, and how many kinds of the rest."""
    ranked = sorted(nodes, key=lambda n: (-G.degree(n), str(n)))
    shown = ", ".join(_name(G, n) for n in ranked[:_SHOWN])
    rest = Counter(str(G.nodes[n].get("kind") or "actor") for n in ranked[_SHOWN:])
    more = ", ".join(f"{n} {kind}" for kind, n in rest.most_common())
    return shown + (f", and {more}" if more else "")


def _name(G: nx.MultiDiGraph, node: Any) -> str:
    return str(G.nodes[node].get("name") or node)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}".replace(",", " ")
