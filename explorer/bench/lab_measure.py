"""How the labs' benchmark rows are measured: on one torch thread, with the process's peak resident memory."""

from __future__ import annotations

import resource
import sys
from contextlib import contextmanager


@contextmanager
def one_torch_thread():
    """The labs' models are too small to share: a second thread only adds synchronisation, and on a busy machine
    it made each step 10-20× slower (1.1 s against 0.06 s measured on one). The caller's setting is restored."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (rows run in order, so it never goes down)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
