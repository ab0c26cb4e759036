"""Keeping freed memory for reuse instead of handing it back to the OS after every layer.

A forward pass allocates and frees the same few large intermediates (tens of MB) in every layer. glibc
returns such blocks to the kernel with munmap, so each layer faults the pages in again; on a 2-core machine
that costs a measurable share of the pass (and more right after another big job freed its memory). Raising
glibc's mmap and trim thresholds keeps those blocks in the heap, where the next layer reuses them. Peak
memory is unchanged; memory is simply not returned between passes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's upper limit for this setting on 64-bit systems
TRIM_THRESHOLD_BYTES = 1 << 36
TOP_PAD_BYTES = 16 * 1024 * 1024

_tuned = False
_libc = None


def _glibc():
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.mallopt  # noqa: B018 (glibc has it; musl does not)
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


def keep_freed_memory() -> None:
    """Tune glibc's allocator once per process; a no-op elsewhere (macOS, Windows, musl)."""
    global _tuned
    libc = _glibc()
    if _tuned or libc is None:
        return
    _tuned = True
    mallopt = libc.mallopt
    for option, value in (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
        (M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES),
        (M_TOP_PAD, TOP_PAD_BYTES),
    ):
        if mallopt(ctypes.c_int(option), ctypes.c_int(min(value, 2**31 - 1))) != 1:
            log.debug("mallopt(%d) was refused", option)


def release_freed_memory() -> None:
    """Hand memory freed so far back to the OS, e.g. the checkpoint copy a load no longer needs."""
    libc = _glibc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(ctypes.c_size_t(0))
