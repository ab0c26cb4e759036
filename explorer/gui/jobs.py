"""One job runner for all heavy work: generator jobs on one worker thread.

A job is a function of a JobContext, run on the worker thread. It may be a generator that yields Progress
values and returns its result, or a plain function (which can still report through ctx.report, e.g. from a
model's progress callback). Every job has a kind ("load", "run", "map", ...). Submitting a job makes it the
newest of its kind: an older job of that kind stops at its next progress report (models.Cancelled is raised
inside it), a queued one never starts, and a result that was overtaken is dropped before it reaches the GUI.
Only this module and the jobs it runs ever block; the GUI thread only submits and receives.
"""

from __future__ import annotations

import inspect
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from models.errors import Cancelled

from .collector import gui_thread_collector

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    done: float
    total: float
    message: str = ""

    @property
    def fraction(self) -> float:
        return min(max(self.done / self.total, 0.0), 1.0) if self.total > 0 else 0.0


@dataclass(frozen=True)
class _Ticket:
    kind: str
    job_id: int
    job: Callable


@dataclass(frozen=True)
class _Outcome:
    kind: str
    job_id: int
    result: object = None
    error: str | None = None
    cancelled: bool = False


class _Newest:
    """The newest job id of each kind; written by the GUI thread, read by the worker."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ids: dict[str, int] = {}
        self._cancelled: dict[str, int] = {}  # kind -> the job that was newest when the kind was cancelled
        self._counter = 0

    def next(self, kind: str) -> int:
        with self._lock:
            self._counter += 1
            self._ids[kind] = self._counter
            self._cancelled.pop(kind, None)
            return self._counter

    def cancel(self, kind: str) -> None:
        with self._lock:
            if kind in self._ids:
                self._cancelled[kind] = self._ids[kind]
                self._counter += 1
                self._ids[kind] = self._counter  # no job has this id: whatever runs is stale now

    def finished_anyway(self, kind: str, job_id: int) -> bool:
        """The job was cancelled but not overtaken: no newer job of its kind was submitted since.

        Such a job may have finished before it saw the cancel, after changing what it owns (a load that
        replaced the engine's model). Its result is the truth then, and the only one coming: it is delivered.
        """
        with self._lock:
            return self._cancelled.get(kind) == job_id

    def is_current(self, kind: str, job_id: int) -> bool:
        with self._lock:
            return self._ids.get(kind) == job_id


class JobContext:
    """What a running job sees: whether it is still wanted, and a way to report progress."""

    def __init__(self, newest: _Newest, kind: str, job_id: int, emit: Callable[[str, int, Progress], None]):
        self._newest, self.kind, self.job_id, self._emit = newest, kind, job_id, emit

    @property
    def current(self) -> bool:
        return self._newest.is_current(self.kind, self.job_id)

    def check(self) -> None:
        """Raise Cancelled once a newer job of the same kind exists (or the kind was cancelled)."""
        if not self.current:
            raise Cancelled()

    def report(self, done: float, total: float, message: str = "") -> None:
        self.check()
        self._emit(self.kind, self.job_id, Progress(done, total, message))


def user_message(error: BaseException) -> str:
    """What a user reads: our ValueErrors and OSErrors say what to do (in the interface's language where the
    catalogue knows their kind: error_text.py); anything else is a bug, logged in full."""
    if isinstance(error, (ValueError, OSError)):
        from .error_text import describe

        return describe(error)
    log.error("unexpected error in a job", exc_info=error)
    return f"unexpected {type(error).__name__}: {error}"


class _Worker(QObject):
    finished = Signal(object)  # _Outcome
    progressed = Signal(str, int, object)  # kind, job id, Progress

    def __init__(self, newest: _Newest):
        super().__init__()
        self.newest = newest

    @Slot(object)
    def execute(self, ticket: _Ticket) -> None:
        ctx = JobContext(self.newest, ticket.kind, ticket.job_id, self.progressed.emit)
        if not ctx.current:  # overtaken while queued: never started
            self.finished.emit(_Outcome(ticket.kind, ticket.job_id, cancelled=True))
            return
        try:
            result = self._drive(ticket.job(ctx), ctx)
        except Cancelled:
            self.finished.emit(_Outcome(ticket.kind, ticket.job_id, cancelled=True))
        except Exception as error:  # a job's failure must never take the thread down
            self.finished.emit(_Outcome(ticket.kind, ticket.job_id, error=user_message(error)))
        else:
            self.finished.emit(_Outcome(ticket.kind, ticket.job_id, result=result))

    @staticmethod
    def _drive(value, ctx: JobContext):
        """A plain job's value is its result; a generator job is stepped, reporting what it yields."""
        if not inspect.isgenerator(value):
            return value
        try:
            while True:
                item = next(value)
                if isinstance(item, Progress):
                    ctx.report(item.done, item.total, item.message)
                else:
                    ctx.check()
        except StopIteration as stop:
            return stop.value
        finally:
            value.close()


def stop_thread(thread: QThread) -> None:
    """Quit and join a job thread, unless Qt has already deleted it (a window's teardown at interpreter exit)."""
    if shiboken6.isValid(thread) and thread.isRunning():
        thread.quit(), thread.wait(10_000)


class JobRunner(QObject):
    """Submit jobs from the GUI thread; their results come back on it, overtaken ones never do."""

    _submit = Signal(object)
    progress = Signal(str, object)  # kind, Progress: only from the newest job of that kind
    started = Signal(str)  # kind: a job of it was submitted (and is now the newest)
    ended = Signal(str)  # kind: its newest job finished, failed or was cancelled

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._newest = _Newest()
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("jobs")
        self._worker = _Worker(self._newest)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.execute)
        self._worker.finished.connect(self._on_finished)
        self._worker.progressed.connect(self._on_progress)
        self._running: dict[str, int] = {}  # kind -> newest job id not yet finished
        self._pending: set[int] = set()  # every job submitted and not finished, overtaken or cancelled ones too
        gui_thread_collector().hold(self)  # while this thread runs, cycles are collected on the GUI thread only
        self._thread.start()
        # A QThread destroyed while it runs aborts the process (SIGABRT): stopped when this runner goes, or at exit.
        weakref.finalize(self, stop_thread, self._thread)

    def submit(
        self,
        kind: str,
        job: Callable[[JobContext], object],
        on_done: Callable[[object], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        """Queue job as the newest of its kind; on_done(result) or on_error(message) run on the GUI thread."""
        job_id = self._newest.next(kind)
        self._callbacks[job_id] = (on_done, on_error)
        self._running[kind] = job_id
        self.started.emit(kind)
        self._pending.add(job_id)
        self._submit.emit(_Ticket(kind, job_id, job))
        return job_id

    def submit_stepped(
        self,
        kind: str,
        steps: Callable[[], Iterator[Progress]],
        on_done: Callable[[object], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        """Run a generator on the GUI thread, one step per event-loop turn, for work that needs Qt objects
        (drawing figures). It reports, is cancelled and is overtaken exactly like a job of the same kind."""
        job_id = self._newest.next(kind)
        self._running[kind] = job_id
        self.started.emit(kind)
        self._pending.add(job_id)
        generator = steps()
        timer = QTimer(self, interval=0)

        def step() -> None:
            outcome = None
            try:
                if not self._newest.is_current(kind, job_id):
                    raise Cancelled()
                item = next(generator)
                if isinstance(item, Progress):
                    self._on_progress(kind, job_id, item)
            except StopIteration as stop:
                outcome = _Outcome(kind, job_id, result=stop.value)
            except Cancelled:
                outcome = _Outcome(kind, job_id, cancelled=True)
            except Exception as error:  # the same promise as on the worker: a failure is a message
                outcome = _Outcome(kind, job_id, error=user_message(error))
            if outcome is not None:
                timer.stop()
                timer.deleteLater()
                generator.close()
                self._callbacks[job_id] = (on_done, on_error)
                self._on_finished(outcome)

        timer.timeout.connect(step)
        timer.start()
        return job_id

    def cancel(self, kind: str) -> None:
        """Stop the job of this kind at its next progress report; its result, if any, is dropped."""
        self._newest.cancel(kind)
        if self._running.pop(kind, None) is not None:
            self.ended.emit(kind)

    def is_current(self, kind: str, job_id: int) -> bool:
        return self._newest.is_current(kind, job_id)

    def busy(self, kind: str) -> bool:
        return kind in self._running

    def idle(self) -> bool:
        """Nothing submitted is still queued or running, not even a cancelled job that has yet to stop."""
        return not self._pending

    def shutdown(self) -> None:
        """Cancel everything and stop the thread; safe to call more than once."""
        for kind in list(self._running):
            self._newest.cancel(kind)
        self._running.clear()
        self._pending.clear()
        self._callbacks.clear()  # a job that finishes anyway must not call into a window that is closing
        stop_thread(self._thread)
        if not self._thread.isRunning():  # a thread still stuck in a job keeps collection on the GUI thread
            gui_thread_collector().release(self)

    def _on_progress(self, kind: str, job_id: int, progress: Progress) -> None:
        if self._newest.is_current(kind, job_id):
            self.progress.emit(kind, progress)

    def _on_finished(self, outcome: _Outcome) -> None:
        on_done, on_error = self._callbacks.pop(outcome.job_id, (None, None))
        self._pending.discard(outcome.job_id)
        if self._running.get(outcome.kind) == outcome.job_id:
            del self._running[outcome.kind]
            self.ended.emit(outcome.kind)
        if outcome.cancelled:
            return
        if not self._newest.is_current(outcome.kind, outcome.job_id):
            if outcome.error is not None or not self._newest.finished_anyway(outcome.kind, outcome.job_id):
                return  # overtaken (a newer job's result is coming), or cancelled before it could finish
        if outcome.error is not None:
            if on_error is not None:
                on_error(outcome.error)
            else:
                log.warning("%s failed: %s", outcome.kind, outcome.error)
        elif on_done is not None:
            on_done(outcome.result)
