"""What documents and programmes say about each actor: the measure that ranks a reduced page.

Raw degree favours the administrative map (a commune has a department, an EPCI, territories and
sites around it). Here an actor counts for the facts that cite it: its own sources (a document
counts 3, a loaded table 1; the administrative map nothing), its evidence lines, its roles in
funding, projects and agreements (2 each), its ties to a programme (1 each) and the sources of
its ties (a document 1, a table 1/3). Ties of one type count in full up to a score of 4, then
logarithmically, so that a programme with thousands of labelled sites does not drown the rest.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("source:press", kind="Source", key="press", type="press")
>>> G.add_node("operator:bdt", kind="Operator", sources=["press"])
>>> G.add_node("commune:1", kind="Commune", sources=["decoupage-administratif-2026"])
>>> _ = G.add_edge("operator:bdt", "project:p", key="FUNDS", type="FUNDS", sources=["press"])
>>> importance(G)
{'commune:1': 0.0, 'operator:bdt': 6.0, 'project:p': 3.0}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graph.keys import REFERENCE_PREFIX
from viz.build import kind_of
from viz.measures import actors_of

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ROLE_TYPES", "documented", "importance", "is_stated", "stated_actors"]

# Ties that give an actor a role in the programme's story: money, projects, agreements, people.
ROLE_TYPES = frozenset({"FUNDS", "SUPPORTS", "PILOTS", "CARRIES", "HOLDS_ROLE", "SIGNED", "TOOK_PART", "PARTNER_OF", "MEMBER_OF"})
DOCUMENT, TABLE = 3.0, 1.0


def is_stated(data: Mapping[str, Any]) -> bool:
    """Whether a node or tie is cited by a document or a loaded table, not only by the administrative map.

    >>> is_stated({"sources": ["decoupage-administratif-2026"]}), is_stated({"sources": ["press-2019"]})
    (False, True)
    """
    return any(not str(s).startswith(REFERENCE_PREFIX) for s in data.get("sources") or [])


def documented(G: nx.MultiDiGraph) -> set[Any]:
    """The actors a document states: it cites them, or one of their ties, or quotes them (``evidence``).

    A loaded table (a `Source` of ``type`` dataset) and the administrative map do not count.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("source:list", kind="Source", key="list", type="dataset")
    >>> G.add_node("site:a", kind="Site", sources=["list"])
    >>> G.add_node("site:b", kind="Site", sources=["list"])
    >>> _ = G.add_edge("operator:bdt", "site:b", key="FUNDS", type="FUNDS", sources=["press"])
    >>> sorted(documented(G))
    ['operator:bdt', 'site:b']
    """
    weights = _source_weights(G)
    found = {n for n, data in G.nodes(data=True) if _by_document(data, weights)}
    found |= {end for u, v, data in G.edges(data=True) if _by_document(data, weights) for end in (u, v)}
    return {n for n in found if kind_of(n, G.nodes[n]) != "Source"}


def _by_document(data: Mapping[str, Any], weights: Mapping[str, float]) -> bool:
    return bool(data.get("evidence")) or any(_weight([s], weights) == DOCUMENT for s in data.get("sources") or [])


def stated_actors(G: nx.MultiDiGraph) -> list[Any]:
    """The actors a document or a loaded table states (sorted by id): a page keeps them all.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:a", sources=["press-1"]); G.add_node("commune:1", sources=[])
    >>> stated_actors(G)
    ['person:a']
    """
    return [n for n in actors_of(G) if is_stated(G.nodes[n])]


def importance(G: nx.MultiDiGraph) -> dict[Any, float]:
    """One score per actor (by id): what documents, tables and programmes say about it.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A view with its `Source` nodes (their ``type`` ``dataset`` marks a loaded table; a source
        missing from ``G`` counts as a document).

    Returns
    -------
    dict
        Node id → score (0 for an actor only the administrative map mentions).
    """
    weights = _source_weights(G)
    actors = actors_of(G)
    programmes = {n for n in actors if kind_of(n, G.nodes[n]) == "Programme"}
    by_type: dict[tuple[Any, str], float] = {}
    drawn = set(actors)
    scored: dict[tuple[str, tuple[Any, ...]], float] = {}  # (type, sources) → a tie's score: most ties share their sources
    for u, nbrs in G.succ.items():  # the ties as ``G.edges`` gives them, without a tuple for each
        if u not in drawn:
            continue
        for v, ties in nbrs.items():
            if v not in drawn:
                continue
            bonus_u = 1.0 if v in programmes and u not in programmes else 0.0
            bonus_v = 1.0 if u in programmes and v not in programmes else 0.0
            for key, data in ties.items():
                rel_type = str(data.get("type") or key)
                sources = data.get("sources")
                cited = (rel_type, tuple(sources) if sources else ())
                tie = scored.get(cited)
                if tie is None:
                    tie = scored[cited] = _tie_score(rel_type, data, weights)
                by_type[u, rel_type] = by_type.get((u, rel_type), 0.0) + tie + bonus_u
                by_type[v, rel_type] = by_type.get((v, rel_type), 0.0) + tie + bonus_v
    cited_weight: dict[tuple[Any, ...], float] = {}  # sources → their weight: most actors share their sources
    scores = {}
    for n in actors:
        data = G.nodes[n]
        sources = data.get("sources")
        key = tuple(sources) if sources else ()
        weight = cited_weight.get(key)
        if weight is None:
            weight = cited_weight[key] = _weight(key, weights)
        evidence = data.get("evidence")
        scores[n] = weight + (len(evidence) if evidence else 0)
    for (node, _), total in by_type.items():
        scores[node] += _damped(total)
    return {n: round(s, 2) for n, s in scores.items()}


def _damped(total: float) -> float:
    """Ties of one type count in full up to 4, then logarithmically: 2,800 labelled sites do not drown a document."""
    return total if total <= 4 else 4 + math.log2(total / 4)


def _source_weights(G: nx.MultiDiGraph) -> dict[str, float]:
    """Source key → weight: a table (``type`` dataset) 1, the administrative map 0, anything else 3."""
    weights = {}
    for n, data in G.nodes(data=True):
        if kind_of(n, data) == "Source":
            key = str(data.get("key") or str(n).partition(":")[2])
            weights[key] = 0.0 if key.startswith(REFERENCE_PREFIX) else TABLE if data.get("type") == "dataset" else DOCUMENT
    return weights


def _weight(sources: Iterable[Any], weights: Mapping[str, float]) -> float:
    return sum(0.0 if str(s).startswith(REFERENCE_PREFIX) else weights.get(str(s), DOCUMENT) for s in sources)


def _tie_score(rel_type: str, data: Mapping[str, Any], weights: Mapping[str, float]) -> float:
    role = 2.0 if rel_type in ROLE_TYPES else 0.0
    return role + _weight(data.get("sources") or [], weights) / DOCUMENT
