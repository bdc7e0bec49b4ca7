"""Relationships between the actors of an article, sentence by sentence.

A trigger word (`triggers.py`, by lemma: "financer", "accompagner", "signer", "piloter",
"porter"…, or a verb's form the model mistags: "X finance Y") gives the type; the dependency parse gives its ends when the subject and object are actors (passive
"financé par X" swaps them), otherwise the nearest actors before and after the trigger that the
schema allows for that type. FUNDS takes the sentence's amount, SIGNED and the others its date.
Titles give HOLDS_ROLE (`roles.py`); "à Y", "installée à Y", "réuni à Y" after a project, company,
event or agreement gives LOCATED_IN; "signé avec Y", "signé entre X et Y" make Y a signatory, and
"accompagne Z avec Y", "a participé à E avec Y" make Y act alongside. A title in a list of subjects
stands for the person named beside it; a territory "labellisé" with no programme named is labelled
Territoire d'industrie.

Example
-------
>>> RelationProposal.__dataclass_fields__.keys() >= {"type", "source", "target", "props"}
True
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from loaders.extract.actors import ActorProposal
from loaders.extract.amounts import Amount
from loaders.extract.dates import DateMention
from loaders.extract.lists import PARTNERS, list_runs
from loaders.extract.mentions import Mention
from loaders.extract.triggers import is_noun, is_participle, reads_as_verb, trigger_lemma, trigger_type

__all__ = ["RelationProposal", "Sentence", "find_relations"]

_MANY_FROM = {"SIGNED", "TOOK_PART", "COVERS"}
_KIND_ORDERED = {"LABELLED", "COVERS", "LOCATED_IN", "TOOK_PART", "CARRIES", "SIGNED", "HOLDS_ROLE"}
_RECEIVE = {"bénéficier", "obtenir", "recevoir", "percevoir", "décrocher", "bénéficiaire", "lauréat"}
_PASSIVE = re.compile(r"[^.;:]*?\b(?:par|entre|au titre d[eu]|de la part d[eu])\b(?:\s+(?:l['’]|la|le|les))?")
_CHANNEL = re.compile(r"\b(?:via|au titre d[eu]|dans le cadre d[eu]|grâce à|par le biais d[eu])\s*(?:la |le |l['’]|les )?$")
_OCCASION = re.compile(r"\b(?:lors d[eu']|à l['’]occasion d[eu'])\s*(?:la |le |l['’])?$", re.IGNORECASE)
_WITH = re.compile(r"\b(?:avec|entre)\b")
_ALONGSIDE = re.compile(r"\b(?:avec|aux côtés d[eu]|en compagnie d[eu])\s*(?:l['’]|la |le |les |des )?\s*(?:Région |Département )?$")
_WITH_NOUN = re.compile(r"[,;:]|\bqui\b|\b(?:coopération|partenariat|collaboration|relations?|liens?|accords?|conventions?|contrats?|alliance|fusion|rapprochement)\b")
_ALONGSIDE_TYPES = {"SUPPORTS", "TOOK_PART", "PILOTS", "CARRIES"}
_LABEL_WORDS = {"labelliser", "labellisé", "label"}
_LABEL_PROGRAMME = "Territoires d'industrie"  # the programme whose label a territory bears
_SETTLED = (
    r"(?:(?:qui est |est |sera |s['’]est |a été |ont été )?(?:installée?s?|basée?s?|implantée?s?|située?s?|établie?s?|réunie?s?|tenue?s?|organisée?s?|signée?s?|prévue?s?)"
    r"(?:\s+(?:le\s+|ce\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d{1,2}(?:er)?)(?:\s+\d{1,2})?(?:\s+[a-zéû]+)?(?:\s+\d{4})?)?\s+)"
)  # "installée à", "a été signé le 12 février 2024 à"
_PLACE_WORD = re.compile(rf"^\s*(?:,\s*)?{_SETTLED}?(?:à|au|aux|en|dans(?: le| la| les)?|près de|du côté de|sur la commune de|sur le site de)\s*$")
_NAME_GOES_ON = re.compile(r"^\s*(?:de la|de l['’]|des|du|de|d['’])?\s*(?:[Tt]erritoires? d['’][Ii]ndustrie\s*)?$")  # the label before a territory's name


@dataclass
class Sentence:
    """One sentence: its span, tokens (a spaCy `Span`), mentions, amounts and dates."""

    start: int
    end: int
    span: Any
    mentions: list[Mention]
    amounts: list[Amount]
    dates: list[DateMention]


@dataclass
class RelationProposal:
    """A relationship found in one sentence: type, ends, properties, the span that states it."""

    type: str
    source: ActorProposal
    target: ActorProposal
    start: int
    end: int
    confidence: float
    props: dict[str, Any] = field(default_factory=dict)


def find_relations(sentences: list[Sentence], owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    """Relationships of every sentence; ``owner`` maps ``id(mention)`` to its actor, ``allows(type, a, b)`` checks the schema."""
    found: list[RelationProposal] = []
    for number, sentence in enumerate(sentences):
        for token in sentence.span:
            rel_type = trigger_type(token)
            if rel_type and (token.pos_ in {"VERB", "NOUN", "ADJ", "AUX"} or reads_as_verb(token) or is_participle(token)):
                found += _triggered(rel_type, token, sentence, owner, allows) or _earlier_event(rel_type, token, sentences[max(0, number - 2) : number], sentence, owner, allows)
        found += _located(sentence, owner, allows) + _partners(sentence, owner, allows) + _on_occasion(sentence, owner, allows)
    return _distinct(found)


def _shared(rel_type: str, pairs: list[tuple[Mention, Mention]], s: Sentence, at: int, owner: dict[int, ActorProposal], allows: Any) -> list[tuple[Mention, Mention]]:
    """"X, Y et Z soutiennent ces territoires": every member of a list on one side of the trigger shares the relationship."""
    runs = [run for run in list_runs(s.span.doc.text, s.mentions) if all(m.end <= at for m in run) or all(m.start > at for m in run)]

    def run_of(mention: Mention) -> list[Mention]:
        run = next((run for run in runs if any(m is mention for m in run)), [mention])
        # "le préfet, X, et la présidente de la Région Y, Z": people listed with their titles share it, not the bodies their titles name
        return [m for m in run if owner[id(m)].kind == "person"] if owner[id(mention)].kind == "person" else run

    found = list(pairs)
    for a, b in pairs:
        if any(m is b for m in run_of(a)):
            continue
        found += [(x, y) for x in run_of(a) for y in run_of(b)
                  if owner[id(x)] is not owner[id(y)] and allows(rel_type, owner[id(x)], owner[id(y)]) and not any(x is p and y is q for p, q in found)]  # fmt: skip
    return found


def _on_occasion(s: Sentence, owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    """"X a présenté, à l'occasion du conseil national…", "a déclaré X lors de la signature": X took part in the event."""
    text, found = s.span.doc.text, []
    for i, event in enumerate(s.mentions):
        if owner[id(event)].kind != "event" or not _OCCASION.search(text[max(s.start, event.start - 30) : event.start]):
            continue
        before = [m for m in s.mentions[:i] if owner[id(m)].kind in {"person", "statebody"} and allows("TOOK_PART", owner[id(m)], owner[id(event)])]
        if before:
            found.append(RelationProposal("TOOK_PART", owner[id(before[-1])], owner[id(event)], before[-1].start, event.end, 0.5))
    return found


def _partners(s: Sentence, owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    """"l'État et ses opérateurs (A, B, C…)": each of A, B, C is a partner of the State."""
    text, found = s.span.doc.text, []
    for run in list_runs(text, s.mentions):
        for first, second in itertools.pairwise(run):
            if PARTNERS.match(text[first.end : second.start]):
                members = run[run.index(second) :]
                found += [RelationProposal("PARTNER_OF", owner[id(m)], owner[id(first)], first.start, m.end, 0.6) for m in members if allows("PARTNER_OF", owner[id(m)], owner[id(first)])]
    return found


def _earlier_event(rel_type: str, token: Any, earlier: list[Sentence], s: Sentence, owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    """"Y ont participé X, Y…": the participants of the event the sentences before name."""
    if rel_type != "TOOK_PART":
        return []
    events = [m for e in earlier for m in e.mentions if owner[id(m)].kind == "event"]
    if not events:
        return []
    event = events[-1]
    people = [m for m in s.mentions if allows("TOOK_PART", owner[id(m)], owner[id(event)])]
    if any(owner[id(m)].kind == "person" for m in people):  # "X, président de la CC Y": the person took part, not Y
        people = [m for m in people if owner[id(m)].kind == "person"]
    return [RelationProposal("TOOK_PART", owner[id(m)], owner[id(event)], min(m.start, token.idx), max(m.end, token.idx + len(token.text)), 0.5) for m in people]


def _triggered(rel_type: str, token: Any, s: Sentence, owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    at, lemma, text = token.idx, trigger_lemma(token), s.span.doc.text
    receives = _receives(token)
    if rel_type == "FUNDS" and not receives and any(_receives(t) for t in s.span):
        return []  # "X a obtenu une aide de Y": the receiving verb says which way
    subjects, objects, parsed = _ends(rel_type, token, s, receives)
    confidence = 0.75 if parsed else 0.6
    if rel_type == "SUPPORTS" and any(_its_amount(text, at, a.start) for a in s.amounts):
        rel_type = "FUNDS"  # "a soutenu … à hauteur de 2 millions d'euros"; not "soutiennent ce projet, tout comme X, qui apporte 5 M€"
    if rel_type == "FUNDS":  # "apporte 5 M€ via le Fonds chaleur": the fund is the channel, not who receives
        objects = [o for o in objects if not (owner[id(o)].kind == "programme" and _CHANNEL.search(text[max(0, o.start - 25) : o.start]))]
    rel_type, pairs = _read_pairs(rel_type, lemma, subjects, objects, [m for m in s.mentions if m.start > at], owner, allows)
    if rel_type == "FUNDS" and not s.amounts and lemma not in {"financer", "cofinancer", "subventionner"}:
        return []
    if not pairs and lemma in _LABEL_WORDS:  # "Ce territoire avait été labellisé en 2019": the label is the programme's
        return _labelled(token, [*subjects[:1], *objects[:1]], s, owner)
    pairs = _shared(rel_type, pairs + _alongside(rel_type, at, pairs, objects, text, owner, allows), s, at, owner, allows)
    return [_proposal(_invested(rel_type, token, owner[id(a)], owner[id(b)]), owner[id(a)], owner[id(b)], s, token, confidence, a, b) for a, b in pairs]


def _ends(rel_type: str, token: Any, s: Sentence, receives: bool) -> tuple[list[Mention], list[Mention], bool]:
    """The candidate subjects and objects of a trigger, nearest first, and whether the parse gave both."""
    at, text = token.idx, s.span.doc.text
    before, after = [m for m in s.mentions if m.end <= at], [m for m in s.mentions if m.start > at]
    passive = is_noun(token) or is_participle(token)  # "financé par X", "l'aide au titre de X"; not "X finance … par"
    agent = _PASSIVE.match(text, at + len(token.text), min(s.end, at + len(token.text) + 100)) if passive else None
    parsed_subjects, parsed_objects = _parse_ends(token, s.mentions)
    if agent or receives:
        after_agent = [m for m in after if m.start >= (agent.end() if agent else at)]
        return (after_agent if rel_type in _MANY_FROM else after_agent[:1]), list(reversed(before)), bool(parsed_subjects and parsed_objects)
    # the parse first, then the nearest mentions on each side
    # "X, qui pilote le territoire Y, a signé": with a parsed subject, signatories are the subject (and its list), not every name before
    subjects = list(parsed_subjects) if parsed_subjects and rel_type in _MANY_FROM else list(dict.fromkeys([*parsed_subjects, *_incise_last(text, s.start, at, before[::-1])]))
    if rel_type == "SIGNED" and is_noun(token):  # "la signature de l'accord avec Y": only Y is said to sign
        subjects = [m for m in after if _WITH.search(text, at, m.start)]
    elif rel_type == "SIGNED":  # "X a signé un accord avec Y": Y signed it too
        subjects += [m for m in after if _WITH.search(text, at, m.start)]
    return subjects, [*parsed_objects, *after], bool(parsed_subjects and parsed_objects)


def _read_pairs(rel_type: str, lemma: str | None, subjects: list[Mention], objects: list[Mention], after: list[Mention], owner: dict[int, ActorProposal],
                allows: Any) -> tuple[str, list[tuple[Mention, Mention]]]:  # fmt: skip
    """The (subject, object) pairs of a trigger, and its type, read again when the kinds call for another reading."""
    pairs = _pairs(rel_type, subjects, objects, owner, allows)
    if not pairs and lemma == "lancer":  # "le dispositif lancé par l'État", "lancés avec Bpifrance": who launched a programme pilots it
        rel_type = "PILOTS"
        pairs = _pairs(rel_type, subjects, objects, owner, allows) or _pairs(rel_type, objects, subjects, owner, allows)
    if not pairs and rel_type == "TOOK_PART" and lemma in {"réunir", "rassembler"}:  # "le territoire, qui réunit la CA X"
        rel_type = "COVERS"
        pairs = _pairs(rel_type, subjects, objects, owner, allows)
    if rel_type == "COVERS" and pairs:  # "X regroupe A, B et C": every place after the verb
        pairs += [(pairs[0][0], o) for o in after if o is not pairs[0][1] and allows("COVERS", owner[id(pairs[0][0])], owner[id(o)])]
    if not pairs and rel_type in _KIND_ORDERED:  # "les territoires labellisés : X, Y": the kinds say which way
        backwards = _pairs(rel_type, objects, subjects, owner, lambda t, x, y: allows(t, y, x), many=True)
        pairs = [(b, a) for a, b in backwards] or _pairs(rel_type, objects, subjects, owner, allows, many=True)
    return rel_type, pairs


def _alongside(rel_type: str, at: int, pairs: list[tuple[Mention, Mention]], objects: list[Mention], text: str, owner: dict[int, ActorProposal],
               allows: Any) -> list[tuple[Mention, Mention]]:  # fmt: skip
    """"X accompagne l'industriel avec France Travail", "a participé à la réunion avec le sous-préfet": Y acts alongside X, in the same
    clause (no comma, no "qui" between), unless "avec" completes a noun ("la coopération de X avec Y")."""
    if rel_type not in _ALONGSIDE_TYPES:
        return []
    partners = [m for m in objects if m.start > at and _ALONGSIDE.search(text[max(at, m.start - 40) : m.start]) and not _WITH_NOUN.search(text[at : m.start])]
    targets = [b for _, b in pairs[:1]] or [o for o in objects if o not in partners]
    return [(a, b) for a, b in _pairs(rel_type, partners, targets, owner, allows, many=True) if not any(a is x for x, _ in pairs)]


def _labelled(token: Any, candidates: list[Mention], s: Sentence, owner: dict[int, ActorProposal]) -> list[RelationProposal]:
    """A territory said to be labelled (the nearest subject, else the nearest object) with no programme beside it is labelled
    Territoire d'industrie, when the article names the programme."""
    territory = next((m for m in candidates if owner[id(m)].kind == "territory"), None)
    programme = next((a for a in owner.values() if a.kind == "programme" and a.name == _LABEL_PROGRAMME), None)
    if territory is None or programme is None:
        return []
    return [_proposal("LABELLED", owner[id(territory)], programme, s, token, 0.5, territory, territory)]


def _incise_last(text: str, start: int, at: int, nearest_first: list[Mention]) -> list[Mention]:
    """"X, partenaire du programme Y, finance": Y lies between commas just before the verb, so X is tried first."""
    close = text.rfind(",", start, at)
    opening = text.rfind(",", start, close) if close >= 0 and not text[close + 1 : at].strip() else -1
    inside = [m for m in nearest_first if opening >= 0 and opening < m.start and m.end <= close]
    return [m for m in nearest_first if m not in inside] + inside


def _its_amount(text: str, at: int, amount_start: int) -> bool:
    """Whether an amount after the trigger belongs to it: no comma between them, or "à hauteur de"."""
    between = text[at:amount_start]
    return amount_start > at and ("," not in between or re.search(r"à hauteur d[e']\s*$", between) is not None)


def _receives(token: Any) -> bool:
    return token.lemma_.lower() in _RECEIVE or token.text.lower() in _RECEIVE


def _invested(rel_type: str, token: Any, a: ActorProposal, b: ActorProposal) -> str:
    """"L'industriel X investit 12 M€ dans l'extension de son usine": a company paying for its own project carries it."""
    if rel_type == "FUNDS" and trigger_lemma(token) in {"investir", "engager", "consacrer"} and a.kind == "company" and b.kind == "project":
        return "CARRIES"
    return rel_type


def _parse_ends(token: Any, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """The mentions holding the trigger's subjects and objects in the dependency parse."""
    def holding(tokens: list[Any]) -> list[Mention]:
        return [m for t in tokens for m in mentions if m.start <= t.idx < m.end]

    subject_tokens = [c for c in token.children if c.dep_.startswith("nsubj")]
    subject_tokens += [c for s in subject_tokens for c in s.conjuncts]
    object_tokens = [c for c in token.children if c.dep_ in {"obj", "iobj", "obl:arg", "obl:mod", "obl", "nmod"}]
    object_tokens += [c for o in object_tokens for c in o.conjuncts]
    if len(subject_tokens) < 2:
        return holding(subject_tokens), holding(object_tokens)
    # a list of subjects: "Le préfet, X, et la présidente de la Région Y, Z, assistaient": a title in it stands for its holder
    return [m for t in subject_tokens for m in (holding([t]) or _title_holder(t, mentions))], holding(object_tokens)


def _title_holder(title: Any, mentions: list[Mention]) -> list[Mention]:
    """The person named beside a title, in the title's own words (not in the members listed after it): "la présidente de la Région Y, Z"."""
    listed = {t.i for c in title.children if c.dep_ == "conj" for t in c.subtree}
    own = [t for t in title.subtree if t.i not in listed]
    return [m for m in mentions if m.kind == "person" and any(m.start <= t.idx < m.end for t in own)][:1]


def _pairs(rel_type: str, subjects: list[Mention], objects: list[Mention], owner: dict[int, ActorProposal], allows: Any,
           *, many: bool = False) -> list[tuple[Mention, Mention]]:  # fmt: skip
    """The nearest allowed (subject, object) pairs; several subjects for SIGNED, TOOK_PART, COVERS (or when ``many``)."""
    pairs = []
    for subject in subjects:
        target = next((o for o in objects if owner[id(o)] is not owner[id(subject)] and allows(rel_type, owner[id(subject)], owner[id(o)])), None)
        if target:
            pairs.append((subject, target))
            if rel_type not in _MANY_FROM and not many:
                break
    return pairs


def _proposal(rel_type: str, a: ActorProposal, b: ActorProposal, s: Sentence, token: Any, confidence: float, ma: Mention, mb: Mention) -> RelationProposal:
    props: dict[str, Any] = {}
    anchor = token.idx
    if rel_type == "FUNDS" and s.amounts:
        amount = min(s.amounts, key=lambda x: abs(x.start - anchor))
        props["amount_eur"] = amount.euros
    if s.dates and rel_type in {"SIGNED", "FUNDS", "TOOK_PART", "LABELLED"}:
        props["date"] = min(s.dates, key=lambda d: abs(d.start - anchor)).value
        if rel_type == "FUNDS":
            props["year"] = int(props["date"][:4])
    start, end = min(ma.start, mb.start, anchor), max(ma.end, mb.end, anchor + len(token.text))
    return RelationProposal(rel_type, a, b, start, end, confidence, props)


def _located(s: Sentence, owner: dict[int, ActorProposal], allows: Any) -> list[RelationProposal]:
    """A project or company followed by "à Y", "en Y", "du côté de Y": LOCATED_IN Y."""
    found = []
    text = s.span.doc.text
    for i, m in enumerate(s.mentions):
        if owner[id(m)].kind not in {"project", "company", "event", "agreement"}:
            continue
        last = m  # "le comité de pilotage du Territoire d'industrie X, réuni à Y": the name goes on before the place
        for place in s.mentions[i + 1 : i + 4]:
            if owner[id(place)].kind in {"commune", "department", "region", "epci"} and _PLACE_WORD.match(text[last.end : place.start]):
                if allows("LOCATED_IN", owner[id(m)], owner[id(place)]):
                    found.append(RelationProposal("LOCATED_IN", owner[id(m)], owner[id(place)], m.start, place.end, 0.7))
                break
            if not _NAME_GOES_ON.match(text[last.end : place.start]):
                break
            last = place
    return found


def _distinct(found: list[RelationProposal]) -> list[RelationProposal]:
    best: dict[tuple[str, int, int], RelationProposal] = {}
    for rel in found:
        key = (rel.type, id(rel.source), id(rel.target))
        if key not in best or rel.confidence > best[key].confidence:
            best[key] = rel
    return list(best.values())
