"""From an article to proposals: actors with their mentions, relationships with their sentence.

`Extractor` loads the French model once (spaCy ``fr_core_news_sm``) and the administrative map,
then extracts any number of articles: actors (`actors.py`), titles (`roles.py`), relationships
(`relations.py`), each matched with the graph when one is given (`match.py`). A text that does
not read as French gets every confidence cut and is flagged ``low_confidence``.

Example
-------
>>> from loaders.extract.text import Article                                   # doctest: +SKIP
>>> result = Extractor().extract(Article("a.txt", "Bpifrance soutient la PME Nacon."))  # doctest: +SKIP
>>> [a.name for a in result.actors]                                            # doctest: +SKIP
['Bpifrance', 'Nacon']
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.schema import schema
from loaders.extract.actors import ActorProposal, find_actors
from loaders.extract.amounts import find_amounts
from loaders.extract.dates import find_dates, parse_article_date
from loaders.extract.gazetteer import gazetteer, graph_territories
from loaders.extract.match import graph_names, match_actors
from loaders.extract.mentions import Mention
from loaders.extract.namesakes import AmbiguousPlace, communes_meant, key_communes, place_for
from loaders.extract.relations import RelationProposal, Sentence, find_relations
from loaders.extract.roles import find_title, implied_body, role_word_length, split_titles
from loaders.extract.text import Article

__all__ = ["FRENCH_SHARE", "MODEL", "Extraction", "Extractor", "kind_of", "load_model"]

MODEL = "fr_core_news_sm"
FRENCH_SHARE = 0.15  # below this share of common French words, the text is not read as French
LOW_CONFIDENCE = 0.3
_LED_BY = re.compile(r"\b(?P<verb>dirigée?s?|présidée?s?|fondée?s?|gérée?s?)\s+(?:depuis\s+\d{4}\s+)?par\s+(?:l['’]|la|le)?\s*$", re.IGNORECASE)
_LED_ROLES = {"diri": "dirigeant", "prés": "président", "fond": "fondateur", "géré": "gérant"}
_LED_KINDS = {"company", "epci", "region", "department", "commune", "organisation", "operator"}
_PREFECT = re.compile(r"\b(?:[Ss]ous-)?[Pp]réf[eè]te?\s+(?:de la |de l['’]|des |du |de |d['’])\s*[A-ZÉÈ][\w'’\-]*(?:[ \-](?:de |du |des |la |le |et |sur |en )?[A-ZÉÈ][\w'’\-]*)*")
_PLACE_AT_END = re.compile(r"\b(?:à|de|d['’]|du côté de|près de)\s*(?P<name>[A-ZÉÈÎÔ][\w’'\-]+(?:[ \-](?:sur|sous|en|lès|lez|de|du|des|la|le)[ \-][A-ZÉ][\w’'\-]+)*)\s*$")
_SENTENCE_END = re.compile(r"[.!?»]\s+|\n")
_COMPANY_ROLE = re.compile(r"(?i)(?:président-directeur|pdg|ceo|direct(?:eur|rice) général|dirigeant|gérant|fondat|co-?fondat|patron)")


@dataclass
class Extraction:
    """What one article gives: its actors and relationships, and whether it read as French."""

    article: Article
    actors: list[ActorProposal]
    relations: list[RelationProposal]
    low_confidence: bool = False
    seconds: float = 0.0
    sentences: list[tuple[int, int]] = field(default_factory=list)


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The French spaCy model (loaded once per process), with punctuation-based sentences (the parser's split names like "Béthune-Bruay")."""
    import spacy

    nlp = spacy.load(MODEL)
    nlp.add_pipe("sentencizer", before="parser")
    return nlp


class Extractor:
    """The French model and the administrative map, loaded once, to extract many articles."""

    def __init__(self, nlp: Any = None) -> None:
        self.nlp, self.places = nlp or load_model(), gazetteer()
        self._names: dict[int, Any] = {}

    def names(self, graph: Any) -> Any:
        """The name index of ``graph`` (`match.graph_names`), read once per graph like the model."""
        if id(graph) not in self._names:
            self._names = {id(graph): graph_names(graph)}
        return self._names[id(graph)]

    def extract(self, article: Article, graph: Any = None) -> Extraction:
        """Actors and relationships of ``article``; matched with ``graph`` when one is given."""
        began = time.perf_counter()
        doc = self.nlp(article.text)
        places = self.places if graph is None else self.places.with_territories(graph_territories(graph))
        actors = find_actors(doc, places)
        key_communes(doc.text, actors, places)
        _prefectures(doc.text, actors)
        _date_keys(actors, article.date)
        phase = "I" if (article.date or "9999") < "2023-11" else "II"
        _territory_keys(actors, places, phase)
        owner = {id(m): a for a in actors for m in a.mentions}
        sentences = _sentences(doc, _acting(doc.text, actors), parse_article_date(article.date))
        roles = _role_relations(doc.text, sentences, owner, actors)
        if graph is not None:
            match_actors(self.names(graph), actors, phase=phase)
        relations = roles + _places_in_names(doc.text, actors, owner, places) + find_relations(sentences, owner, _allows)
        result = Extraction(article, actors, relations, sentences=[(s.start, s.end) for s in sentences])
        if article.french_share < FRENCH_SHARE:
            _lower_confidence(result)
        result.seconds = time.perf_counter() - began
        return result


def kind_of(actor: ActorProposal) -> str:
    """The actor's kind: the graph's when it is matched."""
    return actor.match["id"].split(":")[0] if actor.match else actor.kind


def _allows(rel_type: str, a: ActorProposal, b: ActorProposal) -> bool:
    s = schema()
    return s.rel(rel_type).allows(s.kind(kind_of(a)).label, s.kind(kind_of(b)).label)


def _acting(text: str, actors: list[ActorProposal]) -> list[Mention]:
    """The mentions that may act in a sentence: not a prefect's title whose holder is named ("la préfète des Ardennes, X"): X acts."""
    people = [m.start for a in actors if a.kind == "person" for m in a.mentions]
    label = _label_words(text, actors)
    mentions = [m for a in actors for m in a.mentions if id(m) not in label]
    return [m for m in mentions if m.how != "title" or not any(m.end < p < m.end + 60 and "." not in text[m.end : p] for p in people)]


def _label_words(text: str, actors: list[ActorProposal]) -> set[int]:
    """"soutenue par le Territoire d'industrie Fougères – Vitré": the programme's name before a territory's is the territory's label, not an actor."""
    territories = [m.start for a in actors if a.kind == "territory" for m in a.mentions]
    return {id(m) for a in actors if a.kind == "programme" for m in a.mentions if any(re.fullmatch(r"\s*[«\"“]?\s*", text[m.end : t]) for t in territories if t >= m.end)}


def _sentences(doc: Any, mentions: list[Mention], article_date: Any) -> list[Sentence]:
    amounts, dates = find_amounts(doc.text), find_dates(doc.text, article_date)
    found = []
    for span in _lines_of(doc):
        s, e = span.start_char, span.end_char
        found.append(Sentence(s, e, span, sorted((m for m in mentions if s <= m.start < e), key=lambda m: m.start),
                              [a for a in amounts if s <= a.start < e], [d for d in dates if s <= d.start < e]))  # fmt: skip
    return found


def _lines_of(doc: Any) -> list[Any]:
    """The sentences of the parse, cut again at line breaks (a title is not part of the first sentence)."""
    spans = []
    for sent in doc.sents:
        offset = sent.start_char
        for line in re.split(r"(\n+)", sent.text):
            span = doc.char_span(offset, offset + len(line), alignment_mode="contract") if line.strip() else None
            if span is not None and len(span):
                spans.append(span)
            offset += len(line)
    return spans


def _role_relations(text: str, sentences: list[Sentence], owner: dict[int, ActorProposal], actors: list[ActorProposal]) -> list[RelationProposal]:
    """HOLDS_ROLE for every person whose title the text gives next to the name."""
    found = []
    for sentence in sentences:
        people = [m for m in sentence.mentions if owner[id(m)].kind == "person"]
        for mention in people:
            found += _led_by(text, mention, sentence, owner)
            title = _title_of(text, mention, people, owner)
            if title is None:
                continue
            for start, end, role in split_titles(title[0], text[title[0] : title[1]]):
                role = " ".join(role.split())
                target = _role_target(text, start, end, role, sentence, owner, actors)
                if target is not None and _allows("HOLDS_ROLE", owner[id(mention)], target):
                    span = (min(start, mention.start), max(end, mention.end))
                    found.append(RelationProposal("HOLDS_ROLE", owner[id(mention)], target, *span, 0.75, {"role": role}))
    return found


def _led_by(text: str, mention: Mention, sentence: Sentence, owner: dict[int, ActorProposal]) -> list[RelationProposal]:
    """"Le groupe, dirigé par X": X holds the role the participle says in the organisation just named."""
    led = _LED_BY.search(text, sentence.start, mention.start)
    earlier = [m for m in sentence.mentions if m.end <= mention.start and owner[id(m)].kind != "person"]
    if not led or not earlier or owner[id(earlier[-1])].kind not in _LED_KINDS:
        return []
    organisation, person = owner[id(earlier[-1])], owner[id(mention)]
    if not _allows("HOLDS_ROLE", person, organisation):
        return []
    role = _LED_ROLES[led.group("verb")[:4].lower()]
    return [RelationProposal("HOLDS_ROLE", person, organisation, earlier[-1].start, mention.end, 0.65, {"role": role})]


def _title_of(text: str, mention: Mention, people: list[Mention], owner: dict[int, Any]) -> tuple[int, int, str] | None:
    """The title after the name ("X, maire de Y"), unless the one before it is adjacent and the one after leads to the next name."""
    titles = {side: find_title(text, mention.start, mention.end, side=side) for side in ("after", "before")}
    before = _cut_at_people(titles["before"], people, owner, mention) if titles["before"] else None
    after = _cut_at_people(titles["after"], people, owner, mention) if titles["after"] else None
    adjacent = before is not None and re.fullmatch(r"[\s,]*", text[before[1] : mention.start]) is not None
    leads_on = after is not None and any(after[1] <= p.start <= after[1] + 3 for p in people)
    if adjacent and (after is None or leads_on):
        return before
    return after or (before if adjacent else None)


def _cut_at_people(title: tuple[int, int, str], mentions: list[Mention], owner: dict[int, Any], holder: Mention) -> tuple[int, int, str]:
    start, end, role = title
    for m in mentions:
        if m is not holder and owner[id(m)].kind == "person" and start <= m.start < end:
            end = m.start
    cut = re.sub(r"(?:\s+et|[\s,\-])+$", "", role[: end - start])
    return start, start + len(cut), " ".join(cut.split())


def _role_target(text: str, start: int, end: int, role: str, s: Sentence, owner: dict[int, Any], actors: list[Any]) -> Any:
    after_role = start + role_word_length(role)
    inside = [m for m in s.mentions if after_role <= m.start < end + 1 and owner[id(m)].kind != "person"]
    body = implied_body(role)  # a prefect, a minister, a deputy: the State body, not the place they serve
    if inside and body is None:
        return owner[id(inside[0])]
    if body is None:
        return _possessed(text, start, role, actors, s.start) if re.search(r"\b(?:son|sa|leur)\s*$", text[max(0, start - 6) : start], re.IGNORECASE) else None
    from graph.keys import slugify

    key = slugify(body)
    existing = next((a for a in actors if a.kind == "statebody" and a.key == key), None)
    if existing:
        return existing
    actor = ActorProposal("statebody", body, [Mention(start, end, text[start:end], "statebody", body, 0.6, "title")], key, 0.6)
    actors.append(actor)
    owner[id(actor.mentions[0])] = actor
    return actor


def _possessed(text: str, start: int, role: str, actors: list[Any], sentence_start: int) -> Any:
    """"son président, X": the organisation of the sentence before the title, else the subject of the sentence before.

    A company's titles ("sa directrice générale") go to the company named last before them.
    """
    kinds = {"company"} if _COMPANY_ROLE.match(role) else {"company", "region", "department", "commune", "epci", "operator", "organisation", "statebody", "territory", "programme"}
    label = _label_words(text, actors)
    earlier = sorted((m.start, a) for a in actors if a.kind in kinds for m in a.mentions if m.end <= start and start - m.start < 400 and id(m) not in label)
    if not earlier:
        return None
    same_sentence = [x for x in earlier if x[0] >= sentence_start]
    if same_sentence or kinds == {"company"}:
        return (same_sentence or earlier)[-1][1]
    window = max(0, sentence_start - 400)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, window, max(window, sentence_start - 3))]
    previous_start = ends[-1] if ends else window
    subjects = [x for x in earlier if x[0] >= previous_start]  # "La CC X accompagne l'industriel. Sa présidente, Y": the CC
    return (subjects or earlier)[0 if subjects else -1][1]


def _prefectures(text: str, actors: list[ActorProposal]) -> None:
    """"avec le sous-préfet de Dreux": a prefect's title names the prefecture, even without the prefect's name."""
    from graph.keys import slugify

    taken = [(m.start, m.end) for a in actors for m in a.mentions]
    for match in _PREFECT.finditer(text):
        body = implied_body(match.group(0))
        word_end = match.start() + role_word_length(match.group(0))
        if body is None or any(s < word_end and match.start() < e for s, e in taken):
            continue
        mention = Mention(match.start(), word_end, text[match.start() : word_end], "statebody", body, 0.6, "title")
        existing = next((a for a in actors if a.kind == "statebody" and a.key == slugify(body)), None)
        if existing is None:
            actors.append(ActorProposal("statebody", body, [mention], slugify(body), 0.6))
        else:
            existing.mentions.append(mention)
        taken.append((mention.start, mention.end))


def _places_in_names(text: str, actors: list[ActorProposal], owner: dict[int, ActorProposal], places: Any) -> list[RelationProposal]:
    """"l'extension de son usine de Vitré", "la reconversion d'une friche à Golbey": the commune a thing's name ends with is where it is."""
    found = []
    for actor in [a for a in actors if a.kind in {"project", "event", "agreement"}]:
        mention = next((m for m in actor.mentions if m.how == "thing"), None)
        at = _PLACE_AT_END.search(mention.text) if mention else None
        if at is None:
            continue
        start, end = mention.start + at.start("name"), mention.start + at.end("name")
        communes = communes_meant(text, [(start, end)], [at.group("name")], places)
        if not communes:
            continue
        place = next((a for a in actors if a.kind == "commune" and _same_place(a, communes)), None)
        if place is None:
            one = communes[0] if len(communes) == 1 else None
            spot = Mention(start, end, text[start:end], "commune", one.name if one else at.group("name"), 0.6, "place", one.code if one else None)
            place = place_for(ActorProposal("commune", spot.name, [spot], confidence=0.6), communes, places, at.group("name"))
            actors.append(place)
            owner[id(spot)] = place
        found.append(RelationProposal("LOCATED_IN", actor, place, mention.start, mention.end, 0.6))
    return found


def _same_place(actor: ActorProposal, communes: list[Any]) -> bool:
    """Whether ``actor`` is the commune of ``communes`` (one), or the same namesakes left for review (several)."""
    if isinstance(actor, AmbiguousPlace):
        return [c["id"] for c in actor.candidates] == [f"commune:{c.code}" for c in communes]
    return len(communes) == 1 and actor.key == communes[0].code


def _territory_keys(actors: list[ActorProposal], places: Any, phase: str) -> None:
    """Territories of the official lists get their key, in the phase of the article's date first (II without a date)."""
    for actor in actors:
        if actor.kind == "territory" and not actor.key:
            found = next((places.territory(n, phase) for n in [actor.name, *actor.surface_forms] if places.territory(n, phase)), None)
            if found:
                actor.key, actor.name = found


def _date_keys(actors: list[ActorProposal], article_date: str | None) -> None:
    """Projects, agreements and events are keyed by name and the article's date: "accord-inedit-2023-12-19"."""
    for actor in actors:
        if actor.kind in {"project", "agreement", "event"} and actor.key and article_date:
            actor.key = f"{actor.key[:60].strip('-')}-{article_date}"


def _lower_confidence(result: Extraction) -> None:
    result.low_confidence = True
    for item in [*result.actors, *result.relations]:
        item.confidence = min(item.confidence, LOW_CONFIDENCE)
