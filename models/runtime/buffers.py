"""The per-layer buffers that runs chained by Model.run(reuse=...) share, and which of them may read them."""

from __future__ import annotations

import weakref


class SharedBuffers:
    """The per-layer buffers that runs chained by Model.run(reuse=...) share, and which of those runs reads them.

    A newer run writes into the buffers of the run it reuses. So a run may hand them over only while no other
    finished run still reads them: else a second Model.run(reuse=r) would overwrite the first one's maps.
    Members are models.runtime.run.Run objects (not imported: run.py imports this module).
    """

    def __init__(self):
        self.members: weakref.WeakSet = weakref.WeakSet()  # every live run made on these buffers
        self.reader: weakref.ref | None = None  # the newest of them: the one run that may read them

    def join(self, run) -> None:
        self.members.add(run)
        self.reader = weakref.ref(run)
