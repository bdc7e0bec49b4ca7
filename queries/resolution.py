"""The actor a named query's parameter designates: its key in any case, its id, or its name.

A parameter whose type is a kind of actor (``region: region``) takes the actor's key in any case
(``32``, ``ii-ti-3207``; a programme also its ANCT code, ``PVD``), its id, the kind in any case
(``REGION:32``), or its name as ``tdi find`` reads names (``Hauts de France``); an ``id``
parameter takes the id or the name of an actor of any kind. Each value is resolved once, before
the query runs, and the query gets the stored key (for ``id``: the stored id, with its ``_kind``
and ``_key``), so that its Cypher matches a node by key: ``MATCH (r:Region {key: $region})``.
A key or an id costs one keyed lookup; a name reads the name index (`graph.name_cache`, kept
beside an embedded graph), as ``tdi show`` does. A value that designates no actor, or several,
is refused, naming the candidates.

Example
-------
>>> from queries.registry import get_query
>>> resolve_actors(graph, get_query("territories-of-region").params, {"region": "Hauts de France", "phase": None})  # doctest: +SKIP
{'region': '32', 'phase': None}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import ActorNotFound, InvalidName, QueryParameterError
from queries.params import QueryParam, is_id, split_id

if TYPE_CHECKING:
    from graph.backend import GraphBackend
    from graph.name_index import NameIndex
    from graph.schema import NodeKind

__all__ = ["resolve_actors"]


def resolve_actors(graph: GraphBackend, params: Sequence[QueryParam], bound: Mapping[str, Any]) -> dict[str, Any]:
    """``bound`` with the value of each parameter that designates an actor replaced by the actor's stored key
    (for an ``id`` parameter: its id, and the ``_kind`` and ``_key`` of that id).

    Parameters
    ----------
    graph : GraphBackend
        The graph the query will run on.
    params : sequence of QueryParam
        The query's parameters.
    bound : Mapping
        Their values, as `queries.registry.NamedQuery.bind` gives them.

    Raises
    ------
    QueryParameterError
        A value designates no actor of the parameter's kind, or several; the message names the
        parameter, the value and the candidates.
    """
    resolved, indexes = dict(bound), {}  # the name index, read once for all the names given
    for param in params:
        value = bound.get(param.name)
        if value is None or not param.is_actor:
            continue
        kind = None if param.type == "id" else param.type
        try:
            node_id = _resolve(graph, value, kind, indexes)
        except (ActorNotFound, InvalidName) as exc:
            raise QueryParameterError(f'Parameter "{param.name}" is "{value}": {exc}') from exc
        resolved[param.name] = node_id if kind is None else split_id(node_id)[1]
        resolved.update(zip(param.derived, split_id(node_id)))
    return resolved


def _resolve(graph: GraphBackend, text: str, kind: str | None, indexes: dict[str, NameIndex]) -> str:
    """The id of the actor of ``kind`` (any kind if None) that ``text`` designates: an id, a key (with a kind), a name."""
    from graph.schema import schema

    kinds = {k.prefix: k for k in schema().kinds.values()}
    if is_id(text):
        prefix, _, key = text.partition(":")
        if kind is not None and prefix != kind:
            raise ActorNotFound(f"it is an id of kind {prefix}; the parameter takes an actor of kind {kind} (its key, id or name).")
        found = _by_key(graph, kinds[prefix], key)
        if found is None:
            raise ActorNotFound(f"no actor has that id. {_hint(kinds[prefix])}")
        return found
    found = _by_key(graph, kinds[kind], text) if kind is not None else None
    return found or _by_name(graph, text, kinds[kind] if kind is not None else None, indexes)


def _by_key(graph: GraphBackend, kind: NodeKind, key: str) -> str | None:
    """The id of the actor of ``kind`` whose key is ``key`` in any case (or, for a programme, whose ANCT code is), if any."""
    from graph.keys import stored_case

    stored = stored_case(kind.key_format, key)
    if "code" in kind.properties:  # a programme is also known by its ANCT code (pvd, fs…)
        cypher = f"MATCH (n:{kind.label}) WHERE n.key = $key OR toLower(n.code) = $code RETURN n.key AS key"
        rows = sorted(graph.run(cypher, {"key": stored, "code": key.lower()}), key=lambda row: row["key"] != stored)
    else:
        rows = graph.run(f"MATCH (n:{kind.label} {{key: $key}}) RETURN n.key AS key", {"key": stored})
    return kind.node_id(rows[0]["key"]) if rows else None


def _by_name(graph: GraphBackend, text: str, kind: NodeKind | None, indexes: dict[str, NameIndex]) -> str:
    """The id of the one actor (of ``kind`` if given) that ``text`` surely names, as `queries.lookup.resolve_actor` decides;
    the index searched (of the actors, or of the sources) is read into ``indexes`` the first time."""
    from graph.name_cache import name_index
    from graph.name_index import check_name, verdict
    from queries.lookup import candidates

    check_name(text)
    names = "sources" if kind is not None and kind.label == "Source" else "actors"
    if names not in indexes:
        indexes[names] = _source_names(graph) if names == "sources" else name_index(graph)
    index = indexes[names]
    status, chosen = verdict(index.search(text, kind=kind.label if kind else None, limit=50))
    if status == "matched":
        return chosen[0].id
    if not chosen:
        what = f"actor of kind {kind.prefix} has that key, id" if kind else "actor has that id"
        raise ActorNotFound(f"no {what} or name. {_hint(kind)}")
    if len(chosen) == 1:
        raise ActorNotFound(f"it is not surely {candidates(chosen)} (score {chosen[0].score:g}). Give its id if it is.")
    raise ActorNotFound(f"it matches {len(chosen)} actors: {candidates(chosen)}. Give one of these ids instead.")


def _source_names(graph: GraphBackend) -> NameIndex:
    """The names of the sources, which the index of actors leaves out (a source is a document): a few dozen."""
    from graph.name_index import NameIndex

    return NameIndex(graph.run("MATCH (s:Source) RETURN 'Source' AS kind, s.key AS key, s.name AS name"))


def _hint(kind: NodeKind | None) -> str:
    """Where to look the actor up."""
    if kind is not None and kind.label == "Source":
        return '"tdi sources" lists the sources.'
    return f'Run "tdi find TEXT{f" --kind {kind.prefix}" if kind else ""}" to look it up.'
