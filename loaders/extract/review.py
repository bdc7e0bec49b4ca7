"""Decisions on the proposals of an extracted facts file: accept, rename, change kind, merge, reject.

Each function changes the facts document (the mapping `facts_document` builds) in place and
keeps it loadable: a new id is carried into every relationship that used the old one, a pending
actor that gets a key moves to ``actors`` with its relationships, a rejected actor takes its
relationships with it.

Example
-------
>>> doc = {"actors": [{"id": "person:jean-dupon", "name": "Jean Dupon", "extraction": {"status": "new"}}],
...        "relationships": [{"type": "HOLDS_ROLE", "from": "person:jean-dupon", "to": "commune:59178"}]}
>>> rename(doc, doc["actors"][0], "Jean Dupont")["id"], doc["relationships"][0]["from"]
('person:jean-dupont', 'person:jean-dupont')
"""

from __future__ import annotations

from typing import Any

from graph.keys import slugify
from graph.schema import schema

__all__ = ["defer", "merge", "reject", "reject_link", "rename", "set_key", "set_kind"]

Entry = dict[str, Any]


def rename(document: dict[str, Any], actor: Entry, name: str) -> Entry:
    """Give ``actor`` another name; a slug key follows the name."""
    old = actor.get("id")
    actor["aliases"] = _union(actor.get("aliases"), [actor["name"]])
    actor["name"] = name
    kind = (old or "").split(":")[0] or actor["extraction"].get("kind")
    if kind and schema().kind(kind).key_format == "slug":
        set_key(document, actor, slugify(name), kind=kind)
    return actor


def set_kind(document: dict[str, Any], actor: Entry, kind: str, key: str | None = None) -> Entry:
    """Make ``actor`` of another ``kind`` (its key: ``key``, or a slug of its name)."""
    node_kind = schema().kind(kind)
    return set_key(document, actor, key or slugify(actor["name"]), kind=node_kind.prefix)


def set_key(document: dict[str, Any], actor: Entry, key: str, *, kind: str | None = None) -> Entry:
    """Give ``actor`` the id ``kind:key`` (checked), moving it out of ``pending`` if it was there."""
    kind = kind or (actor.get("id") or "").split(":")[0] or actor["extraction"]["kind"]
    node_kind = schema().kind(kind)
    node_kind.check_key(key)
    _reid(document, actor, f"{node_kind.prefix}:{key}")
    actor["extraction"].update(kind=node_kind.prefix, key=key)
    actor["extraction"].pop("needs", None)
    return actor


def merge(document: dict[str, Any], actor: Entry, node_id: str, name: str) -> Entry:
    """Make ``actor`` the graph's ``node_id`` (called ``name`` there); the article's spellings become aliases."""
    actor["aliases"] = [a for a in _union(actor.get("aliases"), [actor["name"]]) if a != name]
    actor["name"] = name
    actor["extraction"] = {**actor["extraction"], "status": "matched", "match": node_id}
    _reid(document, actor, node_id)
    return actor


def reject(document: dict[str, Any], actor: Entry) -> None:
    """Leave ``actor`` out, with every relationship that touches it."""
    ref = actor.get("id") or actor["name"]
    for section in _sections(document, "actors"):
        section[:] = [a for a in section if a is not actor]
    for section in _sections(document, "relationships"):
        section[:] = [r for r in section if ref not in (r["from"], r["to"])]


def defer(document: dict[str, Any], actor: Entry) -> None:
    """Keep ``actor`` for later: it moves to ``pending`` with its relationships, and is not loaded."""
    pending = document.setdefault("pending", {"actors": [], "relationships": []})
    if actor in document["actors"]:
        document["actors"].remove(actor)
        pending.setdefault("actors", []).append(actor)
    ref = actor.get("id")
    moved = [r for r in document["relationships"] if ref in (r["from"], r["to"])]
    document["relationships"][:] = [r for r in document["relationships"] if r not in moved]
    pending.setdefault("relationships", []).extend(moved)


def reject_link(document: dict[str, Any], link: Entry) -> None:
    """Leave one relationship out."""
    for section in _sections(document, "relationships"):
        section[:] = [r for r in section if r is not link]


def _reid(document: dict[str, Any], actor: Entry, new_id: str) -> None:
    old = actor.get("id") or actor["name"]
    actor["id"] = new_id
    for section in _sections(document, "relationships"):
        for link in section:
            link["from"], link["to"] = (new_id if end == old else end for end in (link["from"], link["to"]))
    duplicate = next((a for a in document["actors"] if a is not actor and a.get("id") == new_id), None)
    if duplicate is not None:  # merged into an actor the file already has: one entry, evidence of both
        duplicate["evidence"] = duplicate.get("evidence", []) + actor.get("evidence", [])
        duplicate["aliases"] = _union(duplicate.get("aliases"), [actor["name"], *actor.get("aliases", [])])
    pending = document.get("pending", {})
    if actor in pending.get("actors", []):
        pending["actors"].remove(actor)
        if duplicate is None:
            document["actors"].append(actor)
    elif duplicate is not None:
        document["actors"].remove(actor)
    _promote_links(document)


def _promote_links(document: dict[str, Any]) -> None:
    """Move pending relationships whose two ends now have ids."""
    ids = {a["id"] for a in document["actors"]}
    pending = document.get("pending", {}).get("relationships", [])
    ready = [r for r in pending if r["from"] in ids and r["to"] in ids]
    for link in ready:
        pending.remove(link)
        document["relationships"].append(link)


def _sections(document: dict[str, Any], name: str) -> list[list[Entry]]:
    return [document.get(name, []), document.get("pending", {}).get(name, [])]


def _union(first: list[str] | None, more: list[str]) -> list[str]:
    return list(dict.fromkeys([*(first or []), *more]))
