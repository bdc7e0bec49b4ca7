"""Stable keys: check SIREN and INSEE codes, make slugs, fold text for searching.

Example
-------
>>> is_valid_siren("200072460")
True
>>> slugify("Banque des Territoires")
'banque-des-territoires'
>>> fold("Béthune-Bruay")
'bethune-bruay'
"""

from __future__ import annotations

import re
import unicodedata

from graph.errors import InvalidKey

__all__ = ["KEY_FORMATS", "REFERENCE_PREFIX", "check_key", "fold", "is_valid_siren", "luhn_check_digit", "slugify", "stored_case"]

# Keys of the `Source` nodes that record a vintage of the administrative map (tdi load reference).
REFERENCE_PREFIX = "decoupage-administratif-"
# Each format's pattern (compiled on first use: a read command checks no key) and what it expects.
KEY_FORMATS = {
    "slug": (r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "a slug such as banque-des-territoires (lower-case letters, digits, dashes)"),
    "siren": (r"^[0-9]{9}$", "a SIREN: 9 digits with a valid Luhn checksum"),
    "insee_region": (
        r"^(?:[0-9]{2}|9[78][0-9])$",
        "an INSEE region code: 2 digits, or 3 for an overseas collectivity (32, 975)",
    ),
    "insee_department": (
        r"^(?:[0-9]{2}|2A|2B|9[78][0-9])$",
        "an INSEE department code: 2 digits, 2A, 2B or 3 overseas (62, 2A, 971)",
    ),
    "insee_commune": (
        r"^(?:[0-9]{5}|2A[0-9]{3}|2B[0-9]{3})$",
        "an INSEE commune code: 5 characters (62119, 2A004)",
    ),
    "territory": (
        r"^(?:I|II)-[a-z0-9]+(?:-[a-z0-9]+)*$",
        "a phase and an official id: I-ti-6201 or II-ti-6201",
    ),
}
_COMPILED: dict[str, re.Pattern[str]] = {}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents, for accent-blind search.

    >>> fold("Île-de-France")
    'ile-de-france'
    """
    if text.isascii():  # nothing to decompose or strip
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str) -> str:
    """Turn a name into a slug key.

    >>> slugify("Intercommunalités de France")
    'intercommunalites-de-france'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("'", " ").replace("’", " ")).strip("-")


def is_valid_siren(value: str) -> bool:
    """Whether ``value`` is 9 digits with a valid Luhn checksum.

    >>> is_valid_siren("200072461")
    False
    """
    return bool(re.fullmatch(r"[0-9]{9}", value)) and _luhn_sum(value) % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that completes the ASCII digits ``body`` into a number passing the Luhn check (a SIREN's last).

    >>> luhn_check_digit("55203253")
    '4'
    """
    return str(-_luhn_sum(body + "0") % 10)


_DOUBLED = {str(digit): (2 * digit) % 10 + digit // 5 for digit in range(10)}  # an ASCII digit doubled, its digits added


def _luhn_sum(digits: str) -> int:
    """Luhn's sum of ASCII digits: every second digit from the right doubled (its digits added), the rightmost not.

    >>> _luhn_sum("552032534")
    30
    """
    backwards = digits[::-1]
    return sum(map(int, backwards[::2])) + sum(map(_DOUBLED.__getitem__, backwards[1::2]))


def check_key(key_format: str, key: str, *, kind: str = "") -> str:
    """Return ``key`` if it has the format ``key_format``, else raise `InvalidKey`.

    >>> check_key("insee_region", "32")
    '32'
    """
    pattern = _COMPILED.get(key_format) or _COMPILED.setdefault(key_format, re.compile(KEY_FORMATS[key_format][0]))
    ok = bool(pattern.fullmatch(key)) and (key_format != "siren" or _luhn_sum(key) % 10 == 0)  # the pattern: 9 digits
    if not ok:
        what = f"{kind} key" if kind else "key"
        raise InvalidKey(f'{what} "{key}" is not valid: expected {KEY_FORMATS[key_format][1]}.')
    return key


def stored_case(key_format: str, key: str) -> str:
    """``key`` in the case keys of ``key_format`` are written in: a slug in lower case, a code in upper case
    (``2A``), a territory's phase in upper case and its official id in lower case.

    >>> stored_case("territory", "ii-TI-3207"), stored_case("insee_commune", "2a004"), stored_case("slug", "BpiFrance")
    ('II-ti-3207', '2A004', 'bpifrance')
    """
    if key_format == "territory":
        phase, dash, official = key.partition("-")
        return f"{phase.upper()}{dash}{official.lower()}"
    return key.lower() if key_format == "slug" else key.upper()
