"""Start, Pause/Resume, Stop and Reset, and Save/Load: the lab's training as a job, and what it sends back.

Phases: idle (no model) → training ⇄ paused → stopped or finished; Reset goes back to idle. Pause, Stop and
the status bar's Cancel all cancel the "lab-train" job, which ends between two steps; Resume submits it again and
the Trainer goes on where it stopped. Any other tool's job (a run, a map, a load) would queue behind training on
the one job thread, so training pauses for it (and says so).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from explorer.gui.i18n import tr

from . import training
from .history import History

JOB = "lab-train"
DRAIN_MS = 250  # the outbox is read, and the view redrawn, at most four times a second
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
        self.drain = QTimer(self, interval=DRAIN_MS)
        self.drain.timeout.connect(self.take_events)
        view = self.view
        view.start_button.clicked.connect(self.start)
        view.pause_button.clicked.connect(self.pause_or_resume)
        view.stop_button.clicked.connect(self.stop)
        view.reset_button.clicked.connect(self.reset)
        view.save_button.clicked.connect(self.choose_save)
        view.load_button.clicked.connect(self.choose_load)
        self.context.jobs.started.connect(self._on_job_started)
        self.context.jobs.ended.connect(self._on_job_ended)
        self._buttons()

    # -- what the user does -----------------------------------------------------------------------------------
    def start(self) -> None:
        settings = self.tool.settings()
        if settings is None:
            return
        self.reset()
        self.handle = training.LabHandle(settings)
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
        self.handle, self.history, self.phase = None, History(), "idle"
        self.view.curves.clear_curves()
        self.tool.maps.clear()
        self._buttons()
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
        if handle.trainer is not None and until <= handle.trainer.step:
            self.view.set_status(tr("The model has done {steps} steps: raise Steps to train on.").format(steps=until))
            return
        self.phase, self._note = "training", ""
        self._buttons()
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
            self.view.set_status(self._describe() + (f"\n{self._note}" if self._note else ""))

    def _ended(self, handle, phase: str) -> None:
        if handle is not self.handle:
            return  # a model that was reset or replaced
        self.take_events()
        self.drain.stop()
        self.phase = phase
        self._buttons()
        self.view.set_status(self._describe())
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
        history, curves = self.history, self.view.curves
        try:
            if "loss" in changed:
                curves.show_loss(history.steps, history.losses)
            if "scores" in changed:
                curves.show_scores(history.eval_steps, history.accuracy, history.alignment)
        except ValueError as error:
            self.view.set_status("⚠ " + str(error))
        if "snapshots" in changed:
            self.tool.maps.snapshots_changed()
        if changed and self.phase == "training":
            self.view.set_status(self._describe())
        return changed

    def _describe(self) -> str:
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
        return " · ".join(parts)

    def _buttons(self) -> None:
        view, phase = self.view, self.phase
        view.pause_button.setText(tr("Resume") if phase == "paused" else tr("Pause"))
        view.pause_button.setEnabled(phase in ("training", "paused"))
        view.stop_button.setEnabled(phase in ("training", "paused"))
        view.reset_button.setEnabled(phase != "idle")
        view.save_button.setEnabled(phase in ("paused", "stopped", "finished"))
        view.load_button.setEnabled(phase != "training")
        view.examples.translate_button.setEnabled(phase in ("paused", "stopped", "finished"))
        view.examples.pick_button.setEnabled(phase in ("paused", "stopped", "finished"))

    # -- checkpoints ----------------------------------------------------------------------------------------------
    def choose_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.context.parent, tr("Save lab model"), "lab-model.safetensors", tr("safetensors (*.safetensors)")
        )
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        handle = self.handle
        self.context.jobs.submit(
            "lab-save", lambda ctx: training.save(handle, path),
            lambda done: self.context.show_status(tr("Saved {path} and its JSON").format(path=done), 5000),
            lambda message: self.context.show_error(tr("Could not save the model"), message),
        )  # fmt: skip

    def choose_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.context.parent, tr("Load lab model"), "", tr("safetensors (*.safetensors)")
        )
        if path:
            self.load_from(path)

    def load_from(self, path: str) -> None:
        self.context.jobs.submit(
            "lab-load", lambda ctx: training.load(path), self._loaded,
            lambda message: self.context.show_error(tr("Could not load the model"), message),
        )  # fmt: skip

    def _loaded(self, handle) -> None:
        self.reset()
        self.handle = handle
        self.view.form.set_values(handle.settings)
        losses = handle.loaded_losses
        if losses:
            self.history.steps, self.history.losses = list(range(1, len(losses) + 1)), list(losses)
            try:
                self.view.curves.show_loss(self.history.steps, self.history.losses)
            except ValueError as error:
                self.view.set_status("⚠ " + str(error))
        self.phase = "stopped"
        self._buttons()
        note = tr("Loaded a model trained {steps} steps; translate an example to see its maps.")
        self.view.set_status(note.format(steps=handle.loaded_step))
        self.tool.maps.translate_example()
