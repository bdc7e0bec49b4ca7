"""A directed multigraph of plain dicts, for commands that only walk or draw a small part of the graph.

Importing NetworkX costs 0.2-0.35 s of CPU; ``tdi path``, ``tdi viz ego`` and ``tdi viz territory``
read a few hundred actors. `TieGraph` holds what `graph.neighbourhood.read_subgraph` reads, laid
out as NetworkX lays out a ``MultiDiGraph`` (``nodes[n]`` → attributes, ``succ[u][v][key]`` and
``pred[v][u][key]`` → the same attributes of a tie), and offers the part of ``MultiDiGraph``'s
interface that the walk (`queries.paths`) and the page (`viz.views` to `viz.build`) use, in the
same order: nodes in the order they were added, ties too, a copy or a subgraph as NetworkX makes
them. Code written against that part takes either graph, and an algorithm that needs NetworkX
gets `to_networkx`, the same graph in the same order.

Example
-------
>>> G = TieGraph()
>>> G.add_node("operator:bpifrance", kind="Operator")
>>> G.add_node("region:32", kind="Region")
>>> G.add_edge("operator:bpifrance", "region:32", key="PARTNER_OF", type="PARTNER_OF")
>>> G.get_edge_data("operator:bpifrance", "region:32"), dict(G.pred["region:32"])
({'PARTNER_OF': {'type': 'PARTNER_OF'}}, {'operator:bpifrance': {'PARTNER_OF': {'type': 'PARTNER_OF'}}})
>>> list(G.nodes(data="kind")), list(G.edges(keys=True)), dict(G.degree())
([('operator:bpifrance', 'Operator'), ('region:32', 'Region')], [('operator:bpifrance', 'region:32', 'PARTNER_OF')], {'operator:bpifrance': 1, 'region:32': 1})
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["TieGraph"]

Adjacency = dict[str, dict[str, dict[str, dict[str, Any]]]]  # node → neighbour → key → attributes of the tie


class Nodes(dict[str, dict[str, Any]]):
    """Node → attributes; called as NetworkX's ``G.nodes`` is: ``nodes(data=True)``, ``nodes(data="kind")``."""

    def __call__(self, data: bool | str = False, default: Any = None) -> Iterator[Any]:
        if data is False:
            return iter(self)
        if data is True:
            return iter(self.items())
        return ((n, attrs.get(data, default)) for n, attrs in self.items())


class Edges:
    """The ties of a `TieGraph`, as NetworkX's ``G.edges`` gives them: called, or ``edges[u, v, key]``."""

    def __init__(self, graph: TieGraph) -> None:
        self._graph = graph

    def __call__(self, nbunch: Any = None, data: bool | str = False, *, keys: bool = False, default: Any = None) -> Iterator[tuple[Any, ...]]:
        succ = self._graph.succ
        nodes = succ if nbunch is None else self._graph.nbunch(nbunch)
        if keys and data is True:
            return ((u, v, k, d) for u in nodes for v, ties in succ[u].items() for k, d in ties.items())
        if data is True:  # the common calls straight, as the one above: `_ties` costs a step per tie
            return ((u, v, d) for u in nodes for v, ties in succ[u].items() for d in ties.values())
        return _ties(((u, v, k, d) for u in nodes for v, ties in succ[u].items() for k, d in ties.items()), data, keys, default)

    def __getitem__(self, edge: tuple[str, str, str]) -> dict[str, Any]:
        u, v, key = edge
        return self._graph.succ[u][v][key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self(keys=True)

    def __len__(self) -> int:
        return sum(len(ties) for nbrs in self._graph.succ.values() for ties in nbrs.values())


class TieGraph:
    """Nodes with attributes and typed ties between them, in either direction (see the module's docstring)."""

    def __init__(self) -> None:
        self.graph: dict[str, Any] = {}
        self.nodes = Nodes()
        self.succ: Adjacency = {}
        self.pred: Adjacency = {}

    @property
    def edges(self) -> Edges:
        """The ties, as NetworkX's ``G.edges``; made on each use, so that a graph holds no cycle of references
        and goes as soon as it is dropped (a cycle waited for the collector: 50,000 objects in a large view)."""
        return Edges(self)

    def add_node(self, node: str, **attrs: Any) -> None:
        """Add ``node`` (or update its attributes)."""
        self.nodes.setdefault(node, {}).update(attrs)
        self.succ.setdefault(node, {})
        self.pred.setdefault(node, {})

    def add_edge(self, u: str, v: str, key: str, **attrs: Any) -> None:
        """Add the tie ``key`` from ``u`` to ``v`` (both added if missing), or update its attributes."""
        if u not in self.nodes:
            self.add_node(u)
        if v not in self.nodes:
            self.add_node(v)
        data = self.succ[u].setdefault(v, {}).setdefault(key, {})
        data.update(attrs)
        self.pred[v].setdefault(u, {})[key] = data

    def add_read_node(self, node: str, attrs: dict[str, Any]) -> None:
        """`add_node` taking ``attrs`` as they are (no keywords to unpack): a large read adds 4,000."""
        if node in self.nodes:
            self.nodes[node].update(attrs)
        else:
            self.nodes[node], self.succ[node], self.pred[node] = attrs, {}, {}

    def add_tie(self, u: str, v: str, key: str, attrs: dict[str, Any]) -> None:
        """`add_edge` between two nodes the graph has, taking ``attrs`` as they are (no keywords to unpack): a large read adds 10,000."""
        ties = self.succ[u].get(v)
        if ties is None:
            ties = self.succ[u][v] = {}
        data = ties.get(key)
        if data is None:
            ties[key] = attrs
            self.pred[v].setdefault(u, {})[key] = attrs
        else:
            data.update(attrs)

    def remove_nodes_from(self, nodes: Iterable[str]) -> None:
        """Remove ``nodes`` (those the graph has) and their ties."""
        for n in nodes:
            if n not in self.nodes:
                continue
            del self.nodes[n]
            for v in self.succ.pop(n):
                del self.pred[v][n]
            for u in self.pred.pop(n):
                del self.succ[u][n]

    def get_edge_data(self, u: str, v: str, key: str | None = None, default: Any = None) -> Any:
        """The ties from ``u`` to ``v``, by key (or the attributes of the tie ``key``); ``default`` when there is none."""
        ties = self.succ.get(u, {}).get(v)
        if ties is None or (key is not None and key not in ties):
            return default
        return ties if key is None else ties[key]

    def has_edge(self, u: str, v: str, key: str | None = None) -> bool:
        """Whether a tie (of type ``key``, if given) goes from ``u`` to ``v``."""
        ties = self.succ.get(u, {}).get(v)
        return ties is not None and (key is None or key in ties)

    def out_edges(self, nbunch: Any = None, data: bool | str = False, *, keys: bool = False, default: Any = None) -> Iterator[tuple[Any, ...]]:
        """The ties out of ``nbunch`` (a node or some nodes; all when ``None``), as ``edges`` gives them."""
        return self.edges(nbunch, data, keys=keys, default=default)

    def in_edges(self, nbunch: Any = None, data: bool | str = False, *, keys: bool = False, default: Any = None) -> Iterator[tuple[Any, ...]]:
        """The ties into ``nbunch`` (a node or some nodes; all when ``None``), node by node."""
        nodes = self if nbunch is None else self.nbunch(nbunch)
        return _ties(((u, v, k, d) for v in nodes for u, ties in self.pred[v].items() for k, d in ties.items()), data, keys, default)

    def degree(self) -> Iterator[tuple[str, int]]:
        """``(node, ties in and out)`` for each node; a tie to itself counts twice."""
        for n in self.nodes:
            yield n, sum(map(len, self.succ[n].values())) + sum(map(len, self.pred[n].values()))

    def nbunch(self, nbunch: Any) -> list[str]:
        """The nodes of ``nbunch`` that the graph has: one node, or some nodes."""
        if isinstance(nbunch, str) or not isinstance(nbunch, Iterable):
            return [nbunch] if nbunch in self.nodes else []
        return [n for n in nbunch if n in self.nodes]

    def subgraph(self, nodes: Iterable[str]) -> TieGraph:
        """The part of the graph on ``nodes``, in the graph's order, to read: as in NetworkX's view, it shares the
        graph's dicts (the attributes, and the ties of a node none of whose neighbours is left out); `copy` it to change it.

        >>> G = TieGraph(); G.add_edge("a:1", "b:1", key="FUNDS"); G.add_node("source:s")
        >>> H = G.subgraph(["a:1", "b:1"])
        >>> list(H), H.succ["a:1"] is G.succ["a:1"], list(G.subgraph(["a:1"]).edges())
        (['a:1', 'b:1'], True, [])
        """
        keep: Collection[str] = set(nodes)
        left_out = self.nodes.keys() - keep
        H = TieGraph()
        H.graph = self.graph
        for n, attrs in self.nodes.items():
            if n in keep:
                H.nodes[n] = attrs
                H.succ[n] = _without(self.succ[n], left_out)
                H.pred[n] = _without(self.pred[n], left_out)
        return H

    def copy(self) -> TieGraph:
        """A copy, made as NetworkX's ``copy()`` makes it: each attribute dict copied, ties added node by node."""
        return self.copied_subgraph(self.nodes)

    def copied_subgraph(self, nodes: Iterable[str]) -> TieGraph:
        """``subgraph(nodes).copy()`` in one pass: the part on ``nodes``, in the graph's order, each attribute dict copied.

        >>> G = TieGraph(); G.add_edge("a:1", "b:1", key="FUNDS"); G.add_edge("b:1", "c:1", key="FUNDS")
        >>> H = G.copied_subgraph(["b:1", "a:1"])
        >>> list(H), list(H.edges(keys=True)), H.nodes["a:1"] is G.nodes["a:1"]
        (['a:1', 'b:1'], [('a:1', 'b:1', 'FUNDS')], False)
        """
        keep: Collection[str] = nodes if isinstance(nodes, (set, frozenset, dict)) else set(nodes)
        H = TieGraph()
        H.graph.update(self.graph)
        H.nodes.update((n, dict(attrs)) for n, attrs in self.nodes.items() if n in keep)
        H.succ, H.pred = {n: {} for n in H.nodes}, {n: {} for n in H.nodes}
        for u, out in H.succ.items():  # ties added node by node: into each node, in the order of their start
            for v, ties in self.succ[u].items():
                if v in keep:
                    out[v] = copied = {k: dict(data) for k, data in ties.items()}
                    H.pred[v][u] = dict(copied)
        return H

    def to_networkx(self) -> nx.MultiDiGraph:
        """The same graph as a NetworkX ``MultiDiGraph``, with the same order of nodes and of ties out of and into each.

        The attribute dicts are shared: an algorithm on the result sees what it would see had
        the graph been read into NetworkX.
        """
        import networkx as nx

        G = nx.MultiDiGraph()
        G.graph.update(self.graph)
        for n, attrs in self.nodes.items():
            G._node[n], G._succ[n], G._pred[n] = attrs, {}, {}
        for u, nbrs in self.succ.items():
            for v, ties in nbrs.items():
                G._succ[u][v] = dict(ties)
        for v, nbrs in self.pred.items():
            for u in nbrs:
                G._pred[v][u] = G._succ[u][v]  # one dict of ties for both directions, as NetworkX keeps it
        return G

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)


def _without(ties: dict[str, Any], left_out: Collection[str]) -> dict[str, Any]:
    """``ties`` (neighbour → ties) without the neighbours ``left_out``: ``ties`` itself when it has none of them."""
    loses = any(n in ties for n in left_out) if len(left_out) < len(ties) else any(n in left_out for n in ties)
    return {n: found for n, found in ties.items() if n not in left_out} if loses else ties


def _ties(found: Iterator[tuple[str, str, str, dict[str, Any]]], data: bool | str, keys: bool, default: Any) -> Iterator[tuple[Any, ...]]:
    """``(u, v, key, attributes)`` shaped as NetworkX's edge views give them for ``data`` and ``keys``."""
    for u, v, k, d in found:
        value = () if data is False else (d,) if data is True else (d.get(data, default),)
        yield (u, v, k, *value) if keys else (u, v, *value)
