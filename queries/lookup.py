"""Find actors by name, show one with its relationships and sources, turn a name into an id.

These answer ``tdi find`` and ``tdi show``, and the name arguments of ``tdi path`` and ``tdi viz``.
Actor ids are ``kind:key`` with the kind in lower case (``region:32``, ``epci:200072460``); names
are matched by `graph.name_index`, the matcher every command uses: "Région Occitanie",
"CC Grand-Figeac" and "ANCT" find the actors the graph calls "Occitanie", "CC Grand-Figeac" and
"Agence nationale de la cohésion des territoires".

Example
-------
>>> [row["id"] for row in find_actors(graph, "bethune", kind="commune")]     # doctest: +SKIP
['commune:62119']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import ActorNotFound, SchemaError

if TYPE_CHECKING:
    from graph.backend import GraphBackend
    from graph.name_index import NameIndex, NameMatch
    from graph.schema import NodeKind

__all__ = ["candidates", "describe_actor", "find_actors", "kind_label", "resolve_actor", "search_names", "show_actor"]
# Both directions in one statement, sorted here rather than by the engine (a statement and a sort
# fewer: issue 16). Same columns on both sides of the UNION ALL, as both engines require.
_TIE_COLUMNS = "type(r) AS type, head(labels(m)) AS kind, m.key AS key, m.name AS name, properties(r) AS props"
_RELATIONSHIPS = (
    "MATCH (n:{label} {{key: $key}})-[r]->(m) RETURN 'out' AS direction, " + _TIE_COLUMNS + " UNION ALL "
    "MATCH (n:{label} {{key: $key}})<-[r]-(m) RETURN 'in' AS direction, " + _TIE_COLUMNS
)
_SOURCES = "MATCH (s:Source) WHERE s.key IN $keys RETURN s.key AS key, s.name AS name, s.date AS date, s.url AS url"


def _actor_kind(name: str) -> NodeKind:
    """The kind named by a label, a prefix or an id; `Source` is a document, not an actor."""
    from graph.schema import schema

    actors = {k.prefix: k for k in schema().kinds.values() if k.label != "Source"}
    prefix = name.split(":", 1)[0].lower()
    if prefix == "source":
        raise SchemaError('A source is a document, not an actor: "tdi sources" lists them, '
                          '"tdi query run actors-of-source -p source=KEY" gives the actors one states.')  # fmt: skip
    if prefix not in actors:
        raise SchemaError(f'Unknown kind "{prefix}". Known kinds: {", ".join(actors)}.')
    return actors[prefix]


def find_actors(graph: GraphBackend, text: str, *, kind: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The actors ``text`` may name, best first: exact name or alias, all words as prefixes, substring, fuzzy.

    Parameters
    ----------
    graph : GraphBackend
        The graph to search.
    text : str
        A name as analysts write it: case, accents, dashes, articles, Saint/St, legal forms
        ("CA", "Communauté d'agglomération"), designators ("Région X") and acronyms do not matter.
    kind : str, optional
        Keep one kind, given as a label or a prefix (``Epci``, ``epci``).
    limit : int
        At most this many rows.

    Returns
    -------
    list of dict
        ``{id, kind, name, matched, score, tier}`` per actor: ``matched`` is the name or alias
        that matched, ``tier`` one of exact, words, substring, fuzzy (see `graph.name_index`).

    Raises
    ------
    InvalidName
        ``text`` is empty or longer than `MAX_NAME_LENGTH`.
    SchemaError
        ``kind`` is not a kind of actor; the message lists the kinds.

    Examples
    --------
    >>> find_actors(graph, "Région Occitanie")[0]["id"]    # doctest: +SKIP
    'region:76'
    """
    from graph.name_cache import name_index

    return search_names(name_index(graph), text, kind=kind, limit=limit)


def search_names(index: NameIndex, text: str, *, kind: str | None = None, limit: int = 20,
                 context: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """`find_actors` on an index already at hand (see `graph.name_cache.cached_name_index`)."""
    from graph.name_index import check_name

    check_name(text)
    label = kind_label(index, kind) if kind else None
    return [
        {"id": m.id, "kind": m.kind, "name": m.name, "matched": m.matched, "score": m.score, "tier": m.tier}
        for m in index.search(text, kind=label, limit=limit, context=context)
    ]


def kind_label(index: NameIndex, kind: str) -> str:
    """The label of ``kind`` among the kinds the index holds, else from the schema (which imports neomodel)."""
    prefix = kind.split(":", 1)[0].lower()
    for label in index.kinds:
        if label.lower() == prefix:
            return label
    return _actor_kind(kind).label


def describe_actor(graph: GraphBackend, node_id: str) -> dict[str, Any]:
    """One actor with its properties, its relationships both ways and the sources of each.

    Parameters
    ----------
    graph : GraphBackend
        The graph to read.
    node_id : str
        ``kind:key``, such as ``region:32``.

    Returns
    -------
    dict
        ``{id, kind, key, properties, relationships, sources}``: ``properties`` without empty
        values; each relationship ``{direction, type, other_id, other_kind, other_name,
        properties, sources, evidence}``; sources as ``{key, name, date, url}``.

    Raises
    ------
    SchemaError
        ``node_id`` is not ``kind:key`` or names an unknown kind.
    ActorNotFound
        No actor has that id.
    """
    from graph.schema import split_id

    prefix, key = split_id(node_id)
    kind = _actor_kind(prefix)
    found = graph.run(f"MATCH (n:{kind.label} {{key: $key}}) RETURN properties(n) AS props", {"key": key})
    if not found:
        raise _not_found(graph, kind, key)
    # Sorted: Neo4j's properties(n) has no order, and every listing must be the same on both backends.
    props = {k: v for k, v in sorted(found[0]["props"].items()) if v is not None and k != "search_text"}
    relationships = _relationships(graph, kind, key)
    cited = {s for rel in relationships for s in rel["sources"]} | set(props.get("sources", []))
    sources = _resolve_sources(graph, sorted(cited))
    for rel in relationships:
        rel["sources"] = [sources[s] for s in rel["sources"]]
    return {
        "id": kind.node_id(key),
        "kind": kind.label,
        "key": key,
        "properties": props,
        "relationships": relationships,
        "sources": [sources[s] for s in props.get("sources", [])],
    }


def _relationships(graph: GraphBackend, kind: NodeKind, key: str) -> list[dict[str, Any]]:
    """The actor's relationships: outgoing, then incoming, each by type, other actor's name (missing last) and key."""
    rows = graph.run(_RELATIONSHIPS.format(label=kind.label), {"key": key})
    rels = [
        {
            "direction": row["direction"],
            "type": row["type"],
            "other_id": f"{row['kind'].lower()}:{row['key']}",
            "other_kind": row["kind"],
            "other_name": row["name"],
            "properties": {k: v for k, v in sorted(row["props"].items()) if v is not None and k not in ("sources", "evidence")},
            "sources": row["props"].get("sources") or [],
            "evidence": row["props"].get("evidence") or [],
        }
        for row in rows
    ]
    rels.sort(key=_tie_order)
    for start, end in _equal_runs([_tie_order(rel) for rel in rels]):
        rels[start:end] = sorted(rels[start:end], key=_tie_properties)
    return rels


def _tie_order(rel: dict[str, Any]) -> tuple[Any, ...]:
    """Out before in, then type, name (missing last), key; ties between the same two actors by `_tie_properties`."""
    name = rel["other_name"]
    return rel["direction"] != "out", rel["type"], name is None, name or "", rel["other_id"].partition(":")[2]


def _tie_properties(rel: dict[str, Any]) -> str:
    """Two ties of one type between the same two actors, in the order of their properties (written out only for those)."""
    return json.dumps([rel["properties"], rel["sources"], rel["evidence"]], sort_keys=True, default=str)


def _equal_runs(keys: list[Any]) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each run of two or more equal neighbours in ``keys``.

    >>> _equal_runs(["a", "b", "b", "c", "c", "c"])
    [(1, 3), (3, 6)]
    """
    runs, start = [], 0
    for end in range(1, len(keys) + 1):
        if end == len(keys) or keys[end] != keys[start]:
            if end - start > 1:
                runs.append((start, end))
            start = end
    return runs


def _resolve_sources(graph: GraphBackend, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Each cited source key with its `Source` node's name, date and URL (``None`` if the node is missing)."""
    found = {row["key"]: row for row in graph.run(_SOURCES, {"keys": keys})} if keys else {}
    return {key: found.get(key, {"key": key, "name": None, "date": None, "url": None}) for key in keys}


def resolve_actor(graph: GraphBackend, text: str) -> str:
    """The id of the actor that ``text`` names: an id (``region:32``) or a name matching one actor.

    A name is looked up like `find_actors`; the best match is taken when it is sure and no other
    actor comes close (`graph.name_index.verdict`), so that ambiguity is reported, never guessed.

    Raises
    ------
    ActorNotFound
        The id does not exist, or the name matches no actor or several (up to 5 are listed).

    Examples
    --------
    >>> resolve_actor(graph, "Bpifrance")         # doctest: +SKIP
    'operator:bpifrance'
    """
    if _looks_like_id(text):
        return _existing_id(graph, text)
    from graph.name_cache import name_index
    from graph.name_index import check_name, verdict

    check_name(text)
    status, chosen = verdict(name_index(graph).search(text, limit=50))
    if status == "matched":
        return chosen[0].id
    if not chosen:
        raise ActorNotFound(f'No actor is named "{text}". Run "tdi find TEXT" to look it up.')
    if len(chosen) == 1:
        raise ActorNotFound(f'"{text}" is not surely {candidates(chosen)} (score {chosen[0].score:g}). Give its id if it is.')
    raise ActorNotFound(f'"{text}" matches {len(chosen)} actors: {candidates(chosen)}. Give one of these ids instead.')


def candidates(chosen: Sequence[NameMatch]) -> str:
    """The first five actors a name may mean, as ``id (name)``, for a message.

    >>> from graph.name_index import NameMatch
    >>> candidates([NameMatch("commune:93066", "Commune", "Saint-Denis", "Saint-Denis", 100.0, "exact", 9)])
    'commune:93066 (Saint-Denis)'
    """
    return ", ".join(f"{c.id} ({c.name})" for c in chosen[:5]) + (", …" if len(chosen) > 5 else "")


def show_actor(graph: GraphBackend, text: str) -> dict[str, Any]:
    """`describe_actor` of the actor ``text`` names: an id, or a name as `resolve_actor` takes it.

    An id is described straight away (one query fewer than resolving it first); the errors are
    those of `resolve_actor`.

    >>> show_actor(graph, "Région Occitanie")["id"]      # doctest: +SKIP
    'region:76'
    """
    return describe_actor(graph, text if _looks_like_id(text) else resolve_actor(graph, text))


def _existing_id(graph: GraphBackend, node_id: str) -> str:
    """``node_id`` written as ids are (``Region:32`` → ``region:32``), if that actor exists."""
    from graph.schema import split_id

    prefix, key = split_id(node_id)
    kind = _actor_kind(prefix)
    if not graph.run(f"MATCH (n:{kind.label} {{key: $key}}) RETURN n.key AS key", {"key": key}):
        raise _not_found(graph, kind, key)
    return kind.node_id(key)


def _not_found(graph: GraphBackend, kind: NodeKind, key: str) -> ActorNotFound:
    """No actor has ``key``; keys are written as the official lists write them, so one in other letters is named (department:2A)."""
    other = graph.run(f"MATCH (n:{kind.label}) WHERE lower(n.key) = $key RETURN n.key AS key LIMIT 1", {"key": key.lower()})
    meant = f" Did you mean {kind.node_id(other[0]['key'])}?" if other else ' Run "tdi find TEXT" to look it up.'
    return ActorNotFound(f"No actor {kind.node_id(key)}.{meant}")


def _looks_like_id(text: str) -> bool:
    """Whether ``text`` is ``kind:key`` with a known kind (a name may contain a colon too)."""
    from graph.schema import schema

    prefix, sep, key = text.partition(":")
    return bool(sep and key) and prefix.lower() in {k.prefix for k in schema().kinds.values()}
