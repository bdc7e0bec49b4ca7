"""Projects, agreements and events: named by a head noun and what the parse attaches to it.

"un accord inédit sur la réindustrialisation", "le contrat de territoire", "une unité de
fabrication de farine animale", "le 3e comité de pilotage des Territoires d'industrie": the head
noun says the kind, its right-hand modifiers in the dependency parse give the name (cut at a
comma, a verb, a passive's agent or a relative clause, at most `MAX_WORDS` words). A head noun
alone names the event of "lors de la signature" and the agreement of "ont signé une convention";
a body named with a day is its meeting ("le conseil national de l'industrie du 5 mars 2024").

Example
-------
>>> import spacy                                                                 # doctest: +SKIP
>>> [m.name for m in find_things(spacy.load("fr_core_news_sm")("Ils signent le contrat de relance."))]  # doctest: +SKIP
['contrat de relance']
"""

from __future__ import annotations

import re
from typing import Any

from loaders.extract.mentions import Mention

__all__ = ["HEADS", "find_things", "meetings"]

MAX_WORDS = 9
HEADS = {
    "agreement": {"contrat", "accord", "convention", "protocole", "pacte", "charte", "feuille de route"},
    "project": {"projet", "usine", "gigafactory", "unité", "site", "implantation", "relocalisation", "extension", "centre", "académie", "campus", "plateforme", "incubateur",
                "reconversion", "requalification", "rénovation", "réhabilitation", "modernisation", "agrandissement",
                "atelier", "ligne", "école", "four", "chaudière", "étude"},
    "event": {"comité", "cérémonie", "assemblée", "conférence", "rencontre", "salon", "inauguration", "séminaire", "forum", "journée", "réunion", "visite", "lancement", "signature", "copil", "mission"},
}  # fmt: skip
_KIND_OF = {head: kind for kind, heads in HEADS.items() for head in heads}
_QUOTED_WORD = re.compile(r"[\"«“]\s*[\w\-’']+\s*[\"»”]")
_TIME_WORDS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui", "demain", "matin", "soir"}
_OCCASION = re.compile(r"\b(?:lors d[eu']|à l['’]occasion d[eu']|assist\w+ à|participé à|présents? à)\s*(?:la |le |l['’])?$", re.IGNORECASE)
_SIGNING = {"signer", "parapher", "conclure"}
_DAY = re.compile(r" du \d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(?: \d{4})?")
_STOP_DEPS = {"acl", "acl:relcl", "punct", "cc", "conj", "appos", "advcl", "parataxis"}


def find_things(doc: Any) -> list[Mention]:
    """Projects, agreements and events named in a parsed article."""
    found = []
    for token in doc:
        kind = _KIND_OF.get(token.lemma_.lower()) or _KIND_OF.get(token.text.lower())
        if kind is None or not _is_noun(token) or "Plur" in token.morph.get("Number"):
            continue  # "des projets", "les contrats" are kinds of things, not one thing
        end = _name_end(token)
        if end - token.i < 2:
            end = _surface_end(token)  # the parse went astray ("projet de chaudière biomasse" read as a verb)
        if end - token.i < 2 and kind == "event" and _OCCASION.search(doc.text[max(0, token.idx - 25) : token.idx]):
            end = token.i + 1  # "lors de la signature": the event the article is about
        elif end - token.i < 2 and kind == "agreement" and token.head.lemma_.lower() in _SIGNING and token.i and doc[token.i - 1].lower_ in {"une", "un"}:
            end = token.i + 1  # "ont signé une convention pour former …": the agreement signed, named by its head noun
        elif end - token.i < 2 or (kind != "agreement" and end - token.i == 2 and token.doc[token.i + 1].pos_ in {"ADJ", "PROPN", "NUM"}):
            continue  # "le projet", "le contrat" alone, "site France" name nothing precise; "accord inédit" is one
        span = doc[token.i : end]
        name = " ".join(_QUOTED_WORD.sub("", span.text).split())  # 'un accord "inédit" X': the quoted comment is no part of the name
        found.append(Mention(span.start_char, span.end_char, span.text, kind, name, 0.5, "thing"))
    return found


def _is_noun(token: Any) -> bool:
    """A noun, or a head word the model reads as an adjective after an article ("la première assemblée générale")."""
    before = token.doc[token.i - 1] if token.i else None
    return token.pos_ == "NOUN" or (token.pos_ in {"ADJ", "VERB"} and before is not None and before.pos_ in {"DET", "ADJ", "NUM"} and before.lower_ != "a")


def meetings(text: str, mentions: list[Mention]) -> list[Mention]:
    """"le conseil national de l'industrie du 5 mars 2024": a body named with a day is its meeting, an event."""
    found = []
    for m in mentions:
        day = _DAY.match(text, m.end) if m.kind in {"statebody", "organisation"} else None
        found.append(Mention(m.start, day.end(), text[m.start : day.end()], "event", f"{m.name}{day.group(0)}", 0.6, "thing") if day else m)
    return found


def _surface_end(head: Any) -> int:
    """The end of "projet de X Y…" read on the surface: "de" and words that are no finite verb, up to a comma, a number or a clause."""
    doc, end = head.doc, head.i + 1
    if end >= len(doc) or doc[end].lower_ not in {"de", "d'", "d’", "du", "des"}:
        return end
    for token in doc[head.i + 1 : head.i + MAX_WORDS]:
        if token.is_punct or token.like_num or token.pos_ in {"AUX", "PRON", "SCONJ", "CCONJ"} or "Fin" in token.morph.get("VerbForm") or _opens_amount(token):
            break
        if token.lower_ in {"de", "d'", "d’", "du", "des"} and token.i + 1 < len(doc) and doc[token.i + 1].like_num:
            break  # "… de 45 millions d'euros"
        end = token.i + 1
    return end if end - head.i > 2 else head.i + 1


def _by_agent(token: Any) -> bool:
    """"portée par", "financé par": a participle that opens the agent of a passive."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.lower_ == "par" and token.lower_.endswith(("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues"))


def _opens_amount(token: Any) -> bool:
    """"à hauteur de 900 000 euros": what follows is the amount, no part of a name."""
    return token.lower_ == "à" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "hauteur"


def _name_end(head: Any) -> int:
    """The index after the last token of the head's right-hand modifiers, cut early at a clause."""
    end = head.i + 1
    for child in head.rights:
        first = head.doc[min(t.i for t in child.subtree)]
        if child.dep_ in _STOP_DEPS or child.pos_ in {"VERB", "AUX", "PRON"} or child.lower_ in _TIME_WORDS or first.lower_ == "avec" or _by_agent(first) or _opens_amount(first):
            break  # "le site vendredi", "un accord avec X", "l'usine portée par X": a day, a partner or an agent is no part of the name
        # "le projet de gigafactory à hauteur de 3 millions": the parse may hang the amount on the name's last noun
        amount_at = next((t.i for t in head.doc[end : max(t.i for t in child.subtree) + 1] if _opens_amount(t)), None)
        stop = max(t.i for t in child.subtree) + 1 if amount_at is None else amount_at
        if any(t.text in {",", ";", ":", "(", ")"} or t.pos_ in {"VERB", "AUX"} for t in head.doc[end:stop]) or stop - head.i > MAX_WORDS:
            break
        end = stop
        if amount_at is not None:
            break
    return end
