"""French amounts and dates as analysts' spreadsheets write them, and the cells that are refused."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata

import pytest

from graph.errors import SchemaError
from graph.limits import MAX_TEXT, check_text
from loaders.values import (
    BadValue,
    parse_amount,
    parse_commune,
    parse_date,
    parse_int,
    parse_list,
    parse_siren,
    parse_slug,
    parse_text,
    parse_year,
)


@pytest.mark.parametrize(
    ("cell", "euros"),
    [
        ("1 200 000 €", 1_200_000), ("1\u00a0200\u00a0000\u00a0€", 1_200_000), ("1\u202f200 €", 1200), ("1,36 Md€", 1_360_000_000),
        ("5 M€", 5_000_000), ("12,5 k€", 12_500), ("€ 3.000.000", 3_000_000), ("3 000 000 EUR", 3_000_000),
        ("2,5 millions d'euros", 2_500_000), ("1 200 000,50", 1_200_000.5), ("1.234.567,89", 1_234_567.89),
        ("1,234,567.89", 1_234_567.89), ("1500.50", 1500.5), ("10 Mds €", 10_000_000_000), ("-1 000", -1000),
        ("12 euros", 12), (250000, 250_000), (1.5e6, 1_500_000), ("", None), (None, None),
        ("1.36e9", 1_360_000_000), ("1,36E+09", 1_360_000_000), ("2e6 €", 2_000_000),  # as YAML and Excel write big numbers
    ],
)  # fmt: skip
def test_amounts_written_the_french_way(cell, euros):
    assert parse_amount(cell) == euros


@pytest.mark.parametrize("cell", ["12 euros et demi", "abc", "1,2,3", "12 5", "5 M$", "environ 3 M€", ".5"])
def test_what_is_not_an_amount_is_refused_with_the_cell_quoted(cell):
    with pytest.raises(BadValue, match=f'^"{re.escape(cell)}" is not an amount: expected euros such as 1 200 000 €'):
        parse_amount(cell)


def test_a_dot_before_three_digits_is_ambiguous_and_refused():
    with pytest.raises(BadValue, match=r'"1.500" is ambiguous: write 1500 or 1 500'):
        parse_amount("1.500")


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("18/12/2023", "2023-12-18"), ("8/1/2024", "2024-01-08"), ("18-12-2023", "2023-12-18"), ("18.12.2023", "2023-12-18"),
        ("2023-12-18", "2023-12-18"), ("2023-12-18T00:00:00", "2023-12-18"), ("2023-12-18 10:30:00", "2023-12-18"),
        ("12/2023", "2023-12"), ("2023-12", "2023-12"), ("2023", "2023"), (dt.datetime(2023, 12, 18, 9), "2023-12-18"),
        (dt.date(2024, 2, 29), "2024-02-29"), ("", None),
    ],
)  # fmt: skip
def test_dates(cell, iso):
    assert parse_date(cell) == iso


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2023", r'"31/02/2023" is not a date of the calendar'),
        ("13/2023", r'"13/2023" is not a date: expected 18/12/2023, 2023-12-18, 12/2023 or 2023'),
        ("décembre 2023", r'"décembre 2023" is not a date'),
        ("18/12/23", r'"18/12/23" is not a date'),
    ],
)
def test_what_is_not_a_date_is_refused(cell, reason):
    with pytest.raises(BadValue, match=reason):
        parse_date(cell)


def test_codes_keys_and_lists():
    assert parse_siren("552 032 534 00013") == "552032534"
    assert parse_siren(55203253400013) == "552032534"
    with pytest.raises(BadValue, match='"5520325" is not a SIREN or a SIRET'):
        parse_siren("5520325")
    assert [parse_commune(c) for c in (1053, "75109", "69383", "13201", "2a004", "62119")] == ["01053", "75056", "69123", "13055", "2A004", "62119"]
    assert parse_slug("Fonds d'accélération") == "fonds-d-acceleration"
    assert parse_list("a | b |") == ["a", "b"]
    assert parse_year("18/12/2023") == 2023
    assert parse_int("1 200") == 1200
    with pytest.raises(BadValue, match='"12,5" is not a whole number'):
        parse_int("12,5")


def test_arrondissements_and_the_codes_beside_them():
    codes = ["75100", "75101", "75120", "75121", "69380", "69381", "69389", "69390", "13200", "13201", "13216", "13217", "7510", "751011"]
    assert [parse_commune(c) for c in codes] == [
        "75100", "75056", "75056", "75121", "69380", "69123", "69123", "69390", "13200", "13055", "13055", "13217", "07510", "751011",
    ]  # fmt: skip


def test_text_of_every_character_is_cleaned_or_refused_alike():
    """Every code point, in runs of 16, spaced or not: spaces collapsed and stripped, forbidden characters refused
    (control characters but tab, newline and carriage return; surrogates; U+FFFE and U+FFFF), whichever way is taken."""
    for start in range(0, sys.maxunicode + 1, 16):
        chars = [chr(c) for c in range(start, min(start + 16, sys.maxunicode + 1))]
        forbidden = any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" or c in "\ufffe\uffff" for c in chars)
        for text in ("".join(chars), "  " + " ".join(chars) + "  x "):
            if forbidden:
                with pytest.raises(BadValue, match="text may not"):
                    parse_text(text)
                with pytest.raises(SchemaError):
                    check_text(text)
            else:
                assert parse_text(text) == (" ".join(text.split()) or None), hex(start)
                assert check_text(text) is text
    assert parse_text("x" * (MAX_TEXT - 1) + " ") == "x" * (MAX_TEXT - 1)
    with pytest.raises(BadValue, match="text has at most"):
        parse_text("x" * MAX_TEXT + " ")
