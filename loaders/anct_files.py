"""The two shapes ANCT publishes its lists in, read into one sequence of code references.

- A CSV table with one row per (site, member): ``id_ti`` (or ``id_territoire``), ``lib_ti`` (or
  ``lib_territoire``), and ``siren_groupement`` or ``insee_com`` (decoded and split the way French
  public files need, gzip'd or not).
- ANCT's cartography GeoJSON: a FeatureCollection with one feature per site, whose properties
  are ``id_territoire``, ``lib_territoire`` and ``liste_geo`` (``"Name (CODE); Name (CODE)…"``),
  sometimes ``date_signature``, ``lib_massif``, ``id_geo`` and ``lib_geo``.

`read_entries` returns every code reference as an `Entry` (with the CSV line, or the feature's
number, to report it by), and the problems found on the way; nothing is checked against the map
here (`loaders.anct_read` does it).

Example
-------
>>> split_item("Lezoux – Thiers – Ambert – Montbrison (ti-8408)")
('Lezoux – Thiers – Ambert – Montbrison', 'ti-8408')
>>> split_item("Saint-Denis") is None
True
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from loaders.bounded import DECOMPRESSION_ERRORS, open_decompressed
from loaders.problems import checked_cells
from loaders.table import decode, sniff_delimiter

__all__ = ["COLUMNS", "Entries", "Entry", "read_entries", "split_item"]

COLUMNS = {  # our name: the names a list may give it
    "id": ("id_ti", "id_territoire"),
    "name": ("lib_ti", "lib_territoire"),
    "siren": ("siren_groupement", "siren_grpt", "siren_epci", "siren"),
    "insee": ("insee_com", "code_insee", "insee", "codgeo"),
    "member_name": ("lib_groupement", "lib_com"),
    "reliable": ("lib_com_fiable",),
}
MAX_CELL = 131_072  # the CSV reader's own limit on a cell
_ITEM = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_NO_VALUE = {"", "none", "null", "na", "nan"}


@dataclass(frozen=True)
class Entry:
    """One code reference: site ``site`` (named ``site_name``) lists ``code`` (``None``: the item did not parse).

    ``line`` is the CSV line or the feature's number (from 1); ``feature`` the feature's id (GeoJSON only);
    ``expect`` is ``siren``, ``insee`` (a CSV column) or ``any`` (a ``liste_geo`` item).
    """

    line: int
    column: str
    site: str
    site_name: str
    code: str | None
    given: str = ""
    expect: str = "any"
    feature: str = ""
    reliable: bool = True
    raw: str = ""
    columns: tuple[str, str, str] = ("id_territoire", "lib_territoire", "liste_geo")  # of the id, the site's name, the given name


@dataclass
class Entries:
    """What a file holds: its references, its sites' other properties, and what it counts."""

    format: str
    rows: int = 0
    references: int = 0
    entries: list[Entry] = field(default_factory=list)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    repeated: int = 0
    problems: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    outlines: dict[str, str] = field(default_factory=dict)


def split_item(item: str) -> tuple[str, str] | None:
    """``(name, code)`` of a ``liste_geo`` item ``"Name (CODE)"``, or ``None`` when it is not one."""
    found = _ITEM.match(item.strip())
    return (found.group(1).strip(), found.group(2).strip()) if found and found.group(2).strip() else None


def clean(value: Any) -> str:
    """Text without control characters or repeated spaces; ``""`` for ``None``.

    ANCT's GeoJSON lists write some names over several lines (``fabt``, ``manuprox``) or with a
    stray control byte (``frla``): each run becomes one space instead of refusing the official list.

    >>> clean("La Gare numérique\\n\\n; Manufacture\\x02 N"), clean(None)
    ('La Gare numérique ; Manufacture N', '')
    """
    return " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())


def read_entries(path: Path, *, outlines: bool = False) -> Entries:
    """Every code reference of a CSV list or a cartography GeoJSON (``.geojson``/``.json``, gzip'd or not).

    With ``outlines``, each GeoJSON site's polygons are kept, simplified (`loaders.outline`).
    """
    try:
        with open_decompressed(path) as stream:
            data = stream.read()
    except DECOMPRESSION_ERRORS as exc:
        raise LoaderError(f"{path}: cannot read the file: {exc}") from exc
    if path.name.removesuffix(".gz").rsplit(".", 1)[-1].lower() in ("geojson", "json"):
        return _geojson(path, data, outlines)
    return _csv(path, data)


# ---------------------------------------------------------------- CSV


def _csv(path: Path, data: bytes) -> Entries:
    text, encoding = decode(data)
    _check_line_lengths(path, text)
    line = 1
    try:
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        found = Entries("csv", encoding=encoding, delimiter=delimiter)
        header = [cell.strip().lower() for cell in checked_cells(f"{path}:1", next(reader, []))]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise LoaderError(f"{path}:1: the first line must name the columns; it is empty.")
        columns, line = _bind(path, header), reader.line_num + 1
        for cells in reader:
            cells = [cell.strip() for cell in checked_cells(f"{path}:{line}", cells)]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if any(cells):
                if len(cells) > len(header):
                    raise LoaderError(f"{path}:{line}: {len(cells)} cells, but the header names {len(header)} columns; "
                                      "quote cells that contain the delimiter, or name the extra columns.")  # fmt: skip
                found.rows += 1
                found.references += 1
                found.entries.append(_row_entry(line, cells, columns))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise LoaderError(f"{path}:{line}: not readable as CSV: {exc}") from exc
    return found


def _check_line_lengths(path: Path, text: str) -> None:
    """Refuse a line longer than a CSV cell may be, naming it (the CSV reader cannot say where)."""
    if len(text) <= MAX_CELL:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_CELL:
            raise LoaderError(f"{path}:{number}: a line of {len(line):,} characters; a list's lines have at most {MAX_CELL:,}.")


def _row_entry(line: int, cells: list[str], columns: dict[str, tuple[int, str]]) -> Entry:
    def cell(ours: str) -> str:
        position = columns.get(ours, (len(cells), ""))[0]
        return cells[position] if position < len(cells) else ""

    expect = "siren" if "siren" in columns else "insee"
    return Entry(line, columns[expect][1], cell("id"), cell("name"), cell(expect), cell("member_name"), expect,
                 reliable=cell("reliable").lower() != "non",
                 columns=(columns["id"][1], columns["name"][1], columns.get("member_name", (0, "lib_groupement"))[1]))  # fmt: skip


def _bind(path: Path, header: list[str]) -> dict[str, tuple[int, str]]:
    """Our column names → (position, name in the file); raise if a needed column is missing."""
    columns = {}
    for ours, names in COLUMNS.items():
        for name in names:
            if name in header:
                columns[ours] = (header.index(name), name)
                break
    has = ", ".join(f'"{h}"' for h in header) or "nothing"
    need = "id_ti, lib_ti, and siren_groupement (a list of groupements) or insee_com (a list of communes)"
    for ours in ("id", "name"):
        if ours not in columns:
            raise LoaderError(
                f"{path}:1: {COLUMNS[ours][0]}: missing column; the header has {has}. A list of territories needs {need}."
            )
    if ("siren" in columns) == ("insee" in columns):
        which = "both" if "siren" in columns else "neither"
        raise LoaderError(f"{path}:1: siren_groupement, insee_com: the header has {which}; it needs exactly one. It has {has}.")
    return columns


# ---------------------------------------------------------------- GeoJSON


def _geojson(path: Path, data: bytes, outlines: bool = False) -> Entries:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoaderError(f"{path}: not readable as GeoJSON: {exc}") from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise LoaderError(f"{path}: not a GeoJSON FeatureCollection (no \"features\" list); expected ANCT's cartography format.")
    found, seen = Entries("geojson", rows=len(features)), {}
    props = [f.get("properties") if isinstance(f, dict) and isinstance(f.get("properties"), dict) else {} for f in features]
    contents: dict[str, set[tuple[str, str]]] = {}
    for p in props:
        contents.setdefault(_site_id(p), set()).add(_content(p))
    reused = {site for site, distinct in contents.items() if len(distinct) > 1}
    for number, p in enumerate(props, start=1):
        _feature(path, number, p, found, seen, reused)
    if outlines:
        _outlines(path, features, props, found)
    return found


def _outlines(path: Path, features: list[Any], props: list[dict[str, Any]], found: Entries) -> None:
    """Each site's simplified outline (the first feature of a site that has polygons gives it); a geometry that cannot be read is a problem."""
    from loaders.outline import geometry_problem, simplify_outline

    for number, (feature, p) in enumerate(zip(features, props, strict=True), start=1):
        site = _site_id(p)
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        problem = geometry_problem(geometry)
        if problem:
            found.problems.append(f"{path}: feature {number} ({site or 'no id'}): geometry: {problem}")
        elif site in found.details and site not in found.outlines:
            outline = simplify_outline(geometry)
            if outline:
                found.outlines[site] = outline


def _site_id(props: dict[str, Any]) -> str:
    return clean(props.get("id_territoire")) or clean(props.get("id_ti"))


def _content(props: dict[str, Any]) -> tuple[str, str]:
    """The site's name and its ``liste_geo``; phase I's file gives ``siren_groupement`` = ``"SIREN, SIREN…"`` instead."""
    listed = str(props.get("liste_geo") or "").strip()
    if not listed and props.get("siren_groupement"):
        listed = "; ".join(f"({code.strip()})" for code in str(props["siren_groupement"]).split(",") if code.strip())
    return clean(props.get("lib_territoire")) or clean(props.get("lib_ti")), listed


def _feature(path: Path, number: int, props: dict[str, Any], found: Entries, seen: dict[str, tuple], reused: set[str]) -> None:
    """Add one feature's references; an identical repeat is counted, an id reused by other sites gets their first code."""
    site, (name, listed) = _site_id(props), _content(props)
    where = f"{path}: feature {number} ({site or 'no id'})"
    items = [item.strip() for item in listed.split(";") if item.strip()]
    if not site or not items:
        found.problems.append(f"{where}: {'id_territoire' if not site else 'liste_geo'}: empty; every feature names its site and what it covers")
        return
    found.references += len(items)
    if site in reused:
        first = split_item(items[0])
        site = f"{site} ({first[1] if first else number})"
        site = site if seen.get(site, (name, listed)) == (name, listed) else f"{site} #{number}"
    if site in seen:
        found.repeated += 1
        return
    seen[site] = (name, listed)
    found.details[site] = _details(where, props, found.problems)
    for item in items:
        parsed = split_item(item)
        given = parsed[0] if parsed and parsed[0].lower() not in _NO_VALUE else ""
        found.entries.append(Entry(number, "liste_geo", site, name, parsed[1] if parsed else None, given, feature=site, raw=item))


def _details(where: str, props: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The site's signature date (``signed``) and massif, when the feature gives them."""
    details = {}
    signed = clean(props.get("date_signature"))
    if signed.lower() not in _NO_VALUE:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", signed):
            details["signed"] = signed
        else:
            problems.append(f'{where}: date_signature: "{signed}" is not a date (YYYY-MM-DD)')
    massif = clean(props.get("lib_massif"))
    if massif.lower() not in _NO_VALUE:
        details["massif"] = massif
    return details
