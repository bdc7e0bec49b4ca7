"""Write the administrative map into a graph: regions and departments with their links.

Each region and department cites the `Source` node of the vintage it comes from
(``decoupage-administratif-2026``), so ``tdi show region:32`` answers "says who?".

Example
-------
>>> stats = load_regions_and_departments(graph, read_compact(builtin_reference_dir()))  # doctest: +SKIP
>>> stats.created["Region"]                                                              # doctest: +SKIP
26
"""

from __future__ import annotations

from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from loaders.cog import PACKAGE_NAME, ReferenceData

__all__ = ["load_regions_and_departments", "reference_source"]


def reference_source(data: ReferenceData) -> dict[str, Any]:
    """The `Source` node row that records one vintage of the administrative map.

    >>> reference_source(ReferenceData("2026", "6.0.0"))["key"]
    'decoupage-administratif-2026'
    """
    return {
        "key": f"decoupage-administratif-{data.vintage}",
        "name": f"Découpage administratif {data.vintage} (COG INSEE, EPCI DGCL), {PACKAGE_NAME} {data.package_version}",
        "type": "dataset",
        "publisher": "INSEE, DGCL, Etalab",
        "url": "https://github.com/etalab/decoupage-administratif",
        "licence": "Licence Ouverte / Etalab 2.0",
        "sha256": data.sha256 or None,
        "vintage": data.vintage,
        "rows": len(data.regions) + len(data.departments),
    }


def load_regions_and_departments(graph: GraphBackend, data: ReferenceData) -> WriteStats:
    """Upsert the regions, the departments and each department's region, in one transaction."""
    source = reference_source(data)
    cited = {"sources": [source["key"]]}
    regions = [{"key": r.code, "name": r.name, "zone": r.zone, **cited} for r in data.regions]
    departments = [{"key": d.code, "name": d.name, "zone": d.zone, **cited} for d in data.departments]
    in_region = [EdgeRow("Department", d.code, "Region", d.region, cited) for d in data.departments]
    stats = WriteStats()
    with graph.transaction():
        stats.add(graph.upsert_nodes("Source", [source]))
        stats.add(graph.upsert_nodes("Region", regions))
        stats.add(graph.upsert_nodes("Department", departments))
        stats.add(graph.upsert_edges("IN_REGION", in_region))
    return stats
