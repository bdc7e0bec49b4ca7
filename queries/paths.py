"""The shortest chains of relationships between two actors, step by step, with who says so.

Paths ignore the relationships' direction (a funder and a signatory of the same agreement are
two steps apart) but every step reports it. Documents (`Source`) and figures are not actors, so
no path goes through them.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("operator:bpi", "project:p", key="FUNDS", sources=["press-1"])
'FUNDS'
>>> G.add_edge("company:c", "project:p", key="CARRIES")
'CARRIES'
>>> [(s["from"], s["type"], s["direction"], s["to"]) for s in shortest_paths(G, "operator:bpi", "company:c")[0]["steps"]]
[('operator:bpi', 'FUNDS', 'out', 'project:p'), ('project:p', 'CARRIES', 'in', 'company:c')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice, pairwise
from typing import Any

from graph import breadth_first
from graph.errors import ActorNotFound
from queries.labels import label

__all__ = ["NOT_ACTORS", "PATHS_MAX", "no_path_note", "path_rows", "shortest_paths"]

NOT_ACTORS = ("Source", "Figure")
# --all lists every shortest path, up to this many (hubs can make them many).
PATHS_MAX = 100


def _step(G: Any, u: Any, v: Any) -> dict[str, Any]:
    """The step from ``u`` to ``v``: every relationship joining them, either way."""
    rels = [(key, "out", data) for key, data in G.get_edge_data(u, v, default={}).items()]
    rels += [(key, "in", data) for key, data in G.get_edge_data(v, u, default={}).items()]
    rels.sort(key=lambda r: (r[0], r[1]))
    relationships = [
        {"type": key, "direction": direction, "sources": list(data.get("sources") or []),
         "properties": {k: x for k, x in data.items() if k not in ("type", "sources", "evidence")}}
        for key, direction, data in rels
    ]  # fmt: skip
    first = relationships[0]
    return {
        "from": u, "from_name": label(G, u), "to": v, "to_name": label(G, v),
        "type": first["type"], "direction": first["direction"],
        "sources": sorted({s for r in relationships for s in r["sources"]}), "relationships": relationships,
    }  # fmt: skip


def shortest_paths(
    G: Any,
    source: Any,
    target: Any,
    *,
    max_length: int = 6,
    all_paths: bool = False,
    exclude_kinds: Iterable[str] = NOT_ACTORS,
) -> list[dict[str, Any]]:
    """The shortest path (or every shortest path) between two actors, within ``max_length`` steps.

    Parameters
    ----------
    G : nx.MultiDiGraph or TieGraph
        The graph exported by ``to_networkx()``, or a `graph.tie_graph.TieGraph`: edges keyed by
        relationship type. Only ``G.nodes``, ``G.succ``, ``G.pred`` and ``G.get_edge_data`` are used.
    source, target : node
        Actor ids (``operator:bpifrance``).
    max_length : int
        Give up beyond this many steps: the result is then empty.
    all_paths : bool
        Every shortest path (at most `PATHS_MAX`) rather than one: the first by the names along it.
    exclude_kinds : iterable of str
        Kinds no path goes through (documents and figures by default).

    Returns
    -------
    list of dict
        ``{path, length, steps}`` per path, where each step is ``{from, from_name, to,
        to_name, type, direction, sources, relationships}``; ``direction`` is ``out`` when the
        relationship goes from ``from`` to ``to``, ``in`` otherwise; when several relationships
        join the two actors, ``type``/``direction`` give the first and ``relationships`` all.
        Empty when there is no path within ``max_length`` steps.

    Raises
    ------
    ActorNotFound
        ``source`` or ``target`` is not an actor of ``G``.
    """
    excluded = set(exclude_kinds)
    for node in (source, target):
        if node not in G or G.nodes[node].get("kind") in excluded:
            raise ActorNotFound(f'No actor {node} to find paths from. Run "tdi find TEXT" to look it up.')
    found = breadth_first.shortest_paths(_actors_tied(G, excluded), source, target, max_length=max_length)
    # Sorted by the names along the way, so that the one path shown is the same on every run.
    paths = sorted(islice(found, PATHS_MAX), key=lambda p: [label(G, n) for n in p])
    paths = paths if all_paths else paths[:1]
    return [
        {"path": i, "length": len(nodes) - 1, "steps": [_step(G, u, v) for u, v in pairwise(nodes)]}
        for i, nodes in enumerate(paths, start=1)
    ]


def no_path_note(G: Any, source: Any, target: Any, max_length: int) -> str:
    """What to say when no path of at most ``max_length`` steps joins two actors, and what to try.

    A longer ``--max-length`` is named only when a path of that length is known (one runs in the
    part read); none helps when the part read holds all one end reaches (``G.graph["closed"]``,
    or ``G.graph["whole"]``: the whole graph).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a:1", "b:1"), ("b:1", "c:1")], whole=True)
    >>> G.add_node("d:1")
    >>> no_path_note(G, "a:1", "c:1", 1), no_path_note(G, "a:1", "d:1", 1)
    ('No path between a:1 and c:1 within 1 steps. Try --max-length 2.', 'No path joins a:1 and d:1, whatever its length.')
    """
    longer = next(breadth_first.shortest_paths(_actors_tied(G, set(NOT_ACTORS)), source, target), None)
    if longer is not None:
        return f"No path between {source} and {target} within {max_length} steps. Try --max-length {len(longer) - 1}."
    if G.graph.get("closed") or G.graph.get("whole"):
        return f"No path joins {source} and {target}, whatever its length."
    return f"No path between {source} and {target} within {max_length} steps; a longer --max-length may find one."


def _actors_tied(G: Any, excluded: set[str]) -> Callable[[Any], list[Any]]:
    """The neighbours of a node, ties taken either way (out first), that are not of the ``excluded`` kinds."""
    walled_off, succ, pred = {n for n, kind in G.nodes(data="kind") if kind in excluded}, G.succ, G.pred
    return lambda node: [near for near in (*succ[node], *pred[node]) if near not in walled_off]


def path_rows(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per step, for a table or CSV: ``path, step, from, relationship, to, sources``.

    The relationship reads in the path's direction: ``-[FUNDS]->`` or ``<-[CARRIES]-``.

    >>> step = {"from": "a", "from_name": "A", "to": "b", "to_name": "B", "sources": ["s"],
    ...         "relationships": [{"type": "FUNDS", "direction": "in"}]}
    >>> path_rows([{"path": 1, "length": 1, "steps": [step]}])[0]["relationship"]
    '<-[FUNDS]-'
    """
    rows = []
    for path in paths:
        for number, step in enumerate(path["steps"], start=1):
            arrows = [f"-[{r['type']}]->" if r["direction"] == "out" else f"<-[{r['type']}]-" for r in step["relationships"]]
            rows.append({
                "path": path["path"], "step": number, "from": step["from"], "from_name": step["from_name"],
                "relationship": " ".join(arrows), "to": step["to"], "to_name": step["to_name"], "sources": step["sources"],
            })  # fmt: skip
    return rows
