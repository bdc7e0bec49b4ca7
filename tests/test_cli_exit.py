"""The ``tdi`` script leaves a read-only graph's engine to the operating system, and loses nothing.

Each test runs the real entry point (`cli.main`, what the ``tdi`` script calls) in its own process
on the built-in graph. A handler registered with `atexit` tells whether the process ended the
usual way (it runs) or with ``os._exit`` after a read-only command (it does not). Output must be
complete in a file and in a pipe, exit codes and ``Error:`` lines as before, a reader that goes
away ends the command quietly, and a command that writes still closes (and checkpoints) its graph.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli import cli
from graph.backend import open_graph

REPO = Path(__file__).resolve().parents[1]
ENDED_NORMALLY = "tdi-test: ended normally"
ENTRY = f"import atexit, sys; atexit.register(lambda: print({ENDED_NORMALLY!r}, file=sys.stderr)); from cli import main; main()"


def tdi(db: Path, *args: str, **options) -> subprocess.CompletedProcess:
    """``tdi --db DB ARGS…`` through the entry point, in a new process."""
    return subprocess.run([sys.executable, "-c", ENTRY, "--db", str(db), *args], check=False, cwd=REPO, text=True, **options)


def test_a_read_command_ends_without_closing_and_its_output_is_complete(builtin_db: Path, tmp_path: Path) -> None:
    expected = CliRunner().invoke(cli, ["--db", str(builtin_db), "show", "region:32", "--format", "json"]).stdout
    assert json.loads(expected)["id"] == "region:32"
    out = tmp_path / "out.json"
    with out.open("w") as stdout:
        into_file = tdi(builtin_db, "show", "region:32", "--format", "json", stdout=stdout, stderr=subprocess.PIPE)
    assert (into_file.returncode, into_file.stderr) == (0, "")  # no atexit handler ran: the process ended at once
    assert out.read_text() == expected
    into_pipe = tdi(builtin_db, "show", "region:32", "--format", "json", capture_output=True)
    assert (into_pipe.returncode, into_pipe.stdout, into_pipe.stderr) == (0, expected, "")


def test_exit_codes_and_error_lines_are_kept(builtin_db: Path) -> None:
    missing = tdi(builtin_db, "show", "region:999", capture_output=True)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == 'Error: No actor region:999. Run "tdi find TEXT" to look it up.\n'  # after the graph was read
    usage = tdi(builtin_db, "show", capture_output=True)
    assert usage.returncode == 2 and "Error: Missing argument 'ID_OR_NAME'." in usage.stderr
    assert usage.stderr.endswith(ENDED_NORMALLY + "\n")  # no graph was opened: the usual end


def test_a_reader_that_goes_away_ends_the_command_quietly(builtin_db: Path) -> None:
    """About 600 kB of rows, far more than a pipe holds: the writes after the first line find no reader."""
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "--db", str(builtin_db), "cypher", "UNWIND range(1, 100000) AS i RETURN i"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout.readline() == "i\n"
    process.stdout.close()
    assert process.stderr.read() == ""
    assert process.wait() == 0


def test_a_command_started_without_stdout_ends_quietly(builtin_db: Path) -> None:
    """Started with its stdout closed (``tdi show … >&-``), as before: exit 0, nothing on stderr."""
    closed = tdi(builtin_db, "show", "region:32", stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr) == (0, "")


def test_a_write_command_closes_its_graph(builtin_copy: Path) -> None:
    added = tdi(builtin_copy, "actor", "add", "operator", "--key", "exit-check", "--name", "Opérateur de sortie", "-y", capture_output=True)
    assert added.returncode == 0, added.stderr
    assert added.stderr.endswith(ENDED_NORMALLY + "\n")
    with open_graph(builtin_copy, read_only=True) as graph:
        assert graph.run("MATCH (o:Operator {key: 'exit-check'}) RETURN o.name AS name") == [{"name": "Opérateur de sortie"}]
