"""The built-in dataset, and the full dataset read from the ANCT files the user downloaded.

The package ships the administrative map (a copy derived from ``@etalab/decoupage-administratif``)
and the facts of the programme's documents: `load_builtin` loads the regions, departments and
facts by default. ANCT's lists are never shipped: with ``data_dir`` (the folder holding them, as
``../shared/data/raw`` does, see `FULL_DATA`), ``full=True`` also loads the whole map, both
phases of Territoires d'industrie and the 14 other programmes.

Example
-------
>>> with open_graph(tmp_path / "g") as graph:     # doctest: +SKIP
...     load_builtin(graph).created["Region"]
26
>>> [entry["phase"] for entry in TERRITORY_LISTS]
['I', 'II', 'II']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.backend import GraphBackend, WriteStats
from graph.errors import LoaderError
from loaders.cog_compact import read_shipped
from loaders.facts import builtin_facts_path, read_facts
from loaders.load import load_facts
from loaders.programmes import PROGRAMMES, load_programmes
from loaders.reference import load_reference, load_regions_and_departments
from loaders.session import Progress, no_progress
from loaders.territories import load_territories

__all__ = ["FULL_DATA", "PROGRAMMES_DIR", "TERRITORY_LISTS", "full_data_files", "load_builtin"]

ANCT = "ANCT (Agence nationale de la cohésion des territoires)"
ETALAB = "Licence Ouverte / Etalab 2.0"
DATA_GOUV_TI = "https://www.data.gouv.fr/fr/datasets/programme-territoires-dindustrie/"
CARTO = "https://github.com/anct-carto/superposeur-anct/tree/949f7e5/data/geom/geojsonV2"
# The lists of both phases, as ../shared/data/raw/SOURCES.md describes them. skip_unknown: the
# commune list names 7 communes the 2026 map no longer has.
TERRITORY_LISTS: list[dict[str, Any]] = [
    {"file": "ti_phase1_groupements_anct_datagouv.geojson", "phase": "I", "vintage": None, "skip_unknown": False,
     "source": {"publisher": ANCT, "licence": ETALAB,
                "url": "https://github.com/anct-carto/superposeur-V2/blob/3f2b0c0/data/admin/polygone-4326_ti.geojson"}},
    {"file": "ti_phase2_groupements_anct_20240704.geojson", "phase": "II", "vintage": "2024-07-04", "skip_unknown": False,
     "source": {"publisher": ANCT, "licence": ETALAB,
                "url": "https://github.com/anct-carto/superposeur-anct/blob/5c5ffe3/data/geom/geojsonV2/ti_geom.geojson"}},
    {"file": "ti_phase2_communes_anct_20231107.geojson", "phase": "II", "vintage": "2023-11-07", "skip_unknown": True,
     "source": {"publisher": ANCT, "licence": ETALAB,
                "url": "https://github.com/anct-carto/superposeur-anct/blob/b187dd0/data/geom/geojsonV2/ti_geom.geojson"}},
]  # fmt: skip
PROGRAMMES_DIR = "anct-programmes"
FULL_DATA = (
    "the lists of Territoires d'industrie (" + ", ".join(e["file"] for e in TERRITORY_LISTS) + f", from {DATA_GOUV_TI}) "
    f"and {PROGRAMMES_DIR}/<code>.geojson for " + ", ".join(PROGRAMMES) + f" (ANCT's <code>_geom.geojson, from {CARTO})"
)


def full_data_files(data_dir: str | Path | None) -> tuple[list[dict[str, Any]], list[Path]]:
    """The territory lists (with their paths) and programme files `load_builtin` reads from ``data_dir``.

    Raises
    ------
    LoaderError
        In one line, when ``data_dir`` is not given or lacks a file: which files are needed and where they are published.

    >>> full_data_files(None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.errors.LoaderError: The full dataset needs --data DIR (or TDI_DATA) holding the lists of Territoires ...
    """
    if data_dir is None:
        raise LoaderError(f"The full dataset needs --data DIR (or TDI_DATA) holding {FULL_DATA}.")
    data_dir = Path(data_dir)
    lists = [{**entry, "path": data_dir / entry["file"]} for entry in TERRITORY_LISTS]
    programmes = [data_dir / PROGRAMMES_DIR / f"{code}.geojson" for code in PROGRAMMES]
    missing = [str(p) for p in [e["path"] for e in lists] + programmes if not p.is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise LoaderError(f"{data_dir} lacks {shown}; the full dataset needs {FULL_DATA}.")
    return lists, programmes


def load_builtin(
    graph: GraphBackend, full: bool = False, *, data_dir: str | Path | None = None, progress: Progress = no_progress
) -> WriteStats:
    """Load the built-in dataset in one transaction; a second call changes nothing.

    The counts are those of the graph as a whole: each node and relationship once, created if it
    was not there before (`graph.tally`), though several steps write it.

    Parameters
    ----------
    graph : GraphBackend
    full : bool
        Also load the whole administrative map, the lists of both phases and the other programmes.
    data_dir : str or Path, optional
        Where the ANCT files are (needed with ``full``; see `full_data_files`).
    progress : Progress
        Called as ``progress(stage, done, total)`` (the full load takes several seconds).
    """
    lists, programmes = full_data_files(data_dir) if full else ([], [])
    reference = read_shipped()
    facts = read_facts(builtin_facts_path())
    stats = WriteStats()
    with graph.transaction(tally=True):  # an item two steps write (a region the map makes, the facts cite) counts once
        if full:
            stats.add(load_reference(graph, reference, progress=progress))
        else:
            stats.add(load_regions_and_departments(graph, reference))
        stats.add(load_facts(graph, facts))
        for entry in lists:
            loaded = load_territories(
                graph, entry["path"], phase=entry["phase"], vintage=entry["vintage"], skip_unknown=entry["skip_unknown"],
                reference=reference, source=entry["source"], progress=progress,
            )  # fmt: skip
            stats.add(loaded.stats)
        if programmes:
            source = {"publisher": ANCT, "licence": ETALAB, "url": CARTO}
            stats.add(load_programmes(graph, programmes, skip_unknown=True, reference=reference, source=source, progress=progress).stats)
    return stats
