"""The words that give a relationship its type, and how a token is read as one of them.

A trigger is a lemma: a verb's infinitive ("financer", "accompagner") or a noun ("subvention",
"signature"). The small French model tags some verbs as nouns or adverbs: "La Banque des
Territoires finance le territoire" gives "finance" as a noun of lemma "finance", "financent" and
"obtient" as adverbs. A lower-case form of a trigger verb right after what ends a subject (a
noun, a name, a pronoun: "Bpifrance finance", "qui finance"; not "la finance", "X, président
de") is therefore read as that verb, whatever its tag: by the model's lemma when it is the verb, else by the infinitive of a
regular form ("cofinance", "octroient", "investit"). A plural form after the comma that closes an
incise is a verb when what follows opens its object ("X et Y, partenaires du programme, financent le
projet"; not "X, président de"). A past participle is one by its form, whatever its tag: "soutenues
par Bpifrance", tagged a noun or an adjective, is a passive.

Example
-------
>>> sorted(TRIGGERS["FUNDS"])[:3]
['abonder', 'accorder', 'aide']
>>> infinitive("financent"), infinitive("octroie"), infinitive("finances"), infinitive("soutenues")
('financer', 'octroyer', 'financer', 'soutenir')
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["TRIGGERS", "infinitive", "is_noun", "is_participle", "reads_as_verb", "trigger_lemma", "trigger_type"]

TRIGGERS = {
    "FUNDS": {"financer", "bénéficier", "obtenir", "recevoir", "percevoir", "décrocher", "bénéficiaire", "lauréat", "cofinancer", "subventionner", "accorder", "octroyer", "allouer", "débloquer", "verser", "attribuer",
              "abonder", "financement", "subvention", "prêt", "dotation", "aide", "enveloppe", "injecter", "consacrer", "engager", "investir", "mobiliser", "apporter"},
    "SUPPORTS": {"accompagner", "soutenir", "appuyer", "aider", "épauler", "accompagnement", "soutien", "appui"},
    "PILOTS": {"piloter", "animer", "coordonner", "pilotage", "copiloter", "orchestrer", "superviser"},
    "CARRIES": {"porter", "porteur", "développer", "construire", "implanter", "créer", "ouvrir", "lancer", "relocaliser"},
    "SIGNED": {"signer", "parapher", "signature", "signataire", "contractualiser", "conclure"},
    "PARTNER_OF": {"partenariat", "partenaire", "associer", "allier", "coopérer", "collaborer", "collaboration"},
    "TOOK_PART": {"participer", "assister", "présider", "intervenir", "témoigner", "réunir", "inaugurer", "visiter", "présent", "présente", "présents", "présence"},
    "LABELLED": {"labelliser", "labellisé", "label", "retenir", "sélectionner", "rejoindre", "choisir"},
    "COVERS": {"regrouper", "rassembler", "couvrir", "englober", "fédérer"},
}  # fmt: skip
_LEMMA_TYPE = {lemma: rel for rel, lemmas in TRIGGERS.items() for lemma in lemmas}
_VERBS = {lemma for lemma in _LEMMA_TYPE if re.search(r"(?:er|ir|(?<!ai)re)$", lemma)}  # infinitives; "partenaire" is a noun
_FIRST_GROUP = re.compile(r"(?:e|es|ent|ons|ez|ait|aient|era|eront|erait|eraient|é|ée|és|ées)$")
_SECOND_GROUP = re.compile(r"(?:it|issent|issait|ira|iront|irait|i|ie|is|ies)$")
_HELD_PARTICIPLE = re.compile(r"(?<=en)ue?s?$")  # "soutenu", "soutenues", "obtenue", "retenus": the verbs in "-enir"
_Y_STEM = re.compile(r"(?<=[ou])i(?=e)")  # "octroie", "appuient": octroyer, appuyer
_SUBJECT_ENDS = {"qui", "ne", "n'", "n’", "y"}  # "qui finance", "ne finance plus", "y consacre"
_PARTICIPLE_FORM = re.compile(r"(?:é|i|(?<=en)u)e?s?$")  # "financées", "choisie", "soutenues"
# what opens a verb's object: "financent le projet", "soutiennent ces territoires"; not "président de", "présidents des"
_OBJECT_OPENS = {"le", "la", "les", "l'", "l’", "un", "une", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "ensemble", "également", "aussi"}


def infinitive(word: str) -> str | None:
    """The trigger verb a regular form of it belongs to ("cofinancent" → "cofinancer"), else None."""
    word = word.lower()
    candidates = [_FIRST_GROUP.sub("er", _Y_STEM.sub("y", word)), _FIRST_GROUP.sub("er", word), _SECOND_GROUP.sub("ir", word), _HELD_PARTICIPLE.sub("ir", word)]
    return next((c for c in candidates if c in _VERBS), None)


def reads_as_verb(token: Any) -> bool:
    """Whether a token is a trigger verb: tagged as one, or a lower-case form of one right after its subject ("Bpifrance finance", "qui finance")."""
    if token.pos_ in {"VERB", "AUX"}:
        return True
    previous = token.doc[token.i - 1] if token.i else None
    if not token.text.islower() or previous is None:
        return False
    if token.lemma_.lower() in _VERBS:
        return _ends_subject(previous) or _closes_incise(previous)
    # a plural read from the form alone may be a noun after a comma ("X, président de …") unless its object follows
    return infinitive(token.text) is not None and (_ends_subject(previous) or _closes_incise(previous) and (not token.lower_.endswith("ent") or _opens_object(token)))


def _opens_object(token: Any) -> bool:
    """"X et Y, partenaires du programme, financent le projet": the word after the verb opens its object."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.lower_ in _OBJECT_OPENS


def _ends_subject(previous: Any) -> bool:
    """"Bpifrance finance", "la Région et l'État financent", "qui cofinance"; not "la finance", "X, président de"."""
    return previous.pos_ in {"NOUN", "PROPN", "PRON", "X"} or previous.lower_ in _SUBJECT_ENDS


def _closes_incise(previous: Any) -> bool:
    """"X, partenaire du programme, finance": a comma that closes what another comma of the sentence opened."""
    return previous.text == "," and any(t.text == "," for t in previous.sent[: previous.i - previous.sent.start])


def is_noun(token: Any) -> bool:
    """Whether a trigger token is a noun ("l'aide de X", "la signature"), not a verb the model tags as one ("X finance")."""
    return token.pos_ == "NOUN" and not reads_as_verb(token)


def is_participle(token: Any) -> bool:
    """Whether a trigger is a past participle: tagged as one, or written as one and not tagged a finite verb ("soutenues par X")."""
    verb_form = token.morph.get("VerbForm")
    return "Part" in verb_form or ("Fin" not in verb_form and _PARTICIPLE_FORM.search(token.lower_) is not None)


def trigger_lemma(token: Any) -> str | None:
    """The trigger a token is a form of: its lemma, its form, or the infinitive of a verb form ("présidé", "finance" after its subject)."""
    lemma, word = token.lemma_.lower(), token.text.lower()
    if lemma in _LEMMA_TYPE:
        return lemma
    if word in _LEMMA_TYPE:
        return word
    if token.pos_ in {"VERB", "AUX", "ADJ"} or _PARTICIPLE_FORM.search(word) or reads_as_verb(token):
        return infinitive(word)
    return None


def trigger_type(token: Any) -> str | None:
    """The relationship type a token triggers, by lemma, form, or the infinitive of a verb form."""
    lemma = trigger_lemma(token)
    return _LEMMA_TYPE[lemma] if lemma else None
