"""French amounts of money in a text, turned into euros.

Handles digits with French separators ("1 234 567 €", "1,5 M€", "382 millions d'euros",
"1,36 milliard"), a few numbers in words ("cinq millions d'euros") and the usual
abbreviations (k€, M€, Md€, Mds€). An amount needs a currency word or sign, or a scale word
(million, milliard) followed by "d'euros" somewhere close, so that "18 territoires" or
"550 emplois" are never read as money.

Example
-------
>>> [a.euros for a in find_amounts("Bpifrance apporte 1,5 M€ et l'État 382 millions d'euros.")]
[1500000.0, 382000000.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Amount", "find_amounts", "parse_number"]

_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
}  # fmt: skip
_SCALES = {
    "k": 1e3, "k€": 1e3, "millier": 1e3, "milliers": 1e3, "m": 1e6, "m€": 1e6, "million": 1e6,
    "millions": 1e6, "md": 1e9, "mds": 1e9, "md€": 1e9, "mds€": 1e9, "mrd": 1e9, "milliard": 1e9,
    "milliards": 1e9,
}  # fmt: skip
_NUMBER = r"(?P<number>\d{1,3}(?:[\s\u202f\u00a0.]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?|" + "|".join(_WORDS) + r")"
_SCALE = r"(?:\s*(?P<scale>milliards?|millions?|milliers?|mds?|mrd|md|k|m)\b\.?)?"
_CURRENCY = r"(?P<currency>\s*(?:€|euros?\b|d['’]\s?euros?\b|eur\b))?"
_AMOUNT = re.compile(r"(?<![\w,.])" + _NUMBER + _SCALE + _CURRENCY, re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """An amount found in a text: where it is, how it is written, its value in euros."""

    start: int
    end: int
    text: str
    euros: float


def parse_number(text: str) -> float:
    """A French number written with digits or in words.

    >>> parse_number("1 234 567"), parse_number("1,36"), parse_number("cinq")
    (1234567.0, 1.36, 5.0)
    """
    lowered = text.lower()
    if lowered in _WORDS:
        return float(_WORDS[lowered])
    digits = re.sub(r"[\s\u202f\u00a0]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        digits = digits.replace(".", "")
    return float(digits.replace(",", "."))


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in ``text``, in order.

    >>> [(a.text, a.euros) for a in find_amounts("un budget de 1 234 567 € et 2,5 milliards d'euros")]
    [('1 234 567 €', 1234567.0), ("2,5 milliards d'euros", 2500000000.0)]
    """
    found = []
    for match in _AMOUNT.finditer(text):
        amount = _amount(text, match)
        if amount:
            found.append(amount)
    return found


def _amount(text: str, match: re.Match[str]) -> Amount | None:
    scale_word = (match.group("scale") or "").lower()
    currency = match.group("currency")
    if not currency and not (scale_word and _euros_follow(text, match.end())):
        return None
    if not currency and scale_word in {"k", "m"}:
        return None
    try:
        value = parse_number(match.group("number"))
    except ValueError:
        return None
    end = match.end()
    shown = text[match.start() : end].rstrip()
    euros = value * _SCALES.get(scale_word, 1.0)
    return Amount(match.start(), match.start() + len(shown), shown, euros) if euros else None


def _euros_follow(text: str, end: int) -> bool:
    """Whether the scale word is followed by euros within a few words ("1,36 milliard annoncé" is not)."""
    return bool(re.match(r"\s*(?:\(?[\w’']+\)?\s+){0,2}?(?:d['’]\s?)?euros?\b", text[end : end + 40], re.IGNORECASE))
