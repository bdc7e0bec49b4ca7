"""Dates as the graph stores them: ISO text of a day, a month or a year, in the properties named
``date``, ``since`` and ``until``, so that they compare alike on both backends.

`loaders.values.parse_date` reads what a table or a user writes (``18/12/2023``) into this form;
`graph.integrity` finds stored values that are not in it.

Example
-------
>>> is_stored_date("2024-02-29"), is_stored_date("2024-02-30"), is_stored_date("2024-13"), is_stored_date("2019")
(True, False, False, True)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["DATE_PROPERTIES", "is_stored_date"]

DATE_PROPERTIES = frozenset({"date", "since", "until"})
_ISO = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?)?")


def is_stored_date(value: Any) -> bool:
    """Whether ``value`` is a year, a month or a day of the calendar written ``YYYY[-MM[-DD]]``.

    >>> is_stored_date("2023-12-18"), is_stored_date("18/12/2023"), is_stored_date(2023)
    (True, False, False)
    """
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return False
    try:
        return bool(dt.date.fromisoformat((value + "-01-01")[:10]))  # a year or a month: its first day
    except ValueError:
        return False
