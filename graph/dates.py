"""Dates as the graph stores them: ISO text of a day, a month or a year, in the properties named
``date``, ``since`` and ``until``, so that they compare alike on both backends.

`loaders.values.parse_date` reads what a table or a user writes (``18/12/2023``) into this form;
`graph.integrity` finds stored values that are not in it. A period (``since`` to ``until``, or an
event's ``date`` to ``until``) may not end before it starts: `period_problem` is that one rule,
which every reader and `graph.integrity` apply.

Example
-------
>>> is_stored_date("2024-02-29"), is_stored_date("2024-02-30"), is_stored_date("2024-13"), is_stored_date("2019")
(True, False, False, True)
>>> period_problem({"since": "2024", "until": "2016"})
'"2016" is before since "2024": a period cannot end before it starts'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["DATE_PROPERTIES", "is_stored_date", "period_problem", "period_start"]

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


def period_start(props: Mapping[str, Any]) -> str | None:
    """The property a period of ``props`` starts with: ``since``, or an event's ``date`` when it has no ``since``.

    >>> period_start({"since": "2020", "date": "2019"}), period_start({"date": "2019-03-05"}), period_start({})
    ('since', 'date', None)
    """
    for name in ("since", "date"):
        if props.get(name) is not None:
            return name
    return None


def period_problem(props: Mapping[str, Any]) -> str | None:
    """Why the ``until`` of ``props`` is before the period starts (`period_start`), said after the name
    ``until``; None when it is not, or when either date is not one the graph stores (`is_stored_date`).

    Dates compare as periods: ``until`` 2024 lasts to the end of 2024, ``since`` 2024-05 begins on
    its first day, so the two agree; ``until`` 2024-02 is before ``since`` 2024-03-15.

    >>> period_problem({"since": "2024-05", "until": "2024"}) is None, period_problem({"since": "2024", "until": "2024-03"}) is None
    (True, True)
    >>> period_problem({"since": "2024-03-15", "until": "2024-02"})
    '"2024-02" is before since "2024-03-15": a period cannot end before it starts'
    """
    until, start = props.get("until"), period_start(props)
    if until is None or start is None or not is_stored_date(until) or not is_stored_date(props[start]):
        return None
    begins = props[start]
    common = min(len(until), len(begins))  # a year, a month or a day: compared at the coarser of the two
    if until[:common] >= begins[:common]:
        return None
    return f'"{until}" is before {start} "{begins}": a period cannot end before it starts'
