"""Normalise actor names the way analysts write them, so that variants of one name meet.

A name is folded (case, accents, ligatures), cut into words at spaces, hyphens, dashes,
apostrophes and punctuation, ``St``/``Ste`` become ``saint``/``sainte``, and the articles
(le, la, les, l', du, de, des, d') and ``et``/``&`` are dropped. Known phrases then become one
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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["KIND_DESIGNATORS", "LEGAL_FORMS", "NameForm", "analyse", "fold_name", "words"]

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
_FIRST_WORDS = frozenset(p.split()[0] for p in _PHRASES)
_LONGEST = max(len(p.split()) for p in [*_PHRASES, *KIND_DESIGNATORS])


@dataclass(frozen=True)
class NameForm:
    """The searchable forms of one name.

    ``words``: folded words without articles; ``canon``: words with known phrases made one word;
    ``core``: ``canon`` without legal forms and designators (``canon`` if nothing else is left);
    ``forms``: the legal forms named; ``kinds``: the kinds a designator names.
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


def fold_name(text: str) -> str:
    """Lower-case ``text`` without accents or ligatures.

    >>> fold_name("Cœur d'Ostrevent")
    "coeur d'ostrevent"
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
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


def _replace_phrases(tokens: list[str], table: dict[str, str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _FIRST_WORDS:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in table:
                out.append(table[phrase])
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _leading_kind(raw: list[str], tokens: list[str]) -> tuple[str | None, list[str]]:
    """The kind a leading designator names, and the words after it (if any words remain)."""
    if len(raw) > 2 and raw[0] in _COMMUNE_WORDS and raw[1] in ("de", "d"):
        return "commune", tokens[1:]
    for size in range(min(3, len(tokens) - 1), 0, -1):
        phrase = " ".join(tokens[:size])
        if phrase in KIND_DESIGNATORS:
            return KIND_DESIGNATORS[phrase], tokens[size:]
    return None, tokens


def analyse(text: str) -> NameForm:
    """The searchable forms of a name (see `NameForm`).

    >>> form = analyse("Région Hauts-de-France")
    >>> form.core, sorted(form.kinds)
    ('hauts france', ['region'])
    >>> analyse("ANCT").canon == analyse("Agence nationale de la cohésion des territoires").canon
    True
    """
    raw = _raw_words(text)
    tokens = list(_words(raw))
    kind, rest = _leading_kind(raw, tokens)
    canon = _replace_phrases(rest, _PHRASES)
    forms = frozenset(w for w in canon if w in LEGAL_FORMS.values())
    core = [w for w in canon if w not in forms]
    if core:  # "Toulouse Métropole" and "Métropole de Toulouse", "CA Agglomération du Choletais" and "CA du Choletais" meet
        canon = [*sorted(forms), *core]
    kinds = frozenset([kind] if kind else [])
    return NameForm(tuple(tokens), " ".join(canon), " ".join(core or canon), forms, kinds)
