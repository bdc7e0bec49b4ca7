"""Find the actors of an article: known names, the programme's patterns, then the NER model.

Mentions come from three places, in this order of trust: the lexicon of known names and the
programme's patterns (`patterns.py`), places of the administrative map, and spaCy's entities
(people; organisations announced as companies; places the map knows). Overlapping mentions keep
the most trusted, then the longest. Mentions of one actor are then grouped (a surname alone is the
person named in full before it; "AdCF" is Intercommunalités de France; "la Région" is the one region
the article names).

Example
-------
>>> import spacy                                                          # doctest: +SKIP
>>> actors = find_actors(spacy.load("fr_core_news_sm")("Bpifrance soutient la PME Nacon."))  # doctest: +SKIP
>>> [(a.kind, a.name) for a in actors]                                    # doctest: +SKIP
[('operator', 'Bpifrance'), ('company', 'Nacon')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from graph.keys import fold, slugify
from loaders.extract.gazetteer import Gazetteer, gazetteer, place_form
from loaders.extract.lists import territories_in_lists, these_territories
from loaders.extract.mentions import Mention, fold_same_length, lexicon
from loaders.extract.patterns import DESCRIPTORS, NOUN_ALONE, QUALIFIED_NAME, find_pattern_mentions, head_noun
from loaders.extract.things import find_things, meetings

__all__ = ["ActorProposal", "find_actors", "find_mentions"]

PLACE_KINDS = ("region", "department", "commune", "epci")
_COMPANY_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?,\s*(?:le |la |l['’]|un |une |leader |numéro un )?(?:concepteur|fabricant|spécialiste|leader|PME|"
    r"entreprise|groupe|société|start-up|équipementier|constructeur|producteur|industriel|filiale|sous-traitant|géant)"
)
_NAME_FOLLOWS = rf"(?![ \u00a0]+[A-ZÉ«\"]|[ \u00a0]+(?:de|d['’]|du|des)[ \u00a0]*[A-ZÉ]|[ \u00a0]*d['’]\w|{QUALIFIED_NAME})"
_BACK_REFERENCE = re.compile(  # "le fabricant de tapis" is the company named before; "le projet de four électrique" is a new project
    r"\b(?:(?P<company>[Ll]['’](?:entreprise|industriel|usine|équipementier)|[Ll]e (?:groupe|fabricant|constructeur)|[Ll]a (?:société|PME|start-up))\b"
    + _NAME_FOLLOWS
    + r"|(?P<project>[Cc]e projet|[Cc]ette usine|[Ll]e projet|[Cc]e site|[Ll]['’]opération|[Cc]ette opération)\b(?![ \u00a0]+(?:de|d['’]|du|des)\b)"
    + _NAME_FOLLOWS
    + r"|(?P<programme>[Cc]e (?:programme|dispositif))\b(?![ \u00a0]+(?:de|d['’]|du|des)\b)"
    + _NAME_FOLLOWS
    + r"|(?P<agreement>(?:[Ll]a|[Cc]ette) (?:convention|charte)|(?:[Ll]e|[Cc]e) (?:contrat|pacte|protocole|texte)|[Ll]['’]accord|[Cc]et accord)\b"
    + r"(?![ \u00a0]+(?:de|d['’]|du|des|pour|sur)\b)"
    + _NAME_FOLLOWS
    + ")"
)
_THIS_TERRITORY = re.compile(r"\b(?:[Cc]e|[Ll]e) (?:[Tt]erritoire d['’][Ii]ndustrie|territoire)\b(?![ \u00a0]*(?:[«\"“]|de |du |des |d['’]|[A-ZÉ]))")
# "la Région", "le Département" written with a capital and no name: the council of the one region or department the article names
_THE_COUNCIL = re.compile(
    r"\b(?:(?P<region>[Ll]a Région|[Ll]e [Cc]onseil régional)|(?P<department>[Ll]e Département|[Ll]e [Cc]onseil départemental))\b"
    r"(?![ \u00a0]*(?:[«\"“]|de |du |des |d['’]|[A-ZÉ]))"
)
_AT_PLACE = re.compile(r"\b[àÀ]\s+(?P<name>[A-ZÉÈÎÔ][\w’'\-]+(?:[ \-](?:sur|sous|en|lès|lez|de|du|des|la|le)[ \-][A-ZÉ][\w’'\-]+)*)")
_PLACE_BEFORE = re.compile(r"(?:\b(?:à|À|a|au|de|d['’]|du|près de|sur|vers|entre|commune de|ville de|maire de)\s*|,\s*)$")
_PLACE_WORD_BEFORE = re.compile(r"(?:\b(?:en|au|aux|à|vers|depuis|de|d['’]|du|la|le|l['’]|dans)\s*)$", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"\s+(?:du|de la|de l['’]|des|de|d['’])\s*[A-ZÉ]")
_NOT_PERSON = {"Région", "Communauté", "Agglomération", "Métropole", "Territoire", "Territoires", "Fonds", "France", "Conseil", "Groupe", "Ville", "Préfecture", "Banque", "Agence"}
# a verb in the third person plural, as written (the model tags "soutient" plural): "ont", "signeront", "accompagnent", not "soutient"
_PLURAL_VERB = re.compile(r"(?:ont|(?<!ti)(?<!vi)ent)$")
_PERSON_WORD = re.compile(r"^[A-ZÉÈÀÂÎÔÇ][a-zà-ÿ'’\-]+(?:-[A-ZÉÈ][a-zà-ÿ]+)?$|^(?:de|du|d'|le|la|van|von)$")


@dataclass
class ActorProposal:
    """An actor the article names: its kind, name, proposed key, and every mention of it."""

    kind: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    key: str | None = None
    confidence: float = 0.0
    match: dict[str, Any] | None = None

    @property
    def node_id(self) -> str | None:
        """``kind:key`` once the actor is matched or has a key; None when a key is still needed."""
        if self.match:
            return self.match["id"]
        return f"{self.kind}:{self.key}" if self.key else None

    @property
    def surface_forms(self) -> list[str]:
        """The distinct spellings the article uses."""
        return list(dict.fromkeys(" ".join(m.text.split()) for m in self.mentions))


def find_mentions(doc: Any, places: Gazetteer | None = None) -> list[Mention]:
    """Every actor mention of a parsed article (a spaCy `Doc`), without overlaps, in text order."""
    text = doc.text
    places = places or gazetteer()
    patterns = [_cut_at_and(m, places, doc) for m in find_pattern_mentions(text)]
    patterns = [m for m in patterns if m.kind not in {"region", "department"} or places.lookup(m.kind, m.name)]
    patterns = [m for m in patterns if m.kind != "person" or _person_like(m.name, places)]
    known = [m for m in patterns if m.kind in DESCRIPTORS and _known(m.name, places)]
    patterns = [m for m in patterns if m not in known]
    candidates = _with_nouns(lexicon().find(text, fold_same_length(text)), known) + patterns
    ruled = {fold(m.name) for m in patterns if m.kind != "company"}  # a name the rules gave a territory or a place is not a company elsewhere
    entities = [m for m in _entity_mentions(doc, places) if not (m.kind == "company" and m.how == "ner" and fold(m.name) in ruled)]
    candidates += _place_names(text, places) + _events_of_agreements(find_things(doc)) + entities
    chosen: list[Mention] = []
    for mention in sorted(candidates, key=lambda m: (-_rank(m), -(m.end - m.start))):
        if mention.how == "thing":
            mention = _cut_before(mention, chosen)
        if mention is not None and not any(mention.overlaps(c) for c in chosen):
            chosen.append(mention)
    return meetings(text, territories_in_lists(text, sorted(chosen, key=lambda m: m.start), places))


def _events_of_agreements(things: list[Mention]) -> list[Mention]:
    """"la signature de la convention de financement": the event keeps its full name, its quote stops where the agreement begins."""
    agreements = [m for m in things if m.kind == "agreement"]
    found = []
    for thing in things:
        inner = next((a for a in agreements if thing.kind == "event" and thing.start < a.start and a.end <= thing.end), None)
        head = re.sub(r"(?:\s+(?:de|du|des|d['’]|de la|de l['’]|la|le|les|l['’]))+\s*$", "", " " + thing.text[: inner.start - thing.start])[1:] if inner else ""
        found.append(Mention(thing.start, thing.start + len(head), head, "event", _clean(thing.name), thing.confidence, thing.how) if head else thing)
    return found


def _person_like(name: str, places: Gazetteer) -> bool:
    """Whether a name found beside a title may be a person's: not a place, a known name or an institution's."""
    return not _known(name, places) and not (set(name.split()) & _NOT_PERSON)


def _known(name: str, places: Gazetteer) -> bool:
    """Whether the map or the lexicon knows a name: a name after a descriptor noun then keeps its own kind ("l'agence Business France")."""
    return bool(places.kind_of(name) or lexicon().find(name, fold_same_length(name)))


def _with_nouns(known_names: list[Mention], described: list[Mention]) -> list[Mention]:
    """The lexicon's mentions, those named after a descriptor noun keeping it ("l'agence Business France": "l'agence" refers back to it)."""
    nouns = {m.start: m.extra["noun"] for m in described if "noun" in m.extra}
    return [replace(m, extra={"noun": nouns[m.start]}) if m.start in nouns else m for m in known_names]


def _cut_before(thing: Mention, chosen: list[Mention]) -> Mention | None:
    """"comité de pilotage du Territoire d'industrie X": the event's name stops where another actor's begins."""
    inside = [c.start for c in chosen if thing.start < c.start < thing.end]
    if not inside:
        return thing
    text = re.sub(r"(?:\s+(?:de|du|des|d['’]|de la|de l['’]|à|au|en|pour|sur|avec|la|le|les|l['’]))+\s*$", "", " " + thing.text[: min(inside) - thing.start])[1:]
    text = text.rstrip(" ,")
    if len(text.split()) < 2 and thing.kind == "agreement" and _NAMED_AFTER.match(thing.text, len(text)):
        # "le contrat du Territoire d'industrie X": the agreement is named after the actor inside; the quote is its head word
        return Mention(thing.start, thing.start + len(text), text, thing.kind, _clean(thing.text), thing.confidence, thing.how)
    if len(text.split()) < 2:
        return None
    return Mention(thing.start, thing.start + len(text), text, thing.kind, text, thing.confidence, thing.how)


def find_actors(doc: Any, places: Gazetteer | None = None) -> list[ActorProposal]:
    """The actors of a parsed article, each with its mentions and a proposed key."""
    places = places or gazetteer()
    groups: dict[tuple[str, str], ActorProposal] = {}
    surnames: dict[str, ActorProposal] = {}
    for mention in find_mentions(doc, places):
        if mention.kind == "person" and " " not in mention.name.strip() and fold(mention.name) in surnames:
            surnames[fold(mention.name)].mentions.append(mention)
            continue
        if mention.kind == "person" and " " not in mention.name.strip():
            continue
        group = groups.setdefault(_group_key(mention), ActorProposal(mention.kind, _clean(mention.name)))
        group.mentions.append(mention)
        if mention.kind == "person":
            surnames[fold(mention.name.split()[-1])] = group
    actors = _one_kind_per_name(list(groups.values()))
    _mentions_again(doc.text, actors)
    _refer_back(doc.text, actors)
    _refer_back_by_noun(doc.text, actors)
    _this_territory(doc.text, actors)
    _the_council(doc.text, actors)
    for actor, mention in these_territories(doc.text, actors):
        actor.mentions.append(mention)
    for actor in actors:
        actor.mentions.sort(key=lambda m: m.start)
        actor.confidence = max(m.confidence for m in actor.mentions)
        _propose_key(actor, places)
    return actors


def _one_kind_per_name(actors: list[ActorProposal]) -> list[ActorProposal]:
    """"le groupe Textiles Dorés" and the model's person "Textiles Dorés": a name the rules gave a kind keeps it."""
    ruled = {fold(a.name): a for a in actors if a.kind != "person" and any(m.how == "rule" for m in a.mentions)}
    kept = []
    for actor in actors:
        other = ruled.get(fold(actor.name)) if actor.kind == "person" else None
        if other is not None and all(m.how == "ner" for m in actor.mentions):
            other.mentions += [replace(m, kind=other.kind) for m in actor.mentions]
        else:
            kept.append(actor)
    return kept


def _mentions_again(text: str, actors: list[ActorProposal]) -> None:
    """Every other place the article writes an actor's name ("Saverglass" after "l'entreprise Saverglass")."""
    taken = [(m.start, m.end) for a in actors for m in a.mentions]
    for actor in actors:
        for form in {f for f in actor.surface_forms if len(f) > 3 and f[0].isupper()}:
            for match in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text):
                if not any(s < match.end() and match.start() < e for s, e in taken):
                    actor.mentions.append(Mention(match.start(), match.end(), form, actor.kind, actor.name, 0.7, "again"))
                    taken.append(match.span())


def _refer_back(text: str, actors: list[ActorProposal]) -> None:
    """"l'entreprise", "le groupe", "ce projet", "la convention", "ce dispositif": the last company, project, agreement or programme named before."""
    taken = [(m.start, m.end) for a in actors for m in a.mentions]
    for match in _BACK_REFERENCE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        kind = next(k for k in ("project", "agreement", "company", "programme") if match.group(k))
        earlier = [(m.start, a) for a in actors if a.kind == kind for m in a.mentions if m.end <= match.start()]
        if earlier:
            start, actor = max(earlier, key=lambda x: x[0])
            if match.start() - start < 600:
                actor.mentions.append(Mention(match.start(), match.end(), match.group(0), kind, actor.name, 0.5, "back"))


def _refer_back_by_noun(text: str, actors: list[ActorProposal]) -> None:
    """"l'association", "le cluster", "l'agence": the actor last mentioned of those named right after that noun before."""
    taken = [(m.start, m.end) for a in actors for m in a.mentions]
    for match in NOUN_ALONE.finditer(text):
        noun = head_noun(match.group("noun"))
        named = [a for a in actors if any(m.extra.get("noun") == noun and m.end <= match.start() for m in a.mentions)]
        earlier = [(m.start, a) for a in named for m in a.mentions if m.end <= match.start()]
        if not earlier or any(s < match.end() and match.start() < e for s, e in taken):
            continue
        start, actor = max(earlier, key=lambda x: x[0])
        if match.start() - start < 600:
            actor.mentions.append(Mention(match.start(), match.end(), match.group(0), actor.kind, actor.name, 0.5, "back"))


def _this_territory(text: str, actors: list[ActorProposal]) -> None:
    """"ce territoire", "le Territoire d'industrie, qui regroupe …": the territory named last before, when no name follows."""
    territories = [(m.start, a) for a in actors if a.kind == "territory" for m in a.mentions]
    programme_words = {id(m): a for a in actors if a.kind == "programme" for m in a.mentions}
    taken = [(m.start, m.end) for a in actors for m in a.mentions if id(m) not in programme_words]
    for match in _THIS_TERRITORY.finditer(text):
        earlier = [(start, a) for start, a in territories if start < match.start()]
        if not earlier or any(s < match.end() and match.start() < e for s, e in taken):
            continue
        for actor in {id(a): a for a in programme_words.values()}.values():  # "Territoire d'industrie" here is the territory, not the programme
            actor.mentions = [m for m in actor.mentions if not (match.start() <= m.start < match.end())]
        territory = max(earlier, key=lambda x: x[0])[1]
        territory.mentions.append(Mention(match.start(), match.end(), match.group(0), "territory", territory.name, 0.5, "back"))


def _the_council(text: str, actors: list[ActorProposal]) -> None:
    """"La Région finance le programme": the region the article names, when it names one only (the same for "le Département")."""
    taken = [(m.start, m.end) for a in actors for m in a.mentions]
    for match in _THE_COUNCIL.finditer(text):
        kind = "region" if match.group("region") else "department"
        named = [a for a in actors if a.kind == kind]
        if len(named) == 1 and not any(s < match.end() and match.start() < e for s, e in taken):
            named[0].mentions.append(Mention(match.start(), match.end(), match.group(0), kind, named[0].name, 0.5, "back"))


def _cut_at_and(mention: Mention, places: Gazetteer, doc: Any) -> Mention:
    """"la Région Hauts-de-France et France Travail": a name the map does not know ends before " et "."""
    if " et " not in mention.name or (mention.kind in PLACE_KINDS and places.lookup(mention.kind, mention.name)) or _one_name(mention, places, doc):
        return mention
    if mention.kind == "territory" and re.search(r", (?:du|de la|de l['’]|des|d['’]).* et (?:du|de la|de l['’]|des|d['’])", mention.name):
        return mention  # "le territoire du Lunévillois, du Saulnois et du Vermois": one territory named by its parts
    cut = mention.text.index(" et ") if " et " in mention.text else len(mention.text)
    name = mention.name[: mention.name.index(" et ")]
    return Mention(mention.start, mention.start + cut, mention.text[:cut], mention.kind, name, mention.confidence, mention.how)


def _one_name(mention: Mention, places: Gazetteer, doc: Any) -> bool:
    """"la fédération Plasturgie et Composites a signé": after a singular noun, "et" between capitalised words is part of
    the name, unless a known name follows it or the verb after is plural ("la start-up Lhyfe et Engie ont signé")."""
    if "noun" not in mention.extra:
        return False
    after = mention.name.split(" et ", 1)[1]
    if not after[:1].isupper() or _known(after, places):
        return False
    verb = next((t for t in doc if t.idx >= mention.end and (t.pos_ in {"VERB", "AUX"} or t.is_sent_start)), None)
    return verb is None or verb.is_sent_start or not _PLURAL_VERB.search(verb.lower_)


def _rank(mention: Mention) -> int:
    return {"rule": 3, "place": 2, "thing": 1}.get(mention.how, 0)


def _clean(name: str) -> str:
    return " ".join(name.split()).strip(" ,.;:«»\"“”")


def _group_key(mention: Mention) -> tuple[str, str]:
    if mention.kind in PLACE_KINDS or mention.kind == "territory":
        return mention.kind, place_form(mention.name)
    return mention.kind, fold(_clean(mention.name))


def _place_names(text: str, places: Gazetteer) -> list[Mention]:
    """Regions and departments named alone ("en Hauts-de-France", "le Pas-de-Calais")."""
    found = [Mention(m.start(), m.end(), m.group(0), "epci", m.group(0), 0.75, "place") for m in places.epci_names().finditer(text)]
    found += [Mention(m.start(), m.end(), m.group(0), "territory", m.group(0), 0.7, "place") for m in places.territory_names().finditer(text)]
    for match in _AT_PLACE.finditer(text):  # "à Épinal": a commune the map knows
        if places.lookup("commune", match.group("name")):
            found.append(Mention(match.start("name"), match.end("name"), match.group("name"), "commune", match.group("name"), 0.7, "place"))
    for kind in ("region", "department"):
        for key, name in places.names[kind].values():
            if kind == "department" and " " not in name and "-" not in name:
                continue  # "Nord", "Somme", "Loire" need "département du …" (patterns.py)
            for match in re.finditer(rf"(?<![\w-]){_loose(name)}(?![\w-])", text):
                found.append(Mention(match.start(), match.end(), match.group(0), kind, name, 0.85, "place", key))
    return found


def _loose(name: str) -> str:
    """A pattern for a place name written with a space for a hyphen or cut at a line break ("Nouvelle Aquitaine", "Bourgogne-\\nFranche-Comté")."""
    return r"(?:\s*-\s*|\s+)".join(re.escape(w) for w in re.split(r"[\s\-]+", name) if w)


def _entity_mentions(doc: Any, places: Gazetteer) -> list[Mention]:
    found = []
    for ent in doc.ents:
        mention = _entity_mention(doc.text, ent, places) or _recurring_organisation(doc.text, ent, places)
        if mention:
            found.append(mention)
    return found


def _recurring_organisation(text: str, ent: Any, places: Gazetteer) -> Mention | None:
    """"Stellantis" tagged an organisation and named again later: a company, unless it is a place, a known name or an acronym ("COPIL")."""
    name = _clean(ent.text)
    if ent.label_ not in {"ORG", "MISC", "LOC"} or not re.fullmatch(r"[A-ZÉ][\w\-]+(?: [A-ZÉ][\w\-]+)?", name) or len(name) < 4 or name.isupper():
        return None
    found = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    if ent.label_ == "LOC" and (ent.root.pos_ != "PROPN" or places.kind_of(name) or any(_PLACE_WORD_BEFORE.search(text[max(0, at - 12) : at]) for at in found)):
        return None  # a maker's name read as a place, but never written as one ("en Turquie", "la Chine")
    inside = [at for at in found if re.search(r"[\w,’']\s*$", text[max(0, at - 20) : at])]  # "Texte" only ever opens a line
    if len(found) < 2 or not inside or not _person_like(name, places):
        return None
    return Mention(ent.start_char, ent.start_char + len(name), name, "company", name, 0.55, "ner")


def _entity_mention(text: str, ent: Any, places: Gazetteer) -> Mention | None:
    name = _clean(ent.text)
    if not name or not name[0].isupper():
        return None
    if ent.label_ == "PER" and all(_PERSON_WORD.match(w) for w in name.split()) and len(name.split()) <= 4:
        return Mention(ent.start_char, ent.start_char + len(ent.text.rstrip()), ent.text.rstrip(), "person", name, 0.75, "ner")
    if ent.label_ in {"LOC", "GPE"}:
        kind = places.kind_of(name)
        if kind == "region" and fold(name) == "sud":
            return None  # "le Sud": only "la Région Sud" is the region (patterns.py)
        if kind == "department" and " " not in name and "-" not in name:
            return None  # "Nord" of "Nord Franche-Comté": a one-word department needs "département du …"
        if kind == "commune" and not _PLACE_BEFORE.search(text[max(0, ent.start_char - 25) : ent.start_char]):
            return None  # "Mer" in "Lamballe Terre et Mer": a commune is named after "à", "de", "près de"…
        return Mention(ent.start_char, ent.end_char, ent.text, kind, name, 0.7, "ner") if kind else None
    if ent.label_ in {"ORG", "MISC", "PER"} and _COMPANY_AFTER.match(text[ent.end_char : ent.end_char + 60]):
        return Mention(ent.start_char, ent.end_char, ent.text, "company", name, 0.65, "ner")
    return None


def _propose_key(actor: ActorProposal, places: Gazetteer) -> None:
    if actor.kind in PLACE_KINDS:
        found = next((places.lookup(actor.kind, n) for n in [actor.name, *actor.surface_forms] if places.lookup(actor.kind, n)), None)
        if found:
            actor.key, official = found
            actor.name = official
        return
    if actor.kind not in {"company", "territory"}:
        actor.key = slugify(actor.name)[:80].strip("-") or None
