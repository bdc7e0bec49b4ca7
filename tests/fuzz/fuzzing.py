"""What every fuzz module shares: the refusal check, the graph fingerprint, seeded mutations.

A case is an operator (a function that breaks a valid input in one way, always making it
invalid) applied with its own seed, so ``case_ids("nul", 12)`` makes the same 12 inputs on
every run. `run_refused` writes the input, runs the real CLI in-process and checks what every
malformed input must get: exit code 1, exactly one line starting ``Error:`` that names the
file and the place (a line, an entry or an option), no traceback, and the graph as it was.

Example
-------
>>> case_ids(["nul", "tab"], 2)
['nul-0', 'nul-1', 'tab-0', 'tab-1']
>>> with_digits("region:32", random.Random(1)) != "region:32"
True
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from cli import cli

# Digits of other scripts that `str.isdigit`, `int()` and `\d` accept: Arabic-Indic, extended
# Arabic-Indic, Devanagari, Bengali, full-width.
DIGIT_ZEROS = (0x660, 0x6F0, 0x966, 0x9E6, 0xFF10)
CONTROL = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]]
SURROGATES = (0xD800, 0xDBFF, 0xDC00, 0xDFFF)


def case_ids(operators: Iterable[str], per_operator: int) -> list[str]:
    """``operator-n`` for each operator and n below ``per_operator``: the parametrize ids."""
    return [f"{op}-{n}" for op in operators for n in range(per_operator)]


def rng_of(case: str) -> random.Random:
    """The random generator of one case, seeded by its id (the same on every run)."""
    return random.Random(f"tdi-fuzz:{case}")


def with_digits(text: str, rng: random.Random) -> str:
    """``text`` with every ASCII digit written in another script (one script, chosen by ``rng``)."""
    zero = rng.choice(DIGIT_ZEROS)
    return re.sub(r"[0-9]", lambda m: chr(zero + int(m.group())), text)


def yaml_escape(char: str) -> str:
    """The YAML double-quoted escape of ``char`` (``\\x01``, ``\\ud800``)."""
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass
class Prepared:
    """A graph prepared once per module, with its fingerprint, and a folder for the cases' files."""

    db: Path
    work: Path
    baseline: tuple[str, str]
    files: tuple[tuple[str, int, int], ...] = ()

    def stat(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and modification time of each file of the graph: unchanged when not written."""
        return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in self.db.parent.glob(self.db.name + "*")))


def isolated(prepared: Prepared, name: str) -> Prepared:
    """A copy of the prepared graph for one case, for commands that may still spoil it (known failures)."""
    folder = prepared.work / name / "graph-copy"
    folder.mkdir(parents=True)
    for path in prepared.db.parent.glob(prepared.db.name + "*"):
        shutil.copyfile(path, folder / path.name)
    copy = Prepared(folder / prepared.db.name, prepared.work / name, prepared.baseline)
    copy.files = copy.stat()
    return copy


def invoke(*args: str | Path) -> Result:
    """The real CLI, in-process."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def fingerprint(db: Path, scratch: Path) -> tuple[str, str]:
    """Counts, and a hash of the graph's export (nodes and links sorted): equal iff the content is."""
    counts = invoke("--db", db, "stats", "--format", "json")
    assert counts.exit_code == 0, counts.output
    exported = invoke("--db", db, "export", "json", "-o", scratch)
    assert exported.exit_code == 0, exported.output
    data = json.loads(scratch.read_text(encoding="utf-8"))
    body = json.dumps([sorted(json.dumps(n, sort_keys=True) for n in data[part]) for part in ("nodes", "links")])
    return counts.stdout, hashlib.sha256(body.encode()).hexdigest()


def prepare(root: Path, *setup: Sequence[str | Path]) -> Prepared:
    """A graph at ``root/graph`` made by the CLI commands ``setup``, fingerprinted."""
    db = root / "graph"
    for args in setup:
        result = invoke("--db", db, *args)
        assert result.exit_code == 0, result.output
    prepared = Prepared(db, root / "cases", fingerprint(db, root / "baseline.json"))
    prepared.work.mkdir()
    prepared.files = prepared.stat()
    return prepared


def assert_refused(result: Result, place: str) -> None:
    """Exit code 1, one ``Error:`` line, the place (a regex) named in the message, no traceback."""
    shown = f"exit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{shown}\n{result.exception!r}"
    assert result.exit_code == 1, shown
    assert "Traceback" not in result.output, shown
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, shown
    assert re.search(place, result.stderr), f"{place!r} not named in:\n{result.stderr}"


def run_refused(prepared: Prepared, args: Sequence[str | Path], place: str) -> Result:
    """Run the CLI on the prepared graph, check the refusal, and that the graph did not change."""
    result = invoke("--db", prepared.db, *args)
    assert_refused(result, place)
    if prepared.stat() != prepared.files:  # the graph was opened for writing: its content must be the same
        assert fingerprint(prepared.db, prepared.work / "after.json") == prepared.baseline
        prepared.files = prepared.stat()  # after the fingerprint's own reads
    return result


def lines_at(lines: list[str], pattern: str) -> list[int]:
    """Indexes of the lines matching ``pattern``."""
    return [i for i, line in enumerate(lines) if re.search(pattern, line)]


def entry_start(lines: list[str], index: int) -> int:
    """The index of the line that starts the list entry holding line ``index`` (``  - …``)."""
    while index > 0 and not re.match(r"^\s*- ", lines[index]):
        index -= 1
    return index


def place_of(path: Path, *indexes: int) -> str:
    """A regex for ``FILE:LINE`` at any of the (0-based) line indexes."""
    numbers = "|".join(str(i + 1) for i in sorted(set(indexes)))
    return rf"{re.escape(str(path))}:({numbers})\b"
