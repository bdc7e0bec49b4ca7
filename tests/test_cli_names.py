"""``tdi find`` and ``tdi match`` through click's runner on real embedded graphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import cli


def run(runner, db: Path, *args: str, input: str | None = None):
    return runner.invoke(cli, ["--db", str(db), *args], input=input)


def test_find_ranks_and_says_what_matched(runner, builtin_db):
    result = run(runner, builtin_db, "find", "Région Hauts-de-France", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {"id": "region:32", "kind": "Region", "name": "Hauts-de-France", "matched": "région des Hauts-de-France",
                       "score": 100.0, "tier": "exact"}  # fmt: skip
    assert len(rows) <= 20


def test_find_table_never_cuts_an_id(runner, builtin_db):
    result = run(runner, builtin_db, "find", "accord région intercommunalités", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "agreement:accord-region-hauts-de-france-intercommunalites-2023 " in result.stdout
    assert "event:signature-accord-region-intercommunalites-bethune-2023-12-18 " in result.stdout
    assert result.stdout.splitlines()[0].split() == ["id", "kind", "name", "matched", "score", "tier"]


def test_find_with_kind_and_limit(runner, builtin_db):
    result = run(runner, builtin_db, "find", "lot", "--kind", "department", "--limit", "1", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("department:46,Department,Lot,Lot,100,exact")


@pytest.mark.parametrize(("text", "message"), [("", "the name is empty"), ("x" * 10_000, "the name is 10,000 characters long")])
def test_find_refuses_what_cannot_be_a_name(runner, builtin_db, text, message):
    result = run(runner, builtin_db, "find", text)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
