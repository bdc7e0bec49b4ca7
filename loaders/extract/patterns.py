"""The programme's own ways of naming actors, as patterns over the text.

"Communauté de communes du X", "CA du Y", "Territoire d'industrie X", "le territoire X-Y",
"la région X", "le département du X", "ministère de X", "préfecture de X", funds ("Fonds chaleur"),
actors announced by a noun that says what they are (`DESCRIPTORS`: "l'entreprise X", "la PME
familiale X", "l'association X", "le pôle de compétitivité X", "l'agence X", "l'agence immobilière
X" a company; "la Fondation X", the noun written with a capital, is part of the name; a plural noun
announces a list, "les associations X et Y"; the noun alone, `NOUN_ALONE`, refers back to X) and
people next to their title ("le préfet du Doubs, Rémi Bastille", "Rémi Bastille, préfet du Doubs").

Example
-------
>>> [(m.kind, m.name) for m in find_pattern_mentions("La CA du Grand Chalon et le territoire Flandre-Audomarois.")]
[('epci', 'CA du Grand Chalon'), ('territory', 'Flandre-Audomarois')]
>>> [(m.kind, m.name) for m in find_pattern_mentions("L'association Initiative Béthune accompagne les créateurs.")]
[('organisation', 'Initiative Béthune')]
>>> [(m.name, m.extra) for m in find_pattern_mentions("Les clusters Aerospace Valley et Minalogic.")]
[('Aerospace Valley', {'noun': 'cluster'}), ('Minalogic', {'noun': 'cluster'})]
"""

from __future__ import annotations

import itertools
import re

from graph.keys import fold
from loaders.extract.mentions import Mention
from loaders.extract.roles import ROLE

__all__ = ["DESCRIPTORS", "NAME", "NOUN_ALONE", "NOUN_PHRASE", "QUALIFIED_NAME", "find_pattern_mentions", "head_noun"]

_UP = "A-ZÉÈÊÀÂÎÔÛÇŒ"
_WORD = rf"[{_UP}][\w’'\-]*"
_LINK = r"(?:(?:et|de|du|des|la|le|les|en|sur|sous|lès|lez|l['’]|d['’])\s?)"
NAME = rf"{_WORD}(?:[ \u00a0\u202f\-]{_LINK}*{_WORD})*"
_OF = r"(?:du |de la |de l['’]|des |de |d['’])?"
_EPCI = r"(?:[Cc]ommunauté (?:de [Cc]ommunes|d['’][Aa]gglomération|[Uu]rbaine)|[Mm]étropole|CC|CA|CU|[Aa]gglomération)"
# an agency that says it sells a service is a business: "l'agence immobilière X", "l'agence web X"
_BUSINESS_AGENCY = (
    r"immobilières?|de communication|de voyages?|d['’]intérim|de travail temporaire|de publicité|publicitaires?|web|digitales?"
    r"|de marketing|de design|de graphisme|d['’]architecture|d['’]architectes|de recrutement|de location|de presse|de notation"
    r"|bancaires?|d['’]assurances?|é(?:vé|vè)nementielles?|de relations presse|de traduction|matrimoniales?"
)
# the noun that says what an actor is, right before its name, gives its kind ("l'association Initiative Béthune")
DESCRIPTORS = {
    "company": (
        "entreprises?", "sociétés?", "groupe", "PME", "ETI", "TPE", "start-up", "startup", "jeunes? pousses?", "usine", "industriel",
        "fabricant", "équipementier", "constructeur", "verrerie", "fonderie", "papeterie", "laboratoire", "sous-traitant", "leader",
        "spécialiste", "filiale", "cabinet(?: de conseil| d['’]études| d['’]audit)?", "bureau d['’]études", "coopératives?", "SCOP", "firme",
        rf"agences? (?:{_BUSINESS_AGENCY})",
    ),
    "organisation": (
        "associations?(?: d['’]entreprises)?", "fondations?(?: d['’]entreprises?)?", "fédérations?", "syndicats?", "pôles? de compétitivité",
        "clusters?", "réseaux?(?: d['’]entreprises)?", "collectifs?", "clubs?(?: d['’]entreprises)?", "groupements?(?: d['’]employeurs| d['’]entreprises)?",
        "instituts?",
    ),
    "operator": (rf"agences?(?! (?:{_BUSINESS_AGENCY})\b)(?: de développement(?: économique)?| régionale de développement| d['’]attractivité)?",),
}  # fmt: skip

_JOINED_NAMES = rf"{NAME}(?:[ \u00a0][–—-][ \u00a0]{NAME})*"  # "Fougères – Vitré", "Flandre - Saint-Omer"
# what a company is said to be, after its name: "Nacon, concepteur de manettes"
_DESCRIBED_AS = r"concepteur|conceptrice|fabricant|spécialiste|leader|équipementier|constructeur|producteur|sous-traitant|filiale|fleuron|industriel"
# a word that qualifies the noun ends as an adjective does, not as the verb a sentence goes on with:
# "le sous-traitant automobile X", "le groupe lyonnais X", "la PME familiale X", "le syndicat patronal X";
# not "l'association accompagne X", "la société emploie X", "le groupe crée X", "le syndicat appelle X à"
_ADJECTIVE_END = (
    r"(?:a(?:ls?|les?|ux)|(?<!p)el(?:le)?s?|iens?|iennes?|éens?|éennes?|ais|aises?|ois|oises?|ains?|aines?|ands?|(?<!dem)(?<!mm)andes?"
    r"|ons?|(?<=[tlnch])onnes?|ans?|anes?|ats?|ins?|(?<!expl)(?<!ind)(?<!fabr)(?<!commun)(?<!appl)(?<!impl)iques?|ifs?|ives?|aires?"
    r"|eux|euses?|(?<!o)iles?|ols?|oles?|iers?|ières?|(?<!cr)é(?:e|s|es)?|ants?|antes?|[ai]bles?|(?<![sx])istes?|(?<!g)ards?|(?<!g)ardes?)"
)
_QUALIFIER = (
    r"(?!(?:de|du|des|la|le|les|et|a|est|va|qui|en|à|au|aux|dont|sur|pour|avec|par)\b)"
    rf"(?:[a-zàâçéèêëîïôûù\-]+?{_ADJECTIVE_END}|belges?|suisses?|russes?|tchèques?|basques?|corses?|turcs?|grecs?)"
)
# the chambers of commerce, of trades and of agriculture are named by their place: "la chambre d'agriculture du Nord"
_CHAMBERS = (
    r"[Cc]hambre (?:régionale )?de commerce et d['’]industrie|[Cc]hambre (?:régionale )?de métiers(?: et de l['’]artisanat)?"
    r"|[Cc]hambre (?:régionale |départementale |interdépartementale )?d['’]agriculture"
)
# a person's name: first names (compound ones too) and a surname that may begin with a particle
PERSON = (
    r"(?:[A-ZÉÈ][a-zàâçéèêëîïôûüÿ]+(?:-[A-ZÉÈ][a-zàâçéèêëîïôûüÿ]+)?)"
    r"(?:\s+(?:de\s+|d['’]|[Dd]e\s+[Ll]a\s+|[Ll]e\s+|[Ll]a\s+|[Dd]u\s+|[Vv]an\s+|[Vv]on\s+)?[A-ZÉÈ][a-zàâçéèêëîïôûüÿ'’]+(?:-[A-ZÉÈ][a-zàâçéèêëîïôûüÿ]+)?){1,2}"
)


def _described(nouns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """"l'association X" names X ("d'entreprises X" qualifies the noun before it); "la Fondation X", a capital after an article, names "Fondation X"."""
    after = rf"\s+(?:{_QUALIFIER}\s+)?"
    titled = "|".join(noun[0].upper() + noun[1:] for noun in nouns if noun[0].islower())
    return [
        re.compile(rf"(?<![Dd]['’])\b(?P<noun>{'|'.join(nouns)}){after}(?:[«\"“]\s*)?(?P<name>{NAME})"),
        re.compile(rf"(?:\b[Ll]['’]\s?|\b(?:[Ll]a|[Ll]e|[Ll]es|[Uu]ne?|[Dd]u|[Dd]es|[Aa]ux?)\s+)(?P<name>(?P<noun>{titled}){after}{_OF}{NAME})"),
    ]


_NOUNS = "|".join(noun for nouns in DESCRIPTORS.values() for noun in nouns)
# a descriptor noun and the word that may qualify it, as lists write it between two names: "X et la start-up Y"
NOUN_PHRASE = rf"(?:{_NOUNS})(?:\s+{_QUALIFIER})?"
# a name after a noun, past the word that qualifies it: "l'entreprise familiale Verallia" names Verallia, no company named before
QUALIFIED_NAME = rf"[ \u00a0]+{_QUALIFIER}[ \u00a0]+(?:[«\"“]\s*)?[{_UP}]"
# the noun alone after "le", "la", "l'", "ce", "cette": "l'association", "le cluster", "l'agence"; not before a name, a
# complement or an adjective ("l'association des maires", "le réseau électrique", "le syndicat mixte")
NOUN_ALONE = re.compile(
    rf"(?:\b[Ll]['’]\s?|\b(?:[Ll][ae]|[Cc]ette|[Cc]et|[Cc]e)\s+)(?P<noun>{_NOUNS})\b(?![ \u00a0]*(?:[«\"“]|[{_UP}]|d['’]|(?:de|du|des)\b)|[ \u00a0]+{_QUALIFIER}\b)"
)
_PLURAL_BEFORE = re.compile(r"\b(?:les|des|aux|ces|ses|leurs|nos|plusieurs|deux|trois|quatre|cinq|six)\s+$", re.IGNORECASE)
_MORE_NAMES = re.compile(rf",\s*(?P<name>{NAME})")
_AND = re.compile(r"\s+et\s+")
# what ends a list with no "et": a verb in the third person plural ("ont", "recrutent"; not "soutient"), a plural
# participle after a comma (", soutenues par"), "…", "etc.", ")"
_LIST_ENDS = re.compile(r"\s*(?:…|\.\.\.|,?\s*etc\b|\)|,\s*[a-zàâçéèêëîïôûù]+(?:ées|és|ues)\b|(?:ne |n['’])?[a-zàâçéèêëîïôûù]*(?:ont|(?<!ti)(?<!vi)ent)\b)")


def head_noun(noun: str) -> str:
    """The noun an actor is named with, as later mentions write it alone.

    >>> head_noun("Pôles de compétitivité"), head_noun("réseaux d'entreprises")
    ('pole', 'reseau')
    """
    return re.sub(r"(?<!s)[sx]$", "", fold(noun.split()[0]))


_RULES: list[tuple[str, re.Pattern[str], float]] = [
    ("epci", re.compile(rf"\b{_EPCI}\s+{_OF}\s*{NAME}"), 0.85),
    ("territory", re.compile(rf"\b[Tt]erritoires? d['’][Ii]ndustrie\s+(?:[«\"“]\s*)?(?:{_OF}\s*)(?P<name>{_JOINED_NAMES})"), 0.85),
    # "le territoire du Lunévillois, du Saulnois et du Vermois": one territory named by its parts
    ("territory", re.compile(rf"\b(?:le|du|au) territoire {_OF}(?P<name>{_JOINED_NAMES}(?:(?:,| et) (?:du |de la |de l['’]|des |d['’]){NAME})*)"), 0.6),
    ("territory", re.compile(rf"(?P<name>{NAME}),?\s+(?:labellisée?s?|retenue?s?|sélectionnée?s?)\s+(?:«\s*)?[Tt]erritoires? d['’][Ii]ndustrie"), 0.7),
    ("region", re.compile(rf"\b(?:[Rr]égions?|[Cc]onseil régional) {_OF}(?P<name>{NAME})"), 0.9),
    ("department", re.compile(rf"\b(?:[Dd]épartement|[Cc]onseil départemental) {_OF}(?P<name>{NAME})"), 0.9),
    ("statebody", re.compile(rf"\b[Mm]inistère (?:de la |de l['’]|des |du |de ){_WORD}(?:,? (?:et )?(?:de la |de l['’]|des |du |de )[\w’'\-]+){{0,3}}"), 0.8),
    ("statebody", re.compile(rf"\b(?:[Pp]réfecture|[Ss]ous-préfecture) {_OF}(?:région )?{NAME}"), 0.8),
    *((kind, pattern, 0.6) for kind, nouns in DESCRIPTORS.items() for pattern in _described(nouns)),
    ("company", re.compile(rf"(?P<name>{NAME}),\s+(?:(?:le|la|l['’]|un|une)\s*)?(?:{_DESCRIBED_AS})\b"), 0.6),
    ("organisation", re.compile(rf"\b(?:CCI|CMA|{_CHAMBERS})(?:\s+(?:de la|des|du|de)\s+|\s+(?:de l|d)['’]\s*|\s+){NAME}"), 0.8),
    ("programme", re.compile(r"\bFonds (?:[a-zàâçéèêëîïôûù]{4,}|[A-Z][\w\-]+)\b(?! d[eu']| des)"), 0.7),
    ("person", re.compile(rf"\b{ROLE}\b[^,.;:()«»\n]{{0,90}}?,\s+(?P<name>{PERSON})(?=\s*[,.;:)]|\s+(?:a|est|était|qui|et|assure|affirme|explique|indique|précise|rappelle|souligne)\b)"), 0.8),
    ("person", re.compile(rf"(?P<name>{PERSON}),\s+(?:(?:l['’]actuel(?:le)?|le|la|l['’]|nouvel(?:le)?|ancien(?:ne)?)\s*)?{ROLE}\b"), 0.8),
]


def find_pattern_mentions(text: str) -> list[Mention]:
    """Mentions found by the programme's naming patterns, in text order."""
    found = []
    for kind, pattern, confidence in _RULES:
        for match in pattern.finditer(text):
            if "noun" in pattern.groupindex:
                found += _described_mentions(text, kind, match, confidence)
                continue
            group = "name" if "name" in pattern.groupindex else 0
            start, end = match.span(group)
            start, end = _trim(text, start, end)
            if end > start:
                name = _official_form(kind, text[match.start() : end] if group == 0 else text[start:end])
                span_start = match.start() if group == 0 else start
                found.append(Mention(span_start, end, text[span_start:end], kind, name, confidence))
    return found


def _described_mentions(text: str, kind: str, match: re.Match[str], confidence: float) -> list[Mention]:
    """"l'association X" names X; "les associations X, Y et Z", a plural noun, names each; each keeps its noun."""
    spans = _members(text, *match.span("name")) if _plural(text, match) else [_trim(text, *match.span("name"))]
    noun = head_noun(match.group("noun"))
    return [Mention(start, end, text[start:end], kind, text[start:end], confidence, extra={"noun": noun}) for start, end in spans if end > start]


def _plural(text: str, match: re.Match[str]) -> bool:
    """"les associations X", "des PME X": the noun before the name, not in it ("les Fondations X"), is plural."""
    if match.start("noun") == match.start("name"):
        return False
    return match.group("noun").split()[0][-1] in "sx" or _PLURAL_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None


def _members(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of "X, Y et Z" after a plural noun, up to a name an article opens ("X et la Région Y": X); commas
    join names only in a list that "et" closes, or that a plural verb, "…" or a parenthesis ends ("les start-up Lhyfe,
    McPhy, Genvia recrutent"; not "les entreprises Lhyfe, Jean Dupont a dit": Lhyfe)."""
    spans: list[tuple[int, int]] = []
    while not _AND.search(text, start, end) and (more := _MORE_NAMES.match(text, end)):
        spans.append((start, end))
        start, end = more.span("name")
    if not _AND.search(text, start, end):
        closed = spans and _LIST_ENDS.match(text, end)
        return [_trim(text, *span) for span in ([*spans, (start, end)] if closed else [(spans or [(start, end)])[0]])]
    bounds = [start, *(at for cut in _AND.finditer(text, start, end) for at in cut.span()), end]
    spans += itertools.takewhile(lambda span: text[span[0]].isupper(), zip(bounds[::2], bounds[1::2]))
    return [_trim(text, a, b) for a, b in spans]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing particles and punctuation ("… de la" at the end of a name)."""
    span = text[start:end]
    trimmed = re.sub(rf"(?:[\s\-]+{_LINK}*)+$", "", span).rstrip(" -’'")
    return start, start + len(trimmed)


def _official_form(kind: str, name: str) -> str:
    if kind == "statebody":
        return name[0].upper() + name[1:]
    return name
