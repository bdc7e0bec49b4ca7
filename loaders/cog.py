"""Read the official administrative map: INSEE's COG, the DGCL's EPCI and INSEE's EPT.

The upstream is the npm package ``@etalab/decoupage-administratif``, one version per COG
vintage; `read_upstream` reads its tarball (or the unpacked directory) without extracting it.
A compact copy of one vintage ships in ``loaders/builtin/reference/``: gzip'd CSV files plus
``vintage.json``, written by `write_compact` (through ``scripts/derive_reference.py``, never
by hand) and read back by `read_compact`.

Example
-------
>>> data = ReferenceData("2026", "6.0.0", regions=(Region("32", "Hauts-de-France", "metro"),))
>>> data.summary()["regions"]
1
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable

from graph.errors import LoaderError

__all__ = [
    "Region",
    "Department",
    "Commune",
    "FormerCommune",
    "Groupement",
    "Membership",
    "ReferenceData",
    "read_upstream",
    "write_compact",
    "read_compact",
    "dangling_references",
    "builtin_reference_dir",
    "PACKAGE_NAME",
]

PACKAGE_NAME = "@etalab/decoupage-administratif"
VINTAGE_FILE = "vintage.json"
_UPSTREAM_FILES = (
    "package.json",
    "README.md",
    "data/regions.json",
    "data/departements.json",
    "data/communes.json",
    "data/epci.json",
    "data/ept.json",
)
_FORMER_TYPES = ("commune-deleguee", "commune-associee")
_IGNORED_TYPES = ("arrondissement-municipal",)  # Paris, Lyon, Marseille: not communes
_EXPECTED = f"Expected the {PACKAGE_NAME} tarball (npm pack) or its unpacked package/ directory."


@dataclass(frozen=True)
class Region:
    """A region or overseas collectivity; ``zone`` is ``metro``, ``drom`` or ``com``.

    >>> Region("32", "Hauts-de-France", "metro").zone
    'metro'
    """

    code: str
    name: str
    zone: str


@dataclass(frozen=True)
class Department:
    """A department (or an overseas collectivity, which is its own region).

    >>> Department("62", "Pas-de-Calais", "32", "metro").region
    '32'
    """

    code: str
    name: str
    region: str
    zone: str


@dataclass(frozen=True)
class Commune:
    """A current commune; overseas collectivities' communes have no SIREN.

    >>> Commune("62119", "Béthune", "62", "32", "216201192", 25000).department
    '62'
    """

    code: str
    name: str
    department: str
    region: str
    siren: str | None
    population: int | None


@dataclass(frozen=True)
class FormerCommune:
    """A delegated or associated commune, folded into the current commune ``current_code``.

    A delegated commune often keeps the code of its current commune (the one that hosts the
    town hall), so ``code`` may also be a `Commune` code.

    >>> FormerCommune("01120", "Cordieux", "01262", "commune-associee").current_code
    '01262'
    """

    code: str
    name: str
    current_code: str
    type: str


@dataclass(frozen=True)
class Groupement:
    """An EPCI (``type`` CC, CA, CU, METRO or MET69) or an EPT of Grand Paris (``type`` EPT).

    ``financing`` is the EPCI's tax regime (FPU or FA); EPT have none.

    >>> Groupement("200057867", "Plaine Commune", "EPT", None, 450000).type
    'EPT'
    """

    siren: str
    name: str
    type: str
    financing: str | None
    population: int | None


@dataclass(frozen=True)
class Membership:
    """A current commune's membership of a groupement (EPCI or EPT).

    >>> Membership("93066", "200057867").group_siren
    '200057867'
    """

    commune_code: str
    group_siren: str


@dataclass(frozen=True)
class ReferenceData:
    """One vintage of the administrative map, every collection sorted by key.

    ``vintage`` is the COG year, ``sha256`` that of the upstream tarball ("" when read from
    a directory); the compact copy keeps whatever ``sha256`` it was written with.
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
        return {
            "regions": len(self.regions),
            "departments": len(self.departments),
            "communes": len(self.communes),
            "former_communes": len(self.former_communes),
            "epci": groups[False],
            "ept": groups[True],
            "epci_memberships": members[False],
            "ept_memberships": members[True],
        }


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
        The vintage is the COG year the package's README gives for its version.

    Raises
    ------
    LoaderError
        A required file is missing or is not JSON, or an entry lacks a field; the message
        names the file and the entry (its 0-based index in the JSON array).
    """
    path = Path(path)
    files, sha256 = _upstream_files(path)
    version = _text(_json(files, "package.json"), "version", "package.json")
    communes, former_communes = _communes(_entries(files, "communes.json"))
    epci, epci_members = _groupements(_entries(files, "epci.json"), "epci.json")
    ept, ept_members = _groupements(_entries(files, "ept.json"), "ept.json")
    return ReferenceData(
        vintage=_vintage(files["README.md"].decode("utf-8"), version),
        package_version=version,
        sha256=sha256,
        regions=_sorted([_region(e, w) for w, e in _entries(files, "regions.json")], "regions.json"),
        departments=_sorted(
            [_department(e, w) for w, e in _entries(files, "departements.json")], "departements.json"
        ),
        communes=_sorted(communes, "communes.json"),
        former_communes=_sorted(former_communes, "communes.json"),
        groupements=_sorted(epci + ept, "epci.json and ept.json"),
        memberships=_sorted(epci_members + ept_members, "epci.json and ept.json"),
    )


def _upstream_files(path: Path) -> tuple[dict[str, bytes], str]:
    """The upstream files by name relative to ``package/``, and the tarball's sha256."""
    if path.is_dir():
        return _directory_files(path), ""
    if not path.is_file():
        raise LoaderError(f"{path}: no such file or directory. {_EXPECTED}")
    blob = path.read_bytes()
    return _tarball_files(blob, path), hashlib.sha256(blob).hexdigest()


def _directory_files(path: Path) -> dict[str, bytes]:
    """Read the upstream files from an unpacked tarball, its package/ or its data/ directory."""
    if (path / "package").is_dir():
        path = path / "package"
    elif path.name == "data" and not (path / "data").is_dir():
        path = path.parent
    missing = [name for name in _UPSTREAM_FILES if not (path / name).is_file()]
    if missing:
        raise LoaderError(f"{path / missing[0]}: missing. {_EXPECTED}")
    return {name: (path / name).read_bytes() for name in _UPSTREAM_FILES}


def _tarball_files(blob: bytes, path: Path) -> dict[str, bytes]:
    """Read the upstream files from the tarball's bytes, in memory."""
    try:
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:*") as tar:
            members = {m.name.partition("/")[2]: m for m in tar.getmembers() if m.isfile()}
            missing = [name for name in _UPSTREAM_FILES if name not in members]
            if missing:
                raise LoaderError(f'{path.name}: "package/{missing[0]}" is missing. {_EXPECTED}')
            return {name: tar.extractfile(members[name]).read() for name in _UPSTREAM_FILES}  # type: ignore[union-attr]
    except tarfile.TarError as exc:
        raise LoaderError(f"{path.name}: not a readable tarball ({exc}). {_EXPECTED}") from exc


def _json(files: dict[str, bytes], name: str) -> Any:
    key = name if name in files else f"data/{name}"
    try:
        return json.loads(files[key])
    except ValueError as exc:
        raise LoaderError(f"{name}: not valid JSON ({exc}).") from exc


def _entries(files: dict[str, bytes], name: str) -> list[tuple[str, dict[str, Any]]]:
    """The entries of a JSON array of objects, each with its place for messages."""
    entries = _json(files, name)
    if not isinstance(entries, list):
        raise LoaderError(f"{name}: expected a JSON array, found {type(entries).__name__}.")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise LoaderError(f"{name}: entry {index}: expected an object, found {entry!r}.")
    return [(f"{name}: entry {index}", entry) for index, entry in enumerate(entries)]


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    """A required, non-empty text field."""
    if key not in entry:
        raise LoaderError(f"{where}: missing field '{key}'")
    value = entry[key]
    if not isinstance(value, str) or not value:
        raise LoaderError(f"{where}: field '{key}' is {value!r}; expected non-empty text")
    return value


def _optional_text(entry: dict[str, Any], key: str, where: str) -> str | None:
    return _text(entry, key, where) if entry.get(key) not in (None, "") else None


def _count(entry: dict[str, Any], key: str, where: str) -> int | None:
    """An optional whole number (a population)."""
    value = entry.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise LoaderError(f"{where}: field '{key}' is {value!r}; expected a whole number")
    return value


def _sorted(items: list[Any], source: str) -> tuple[Any, ...]:
    """Sort by key (the order of the compact copy) and refuse a key that appears twice."""
    if not items:
        return ()
    key = _KEYS[type(items[0])]
    ordered = tuple(sorted(items, key=key))
    for before, after in zip(ordered, ordered[1:]):
        if key(before) == key(after):
            raise LoaderError(f"{source}: {type(after).__name__} {key(after)} appears twice.")
    return ordered


def _region(entry: dict[str, Any], where: str) -> Region:
    return Region(_text(entry, "code", where), _text(entry, "nom", where), _text(entry, "zone", where))


def _department(entry: dict[str, Any], where: str) -> Department:
    return Department(*(_text(entry, key, where) for key in ("code", "nom", "region", "zone")))


def _communes(entries: list[tuple[str, dict[str, Any]]]) -> tuple[list[Commune], list[FormerCommune]]:
    """Split communes.json into current and former communes, leaving out arrondissements."""
    communes, former = [], []
    for where, entry in entries:
        kind = _text(entry, "type", where)
        if kind == "commune-actuelle":
            texts = (_text(entry, key, where) for key in ("code", "nom", "departement", "region"))
            communes.append(Commune(*texts, _optional_text(entry, "siren", where), _count(entry, "population", where)))
        elif kind in _FORMER_TYPES:
            texts = (_text(entry, key, where) for key in ("code", "nom", "chefLieu"))
            former.append(FormerCommune(*texts, kind))
        elif kind not in _IGNORED_TYPES:
            known = ", ".join(("commune-actuelle", *_FORMER_TYPES, *_IGNORED_TYPES))
            raise LoaderError(f"{where}: type is {kind!r}; expected one of {known}")
    return communes, former


def _groupements(entries: list[tuple[str, dict[str, Any]]], name: str) -> tuple[list[Groupement], list[Membership]]:
    """Read epci.json or ept.json: the groupements and their member communes."""
    groupements, memberships = [], []
    for where, entry in entries:
        siren = _text(entry, "code", where)
        texts = (_text(entry, "nom", where), _text(entry, "type", where))
        financing = _optional_text(entry, "modeFinancement", where)
        groupements.append(Groupement(siren, *texts, financing, _count(entry, "populationTotale", where)))
        members = entry.get("membres")
        if not isinstance(members, list):
            raise LoaderError(f"{where}: missing field 'membres'" if members is None else f"{where}: 'membres' is not a list")
        for index, member in enumerate(members):
            memberships.append(Membership(_text(member, "code", f"{where}, member {index}"), siren))
    return groupements, memberships


_VINTAGE_ROW = re.compile(r"^\|\s*(\d{4})\s*\|\s*(\d+(?:\.\d+)*)\s*\|", re.MULTILINE)


def _vintage(readme: str, version: str) -> str:
    """The COG year of ``version``, from the README's table of years and package versions."""
    years = {row_version: year for year, row_version in _VINTAGE_ROW.findall(readme)}
    if version in years:
        return years[version]
    # 4.1.0's own README still gives 4.0.0 for 2024 (6.0.0's gives 4.1.0): each major version
    # is one year, so fall back on it.
    same_major = {year for v, year in years.items() if v.split(".")[0] == version.split(".")[0]}
    if len(same_major) == 1:
        return same_major.pop()
    raise LoaderError(f"README.md: its table of years and versions has no COG year for version {version}.")


# ---------------------------------------------------------------- compact copy

_TABLES: dict[str, type] = {
    "regions": Region,
    "departments": Department,
    "communes": Commune,
    "former_communes": FormerCommune,
    "groupements": Groupement,
    "memberships": Membership,
}
# Memberships sort by groupement: the CSV then compresses to a third of the size.
_KEYS: dict[type, Callable[[Any], Any]] = {kind: attrgetter(fields(kind)[0].name) for kind in _TABLES.values()}
_KEYS[Membership] = attrgetter("group_siren", "commune_code")
_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "str | None": lambda value: value or None,
    "int | None": lambda value: int(value) if value else None,
}


def write_compact(data: ReferenceData, directory: str | Path) -> list[Path]:
    """Write the compact copy of ``data``: one ``<collection>.csv.gz`` each, and ``vintage.json``.

    The files are UTF-8 CSV with a header row, gzip'd without timestamp or file name, rows
    sorted by key, so that writing the same data twice gives byte-identical files.

    Parameters
    ----------
    data : ReferenceData
    directory : str or Path
        Created if missing; other files in it are left alone.

    Returns
    -------
    list of Path
        The files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [_write_table(directory / f"{name}.csv.gz", kind, getattr(data, name)) for name, kind in _TABLES.items()]
    record = {
        "package": PACKAGE_NAME,
        "package_version": data.package_version,
        "vintage": data.vintage,
        "upstream": f"{PACKAGE_NAME.lstrip('@').replace('/', '-')}-{data.package_version}.tgz",
        "sha256": data.sha256,
        "licence": "Licence Ouverte / Etalab 2.0",
        "counts": data.summary(),
    }
    vintage = directory / VINTAGE_FILE
    vintage.write_bytes((json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return [*written, vintage]


def _write_table(path: Path, kind: type, rows: tuple[Any, ...]) -> Path:
    names = [field.name for field in fields(kind)]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(names)
    for row in sorted(rows, key=_KEYS[kind]):
        writer.writerow(["" if getattr(row, name) is None else getattr(row, name) for name in names])
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, compresslevel=9, mtime=0) as archive:
        archive.write(text.getvalue().encode("utf-8"))
    path.write_bytes(packed.getvalue())
    return path


def read_compact(directory: str | Path) -> ReferenceData:
    """Read a compact copy written by `write_compact`.

    Parameters
    ----------
    directory : str or Path
        For the copy shipped in the package, `builtin_reference_dir`.

    Raises
    ------
    LoaderError
        A file is missing, a header or a row is malformed, or the row counts disagree with
        ``vintage.json``.
    """
    directory = Path(directory)
    record = _read_record(directory / VINTAGE_FILE)
    tables = {name: _read_table(directory / f"{name}.csv.gz", kind) for name, kind in _TABLES.items()}
    data = ReferenceData(record["vintage"], record["package_version"], record["sha256"], **tables)
    if data.summary() != record["counts"]:
        raise LoaderError(
            f"{directory / VINTAGE_FILE}: counts {record['counts']} disagree with the CSV files "
            f"({data.summary()}). Regenerate the copy with scripts/derive_reference.py."
        )
    return data


def _read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise LoaderError(f"{path}: missing. Regenerate the copy with scripts/derive_reference.py.") from None
    except ValueError as exc:
        raise LoaderError(f"{path}: not valid JSON ({exc}).") from exc
    for key in ("vintage", "package_version", "sha256", "counts"):
        if key not in record:
            raise LoaderError(f"{path}: missing field '{key}'")
    return record  # type: ignore[no-any-return]


def _read_table(path: Path, kind: type) -> tuple[Any, ...]:
    names = [field.name for field in fields(kind)]
    parsers = [_PARSERS[str(field.type)] for field in fields(kind)]
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != names:
                raise LoaderError(f"{path.name}: header is {header}; expected {names}.")
            return tuple(_read_row(kind, parsers, row, f"{path.name}, line {reader.line_num}") for row in reader)
    except FileNotFoundError:
        raise LoaderError(f"{path}: missing. Regenerate the copy with scripts/derive_reference.py.") from None
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderError(f"{path.name}: unreadable ({exc}).") from exc


def _read_row(kind: type, parsers: list[Callable[[str], Any]], row: list[str], where: str) -> Any:
    if len(row) != len(parsers):
        raise LoaderError(f"{where}: {len(row)} columns; expected {len(parsers)}.")
    try:
        return kind(*(parse(value) for parse, value in zip(parsers, row)))
    except ValueError as exc:
        raise LoaderError(f"{where}: {exc}.") from exc


# ---------------------------------------------------------------- checks and location


def dangling_references(data: ReferenceData) -> list[str]:
    """Describe every code that points to nothing: regions, departments, communes, groupements.

    Examples
    --------
    >>> former = FormerCommune("01120", "Cordieux", "01262", "commune-associee")
    >>> dangling_references(ReferenceData("2026", "6.0.0", former_communes=(former,)))
    ['former commune 01120 (Cordieux): current commune 01262 not found']
    """
    regions = {r.code for r in data.regions}
    departments = {d.code for d in data.departments}
    communes = {c.code for c in data.communes}
    groupements = {g.siren for g in data.groupements}
    return [
        *(f"department {d.code} ({d.name}): region {d.region} not found" for d in data.departments if d.region not in regions),
        *(f"commune {c.code} ({c.name}): department {c.department} not found" for c in data.communes if c.department not in departments),
        *(f"commune {c.code} ({c.name}): region {c.region} not found" for c in data.communes if c.region not in regions),
        *(
            f"former commune {f.code} ({f.name}): current commune {f.current_code} not found"
            for f in data.former_communes
            if f.current_code not in communes
        ),
        *(f"membership of {m.commune_code} in {m.group_siren}: commune not found" for m in data.memberships if m.commune_code not in communes),
        *(f"membership of {m.commune_code} in {m.group_siren}: groupement not found" for m in data.memberships if m.group_siren not in groupements),
    ]


def builtin_reference_dir() -> Path:
    """The directory of the compact copy shipped in the package.

    >>> builtin_reference_dir().parts[-2:]
    ('builtin', 'reference')
    """
    return Path(__file__).parent / "builtin" / "reference"
