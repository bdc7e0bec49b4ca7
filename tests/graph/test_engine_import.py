"""The engine's package is imported without asyncio, and its asyncio-based class still works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import sys
import graph.embedded
print("asyncio" in sys.modules)
import asyncio, ladybug
from ladybug import async_connection
print(async_connection.asyncio.CancelledError is asyncio.CancelledError)
async def one():
    connection = ladybug.AsyncConnection(ladybug.Database(":memory:"))
    result = await connection.execute("RETURN 41 + 1 AS n")
    return result.get_all()
print(asyncio.run(one()))
"""


def test_the_engine_is_imported_without_asyncio_and_its_async_connection_still_runs() -> None:
    output = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, check=True).stdout.split("\n")
    assert output[:3] == ["False", "True", "[[42]]"]
