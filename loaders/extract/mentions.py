"""Mentions of actors in a text: where, as which kind, under which name, how sure.

A `Mention` is one place in the text; several mentions of one actor are grouped later
(`loaders.extract.actors`). Text is matched accent-blind through `fold_same_length`, which keeps
every character at its offset so that a match in the folded text is a match in the original.

Example
-------
>>> fold_same_length("l’État à Béthune")
"l'etat a bethune"
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Lexicon", "Mention", "fold_same_length", "lexicon"]

_LEXICON = Path(__file__).with_name("lexicon.yaml")


@dataclass(eq=False)
class Mention:
    """One mention of an actor: offsets in the text, kind, name, confidence and how it was found."""

    start: int
    end: int
    text: str
    kind: str
    name: str
    confidence: float
    how: str = "rule"
    key: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def overlaps(self, other: Mention) -> bool:
        """Whether the two mentions share a character."""
        return self.start < other.end and other.start < self.end


def _fold_char(char: str) -> str:
    if char in "’ʼ‘`":
        return "'"
    base = unicodedata.normalize("NFKD", char)[:1] or char
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold_same_length(text: str) -> str:
    """``text`` in lower case without accents, with straight apostrophes, character for character."""
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True)
class Lexicon:
    """Known names by kind, compiled to one pattern: a match gives (kind, official name, strict)."""

    pattern: re.Pattern[str]
    entries: dict[str, tuple[str, str, bool]]

    def find(self, text: str, folded: str) -> list[Mention]:
        """Every known name in ``text`` (``folded`` is its `fold_same_length`)."""
        found = []
        for match in self.pattern.finditer(folded):
            kind, name, strict = self.entries[" ".join(match.group(0).split())]  # "Premier\nministre" at a line break
            original = text[match.start() : match.end()]
            if strict and not original.lstrip("l'’ ")[:1].isupper():
                continue
            found.append(Mention(match.start(), match.end(), original, kind, name, 0.9))
        return found


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The names of `lexicon.yaml`, longest first so that the longest name wins."""
    import yaml

    data = yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))
    entries: dict[str, tuple[str, str, bool]] = {}
    for kind, items in data.items():
        for item in items:
            for spelling in [item["name"], *item.get("aliases", [])]:
                entries.setdefault(fold_same_length(spelling), (kind, item["name"], bool(item.get("strict"))))
    alternatives = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in sorted(entries, key=len, reverse=True))
    return Lexicon(re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), entries)
