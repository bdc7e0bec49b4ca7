"""Each node and relationship a write of several steps touches, counted once, as the graph before it saw it.

A load made of steps in one transaction (the built-in dataset: the map, then the facts, then
ANCT's lists) touches some items twice: a region the map creates, the facts cite again. Summed
step by step, that region would be created and then updated, and an item left unchanged by two
steps would count twice. Inside ``graph.transaction(tally=True)`` every upsert counts through the
transaction's `Tally`: an item is created if a step created it, else updated if a step changed
it, else unchanged, and counted once whichever steps touch it.

Example
-------
>>> tally = Tally()
>>> tally.count("Region", created=["32"]).created["Region"], tally.count("Region", updated=["32"]).updated["Region"]
(1, 0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

from graph.backend import WriteStats

__all__ = ["Tally", "edge_items"]


def edge_items(from_label: str, to_label: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """The identities `Tally` gives relationships of one type: their ends' labels and keys.

    >>> edge_items("Department", "Region", [("62", "32")])
    [('Department', '62', 'Region', '32')]
    """
    return [(from_label, f, to_label, t) for f, t in pairs]


class Tally:
    """What one transaction has reported of each item so far: created, updated or unchanged."""

    def __init__(self) -> None:
        self._status: dict[str, dict[Hashable, str]] = {}

    def count(
        self, table: str, *, created: Sequence[Hashable] = (), updated: Sequence[Hashable] = (), unchanged: Sequence[Hashable] = ()
    ) -> WriteStats:
        """The counts of one write to ``table`` (a label or relationship type), less what earlier writes reported of the same items.

        An item unchanged before and updated now moves from unchanged to updated: this write's
        unchanged count is then negative, and the sum over the transaction is right.

        >>> tally = Tally()
        >>> tally.count("Region", unchanged=["32", "11"]).unchanged["Region"]
        2
        >>> again = tally.count("Region", updated=["32"], unchanged=["11"])
        >>> again.updated["Region"], again.unchanged["Region"]
        (1, -1)
        """
        seen = self._status.setdefault(table, {})
        seen.update(dict.fromkeys(created, "created"))
        changed = [item for item in updated if seen.get(item) in (None, "unchanged")]
        were_unchanged = sum(seen.get(item) == "unchanged" for item in changed)
        seen.update(dict.fromkeys(changed, "updated"))
        fresh = [item for item in unchanged if item not in seen]
        seen.update(dict.fromkeys(fresh, "unchanged"))
        stays = len(fresh) - were_unchanged
        return WriteStats(created=Counter({table: len(created)}), updated=Counter({table: len(changed)}),
                          unchanged=Counter({table: stays}) if stays else Counter())  # fmt: skip
