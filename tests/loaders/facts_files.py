"""Write a small facts file and read the error it gets: shared by the tests of the facts reader."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph.errors import LoaderError
from loaders.facts import read_facts

HEADER = """\
sources:
  - id: doc-1
    name: A document
"""


def write_facts(tmp_path: Path, body: str) -> Path:
    """``facts.yaml`` in ``tmp_path``: `HEADER` (lines 1 to 3), then ``body`` dedented (from line 4); ``body`` alone if it declares sources."""
    path = tmp_path / "facts.yaml"
    body = textwrap.dedent(body)
    path.write_text(body if body.startswith("sources:") else HEADER + body, encoding="utf-8")
    return path


def facts_error(path: Path) -> str:
    """The message of the `LoaderError` that reading ``path`` raises."""
    with pytest.raises(LoaderError) as caught:
        read_facts(path)
    return str(caught.value)
