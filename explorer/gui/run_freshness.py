"""Whether the run on screen is the run of what the user has now: the texts and the options.

Emptying the text, a run that failed or was cancelled, or a change still waiting for its run leaves the last
good run on screen. That is right (nothing flickers away), but it must not pass for the current text: the
shell marks every run-derived view stale while `stale` holds, and clears the mark when a run of the current
text arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from .jobs import JobRunner
from .workspace import Workspace


class RunFreshness(QObject):
    stale_changed = Signal(bool)  # True: the run on screen is of an earlier text or other options
    marked_changed = Signal(bool)  # `marked` changed: the views are to be marked stale, or no longer

    def __init__(self, workspace: Workspace, jobs: JobRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace, self.jobs = workspace, jobs
        self._submitted: tuple | None = None  # what the newest run job was asked to run
        self._shown: tuple | None = None  # what the run on screen ran
        self._stale = self._marked = False
        jobs.started.connect(self._on_job_started)
        # A finished job hands its result over just after `ended`: look once the event loop turns, so a run
        # that brings the current text never flashes the mark on its way in.
        jobs.ended.connect(lambda _kind: QTimer.singleShot(0, self.update))
        workspace.run_changed.connect(self._on_run)
        workspace.typing_settled.connect(self.update)  # sent after the workspace's own rerun
        workspace.state_changed.connect(lambda _state: self.update())

    def wanted(self) -> tuple:
        """What a current run would have run: the texts and the options, as the user has them now. (A model being
        loaded has its own progress; its first run follows, and is submitted like any other.)"""
        state = self.workspace.state
        return tuple(state.texts), state.options

    @property
    def stale(self) -> bool:
        return self._stale

    @property
    def running(self) -> bool:
        """A run is on its way (or typing waits for its pause to end): the views' own "updating…" cue says so,
        and the stale mark waits for its outcome."""
        return self.jobs.busy("run") or self.workspace.typing_pending

    @property
    def marked(self) -> bool:
        """Stale with no run on its way: what the views are marked by. (While a run is on its way they show
        their own "updating…" cue, so typing never flickers the mark.)"""
        return self._marked

    def update(self) -> None:
        """Look again (the text was edited, a run started or ended, the options changed)."""
        stale = self.workspace.run is not None and self._shown != self.wanted()
        if stale != self._stale:
            self._stale = stale
            self.stale_changed.emit(stale)
        marked = stale and not self.running
        if marked != self._marked:
            self._marked = marked
            self.marked_changed.emit(marked)

    def _on_job_started(self, kind: str) -> None:
        if kind == "run":
            self._submitted = self.wanted()
        self.update()

    def _on_run(self, _run) -> None:
        # Only the newest run job's result reaches the window (an overtaken one is dropped), so the run that
        # arrived is the one last submitted; another sequence of the same run changes nothing.
        if self._submitted is not None:
            self._shown = self._submitted
        self.update()
