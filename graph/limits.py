"""The limits every stored value keeps, whichever reader it comes from.

Text holds no control characters (tab, newline and carriage return excepted), no lone
surrogates and no non-characters, so that every export (GraphML, GEXF, JSON) stays valid, and
at most `MAX_TEXT` characters. Whole numbers fit in 64 bits (both engines store them so), other
numbers are finite (JSON has no ``Infinity``). Each check returns the value or raises
`SchemaError` saying what is wrong, with the value quoted safely (`quoted`).

Example
-------
>>> check_text("Béthune-Bruay"), check_int(2024), check_float(1.36e9)
('Béthune-Bruay', 2024, 1360000000.0)
>>> check_text("A\\x00B")
Traceback (most recent call last):
...
graph.errors.SchemaError: "A\\x00B" holds a control character (\\x00); text may not.
"""

from __future__ import annotations

import math
import re

from graph.errors import SchemaError

__all__ = ["INT_MAX", "INT_MIN", "MAX_TEXT", "check_float", "check_int", "check_text", "quoted"]

MAX_TEXT = 65_536
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_FORBIDDEN_CHARS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
_forbidden: list[re.Pattern[str]] = []  # compiled on first use: a read command checks no text
_QUOTE_MAX = 40


def quoted(value: object) -> str:
    """``value`` in double quotes for a message, short and with forbidden characters escaped; a collection by its kind.

    >>> quoted("x" * 45), quoted({"a": 1})
    ('"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"', 'a mapping')
    """
    if isinstance(value, (dict, list, tuple, set, bytes)):
        return {dict: "a mapping", set: "a set", bytes: "binary data"}.get(type(value), "a list")
    text = value if isinstance(value, str) else repr(value)
    text = text if len(text) <= _QUOTE_MAX else text[:_QUOTE_MAX] + "…"
    return '"' + _forbidden_chars().sub(lambda m: _escape(m.group()), text) + '"'


def _forbidden_chars() -> re.Pattern[str]:
    if not _forbidden:
        _forbidden.append(re.compile(_FORBIDDEN_CHARS))
    return _forbidden[0]


def _escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def check_text(text: str) -> str:
    """Return ``text`` if it may be stored (see the module docstring), else raise `SchemaError`.

    >>> check_text("ligne 1\\nligne 2")
    'ligne 1\\nligne 2'
    """
    if len(text) > MAX_TEXT:
        raise SchemaError(f"{quoted(text)} has {len(text):,} characters; text has at most {MAX_TEXT:,}.")
    if text.isprintable():  # most text, at C speed: every forbidden character is unprintable
        return text
    bad = (_forbidden[0] if _forbidden else _forbidden_chars()).search(text)
    if bad:
        char = bad.group()
        what = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a non-character" if char >= "\ufffe" else "a control character"
        raise SchemaError(f"{quoted(text)} holds {what} ({_escape(char)}); text may not.")
    return text


def check_int(number: int) -> int:
    """Return ``number`` if it fits in 64 bits, else raise `SchemaError`.

    >>> check_int(2**63)
    Traceback (most recent call last):
    ...
    graph.errors.SchemaError: 9223372036854775808 is out of range: whole numbers go from -2^63 to 2^63-1.
    """
    if not INT_MIN <= number <= INT_MAX:
        shown = str(number) if abs(number) < 10**40 else f"a number of about {int(number.bit_length() * 0.30103)} digits"
        raise SchemaError(f"{shown} is out of range: whole numbers go from -2^63 to 2^63-1.")
    return number


def check_float(number: float) -> float:
    """Return ``number`` if it is finite, else raise `SchemaError`.

    >>> check_float(float("inf"))
    Traceback (most recent call last):
    ...
    graph.errors.SchemaError: inf is not a finite number; infinities and NaN cannot be stored.
    """
    if not math.isfinite(number):
        raise SchemaError(f"{number} is not a finite number; infinities and NaN cannot be stored.")
    return number
