"""Read the official administrative map: INSEE's COG, the DGCL's EPCI and INSEE's EPT.

`read_upstream` reads the npm package ``@etalab/decoupage-administratif`` (one version per COG
vintage). The compact copy shipped in ``loaders/builtin/reference/`` is written by
`loaders.cog_compact`.

>>> data = ReferenceData("2026", "6.0.0", regions=(Region("32", "Hauts-de-France", "metro"),))
>>> data.summary()["regions"]
1
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from loaders.bounded import DECOMPRESSION_ERRORS, max_decompressed_bytes, too_big

__all__ = [
    "PACKAGE_NAME",
    "Commune",
    "Department",
    "FormerCommune",
    "Groupement",
    "Membership",
    "ReferenceData",
    "Region",
    "dangling_references",
    "read_upstream",
]  # fmt: skip

PACKAGE_NAME = "@etalab/decoupage-administratif"
_DATA_FILES = ("regions", "departements", "communes", "epci", "ept")
_UPSTREAM_FILES = ("package.json", "README.md", *(f"data/{name}.json" for name in _DATA_FILES))
_FORMER_TYPES = ("commune-deleguee", "commune-associee")
_IGNORED_TYPES = ("arrondissement-municipal",)  # Paris, Lyon and Marseille's: not communes
_MAX_MEMBERS = 1_000  # the package has about 20 files; a tarball of countless empty members is refused
_EXPECTED = f"Expected the {PACKAGE_NAME} tarball (npm pack) or its unpacked package/ directory."

Entries = list[tuple[str, dict[str, Any]]]  # (where, for messages; the JSON object)


@dataclass(frozen=True)
class Region:
    """A region or overseas collectivity; ``zone`` is ``metro``, ``drom`` or ``com``."""

    code: str
    name: str
    zone: str


@dataclass(frozen=True)
class Department:
    """A department; an overseas collectivity is both a department and a region."""

    code: str
    name: str
    region: str
    zone: str


@dataclass(frozen=True)
class Commune:
    """A current commune; those of the overseas collectivities have no SIREN."""

    code: str
    name: str
    department: str
    region: str
    siren: str | None
    population: int | None


@dataclass(frozen=True)
class FormerCommune:
    """A delegated or associated commune (``type``), now part of commune ``current_code``."""

    code: str
    name: str
    current_code: str
    type: str


@dataclass(frozen=True)
class Groupement:
    """An EPCI (``type`` CC, CA, CU, METRO, MET69; ``financing`` FPU or FA) or an EPT."""

    siren: str
    name: str
    type: str
    financing: str | None
    population: int | None


@dataclass(frozen=True)
class Membership:
    """A current commune's membership of a groupement (EPCI or EPT)."""

    commune_code: str
    group_siren: str


@dataclass(frozen=True)
class ReferenceData:
    """One vintage of the administrative map, every collection sorted by key.

    ``vintage`` is the COG year, ``sha256`` that of the upstream tarball ("" when read from
    a directory); the compact copy keeps the ``sha256`` it was written with.
    """

    vintage: str
    package_version: str
    sha256: str = ""
    regions: tuple[Region, ...] = ()
    departments: tuple[Department, ...] = ()
    communes: tuple[Commune, ...] = ()
    former_communes: tuple[FormerCommune, ...] = ()
    groupements: tuple[Groupement, ...] = ()
    memberships: tuple[Membership, ...] = ()

    def summary(self) -> dict[str, int]:
        """Count each collection, telling EPCI from EPT and their memberships.

        >>> ReferenceData("2026", "6.0.0").summary()["epci_memberships"]
        0
        """
        is_ept = {g.siren: g.type == "EPT" for g in self.groupements}
        groups = Counter(is_ept.values())
        members = Counter(is_ept.get(m.group_siren, False) for m in self.memberships)
        places = ("regions", "departments", "communes", "former_communes")
        counts = {name: len(getattr(self, name)) for name in places}
        counts.update(epci=groups[False], ept=groups[True])
        return counts | {"epci_memberships": members[False], "ept_memberships": members[True]}


# ---------------------------------------------------------------- upstream


def read_upstream(path: str | Path) -> ReferenceData:
    """Read one version of the ``@etalab/decoupage-administratif`` npm package.

    Parameters
    ----------
    path : str or Path
        The tarball ``npm pack`` gives (``etalab-decoupage-administratif-6.0.0.tgz``), or a
        directory: the unpacked tarball, its ``package/`` directory or ``package/data/``.

    Returns
    -------
    ReferenceData
        Its vintage is the COG year that the package's README gives for its version.

    Raises
    ------
    LoaderError
        A required file is missing or is not JSON, or an entry lacks a field; the message
        names the file and the entry (its 0-based index in the JSON array).
    """
    files, sha256 = _upstream_files(Path(path))
    package = _load(files, "package.json")
    if not isinstance(package, dict) or package.get("name") != PACKAGE_NAME:
        raise LoaderError(f'package.json: not the package "{PACKAGE_NAME}". {_EXPECTED}')
    (version,) = _texts(package, "package.json", "version")
    communes, former_communes = _communes(_entries(files, "communes"))
    epci, epci_members = _groupements(_entries(files, "epci"))
    ept, ept_members = _groupements(_entries(files, "ept"))
    regions = [Region(*_texts(e, w, "code", "nom", "zone")) for w, e in _entries(files, "regions")]
    departments = [
        Department(*_texts(e, w, "code", "nom", "region", "zone"))
        for w, e in _entries(files, "departements")
    ]
    vintage = _vintage(files["README.md"].decode("utf-8", errors="replace"), version)
    groupements, memberships = epci + ept, epci_members + ept_members
    collections = (regions, departments, communes, former_communes, groupements, memberships)
    return ReferenceData(vintage, version, sha256, *(_sorted(items) for items in collections))


def _upstream_files(path: Path) -> tuple[dict[str, bytes], str]:
    """The upstream files by name relative to ``package/``, and the tarball's sha256.

    What is read is bounded by `loaders.bounded.max_decompressed_bytes`, in all (a tarball's
    members, compressed or not, or an unpacked directory's files).
    """
    limit = max_decompressed_bytes()
    if path.is_dir():
        if (path / "package").is_dir():
            path = path / "package"
        elif path.name == "data" and not (path / "data").is_dir():
            path = path.parent
        missing = [name for name in _UPSTREAM_FILES if not (path / name).is_file()]
        if missing:
            raise LoaderError(f"{path / missing[0]}: missing. {_EXPECTED}")
        if sum((path / name).stat().st_size for name in _UPSTREAM_FILES) > limit:
            raise too_big(path, limit)
        return {name: (path / name).read_bytes() for name in _UPSTREAM_FILES}, ""
    if not path.is_file():
        raise LoaderError(f"{path}: no such file or directory. {_EXPECTED}")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return _tarball_files(path, limit), digest.hexdigest()


def _tarball_files(path: Path, limit: int) -> dict[str, bytes]:
    """Read the upstream files from the tarball as a stream, stopping past ``limit`` bytes unpacked."""
    files: dict[str, bytes] = {}
    try:
        if not tarfile.is_tarfile(path):
            raise tarfile.ReadError("file could not be opened successfully")
        with tarfile.open(path, mode="r|*") as tar:
            unpacked = 0
            for count, member in enumerate(tar, 1):
                unpacked += member.size + tarfile.BLOCKSIZE
                if unpacked > limit or count > _MAX_MEMBERS:
                    raise too_big(path.name, limit)
                name = member.name.partition("/")[2]
                if member.isfile() and name in _UPSTREAM_FILES and (file := tar.extractfile(member)) is not None:
                    files[name] = file.read()
    except (tarfile.TarError, *DECOMPRESSION_ERRORS) as exc:
        reason = str(exc).splitlines()[0].rstrip(":") or type(exc).__name__  # tarfile lists every method it tried, one a line
        cut = "; the file ends too soon: is it complete?" if isinstance(exc, EOFError) or "end of data" in reason else ""
        raise LoaderError(f"{path.name}: not a readable tarball ({reason}{cut}). {_EXPECTED}") from exc
    missing = [name for name in _UPSTREAM_FILES if name not in files]
    if missing:
        raise LoaderError(f'{path.name}: "package/{missing[0]}" is missing. {_EXPECTED}')
    return files


def _load(files: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name])
    except ValueError as exc:
        raise LoaderError(f"{name.rpartition('/')[2]}: not valid JSON ({exc}).") from exc


def _entries(files: dict[str, bytes], name: str) -> Entries:
    """The objects of ``data/<name>.json``, each with where it is, for messages."""
    entries, filename = _load(files, f"data/{name}.json"), f"{name}.json"
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise LoaderError(f"{filename}: expected a JSON array of objects.")
    return [(f"{filename}: entry {index}", entry) for index, entry in enumerate(entries)]


def _texts(entry: dict[str, Any], where: str, *keys: str) -> list[str]:
    """Required, non-empty text fields."""
    for key in keys:
        if key not in entry:
            raise LoaderError(f"{where}: missing field '{key}'")
        if not isinstance(entry[key], str) or not entry[key]:
            raise LoaderError(f"{where}: field '{key}' is {entry[key]!r}; expected text")
    return [entry[key] for key in keys]


def _optional(entry: dict[str, Any], where: str, key: str, kind: type) -> Any:
    """An optional text or whole number: None when absent or empty."""
    value = entry.get(key)
    if value not in (None, "") and type(value) is not kind:
        raise LoaderError(f"{where}: field '{key}' is {value!r}; expected {kind.__name__}")
    return None if value == "" else value


def _communes(entries: Entries) -> tuple[list[Commune], list[FormerCommune]]:
    """Split communes.json into current and former communes, leaving out arrondissements."""
    communes, former = [], []
    for where, entry in entries:
        (kind,) = _texts(entry, where, "type")
        if kind == "commune-actuelle":
            texts = _texts(entry, where, "code", "nom", "departement", "region")
            siren = _optional(entry, where, "siren", str)
            communes.append(Commune(*texts, siren, _optional(entry, where, "population", int)))
        elif kind in _FORMER_TYPES:
            former.append(FormerCommune(*_texts(entry, where, "code", "nom", "chefLieu"), kind))
        elif kind not in _IGNORED_TYPES:
            known = ", ".join(("commune-actuelle", *_FORMER_TYPES, *_IGNORED_TYPES))
            raise LoaderError(f"{where}: field 'type' is {kind!r}; expected one of {known}")
    return communes, former


def _groupements(entries: Entries) -> tuple[list[Groupement], list[Membership]]:
    """Read epci.json or ept.json: the groupements and their member communes."""
    groupements, memberships = [], []
    for where, entry in entries:
        siren, name, kind = _texts(entry, where, "code", "nom", "type")
        financing = _optional(entry, where, "modeFinancement", str)
        population = _optional(entry, where, "populationTotale", int)
        groupements.append(Groupement(siren, name, kind, financing, population))
        if not isinstance(entry.get("membres"), list):
            raise LoaderError(f"{where}: missing field 'membres' (a list of communes)")
        for index, member in enumerate(entry["membres"]):
            (code,) = _texts(member, f"{where}, member {index}", "code")
            memberships.append(Membership(code, siren))
    return groupements, memberships


_VINTAGE_ROW = re.compile(r"^\|\s*(\d{4})\s*\|\s*(\d+(?:\.\d+)*)\s*\|", re.MULTILINE)


def _vintage(readme: str, version: str) -> str:
    """The COG year of ``version``, from the README's table of years and package versions."""
    years = {row_version: year for year, row_version in _VINTAGE_ROW.findall(readme)}
    if version in years:
        return years[version]
    # 4.1.0's own README gives 4.0.0 for 2024 (6.0.0's gives 4.1.0): fall back on the major.
    same_major = {year for v, year in years.items() if v.split(".")[0] == version.split(".")[0]}
    if len(same_major) == 1:
        return same_major.pop()
    raise LoaderError(f"README.md: its table of years and versions has no year for {version}.")


# ---------------------------------------------------------------- sorting

_TABLES: dict[str, type] = {"regions": Region, "departments": Department, "communes": Commune}
_TABLES |= {"former_communes": FormerCommune, "groupements": Groupement, "memberships": Membership}
_KEYS = {kind: attrgetter(fields(kind)[0].name) for kind in _TABLES.values()}
_KEYS[Membership] = attrgetter("group_siren", "commune_code")  # compresses 3x better


def _sorted(items: list[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=_KEYS[type(items[0])])) if items else ()


# ---------------------------------------------------------------- checks and location


def dangling_references(data: ReferenceData) -> list[str]:
    """Describe every code that points to nothing: regions, departments, communes, groupements.

    Examples
    --------
    >>> former = FormerCommune("01120", "Cordieux", "01262", "commune-associee")
    >>> dangling_references(ReferenceData("2026", "6.0.0", former_communes=(former,)))
    ['former commune 01120 (Cordieux): current commune 01262 not found']
    """
    known = {
        "region": {r.code for r in data.regions},
        "department": {d.code for d in data.departments},
        "current commune": {c.code for c in data.communes},
        "groupement": {g.siren for g in data.groupements},
    }
    place, membership = "{0.code} ({0.name})", "membership of {0.commune_code} in {0.group_siren}"
    former = data.former_communes
    links = [
        *((f"department {place}", d, "region", d.region) for d in data.departments),
        *((f"commune {place}", c, "department", c.department) for c in data.communes),
        *((f"commune {place}", c, "region", c.region) for c in data.communes),
        *((f"former commune {place}", f, "current commune", f.current_code) for f in former),
        *((membership, m, "current commune", m.commune_code) for m in data.memberships),
        *((membership, m, "groupement", m.group_siren) for m in data.memberships),
    ]
    return [
        f"{what.format(item)}: {kind} {code} not found"
        for what, item, kind, code in links
        if code not in known[kind]
    ]
