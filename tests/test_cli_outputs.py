"""Every file a command writes (``-o``, ``--png``, ``--svg``, a backup): a folder that does not exist is one ``Error:`` line.

The commands check the folder before any work; the writers themselves turn any `OSError` into the
same line (`graph.writing`), which the library tests at the bottom reach without the CLI.
"""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx
import pytest

from cli import cli
from graph.errors import TdiError

OUT = "{missing}"
WRITERS = {
    "demo": ["demo", "-o", f"{OUT}/demo.html"],
    "analyze report": ["analyze", "report", "-o", f"{OUT}/report.md"],
    "analyze report (html)": ["analyze", "report", "--phase", "II", "-o", f"{OUT}/report.html"],
    "viz map": ["viz", "map", "-o", f"{OUT}/map.html"],
    "viz map (svg)": ["viz", "map", "-o", "{ok}/map.html", "--svg", f"{OUT}/map.svg"],
    "viz ego": ["viz", "ego", "operator:bpifrance", "-o", f"{OUT}/ego.html"],
    "viz ego (png)": ["viz", "ego", "operator:bpifrance", "-o", "{ok}/ego.html", "--png", f"{OUT}/ego.png"],
    "viz communities": ["viz", "communities", "-o", f"{OUT}/c.html"],
    "viz path": ["viz", "path", "operator:bpifrance", "region:32", "-o", f"{OUT}/p.html"],
    "viz query": ["viz", "query", "funders-of-territory", "-p", "territory=Béthune-Bruay", "-o", f"{OUT}/q.html"],
    "viz territory": ["viz", "territory", "territory:I-ti-3204", "-o", "{ok}/t.html", "--svg", f"{OUT}/t.svg"],
    "export cypher": ["export", "cypher", "-o", f"{OUT}/g.cypher"],
    "export gexf": ["export", "gexf", "-o", f"{OUT}/g.gexf"],
    "export graphml": ["export", "graphml", "-o", f"{OUT}/g.graphml"],
    "export json": ["export", "json", "-o", f"{OUT}/g.json"],
    "match": ["match", "{ok}/names.csv", "--column", "name", "-o", f"{OUT}/m.csv"],
    "match (xlsx)": ["match", "{ok}/names.csv", "--column", "name", "-o", f"{OUT}/m.xlsx"],
    "extract": ["extract", "-", "-o", f"{OUT}/facts.yaml"],
    "backup": ["backup", f"{OUT}/copy"],
}
# Writes a folder, which it creates with its parents.
NOT_CHECKED = {"export csv"}


@pytest.mark.parametrize("name", WRITERS)
def test_a_missing_folder_is_one_error_line(runner, builtin_db: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / "names.csv").write_text("name\nBpifrance\n", encoding="utf-8")
    missing = tmp_path / "missing"
    args = [a.format(missing=missing, ok=tmp_path) for a in WRITERS[name]]
    db = tmp_path / "new-graph" if name == "demo" else builtin_db  # demo writes to its graph: not to the shared one
    result = runner.invoke(cli, ["--db", str(db), *args], input="La Région finance Bpifrance.\n")
    assert result.exit_code == 1, result.output
    target = next(a for a in args if a.startswith(str(missing)))
    reason = "the backup " if name == "backup" else ""
    tail = "." if name == "backup" else ". Check that its folder exists and is writable."
    assert result.stderr == f'Error: Cannot write {reason}"{target}": No such file or directory{tail}\n'
    assert result.stdout == "" and not missing.exists() and not (tmp_path / "new-graph").exists()


def _file_options(command: click.Command, path: tuple[str, ...]) -> set[str]:
    """The commands under ``command`` with an option that names a file to write."""
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        return set().union(*(_file_options(command.get_command(ctx, n), (*path, n)) for n in command.list_commands(ctx)))
    writes = any({"-o", "--output", "--png", "--svg"} & set(p.opts) for p in command.params)
    return {" ".join(path)} if writes else set()


def test_every_command_that_writes_a_file_is_tried_above() -> None:
    tried = {name.split(" (")[0] for name in WRITERS}
    assert _file_options(cli, ()) - NOT_CHECKED <= tried


def test_the_writers_say_which_file_they_cannot_write(tmp_path: Path, capfd) -> None:
    """Without the command's early check, each writer still gives the one message (openpyxl prints nothing)."""
    from loaders.match_table import MatchResult, write_matches
    from loaders.table import Table
    from queries.report import network_report, save_report
    from viz.map_data import MapData
    from viz.map_page import render_map

    missing = tmp_path / "missing"
    matches = MatchResult(Table(tmp_path / "names.csv", ["name"]), ["name"], rows=[{"name": "Bpifrance"}])
    writes = {
        "r.md": lambda path: save_report(network_report(nx.MultiDiGraph()), path),
        "m.html": lambda path: render_map(MapData("programmes", "II"), path),
        "m.xlsx": lambda path: write_matches(matches, path),
        "m.csv": lambda path: write_matches(matches, path),
    }
    for name, write in writes.items():
        with pytest.raises(TdiError) as error:
            write(missing / name)
        assert str(error.value) == f'Cannot write "{missing / name}": No such file or directory. Check that its folder exists and is writable.'
    assert capfd.readouterr().err == ""


# ``-o -`` is stdout (FollowTheMoney's convention): the data alone on stdout, the messages on stderr, no file named "-".
TO_STDOUT = {
    "export json": ["export", "json", "-o", "{out}"],
    "export graphml": ["export", "graphml", "-o", "{out}"],
    "export gexf": ["export", "gexf", "-o", "{out}"],
    "export cypher": ["export", "cypher", "-o", "{out}"],
    "analyze report": ["analyze", "report", "-o", "{out}"],
    "viz ego": ["viz", "ego", "operator:bpifrance", "-o", "{out}"],
    "viz path": ["viz", "path", "operator:bpifrance", "region:32", "-o", "{out}"],
    "match": ["match", "{ok}/names.csv", "--column", "name", "-o", "{out}"],
    "extract": ["extract", "-", "--date", "2024-03-12", "-o", "{out}"],
}
# What stdout cannot hold: refused before any work, naming the option, exit code 2.
NOT_TO_STDOUT = {
    "export csv": (["export", "csv", "-o", "-"], "'-o' / '--output'", "export csv writes a folder of files. Give a folder name."),
    "viz ego (png)": (["viz", "ego", "operator:bpifrance", "-o", "{ok}/e.html", "--png", "-"], "'--png'", "a PNG picture is binary. Give a file name."),
    "backup": (["backup", "-"], "'DEST'", "a backup is a copy of the graph's file. Give a file name."),
    "demo": (["demo", "-o", "-"], "'-o' / '--output'", "demo prints its counts on stdout. Give a file name."),
}


def _stdout_run(runner, db: Path, tmp_path: Path, args: list[str], out: str):
    (tmp_path / "names.csv").write_text("name\nBpifrance\n", encoding="utf-8")
    args = [a.format(out=out, ok=tmp_path) for a in args]
    return runner.invoke(cli, ["--db", str(db), *args], input="La Région Hauts-de-France finance Bpifrance.\n")


@pytest.mark.parametrize("name", TO_STDOUT)
def test_dash_writes_to_stdout_what_a_file_would_hold(runner, builtin_db: Path, tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    suffix = {"analyze report": ".md", "match": ".csv", "extract": ".yaml"}.get(name, "." + name.split()[-1])
    to_file = _stdout_run(runner, builtin_db, tmp_path, TO_STDOUT[name], str(tmp_path / f"out{suffix}"))
    assert to_file.exit_code == 0, to_file.output
    result = _stdout_run(runner, builtin_db, tmp_path, TO_STDOUT[name], "-")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    written = (tmp_path / f"out{suffix}").read_bytes()
    if name.startswith("viz"):  # a page holds its own random ids: the same page, not the same bytes
        assert result.stdout_bytes.startswith(b"<!DOCTYPE html>") and len(result.stdout_bytes) > len(written) // 2
    else:
        assert result.stdout_bytes == written
    assert "Wrote to stdout" in result.stderr or name in ("match", "extract")


@pytest.mark.parametrize("name", NOT_TO_STDOUT)
def test_dash_is_refused_where_stdout_cannot_hold_the_output(runner, builtin_db: Path, tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    args, option, reason = NOT_TO_STDOUT[name]
    db = tmp_path / "new-graph" if name == "demo" else builtin_db
    result = runner.invoke(cli, ["--db", str(db), *[a.format(ok=tmp_path) for a in args]])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f'Error: Invalid value for {option}: "-" (stdout) cannot be used here: {reason}\n')
    assert result.stdout == "" and not (tmp_path / "-").exists() and not (tmp_path / "new-graph").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "ego", "operator:bpifrance", "-o", "-", "--open"], '--open needs a page file: give -o FILE.html rather than "-".'),
        (["viz", "ego", "operator:bpifrance", "-o", "-", "--svg", "-"], '-o and --svg cannot both be "-": stdout holds one file.'),
        (["viz", "map", "-o", "-", "--open"], '--open needs a page file: give -o FILE.html rather than "-".'),
    ],
)
def test_one_page_on_stdout_and_nothing_to_open(runner, builtin_db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["--db", str(builtin_db), *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"Error: {message}\n") and result.stdout == ""


def test_every_output_option_says_what_dash_does() -> None:
    """Each command writing a file either writes ``-`` to stdout (tried above, or a view like those) or refuses it."""
    tried = {name.split(" (")[0] for name in [*TO_STDOUT, *NOT_TO_STDOUT]}
    views = {name for name in _file_options(cli, ()) if name.startswith("viz")}
    assert _file_options(cli, ()) - views <= tried
