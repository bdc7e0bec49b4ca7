"""Read an article to extract from: plain text or an HTML page, from a file or stdin.

Every bad input stops here with one `LoaderError` naming the file: an empty file, a binary file,
a text over `MAX_BYTES`, an HTML page with no article text. An HTML page is reduced to its
article text (trafilatura: scripts, menus and footers go), and gives its title, date and URL
when the command line does not.

Example
-------
>>> article = read_article_bytes(b"La Banque des Territoires finance le projet.", "note.txt")
>>> article.text, article.french_share > 0.2
('La Banque des Territoires finance le projet.', True)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import LoaderError

__all__ = ["MAX_BYTES", "Article", "read_article", "read_article_bytes"]

MAX_BYTES = 1_000_000
_FRENCH = {
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "au", "aux", "pour", "par", "sur",
    "dans", "avec", "qui", "que", "ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "il", "elle",
    "ils", "nous", "vous", "a", "ont", "été", "être", "pas", "plus", "ne", "se", "d", "l", "qu", "où",
    "mais", "ou", "donc",
}
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml)|<(?:p|div|article|script)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """The text of an article and what is known of it (title, ISO date, URL, publisher)."""

    name: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None

    @property
    def french_share(self) -> float:
        """The share of the words that are common French words (about 0.3 to 0.5 for French prose)."""
        words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", self.text.lower())
        return sum(w in _FRENCH for w in words) / len(words) if words else 0.0

    def with_defaults(self, **values: str | None) -> Article:
        """This article with the given fields filled where the command line left them empty."""
        return replace(self, **{k: v for k, v in values.items() if v and not getattr(self, k)})


def read_article(path: str | Path, **meta: str | None) -> Article:
    """Read the article at ``path`` ("-" for stdin); ``meta`` gives title, date, url, publisher."""
    if str(path) == "-":
        data, name = sys.stdin.buffer.read(MAX_BYTES + 1), "stdin"
    else:
        try:
            with open(path, "rb") as handle:
                data, name = handle.read(MAX_BYTES + 1), str(path)
        except OSError as exc:
            raise LoaderError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    return read_article_bytes(data, name, **meta)


def read_article_bytes(data: bytes, name: str, **meta: str | None) -> Article:
    """Check and decode the bytes of an article; HTML is reduced to its article text."""
    if len(data) > MAX_BYTES:
        raise LoaderError(f"{name}: more than {MAX_BYTES // 1_000_000} MB; an article is expected: pass one article at a time.")
    if not data.strip():
        raise LoaderError(f"{name}: the file is empty; expected the text of an article.")
    text = _decode(data, name)
    article = Article(name, text, **meta)
    if name.lower().endswith((".html", ".htm")) or _HTML.search(text[:2000]):
        article = _from_html(article)
    if not article.text.strip():
        raise LoaderError(f"{name}: no article text found in the page.")
    return article


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise LoaderError(f"{name}: a binary file (it holds NUL bytes); expected UTF-8 text or HTML.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > 8 or text[:8192].count("\ufffd") > 8:
        raise LoaderError(f"{name}: a binary file (control characters at the start); expected UTF-8 text or HTML.")
    return text.replace("\r\n", "\n")


def _from_html(article: Article) -> Article:
    import trafilatura

    text = trafilatura.extract(article.text, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(article.text)
    found = {"title": meta.title, "date": meta.date, "url": meta.url, "publisher": meta.sitename} if meta else {}
    return replace(article, text=text or "").with_defaults(**found)
