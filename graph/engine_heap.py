"""Huge pages for a read-only engine's start-up memory (glibc on Linux), asked for by the ``tdi`` command only.

Opening a graph makes LadybugDB allocate about 3.3 MiB for each node table, in blocks that glibc
takes from ``mmap``: the kernel then hands them over 4 KiB at a time, about 21,000 page faults on
the full graph, half of the opening's CPU (issue 16, docs/speed.md). `prepare_heap` does in the
running process what ``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` does from its start: blocks of up
to `MMAP_THRESHOLD` come from the heap, the heap grows once by `HEAP` and a block of 16 MiB, and the kernel is asked to
back that range with transparent huge pages (``MADV_HUGEPAGE``, used where the machine's setting
is ``always`` or ``madvise``). The same opening then takes about 4,000 faults.

It changes how the whole process allocates, so only the ``tdi`` entry point asks for it
(`allow_huge_pages`), and only a graph opened read-only uses it: a read command is short and ends
with ``os._exit`` (`graph.engine_exit`), while a load keeps the memory bounds measured for it.
Elsewhere than glibc, or where a call fails, nothing changes; ``TDI_HUGE_PAGES=0`` turns it off
(`HUGE_PAGES_ENV`).

Example
-------
>>> allow_huge_pages()                                  # doctest: +SKIP
>>> prepare_heap() > 0      # on glibc: bytes of heap advised for huge pages   # doctest: +SKIP
True
"""

from __future__ import annotations

import os
import sys

__all__ = ["HEAP", "HUGE_PAGES_ENV", "MMAP_THRESHOLD", "allow_huge_pages", "prepare_heap"]

HEAP = 128 << 20  # the full graph's opening takes about 84 MiB, whatever its rows
MMAP_THRESHOLD = 32 << 20  # the largest threshold glibc moves to on its own (64-bit)
HUGE_PAGE = 2 << 20
HUGE_PAGES_ENV = "TDI_HUGE_PAGES"
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's mallopt parameters
_DEFAULT_TOP_PAD = 128 << 10
_MADV_HUGEPAGE = 14

_state = {"allowed": False, "done": False}


def allow_huge_pages() -> None:
    """Let the first read-only engine of this process start on huge pages (only the ``tdi`` entry point asks)."""
    _state["allowed"] = True


def prepare_heap() -> int:
    """Once per process, if allowed: grow the heap by `HEAP` advised for huge pages; the bytes advised (0: nothing done).

    Blocks of up to `MMAP_THRESHOLD` come from the heap from then on, and the heap is kept rather
    than given back after frees (the process ends soon, with ``os._exit``).
    """
    if not _state["allowed"] or _state["done"] or not sys.platform.startswith("linux"):
        return 0
    _state["done"] = True
    if os.environ.get(HUGE_PAGES_ENV, "").strip() == "0":
        return 0
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return 0
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.sbrk.restype = libc.malloc.restype = ctypes.c_void_p
        libc.sbrk.argtypes, libc.malloc.argtypes, libc.free.argtypes = [ctypes.c_ssize_t], [ctypes.c_size_t], [ctypes.c_void_p]
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 * HEAP)
        libc.mallopt(_M_TOP_PAD, HEAP)
        start = libc.sbrk(0)
        libc.free(libc.malloc(MMAP_THRESHOLD // 2))  # more than the heap has free at its top: it grows by that and HEAP at once
        end = libc.sbrk(0)
        libc.mallopt(_M_TOP_PAD, _DEFAULT_TOP_PAD)
        first = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1)
        if not start or end - first < HUGE_PAGE or libc.madvise(first, end - first, _MADV_HUGEPAGE) != 0:
            return 0
        return end - first
    except (OSError, ValueError, AttributeError):  # no glibc, no such symbol
        return 0
