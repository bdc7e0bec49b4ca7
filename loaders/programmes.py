"""Load ANCT's programme lists: each programme's sites and the communes, EPCI or sites they cover.

`load_programmes` reads every file first (`loaders.anct_read`, the reader of the lists of
Territoires d'industrie too), resolves the sites they cite (``ti-8408`` in ``fabp``: a
territory of industry, the latest phase the graph holds), checks that the graph holds every
commune and EPCI cited (``tdi load reference``), then writes all the files in one transaction (all
of them or nothing), every item citing the file's `Source` (sha256, features, load time):

- the `Programme` (key from its name, ``code`` = ANCT's code, taken from the file name
  ``pvd.geojson`` or ``pvd_geom.geojson``, or given);
- one `Site` per feature (a feature repeated identically is one site), with its name, official
  id, programme code, signature date (``signed``) and massif when the file gives them;
- ``COVERS`` from the site to each commune, EPCI, EPT, territory or site it lists;
- ``LABELLED`` from the site to its programme (``date`` = signature date, when given).

Example
-------
>>> result = load_programmes(graph, ["pvd.geojson"])    # doctest: +SKIP
>>> result.stats.created["Site"]                        # doctest: +SKIP
1645
>>> programme_of("superposeur/pvd_geom.geojson")
'pvd'
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.backend import EdgeRow, GraphBackend, WriteStats
from graph.errors import LoaderError
from graph.keys import slugify
from loaders.anct_read import CodeIndex, Member, Note, SiteList, read_anct_list
from loaders.cog import ReferenceData
from loaders.cog_compact import builtin_reference_dir, read_compact_cached
from loaders.problems import problems_error
from loaders.session import (
    Progress,
    cached_read,
    file_sha256,
    file_source,
    load_mark,
    no_progress,
    recorded_stats,
    remember_load,
    write_or_preview,
)

__all__ = ["PROGRAMMES", "ProgrammeFile", "ProgrammeLoad", "load_programmes", "programme_of", "recorded_reload", "site_key"]

PROGRAMMES = {  # ANCT's code: the programme's name
    "acv": "Action cœur de ville", "acv2": "Entrées de ville", "ami": "Avenir Montagnes Ingénierie",
    "amm": "Avenir Montagnes Mobilités", "cde": "Cités de l'emploi", "citeduc": "Cités éducatives",
    "fabp": "Fabriques prospectives", "fabt": "Fabriques de territoires",
    "frla": "Fonds de restructuration des locaux d'activité", "fs": "France services",
    "manuprox": "Manufactures de proximité", "pao": "Projet et appui opérationnel", "pvd": "Petites villes de demain",
    "va": "Villages d'avenir",
}  # fmt: skip


@dataclass
class ProgrammeFile:
    """One file read: its programme code and checked list, and the sites it cites, resolved to (kind, key)."""

    code: str
    found: SiteList
    cited: dict[str, tuple[str, str]] = field(default_factory=dict)

    def key(self, site: str) -> str:
        return site_key(self.code, site)


@dataclass
class ProgrammeLoad:
    """What a load did (or, for a dry run, would do), and what the check noted in each file; ``empty`` says why
    each file that held nothing to load (path → reason) was left out."""

    stats: WriteStats
    files: list[ProgrammeFile]
    dry_run: bool = False
    recorded_notes: list[str] | None = None  # the notes of the same load, recorded when nothing was left to do
    empty: dict[Path, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        """The report's lines: per file its counts, then each mapped and each left-out code."""
        if self.recorded_notes is not None:
            return list(self.recorded_notes)
        lines = []
        for read in self.files:
            found, name = read.found, str(read.found.path)
            kinds = Counter(m.kind for m in found.members)
            lines += [
                (f"{name}: programme {read.code} ({PROGRAMMES.get(read.code, read.code)}), {found.rows} features, "
                f"{len(found.sites)} sites ({found.repeated} repeated features), {found.references} code references: "
                f"{kinds['Commune']} communes, {kinds['Epci']} EPCI/EPT, {kinds['Site']} other sites."),
                (f"{len(found.mapped)} code(s) mapped to their current commune, {len(found.unknown)} unknown code(s) skipped, "
                f"{len(found.disagreements)} name(s) that disagree with the administrative map (its names were kept)."),
            ]
            lines += [note.where(name) for note in found.mapped + found.unknown]
        return lines


def programme_of(path: str | Path) -> str:
    """ANCT's programme code that a file's name gives (``pvd.geojson``, ``pvd_geom.geojson`` → ``pvd``)."""
    stem = Path(path).name.removesuffix(".gz").split(".")[0].lower()
    return stem.removesuffix("_geom")


def site_key(code: str, site: str) -> str:
    """A site's key: its id as a slug, prefixed with the programme's code when it lacks it.

    >>> site_key("pvd", "pvd-94-2A-1"), site_key("citeduc", "cite-001"), site_key("frla", "OPE1 (02408)")
    ('pvd-94-2a-1', 'citeduc-cite-001', 'frla-ope1-02408')
    """
    slug = slugify(site)
    return slug if slug.startswith(f"{code}-") else f"{code}-{slug}"


def load_programmes(
    graph: GraphBackend, paths: Sequence[str | Path], *, programme: str | None = None, skip_unknown: bool = False,
    dry_run: bool = False, reference: ReferenceData | None = None, source: Mapping[str, Any] | None = None,
    progress: Progress = no_progress,
) -> ProgrammeLoad:  # fmt: skip
    """Load programme files (ANCT's cartography GeoJSON, or CSV), each in its own transaction.

    Parameters
    ----------
    graph : GraphBackend
        Holding the administrative map (`loaders.reference.load_reference`).
    paths : sequence of str or Path
        The files; each file's programme code comes from its name unless ``programme`` is given.
    programme : str, optional
        ANCT's code of the programme (``pvd``…), for files whose name does not give it.
    skip_unknown : bool
        Leave out codes the administrative map does not know and items that do not parse, and report them.
    dry_run : bool
        Compute what would change, and roll it back.
    reference : ReferenceData, optional
        The map the codes are checked against; the shipped copy by default.
    source : mapping, optional
        More properties for each file's `Source` node (publisher, url, licence).
    progress : Progress
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    ProgrammeLoad
        What changed; a file with no site (a GeoJSON without features, a header and no rows) writes
        nothing, not even its `Source`, and says why in ``empty``; when no file holds a site, nothing is written.

    Raises
    ------
    LoaderError
        Naming every bad entry of a file, a cited site that is nowhere, or places missing from the graph;
        nothing is written when any file is bad.
    """
    files = [ProgrammeFile((programme or programme_of(p)).lower(), found) for p, found in zip(paths, _read_files(paths, skip_unknown, reference))]
    empty = {read.found.path: read.found.empty for read in files if read.found.empty}  # a source citing nothing: not written
    files = [read for read in files if not read.found.empty]
    if not files:
        return ProgrammeLoad(WriteStats(), [], dry_run, empty=empty)
    _resolve_cited(graph, files, skip_unknown)
    _check_graph(graph, files)
    with write_or_preview(graph, dry_run=dry_run):
        stats, hashes = _write(graph, files, dict(source or {}), progress)
        result = ProgrammeLoad(stats, files, dry_run, empty=empty)
        if not dry_run and reference is None and not empty:  # a reload with an empty file says so again: not recorded
            remember_load(graph, _mark(hashes, programme, skip_unknown, source), stats, notes=result.notes())
    return result


def recorded_reload(
    db: str | Path, paths: Sequence[str | Path], *, programme: str | None = None, skip_unknown: bool = False,
    dry_run: bool = False, source: Mapping[str, Any] | None = None,
) -> ProgrammeLoad | None:  # fmt: skip
    """What `load_programmes` would report, without opening the graph, when it would change nothing.

    That is when the last write to the embedded graph at ``db`` was this very load: the same
    files (names and sha256, in this order), options and code (`graph.load_marks`). None
    otherwise: the files must then be loaded.

    >>> recorded_reload("/nonexistent/graph", []) is None
    True
    """
    try:
        hashes = [(Path(p).name, file_sha256(p)) for p in paths]
    except (OSError, LoaderError):  # the load itself says what is wrong with a file
        return None
    found = recorded_stats(db, _mark(hashes, programme, skip_unknown, source))
    if found is None:
        return None
    stats, details = found
    return ProgrammeLoad(stats, [], dry_run, recorded_notes=[str(line) for line in details.get("notes", [])])


def _read_files(paths: Sequence[str | Path], skip_unknown: bool, reference: ReferenceData | None) -> list[SiteList]:
    """Read and check each file against the map; against the shipped one, a file checked before comes from the cache
    (`loaders.session.cached_read`), and the map is only read if some file must be checked again."""
    index = functools.cache(lambda: CodeIndex(reference or read_compact_cached(builtin_reference_dir())))
    found = []
    for path in paths:
        def check(path: str | Path = path) -> SiteList:
            return read_anct_list(path, index(), skip_unknown=skip_unknown)

        read = check() if reference is not None else cached_read(path, check, "anct-list", skip_unknown)
        read.path = Path(path)  # as given this time (the cached copy names the path it was read from)
        found.append(read)
    return found


def _mark(hashes: list[tuple[str, str]], programme: str | None, skip_unknown: bool, source: Mapping[str, Any] | None) -> str:
    return load_mark("programmes", hashes, programme=(programme or "").lower(), skip_unknown=skip_unknown, source=dict(source or {}))


def _resolve_cited(graph: GraphBackend, files: list[ProgrammeFile], skip_unknown: bool) -> None:
    """Find each cited site: a site of these files, a site in the graph, or a territory (latest phase)."""
    wanted = sorted({m.key for read in files for m in read.found.members if m.kind == "Site"})
    ours = {site.lower(): ("Site", read.key(site)) for read in files for site in read.found.sites if site.lower() in wanted}
    rows = graph.run("UNWIND $ids AS i MATCH (s:Site) WHERE s.official_id = i RETURN s.official_id AS id, s.key AS key", {"ids": wanted})
    known = {r["id"]: ("Site", r["key"]) for r in rows}
    rows = graph.run("UNWIND $ids AS i MATCH (t:Territory) WHERE t.official_id = i "
                     "RETURN t.official_id AS id, t.key AS key ORDER BY t.phase", {"ids": wanted})  # fmt: skip
    known.update({r["id"]: ("Territory", r["key"]) for r in rows})
    known.update(ours)
    for read in files:
        problems, kept = [], []
        for member in read.found.members:
            if member.kind != "Site" or member.key in known:
                kept.append(member)
                read.cited.update({member.key: known[member.key]} if member.kind == "Site" else {})
                continue
            detail = "is no site of these files nor a site or territory of the graph"
            note = Note(member.line, "liste_geo", member.key, detail, member.site)
            if skip_unknown:
                read.found.unknown.append(Note(note.line, note.column, note.value, f"{detail}: left out", note.feature))
            else:
                problems.append(note.where(str(read.found.path)) + " (load the territories or that programme first, or pass --skip-unknown)")
        if problems:
            raise problems_error(read.found.path, problems)
        read.found.members = kept


def _check_graph(graph: GraphBackend, files: list[ProgrammeFile]) -> None:
    """Raise if the graph lacks a commune or EPCI the files cover."""
    missing = []
    for label in ("Commune", "Epci"):
        keys = sorted({m.key for read in files for m in read.found.members if m.kind == label})
        # Looked up by key: the cost follows the files, not the graph (35,000 communes).
        present = {r["key"] for r in graph.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key", {"keys": keys})}
        missing += [f"{label.lower()}:{key}" for key in keys if key not in present]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise LoaderError(f"{files[0].found.path}: the graph lacks {len(missing)} place(s) the files cover ({shown}); "
                          'load the administrative map first: "tdi load reference". Nothing was loaded.')  # fmt: skip


def _write(graph: GraphBackend, files: list[ProgrammeFile], extra: dict[str, Any], progress: Progress) -> tuple[WriteStats, list[tuple[str, str]]]:
    """Write every file's source, programme and sites, then their relationships, in a few batches.

    Returns the counts and each file's (name, sha256).
    """
    stats, nodes, edges = WriteStats(), {"Source": [], "Programme": [], "Site": []}, {}
    for read in files:
        found, code = read.found, read.code
        source = file_source(found.path, rows=found.rows, vintage=found.vintage, **{"name": found.name, **extra})
        nodes["Source"].append(source)
        cite, programme_key, name = [source["key"]], slugify(PROGRAMMES.get(code, code)), PROGRAMMES.get(code, code)
        nodes["Programme"].append({"key": programme_key, "name": name, "code": code, "sources": cite})
        keys = {site: read.key(site) for site in found.sites}
        for site, site_name in found.sites.items():
            details = found.details.get(site, {})
            nodes["Site"].append({"key": keys[site], "name": site_name, "official_id": site, "programme": code, "sources": cite,
                                  "signed": details.get("signed"), "massif": details.get("massif")})  # fmt: skip
            edges.setdefault("LABELLED", []).append(
                EdgeRow("Site", keys[site], "Programme", programme_key, {"date": details.get("signed"), "sources": cite}))
        for kind, key, site in sorted({_target(read, m) + (m.site,) for m in found.members}):
            edges.setdefault(f"COVERS {kind}", []).append(EdgeRow("Site", keys[site], kind, key, {"sources": cite}))
    hashes = [(Path(read.found.path).name, source["sha256"]) for read, source in zip(files, nodes["Source"])]
    stats.add(graph.upsert_nodes("Source", _first_loads(graph, nodes.pop("Source"))))
    for label, rows in nodes.items():
        stats.add(graph.upsert_nodes(label, rows))
    total, done = sum(len(rows) for rows in edges.values()), 0
    for name, rows in sorted(edges.items()):  # one call per type and kind: the graph's rows are read once
        stats.add(graph.upsert_edges(name.split()[0], rows))
        done += len(rows)
        progress("writing programmes", done, total)
    return stats, hashes


def _first_loads(graph: GraphBackend, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `Source` rows, each file loaded before with the same sha256 keeping its first ``loaded_at``."""
    rows = graph.run("UNWIND $keys AS k MATCH (s:Source {key: k}) RETURN s.key AS key, s.sha256 AS sha256, s.loaded_at AS loaded_at",
                     {"keys": [s["key"] for s in sources]})  # fmt: skip
    first = {r["key"]: r["loaded_at"] for r in rows if r["loaded_at"]}
    sha = {r["key"]: r["sha256"] for r in rows}
    return [{**s, "loaded_at": first[s["key"]]} if s["key"] in first and sha[s["key"]] == s["sha256"] else s for s in sources]


def _target(read: ProgrammeFile, member: Member) -> tuple[str, str]:
    return read.cited[member.key] if member.kind == "Site" else (member.kind, member.key)
