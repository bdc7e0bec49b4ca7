"""The docs match the code: every command is in the README, every example of the README parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    names = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)  # commands of commands/ are imported when asked for
        if isinstance(command, click.Group):
            names += _commands(command, (*prefix, name))
        else:
            names.append(" ".join((*prefix, name)))
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_is_in_the_readme(command):
    assert f"tdi {command}" in README


def _readme_tdi_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.strip().startswith("tdi ")]


@pytest.mark.filterwarnings("ignore:'protected_args' is deprecated:DeprecationWarning")
@pytest.mark.parametrize("line", _readme_tdi_lines())
def test_readme_examples_parse(line):
    """Each ``tdi …`` line of the README names real commands and options (checked by click, without running)."""
    tokens = shlex.split(line)[1:]
    args = tokens[: tokens.index(">")] if ">" in tokens else tokens
    ctx = cli.make_context("tdi", list(args), resilient_parsing=False)
    command, sub = cli, ctx
    while isinstance(command, click.Group) and sub.protected_args + sub.args:
        name, *rest = sub.protected_args + sub.args
        command = command.get_command(sub, name)
        sub = command.make_context(name, rest, parent=sub)


def test_the_two_setup_commands_come_first():
    setup = README.split("## Set up", 1)[1].split("## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", setup, flags=re.DOTALL)
    assert commands[0].endswith("tdi demo")
    assert commands[1].endswith("python -m pytest")
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest\n" in ci


def test_every_named_query_is_in_the_readme():
    from queries.registry import list_queries

    missing = [q.name for q in list_queries() if f"| `{q.name}` |" not in README]
    assert missing == []
