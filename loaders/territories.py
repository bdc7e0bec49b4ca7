"""Load an official list of Territoires d'industrie: territories, what they cover, and how phases follow.

`load_territories` checks the whole list first (`read_territory_list`, with `loaders.anct_read`), checks that the
graph holds every EPCI, EPT and commune it covers (the administrative map, ``tdi load
reference``), then writes in one transaction, each item citing the file's `Source` node:

- one `Territory` per official id, keyed ``<phase>-<official id>`` (``II-ti-6201``: official ids
  are reused across phases), with its name, official id and phase;
- ``COVERS`` (with ``phase``) to each EPCI, EPT or commune it lists;
- ``IN_DEPARTMENT`` and ``IN_REGION`` to the departments and regions its members lie in (for an
  EPCI or EPT, those of its member communes in the administrative map);
- ``LABELLED`` (with ``phase``) to ``programme:territoires-d-industrie``;
- ``SUCCEEDED_BY`` from each phase I territory to each phase II territory that covers any of its
  groupements, recomputed from every list in the graph (see `succession_shares`).

Names: the administrative map's names of EPCI and communes are never overwritten. When two lists
name the same territory differently, the newer list (by vintage) gives the name and the other
one is kept as an alias.

Example
-------
>>> result = load_territories(graph, "ti_phase2_groupements_anct_20240704.csv")  # doctest: +SKIP
>>> result.stats.created["Territory"], result.stats.created["SUCCEEDED_BY"]       # doctest: +SKIP
(183, 0)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import LoaderError
from graph.limits import quoted
from loaders.anct_read import SiteList, parse_file_name, read_anct_list
from loaders.cog import ReferenceData
from loaders.cog_compact import builtin_reference_dir, read_compact_cached
from loaders.session import Progress, cached_read, file_source, no_progress, record_source, write_or_preview

__all__ = ["PROGRAMME", "TerritoryLoad", "load_territories", "read_territory_list", "shipped_reference", "succession_shares"]

PROGRAMME = {"key": "territoires-d-industrie", "name": "Territoires d'industrie"}
PHASES = ("I", "II")
CHUNK = 5000
_SHOWN = 5

Members = Mapping[str, set[tuple[str, str]]]  # territory key → {(kind, key)} it covers


@dataclass
class TerritoryLoad:
    """What a load of a list did (or, for a dry run, would do), and what the check noted; ``empty`` says why
    nothing was loaded, when the list held nothing to load."""

    stats: WriteStats
    territory_list: SiteList
    source: str
    dry_run: bool = False
    empty: str = ""

    def notes(self) -> list[str]:
        """The report's lines: counts, then each mapped and each left-out code, then a few disagreements."""
        found, name = self.territory_list, str(self.territory_list.path)
        kinds = Counter(m.kind for m in found.members)
        lines = [
            (
                f"{name}: phase {found.phase}, {len(found.sites)} territories, {found.rows} rows "
                f"({kinds['Epci']} EPCI/EPT and {kinds['Commune']} commune members), vintage {found.vintage or 'not given'}."
            ),
            f"{len(found.mapped)} delegated or associated commune code(s) mapped to their current commune.",
            f"{len(found.unknown)} unknown code(s) left out.",
            f"{len(found.disagreements)} name(s) that disagree with the administrative map (its names were kept).",
        ]
        if found.unreliable_names:
            lines.append(f"{found.unreliable_names} name(s) flagged unreliable by the file (lib_com_fiable=non) ignored.")
        lines += [note.where(name) for note in found.mapped + found.unknown]
        lines += [note.where(name) for note in found.disagreements[:_SHOWN]]
        if len(found.disagreements) > _SHOWN:
            lines.append(f"… and {len(found.disagreements) - _SHOWN} more name disagreements.")
        return lines


def load_territories(
    graph: GraphBackend, path: str | Path | SiteList, *, phase: str | None = None, vintage: str | None = None, skip_unknown: bool = False,
    dry_run: bool = False, reference: ReferenceData | None = None, source: Mapping[str, Any] | None = None,
    progress: Progress = no_progress,
) -> TerritoryLoad:  # fmt: skip
    """Load a list of territories (phase I or II, by groupement or by commune) in one transaction.

    Parameters
    ----------
    graph : GraphBackend
        Holding the administrative map (`loaders.reference.load_reference`).
    path : str, Path or SiteList
        The list: CSV, or gzip'd CSV (``.csv.gz``, as shipped in the package), or a list already
        read by `read_territory_list` against ``reference`` (then ``phase``, ``vintage`` and
        ``skip_unknown`` are those it was read with).
    phase : {"I", "II"}, optional
        Taken from the file name when not given.
    vintage : str, optional
        The list's date, recorded on its `Source`; taken from the file name when not given.
    skip_unknown : bool
        Leave out the members the administrative map does not know, and report them.
    dry_run : bool
        Compute what would change, and roll it back.
    reference : ReferenceData, optional
        The map the members are checked against; the shipped copy by default.
    source : mapping, optional
        More properties for the `Source` node (publisher, url, licence).
    progress : Progress
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    TerritoryLoad
        What changed; a list with no territory (a header and no rows, a GeoJSON without features)
        writes nothing, not even its `Source`, and says why in ``empty``.

    Raises
    ------
    LoaderError
        Listing every bad row (nothing is written), or naming members missing from the graph.
    """
    reference = reference or shipped_reference()
    if isinstance(path, SiteList):
        found = path
    else:
        found = read_territory_list(path, reference, phase=phase, vintage=vintage, skip_unknown=skip_unknown)
    if found.empty:  # a source citing nothing: not written
        return TerritoryLoad(WriteStats(), found, "", dry_run, empty=found.empty)
    places = _places(found, reference)
    _check_graph(graph, found, places)
    row = _source_row(found, source or {})
    with write_or_preview(graph, dry_run=dry_run):
        stats = _write(graph, found, places, reference, row, progress)
    return TerritoryLoad(stats, found, row["key"], dry_run)


@functools.cache
def shipped_reference() -> ReferenceData:
    """The administrative map shipped in the package, read once per process (from the cache directory while unchanged)."""
    return read_compact_cached(builtin_reference_dir())


def read_territory_list(
    path: str | Path, reference: ReferenceData, *, phase: str | None = None, vintage: str | None = None, skip_unknown: bool = False
) -> SiteList:
    """Read and check a list of territories (`loaders.anct_read`), with its phase and vintage.

    The phase (``I``/``II``) and the vintage come from the file name (``ti_phase2_…_20240704.csv``)
    unless given; a list whose phase is unknown is refused.

    Raises
    ------
    LoaderError
        Naming every bad row, or saying that the phase is needed.
    """
    path = Path(path)
    named_phase, named_date = parse_file_name(path.name.removesuffix(".gz"))
    phase = phase or named_phase
    if vintage is not None:
        _check_vintage(path, vintage)
    if phase not in PHASES:
        raise LoaderError(f"{path}: cannot tell which phase of the programme this list is; pass --phase I or --phase II.")
    if reference is shipped_reference():  # checked against the shipped map: a file checked before is not read again
        found = cached_read(path, lambda: read_anct_list(path, reference, skip_unknown=skip_unknown, outlines=True), "territory-list", skip_unknown)
        found.path = path  # as given this time
    else:
        found = read_anct_list(path, reference, skip_unknown=skip_unknown, outlines=True)
    found.phase, found.vintage = phase, vintage or named_date
    cited = sorted({m.key for m in found.members if m.kind == "Site"})
    if cited:
        raise LoaderError(f"{path}: a list of territories covers communes, EPCI and EPT, not other sites ({', '.join(cited)}).")
    return found


def _check_vintage(path: Path, vintage: str) -> None:
    """Refuse a vintage that is not a day of the calendar written YYYY-MM-DD."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", vintage):
            raise ValueError(vintage)
        dt.date.fromisoformat(vintage)
    except ValueError:
        raise LoaderError(f"{path}: --vintage: {quoted(vintage)} is not a date of the calendar written YYYY-MM-DD, such as 2024-07-04.") from None


def _source_row(found: SiteList, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The list's `Source` (a shipped ``.gz`` copy is the same source as the published list)."""
    return file_source(found.path, rows=found.rows, vintage=found.vintage, **{"name": found.name, **extra})


# ---------------------------------------------------------------- derived places


@dataclass
class _Places:
    """Each territory's departments and regions, derived from its members."""

    departments: dict[str, set[str]]
    regions: dict[str, set[str]]


def _places(found: SiteList, reference: ReferenceData) -> _Places:
    commune = {c.code: (c.department, c.region) for c in reference.communes}
    of_group: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in reference.memberships:
        of_group[m.group_siren].add(commune[m.commune_code])
    places = _Places(defaultdict(set), defaultdict(set))
    for member in found.members:
        where = {commune[member.key]} if member.kind == "Commune" else of_group.get(member.key, set())
        for department, region in where:
            places.departments[member.site].add(department)
            places.regions[member.site].add(region)
    return places


def _check_graph(graph: GraphBackend, found: SiteList, places: _Places) -> None:
    """Raise if the graph lacks a member, department or region the list needs."""
    wanted = {
        "Epci": {m.key for m in found.members if m.kind == "Epci"},
        "Commune": {m.key for m in found.members if m.kind == "Commune"},
        "Department": set().union(*places.departments.values()),
        "Region": set().union(*places.regions.values()),
    }
    missing = []
    for label, keys in wanted.items():
        present = {r["key"] for r in graph.run(f"MATCH (n:{label}) RETURN n.key AS key")} if keys else set()
        missing += [f"{label.lower()}:{key}" for key in sorted(keys - present)]
    if missing:
        shown = ", ".join(missing[:_SHOWN]) + (f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else "")
        raise LoaderError(f"{found.path}: the graph lacks {len(missing)} place(s) the list covers ({shown}); "
                          'load the administrative map first: "tdi load reference". Nothing was loaded.')  # fmt: skip


# ---------------------------------------------------------------- writing


def _write(graph: GraphBackend, found: SiteList, places: _Places, reference: ReferenceData, source: dict[str, Any],
           progress: Progress) -> WriteStats:  # fmt: skip
    """Write the source, the programme, the territories, then their relationships."""
    cite, phase = [source["key"]], found.phase
    key = {official_id: f"{phase}-{official_id}" for official_id in found.sites}
    stats = WriteStats().add(record_source(graph, source))
    stats.add(graph.upsert_nodes("Programme", [{**PROGRAMME, "sources": cite}]))
    stats.add(graph.upsert_nodes("Territory", _territory_rows(graph, found, key, source)))
    batches = [
        *(("COVERS", f"COVERS Territory→{kind}", [
            EdgeRow("Territory", key[t], kind, k, {"phase": phase, "sources": cite}) for t, k in sorted({(m.site, m.key) for m in found.members if m.kind == kind})
        ]) for kind in ("Epci", "Commune")),
        ("IN_DEPARTMENT", "IN_DEPARTMENT Territory→Department", _place_edges(places.departments, key, "Department", cite)),
        ("IN_REGION", "IN_REGION Territory→Region", _place_edges(places.regions, key, "Region", cite)),
        ("LABELLED", "LABELLED", [EdgeRow("Territory", k, "Programme", PROGRAMME["key"], {"phase": phase, "sources": cite}) for k in key.values()]),
    ]  # fmt: skip
    total, done = sum(len(rows) for *_, rows in batches), 0
    progress("writing territories", 0, total)
    for rel_type, name, rows in batches:
        for start in range(0, len(rows), CHUNK):
            stats.add(_renamed(graph.upsert_edges(rel_type, rows[start : start + CHUNK]), rel_type, name))
            done += len(rows[start : start + CHUNK])
            progress("writing territories", done, total)
    return stats.add(_write_successions(graph, reference))


def _renamed(stats: WriteStats, old: str, new: str) -> WriteStats:
    """The same counts with ``old`` called ``new`` (to tell COVERS of EPCI from COVERS of communes)."""
    for counter in (stats.created, stats.updated, stats.unchanged, stats.ended):
        if old in counter and old != new:
            counter[new] += counter.pop(old)
    return stats


def _place_edges(places: dict[str, set[str]], key: dict[str, str], label: str, cite: list[str]) -> list[EdgeRow]:
    return [EdgeRow("Territory", key[t], label, p, {"sources": cite}) for t in sorted(places) for p in sorted(places[t])]


def _territory_rows(
    graph: GraphBackend, found: SiteList, key: dict[str, str], source: dict[str, Any]
) -> list[dict[str, Any]]:
    """Territory rows; where the graph already names one differently, the newer list's name wins."""
    rows = {
        key[official_id]: {
            "key": key[official_id],
            "name": name,
            "official_id": official_id,
            "phase": found.phase,
            "sources": [source["key"]],
            **({"outline": found.outlines[official_id]} if official_id in found.outlines else {}),
        }
        for official_id, name in found.sites.items()
    }
    existing = graph.run("UNWIND $keys AS k MATCH (t:Territory {key: k}) RETURN t.key AS key, t.name AS name, t.sources AS sources, "
                         "t.outline IS NOT NULL AS drawn", {"keys": list(key.values())})  # fmt: skip
    cited = sorted({s for r in existing for s in r["sources"] or []})
    vintage = {r["key"]: r["vintage"] or "" for r in graph.run("UNWIND $keys AS k MATCH (s:Source {key: k}) RETURN s.key AS key, "
                                                               "s.vintage AS vintage", {"keys": cited})}  # fmt: skip
    ours = found.vintage or ""
    for old in existing:
        row = rows.get(old["key"])
        newer = row is not None and any(vintage.get(s, "") > ours for s in old["sources"] or [] if s != source["key"])
        if newer and old["drawn"]:
            row.pop("outline", None)  # the newer list's outline stays
        if row is None or old["name"] == row["name"]:
            continue
        if newer:
            row["aliases"], row["name"] = [row["name"]], old["name"]
        else:
            row["aliases"] = [old["name"]]
    return list(rows.values())


# ---------------------------------------------------------------- successions


def succession_shares(
    before: Members, after: Members, groups_of: Mapping[str, set[str]] | None = None
) -> dict[tuple[str, str], float]:
    """The share of each phase I territory's groupements found in each phase II territory.

    A phase I groupement (an EPCI, EPT or commune) is found in a phase II territory that covers
    it, or, for a commune, that covers a groupement the commune belongs to (``groups_of``:
    commune code → SIRENs). The share is the number found divided by the number of the phase I
    territory's groupements, rounded to 4 decimals: 1.0 is a continuation, shares below 1 in
    several territories a split, shares of several phase I territories in one a merger, and a
    phase I territory without any share has left the programme.

    >>> before = {"I-a": {("Epci", "1"), ("Epci", "2"), ("Commune", "01001")}, "I-b": {("Epci", "9")}}
    >>> after = {"II-x": {("Epci", "1"), ("Epci", "3")}, "II-y": {("Epci", "2")}}
    >>> succession_shares(before, after, {"01001": {"3"}})
    {('I-a', 'II-x'): 0.6667, ('I-a', 'II-y'): 0.3333}
    """
    groups_of = groups_of or {}
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for territory, members in after.items():
        for member in members:
            holders[member].add(territory)
    shares = {}
    for territory, members in before.items():
        found: Counter[str] = Counter()
        for kind, member_key in members:
            where = set(holders.get((kind, member_key), ()))
            if kind == "Commune":
                where = where.union(*(holders.get(("Epci", g), set()) for g in groups_of.get(member_key, ())))
            found.update(where)
        shares.update({(territory, successor): round(n / len(members), 4) for successor, n in found.items()})
    return dict(sorted(shares.items()))


def _write_successions(graph: GraphBackend, reference: ReferenceData) -> WriteStats:
    """Recompute ``SUCCEEDED_BY`` from every phase I and phase II coverage in the graph."""
    covers: dict[str, dict[str, set[tuple[str, str]]]] = {"I": defaultdict(set), "II": defaultdict(set)}
    sources: dict[str, set[str]] = defaultdict(set)
    for r in graph.run("MATCH (t:Territory)-[c:COVERS]->(g) WHERE t.phase IN ['I', 'II'] "
                       "RETURN t.key AS t, t.phase AS phase, head(labels(g)) AS kind, g.key AS g, c.sources AS sources"):  # fmt: skip
        covers[r["phase"]][r["t"]].add((r["kind"], r["g"]))
        sources[r["t"]].update(r["sources"] or [])
    groups_of: dict[str, set[str]] = defaultdict(set)
    for m in reference.memberships:
        groups_of[m.commune_code].add(m.group_siren)
    shares = succession_shares(covers["I"], covers["II"], groups_of)
    rows = [
        EdgeRow("Territory", a, "Territory", b, {"share": share, "sources": sorted(sources[a] | sources[b])})
        for (a, b), share in shares.items()
    ]
    return graph.upsert_edges("SUCCEEDED_BY", rows) if rows else WriteStats()
