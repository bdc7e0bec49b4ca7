"""Read and check an official list of Territoires d'industrie against the administrative map.

A list has one row per (territory, member): ``id_ti`` and ``lib_ti`` name the territory, and
either ``siren_groupement`` (a groupement: an EPCI, an EPT, or a commune that is a member
directly, SIREN beginning with 21) or ``insee_com`` (a commune, INSEE code) names the member.
The file is decoded and split the way French public files need (UTF-8 with or without BOM,
else Windows-1252/Latin-1; ``;``, ``,``, tab or ``|``), gzip'd or not. Its phase comes from
its name (``…phase2…`` → ``II``) unless given, its vintage from the date in its name
(``…20240704…`` → ``2024-07-04``).

Every row is checked before anything is written; `read_territory_list` raises one
`LoaderError` listing each problem as ``FILE:LINE: column: reason``. Members are looked up in
the administrative map (`loaders.cog.ReferenceData`): a commune code that is now a delegated or
associated commune is mapped to its current commune and reported; a code or SIREN the map does
not know is a problem, unless ``skip_unknown``, in which case it is left out and reported. The
map's names win over the file's: disagreements are counted, and names the file flags as
unreliable (``lib_com_fiable=non``) are ignored.

Example
-------
>>> parse_file_name("ti_phase2_groupements_anct_20240704.csv")
('II', '2024-07-04')
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import LoaderError, SchemaError
from graph.limits import check_text, quoted
from loaders.cog import ReferenceData
from loaders.problems import problems_error
from loaders.table import decode, sniff_delimiter

__all__ = ["Member", "Note", "TerritoryList", "parse_file_name", "read_territory_list"]

PHASES = ("I", "II")
MAX_CELL = 131_072  # the CSV reader's own limit on a cell
_PHASE = re.compile(r"phase[\s_-]*(ii|i|2|1)(?![a-z0-9])", re.IGNORECASE)
_DATE = re.compile(r"(?<![0-9])(20[0-9][0-9])-?(0[1-9]|1[0-2])-?(0[1-9]|[12][0-9]|3[01])(?![0-9])")
_OFFICIAL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMUNE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_FORMER = {"commune-deleguee": "delegated commune", "commune-associee": "associated commune"}
_COLUMNS = {  # our name: the names a list may give it
    "id": ("id_ti",),
    "name": ("lib_ti",),
    "siren": ("siren_groupement", "siren_grpt", "siren_epci", "siren"),
    "insee": ("insee_com", "code_insee", "insee", "codgeo"),
    "member_name": ("lib_groupement", "lib_com"),
    "reliable": ("lib_com_fiable",),
}


@dataclass(frozen=True)
class Member:
    """A territory's member: ``kind`` is ``Epci`` (EPCI or EPT) or ``Commune``, ``key`` its SIREN or INSEE code."""

    territory: str
    kind: str
    key: str
    line: int


@dataclass(frozen=True)
class Note:
    """Something the load reports about one cell: a mapped code, an unknown one, a name that disagrees."""

    line: int
    column: str
    value: str
    detail: str

    def where(self, path: str) -> str:
        """``FILE:LINE: column: "value" detail``."""
        return f'{path}:{self.line}: {self.column}: "{self.value}" {self.detail}'


@dataclass
class TerritoryList:
    """A checked list: its territories (official id → name), members, and what the check noted."""

    path: Path
    phase: str
    vintage: str | None
    level: str  # "groupements" or "communes"
    rows: int = 0
    territories: dict[str, str] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    mapped: list[Note] = field(default_factory=list)
    unknown: list[Note] = field(default_factory=list)
    disagreements: list[Note] = field(default_factory=list)
    unreliable_names: int = 0
    encoding: str = ""
    delimiter: str = ""

    @property
    def name(self) -> str:
        """The list's file name, without a ``.gz`` suffix (the name it was published under)."""
        return self.path.name.removesuffix(".gz")


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


def read_territory_list(
    path: str | Path,
    reference: ReferenceData,
    *,
    phase: str | None = None,
    vintage: str | None = None,
    skip_unknown: bool = False,
) -> TerritoryList:
    """Read a list of territories and check every row against the administrative map.

    Parameters
    ----------
    path : str or Path
        A CSV file (or a gzip'd one, ``.csv.gz``).
    reference : ReferenceData
        The administrative map the members are looked up in.
    phase : {"I", "II"}, optional
        The programme's phase; taken from the file name when not given.
    vintage : str, optional
        The list's date; taken from the file name when not given.
    skip_unknown : bool
        Leave out members the map does not know (they are listed in ``unknown``) instead of failing.

    Returns
    -------
    TerritoryList

    Raises
    ------
    LoaderError
        Naming every bad cell (up to `loaders.problems.MAX_PROBLEMS`), as ``FILE:LINE: column: reason``.
    """
    path = Path(path)
    named_phase, named_date = parse_file_name(path.name.removesuffix(".gz"))
    phase = phase or named_phase
    if vintage is not None:
        _check_vintage(path, vintage)
    if phase not in PHASES:
        raise LoaderError(f"{path}: cannot tell which phase of the programme this list is; pass --phase I or --phase II.")
    header, rows, encoding, delimiter = _read_rows(path)
    columns = _bind(path, header)
    _check_widths(path, len(header), rows)
    level = "groupements" if "siren" in columns else "communes"
    found = TerritoryList(path, phase, vintage or named_date, level, rows=len(rows), encoding=encoding, delimiter=delimiter)
    _Checker(found, columns, reference, skip_unknown).check(rows)
    return found


def _check_vintage(path: Path, vintage: str) -> None:
    """Refuse a vintage that is not a day of the calendar written YYYY-MM-DD."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", vintage):
            raise ValueError(vintage)
        dt.date.fromisoformat(vintage)
    except ValueError:
        raise LoaderError(f"{path}: --vintage: {quoted(vintage)} is not a date of the calendar written YYYY-MM-DD, such as 2024-07-04.") from None


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str, str]:
    """The header and the non-blank rows (with their line numbers) of a CSV file."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise LoaderError(f"{path}: cannot read the file: {exc}") from exc
    text, encoding = decode(data)
    _check_line_lengths(path, text)
    line = 1
    try:
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [cell.strip().lower() for cell in _checked(path, 1, next(reader, []))]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise LoaderError(f"{path}:1: the first line must name the columns; it is empty.")
        rows, line = [], reader.line_num + 1
        for cells in reader:
            cells = [cell.strip() for cell in _checked(path, line, cells)]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if any(cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise LoaderError(f"{path}:{line}: not readable as CSV: {exc}") from exc
    return header, rows, encoding, delimiter


def _check_widths(path: Path, columns: int, rows: list[tuple[int, list[str]]]) -> None:
    """Refuse the first row with more (non-empty) cells than the header names columns."""
    for line, cells in rows:
        if len(cells) > columns:
            raise LoaderError(f"{path}:{line}: {len(cells)} cells, but the header names {columns} columns; "
                              "quote cells that contain the delimiter, or name the extra columns.")  # fmt: skip


def _check_line_lengths(path: Path, text: str) -> None:
    """Refuse a line longer than a CSV cell may be, naming it (the CSV reader cannot say where)."""
    if len(text) <= MAX_CELL:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_CELL:
            raise LoaderError(f"{path}:{number}: a line of {len(line):,} characters; a list's lines have at most {MAX_CELL:,}.")


def _checked(path: Path, line: int, cells: list[str]) -> list[str]:
    """``cells`` if each is text that may be stored (no control characters: `graph.limits`)."""
    for position, cell in enumerate(cells, 1):
        try:
            check_text(cell)
        except SchemaError as exc:
            raise LoaderError(f"{path}:{line}: cell {position}: {exc}") from exc
    return cells


def _bind(path: Path, header: list[str]) -> dict[str, tuple[int, str]]:
    """Our column names → (position, name in the file); raise if a needed column is missing."""
    columns = {}
    for ours, names in _COLUMNS.items():
        for name in names:
            if name in header:
                columns[ours] = (header.index(name), name)
                break
    has = ", ".join(f'"{h}"' for h in header) or "nothing"
    need = "id_ti, lib_ti, and siren_groupement (a list of groupements) or insee_com (a list of communes)"
    for ours in ("id", "name"):
        if ours not in columns:
            raise LoaderError(
                f"{path}:1: {_COLUMNS[ours][0]}: missing column; the header has {has}. A list of territories needs {need}."
            )
    if ("siren" in columns) == ("insee" in columns):
        which = "both" if "siren" in columns else "neither"
        raise LoaderError(f"{path}:1: siren_groupement, insee_com: the header has {which}; it needs exactly one. It has {has}.")
    return columns


class _Checker:
    """Checks rows one by one, filling a `TerritoryList` and a list of problems."""

    def __init__(
        self, found: TerritoryList, columns: dict[str, tuple[int, str]], reference: ReferenceData, skip_unknown: bool
    ) -> None:
        self.found, self.columns, self.skip_unknown = found, columns, skip_unknown
        self.vintage = reference.vintage
        self.communes = {c.code: c.name for c in reference.communes}
        self.former = {f.code: f for f in reference.former_communes if f.code not in self.communes}
        self.groups = {g.siren: (g.name, "EPT" if g.type == "EPT" else "EPCI") for g in reference.groupements}
        self.commune_sirens = {c.siren: (c.code, c.name) for c in reference.communes if c.siren}
        self.first_line: dict[str, int] = {}
        self.problems: list[str] = []

    def check(self, rows: list[tuple[int, list[str]]]) -> None:
        for line, cells in rows:
            self.row(line, cells)
        if self.problems:
            raise problems_error(self.found.path, self.problems)

    def cell(self, cells: list[str], ours: str) -> tuple[str, str]:
        """(value, column name in the file) of one of our columns; "" when absent."""
        position, name = self.columns.get(ours, (len(cells), _COLUMNS[ours][0]))
        return (cells[position] if position < len(cells) else ""), name

    def problem(self, line: int, column: str, reason: str) -> None:
        self.problems.append(f"{self.found.path}:{line}: {column}: {reason}")

    def row(self, line: int, cells: list[str]) -> None:
        official_id = self.territory(line, cells)
        member = self.group(line, cells) if "siren" in self.columns else self.commune(line, cells)
        if official_id and member:
            self.found.members.append(Member(official_id, member[0], member[1], line))

    def territory(self, line: int, cells: list[str]) -> str | None:
        (official_id, id_column), (name, name_column) = self.cell(cells, "id"), self.cell(cells, "name")
        official_id = official_id.lower()
        if not _OFFICIAL_ID.fullmatch(official_id):
            self.problem(line, id_column, f"{quoted(official_id)} is not an official id such as ti-0101")
            return None
        if not name:
            self.problem(line, name_column, f"empty; every row names its territory ({official_id})")
            return None
        try:
            check_text(name)
        except SchemaError as exc:
            self.problem(line, name_column, str(exc).rstrip("."))
            return None
        known = self.found.territories.setdefault(official_id, name)
        first = self.first_line.setdefault(official_id, line)
        if known != name:
            self.problem(
                line, name_column, f'"{name}", but line {first} names {official_id} "{known}"; one territory has one name'
            )
            return None
        return official_id

    def group(self, line: int, cells: list[str]) -> tuple[str, str] | None:
        (siren, column), (given, name_column) = self.cell(cells, "siren"), self.cell(cells, "member_name")
        siren = siren.replace(" ", "")
        if not re.fullmatch(r"[0-9]{9}", siren):
            self.problem(line, column, f"{quoted(siren)} is not a SIREN (9 digits)")
            return None
        if siren in self.groups:
            self.compare(line, name_column, given, *self.groups[siren])
            return "Epci", siren
        if siren in self.commune_sirens:
            code, name = self.commune_sirens[siren]
            self.compare(line, name_column, given, name, "commune")
            return "Commune", code
        return self.unknown(
            line, column, siren, f"is neither an EPCI, an EPT nor a commune of the administrative map {self.vintage}"
        )

    def commune(self, line: int, cells: list[str]) -> tuple[str, str] | None:
        (code, column), (given, name_column) = self.cell(cells, "insee"), self.cell(cells, "member_name")
        code = code.upper().zfill(5) if code.isascii() and code.isdigit() else code.upper()
        if not _COMMUNE.match(code):
            self.problem(line, column, f"{quoted(code)} is not an INSEE commune code (5 characters, such as 62119 or 2A004)")
            return None
        if self.cell(cells, "reliable")[0].lower() == "non":
            self.found.unreliable_names += 1
            given = ""
        if code in self.communes:
            self.compare(line, name_column, given, self.communes[code], "commune")
            return "Commune", code
        if code in self.former:
            former = self.former[code]
            what = _FORMER.get(former.type, former.type)
            self.compare(line, name_column, given, former.name, what)
            current = f"{former.current_code} ({self.communes.get(former.current_code, '?')})"
            self.found.mapped.append(Note(line, column, code, f"is the {what} {former.name}: mapped to commune {current}"))
            return "Commune", former.current_code
        return self.unknown(line, column, code, f"is not a commune of the administrative map {self.vintage}")

    def compare(self, line: int, column: str, given: str, reference_name: str, what: str) -> None:
        if given and given != reference_name:
            self.found.disagreements.append(
                Note(line, column, given, f'is "{reference_name}" in the administrative map ({what})')
            )

    def unknown(self, line: int, column: str, value: str, reason: str) -> None:
        """Note or report a member the map does not know; the row then has no member."""
        if self.skip_unknown:
            self.found.unknown.append(Note(line, column, value, f"{reason}: left out"))
        else:
            self.problem(line, column, f'"{value}" {reason}; check it, or pass --skip-unknown to leave it out')
