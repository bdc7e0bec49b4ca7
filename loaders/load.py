"""Write checked records into a graph: one transaction per file, batched per kind and type.

Example
-------
>>> stats = load_facts(graph, read_facts(builtin_facts_path()))     # doctest: +SKIP
>>> stats.created["Operator"]                                        # doctest: +SKIP
4
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import PeriodConflict
from graph.schema import schema, split_id
from loaders.facts import Evidence, Facts
from loaders.problems import problems_error

__all__ = ["load_facts", "provenance"]


def provenance(evidence: tuple[Evidence, ...] | list[Evidence]) -> dict[str, list[str]]:
    """The ``sources`` and ``evidence`` properties of a fact stated by ``evidence``.

    >>> provenance([Evidence("seed-1", "la Région")])
    {'sources': ['seed-1'], 'evidence': ['seed-1: la Région']}
    """
    sources = list(dict.fromkeys(e.source for e in evidence))
    return {"sources": sources, "evidence": [e.as_text() for e in evidence if e.quote]}


def load_facts(graph: GraphBackend, facts: Facts) -> WriteStats:
    """Load a facts file: its sources, then its actors, then its relationships, atomically.

    Raises `LoaderError` naming the line of any relationship whose end is neither in the file
    nor already in the graph, or of an entry whose period would end before it starts once merged
    with what the graph holds (`graph.errors.PeriodConflict`); the graph is then left as it was.
    """
    _check_endpoints(graph, facts)
    _check_required(graph, facts)
    actors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    lines: dict[tuple[str, ...], int] = {}
    for actor in facts.actors:
        actors[actor.label].append({**actor.props, **provenance(actor.evidence)})
        lines.setdefault((actor.label, actor.key), actor.line)
    links: dict[str, list[EdgeRow]] = defaultdict(list)
    s = schema()
    for link in facts.links:
        (fp, fk), (tp, tk) = split_id(link.from_id), split_id(link.to_id)
        props = {**link.props, **provenance(link.evidence)}
        links[link.rel_type].append(EdgeRow(s.kind(fp).label, fk, s.kind(tp).label, tk, props))
        lines.setdefault((link.rel_type, s.kind(fp).label, fk, s.kind(tp).label, tk), link.line)
    try:
        return _write_facts(graph, facts, actors, links)
    except PeriodConflict as exc:
        raise problems_error(facts.path, [f"{facts.path}:{lines[exc.item]}: {exc}"]) from exc


def _write_facts(graph: GraphBackend, facts: Facts, actors: dict[str, list[dict[str, Any]]], links: dict[str, list[EdgeRow]]) -> WriteStats:
    """The sources, the actors, then the relationships, in one transaction."""
    stats = WriteStats()
    with graph.transaction():
        stats.add(graph.upsert_nodes("Source", [{"key": r.key, **r.props} for r in facts.sources]))
        for label, rows in actors.items():
            stats.add(graph.upsert_nodes(label, rows))
        for rel_type, edges in links.items():
            stats.add(graph.upsert_edges(rel_type, edges))
    return stats


def _check_required(graph: GraphBackend, facts: Facts) -> None:
    """Name the line of each actor new to the graph that lacks a property its kind requires (phase, value)."""
    s, problems = schema(), []
    for actor in facts.actors:
        kind = s.kind(actor.label)
        missing = [name for name, prop in kind.properties.items() if prop.required and actor.props.get(name) in (None, "")]
        if missing and not graph.run(f"MATCH (n:{kind.label} {{key: $key}}) RETURN n.key AS key", {"key": actor.key}):
            problems.append(f'{facts.path}:{actor.line}: {missing[0]}: {actor.node_id} is new and needs a "{missing[0]}" (in props)')
    if problems:
        raise problems_error(facts.path, problems)


def _check_endpoints(graph: GraphBackend, facts: Facts) -> None:
    declared = {a.node_id for a in facts.actors}
    wanted: dict[str, int] = {}
    for link in facts.links:
        for end in (link.from_id, link.to_id):
            if end not in declared:
                wanted.setdefault(end, link.line)
    if not wanted:
        return
    s = schema()
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in wanted:
        prefix, key = split_id(node_id)
        by_label[s.kind(prefix).label].append(key)
    present = set()
    for label, keys in by_label.items():
        rows = graph.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key", {"keys": keys})
        present.update(s.kind(label).node_id(r["key"]) for r in rows)
    missing = [f"{facts.path}:{line}: from/to: no actor {node_id} in this file or in the graph" for node_id, line in wanted.items() if node_id not in present]
    if missing:
        raise problems_error(facts.path, missing)
