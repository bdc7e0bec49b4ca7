"""People's titles: "X, maire de Y", "la ministre de Z X", "X, PDG de W" → HOLDS_ROLE with the title.

A title sits right after the name (after a comma) or right before it. Its holder is the person;
the organisation is the first other actor named inside the title, or, when there is none, the
State body the title implies ("ministre de la Cohésion des territoires" → Ministère de la
Cohésion des territoires; "député" → Assemblée nationale).

Example
-------
>>> find_title("Jean Dupont, maire de Douai, a dit", 0, 11, side="after")
(13, 27, 'maire de Douai')
"""

from __future__ import annotations

import re

__all__ = ["ROLE", "find_title", "implied_body", "role_word_length", "split_titles"]

ROLE = (
    r"(?:[Vv]ice-)?(?:[Pp]résidente?(?:-directeur général|-directrice générale| directeur général)?|[Mm]inistre(?: délégué(?:e)?)?|"
    r"[Pp]réf[eè]te?|[Ss]ous-préf[eè]te?|[Mm]aire(?: adjoint)?|[Dd]irect(?:eur|rice)(?: général(?:e)?(?: délégué(?:e)?)?)?|PDG|CEO|"
    r"[Dd]irigeante?|[Ss]ecrétaire d['’][ÉE]tat|[Dd]éputée?|[Ss]énat(?:eur|rice)|[Rr]esponsable|[Cc]he(?:f|ffe)(?: de projets?| de file)?|"
    r"[Aa]djointe?|[Cc]onseill(?:er|ère)(?: régional(?:e)?| départemental(?:e)?| municipal(?:e)?| communautaire)?|"
    r"[Dd]éléguée?|[Gg]érante?|[Ff]ondat(?:eur|rice)|[Cc]o-?fondat(?:eur|rice)|[Pp]atron(?:ne)?|[Cc]oordinat(?:eur|rice)|"
    r"[Cc]hargée? de mission|[Pp]remier ministre|[Pp]remière ministre)"
)
_AFTER = re.compile(rf"^\s*,\s*(?:(?:l['’]actuel(?:le)?|le|la|l['’]|notre|nouvel(?:le)?|ancien(?:ne)?)\s*)?(?P<title>{ROLE}\b[^,.;:()«»\n]{{0,140}})")
_BEFORE = re.compile(rf"(?P<title>{ROLE}\b[^.;:()«»\n]{{0,140}}?)\s*,?\s*$")
_ROLE = re.compile(rf"\b{ROLE}\b")
_JOINED = re.compile(rf",?\s+et\s+(?={ROLE}\b)|,\s+(?={ROLE}\b)")
_IMPLIED = [
    (re.compile(r"^[Mm]inistre(?: délégué(?:e)?)? (?P<rest>(?:(?:de la|des|du|de|chargée? de|en charge de)\b|de l['’]|d['’]).*)$"), "Ministère {rest}"),
    (re.compile(r"^[Ss]ecrétaire d['’][ÉE]tat (?P<rest>.+)$"), "Secrétariat d'État {rest}"),
    (re.compile(r"^[Pp]réf[eè]te? (?P<rest>(?:de la\b|de l['’]|des\b|du\b|de\b|d['’]).+)$"), "Préfecture {rest}"),
    (re.compile(r"^[Ss]ous-préf[eè]te? (?P<rest>(?:de la\b|de l['’]|des\b|du\b|de\b|d['’]).+)$"), "Sous-préfecture {rest}"),
    (re.compile(r"^[Dd]éputée?\b"), "Assemblée nationale"),
    (re.compile(r"^[Ss]énat(?:eur|rice)\b"), "Sénat"),
    (re.compile(r"^[Pp]remi(?:er|ère) ministre\b"), "Premier ministre"),
]


def find_title(text: str, start: int, end: int, *, side: str = "after") -> tuple[int, int, str] | None:
    """The title of the person named at ``text[start:end]`` on one ``side`` of the name: (start, end, title) or None."""
    if side == "after":
        after = _AFTER.match(text[end : end + 180])
        return _trimmed(text, end + after.start("title"), end + after.end("title")) if after else None
    window = max(0, start - 160)
    last = None
    for role in _ROLE.finditer(text, window, start):
        last = role  # the title closest to the name: "le président de la CA X, Olivier Gacquerre"
    before = _BEFORE.match(text, last.start(), start) if last else None
    return _trimmed(text, before.start("title"), before.end("title")) if before else None


def role_word_length(title: str) -> int:
    """How many characters of the title the role word takes ("secrétaire d'État" of "secrétaire d'État auprès…").

    >>> role_word_length("maire de Douai")
    5
    """
    match = re.match(ROLE, title)
    return match.end() if match else 0


def implied_body(title: str) -> str | None:
    """The State body a title implies, when it names none itself.

    >>> implied_body("ministre de la Cohésion des territoires")
    'Ministère de la Cohésion des territoires'
    """
    for pattern, template in _IMPLIED:
        match = pattern.match(title)
        if match:
            return template.format(**match.groupdict())
    return None


def split_titles(start: int, title: str) -> list[tuple[int, int, str]]:
    """Each title of "président de X et maire de Y", with its offsets.

    >>> split_titles(10, "président de la CA et maire de Douai")
    [(10, 28, 'président de la CA'), (32, 46, 'maire de Douai')]
    """
    parts, offset = [], 0
    for joint in _JOINED.finditer(title):
        parts.append((start + offset, start + joint.start(), title[offset : joint.start()]))
        offset = joint.end()
    parts.append((start + offset, start + len(title), title[offset:]))
    return parts


def _trimmed(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    title = text[start:end]
    cut = re.search(r"\s+(?:qui|a|ont|est|sont|avait|et de|était|se|s['’]|y|lors|depuis|pour|ce|cette|dont|lui|elle|il)\b", title)
    if cut and cut.start() > 3:
        title = title[: cut.start()]
    title = title.rstrip(" ,-–")
    return (start, start + len(title), " ".join(title.split())) if len(title) > 2 else None
