"""SIREN keys: the Luhn checksum, against its definition written out digit by digit."""

from __future__ import annotations

import pytest

from graph.errors import SchemaError
from graph.keys import check_key, is_valid_siren, luhn_check_digit


def luhn_valid(digits: str) -> bool:
    """Luhn's rule as it is defined: from the right, every second digit doubled, 9 taken off above 9; a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        doubled = int(char) * 2 if position % 2 else int(char)
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def test_siren_checksum_agrees_with_the_definition():
    numbers = [f"{n:09d}" for n in (*range(0, 10**9, 999_983), *range(552_032_500, 552_032_600))]
    assert sum(map(luhn_valid, numbers)) > len(numbers) // 20  # both valid and invalid ones are tried
    for number in numbers:
        assert is_valid_siren(number) is luhn_valid(number), number
        if luhn_valid(number):
            assert check_key("siren", number) == number
        else:
            with pytest.raises(SchemaError, match="valid Luhn checksum"):
                check_key("siren", number)
        assert luhn_valid(number[:8] + luhn_check_digit(number[:8]))


def test_a_siren_is_nine_ascii_digits():
    for key in ("55203253", "5520325340", "55203253a", "５５２０３２５３４", " 552032534"):
        with pytest.raises(SchemaError):
            check_key("siren", key)
