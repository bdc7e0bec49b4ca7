"""What both backends read the same way: counts, neighbourhoods and the NetworkX export.

The records of a load in progress or left unfinished (`graph.journal`) are not actors: they are
left out.

Example
-------
>>> graph.counts()["nodes"]["Region"]          # doctest: +SKIP
18
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.journal import JOURNAL_LABEL
from graph.neighbourhood import LIMIT, TieCounts, node_attributes

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphReading"]


class GraphReading:
    """Reads built on `run`, `columns` and `stored_properties`."""

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        raise NotImplementedError

    def columns(self, cypher: str, params: Mapping[str, Any] | None = None) -> dict[str, list[Any]]:
        raise NotImplementedError

    def stored_properties(self, table: str) -> list[str] | None:
        raise NotImplementedError

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and relationships per type (kinds with none are left out)."""
        nodes = [r for r in self.run("MATCH (n) RETURN head(labels(n)) AS kind, count(*) AS n") if r["kind"] != JOURNAL_LABEL]
        rels = self.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
        return {
            "nodes": {r["kind"]: r["n"] for r in sorted(nodes, key=lambda r: r["kind"])},
            "relationships": {r["type"]: r["n"] for r in sorted(rels, key=lambda r: r["type"])},
        }

    def neighbourhood(self, ids: Sequence[str], depth: int = 1, *, direction: str = "both", types: Sequence[str] = (),
                      exclude_kinds: Sequence[str] = (), between: bool = False, ties: bool = True,
                      properties: bool = True, limit: int = LIMIT, plain: bool = False) -> nx.MultiDiGraph:  # fmt: skip
        """The part of the graph within ``depth`` ties of ``ids``, shaped as `to_networkx` shapes it.

        See `graph.neighbourhood`: ``G.graph["unexpanded"]`` names the hubs left unexpanded and
        ``G.graph["complete"]`` says whether nothing was. With ``between``, ``ids`` are two actors
        and, unless it is not complete, the part holds every shortest path of at most ``depth``
        ties between them; ``G.graph["met"]`` says whether there is one, ``G.graph["closed"]`` that
        there is none of any length (the part holds all that one of them reaches). Without ``ties``, only
        the nodes are read (quicker, when only the reach matters); without ``properties``, not even
        them: the actors reached, each with its ``kind`` only (no ties, no `Source`). With ``plain``
        (and ``properties``), a `graph.tie_graph.TieGraph` rather than a NetworkX graph.

        >>> graph.neighbourhood(["region:32"], depth=1).number_of_nodes()     # doctest: +SKIP
        97
        """
        from graph.neighbourhood import expand, expand_between, reached_graph
        from graph.subgraph import read_subgraph

        counts = self.tie_counts() if properties or between or depth > 1 else None  # a first step needs none
        if between:
            source, target = ids
            reach = expand_between(self.run, source, target, depth, exclude_kinds=exclude_kinds, limit=limit, counts=counts)
        else:
            reach = expand(self.run, ids, depth, direction=direction, types=types, exclude_kinds=exclude_kinds, limit=limit, counts=counts)
        if properties:
            G = read_subgraph(self.columns, reach.distance, ties=ties, stored=self.stored_properties, counts=counts, plain=plain)
        else:
            G = reached_graph(reach.distance)
        G.graph.update(unexpanded=reach.unexpanded, complete=reach.complete, met=reach.met, closed=reach.closed, limit=limit)
        return G

    def tie_counts(self) -> TieCounts | None:
        """Nodes per label and ties per type and pair of labels, to choose the cheaper end of a tie query
        (`graph.neighbourhood.count_ties`); ``None`` where counting costs more than it saves."""
        return None

    def to_networkx(self, labels: Sequence[str] = (), rel_types: Sequence[str] = ()) -> nx.MultiDiGraph:
        """The graph as a MultiDiGraph: nodes ``kind:key`` with ``kind`` and properties, edges keyed by type."""
        import networkx as nx

        G = nx.MultiDiGraph()
        wanted = set(labels)
        for row in self.run("MATCH (n) RETURN head(labels(n)) AS kind, properties(n) AS props"):
            if (wanted and row["kind"] not in wanted) or row["kind"] == JOURNAL_LABEL:
                continue
            node_id, attrs = node_attributes(row["kind"], row["props"])
            G.add_node(node_id, **attrs)
        query = (
            "MATCH (a)-[r]->(b) RETURN head(labels(a)) AS a_kind, a.key AS a_key, type(r) AS type, "
            "head(labels(b)) AS b_kind, b.key AS b_key, properties(r) AS props"
        )
        for row in self.run(query):
            u, v = f"{row['a_kind'].lower()}:{row['a_key']}", f"{row['b_kind'].lower()}:{row['b_key']}"
            if (rel_types and row["type"] not in rel_types) or u not in G or v not in G:
                continue
            props = {k: v for k, v in row["props"].items() if v is not None}
            G.add_edge(u, v, key=row["type"], type=row["type"], **props)
        return G
