"""The built-in dataset: the regions and departments of France, and the facts of the documents.

Both ship inside the package (``loaders/builtin/``), so ``tdi demo`` needs no network and no file.

Example
-------
>>> with open_graph(tmp_path / "g") as graph:     # doctest: +SKIP
...     load_builtin(graph).created["Region"]
26
"""

from __future__ import annotations

from graph.backend import GraphBackend, WriteStats
from loaders.cog_compact import builtin_reference_dir, read_compact
from loaders.facts import builtin_facts_path, read_facts
from loaders.load import load_facts
from loaders.reference import load_regions_and_departments

__all__ = ["load_builtin"]


def load_builtin(graph: GraphBackend) -> WriteStats:
    """Load the built-in dataset in one transaction; a second call changes nothing."""
    reference = read_compact(builtin_reference_dir())
    facts = read_facts(builtin_facts_path())
    stats = WriteStats()
    with graph.transaction():
        stats.add(load_regions_and_departments(graph, reference))
        stats.add(load_facts(graph, facts))
    return stats
