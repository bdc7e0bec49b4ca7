"""Derive the lists of Territoires d'industrie shipped in the package from the raw files.

Copies each list byte for byte into a gzip'd file (no timestamp, no file name: the same input
always gives the same bytes) in ``loaders/builtin/territories/``, checks that it reads against
the shipped administrative map, and writes ``lists.json``: for each list its file, phase,
vintage, sha256 and counts, and the properties of its `Source` (publisher, URL, licence), as
``../shared/data/raw/SOURCES.md`` documents them. The counts go to stdout.

    python scripts/derive_territories.py ../shared/data/raw
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

# Run from a clone whether or not the package is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.errors import LoaderError
from loaders.builtin import TERRITORY_LISTS_FILE, builtin_territories_dir
from loaders.cog_compact import builtin_reference_dir, read_compact
from loaders.territories_read import read_territory_list

ANCT = "ANCT (Agence nationale de la cohésion des territoires)"
ETALAB = "Licence Ouverte / Etalab 2.0"
# What SOURCES.md says of each list. skip_unknown: the list names communes the 2026 map no longer has.
LISTS = [
    {"file": "ti_phase1_groupements_anct_datagouv.csv", "phase": "I", "vintage": None, "skip_unknown": False,
     "source": {"publisher": ANCT, "licence": ETALAB,
                "url": "https://github.com/anct-carto/superposeur-V2/blob/3f2b0c0/data/admin/polygone-4326_ti.geojson"}},
    {"file": "ti_phase2_groupements_anct_20240704.csv", "phase": "II", "vintage": "2024-07-04", "skip_unknown": False,
     "source": {"publisher": ANCT, "licence": ETALAB,
                "url": "https://github.com/anct-carto/superposeur-anct/blob/5c5ffe3/data/geom/geojsonV2/ti_geom.geojson"}},
    {"file": "ti_phase2_communes_anct_20231107.csv", "phase": "II", "vintage": "2023-11-07", "skip_unknown": True,
     "source": {"publisher": ANCT, "licence": f"{ETALAB} (the ANCT list on data.gouv.fr)",
                "url": "https://github.com/anct-carto/superposeur-anct/blob/b187dd0/data/geom/geojsonV2/ti_geom.geojson"}},
]  # fmt: skip


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzip'd without timestamp or file name."""
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return packed.getvalue()


def derive(raw_dir: Path, out_dir: Path) -> list[dict]:
    """Write the gzip'd lists and return the manifest's entries."""
    reference = read_compact(builtin_reference_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for spec in LISTS:
        data = (raw_dir / spec["file"]).read_bytes()
        target = out_dir / f"{spec['file']}.gz"
        target.write_bytes(gzip_bytes(data))
        found = read_territory_list(
            target, reference, phase=spec["phase"], vintage=spec["vintage"], skip_unknown=spec["skip_unknown"]
        )
        counts = {
            "rows": found.rows,
            "territories": len(found.territories),
            "mapped": len(found.mapped),
            "unknown": len(found.unknown),
        }
        entries.append({**spec, "file": target.name, "sha256": hashlib.sha256(data).hexdigest(), "counts": counts})
    return entries


def main(argv: list[str] | None = None) -> int:
    """Read the lists in RAW_DIR, write the shipped copies to OUT_DIR, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path, help="the directory of the raw lists (../shared/data/raw)")
    parser.add_argument("out_dir", type=Path, nargs="?", default=builtin_territories_dir(),
                        help="where to write them (default: loaders/builtin/territories)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        entries = derive(args.raw_dir, args.out_dir)
    except (LoaderError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps({"lists": entries}, indent=2, ensure_ascii=False) + "\n"
    (args.out_dir / TERRITORY_LISTS_FILE).write_bytes(text.encode("utf-8"))
    for entry in entries:
        print("\t".join([entry["file"], entry["phase"], *(f"{k}={v}" for k, v in entry["counts"].items())]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
