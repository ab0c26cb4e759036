"""The status bar's view of the job runner: a progress bar and a Cancel button for the job that is running.

A model load shows at once (it always takes a while); other jobs only once they have taken longer than a
second, so quick maps and typing never flicker a progress bar.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressBar, QStatusBar, QToolButton

from .i18n import tr
from .jobs import JobRunner, Progress

BUSY_AFTER_S = 1.0
SHOWN_AT_ONCE = ("load",)


def job_label(kind: str) -> str:
    """What the status bar calls a job of this kind (translated when asked: the language is set by then)."""
    labels = {
        "load": tr("Loading the model"),
        "run": tr("Running the model"),
        "overview": tr("Computing the overview"),
        "export": tr("Exporting"),
        "map": tr("Drawing the map"),
        "head-scores": tr("Scoring the heads"),
        "head-importance": tr("Measuring head importance"),
        "logit-lens": tr("Reading the logit lens"),
        "probe": tr("Running the induction probe"),
        "compare": tr("Comparing the variants"),
        "compare-head": tr("Comparing the head"),
        "rollout": tr("Computing the rollout"),
        "attention-flow": tr("Computing the attention flow"),
        "generate": tr("Generating"),
        "lab-train": tr("Training the lab model"),
        "lab-costs": tr("Comparing MHA, GQA and MQA"),
        "lab-evaluate": tr("Evaluating the lab model"),
        "lab-save": tr("Saving the lab model"),
        "lab-load": tr("Loading the lab model"),
        "lab-export": tr("Exporting"),
        "train": tr("Training"),
        "learn": tr("Learning the merges"),
        "corpus-run": tr("Scoring the corpus"),
        "corpus-read": tr("Reading the corpus"),
        "corpus-open": tr("Reading the corpus results"),
        "patching": tr("Running the patching sweep"),
        "patching-scores": tr("Scoring the heads"),
        "patching-attribution": tr("Attributing the prediction"),
        "neuron-view": tr("Computing the neuron view"),
        "qk-scatter": tr("Projecting queries and keys"),
    }
    # Any other job (a short one, rarely on show long enough to be read) is named plainly, never by its internal kind.
    return labels.get(kind, tr("Working"))


class JobStatus(QObject):
    def __init__(self, status_bar: QStatusBar, jobs: JobRunner):
        super().__init__(status_bar)
        self.status_bar, self.jobs = status_bar, jobs
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setToolTip(tr("Stop the running job; what is on screen stays"))
        self.cancel_button.clicked.connect(self.cancel)
        status_bar.addPermanentWidget(self.progress)
        status_bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.shown_kind: str | None = None  # the job whose progress is on show
        self._started: dict[str, float] = {}
        self._latest: dict[str, Progress] = {}
        self._reveal = QTimer(self, singleShot=True, interval=int(BUSY_AFTER_S * 1000))
        self._reveal.timeout.connect(self._reveal_waiting)
        jobs.started.connect(self._on_started)
        jobs.progress.connect(self._on_progress)
        jobs.ended.connect(self._on_ended)

    def cancel(self) -> None:
        kind = self.shown_kind  # cancelling ends the job at once, which clears shown_kind
        if kind is not None:
            self.jobs.cancel(kind)
            self.status_bar.showMessage(tr("{job}: cancelled").format(job=job_label(kind)), 5000)

    def _on_started(self, kind: str) -> None:
        # The quiet second counts from when the job was asked for, not from its first report.
        self._started.setdefault(kind, time.monotonic())

    def _on_progress(self, kind: str, progress: Progress) -> None:
        self._latest[kind] = progress
        started = self._started.setdefault(kind, time.monotonic())  # set at submission; this is a fallback
        if kind in SHOWN_AT_ONCE or time.monotonic() - started >= BUSY_AFTER_S or self.shown_kind == kind:
            self._show(kind, progress)
        elif not self._reveal.isActive():
            self._reveal.start()

    def _reveal_waiting(self) -> None:
        for kind, progress in self._latest.items():
            if self.jobs.busy(kind):
                self._show(kind, progress)
                return

    def _show(self, kind: str, progress: Progress) -> None:
        self.shown_kind = kind
        self.progress.setValue(int(progress.fraction * 1000))
        self.progress.setFormat(f"{progress.fraction:.0%}")
        self.progress.show()
        self.cancel_button.show()
        self.status_bar.showMessage(f"{job_label(kind)}… {progress.message}".rstrip())

    def _on_ended(self, kind: str) -> None:
        self._started.pop(kind, None)
        self._latest.pop(kind, None)
        if kind == self.shown_kind:
            self.shown_kind = None
            self.progress.hide()
            self.cancel_button.hide()
            self.status_bar.clearMessage()
