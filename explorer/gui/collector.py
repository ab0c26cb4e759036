"""Python's cyclic garbage collector runs on the GUI thread only, while a job thread runs: a timer collects there.

Python collects reference cycles on whichever thread happens to allocate when a generation's threshold is
crossed. With the job thread drawing figures (matplotlib allocates heavily), that is usually the job thread,
and a cycle holding Qt wrappers made on the GUI thread (a dialog, a widget and the lambda connected to it) is
then finalised there: Qt objects deleted from the wrong thread, and the app crashed with a segmentation fault
"Garbage-collecting" in the middle of an export (issue 21). The standard remedy in pyqtgraph applications
(pyqtgraph.GarbageCollector) is the one used here: while any job thread runs, automatic collection is off, and
a timer on the GUI thread collects each generation whose threshold was crossed. Once the last job thread has
stopped, automatic collection is on again, so a process that closed its windows collects as usual.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 500  # often enough that garbage made by a busy job thread never piles up for long


class GuiThreadCollector(QObject):
    """Collects on a timer of the thread it was made on (the GUI thread), with gc's own thresholds."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._holders: set[int] = set()
        self._was_enabled = True
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)

    @property
    def active(self) -> bool:
        return bool(self._holders)

    def hold(self, holder: object) -> None:
        """A thread other than the GUI thread runs Python for holder: automatic collection goes off."""
        if not self._holders:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        self._holders.add(id(holder))

    def release(self, holder: object) -> None:
        """holder's thread has stopped; the last release turns automatic collection back on. Idempotent."""
        if id(holder) not in self._holders:
            return
        self._holders.discard(id(holder))
        if not self._holders:
            self._timer.stop()
            if self._was_enabled:
                gc.enable()

    def collect_due(self) -> None:
        """Collect the oldest generation whose threshold was crossed (and so the younger ones), as gc would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for index in range(3):
            if counts[index] <= thresholds[index]:
                break
            generation = index
        if generation >= 0:
            gc.collect(generation)


_collector: GuiThreadCollector | None = None


def gui_thread_collector() -> GuiThreadCollector:
    """The process's one collector, made on first use (on the GUI thread) and kept with the application."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(QCoreApplication.instance())
        _collector.destroyed.connect(_forget)
    return _collector


def _forget(*_) -> None:
    global _collector
    if _collector is not None and _collector.active:
        gc.enable()  # the application is going away with threads still held: leave gc as Python has it
    _collector = None
