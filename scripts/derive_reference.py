"""Derive the compact copy of the administrative map shipped in the package.

Reads the npm tarball of ``@etalab/decoupage-administratif`` and writes the gzip'd CSV files
and ``vintage.json`` that `loaders.cog.read_compact` reads; the counts go to stdout.

    python scripts/derive_reference.py ../shared/data/raw/etalab-decoupage-administratif-6.0.0.tgz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run from a clone whether or not the package is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.errors import LoaderError
from loaders.cog import dangling_references, read_upstream
from loaders.cog_compact import builtin_reference_dir, write_compact


def main(argv: list[str] | None = None) -> int:
    """Read UPSTREAM, write the compact copy to OUT_DIR, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="the .tgz (or its unpacked directory)")
    parser.add_argument(
        "out_dir", type=Path, nargs="?", default=builtin_reference_dir(),
        help="where to write the copy (default: loaders/builtin/reference)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        data = read_upstream(args.upstream)
    except LoaderError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    for problem in dangling_references(data):
        print(f"warning: {problem}", file=sys.stderr)
    written = write_compact(data, args.out_dir)
    size = sum(path.stat().st_size for path in written)
    print(f"COG {data.vintage} (package {data.package_version}): {len(written)} files, "
          f"{size:,} bytes in {args.out_dir}", file=sys.stderr)  # fmt: skip
    for name, count in data.summary().items():
        print(f"{name}\t{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
