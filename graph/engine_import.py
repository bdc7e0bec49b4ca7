"""Import the engine's package without the ``asyncio`` it loads for a class tdi never uses.

``ladybug/__init__.py`` imports its ``AsyncConnection``, whose module imports ``asyncio`` and,
through it, ``ssl``, ``socket``, ``subprocess``, ``logging`` and ``concurrent.futures``: 0.05 to
0.07 s of CPU, a fifth of ``tdi show`` (issue 16, docs/speed.md). While the package is imported,
``asyncio`` is a stand-in (`AsyncioOnFirstUse`) that imports the real module the first time one of
its names is read, so ``AsyncConnection`` still works for whoever uses it; the stand-in leaves
``sys.modules`` as soon as the package is imported, and a later ``import asyncio`` gets the real one.
``importlib.util.LazyLoader`` cannot do this: an ``import asyncio`` statement reads the lazy module's
``__spec__``, which loads it at once.

Example
-------
>>> ladybug = import_engine()
>>> ladybug.Database.__name__
'Database'
"""

from __future__ import annotations

import importlib
import sys
import types

__all__ = ["AsyncioOnFirstUse", "import_engine"]


class AsyncioOnFirstUse(types.ModuleType):
    """Stands for ``asyncio``: the first name read from it imports the real module and reads it there.

    >>> AsyncioOnFirstUse().CancelledError.__module__
    'asyncio.exceptions'
    """

    def __init__(self) -> None:
        super().__init__("asyncio")

    def __getattr__(self, name: str) -> object:
        if sys.modules.get("asyncio") is self:
            del sys.modules["asyncio"]
        return getattr(importlib.import_module("asyncio"), name)


def import_engine() -> types.ModuleType:
    """The ``ladybug`` package, imported without importing ``asyncio`` unless something already did."""
    if "ladybug" in sys.modules or "asyncio" in sys.modules:
        return importlib.import_module("ladybug")
    stand_in = AsyncioOnFirstUse()
    sys.modules["asyncio"] = stand_in
    try:
        return importlib.import_module("ladybug")
    finally:
        if sys.modules.get("asyncio") is stand_in:
            del sys.modules["asyncio"]
