"""What both backends share: validated, batched, idempotent upserts computed as a diff.

An upsert reads what the graph already holds for the given keys, merges the new rows into it
(lists such as ``sources`` and ``aliases`` are united, a ``None`` leaves a value alone), and
writes only what is new or changed: new items through the backend's bulk path, changed ones with
one parameterised ``UNWIND … MATCH … SET`` per batch. A second load of the same rows writes
nothing and reports every row as unchanged.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

from graph.backend import EdgeRow, WriteStats
from graph.errors import SchemaError
from graph.keys import fold
from graph.neighbourhood import LIMIT, node_attributes
from graph.schema import NodeKind, RelType, schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["BATCH_SIZE", "SCAN_MIN", "SCAN_RATIO", "CypherStore", "merge_props"]

BATCH_SIZE = 5000
_fold = functools.lru_cache(maxsize=1 << 16)(fold)  # an upsert folds each name twice (before, after)
# Reading what the graph holds for many keys: from SCAN_MIN keys on, one scan of the whole table
# (filtered in Python) replaces the batched UNWIND … MATCH lookups, if the table has at most
# SCAN_RATIO rows per key asked. On the embedded engine a lookup of 5000 relationships inside a
# transaction takes up to a second; a scan of 35,000 takes a tenth of that.
SCAN_MIN = 2000
SCAN_RATIO = 10
EDGE_LOOKUP_BATCH = 50_000  # keys of one end per lookup of relationships (see `_fetch_edges`)


def merge_props(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``new`` into ``old``: lists are united in order, ``None`` keeps the old value.

    >>> merge_props({"sources": ["a"], "name": "X"}, {"sources": ["b", "a"], "name": None})
    {'sources': ['a', 'b'], 'name': 'X'}
    """
    merged = dict(old)
    for name, value in new.items():
        if value is None:
            continue
        if isinstance(value, list):
            current = list(merged.get(name) or [])
            merged[name] = current + [v for v in value if v not in current]
        else:
            merged[name] = value
    return merged


def _by_changes(changed: list[tuple[Mapping[str, Any], dict[str, Any]]], ids: tuple[str, ...]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Group (before, after) pairs by the properties that changed; each row keeps its ids and those.

    Setting only what changed is 3x faster on the embedded engine than setting every property.

    >>> _by_changes([({"key": "a", "n": 1, "m": 2}, {"key": "a", "n": 1, "m": 3})], ("key",))
    {('m',): [{'key': 'a', 'm': 3}]}
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for before, after in changed:
        names = tuple(p for p in after if p not in ids and after[p] != before.get(p))
        groups.setdefault(names, []).append({**{i: after[i] for i in ids}, **{p: after[p] for p in names}})
    return groups


def _batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class CypherStore:
    """Base of both backends: upserts, counts and NetworkX export over a few primitives.

    A backend supplies `_execute` (one Cypher statement, rows as dicts), `_create_nodes` and
    `_create_edges` (bulk insertion of items known to be new), and the transaction hooks.
    """

    kind = "abstract"

    def __init__(self) -> None:
        self._in_transaction = False

    # -- primitives a backend implements ------------------------------------------------
    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _scan(self, cypher: str, column: str, wanted: set[str]) -> list[dict[str, Any]]:
        """The rows of ``cypher`` whose ``column`` is in ``wanted``; a backend may filter them before building them."""
        return [row for row in self._execute(cypher) if row[column] in wanted]

    def _create_nodes(self, kind: NodeKind, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _create_edges(self, rel: RelType, from_label: str, to_label: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def stored_properties(self, table: str) -> list[str] | None:
        """The properties ``table`` holds, or None when reading one it lacks gives null (Neo4j)."""
        return None

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        raise NotImplementedError

    # -- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside the block are kept, or none of them if it raises."""
        if self._in_transaction:
            yield
            return
        self._begin()
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            self._rollback()
            raise
        self._in_transaction = False
        self._commit()

    # -- nodes ---------------------------------------------------------------------------
    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> WriteStats:
        """Create or update nodes of ``label`` by key; see the module docstring."""
        kind = schema().kind(label)
        incoming = self._prepare_nodes(kind, rows)
        existing = self._fetch_nodes(kind, list(incoming))
        new, changed, stats = [], [], WriteStats()
        for key, row in incoming.items():
            before = existing.get(key)
            after = self._complete(kind, merge_props(before or {}, row))
            if before is None:
                self._require(kind, after)
                new.append(after)
            elif after != (before := self._complete(kind, before, like=after)):
                changed.append((before, after))
            else:
                stats.unchanged[kind.label] += 1
        with self.transaction():
            if new:
                self._create_nodes(kind, new)
            for names, group in _by_changes(changed, ("key",)).items():
                assignments = ", ".join(f"n.{p} = r.{p}" for p in names)
                for batch in _batches(group):
                    self._execute(f"UNWIND $rows AS r MATCH (n:{kind.label} {{key: r.key}}) SET {assignments}", {"rows": list(batch)})
        stats.created[kind.label] += len(new)
        stats.updated[kind.label] += len(changed)
        return stats

    def _prepare_nodes(self, kind: NodeKind, rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        prepared: dict[str, dict[str, Any]] = {}
        for row in rows:
            unknown = set(row) - set(kind.properties)
            if unknown:
                raise SchemaError(f'{kind.label} has no property "{min(unknown)}". Its properties: {", ".join(kind.properties)}.')
            if not row.get("key"):
                raise SchemaError(f"A {kind.label} has no key.")
            key = kind.check_key(str(row["key"]))
            values = {name: kind.properties[name].coerce(value) for name, value in row.items()}
            values["key"] = key
            prepared[key] = merge_props(prepared[key], values) if key in prepared else values
        return prepared

    @staticmethod
    def _complete(kind: NodeKind, row: Mapping[str, Any], like: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every property of ``kind`` (lists empty rather than None), with ``search_text`` folded from
        the names, or taken from ``like`` when it has the same names (a reload folds each name once)."""
        full = {name: row.get(name) for name in kind.properties}
        for name, prop in kind.properties.items():
            if prop.type == "list" and full[name] is None:
                full[name] = []
        if "search_text" in kind.properties:
            if like is not None and like.get("name") == full.get("name") and like.get("aliases") == full.get("aliases"):
                full["search_text"] = like["search_text"]
            else:
                full["search_text"] = _fold(" | ".join([full.get("name") or "", *full.get("aliases", [])]))
        return full

    @staticmethod
    def _require(kind: NodeKind, row: Mapping[str, Any]) -> None:
        for name, prop in kind.properties.items():
            if prop.required and row.get(name) in (None, ""):
                raise SchemaError(f'{kind.node_id(row["key"])} has no "{name}", which a new {kind.label} needs.')

    def _scan_is_cheaper(self, pattern: str, wanted: int) -> bool:
        """Whether reading every match of ``pattern`` beats looking ``wanted`` keys up (see `SCAN_MIN`)."""
        if wanted < SCAN_MIN:
            return False
        return self._execute(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"] <= SCAN_RATIO * wanted

    def _fetch_nodes(self, kind: NodeKind, keys: list[str]) -> dict[str, dict[str, Any]]:
        columns = ", ".join(f"n.{p} AS {p}" for p in kind.properties)
        if self._scan_is_cheaper(f"(n:{kind.label})", len(keys)):
            # The keys only (one column), then whole rows only for those there: a first load reads no more,
            # and no statement returns the whole table's rows (the engine holds a result in its page memory).
            keys = [r["key"] for r in self._scan(f"MATCH (n:{kind.label}) RETURN n.key AS key", "key", set(keys))]
        found: dict[str, dict[str, Any]] = {}
        for batch in _batches(keys):
            for row in self._execute(f"UNWIND $keys AS k MATCH (n:{kind.label} {{key: k}}) RETURN {columns}", {"keys": list(batch)}):
                found[row["key"]] = row
        return found

    # -- relationships -------------------------------------------------------------------
    def upsert_edges(self, rel_type: str, rows: Iterable[EdgeRow]) -> WriteStats:
        """Create or update relationships of ``rel_type``, one per (from, to)."""
        rel = schema().rel(rel_type)
        groups: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = {}
        for row in rows:
            pair = self._check_pair(rel, row)
            props = self._edge_props(rel, row.props)
            ends = (row.from_key, row.to_key)
            group = groups.setdefault(pair, {})
            group[ends] = merge_props(group[ends], props) if ends in group else props
        stats = WriteStats()
        with self.transaction():
            for (from_label, to_label), edges in groups.items():
                self._require_endpoints(from_label, {f for f, _ in edges})
                self._require_endpoints(to_label, {t for _, t in edges})
                stats.add(self._upsert_edge_group(rel, from_label, to_label, edges))
        return stats

    def _check_pair(self, rel: RelType, row: EdgeRow) -> tuple[str, str]:
        s = schema()
        from_label, to_label = s.kind(row.from_label).label, s.kind(row.to_label).label
        if not rel.allows(from_label, to_label):
            targets = [b for a, b in rel.pairs if a == from_label]
            if targets:
                hint = f"From {from_label} it goes to: {', '.join(targets)}."
            else:
                hint = f"It starts from: {', '.join(dict.fromkeys(a for a, _ in rel.pairs))}."
            raise SchemaError(f"{rel.name} cannot go from {from_label} to {to_label}. {hint}")
        return from_label, to_label

    @staticmethod
    def _edge_props(rel: RelType, props: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(props) - set(rel.properties)
        if unknown:
            raise SchemaError(f'{rel.name} has no property "{min(unknown)}". Its properties: {", ".join(rel.properties)}.')
        return {name: rel.properties[name].coerce(value) for name, value in props.items()}

    def _require_endpoints(self, label: str, keys: set[str]) -> None:
        kind = schema().kind(label)
        present = self._fetch_keys(kind, sorted(keys))
        missing = sorted(keys - present)
        if missing:
            raise SchemaError(f"No actor {kind.node_id(missing[0])}: add it first (tdi actor add {kind.prefix} …) or load a file that has it.")

    def _fetch_keys(self, kind: NodeKind, keys: list[str]) -> set[str]:
        present: set[str] = set()
        if self._scan_is_cheaper(f"(n:{kind.label})", len(keys)):
            return {r["key"] for r in self._scan(f"MATCH (n:{kind.label}) RETURN n.key AS key", "key", set(keys))}
        for batch in _batches(keys):
            rows = self._execute(f"UNWIND $keys AS k MATCH (n:{kind.label} {{key: k}}) RETURN n.key AS key", {"keys": list(batch)})
            present.update(r["key"] for r in rows)
        return present

    def _upsert_edge_group(self, rel: RelType, from_label: str, to_label: str, edges: dict[tuple[str, str], dict[str, Any]]) -> WriteStats:
        existing = self._fetch_edges(rel, from_label, to_label, list(edges))
        new, changed, stats = [], [], WriteStats()
        for (f, t), props in edges.items():
            before = existing.get((f, t))
            after = self._complete_edge(rel, merge_props(before or {}, props))
            row = {"f": f, "t": t, **after}
            if before is None:
                new.append(row)
            elif after != (before := self._complete_edge(rel, before)):
                changed.append((before, row))
            else:
                stats.unchanged[rel.name] += 1
        if new:
            self._create_edges(rel, from_label, to_label, new)
        # Matching the far end in WHERE rather than in the pattern is ~5x faster on the embedded engine.
        match = f"MATCH (a:{from_label} {{key: r.f}})-[x:{rel.name}]->(b:{to_label}) WHERE b.key = r.t"
        for names, group in _by_changes(changed, ("f", "t")).items():
            assignments = ", ".join(f"x.{p} = r.{p}" for p in names)
            for batch in _batches(group):
                self._execute(f"UNWIND $rows AS r {match} SET {assignments}", {"rows": list(batch)})
        stats.created[rel.name] += len(new)
        stats.updated[rel.name] += len(changed)
        return stats

    @staticmethod
    def _complete_edge(rel: RelType, props: Mapping[str, Any]) -> dict[str, Any]:
        full = {name: props.get(name) for name in rel.properties}
        for name, prop in rel.properties.items():
            if prop.type == "list" and full[name] is None:
                full[name] = []
        return full

    def _fetch_edges(self, rel: RelType, from_label: str, to_label: str, ends: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        columns = ", ".join(f"x.{p} AS {p}" for p in rel.properties)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        wanted = set(ends)
        pattern = f"(a:{from_label})-[x:{rel.name}]->(b:{to_label})"
        if self._scan_is_cheaper(pattern, len(ends)):
            # The ends first, then properties only for the pairs there (as in `_fetch_nodes`).
            ours = self._scan(f"MATCH {pattern} RETURN a.key AS f, b.key AS t", "f", {f for f, _ in ends})
            wanted &= {(r["f"], r["t"]) for r in ours}
        # By the keys of one end (the one with more distinct keys), in large batches: inside a write
        # transaction on the embedded engine each such statement costs about a second on a graph of a
        # million relationships, whatever the keys asked; by pairs, 5000 at a time, that was 20 s per 100k.
        by_from = len({f for f, _ in wanted}) >= len({t for _, t in wanted})
        keys = sorted({f for f, _ in wanted} if by_from else {t for _, t in wanted})
        match = (f"(a:{from_label} {{key: k}})-[x:{rel.name}]->(b:{to_label})" if by_from
                 else f"(a:{from_label})-[x:{rel.name}]->(b:{to_label} {{key: k}})")  # fmt: skip
        for batch in _batches(keys, EDGE_LOOKUP_BATCH):
            for row in self._execute(f"UNWIND $keys AS k MATCH {match} RETURN a.key AS f, b.key AS t, {columns}", {"keys": list(batch)}):
                pair = (row.pop("f"), row.pop("t"))
                if pair in wanted:
                    found[pair] = row
        return found

    # -- reading -------------------------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and relationships per type (kinds with none are left out)."""
        nodes = self.run("MATCH (n) RETURN head(labels(n)) AS kind, count(*) AS n")
        rels = self.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
        return {
            "nodes": {r["kind"]: r["n"] for r in sorted(nodes, key=lambda r: r["kind"])},
            "relationships": {r["type"]: r["n"] for r in sorted(rels, key=lambda r: r["type"])},
        }

    def neighbourhood(self, ids: Sequence[str], depth: int = 1, *, direction: str = "both", types: Sequence[str] = (),
                      exclude_kinds: Sequence[str] = (), between: bool = False, ties: bool = True,
                      properties: bool = True, limit: int = LIMIT) -> nx.MultiDiGraph:  # fmt: skip
        """The part of the graph within ``depth`` ties of ``ids``, shaped as `to_networkx` shapes it.

        See `graph.neighbourhood`: ``G.graph["unexpanded"]`` names the hubs left unexpanded and
        ``G.graph["complete"]`` says whether nothing was. With ``between``, ``ids`` are two actors
        and, unless it is not complete, the part holds every shortest path of at most ``depth``
        ties between them; ``G.graph["met"]`` says whether there is one. Without ``ties``, only
        the nodes are read (quicker, when only the reach matters); without ``properties``, not even
        them: the actors reached, each with its ``kind`` only (no ties, no `Source`).

        >>> graph.neighbourhood(["region:32"], depth=1).number_of_nodes()     # doctest: +SKIP
        97
        """
        from graph.neighbourhood import expand, expand_between, reached_graph, read_subgraph

        if between:
            source, target = ids
            reach = expand_between(self.run, source, target, depth, exclude_kinds=exclude_kinds, limit=limit)
        else:
            reach = expand(self.run, ids, depth, direction=direction, types=types, exclude_kinds=exclude_kinds, limit=limit)
        if properties:
            G = read_subgraph(self.run, reach.distance, ties=ties, stored=self.stored_properties)
        else:
            G = reached_graph(reach.distance)
        G.graph.update(unexpanded=reach.unexpanded, complete=reach.complete, met=reach.met, limit=limit)
        return G

    def to_networkx(self, labels: Sequence[str] = (), rel_types: Sequence[str] = ()) -> nx.MultiDiGraph:
        """The graph as a MultiDiGraph: nodes ``kind:key`` with ``kind`` and properties, edges keyed by type."""
        import networkx as nx

        G = nx.MultiDiGraph()
        wanted = set(labels)
        for row in self.run("MATCH (n) RETURN head(labels(n)) AS kind, properties(n) AS props"):
            if wanted and row["kind"] not in wanted:
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

    def close(self) -> None:
        """Release the database."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
