"""How the labs' benchmark rows are measured: on one torch thread, with the process's peak resident memory."""

from __future__ import annotations

import resource
import sys


def one_torch_thread():
    """Train as the explorer trains the labs' small models: on one torch thread (models/lab/threads.py says why),
    the caller's count restored after."""
    from models.lab.threads import training_threads

    return training_threads(0)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (rows run in order, so it never goes down)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
