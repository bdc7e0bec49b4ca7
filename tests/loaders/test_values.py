"""French amounts and dates as analysts' spreadsheets write them, and the cells that are refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from loaders.values import (
    BadValue,
    parse_amount,
    parse_commune,
    parse_date,
    parse_int,
    parse_list,
    parse_siren,
    parse_slug,
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
