"""Start, Pause/Resume, Stop and Reset: the lab's training as a job, what it sends back, and which model is held.

Phases: idle (no model) → training ⇄ paused → stopped or finished; Reset goes back to idle. Pause, Stop and
the status bar's Cancel all cancel the "lab-train" job, which ends between two steps; Resume submits it again and
the Trainer goes on where it stopped. Any other tool's job (a run, a map, a load) would queue behind training on
the one job thread, so training pauses for it (and says so). The line under the buttons names the model held and
warns when the form no longer describes it: Translate and Resume then refuse, rather than use the other model.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from explorer.gui.i18n import tr

from . import training
from .checkpoints import Checkpoints
from .history import History
from .state import differences
from .view import setting_fields

JOB = "lab-train"
DRAIN_MS = 250  # the outbox is read, and the status line redrawn, at most four times a second
# The curves redraw at most once a second while training: their axes are the costliest paint of the window, and
# the GUI thread's Python shares the GIL with the training step (at four a second the window trained ~1.4x slower
# than the CLI on a busy machine).
CURVES_SECONDS = 1.0
LAB = "lab-"  # the lab's job kinds; any other kind is the explorer's own work, which must not wait for training


class TrainingControls(QObject):
    def __init__(self, tool):
        super().__init__(tool)
        self.tool, self.context, self.view = tool, tool.context, tool.view
        self.handle: training.LabHandle | None = None
        self.history = History()
        self.phase = "idle"
        self._ending = False  # Pause/Stop cancelled the job: its end is ours, not the status bar's Cancel
        self._note = ""  # why training paused, when another tool's job made it
        self._stale: set[str] = set()  # the curves ("loss", "scores") not yet redrawn with what came in
        self._drawn_at = 0.0  # time.monotonic() of the last redraw of the curves
        self.drain = QTimer(self, interval=DRAIN_MS)
        self.drain.timeout.connect(self.take_events)
        view = self.view
        view.start_button.clicked.connect(self.start)
        view.pause_button.clicked.connect(self.pause_or_resume)
        view.stop_button.clicked.connect(self.stop)
        view.reset_button.clicked.connect(self.reset)
        view.match_button.clicked.connect(self.use_model_settings)
        self.checkpoints = Checkpoints(self)
        self.context.jobs.started.connect(self._on_job_started)
        self.context.jobs.ended.connect(self._on_job_ended)
        self.buttons()
        self.show_model()

    # -- what the user does -----------------------------------------------------------------------------------
    def start(self) -> None:
        settings = self.tool.settings()
        if settings is None:
            return
        self.reset()
        self.handle = training.LabHandle(settings)
        self.show_model()
        self._train(tr("building the model…"))

    def pause_or_resume(self) -> None:
        if self.phase == "training":
            self._cancel("paused")
        elif self.phase == "paused":
            self._train(tr("resuming…"))

    def stop(self) -> None:
        if self.phase in ("training", "paused"):
            self._cancel("stopped")

    def reset(self) -> None:
        if self.phase == "training":
            self._cancel("idle")
        self.handle, self.history, self.phase, self._stale = None, History(), "idle", set()
        self.checkpoints.forget()
        self.view.curves.clear_curves()
        self.tool.maps.clear()
        self.buttons()
        self.show_model()
        self.view.set_status(tr("Choose settings and press Start."))

    def pause_for_others(self) -> bool:
        """Pause training so another lab job can run now; True if it was training."""
        if self.phase != "training":
            return False
        self._cancel("paused")
        return True

    # -- the job ------------------------------------------------------------------------------------------------
    def _train(self, message: str) -> None:
        handle = self.handle
        until = int(self.view.form.values()["steps"])
        if handle.trainer is not None and self.mismatch():
            self.view.set_status("⚠ " + self.mismatch())  # Resume trains the model's settings, not the form's
            return
        if handle.trainer is not None and until <= handle.trainer.step:
            self.view.set_status(tr("The model has done {steps} steps: raise Steps to train on.").format(steps=until))
            return
        self.phase, self._note = "training", ""
        self.buttons()
        self.view.set_status(message)
        self.drain.start()
        self.context.jobs.submit(
            JOB, lambda ctx: training.train(handle, until, ctx), lambda step: self._ended(handle, "finished"),
            lambda message: self._failed(handle, message),
        )  # fmt: skip

    def _cancel(self, phase: str) -> None:
        self._ending = True
        self.context.jobs.cancel(JOB)
        self._ending = False
        self._ended(self.handle, phase)
        if self.handle is not None:
            self._settle(self.handle)

    def _settle(self, handle) -> None:
        """The job stops between two steps, after Pause/Stop drained it: take in the step it was on, once done."""
        if handle is not self.handle or self.phase == "training":
            return
        if handle.busy:
            QTimer.singleShot(DRAIN_MS, lambda: self._settle(handle))
        elif self.take_events():
            self.view.set_status(self.describe() + (f"\n{self._note}" if self._note else ""))

    def _ended(self, handle, phase: str) -> None:
        if handle is not self.handle:
            return  # a model that was reset or replaced
        self.take_events()
        self.drain.stop()
        self.phase = phase
        self.draw_curves()  # what a throttled redraw held back
        self.buttons()
        self.view.set_status(self.describe())
        self.tool.trained.emit(self.history.summary()["step"])

    def _failed(self, handle, message: str) -> None:
        if handle is self.handle:
            self._ended(handle, "stopped")
            self.view.set_status("⚠ " + message)
            self.context.show_error(tr("Training stopped"), message)

    def _on_job_started(self, kind: str) -> None:
        if not kind.startswith(LAB) and self.phase == "training":
            self._cancel("paused")
            self._note = tr("Paused so the explorer could use its model; press Resume to go on.")
            self.view.set_status(self._note)

    def _on_job_ended(self, kind: str) -> None:
        """The job ended while we thought it trained: it finished (on_done follows at once) or the status bar's
        Cancel stopped it, which is a Pause."""
        if kind == JOB and not self._ending and self.phase == "training":
            handle = self.handle
            QTimer.singleShot(0, lambda: self.phase == "training" and self._ended(handle, "paused"))

    # -- what comes back ----------------------------------------------------------------------------------------
    def take_events(self) -> set:
        """Absorb what the job posted and redraw what changed; the names of what changed."""
        if self.handle is None:
            return set()
        changed = self.history.absorb(self.handle.take())
        self._stale |= changed & {"loss", "scores"}
        if self.phase != "training" or time.monotonic() - self._drawn_at >= CURVES_SECONDS:
            self.draw_curves()
        if "snapshots" in changed:
            self.tool.maps.snapshots_changed()
        if changed and self.phase == "training":
            self.view.set_status(self.describe())
        return changed

    def redraw_curves(self) -> None:
        """Redraw both curves from the whole history (a loaded model's losses)."""
        self._stale = {"loss", "scores"}
        self.draw_curves()

    def draw_curves(self) -> None:
        """Redraw the curves that new events changed (a bad value is named in the status line, never drawn)."""
        history, curves, stale = self.history, self.view.curves, self._stale
        self._stale, self._drawn_at = set(), time.monotonic()
        try:
            if "loss" in stale:
                curves.show_loss(history.steps, history.losses)
            if "scores" in stale:
                curves.show_scores(history.eval_steps, history.accuracy, history.alignment)
        except ValueError as error:
            self.view.set_status("⚠ " + str(error))

    def describe(self) -> str:
        summary = self.history.summary()
        words = {
            "training": tr("Training"), "paused": tr("Paused"), "stopped": tr("Stopped"),
            "finished": tr("Finished"), "idle": tr("No model"),
        }[self.phase]  # fmt: skip
        parts = [words, tr("step {step}").format(step=summary["step"])]
        if summary["loss"] is not None:
            parts.append(tr("loss {loss:.4f}").format(loss=summary["loss"]))
        if summary["accuracy"] is not None:
            parts.append(tr("held-out accuracy {accuracy:.1%}").format(accuracy=summary["accuracy"]))
            parts.append(tr("alignment {alignment:.2f} (best head)").format(alignment=summary["alignment"]))
        threads = None if self.handle is None else self.handle.threads
        if threads is not None:  # the lab's small models train on one torch thread (models/lab/threads.py)
            parts.append(tr("on 1 thread") if threads == 1 else tr("on {threads} threads").format(threads=threads))
        return " · ".join(parts)

    def buttons(self) -> None:
        view, phase = self.view, self.phase
        view.pause_button.setText(tr("Resume") if phase == "paused" else tr("Pause"))
        view.pause_button.setEnabled(phase in ("training", "paused"))
        view.stop_button.setEnabled(phase in ("training", "paused"))
        view.reset_button.setEnabled(phase != "idle")
        view.save_button.setEnabled(phase in ("paused", "stopped", "finished"))
        view.load_button.setEnabled(phase != "training")
        view.examples.translate_button.setEnabled(phase in ("paused", "stopped", "finished"))
        view.examples.pick_button.setEnabled(phase in ("paused", "stopped", "finished"))

    # -- which model, and whether the form still describes it -----------------------------------------------------
    def mismatch(self) -> str:
        """Why the model cannot be used as the form now says (a sentence), or "" when they agree."""
        if self.handle is None:
            return ""
        changed = differences(self.view.form.values(), self.handle.settings)
        if not changed:
            return ""
        labels = {field.name: field.label for field in setting_fields()}  # as the form names them
        fields = ", ".join(labels.get(name, name) for name in changed[:3]) + (", …" if len(changed) > 3 else "")
        return tr("The form's settings are not the model's ({fields}): press Start to train them, Load… a model "
                  "trained on them, or Use the model's settings.").format(fields=fields)  # fmt: skip

    def show_model(self) -> None:
        """The line under the buttons: which model is loaded, where it came from, and whether the form matches."""
        handle, label = self.handle, self.view.model_label
        problem = self.mismatch()
        self.view.match_button.setVisible(bool(problem))
        if handle is None:
            label.setText(tr("Model: none yet. Start trains one from the form; Load… reads a saved one."))
            return
        settings, origin = handle.settings, self.checkpoints.origin
        where = tr("file {name}").format(name=Path(origin).name) if origin else tr("trained here, not saved")
        text = tr("Model: {system} on {task} · {where}").format(
            system=settings["system"], task=settings["task"], where=where)  # fmt: skip
        label.setText(text + ("\n⚠ " + problem if problem else ""))

    def use_model_settings(self) -> None:
        """Put the model's settings back in the form (keeping the form's Steps, which Resume trains up to)."""
        if self.handle is not None:
            steps = self.view.form.values()["steps"]
            self.view.form.set_values(dict(self.handle.settings, steps=steps))
            self.show_model()
