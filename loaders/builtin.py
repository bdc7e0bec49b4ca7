"""The built-in dataset: the administrative map, the facts of the documents, the programme's lists.

All of it ships inside the package (``loaders/builtin/``), so ``tdi demo`` needs no network and
no file. By default `load_builtin` loads the regions and departments and the facts; with
``full=True`` it loads the whole administrative map (communes, EPCI, EPT and memberships) and
both phases of the programme from the official lists (``loaders/builtin/territories/``,
derived from the raw files by ``scripts/derive_territories.py``).

Example
-------
>>> with open_graph(tmp_path / "g") as graph:     # doctest: +SKIP
...     load_builtin(graph).created["Region"]
26
>>> [entry["phase"] for entry in builtin_territory_lists()]
['I', 'II', 'II']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.backend import GraphBackend, WriteStats
from loaders.cog_compact import builtin_reference_dir, read_compact
from loaders.facts import builtin_facts_path, read_facts
from loaders.load import load_facts
from loaders.reference import load_reference, load_regions_and_departments
from loaders.session import Progress, no_progress
from loaders.territories import load_territories

__all__ = ["TERRITORY_LISTS_FILE", "builtin_territories_dir", "builtin_territory_lists", "load_builtin"]

TERRITORY_LISTS_FILE = "lists.json"


def builtin_territories_dir() -> Path:
    """The directory of the programme's lists shipped in the package.

    >>> builtin_territories_dir().parts[-2:]
    ('builtin', 'territories')
    """
    return Path(__file__).parent / "builtin" / "territories"


def builtin_territory_lists() -> list[dict[str, Any]]:
    """The shipped lists, as ``lists.json`` describes them: file, phase, vintage, skip_unknown, source."""
    manifest = json.loads((builtin_territories_dir() / TERRITORY_LISTS_FILE).read_text(encoding="utf-8"))
    return [{**entry, "path": builtin_territories_dir() / entry["file"]} for entry in manifest["lists"]]


def load_builtin(graph: GraphBackend, full: bool = False, *, progress: Progress = no_progress) -> WriteStats:
    """Load the built-in dataset in one transaction; a second call changes nothing.

    Parameters
    ----------
    graph : GraphBackend
    full : bool
        Also load the whole administrative map and the programme's lists of both phases.
    progress : Progress
        Called as ``progress(stage, done, total)`` (the full load takes several seconds).
    """
    reference = read_compact(builtin_reference_dir())
    facts = read_facts(builtin_facts_path())
    stats = WriteStats()
    with graph.transaction():
        if full:
            stats.add(load_reference(graph, reference, progress=progress))
        else:
            stats.add(load_regions_and_departments(graph, reference))
        stats.add(load_facts(graph, facts))
        for entry in builtin_territory_lists() if full else []:
            loaded = load_territories(
                graph, entry["path"], phase=entry["phase"], vintage=entry["vintage"], skip_unknown=entry["skip_unknown"],
                reference=reference, source=entry["source"], progress=progress,
            )  # fmt: skip
            stats.add(loaded.stats)
    return stats
