"""The compact copy of the administrative map shipped in the package: write it, read it back.

``scripts/derive_reference.py`` writes it from the upstream tarball with `write_compact`;
`read_compact` reads it (or any other copy) as `loaders.cog.ReferenceData`.

>>> read_compact(builtin_reference_dir()).summary()["regions"]
26
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from loaders.bounded import open_decompressed
from loaders.cog import _TABLES, PACKAGE_NAME, ReferenceData, _sorted

__all__ = ["VINTAGE_FILE", "builtin_reference_dir", "read_compact", "read_compact_cached", "read_shipped", "write_compact"]

VINTAGE_FILE = "vintage.json"
_REGENERATE = "Regenerate the copy with scripts/derive_reference.py."

_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "str | None": lambda value: value or None,
    "int | None": lambda value: int(value) if value else None,
}



def write_compact(data: ReferenceData, directory: str | Path) -> list[Path]:
    """Write the compact copy of ``data``: ``<collection>.csv.gz`` files and ``vintage.json``.

    UTF-8 CSV with a header row, empty for a missing value, rows sorted by key, gzip'd
    without timestamp or file name: the same data always gives byte-identical files.

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
    written = [
        _write_table(directory / f"{name}.csv.gz", getattr(data, name), kind)
        for name, kind in _TABLES.items()
    ]
    record = {
        "package": PACKAGE_NAME,
        "package_version": data.package_version,
        "vintage": data.vintage,
        "upstream": f"{PACKAGE_NAME[1:].replace('/', '-')}-{data.package_version}.tgz",
        "sha256": data.sha256,
        "licence": "Licence Ouverte / Etalab 2.0",
        "counts": data.summary(),
    }
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    (directory / VINTAGE_FILE).write_bytes(text.encode("utf-8"))
    return [*written, directory / VINTAGE_FILE]


def _write_table(path: Path, rows: tuple[Any, ...], kind: type) -> Path:
    names = [field.name for field in fields(kind)]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(names)
    values = attrgetter(*names)
    for row in _sorted(list(rows)):
        writer.writerow(["" if value is None else value for value in values(row)])
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    path.write_bytes(packed.getvalue())
    return path


def read_compact_cached(directory: str | Path) -> ReferenceData:
    """`read_compact`, kept in the cache directory (`graph.nxcache`) while the copy's files and this code are unchanged.

    Reading and checking the 370,000 cells of the shipped copy takes about 0.7 s of CPU; the cached copy, 0.2 s.
    """
    from graph.nxcache import cached

    directory = Path(directory)
    files = [*sorted(directory.glob("*.csv.gz")), Path(__file__)]
    return cached(directory / VINTAGE_FILE, "reference", lambda: read_compact(directory), code=files)


def read_compact(directory: str | Path) -> ReferenceData:
    """Read a compact copy written by `write_compact`.

    Parameters
    ----------
    directory : str or Path
        For the copy shipped in the package, `builtin_reference_dir()`.

    Returns
    -------
    ReferenceData

    Raises
    ------
    LoaderError
        A file is missing, a header or a row is malformed, or the row counts disagree with
        ``vintage.json``.
    """
    directory = Path(directory)
    path = directory / VINTAGE_FILE
    try:
        record = json.loads(path.read_bytes())
        header = [record[key] for key in ("vintage", "package_version", "sha256")]
    except FileNotFoundError:
        raise LoaderError(f"{path}: missing. {_REGENERATE}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise LoaderError(f"{path}: not a compact copy's vintage.json ({exc!r}).") from exc
    tables = {
        name: _read_table(directory / f"{name}.csv.gz", kind) for name, kind in _TABLES.items()
    }
    data = ReferenceData(*header, **tables)
    if data.summary() != record.get("counts"):
        raise LoaderError(f"{path}: counts disagree with the CSV files. {_REGENERATE}")
    return data


def _read_table(path: Path, kind: type) -> tuple[Any, ...]:
    names, parsers = [f.name for f in fields(kind)], [_PARSERS[str(f.type)] for f in fields(kind)]
    if not path.is_file():
        raise LoaderError(f"{path}: missing. {_REGENERATE}")
    try:
        with io.TextIOWrapper(open_decompressed(path), encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderError(f"{path.name}: unreadable ({exc}). {_REGENERATE}") from exc
    if rows[:1] != [names]:
        raise LoaderError(f"{path.name}: header is {rows[:1]}; expected {names}. {_REGENERATE}")
    parsed = []
    for line, row in enumerate(rows[1:], start=2):
        try:
            parsed.append(kind(*(parse(value) for parse, value in zip(parsers, row, strict=True))))
        except ValueError as exc:  # a wrong number of columns, or a population that isn't one
            raise LoaderError(f"{path.name}, line {line}: {exc}. {_REGENERATE}") from exc
    return tuple(parsed)


@functools.cache
def read_shipped() -> ReferenceData:
    """The copy shipped in the package (`builtin_reference_dir`), read once per process: 0.4 to 0.6 s of CPU a time.

    Its files do not change while tdi runs, and the data is frozen.

    >>> read_shipped() is read_shipped()
    True
    """
    return read_compact(builtin_reference_dir())


def builtin_reference_dir() -> Path:
    """The directory of the compact copy shipped in the package.

    >>> builtin_reference_dir().parts[-2:]
    ('builtin', 'reference')
    """
    return Path(__file__).parent / "builtin" / "reference"
