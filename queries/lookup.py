"""Find actors by name, show one with its relationships and sources, turn a name into an id.

These answer ``tdi find`` and ``tdi show``. Actor ids are ``kind:key`` with the kind in lower
case (``region:32``, ``epci:200072460``); a search is blind to case and accents, because it runs
on each node's ``search_text`` (name and aliases, folded when written).

Example
-------
>>> [row["id"] for row in find_actors(graph, "bethune", kind="commune")]     # doctest: +SKIP
['commune:62119']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.errors import ActorNotFound, SchemaError
from graph.keys import fold

if TYPE_CHECKING:
    from graph.backend import GraphBackend
    from graph.schema import NodeKind

__all__ = ["describe_actor", "find_actors", "resolve_actor"]

_FIND = """
MATCH (n)
WHERE n.search_text IS NOT NULL
  AND ($text = '' OR n.search_text CONTAINS $text)
  AND ($label = '' OR head(labels(n)) = $label)
RETURN head(labels(n)) AS kind, n.key AS key, n.name AS name, n.aliases AS aliases
ORDER BY name, kind, key
LIMIT $limit
"""
_RELATIONSHIPS = {
    "out": "MATCH (n:{label} {{key: $key}})-[r]->(m) ",
    "in": "MATCH (n:{label} {{key: $key}})<-[r]-(m) ",
}
_RELATIONSHIP_COLUMNS = (
    "RETURN type(r) AS type, head(labels(m)) AS kind, m.key AS key, m.name AS name, properties(r) AS props "
    "ORDER BY type, name, key"
)
_SOURCES = "MATCH (s:Source) WHERE s.key IN $keys RETURN s.key AS key, s.name AS name, s.date AS date, s.url AS url"


def _actor_kind(name: str) -> NodeKind:
    """The kind named by a label, a prefix or an id; `Source` is a document, not an actor."""
    from graph.schema import schema

    actors = {k.prefix: k for k in schema().kinds.values() if k.label != "Source"}
    prefix = name.split(":", 1)[0].lower()
    if prefix not in actors:
        raise SchemaError(f'Unknown kind "{prefix}". Known kinds: {", ".join(actors)}.')
    return actors[prefix]


def find_actors(graph: GraphBackend, text: str, *, kind: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The actors whose name or an alias contains ``text``, ignoring case and accents.

    Parameters
    ----------
    graph : GraphBackend
        The graph to search.
    text : str
        Part of a name or alias (``bethune`` finds Béthune); empty finds every actor.
    kind : str, optional
        Keep one kind, given as a label or a prefix (``Epci``, ``epci``).
    limit : int
        At most this many rows.

    Returns
    -------
    list of dict
        ``{id, kind, key, name, aliases}`` per actor, sorted by name.

    Raises
    ------
    SchemaError
        ``kind`` is not a kind of actor; the message lists the kinds.

    Examples
    --------
    >>> find_actors(graph, "béthune-bruay", kind="territory")[0]["id"]    # doctest: +SKIP
    'territory:I-ti-3204'
    """
    label = _actor_kind(kind).label if kind else ""
    rows = graph.run(_FIND, {"text": fold(text.strip()), "label": label, "limit": int(limit)})
    return [{"id": f"{r['kind'].lower()}:{r['key']}", **r, "aliases": r["aliases"] or []} for r in rows]


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
        raise ActorNotFound(f'No actor {kind.node_id(key)}. Run "tdi find TEXT" to look it up.')
    # Sorted: Neo4j's properties(n) has no order, and every listing must be the same on both backends.
    props = {k: v for k, v in sorted(found[0]["props"].items()) if v is not None and k != "search_text"}
    relationships = [rel for direction in ("out", "in") for rel in _relationships(graph, kind, key, direction)]
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


def _relationships(graph: GraphBackend, kind: NodeKind, key: str, direction: str) -> list[dict[str, Any]]:
    rows = graph.run(_RELATIONSHIPS[direction].format(label=kind.label) + _RELATIONSHIP_COLUMNS, {"key": key})
    return [
        {
            "direction": direction,
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


def _resolve_sources(graph: GraphBackend, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Each cited source key with its `Source` node's name, date and URL (``None`` if the node is missing)."""
    found = {row["key"]: row for row in graph.run(_SOURCES, {"keys": keys})} if keys else {}
    return {key: found.get(key, {"key": key, "name": None, "date": None, "url": None}) for key in keys}


def resolve_actor(graph: GraphBackend, text: str) -> str:
    """The id of the actor that ``text`` names: an id (``region:32``) or a name matching one actor.

    A name is looked up like `find_actors`; an exact (case- and accent-blind) match of a name or
    an alias wins over names that merely contain the text.

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
        return describe_actor(graph, text)["id"]
    candidates = find_actors(graph, text, limit=50)
    folded = fold(text.strip())
    exact = [c for c in candidates if folded in {fold(name) for name in [c["name"], *c["aliases"]]}]
    chosen = exact if exact else candidates
    if len(chosen) == 1:
        return chosen[0]["id"]
    if not chosen:
        raise ActorNotFound(f'No actor is named "{text}". Run "tdi find TEXT" to look it up.')
    listed = ", ".join(f"{c['id']} ({c['name']})" for c in chosen[:5])
    more = ", …" if len(chosen) > 5 else ""
    raise ActorNotFound(f'"{text}" matches {len(chosen)} actors: {listed}{more}. Give one of these ids instead.')


def _looks_like_id(text: str) -> bool:
    """Whether ``text`` is ``kind:key`` with a known kind (a name may contain a colon too)."""
    from graph.schema import schema

    prefix, sep, key = text.partition(":")
    return bool(sep and key) and prefix.lower() in {k.prefix for k in schema().kinds.values()}
