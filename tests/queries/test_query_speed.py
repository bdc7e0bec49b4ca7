"""Every named query on a full graph, timed: the time is reported, not asserted (a busy machine is slow).

The full graph is not built here (it takes minutes): set ``TDI_FULL_GRAPH`` to one built by
``tdi demo --full`` and the times appear in the test report (``pytest -rA`` or ``--junitxml``)::

    TDI_FULL_GRAPH=./full python -m pytest tests/queries/test_query_speed.py -rA -n 0
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.backend import GraphBackend, open_graph
from queries.registry import list_queries

BUDGET_MS = 100.0
FULL_GRAPH = os.environ.get("TDI_FULL_GRAPH")


@pytest.fixture(scope="module")
def full_graph() -> Iterator[GraphBackend]:
    if not FULL_GRAPH or not Path(FULL_GRAPH).exists():
        pytest.skip("TDI_FULL_GRAPH is not set to a graph built by tdi demo --full")
    with open_graph(FULL_GRAPH, read_only=True) as graph:
        yield graph


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_named_query_time_on_the_full_graph(full_graph: GraphBackend, query, record_property: Callable) -> None:
    params = dict(query.example)
    query.run(full_graph, params)  # warm-up
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rows = query.run(full_graph, params)
        times.append((time.perf_counter() - started) * 1000)
    median = sorted(times)[1]
    record_property("wall_ms", round(median, 1))
    print(f"{query.name}: {median:.1f} ms of wall time, {len(rows)} rows{' (over budget)' if median > BUDGET_MS else ''}")
    assert all(tuple(row) == query.columns for row in rows)
