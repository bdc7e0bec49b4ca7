"""Read one part of the graph: some actors, every tie among them and the `Source` nodes they cite,
shaped exactly as `CypherStore.to_networkx` shapes them (`graph.neighbourhood` finds which actors).

The rows come back column by column (`GraphBackend.columns`) and are handled as tuples: a view
of a hub reads 4,000 actors and 11,000 ties, and a dict per row was most of the cost.

Example
-------
>>> G = read_subgraph(graph.columns, ["operator:bpifrance", "region:32"], plain=True)   # doctest: +SKIP
>>> list(G.edges(keys=True))                                                          # doctest: +SKIP
[('operator:bpifrance', 'region:32', 'PARTNER_OF')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.neighbourhood import TieCounts, anchor, by_label
from graph.schema import RelType, schema
from graph.tie_graph import TieGraph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["read_subgraph"]

Columns = Callable[[str, Mapping[str, Any]], dict[str, list[Any]]]  # a statement's result as one list per column (`GraphBackend.columns`)
Stored = Callable[[str], Iterable[str]] | None  # table → the properties it holds (None: all the schema says)


def read_subgraph(columns: Columns, ids: Iterable[str], *, ties: bool = True, stored: Stored = None,
                  counts: TieCounts | None = None, plain: bool = False) -> nx.MultiDiGraph | TieGraph:  # fmt: skip
    """The nodes ``ids``, every tie among them (unless not ``ties``) and the `Source` nodes they cite, as ``to_networkx`` shapes them.

    ``stored(table)`` names the properties a table holds, when a graph made by an older schema
    may lack some (the embedded engine refuses to read a column it does not have). The ties of
    each type are read from the end that costs fewer rows by ``counts`` (`count_ties`): the 37
    sites of a view rather than the 8,000 sites of their programmes; without ``counts``, from the
    end with fewer keys. The types read from one label's end go in one query (``[r:A|B|…]``),
    and the ties are added type by type, as one query per type would add them. With ``plain``,
    the result is a `TieGraph` (no NetworkX to import).
    """
    if plain:
        G: Any = TieGraph()
    else:
        import networkx as nx

        G = nx.MultiDiGraph()
    groups = by_label(ids)
    _read_nodes(columns, G, groups, stored)
    order: list[tuple[RelType, tuple[str, bool]]] = []  # each type, and the end of each label it is read from
    for rel in schema().rels.values() if ties else ():
        pairs = [(a, b) for a, b in rel.pairs if a in groups and b in groups]
        starts, ends = sorted({a for a, _ in pairs}), sorted({b for _, b in pairs})
        from_end = _from_end(rel.name, starts, ends, groups, counts)
        order += [(rel, (label, from_end)) for label in (ends if from_end else starts)]
    plan: dict[tuple[str, bool], list[RelType]] = {}  # (label, from its end) → the types read from it
    for rel, near in order:
        plan.setdefault(near, []).append(rel)
    read, props = _read_ties(columns, plan, groups, stored)
    for rel, near in order:  # as one query per type and label would add them
        _add_ties(G, rel, read[near][rel.name], props[near, rel.name])
    cited = _cited(G)
    if cited:
        _read_nodes(columns, G, {"Source": sorted(cited)}, stored)
    return G


def _cited(G: Any) -> set[str]:
    """The keys of the sources that the nodes and ties of ``G`` cite."""
    cited: set[str] = set()
    for _, sources in G.nodes(data="sources"):
        if sources:
            cited.update(sources)
    for nbrs in G.succ.values():
        for ties in nbrs.values():
            for data in ties.values():
                sources = data.get("sources")
                if sources:
                    cited.update(sources)
    return cited


def _from_end(rel: str, starts: list[str], ends: list[str], groups: Mapping[str, list[str]], counts: TieCounts | None) -> bool:
    """Whether reading a type's ties from the nodes at their end costs less than from those at their start."""
    if counts is None:
        return sum(len(groups[b]) for b in ends) < sum(len(groups[a]) for a in starts)
    cost = {
        end: sum(counts.rows_read(rel, label, len(groups[label]), from_end=end) for label in (ends if end else starts))
        for end in (False, True)
    }  # fmt: skip
    return cost[True] < cost[False]


def _present(names: Iterable[str], table: str, stored: Stored) -> list[str]:
    held = None if stored is None else set(stored(table))
    return [p for p in names if held is None or p in held]


def _in_unions(columns: Columns, branches: Sequence[tuple[Any, tuple[Any, ...], Sequence[str], str, dict[str, Any]]]) -> dict[Any, list[tuple[Any, ...]]]:
    """Run ``(part, kind of columns, names, query, parameters)`` branches, those with the same kind of columns as one
    ``UNION ALL`` statement (the engine prepares one statement, not one per branch); each part's rows in the order read,
    as tuples of the columns ``names``.

    Each query returns its part as the column ``part`` first; parameter names must differ between branches.
    Rows are read as columns (`GraphBackend.columns`) and never become dicts: that was most of the cost of a large part.
    """
    found: dict[Any, list[tuple[Any, ...]]] = {part: [] for part, *_ in branches}
    alike: dict[tuple[Any, ...], list[tuple[Sequence[str], str, dict[str, Any]]]] = {}
    for _, kind, names, query, params in branches:
        alike.setdefault(kind, []).append((names, query, params))
    for queries in alike.values():
        read = columns(" UNION ALL ".join(q for _, q, _ in queries), {k: v for *_, p in queries for k, v in p.items()})
        if read.get("part"):
            for part, row in zip(read["part"], zip(*(read[name] for name in queries[0][0]))):
                found[part].append(row)
    return found


def _read_nodes(columns: Columns, G: Any, groups: Mapping[str, list[str]], stored: Stored = None) -> None:
    """Add the nodes of the keys of each label, label after label (labels with the same columns are read in one statement)."""
    branches, names = [], {}
    for i, (label, keys) in enumerate(groups.items()):
        names[label] = props = [p for p in _present(schema().kind(label).properties, label, stored) if p != "search_text"]
        returned = ", ".join(f"n.{p} AS {p}" for p in props)
        query = f"UNWIND $keys{i} AS k MATCH (n:{label} {{key: k}}) RETURN '{label}' AS part, {returned}"
        kind = tuple((p, schema().kind(label).properties[p].type) for p in props)
        branches.append((label, kind, props, query, {f"keys{i}": keys}))
    add = G.add_read_node if isinstance(G, TieGraph) else lambda node, attrs: G.add_node(node, **attrs)
    for label, rows in _in_unions(columns, branches).items():
        prefix, props = label.lower(), names[label]
        for row in rows:  # as `graph.neighbourhood.node_attributes` shapes them
            attrs = {"kind": label}
            for p, v in zip(props, row):
                if v is not None:
                    attrs[p] = v
            add(f"{prefix}:{attrs['key']}", attrs)


def _read_ties(columns: Columns, plan: Mapping[tuple[str, bool], Sequence[RelType]], groups: Mapping[str, list[str]],
               stored: Stored = None) -> tuple[dict[tuple[str, bool], dict[str, list[tuple[Any, ...]]]], dict[tuple[tuple[str, bool], str], list[tuple[str, int]]]]:  # fmt: skip
    """For each (label, from its end) of ``plan``, the ties of its types found from the keys of that label
    at their start (or end), by type, in the order read, as rows ``(type, a_kind, a_key, b_kind, b_key, …)``;
    and where each type's properties are in the rows read from each end.

    The far end is checked later, not in the query: a condition on it makes the embedded engine
    scan its tables (0.1 s for the communes), while even a programme's 8,000 sites come back in
    0.05 s. Properties are read as named columns, 2-3x faster than ``properties(r)``; a type
    lacking a column another type has reads it as null.
    """
    branches, own = [], {}
    for i, ((label, from_end), rels) in enumerate(plan.items()):
        start, condition = anchor("b" if from_end else "a", label, groups[label], f"keys{i}")
        types = "|".join(rel.name for rel in rels)
        pattern = f"{start}<-[r:{types}]-(a)" if from_end else f"{start}-[r:{types}]->(b)"
        held = {rel.name: _present(rel.properties, rel.name, stored) for rel in rels}
        props = {p: rel.properties[p].type for rel in rels for p in held[rel.name]}
        names = ["type", "a_kind", "a_key", "b_kind", "b_key", *props]
        own.update({((label, from_end), rel.name): [(p, names.index(p)) for p in held[rel.name]] for rel in rels})
        returned = "".join(f", r.{p} AS {p}" for p in props)
        query = (f"{pattern}{' WHERE ' + condition if condition else ''} RETURN {i} AS part, type(r) AS type, "
                 f"head(labels(a)) AS a_kind, a.key AS a_key, head(labels(b)) AS b_kind, b.key AS b_key{returned}")  # fmt: skip
        branches.append((i, tuple(props.items()), names, query, {f"keys{i}": groups[label]}))
    read = _in_unions(columns, branches)
    found: dict[tuple[str, bool], dict[str, list[tuple[Any, ...]]]] = {}
    for i, (near, rels) in enumerate(plan.items()):
        found[near] = by_type = {rel.name: [] for rel in rels}
        for row in read[i]:
            by_type[row[0]].append(row)
    return found, own


def _add_ties(G: Any, rel: RelType, rows: Iterable[tuple[Any, ...]], props: Sequence[tuple[str, int]]) -> None:
    """Add the ties of ``rel`` read by `_read_ties` (its properties where ``props`` says) whose two ends are in ``G``."""
    prefixes = _Prefixes()  # label → the kind, in lower case, that starts an id
    add = G.add_tie if isinstance(G, TieGraph) else lambda u, v, key, attrs: G.add_edge(u, v, key=key, **attrs)
    nodes, name = G.nodes if isinstance(G, TieGraph) else G, rel.name  # a TieGraph's dict of nodes answers `in` straight
    for row in rows:
        u = f"{prefixes[row[1]]}:{row[2]}"
        v = f"{prefixes[row[3]]}:{row[4]}"
        if u in nodes and v in nodes:
            attrs = {"type": name}
            for p, i in props:
                if row[i] is not None:
                    attrs[p] = row[i]
            add(u, v, name, attrs)


class _Prefixes(dict[str, str]):
    """Label → the kind, in lower case, that starts an id (``Epci`` → ``epci``), computed once per label."""

    def __missing__(self, label: str) -> str:
        self[label] = prefix = label.lower()
        return prefix
