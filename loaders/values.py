"""Read the values of a spreadsheet cell written the French way: amounts, dates, codes, lists.

Each parser takes what a cell holds (text from a CSV, or a number or a date from an XLSX file)
and returns the value to store, or raises `BadValue` whose message quotes the cell and says what
was expected; the table loader adds the file, line and column in front.

Amounts
    ``1 200 000 €``, ``1 200 000,50``, ``1,36 Md€``, ``5 M€``, ``12,5 k€``, ``3.000.000 €``,
    ``€ 250 000``, ``2,5 millions d'euros``, ``-1 000``, ``1.36e9``. A comma is the decimal mark; spaces
    (also non-breaking), dots in groups of three (``3.000.000``) and apostrophes separate
    thousands. When a number has both ``.`` and ``,`` the last one is the decimal mark. A
    single dot followed by three digits (``1.500``) is ambiguous — 1500 in French, 1.5 in
    English — and is rejected rather than guessed.
Dates
    ``18/12/2023``, ``18-12-2023``, ``18.12.2023``, ``2023-12-18`` (also with a time), ``12/2023``
    and ``2023-12`` (a month), ``2023`` (a year), stored as ISO text (``2023-12-18``,
    ``2023-12``, ``2023``) so that they compare alike on both backends.

Example
-------
>>> parse_amount("1,36 Md€"), parse_amount("1 200 000 €"), parse_date("18/12/2023")
(1360000000.0, 1200000.0, '2023-12-18')
>>> parse_amount("12 euros et demi")
Traceback (most recent call last):
...
loaders.values.BadValue: "12 euros et demi" is not an amount: expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from graph.dates import DATE_PROPERTIES
from graph.errors import SchemaError
from graph.keys import slugify
from graph.limits import MAX_TEXT, check_text
from graph.schema import Property

__all__ = [
    "PARSERS", "BadValue", "parse_amount", "parse_commune", "parse_date", "parse_float", "parse_int", "parse_list",
    "parse_siren", "parse_slug", "parse_text", "parse_year", "property_parser", "read_value",
]  # fmt: skip


class BadValue(ValueError):
    """A cell that a parser cannot read; the message quotes it and says what was expected."""


_SCALES = {
    "": 1, "k": 1000, "milliers": 1000, "m": 10**6, "million": 10**6, "millions": 10**6, "md": 10**9, "mds": 10**9,
    "mrd": 10**9, "mrds": 10**9, "milliard": 10**9, "milliards": 10**9,
}  # fmt: skip
_CURRENCY = re.compile(r"\s*(?:d['’]\s*euros?|de\s+euros?|euros?|eur|€)\s*$")
_AMOUNT = re.compile(r"^(?P<sign>[-−]?)\s*(?P<number>[0-9][0-9 .,']*[0-9]|[0-9])\s*(?P<scale>[a-z]*)\.?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SCIENTIFIC = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?e[-+]?[0-9]+")  # 1.36e9, 1,36E+09: no French number has an e


def _cell_text(value: Any) -> str:
    """A cell as stripped text: numbers without a useless ``.0``, spaces collapsed; control characters refused."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        text = check_text(str(value))
    except SchemaError as exc:
        raise BadValue(str(exc).rstrip(".")) from None
    return _SPACES.sub(" ", text).strip()


def parse_text(value: Any) -> str | None:
    """Text with runs of spaces collapsed; ``None`` for an empty cell.

    >>> parse_text("  Nacon\\u00a0 SA "), parse_text(12.0)
    ('Nacon SA', '12')
    """
    if type(value) is str and len(value) <= MAX_TEXT and "  " not in value and value.isprintable():
        return value.strip() or None  # most cells: printable text holds no forbidden character, and no space but " "
    text = _cell_text(value) if value is not None else ""
    return text or None


def _number(text: str) -> str:
    """A number with French or English separators (see the module docstring), as plain digits."""
    text = text.replace("'", " ")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif text.count(",") == 1 or (text.count(".") == 1 and not re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", text)):
        decimal = "," if "," in text else "."
    elif text.count(".") == 1:
        raise ValueError("ambiguous")
    else:
        decimal = ""
    whole, _, fraction = text.partition(decimal) if decimal else (text, "", "")
    separators = re.escape(" ,." .replace(decimal, "") if decimal else " ,.")
    if not re.fullmatch(rf"[0-9]+|[0-9]{{1,3}}(?:[{separators}][0-9]{{3}})+", whole) or not re.fullmatch(r"[0-9]*", fraction):
        raise ValueError("not a number")
    return re.sub(r"\D", "", whole) + (f".{fraction}" if fraction else "")


def parse_amount(value: Any) -> float | None:
    """An amount in euros, as a float (see the module docstring for what is read).

    >>> parse_amount("5 M€"), parse_amount("12,5 k€"), parse_amount("€ 3.000.000"), parse_amount(250000), parse_amount("1.36e9")
    (5000000.0, 12500.0, 3000000.0, 250000.0, 1360000000.0)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    text = parse_text(value)
    if text is None:
        return None
    expected = "expected euros such as 1 200 000 €, 1,36 Md€ or 12,5 k€"
    lowered = _CURRENCY.sub("", text.lower().removeprefix("€").removeprefix("eur ").strip())
    if _SCIENTIFIC.fullmatch(lowered):
        return _finite(float(lowered.replace(",", ".")))
    match = _AMOUNT.match(lowered)
    if not match or match["scale"] not in _SCALES:
        raise BadValue(f'"{text}" is not an amount: {expected}')
    try:
        number = _number(match["number"].strip())
    except ValueError as exc:
        if str(exc) != "ambiguous":
            raise BadValue(f'"{text}" is not an amount: {expected}') from None
        raise BadValue(f'"{text}" is ambiguous: write 1500 or 1 500 for fifteen hundred, 1,5 for one and a half') from None
    amount = float(Decimal(number) * _SCALES[match["scale"]])
    if not math.isfinite(amount):
        raise BadValue(f'"{text[:40]}" is too large an amount')
    return -amount if match["sign"] else amount


def _finite(number: float) -> float:
    """``number`` as a float, if it is finite."""
    try:
        result = float(number)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise BadValue(f'"{str(number)[:40]}" is not a finite number')
    return result


def parse_float(value: Any) -> float | None:
    """A plain number, with a comma or a dot as the decimal mark.

    >>> parse_float("12,5"), parse_float("1 234,5")
    (12.5, 1234.5)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    text = parse_text(value)
    if text is None:
        return None
    try:
        return _finite(float(_number(text.lstrip("-"))) * (-1 if text.startswith("-") else 1))
    except ValueError:
        raise BadValue(f'"{text}" is not a number: expected digits such as 12,5 or 1 234') from None


def parse_int(value: Any) -> int | None:
    """A whole number; thousands may be separated by spaces.

    >>> parse_int("1 200"), parse_int(35.0)
    (1200, 35)
    """
    number = parse_float(value) if parse_text(value) is not None else None
    if number is None:
        return None
    if not number.is_integer():
        raise BadValue(f'"{parse_text(value)}" is not a whole number')
    return int(number)


_DAY_FIRST = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]+)?$")
_MONTH = re.compile(r"^(?:([0-9]{1,2})[/.-]([0-9]{4})|([0-9]{4})-([0-9]{2}))$")


def parse_date(value: Any) -> str | None:
    """A date as ISO text: a day, a month (``2023-12``) or a year.

    >>> parse_date("2023-12-18"), parse_date("12/2023"), parse_date("2023"), parse_date(dt.datetime(2023, 12, 18))
    ('2023-12-18', '2023-12', '2023', '2023-12-18')
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    text = parse_text(value)
    if text is None:
        return None
    expected = f'"{text}" is not a date: expected 18/12/2023, 2023-12-18, 12/2023 or 2023'
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _MONTH.match(text):
        month, year = (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        if not 1 <= month <= 12:
            raise BadValue(expected)
        return f"{year:04d}-{month:02d}"
    elif re.fullmatch(r"(?:19|20)[0-9]{2}", text):
        return text
    else:
        raise BadValue(expected)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise BadValue(f'"{text}" is not a date of the calendar (day {day}, month {month}, year {year})') from None


def parse_year(value: Any) -> int | None:
    """The year of a date, as a whole number.

    >>> parse_year("18/12/2023"), parse_year(2024)
    (2023, 2024)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    date = parse_date(value)
    return int(date[:4]) if date else None


def parse_list(value: Any, sep: str = "|") -> list[str] | None:
    """Items separated by ``sep`` (``|`` unless the mapping says otherwise), each stripped.

    >>> parse_list("Nacon | Bigben Interactive")
    ['Nacon', 'Bigben Interactive']
    """
    text = parse_text(value)
    if text is None:
        return None
    return [item.strip() for item in text.split(sep) if item.strip()] or None


def parse_siren(value: Any) -> str | None:
    """A SIREN from a SIREN or a SIRET (its first 9 digits), spaces removed; checked by the key.

    >>> parse_siren("552 032 534 00013"), parse_siren(552032534)
    ('552032534', '552032534')
    """
    text = parse_text(value)
    if text is None:
        return None
    digits = text.replace(" ", "").replace(".", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (9, 14):
        raise BadValue(f'"{text}" is not a SIREN or a SIRET: expected 9 or 14 digits')
    return digits[:9]


# Paris, Lyon and Marseille are split into arrondissements, which SIRENE uses as commune codes.
_ARRONDISSEMENTS = ((re.compile(r"^751(0[1-9]|1[0-9]|20)$"), "75056"), (re.compile(r"^6938[1-9]$"), "69123"),
                    (re.compile(r"^132(0[1-9]|1[0-6])$"), "13055"))  # fmt: skip
_ARRONDISSEMENT_PREFIXES = ("751", "6938", "132")  # a cheap test before the patterns


def parse_commune(value: Any) -> str | None:
    """An INSEE commune code: a lost leading zero is put back, an arrondissement becomes its commune.

    >>> parse_commune(1001), parse_commune("75108"), parse_commune("2A004")
    ('01001', '75056', '2A004')
    """
    text = parse_text(value)
    if text is None:
        return None
    code = text.upper().zfill(5) if text.isascii() and text.isdigit() else text.upper()
    if code.startswith(_ARRONDISSEMENT_PREFIXES):
        for pattern, commune in _ARRONDISSEMENTS:
            if pattern.match(code):
                return commune
    return code


def parse_slug(value: Any) -> str | None:
    """A slug made from the text (``Fonds vert`` → ``fonds-vert``), for keys of named actors.

    >>> parse_slug("Territoires d'industrie")
    'territoires-d-industrie'
    """
    text = parse_text(value)
    return slugify(text) or None if text else None


PARSERS: dict[str, Callable[..., Any]] = {
    "text": parse_text, "int": parse_int, "float": parse_float, "amount": parse_amount, "date": parse_date,
    "year": parse_year, "list": parse_list, "siren": parse_siren, "commune": parse_commune, "slug": parse_slug,
}  # fmt: skip
"""Parsers by the name a mapping gives them."""


def read_value(prop: Property, value: Any, parsers: Collection[str] = ("amount", "date", "year")) -> Any:
    """``value`` for ``prop``: text read by the parser `load table` gives the property (`property_parser`)
    when that parser is one of ``parsers``, then coerced to the property's type (`Property.coerce`).
    Raises `BadValue` (the parser) or `SchemaError` (the type).

    >>> read_value(Property("amount_eur", "float"), "1,5 M€"), read_value(Property("since", "string"), "18/12/2023")
    (1500000.0, '2023-12-18')
    """
    parser = property_parser(prop)
    if parser in parsers and isinstance(value, str):
        value = PARSERS[parser](value)
    return prop.coerce(value)


def property_parser(prop: Property) -> str:
    """The parser a property's values go through by default: amounts for ``*_eur``, dates for ``date``/``since``/``until``…

    >>> property_parser(Property("year", "int")), property_parser(Property("since", "string"))
    ('year', 'date')
    """
    if prop.type == "float":
        return "amount" if prop.name.endswith("_eur") else "float"
    if prop.type == "int":
        return "year" if prop.name == "year" else "int"
    if prop.type == "list":
        return "list"
    return "date" if prop.name in DATE_PROPERTIES else "text"
