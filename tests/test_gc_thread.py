"""Cycles of GUI-thread Qt objects are collected on the GUI thread, never on the job thread (issue 21, item 1).

Python collects cycles on whichever thread allocates past a threshold. Exports made a dialog per export that
ended in a cycle; matplotlib, drawing on the job thread, allocated past the threshold, and the dialog's wrapper
was finalised there: a segmentation fault "Garbage-collecting" inside the figure code. These tests make such
garbage, let the job thread allocate as a figure does, and check which thread finalised it.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from explorer.gui.collector import GuiThreadCollector, gui_thread_collector
from explorer.gui.jobs import JobRunner

ALLOCATIONS = 200_000  # container allocations on the job thread: far past every generation's threshold


class Marker:
    """Part of a cycle with a Qt wrapper; says on which thread the cycle was finalised."""

    def __init__(self, finalised_on: list[int], qt_object: QObject):
        self.finalised_on = finalised_on
        self.qt_object = qt_object
        self.itself = self  # the cycle: only the cyclic collector can free it

    def __del__(self):
        self.finalised_on.append(threading.get_ident())


def allocate_on_the_job_thread(jobs: JobRunner) -> list:
    """Run a job that allocates like a figure being drawn; the GUI thread waits without allocating.

    What it made is kept (and returned): gc counts allocations net of frees, so kept objects keep the count up.
    """
    finished, kept = threading.Event(), []

    def job(ctx):
        kept.extend([] for _ in range(ALLOCATIONS))
        finished.set()

    jobs.submit("test", job)
    assert finished.wait(60), "the job did not run"
    return kept


def test_a_cycle_of_gui_thread_qt_objects_is_finalised_on_the_gui_thread(qtbot):
    jobs = JobRunner()
    try:
        gui_thread, finalised_on = threading.get_ident(), []
        parent = QDialog()  # kept alive: the cycle's dialog is parented to it, as exports parent theirs to the window
        gc.collect()
        Marker(finalised_on, QDialog(parent))  # garbage at once, reachable only through its own cycle
        kept = allocate_on_the_job_thread(jobs)
        qtbot.waitUntil(lambda: bool(finalised_on), timeout=5000)  # the GUI thread's timer collects it
        assert finalised_on == [gui_thread], "the cycle was finalised on the job thread"
        assert len(kept) == ALLOCATIONS
    finally:
        jobs.shutdown()


def test_automatic_collection_is_off_while_a_job_thread_runs_and_on_again_after(qtbot):
    assert gc.isenabled()
    first, second = JobRunner(), JobRunner()
    assert not gc.isenabled() and gui_thread_collector().active
    first.shutdown()
    assert not gc.isenabled(), "another job thread still runs"
    second.shutdown()
    second.shutdown()  # twice is harmless
    assert gc.isenabled() and not gui_thread_collector().active


def test_the_timer_collects_the_generations_whose_thresholds_were_crossed(qtbot):
    collector = GuiThreadCollector()
    collector.hold(collector)
    try:
        finalised_on: list[int] = []
        gc.collect()
        Marker(finalised_on, QObject())
        collector.collect_due()
        assert finalised_on == [], "below the threshold nothing is collected"
        junk = [[] for _ in range(gc.get_threshold()[0] + 1)]
        collector.collect_due()
        assert finalised_on == [threading.get_ident()] and len(junk) > 0
    finally:
        collector.release(collector)
    assert gc.isenabled()
