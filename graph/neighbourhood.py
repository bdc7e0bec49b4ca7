"""Fetch one part of the graph: the actors within a few ties of some actors, or between two of them.

A local view (one actor's ego network, a territory, the paths between two actors) concerns a few
hundred actors; reading the whole graph for it costs seconds. Here the reach is found by a bounded
breadth-first expansion over key lists, one ``WHERE a.key IN $keys`` branch per step and kind,
joined by ``UNION ALL`` (variable-length paths are very slow on the embedded engine), returning
keys only; then `graph.subgraph.read_subgraph` reads the nodes reached, every tie among them and
the `Source` nodes they cite. Each statement costs a few milliseconds to prepare whatever it
returns: queries with the same columns go in one statement.

The expansion is capped at `LIMIT` actors: past the seeds, the actors with the most ties are then
left unexpanded (a department has hundreds of communes), and the result says which
(``G.graph["unexpanded"]``: id → number of ties).

Example
-------
>>> G = graph.neighbourhood(["operator:bpifrance"], depth=2)       # doctest: +SKIP
>>> G.graph["unexpanded"]                                          # doctest: +SKIP
{'region:32': 1761}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.errors import SchemaError
from graph.schema import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DIRECTIONS", "LIMIT", "Reach", "TieCounts", "anchor", "by_label", "count_ties", "expand", "expand_between",
           "node_attributes", "reached_graph"]  # fmt: skip

LIMIT = 5000  # actors fetched at most by one expansion; a page draws 1,500 by default
AHEAD = 2000  # ties a frontier may be expected to have for its neighbours to be read with its ties (`_ties_ahead`)
IN_KEYS = 300  # up to this many keys, a traversal starts from `a.key IN $keys` (see `anchor`)
DIRECTIONS = {"both": "-[r]-", "out": "-[r]->", "in": "<-[r]-"}
Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]
SCANNED_PER_ROW = 1200  # `a.key IN $keys` tests each row of a's table against each key: this many tests cost what one row read does


@dataclass
class Reach:
    """What an expansion reached: each node's distance from the seeds, and the hubs it left unexpanded.

    ``complete`` is false when the expansion stopped at its limit with actors left to expand;
    ``met`` says whether the two balls of `expand_between` met; ``closed`` that they did not and
    never will: one ball holds every actor its end reaches, so no path joins the two, whatever its length.
    """

    distance: dict[str, int] = field(default_factory=dict)
    unexpanded: dict[str, int] = field(default_factory=dict)
    complete: bool = True
    met: bool = False
    closed: bool = False


@dataclass(frozen=True)
class TieCounts:
    """How many nodes each label has and how many ties join each (start label, type, end label).

    From them, `rows_read` estimates what reading the ties of some keys costs from either end.
    """

    nodes: Mapping[str, int]
    ties: Mapping[tuple[str, str, str], int]

    def rows_read(self, rel: str, label: str, keys: int, *, from_end: bool) -> float:
        """Rows a tie query anchored at ``keys`` nodes of ``label`` costs: the ties it returns
        (the label's share of the type's ties) plus the scan of the label's table.

        >>> counts = TieCounts({"Site": 8000, "Programme": 12}, {("Site", "LABELLED", "Programme"): 8000})
        >>> counts.rows_read("LABELLED", "Programme", 12, from_end=True) > counts.rows_read("LABELLED", "Site", 37, from_end=False)
        True
        """
        total = max(self.nodes.get(label, 0), 1)
        ties = sum(n for (a, r, b), n in self.ties.items() if r == rel and (b if from_end else a) == label)
        return keys * ties / total + total * min(keys, IN_KEYS) / SCANNED_PER_ROW

    def expected_ties(self, ids: Iterable[str], direction: str, types: Sequence[str] = ()) -> float:
        """How many ties (of ``types``, in ``direction``) ``ids`` have, if each has its label's share.

        >>> TieCounts({"Region": 18}, {("Department", "IN_REGION", "Region"): 101}).expected_ties(["region:32"], "in")
        5.611111111111111
        """
        expected = 0.0
        for label, keys in by_label(ids).items():
            ends = {"out": (0,), "in": (2,), "both": (0, 2)}[direction]
            ties = sum(n for pair, n in self.ties.items() for end in ends if pair[end] == label and (not types or pair[1] in types))
            expected += len(keys) * ties / max(self.nodes.get(label, 0), 1)
        return expected


def count_ties(run: Run) -> TieCounts:
    """Count the nodes of each label and the ties of each type between each pair of labels (one scan)."""
    nodes = {row["label"]: row["n"] for row in run("MATCH (n) RETURN head(labels(n)) AS label, count(*) AS n", {})}
    query = "MATCH (a)-[r]->(b) RETURN head(labels(a)) AS a, type(r) AS r, head(labels(b)) AS b, count(*) AS n"
    return TieCounts(nodes, {(row["a"], row["r"], row["b"]): row["n"] for row in run(query, {})})


def node_attributes(kind: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A node's id and attributes as ``to_networkx`` gives them (no ``None``, no ``search_text``).

    >>> node_attributes("Region", {"key": "32", "name": "Hauts-de-France", "search_text": "x", "phase": None})
    ('region:32', {'kind': 'Region', 'key': '32', 'name': 'Hauts-de-France'})
    """
    attrs = {k: v for k, v in props.items() if v is not None and k != "search_text"}
    return f"{kind.lower()}:{attrs['key']}", {"kind": kind, **attrs}


def by_label(ids: Iterable[str]) -> dict[str, list[str]]:
    """Keys grouped by label; ids of no known kind are left out (they name nothing in the graph)."""
    groups: dict[str, list[str]] = {}
    labels: dict[str, str | None] = {}  # prefix → its label (None: no kind), looked up once
    for node_id in ids:
        prefix, _, key = node_id.partition(":")
        if prefix not in labels:
            try:
                labels[prefix] = schema().kind(prefix).label
            except SchemaError:
                labels[prefix] = None
        label = labels[prefix]
        if label is not None and key:
            groups.setdefault(label, []).append(key)
    return groups


def anchor(var: str, label: str, keys: Sequence[str], name: str = "keys") -> tuple[str, str]:
    """How to start a traversal at node ``var`` from ``keys`` of ``label`` (parameter ``$name``): a ``MATCH`` start and a condition.

    On the embedded engine, ``UNWIND $keys … {key: k}`` before a traversal reads the whole
    table (0.15 s for the communes, whatever the number of keys), while ``a.key IN $keys`` costs
    in proportion to the keys: the first wins from `IN_KEYS` keys on.
    """
    if len(keys) > IN_KEYS:
        return f"UNWIND ${name} AS k MATCH ({var}:{label} {{key: k}})", ""
    return f"MATCH ({var}:{label})", f"{var}.key IN ${name}"


def _each_label(run: Run, ids: Iterable[str], direction: str, types: Sequence[str], returns: str) -> list[dict[str, Any]]:
    """The rows of ``MATCH (a:Label)-[r]-(b) … RETURN returns`` for the keys of each label of ``ids``, in one statement.

    One ``UNION ALL`` branch per label: the engine then prepares one statement where one per
    label cost 5 to 30 ms each on a first run. ``returns`` names ``a`` by ``head(labels(a))``.
    """
    parts, params = [], {"types": list(types)} if types else {}
    for i, (label, keys) in enumerate(by_label(ids).items()):
        start, condition = anchor("a", label, keys, f"keys{i}")
        where = " AND ".join(c for c in (condition, "type(r) IN $types" if types else "") if c)
        parts.append(f"{start}{DIRECTIONS[direction]}(b){' WHERE ' + where if where else ''} RETURN {returns}")
        params[f"keys{i}"] = keys
    return run(" UNION ALL ".join(parts), params) if parts else []


def _ties(run: Run, ids: Iterable[str], direction: str, types: Sequence[str]) -> dict[str, int]:
    """How many ties (of ``types``, in ``direction``) each of ``ids`` has."""
    rows = _each_label(run, ids, direction, types, "head(labels(a)) AS kind, a.key AS key, count(r) AS n")
    return {f"{row['kind'].lower()}:{row['key']}": row["n"] for row in rows}


def _neighbours(run: Run, ids: Iterable[str], direction: str, types: Sequence[str]) -> set[str]:
    """The ids of the nodes one tie (of ``types``, in ``direction``) away from ``ids``."""
    rows = _each_label(run, ids, direction, types, "DISTINCT head(labels(b)) AS kind, b.key AS key")
    return {f"{row['kind'].lower()}:{row['key']}" for row in rows}


def _ties_ahead(run: Run, ids: Sequence[str], direction: str, types: Sequence[str],
                counts: TieCounts | None) -> tuple[dict[str, int], dict[str, set[str]] | None]:  # fmt: skip
    """How many ties each of ``ids`` has and, when ``counts`` expect few (`AHEAD`), the neighbours too, in the same statement.

    The neighbours (``None`` when not read) spare the statement that would ask for them at the
    next step; hubs left unexpanded would make them many.
    """
    if counts is None or counts.expected_ties(ids, direction, types) > AHEAD:
        return _ties(run, ids, direction, types), None
    rows = _each_label(run, ids, direction, types, "head(labels(a)) AS kind, a.key AS key, head(labels(b)) AS b_kind, b.key AS b_key, count(r) AS n")
    ties: dict[str, int] = {}
    near: dict[str, set[str]] = {node: set() for node in ids}
    for row in rows:
        node = f"{row['kind'].lower()}:{row['key']}"
        ties[node] = ties.get(node, 0) + row["n"]
        near[node].add(f"{row['b_kind'].lower()}:{row['b_key']}")
    return ties, near


def _neighbours_of(run: Run, ids: Sequence[str], near: Mapping[str, set[str]] | None, direction: str, types: Sequence[str]) -> set[str]:
    """`_neighbours`, from what `_ties_ahead` read when it did."""
    if near is None:
        return _neighbours(run, ids, direction, types)
    return {n for node in ids for n in near[node]}


def expand(run: Run, seeds: Iterable[str], depth: int, *, direction: str = "both", types: Sequence[str] = (),
           exclude_kinds: Iterable[str] = (), limit: int = LIMIT, counts: TieCounts | None = None) -> Reach:  # fmt: skip
    """The nodes within ``depth`` ties of ``seeds``, found step by step; hubs past the seeds are capped.

    At each step the frontier is expanded from its actors with the fewest ties up, while the ties
    to follow fit in what is left of ``limit``; the others stay unexpanded (the seeds never do).
    Nodes of ``exclude_kinds`` are neither reached nor walked through. With ``counts``
    (`count_ties`), a small frontier's ties are counted and followed in one statement.
    """
    excluded = {k.lower() for k in exclude_kinds} | {"source"}
    reach = Reach(distance=dict.fromkeys(seeds, 0))
    frontier = list(reach.distance)
    for step in range(1, depth + 1):
        if not frontier:
            break
        ties, near = _ties_ahead(run, frontier, direction, types, counts) if step > 1 else ({}, None)  # the seeds are always expanded
        budget, chosen = limit - len(reach.distance), []
        for node in sorted(frontier, key=lambda n: (ties.get(n, 0), n)):
            if step > 1 and ties.get(node, 0) > max(budget, 0):  # a node with no tie to follow costs nothing
                reach.unexpanded[node] = ties[node]
                reach.complete = False
                continue
            budget -= ties.get(node, 0)
            chosen.append(node)
        found = _neighbours_of(run, chosen, near, direction, types) - reach.distance.keys()
        frontier = sorted(n for n in found if n.split(":", 1)[0] not in excluded)
        reach.distance.update(dict.fromkeys(frontier, step))
    return reach


def expand_between(run: Run, source: str, target: str, max_length: int, *, exclude_kinds: Iterable[str] = (),
                   limit: int = LIMIT, counts: TieCounts | None = None) -> Reach:  # fmt: skip
    """Balls around ``source`` and ``target`` that hold every shortest path of at most ``max_length`` ties.

    The side whose frontier has fewer ties grows by one step, until the balls meet or their radii
    add up to ``max_length`` or a frontier empties (``closed``: no path at all). When they meet,
    every shortest path lies in their union (a node of
    such a path is within one radius of an end). ``complete`` is false when the balls outgrew
    ``limit`` actors before that. With ``counts``, a small frontier's ties are counted and
    followed in one statement (see `expand`).
    """
    excluded = {k.lower() for k in exclude_kinds} | {"source"}
    balls, frontiers, radii = [{source: 0}, {target: 0}], [[source], [target]], [0, 0]
    ahead = [_ties_ahead(run, f, "both", (), counts) for f in frontiers]
    weights = [sum(ties.values()) for ties, _ in ahead]
    complete = True
    while radii[0] + radii[1] < max_length and all(frontiers) and not balls[0].keys() & balls[1].keys():
        side = 0 if weights[0] <= weights[1] else 1
        if len(balls[0]) + len(balls[1]) + weights[side] > limit:
            complete = False
            break
        radii[side] += 1
        found = _neighbours_of(run, frontiers[side], ahead[side][1], "both", ()) - balls[side].keys()
        frontiers[side] = sorted(n for n in found if n.split(":", 1)[0] not in excluded)
        balls[side].update(dict.fromkeys(frontiers[side], radii[side]))
        ahead[side] = _ties_ahead(run, frontiers[side], "both", (), counts)
        weights[side] = sum(ahead[side][0].values())
    met = bool(balls[0].keys() & balls[1].keys())
    closed = not met and not all(frontiers)  # a frontier emptied: its ball is all its end reaches
    return Reach(distance={**balls[1], **balls[0]}, complete=complete, met=met, closed=closed)


def reached_graph(ids: Iterable[str]) -> nx.MultiDiGraph:
    """The actors ``ids`` (as an expansion found them) with their ``kind`` only: the reach, unread.

    >>> sorted(reached_graph(["region:32", "operator:bpifrance"]).nodes(data="kind"))
    [('operator:bpifrance', 'Operator'), ('region:32', 'Region')]
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    for label, keys in by_label(ids).items():
        G.add_nodes_from((f"{label.lower()}:{key}", {"kind": label}) for key in keys)
    return G
