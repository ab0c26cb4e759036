"""How many torch threads a lab model trains on: one for the labs' small models, torch's own count for big ones.

The labs' models are tiny (the default transformer has about 100 k parameters): each operation is too small to
split, so a second thread only adds synchronisation, and when anything else uses a core the threads wait on each
other. On the 2-core machine, with one busy process per core, 30 steps of the default transformer on reverse took
63 s with torch's default two threads and 5.3 s with one. torch.set_num_threads is process-wide, so the
explorer's own count is put back when training ends, however it ends (finished, paused, cancelled, failed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

SMALL_MODEL_PARAMETERS = 2_000_000  # up to this many, a model trains on one thread


def threads_for(parameters: int, available: int) -> int:
    """The thread count to train a model of `parameters` on, given the process's current count `available`."""
    for name, value in (("parameters", parameters), ("available", available)):
        if not isinstance(value, int) or isinstance(value, bool) or value < (0 if name == "parameters" else 1):
            raise ValueError(f"{name}: {value!r} must be a {'non-negative' if name == 'parameters' else 'positive'} "
                             "integer")  # fmt: skip
    return 1 if parameters <= SMALL_MODEL_PARAMETERS else available


@contextmanager
def training_threads(parameters: int) -> Iterator[int]:
    """Train inside this block on threads_for(parameters) torch threads (the count is yielded); the count the
    process had before is restored on the way out, also when the block is left by an exception or a closed
    generator."""
    import torch

    before = torch.get_num_threads()
    threads = threads_for(parameters, before)
    torch.set_num_threads(threads)
    log.debug("training a %d-parameter model on %d of %d torch threads", parameters, threads, before)
    try:
        yield threads
    finally:
        torch.set_num_threads(before)
