"""Write the administrative map into a graph: regions, departments, communes, EPCI and EPT.

`load_reference` writes one vintage of the map (`loaders.cog.ReferenceData`), with its history:
what the first vintage loaded lists has no start (``since``); loading a newer vintage ends what no
longer holds instead of deleting it and starts what is new (`loaders.reference_history`). Every node and relationship cites the vintage's `Source` node
(``decoupage-administratif-2026``), so ``tdi show commune:62119`` answers "says who?".
`load_regions_and_departments` writes only the regions and departments (the built-in dataset).

The statistics name each set it keeps: node kinds (``Commune``, ``Epci``, and ``Epci (EPT)`` for
the 11 EPT of Grand Paris) and relationship types with their ends (``IN_EPCI Commune→Epci``,
``IN_EPCI Commune→EPT``…), so that the figures of a vintage update read directly: 2024 → 2026
ends 68 communes and 72 commune → EPCI memberships, and starts 8 and 12.

Example
-------
>>> data = read_compact(builtin_reference_dir())                    # doctest: +SKIP
>>> with graph.transaction():                                       # doctest: +SKIP
...     stats = load_reference(graph, data)
>>> stats.created["Commune"], stats.created["Epci (EPT)"]           # doctest: +SKIP
(34969, 11)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import LoaderError
from graph.tally import Tally, edge_items
from loaders.cog import PACKAGE_NAME, ReferenceData, dangling_references, read_upstream
from loaders.cog_compact import VINTAGE_FILE, read_compact, read_shipped
from loaders.reference_history import (
    REFERENCE_PREFIX,
    EdgeScope,
    NodeScope,
    Period,
    check_vintage,
    plan,
    read_edges,
    read_nodes,
)
from loaders.session import Progress, no_progress, record_source

__all__ = ["load_reference", "load_regions_and_departments", "read_reference", "reference_source"]

_MAX_PROBLEMS = 10
_NOT_EPT, _EPT = "({0}.type IS NULL OR {0}.type <> 'EPT')", "{0}.type = 'EPT'"
COMMUNES = NodeScope("Commune", "Commune")
EPCI = NodeScope("Epci", "Epci", _NOT_EPT.format("n"))
EPT = NodeScope("Epci (EPT)", "Epci", _EPT.format("n"))
EDGES = {
    "department_region": EdgeScope("IN_REGION Department→Region", "IN_REGION", "Department", "Region"),
    "commune_department": EdgeScope("IN_DEPARTMENT Commune→Department", "IN_DEPARTMENT", "Commune", "Department"),
    "commune_epci": EdgeScope("IN_EPCI Commune→Epci", "IN_EPCI", "Commune", "Epci", _NOT_EPT.format("b")),
    "commune_ept": EdgeScope("IN_EPCI Commune→EPT", "IN_EPCI", "Commune", "Epci", _EPT.format("b")),
    "epci_department": EdgeScope("IN_DEPARTMENT Epci→Department", "IN_DEPARTMENT", "Epci", "Department"),
    "epci_region": EdgeScope("IN_REGION Epci→Region", "IN_REGION", "Epci", "Region"),
}


def reference_source(data: ReferenceData) -> dict[str, Any]:
    """The `Source` node row that records one vintage of the administrative map.

    ``rows`` counts every record of the vintage (places, groupements and memberships).

    >>> reference_source(ReferenceData("2026", "6.0.0"))["key"]
    'decoupage-administratif-2026'
    """
    return {
        "key": f"{REFERENCE_PREFIX}{data.vintage}",
        "name": f"Découpage administratif {data.vintage} (COG INSEE, EPCI DGCL), {PACKAGE_NAME} {data.package_version}",
        "type": "dataset",
        "publisher": "INSEE, DGCL, Etalab",
        "url": "https://github.com/etalab/decoupage-administratif",
        "licence": "Licence Ouverte / Etalab 2.0",
        "sha256": data.sha256 or None,
        "vintage": data.vintage,
        "rows": sum(data.summary().values()),
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def read_reference(path: str | Path | None = None) -> ReferenceData:
    """Read a vintage of the map: the shipped copy (``None``), a compact copy, or the upstream package.

    Parameters
    ----------
    path : str, Path or None
        The npm tarball of ``@etalab/decoupage-administratif`` or its unpacked directory, or a
        directory written by `loaders.cog_compact.write_compact`; ``None`` for the shipped copy.

    >>> read_reference().vintage
    '2026'
    """
    if path is None:
        return read_shipped()
    if Path(path).is_dir() and (Path(path) / VINTAGE_FILE).is_file():
        return read_compact(path)
    return read_upstream(path)


def load_regions_and_departments(graph: GraphBackend, data: ReferenceData) -> WriteStats:
    """Upsert the regions, the departments and each department's region, in one transaction."""
    source = reference_source(data)
    cited = {"sources": [source["key"]]}
    regions = [{"key": r.code, "name": r.name, "zone": r.zone, **cited} for r in data.regions]
    departments = [{"key": d.code, "name": d.name, "zone": d.zone, **cited} for d in data.departments]
    in_region = [EdgeRow("Department", d.code, "Region", d.region, cited) for d in data.departments]
    stats = WriteStats()
    with graph.transaction():
        stats.add(record_source(graph, source))
        stats.add(graph.upsert_nodes("Region", regions))
        stats.add(graph.upsert_nodes("Department", departments))
        stats.add(graph.upsert_edges("IN_REGION", in_region))
    return stats


def load_reference(graph: GraphBackend, data: ReferenceData, *, progress: Progress = no_progress) -> WriteStats:
    """Write one vintage of the administrative map, with its history, in one transaction.

    Parameters
    ----------
    graph : GraphBackend
        The caller may hold a transaction (`loaders.session.write_or_preview`); otherwise this
        opens one. Nothing is kept if the load fails.
    data : ReferenceData
    progress : Progress
        Called as ``progress(stage, done, total)`` for each set written.

    Returns
    -------
    WriteStats
        Created, updated, ended and unchanged, per set (see the module docstring).

    Raises
    ------
    LoaderError
        ``data`` points to codes it does not define, or is older than the vintage already loaded.
    """
    _check_references(data)
    source = reference_source(data)
    cite, vintage = [source["key"]], data.vintage
    stats = WriteStats()
    with graph.transaction() as tally:
        communes = read_nodes(graph, COMMUNES)
        loaded = set().union(*(p.vintages for p in communes.values()))
        check_vintage(vintage, loaded)
        stats.add(record_source(graph, source))
        stats.add(_upsert_plain(graph, "Region", _region_rows(data, cite), progress))
        stats.add(_upsert_plain(graph, "Department", _department_rows(data, cite), progress))
        stats.add(_sync_nodes(graph, COMMUNES, _commune_rows(data, cite), vintage, loaded, progress, tally, communes))
        groups = _group_rows(data, cite)
        stats.add(_sync_nodes(graph, EPCI, groups[False], vintage, loaded, progress, tally))
        stats.add(_sync_nodes(graph, EPT, groups[True], vintage, loaded, progress, tally))
        for name, pairs in _edge_sets(data, cite).items():
            stats.add(_sync_edges(graph, EDGES[name], pairs, vintage, loaded, progress, tally))
    return stats


def _check_references(data: ReferenceData) -> None:
    """Refuse data whose codes point to nothing, listing the first problems (set checks first: fast)."""
    regions, departments = {r.code for r in data.regions}, {d.code for d in data.departments}
    communes, groups = {c.code for c in data.communes}, {g.siren for g in data.groupements}
    complete = (
        {d.region for d in data.departments} <= regions
        and {c.department for c in data.communes} <= departments
        and {c.region for c in data.communes} <= regions
        and {f.current_code for f in data.former_communes} <= communes
        and {m.commune_code for m in data.memberships} <= communes
        and {m.group_siren for m in data.memberships} <= groups
    )
    problems = [] if complete else dangling_references(data)
    if problems:
        more = f" (and {len(problems) - _MAX_PROBLEMS} more)" if len(problems) > _MAX_PROBLEMS else ""
        listed = "; ".join(problems[:_MAX_PROBLEMS])
        raise LoaderError(f"The administrative map {data.vintage} points to codes it does not define: {listed}{more}. Nothing was loaded.")


# ---------------------------------------------------------------- rows


def _region_rows(data: ReferenceData, cite: list[str]) -> list[dict[str, Any]]:
    return [{"key": r.code, "name": r.name, "zone": r.zone, "sources": cite} for r in data.regions]


def _department_rows(data: ReferenceData, cite: list[str]) -> list[dict[str, Any]]:
    return [{"key": d.code, "name": d.name, "zone": d.zone, "sources": cite} for d in data.departments]


def _commune_rows(data: ReferenceData, cite: list[str]) -> dict[str, dict[str, Any]]:
    return {
        c.code: {"key": c.code, "name": c.name, "siren": c.siren, "population": c.population, "sources": cite}
        for c in data.communes
    }


def _group_rows(data: ReferenceData, cite: list[str]) -> dict[bool, dict[str, dict[str, Any]]]:
    """EPCI (``False``) and EPT (``True``) rows, by SIREN."""
    rows: dict[bool, dict[str, dict[str, Any]]] = {False: {}, True: {}}
    for g in data.groupements:
        props = {"key": g.siren, "name": g.name, "type": g.type, "financing": g.financing, "population": g.population}
        rows[g.type == "EPT"][g.siren] = {**props, "sources": cite}
    return rows


def _edge_sets(data: ReferenceData, cite: list[str]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """The relationships of each set in `EDGES`, by (from key, to key)."""
    ept = {g.siren for g in data.groupements if g.type == "EPT"}
    place = {c.code: c for c in data.communes}
    pairs: dict[str, set[tuple[str, str]]] = {name: set() for name in EDGES}
    pairs["department_region"] = {(d.code, d.region) for d in data.departments}
    pairs["commune_department"] = {(c.code, c.department) for c in data.communes}
    for m in data.memberships:
        pairs["commune_ept" if m.group_siren in ept else "commune_epci"].add((m.commune_code, m.group_siren))
        pairs["epci_department"].add((m.group_siren, place[m.commune_code].department))
        pairs["epci_region"].add((m.group_siren, place[m.commune_code].region))
    return {name: {pair: {"sources": cite} for pair in sorted(found)} for name, found in pairs.items()}


# ---------------------------------------------------------------- writing


def _staged(name: str, rows: Sequence[Any], write: Callable[[Sequence[Any]], WriteStats], progress: Progress) -> WriteStats:
    """Write a set in one upsert (the store reads what the graph holds once per call), with progress."""
    progress(name, 0, len(rows))
    stats = write(rows)
    progress(name, len(rows), len(rows))
    return stats


def _renamed(stats: WriteStats, name: str) -> WriteStats:
    """The same counts under one name (a set's name rather than its label or type)."""
    total = {part: sum(getattr(stats, part).values()) for part in ("created", "updated", "unchanged", "ended")}
    return WriteStats(**{part: Counter({name: n}) if n else Counter() for part, n in total.items()})


def _as_ended(stats: WriteStats, name: str) -> WriteStats:
    """The updates that set ``until``, counted as ended."""
    n = sum(stats.updated.values())
    return WriteStats(ended=Counter({name: n}) if n else Counter())


def _as_unchanged(items: list[Any], table: str, name: str, tally: Tally | None) -> WriteStats:
    """What `plan` found unchanged (and did not hand to the store); each item once in a tallied transaction (`graph.tally`)."""
    if tally is not None:
        return _renamed(tally.count(table, unchanged=items), name)
    return WriteStats(unchanged=Counter({name: len(items)}) if items else Counter())


def _upsert_plain(graph: GraphBackend, label: str, rows: list[dict[str, Any]], progress: Progress) -> WriteStats:
    return _staged(label, rows, lambda chunk: graph.upsert_nodes(label, chunk), progress)


def _sync_nodes(
    graph: GraphBackend, scope: NodeScope, incoming: dict[str, dict[str, Any]], vintage: str, loaded: set[str],
    progress: Progress, tally: Tally | None, existing: dict[str, Period] | None = None,
) -> WriteStats:  # fmt: skip
    """Write a node set of a vintage (``loaded``: the vintages already loaded): upsert, reopen and end per `plan`."""
    todo = plan(read_nodes(graph, scope) if existing is None else existing, incoming, vintage, loaded=loaded)
    if todo.reopened:
        graph.set_node_properties(scope.label, [{"key": key, "until": None} for key in todo.reopened])
    stats = _staged(scope.name, list(todo.rows.values()), lambda chunk: graph.upsert_nodes(scope.label, chunk), progress)
    ended = graph.upsert_nodes(scope.label, [{"key": key, "until": vintage} for key in todo.ended])
    return _renamed(stats, scope.name).add(_as_ended(ended, scope.name)).add(_as_unchanged(todo.unchanged, scope.label, scope.name, tally))


def _sync_edges(
    graph: GraphBackend, scope: EdgeScope, incoming: dict[tuple[str, str], dict[str, Any]], vintage: str, loaded: set[str],
    progress: Progress, tally: Tally | None,
) -> WriteStats:  # fmt: skip
    """Write a relationship set of a vintage (``loaded``: the vintages already loaded): upsert, reopen and end per `plan`."""
    todo = plan(read_edges(graph, scope), incoming, vintage, loaded=loaded)
    if todo.reopened:
        reopened = [EdgeRow(scope.from_label, f, scope.to_label, t, {"until": None}) for f, t in todo.reopened]
        graph.set_edge_properties(scope.rel, reopened)

    def edge(pair: tuple[str, str], props: dict[str, Any]) -> EdgeRow:
        return EdgeRow(scope.from_label, pair[0], scope.to_label, pair[1], props)

    rows = [edge(pair, props) for pair, props in todo.rows.items()]
    stats = _staged(scope.name, rows, lambda chunk: graph.upsert_edges(scope.rel, chunk), progress)
    ended = graph.upsert_edges(scope.rel, [edge(pair, {"until": vintage}) for pair in todo.ended])
    same = edge_items(scope.from_label, scope.to_label, todo.unchanged) if tally is not None else todo.unchanged
    return _renamed(stats, scope.name).add(_as_ended(ended, scope.name)).add(_as_unchanged(same, scope.rel, scope.name, tally))
