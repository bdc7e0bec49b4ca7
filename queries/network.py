"""The actor network that every analysis runs on, cut to a region, a phase or a date.

`analysis_graph` takes the graph exported by ``to_networkx()`` (nodes ``kind:key`` with a
``kind`` attribute, edges keyed by relationship type) and keeps the *actors*: people, State
bodies, regions, EPCI, territories, companies, operators, organisations, programmes, projects
and agreements. Communes and departments are used to place actors in regions, not as nodes.
Each kept node gains ``regions``, the sorted INSEE codes of the regions it is tied to. Sites
of ANCT's programmes are not actors either: their programmes gain ``PRESENT_IN`` ties to the
EPCI and territories the sites reach (`programme_presence`).

The cuts by region, phase, date and kinds are those of every view too: `graph.scope.select`
says what each keeps. What has no date holds always (such as the administrative map of the
first vintage loaded, see `loaders.reference_history`).

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", name="Hauts-de-France")
>>> G.add_node("commune:62119", kind="Commune", name="Béthune")
>>> G.add_node("company:1", kind="Company", name="Acme")
>>> G.add_edge("commune:62119", "region:32", key="IN_REGION")
'IN_REGION'
>>> G.add_edge("company:1", "commune:62119", key="LOCATED_IN")
'LOCATED_IN'
>>> A = analysis_graph(G, region="32", isolates=True)
>>> sorted(A), A.nodes["company:1"]["regions"]
(['company:1', 'region:32'], ['32'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph.keys import fold
from graph.scope import select
from graph.structure import leave_out_structure
from queries.labels import label

__all__ = ["DEFAULT_KINDS", "analysis_graph", "collapse", "label", "names_once", "programme_presence"]

_DASHES = re.compile(r"[-‐‑‒–—―]")
DEFAULT_KINDS = (
    "Person", "StateBody", "Region", "Epci", "Territory", "Company", "Operator", "Organisation", "Programme",
    "Project", "Agreement",
)  # fmt: skip


def names_once(G: nx.Graph, nodes: Iterable[Any]) -> list[str]:
    """The labels of ``nodes`` in order, one actor of several phases named once with its phases.

    Names of one kind match whatever their case, accents and dashes (``Gers – Tarn-et-Garonne`` is ``Gers Tarn et Garonne``).

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("territory:I-1", {"name": "Axe Seine", "phase": "I"}), ("epci:1", {"name": "CA X"}),
    ...                   ("territory:II-9", {"name": "Axe seine", "phase": "II"})])
    >>> names_once(G, ["territory:I-1", "epci:1", "territory:II-9"])
    ['Axe Seine (I, II)', 'CA X']
    """
    phases: dict[Any, list[str]] = {}
    names: dict[Any, str] = {}
    for node in nodes:
        data = G.nodes[node]
        if not (data.get("phase") and data.get("name")):
            names[node] = label(G, node)
            continue
        same = (data.get("kind"), " ".join(_DASHES.sub(" ", fold(str(data["name"]))).split()))
        names.setdefault(same, str(data["name"]))
        phases.setdefault(same, [])
        if str(data["phase"]) not in phases[same]:
            phases[same].append(str(data["phase"]))
    return [f"{name} ({', '.join(sorted(phases[key], key=lambda p: (len(p), p)))})" if key in phases else name
            for key, name in names.items()]  # fmt: skip


def analysis_graph(
    G: nx.MultiDiGraph,
    *,
    kinds: Sequence[str] = DEFAULT_KINDS,
    region: str | None = None,
    phase: str | None = None,
    as_of: str | None = None,
    isolates: bool = False,
    structure: bool = True,
) -> nx.MultiDiGraph:
    """The actor network of ``G``, optionally cut to a region, a phase or a date.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The graph exported by ``to_networkx()``: nodes with ``kind``, edges keyed by type.
    kinds, region, phase, as_of
        As in `graph.scope.select`: the kinds kept as nodes (the others only place actors in
        regions), the places of a region and the actors located in or tied to them, what holds
        in a phase (I or II) or on a date.
    isolates : bool
        Keep the actors that have no tie to another kept actor (dropped by default: they are
        not part of the network, like a region whose only ties are to its departments).
    structure : bool
        Keep the programme hubs and the ties of the administrative map and programme lists;
        ``False`` leaves them out (`graph.structure.leave_out_structure`).

    Returns
    -------
    nx.MultiDiGraph
        A new graph; nodes keep their attributes and gain ``regions`` (sorted codes); the
        graph attribute ``region_names`` maps codes to names, ``documents`` the ids of `Source`
        nodes to their ``name``, ``date`` and ``url``, ``left_out`` what ``structure=False`` left
        out (a sentence, or ``None``).

    Raises
    ------
    SchemaError
        An unknown kind or phase.
    ActorNotFound
        ``region`` is not a region of the graph.
    """
    chosen = select(G, region=region, phase=phase, as_of=as_of, kinds=kinds)
    regions = chosen.regions
    A = chosen.subgraph(sources=False)
    A.add_edges_from(programme_presence(chosen.graph, A))
    for node in A:
        A.nodes[node]["regions"] = regions[node]
    A.graph["region_names"] = {d.get("key"): d.get("name") for _, d in G.nodes(data=True) if d.get("kind") == "Region"}
    A.graph["documents"] = {n: {p: d.get(p) for p in ("name", "date", "url")} for n, d in G.nodes(data=True) if str(n).startswith("source:")}
    if not structure:
        A = leave_out_structure(A)
    if not isolates:
        A.remove_nodes_from(list(nx.isolates(A)))
    return A


def programme_presence(G: nx.MultiDiGraph, kept: Iterable[Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``PRESENT_IN`` ties from each programme to the kept EPCI and territories its sites reach.

    Sites of ANCT's programmes are not actors: a site's programme is present in an EPCI when the
    site covers the EPCI or one of its communes, and in a territory that covers the EPCI or one
    of the communes the site reaches. Each tie cites the sites' sources.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("site:s", {"kind": "Site", "sources": ["f"]}), ("commune:1", {"kind": "Commune"}),
    ...                   ("epci:e", {"kind": "Epci"}), ("programme:p", {"kind": "Programme"}), ("territory:t", {"kind": "Territory"})])
    >>> _ = G.add_edges_from([("site:s", "commune:1", "COVERS"), ("site:s", "programme:p", "LABELLED"),
    ...                       ("commune:1", "epci:e", "IN_EPCI"), ("territory:t", "epci:e", "COVERS")])
    >>> [(u, v) for u, v, *_ in programme_presence(G, ["programme:p", "epci:e", "territory:t"])]
    [('programme:p', 'epci:e'), ('programme:p', 'territory:t')]
    """
    kept = set(kept)
    succ, pred, kinds = G._succ, G._pred, G.nodes(data="kind")
    ties: dict[tuple[str, str], set[str]] = {}
    for site, data in G.nodes(data=True):
        if data.get("kind") != "Site":
            continue
        programmes = [v for v, keys in succ[site].items() if "LABELLED" in keys and v in kept]
        if not programmes:
            continue
        covered = {v for v, keys in succ[site].items() if "COVERS" in keys}
        places = covered | {u for p in covered for u, keys in pred[p].items() if "IN_EPCI" in keys}
        places |= {v for p in covered for v, keys in succ[p].items() if "IN_EPCI" in keys}
        places |= {u for p in places for u, keys in pred[p].items() if "COVERS" in keys and kinds[u] == "Territory"}
        for programme in programmes:
            for place in sorted(places & kept):
                if kinds[place] in ("Epci", "Territory"):
                    ties.setdefault((programme, place), set()).update(data.get("sources") or [])
    return [(p, place, "PRESENT_IN", {"type": "PRESENT_IN", "sources": sorted(sources)}) for (p, place), sources in sorted(ties.items())]


def collapse(G: nx.Graph, *, directed: bool = False) -> nx.Graph:
    """One simple edge per pair of tied nodes, with ``weight`` = number of ties and their ``types``.

    Self-loops are dropped. Node attributes are kept. A graph this function made is returned as
    it is (its weights are kept), so measures can call it on what they are given.

    >>> M = nx.MultiDiGraph([("a", "b", "FUNDS"), ("b", "a", "SIGNED"), ("a", "a", "PART_OF")])
    >>> S = collapse(M)
    >>> S["a"]["b"]["weight"], S["a"]["b"]["types"], S.number_of_edges(), collapse(S) is S
    (2, ['FUNDS', 'SIGNED'], 1, True)
    """
    shape = "directed" if directed else "undirected"
    if G.graph.get("collapsed") == shape and not G.is_multigraph() and G.is_directed() == directed:
        return G
    S: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    S.add_nodes_from(G.nodes(data=True))
    S.graph.update(G.graph, collapsed=shape)
    keyed = G.is_multigraph()
    for u, v, *rest in G.edges(keys=True) if keyed else G.edges():
        if u == v:
            continue
        kind = rest[0] if keyed else None
        if S.has_edge(u, v):
            S[u][v]["weight"] += 1
            if kind and kind not in S[u][v]["types"]:
                S[u][v]["types"] = sorted([*S[u][v]["types"], kind])
        else:
            S.add_edge(u, v, weight=1, types=[kind] if kind else [])
    return S
