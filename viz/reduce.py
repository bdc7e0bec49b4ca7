"""Keep large graphs usable: draw at most so many actors, and say what was left out.

Two reductions, both pure and deterministic: keep the top actors by a measure (and the ties
between them), or collapse the graph to one node per community. The third way to see a large
graph, one actor's neighbourhood, is a view of its own (`viz.views.ego_view`); the notice of a
reduced page points to it.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a:1", "b:1"), ("a:1", "b:2"), ("a:1", "b:3")])
>>> H, notice = top_view(G, {"a:1": 3, "b:1": 1, "b:2": 1, "b:3": 1}, max_nodes=2, measure="degree")
>>> sorted(H)
['a:1', 'b:1']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from viz.build import kind_of
from viz.measures import actors_of, copied_subgraph, part_to_read

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["COMMUNITY_KIND", "DEFAULT_MAX_NODES", "HOW_TO_SEE_MORE", "collapse_communities", "top_view"]

DEFAULT_MAX_NODES = 1500
COMMUNITY_KIND = "Community"
HOW_TO_SEE_MORE = (
    "To see the rest, narrow the view (--region, --phase, --kinds), draw one actor's neighbourhood "
    "(tdi viz ego ID), collapse communities (--reduce communities) or raise --max-nodes."
)


def top_view(
    G: nx.MultiDiGraph, values: Mapping[Any, float], *, max_nodes: int, measure: str, keep: Iterable[Any] = (), copy: bool = True
) -> tuple[nx.MultiDiGraph, str]:
    """The actors the view is about (``G.graph["keep"]``), those in ``keep``, then those with the
    highest ``values`` (ties by id), up to ``max_nodes``.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The view to reduce; its `Source` nodes are kept (they name the sources in tooltips).
    values : mapping
        Node id → value of the measure (missing counts as 0).
    max_nodes : int
        How many actors to keep.
    measure : str
        The measure's name, for the notice.
    keep : iterable
        Actors kept before the others (those a document or a table states,
        `viz.importance.stated_actors`); if they alone are more than ``max_nodes``, the
        highest-ranked of them. Only the actors the view is about come before them: an ego
        view's actor, a territory, a path's two ends and one shortest path between them.
    copy : bool, default True
        False: the part kept is only to be read (`viz.measures.part_to_read`), which spares copying it.

    Returns
    -------
    (nx.MultiDiGraph, str)
        The reduced copy and the notice (``""`` when nothing was left out).
    """
    actors = actors_of(G)
    if len(actors) <= max_nodes:
        return G, ""
    first = {n: i for i, n in enumerate(dict.fromkeys(n for n in G.graph.get("keep", ()) if n in G))}
    protected = {n for n in keep if n in G}
    ranked = sorted(actors, key=lambda n: (first.get(n, len(first)), n not in protected, -(values.get(n) or 0.0), str(n)))
    kept = ranked[:max_nodes]
    sources = [n for n in G if kind_of(n, G.nodes[n]) == "Source"]
    stated = ""
    if protected:
        shown = min(len(protected), max_nodes)
        stated = f"It keeps {'all' if shown == len(protected) else f'{shown:,} of'} the {len(protected):,} actors stated by documents or loaded tables. "
    if first:
        about = ", ".join(list(first)[:3]) + (f" and {len(first) - 3:,} more" if len(first) > 3 else "")
        stated = f"It keeps first the actors the view is about ({about}). " + stated
    notice = (
        f"This view has {len(actors):,} actors, more than {max_nodes:,}: the page shows the {max_nodes:,} "
        f"with the highest {measure} and the ties between them; {len(actors) - max_nodes:,} are left out. {stated}{HOW_TO_SEE_MORE}"
    )
    return (copied_subgraph if copy else part_to_read)(G, [*kept, *sources]), notice


def collapse_communities(G: nx.MultiDiGraph, membership: Mapping[Any, int], *, max_nodes: int | None = None) -> nx.MultiDiGraph:
    """One node per community (``community:N``), tied to another by the ties between their members.

    Each community node has ``kind`` ``Community``, a ``name`` naming its biggest member (by
    degree), ``members`` (how many actors), ``kinds`` (actors per kind, as text) and ``top`` (its
    ten biggest members); an edge ``TIES`` between two communities has ``count`` (how many ties)
    and ``amount_eur`` (the euros on them, if any). With ``max_nodes``, only the largest
    communities are kept.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a:1", "a:2"), ("a:2", "b:1")])
    >>> C = collapse_communities(G, {"a:1": 0, "a:2": 0, "b:1": 1})
    >>> C.nodes["community:1"]["members"], list(C.edges(keys=True))
    (2, [('community:1', 'community:2', 'TIES')])
    """
    import networkx as nx

    degree = dict(G.degree())
    C: nx.MultiDiGraph = nx.MultiDiGraph()
    groups: dict[int, list[Any]] = {}
    for node, number in membership.items():
        if max_nodes is None or number < max_nodes:
            groups.setdefault(number, []).append(node)
    for number, members in sorted(groups.items()):
        C.add_node(_community_id(number), **_community_props(G, number, members, degree))
    for u, v, data in G.edges(data=True):
        a, b = membership.get(u), membership.get(v)
        if a is None or b is None or a == b or a not in groups or b not in groups:
            continue
        cu, cv = _community_id(a), _community_id(b)
        edge = C.get_edge_data(cu, cv, key="TIES") or {"type": "TIES", "count": 0}
        edge["count"] += 1
        if isinstance(data.get("amount_eur"), (int, float)):
            edge["amount_eur"] = edge.get("amount_eur", 0.0) + float(data["amount_eur"])
        C.add_edge(cu, cv, key="TIES", **edge)
    return C


def _community_id(number: int) -> str:
    return f"community:{number + 1}"


def _community_props(G: nx.MultiDiGraph, number: int, members: list[Any], degree: Mapping[Any, int]) -> dict[str, Any]:
    ranked = sorted(members, key=lambda n: (-degree.get(n, 0), str(n)))
    names = [str(G.nodes[n].get("name") or n) for n in ranked]
    kinds = Counter(kind_of(n, G.nodes[n]) for n in members)
    others = f" and {len(members) - 1:,} other{'s' if len(members) > 2 else ''}" if len(members) > 1 else ""
    return {
        "kind": COMMUNITY_KIND,
        "key": str(number + 1),
        "name": f"{names[0]}{others}",
        "central": names[0],
        "members": len(members),
        "kinds": ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        "top": names[:10],
    }
