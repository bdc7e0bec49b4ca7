"""Read and check an ANCT list (Territoires d'industrie or another programme) against the administrative map.

One reader for every list ANCT publishes, whatever its shape (`loaders.anct_files`: a CSV with one
row per member, or the cartography GeoJSON with one feature per site and its ``liste_geo``).
Each code a site lists is resolved:

- a 5-character INSEE code is a commune; a code that is now a delegated or associated commune,
  or a municipal arrondissement of Paris, Lyon or Marseille, is mapped to its commune and reported;
- a 9-digit SIREN is an EPCI, an EPT, or a commune that is a member directly;
- an id such as ``ti-8408`` is another site (kind ``Site``, resolved by the loader against the graph);
- anything else, or a ``liste_geo`` item that is not ``Name (CODE)``, is a problem.

Every entry is checked before anything is written; `read_anct_list` raises one `LoaderError`
listing each problem as ``FILE:LINE: column: reason`` (``FILE: feature N (id): column: reason``
for GeoJSON). A code the map does not know is a problem, unless ``skip_unknown``: then it is
left out and reported. The map's names win over the file's: disagreements are counted, and
names the file flags as unreliable (``lib_com_fiable=non``) are ignored.

Example
-------
>>> parse_file_name("ti_phase2_groupements_anct_20240704.csv")
('II', '2024-07-04')
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.anct_files import Entry, read_entries
from loaders.cog import ReferenceData
from loaders.problems import problems_error
from loaders.values import parse_commune

__all__ = ["CodeIndex", "Member", "Note", "SiteList", "parse_file_name", "read_anct_list"]

_PHASE = re.compile(r"phase[\s_-]*(ii|i|2|1)(?![a-z0-9])", re.IGNORECASE)
_DATE = re.compile(r"(?<![0-9])(20[0-9][0-9])-?(0[1-9]|1[0-2])-?(0[1-9]|[12][0-9]|3[01])(?![0-9])")
_OFFICIAL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SITE_REF = re.compile(r"^[a-z]+(?:-[a-z0-9]+)+$", re.IGNORECASE)
_COMMUNE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_FORMER = {"commune-deleguee": "delegated commune", "commune-associee": "associated commune"}


@dataclass(frozen=True)
class Member:
    """What a site covers: ``kind`` is ``Epci`` (EPCI or EPT), ``Commune`` or ``Site`` (another site's official id)."""

    site: str
    kind: str
    key: str
    line: int


@dataclass(frozen=True)
class Note:
    """Something the load reports about one entry: a mapped code, an unknown one, a name that disagrees."""

    line: int
    column: str
    value: str
    detail: str
    feature: str = ""

    def where(self, path: str) -> str:
        """``FILE:LINE: column: "value" detail`` (``FILE: feature N (id): …`` for a GeoJSON feature)."""
        at = f"{path}: feature {self.line} ({self.feature})" if self.feature else f"{path}:{self.line}"
        return f'{at}: {self.column}: "{self.value}" {self.detail}'


@dataclass
class SiteList:
    """A checked list: its sites (id → name) and their details, members, and what the check noted."""

    path: Path
    format: str
    rows: int = 0
    references: int = 0
    repeated: int = 0
    sites: dict[str, str] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    mapped: list[Note] = field(default_factory=list)
    unknown: list[Note] = field(default_factory=list)
    disagreements: list[Note] = field(default_factory=list)
    unreliable_names: int = 0
    encoding: str = ""
    delimiter: str = ""
    phase: str | None = None
    vintage: str | None = None
    outlines: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The list's file name, without a ``.gz`` suffix (the name it was published under)."""
        return self.path.name.removesuffix(".gz")

    @property
    def empty(self) -> str:
        """Why the list has nothing to load (no site to write, whose `Source` would cite nothing), or ``""``.

        >>> SiteList(Path("pvd.geojson"), "geojson").empty, SiteList(Path("liste.csv"), "csv").empty
        ('no features', 'no rows below the header')
        >>> SiteList(Path("liste.csv"), "csv", rows=2, sites={"ti-0101": "Cap Excellence"}).empty
        ''
        """
        if self.sites:
            return ""
        if not self.rows:
            return "no features" if self.format == "geojson" else "no rows below the header"
        these = ("its one feature" if self.rows == 1 else f"its {self.rows} features") if self.format == "geojson" else (
            "its one row" if self.rows == 1 else f"its {self.rows} rows")  # fmt: skip
        return f"{these} name no site"


def parse_file_name(name: str) -> tuple[str | None, str | None]:
    """The phase (``I``, ``II``) and the date (ISO) that a list's file name gives, or ``None``.

    >>> parse_file_name("ti_phase1_groupements_anct_datagouv.csv")
    ('I', None)
    >>> parse_file_name("liste-ti-2023-08-02.csv")
    (None, '2023-08-02')
    """
    phase = _PHASE.search(name)
    date = _DATE.search(name)
    return (
        {"1": "I", "i": "I", "2": "II", "ii": "II"}[phase.group(1).lower()] if phase else None,
        "-".join(date.groups()) if date else None,
    )


def read_anct_list(
    path: str | Path, reference: ReferenceData | CodeIndex, *, skip_unknown: bool = False, outlines: bool = False
) -> SiteList:
    """Read an ANCT list (CSV or cartography GeoJSON) and check every code against the administrative map.

    Parameters
    ----------
    path : str or Path
        A CSV or GeoJSON file, gzip'd or not.
    reference : ReferenceData or CodeIndex
        The administrative map the codes are looked up in (a `CodeIndex` of it, to read several files).
    skip_unknown : bool
        Leave out codes the map does not know and items that do not parse (they are listed in ``unknown``).
    outlines : bool
        Keep each GeoJSON site's outline, simplified (``outlines``: site id → GeoJSON text).

    Returns
    -------
    SiteList

    Raises
    ------
    LoaderError
        Naming every bad entry (up to `loaders.problems.MAX_PROBLEMS`).
    """
    path = Path(path)
    read = read_entries(path, outlines=outlines)
    found = SiteList(path, read.format, rows=read.rows, references=read.references, repeated=read.repeated,
                     details=read.details, encoding=read.encoding, delimiter=read.delimiter, outlines=read.outlines)  # fmt: skip
    index = reference if isinstance(reference, CodeIndex) else CodeIndex(reference)
    checker = _Checker(found, index, skip_unknown)
    checker.problems += read.problems
    checker.check(read.entries)
    return found


class CodeIndex:
    """The administrative map's codes, looked up by the reader (build it once to read several files)."""

    def __init__(self, reference: ReferenceData) -> None:
        self.vintage = reference.vintage
        self.communes = {c.code: c.name for c in reference.communes}
        self.former = {f.code: f for f in reference.former_communes if f.code not in self.communes}
        self.groups = {g.siren: (g.name, "EPT" if g.type == "EPT" else "EPCI") for g in reference.groupements}
        self.commune_sirens = {c.siren: (c.code, c.name) for c in reference.communes if c.siren}


class _Checker:
    """Checks entries one by one, filling a `SiteList` and a list of problems."""

    def __init__(self, found: SiteList, index: CodeIndex, skip_unknown: bool) -> None:
        self.found, self.skip_unknown = found, skip_unknown
        self.vintage, self.communes, self.former = index.vintage, index.communes, index.former
        self.groups, self.commune_sirens = index.groups, index.commune_sirens
        self.first_line: dict[str, int] = {}
        self.problems: list[str] = []

    def check(self, entries: list[Entry]) -> None:
        for entry in entries:
            site = self.site(entry)
            member = self.member(entry)
            if site and member:
                self.found.members.append(Member(site, member[0], member[1], entry.line))
        if self.problems:
            raise problems_error(self.found.path, self.problems)

    def problem(self, entry: Entry, reason: str, column: str = "") -> None:
        at = f"{self.found.path}: feature {entry.line} ({entry.feature})" if entry.feature else f"{self.found.path}:{entry.line}"
        self.problems.append(f"{at}: {column or entry.column}: {reason}")

    def site(self, entry: Entry) -> str | None:
        """The entry's site id (official ids of CSV lists are checked and lower-cased), or None after a problem."""
        site = entry.site if entry.feature else entry.site.lower()
        if not entry.feature and not _OFFICIAL_ID.fullmatch(site):
            self.problem(entry, f'"{site}" is not an official id such as ti-0101', entry.columns[0])
            return None
        if not entry.site_name:
            self.problem(entry, f"empty; every row names its territory ({site})", entry.columns[1])
            return None
        known = self.found.sites.setdefault(site, entry.site_name)
        first = self.first_line.setdefault(site, entry.line)
        if known != entry.site_name:
            self.problem(entry, f'"{entry.site_name}", but line {first} names {site} "{known}"; one territory has one name', entry.columns[1])
            return None
        return site

    def member(self, entry: Entry) -> tuple[str, str] | None:
        """(kind, key) of what the entry's code names, or None (after a problem or a note)."""
        if entry.code is None:
            return self.unknown(entry, entry.raw, 'is not "Name (CODE)"')
        code = entry.code.replace(" ", "") if entry.expect != "insee" else entry.code
        if entry.expect == "siren" or (entry.expect == "any" and re.fullmatch(r"[0-9]{9}", code)):
            return self.group(entry, code)
        if entry.expect == "any" and _SITE_REF.match(code) and not _COMMUNE.match(code.upper()):
            return "Site", code.lower()
        if entry.expect == "any" and not re.fullmatch(r"[0-9]{4,5}|2[abAB][0-9]{3}", code):
            return self.unknown(entry, code, "is neither an INSEE commune code, a SIREN nor a site id such as ti-8408")
        return self.commune(entry, code)

    def group(self, entry: Entry, siren: str) -> tuple[str, str] | None:
        if not re.fullmatch(r"[0-9]{9}", siren):
            self.problem(entry, f'"{siren}" is not a SIREN (9 digits)')
            return None
        if siren in self.groups:
            self.compare(entry, *self.groups[siren])
            return "Epci", siren
        if siren in self.commune_sirens:
            code, name = self.commune_sirens[siren]
            self.compare(entry, name, "commune")
            return "Commune", code
        return self.unknown(entry, siren, f"is neither an EPCI, an EPT nor a commune of the administrative map {self.vintage}")

    def commune(self, entry: Entry, code: str) -> tuple[str, str] | None:
        code = code.upper().zfill(5) if code.isascii() and code.isdigit() else code.upper()
        if not _COMMUNE.match(code):
            self.problem(entry, f'"{code}" is not an INSEE commune code (5 characters, such as 62119 or 2A004)')
            return None
        if not entry.reliable:
            self.found.unreliable_names += 1
            entry = dataclasses.replace(entry, given="")
        if code in self.communes:
            self.compare(entry, self.communes[code], "commune")
            return "Commune", code
        if code in self.former:
            former = self.former[code]
            what = _FORMER.get(former.type, former.type)
            self.compare(entry, former.name, what)
            current = f"{former.current_code} ({self.communes.get(former.current_code, '?')})"
            self.note(self.found.mapped, entry, code, f"is the {what} {former.name}: mapped to commune {current}")
            return "Commune", former.current_code
        if parse_commune(code) in self.communes:
            current = parse_commune(code)
            self.note(self.found.mapped, entry, code, f"is a municipal arrondissement: mapped to commune {current} ({self.communes[current]})")
            return "Commune", current
        return self.unknown(entry, code, f"is not a commune of the administrative map {self.vintage}")

    def note(self, notes: list[Note], entry: Entry, value: str, detail: str, column: str = "") -> None:
        notes.append(Note(entry.line, column or entry.column, value, detail, entry.feature))

    def compare(self, entry: Entry, reference_name: str, what: str) -> None:
        if entry.given and entry.given != reference_name:
            detail = f'is "{reference_name}" in the administrative map ({what})'
            self.note(self.found.disagreements, entry, entry.given, detail, entry.columns[2])

    def unknown(self, entry: Entry, value: str, reason: str) -> None:
        """Note or report a code the map does not know (or an item that does not parse); the entry then has no member."""
        if self.skip_unknown:
            self.note(self.found.unknown, entry, value, f"{reason}: left out")
        else:
            self.problem(entry, f'"{value}" {reason}; check it, or pass --skip-unknown to leave it out')

