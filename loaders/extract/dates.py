"""Dates in French text, absolute or relative, resolved against the article's date.

"le 12 mars 2024" is 2024-03-12; "le 12 mars" takes the article's year (the year before when
that would put it well after the article); "mardi dernier" is the last Tuesday before the
article; "en 2023" is 2023, "en mars 2023" is 2023-03; "l'an dernier" and "il y a six ans" count
back from the article. Without an article date, relative dates are left out.

Example
-------
>>> from datetime import date
>>> [d.value for d in find_dates("Signé mardi dernier, en 2023 puis le 12 mars.", date(2024, 5, 2))]
['2024-04-30', '2023', '2024-03-12']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "find_dates", "parse_article_date"]

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}  # fmt: skip
DAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_NUMBERS = {"un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10}
_M = "|".join(MONTHS)
_D = "|".join(DAYS)
_PATTERNS = [
    ("iso", r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    ("numeric", r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})\b"),
    ("day_month", rf"\b(?:(?:{_D})\s+)?(?P<d>1er|\d{{1,2}})\s+(?P<month>{_M})(?:\s+(?P<y>(?:19|20)\d{{2}}))?\b"),
    ("month_year", rf"\b(?:en|de|d['’]|depuis|dès)\s*(?P<month>{_M})\s+(?P<y>(?:19|20)\d{{2}})\b"),
    ("weekday", rf"\b(?P<wd>{_D})\s+(?P<rel>dernier|prochain)\b"),
    ("year", r"\b(?:en|depuis|dès|début|fin|courant|d['’]ici)\s+(?P<y>(?:19|20)\d{2})\b"),
    ("relative_year", r"\b(?P<rel>l['’]an dernier|l['’]année dernière|l['’]an passé|cette année|l['’]année prochaine|l['’]an prochain)\b"),
    ("years_ago", r"\bil y a (?P<n>\d+|" + "|".join(_NUMBERS) + r") ans\b"),
    ("yesterday", r"\b(?P<rel>hier|aujourd['’]hui|avant-hier)\b"),
]  # fmt: skip
_DATES = re.compile("|".join(f"(?P<{name}>{pattern.replace('(?P<', f'(?P<{name}_')})" for name, pattern in _PATTERNS), re.IGNORECASE)
_YEAR_SHIFT = {"l'an dernier": -1, "l'année dernière": -1, "l'an passé": -1, "cette année": 0, "l'année prochaine": 1, "l'an prochain": 1}


@dataclass(frozen=True)
class DateMention:
    """A date in the text: where it is and its ISO value ("2024-03-12", "2024-03" or "2024")."""

    start: int
    end: int
    text: str
    value: str


def parse_article_date(text: str | None) -> date | None:
    """The article's date from an ISO string ("2024-03-12"); None when absent.

    >>> parse_article_date("2024-03-12")
    datetime.date(2024, 3, 12)
    """
    if not text:
        return None
    return date.fromisoformat(text)


def find_dates(text: str, article: date | None = None) -> list[DateMention]:
    """Every date in ``text``, resolved against the article's date when relative."""
    found = []
    for match in _DATES.finditer(text):
        name = match.lastgroup or ""
        groups = {k[len(name) + 1 :]: v for k, v in match.groupdict().items() if k.startswith(name + "_") and v}
        value = _resolve(name, groups, article)
        if value:
            found.append(DateMention(match.start(), match.end(), match.group(0), value))
    return found


def _resolve(name: str, g: dict[str, str], article: date | None) -> str | None:
    if name in {"iso", "numeric"}:
        return _iso(int(g["y"]), int(g["m"]), int(g["d"]))
    if name == "day_month":
        return _day_month(g, article)
    if name == "month_year":
        return f"{int(g['y']):04d}-{MONTHS[g['month'].lower()]:02d}"
    if name == "year":
        return g["y"]
    if article is None:
        return None
    if name == "weekday":
        return _weekday(DAYS[g["wd"].lower()], g["rel"].lower() == "prochain", article).isoformat()
    if name == "relative_year":
        return str(article.year + _YEAR_SHIFT[g["rel"].lower().replace("’", "'")])
    if name == "years_ago":
        n = g["n"].lower()
        return str(article.year - (int(n) if n.isdigit() else _NUMBERS[n]))
    shift = {"hier": 1, "avant-hier": 2}.get(g["rel"].lower(), 0)
    return (article - timedelta(days=shift)).isoformat()


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _day_month(g: dict[str, str], article: date | None) -> str | None:
    day = 1 if g["d"].lower() == "1er" else int(g["d"])
    month = MONTHS[g["month"].lower()]
    if g.get("y"):
        return _iso(int(g["y"]), month, day)
    if article is None:
        return None
    year = article.year
    if (month, day) > (article.month, article.day) and month - article.month > 2:
        year -= 1  # "le 18 décembre" in a January article is last December
    return _iso(year, month, day)


def _weekday(weekday: int, following: bool, article: date) -> date:
    if following:
        return article + timedelta(days=(weekday - article.weekday() - 1) % 7 + 1)
    return article - timedelta(days=(article.weekday() - weekday - 1) % 7 + 1)
