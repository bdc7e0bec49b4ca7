"""Write an extraction as a facts file that ``tdi load facts`` reads (docs/facts-format.md).

Every actor and relationship gets evidence quotes that are exact substrings of the article
(at most 200 characters, the sentence or a window of it) with their character offsets
(``start``, ``end``), and an ``extraction`` record: ``status`` (``matched`` with the id of the
actor already in the graph, ``new`` with the proposed kind and key, or ``ambiguous`` with the
``candidates`` of a commune name several communes bear) and ``confidence``.
Actors that still need a key the article cannot give (a company's SIREN, a territory's official
id) go to the ``pending`` section with the relationships that touch them; loading leaves them out.

Example
-------
>>> quote_span("Une phrase. Bpifrance finance le projet. Fin.", 12, 21, [(0, 11), (12, 40), (41, 45)])
(12, 40)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph.keys import slugify
from graph.schema import schema
from graph.writing import writing
from loaders.extract.actors import ActorProposal
from loaders.extract.article import Extraction
from loaders.extract.namesakes import AmbiguousPlace
from loaders.extract.relations import RelationProposal

__all__ = ["MAX_QUOTE", "facts_document", "quote_span", "source_id", "write_facts"]

MAX_QUOTE = 200
MAX_EVIDENCE = 3


def source_id(extraction: Extraction) -> str:
    """A slug for the article: its date and title (or file name).

    >>> from loaders.extract.text import Article
    >>> source_id(Extraction(Article("x.txt", "…", title="Un accord inédit", date="2023-12-19"), [], []))
    'press-2023-12-19-un-accord-inedit'
    """
    article = extraction.article
    stem = article.title or Path(article.name).stem
    return "-".join(p for p in ["press", article.date or "", slugify(stem)[:60].strip("-")] if p)


def quote_span(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of the quote for ``text[start:end]``: its sentence, or a window of it of at most 200 characters."""
    s_start, s_end = next(((s, e) for s, e in sentences if s <= start < e), (start, end))
    s_start, s_end = _strip(text, min(s_start, start), max(s_end, end))
    if s_end - s_start <= MAX_QUOTE:
        return s_start, s_end
    if end - start >= MAX_QUOTE:
        return _strip(text, start, _word_end(text, start, start + MAX_QUOTE))
    margin = (MAX_QUOTE - (end - start)) // 2
    q_start = max(s_start, start - margin)
    q_end = min(s_end, q_start + MAX_QUOTE)
    q_start = _word_start(text, q_start, start)
    return _strip(text, q_start, _word_end(text, q_start, q_end))


def facts_document(extraction: Extraction) -> dict[str, Any]:
    """The facts file as a mapping: sources, actors, relationships, and the pending proposals."""
    article, source = extraction.article, source_id(extraction)
    sentences = extraction.sentences
    record = {"id": source, "name": article.title or Path(article.name).name, "type": "press"}
    record.update({k: v for k, v in {"publisher": article.publisher, "date": article.date, "url": article.url}.items() if v})
    ready, pending = [], []
    for actor in extraction.actors:
        entry = _actor_entry(actor, article.text, source, sentences, extraction.low_confidence)
        (ready if actor.node_id else pending).append(entry)
    links, pending_links = [], []
    for rel in extraction.relations:
        entry = _link_entry(rel, article.text, source, sentences, extraction.low_confidence)
        (links if rel.source.node_id and rel.target.node_id else pending_links).append(entry)
    document: dict[str, Any] = {"sources": [record], "actors": ready, "relationships": links}
    if pending or pending_links:
        document["pending"] = {"actors": pending, "relationships": pending_links}
    return document


def write_facts(extraction: Extraction, path: Path | None) -> str:
    """Write the facts file to ``path`` (or return its text when ``path`` is None)."""
    import yaml

    header = f"# Proposals extracted from {extraction.article.name}: review them before loading (tdi load facts).\n"
    if extraction.low_confidence:
        header += "# Low confidence: the text does not read as French.\n"
    body = header + yaml.safe_dump(facts_document(extraction), allow_unicode=True, sort_keys=False, width=120)
    if path is not None:
        with writing(path):
            Path(path).write_text(body, encoding="utf-8")
    return body


def _evidence(text: str, source: str, start: int, end: int, sentences: list[tuple[int, int]]) -> dict[str, Any]:
    q_start, q_end = quote_span(text, start, end, sentences)
    return {"source": source, "quote": text[q_start:q_end], "start": q_start, "end": q_end}


def _actor_entry(actor: ActorProposal, text: str, source: str, sentences: list[tuple[int, int]], low: bool) -> dict[str, Any]:
    name = actor.match["name"] if actor.match else actor.name
    entry: dict[str, Any] = {"id": actor.node_id} if actor.node_id else {}
    entry["name"] = name
    aliases = [form for form in actor.surface_forms if form != name]
    if aliases:
        entry["aliases"] = aliases
    spans = list(dict.fromkeys(quote_span(text, m.start, m.end, sentences) for m in actor.mentions))[:MAX_EVIDENCE]
    entry["evidence"] = [{"source": source, "quote": text[s:e], "start": s, "end": e} for s, e in spans]
    entry["extraction"] = _extraction(actor, low)
    return entry


def _extraction(actor: ActorProposal, low: bool) -> dict[str, Any]:
    status = "matched" if actor.match else "ambiguous" if isinstance(actor, AmbiguousPlace) else "new"
    record: dict[str, Any] = {"status": status, "confidence": round(actor.confidence, 2)}
    if actor.match:
        record["match"] = actor.match["id"]
    elif isinstance(actor, AmbiguousPlace):
        record.update(kind=actor.kind, key=None, needs="the key of one of the candidates", candidates=actor.candidates)
    else:
        record.update(kind=actor.kind, key=actor.key)
        if not actor.key:
            record["needs"] = "a SIREN" if actor.kind == "company" else "an official id (tdi find)" if actor.kind == "territory" else "a key"
    if low:
        record["flag"] = "low confidence"
    return record


def _link_entry(rel: RelationProposal, text: str, source: str, sentences: list[tuple[int, int]], low: bool) -> dict[str, Any]:
    allowed = schema().rel(rel.type).properties
    entry: dict[str, Any] = {"type": rel.type, "from": rel.source.node_id or rel.source.name, "to": rel.target.node_id or rel.target.name}
    props = {k: v for k, v in rel.props.items() if k in allowed and v is not None}
    if props:
        entry["props"] = props
    entry["evidence"] = [_evidence(text, source, rel.start, rel.end, sentences)]
    entry["extraction"] = {"confidence": round(rel.confidence, 2), **({"flag": "low confidence"} if low else {})}
    return entry


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \n\t\u00a0\u202f":
        start += 1
    while end > start and text[end - 1] in " \n\t\u00a0\u202f":
        end -= 1
    return start, end


def _word_start(text: str, start: int, limit: int) -> int:
    match = re.search(r"\s", text[start:limit])
    return start + match.end() if start > 0 and match and not text[start - 1].isspace() else start


def _word_end(text: str, start: int, end: int) -> int:
    if end >= len(text) or text[end].isspace():
        return end
    cut = text.rfind(" ", start, end)
    return cut if cut > start else end
