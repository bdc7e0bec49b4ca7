"""A progress callback that fails a load part-way, to check that a failed load leaves the graph as it was.

Example: ``load_programmes(graph, files, progress=fail_midway)`` raises once the first step has written.
"""

from __future__ import annotations


def fail_midway(stage: str, done: int, total: int) -> None:
    """Raise as soon as a step reports progress past its start."""
    if done > 0:
        raise RuntimeError("injected failure")
