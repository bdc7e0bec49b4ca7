"""Run the CLI on a graph and count what a graph holds: shared by the CLI tests (read and write commands, names)."""

from __future__ import annotations

from pathlib import Path

from cli import cli
from graph.backend import open_graph


def run(runner, db: Path, *args: str, input: str | None = None):
    return runner.invoke(cli, ["--db", str(db), *args], input=input)


def counts(db: Path) -> dict:
    with open_graph(db, read_only=True) as graph:
        return graph.counts()
