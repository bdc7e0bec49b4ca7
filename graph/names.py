"""Normalise actor names the way analysts write them, so that variants of one name meet.

A name is folded (case, accents, ligatures), cut into words at spaces, hyphens, dashes,
apostrophes and punctuation, and ``St``/``Ste`` become ``saint``/``sainte``. Its *particles*,
the articles (le, la, les, l', du, de, des, d') and ``et``/``&``, are kept where they stand
between two words of the name, since they tell places apart ("Pont-l'Évêque" is not
"Pont-Évêque"); they are dropped at its start ("Le Havre" is "Havre"), and after a designator
or legal form ("Ville de Brest", "CA du Cotentin"). Known phrases then become one
canonical word: legal forms (``communauté d'agglomération`` → ``ca``), designators
(``Région``, ``Département du``, ``Territoire d'industrie``, ``Ville de``) and the acronyms of
public bodies (``Agence nationale de la cohésion des territoires`` → ``anct``,
``Bpifrance``/``BPI`` → ``bpifrance``). The *core* of a name is what remains without its
legal form and designators: it is how "CA du Cotentin" meets "Communauté d'agglomération du
Cotentin" and "Région Occitanie" meets "Occitanie". These forms are only used to search; a
name is always shown as written.

Example
-------
>>> analyse("Communauté d'agglomération du Cotentin").core
'cotentin'
>>> analyse("CA du Cotentin").forms
frozenset({'ca'})
>>> analyse("Territoire d’industrie Aurillac – Figeac – Rodez").core
'aurillac figeac rodez'
>>> analyse("Pont-l'Évêque").core, analyse("L'Isle-d'Abeau").core
('pont l eveque', 'isle d abeau')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ARTICLES", "KIND_DESIGNATORS", "LEGAL_FORMS", "NameForm", "analyse", "fold_name", "particles", "words"]

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "&": " et "})
_SEPARATORS = re.compile(r"[^0-9a-z]+")
ARTICLES = frozenset({"le", "la", "les", "l", "du", "de", "des", "d", "et"})
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

# Phrases (folded words, articles dropped) and the one word they become, longest first when matched.
LEGAL_FORMS = {
    "communaute agglomeration": "ca", "communaute agglo": "ca", "agglomeration": "ca", "agglo": "ca", "ca": "ca",
    "communaute communes": "cc", "cc": "cc",
    "communaute urbaine": "cu", "cu": "cu",
    "metropole": "metropole", "eurometropole": "metropole",
    "etablissement public territorial": "ept", "ept": "ept",
    "pole equilibre territorial rural": "petr", "petr": "petr",
    "syndicat mixte": "sm",
}  # fmt: skip
ACRONYMS = {
    "agence nationale cohesion territoires": "anct",
    "direction generale entreprises": "dge",
    "direction generale collectivites locales": "dgcl",
    "banque publique investissement": "bpifrance", "bpi france": "bpifrance", "bpi": "bpifrance",
    "banque territoires": "bdt",
    "caisse depots consignations": "cdc", "caisse depots": "cdc",
    "chambre commerce industrie": "cci",
    "chambre metiers artisanat": "cma",
    "agence environnement maitrise energie": "ademe", "agence transition ecologique": "ademe",
    "conseil economique social environnemental": "cese",
    "assemblee communautes france": "adcf",
    "association maires france": "amf",
    "direction regionale economie emploi travail solidarites": "dreets",
    "direction regionale environnement amenagement logement": "dreal",
    "secretariat general affaires regionales": "sgar",
    "direction departementale territoires": "ddt",
    "programme investissements avenir": "pia", "programme investissement avenir": "pia",
    "volontariat territorial entreprise": "vte",
}  # fmt: skip
# Designators that say the kind of actor; only read at the start of a name.
KIND_DESIGNATORS = {
    "region": "region", "conseil regional": "region",
    "departement": "department", "conseil departemental": "department", "conseil general": "department",
    "territoire industrie": "territory",
}  # fmt: skip
# "Ville de X", "Commune de X": only with the "de" that follows, so that Ville-la-Grand stays a name.
_COMMUNE_WORDS = frozenset({"ville", "commune", "mairie"})
_PHRASES = {**ACRONYMS, **LEGAL_FORMS}
_DESIGNATOR_WORDS = frozenset(p.split()[0] for p in KIND_DESIGNATORS)
_FORM_WORDS = frozenset(LEGAL_FORMS.values())
_PHRASE_WORDS = frozenset(_PHRASES.values())  # a particle after one of these joins it to the name: "CCI de Lyon"
_FIRST_WORDS = frozenset(p.split()[0] for p in _PHRASES)
_LONGEST = max(len(p.split()) for p in [*_PHRASES, *KIND_DESIGNATORS])


@dataclass(frozen=True)
class NameForm:
    """The searchable forms of one name.

    ``words``: folded words without articles; ``canon``: words with known phrases made one word,
    and the particles inside the name; ``core``: ``canon`` without legal forms and designators
    (``canon`` if nothing else is left); ``forms``: the legal forms named; ``kinds``: the kinds a
    designator names.
    """

    words: tuple[str, ...]
    canon: str
    core: str
    forms: frozenset[str]
    kinds: frozenset[str]

    @property
    def compact(self) -> str:
        """``core`` without spaces: "Vendée-Centre", "Vendée Centre" and "VendéeCentre" meet."""
        return self.core.replace(" ", "")

    @property
    def core_words(self) -> list[str]:
        """The words of ``core`` without its particles, by which a name written without them is found (not exactly).

        >>> analyse("Pont-l'Évêque").core_words
        ['pont', 'eveque']
        """
        return [w for w in self.core.split() if w not in ARTICLES]


def fold_name(text: str) -> str:
    """Lower-case ``text`` without accents or ligatures.

    >>> fold_name("Cœur d'Ostrevent")
    "coeur d'ostrevent"
    """
    text = text.translate(_LIGATURES)
    if text.isascii():  # nothing to decompose or strip
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _raw_words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(fold_name(text)) if w]


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, saints spelled out, articles dropped.

    >>> words("St-Gildas-des-Bois")
    ('saint', 'gildas', 'bois')
    >>> words("L’Haÿ-les-Roses")
    ('hay', 'roses')
    """
    return _words(_raw_words(text))


def _words(raw: list[str]) -> tuple[str, ...]:
    return tuple(_SAINTS.get(w, w) for w in raw if w not in ARTICLES)


def particles(text: str) -> tuple[str, ...]:
    """The particles ``text`` is written with, in order: what tells namesakes apart once `words` leaves them out.

    Extraction reads them too (`loaders.extract.gazetteer`), to take the communes a name means.

    >>> particles("L'Isle-d'Abeau"), particles("Pont-Évêque")
    (('l', 'd'), ())
    """
    return tuple(w for w in _raw_words(text) if w in ARTICLES)


def _phrase_at(tokens: list[str], start: int, table: Mapping[str, str], longest: int) -> tuple[str, int] | None:
    """The phrase of ``table`` that begins at ``tokens[start]``, particles inside it skipped, and the position after it."""
    found: list[tuple[str, int]] = []
    for position in range(start, len(tokens)):
        if len(found) == longest:
            break
        if tokens[position] not in ARTICLES:
            found.append((tokens[position], position + 1))
    for size in range(len(found), 0, -1):
        phrase = " ".join(word for word, _ in found[:size])
        if phrase in table:
            return table[phrase], found[size - 1][1]
    return None


def _replace_phrases(tokens: list[str], table: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        phrase = _phrase_at(tokens, i, table, _LONGEST) if tokens[i] in _FIRST_WORDS else None
        if phrase is None:
            out.append(tokens[i])
            i += 1
        else:
            out.append(phrase[0])
            i = phrase[1]
    return out


def _leading_kind(raw: list[str], tokens: list[str]) -> tuple[str | None, list[str]]:
    """The kind a leading designator names, and the words after it (if any words remain)."""
    if len(raw) > 2 and raw[0] in _COMMUNE_WORDS and raw[1] in ("de", "d"):
        return "commune", tokens[1:]
    if _DESIGNATOR_WORDS.isdisjoint(tokens):
        return None, tokens
    first = next((i for i, w in enumerate(tokens) if w not in ARTICLES), len(tokens))
    found = _phrase_at(tokens, first, KIND_DESIGNATORS, 3)
    if found and any(w not in ARTICLES for w in tokens[found[1] :]):
        return found[0], tokens[found[1] :]
    return None, tokens


def _name_words(tokens: list[str]) -> list[str]:
    """``tokens`` less the particles that are not between two words of the name: first, last, after a legal form or acronym.

    >>> _name_words(["de", "pont", "l", "eveque", "la"]), _name_words(["cci", "de", "lyon"])
    (['pont', 'l', 'eveque'], ['cci', 'lyon'])
    """
    if ARTICLES.isdisjoint(tokens):
        return tokens
    last = max((i for i, word in enumerate(tokens) if word not in ARTICLES), default=-1)
    kept: list[str] = []
    before = None  # the word before the particles
    for i, word in enumerate(tokens):
        if word not in ARTICLES:
            before = word
        elif before is None or before in _PHRASE_WORDS or i > last:
            continue
        kept.append(word)
    return kept


def analyse(text: str) -> NameForm:
    """The searchable forms of a name (see `NameForm`).

    >>> form = analyse("Région Hauts-de-France")
    >>> form.core, sorted(form.kinds)
    ('hauts de france', ['region'])
    >>> analyse("ANCT").canon == analyse("Agence nationale de la cohésion des territoires").canon
    True
    """
    raw = _raw_words(text)
    tokens = [_SAINTS.get(w, w) for w in raw]
    kind, rest = _leading_kind(raw, tokens)
    canon = _name_words(_replace_phrases(rest, _PHRASES))
    forms = frozenset(w for w in canon if w in _FORM_WORDS)
    core = _name_words([w for w in canon if w not in forms]) if forms else canon
    if core:  # "Toulouse Métropole" and "Métropole de Toulouse", "CA Agglomération du Choletais" and "CA du Choletais" meet
        canon = [*sorted(forms), *core]
    kinds = frozenset([kind] if kind else [])
    return NameForm(tuple(w for w in tokens if w not in ARTICLES), " ".join(canon), " ".join(core or canon), forms, kinds)
