"""Save…, Load… and closing the window: the lab's model to and from files, and never lost without asking.

A model holds work the user may want (minutes of training): closing the window with steps not yet saved asks,
as an editor does, Save / Discard / Cancel. Save stops training and saves as a job, and the window closes once
the file is written; a failed save leaves the window open with the error. A loaded checkpoint is evaluated once (a
job), so it shows its held-out accuracy and a snapshot at its step like a model trained here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer.gui.files import remember_folder, start_folder
from explorer.gui.i18n import tr

from . import training


def ask_to_save(parent, steps: int) -> str:
    """'save', 'discard' or 'cancel': the question an editor asks before closing unsaved work (a modal box)."""
    box = QMessageBox(QMessageBox.Warning, tr("Seq2seq Lab"),
                      tr("The lab's model has {steps} steps of training that are not saved.").format(steps=steps),
                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)  # fmt: skip
    box.setInformativeText(tr("Save it before closing? Discard loses the run."))
    box.setDefaultButton(QMessageBox.Save)
    answer = box.exec()
    box.deleteLater()
    return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")


class Checkpoints(QObject):
    def __init__(self, controls):
        super().__init__(controls)
        self.controls, self.context, self.view = controls, controls.context, controls.view
        self.saved_step: int | None = None  # the step last saved or loaded; None: this model was never written
        self.origin = ""  # the file the model came from or went to, for the model line
        self.view.save_button.clicked.connect(self.choose_save)
        self.view.load_button.clicked.connect(self.choose_load)

    def forget(self) -> None:
        """A new model (Start, Reset): nothing of it is saved yet."""
        self.saved_step, self.origin = None, ""

    def unsaved_steps(self) -> int:
        """Steps of training the window would lose if it closed now (0 when there is no model, or it is saved)."""
        controls = self.controls
        if controls.handle is None:
            return 0
        step = controls.history.summary()["step"]
        if controls.handle.trainer is not None and not controls.handle.busy:
            step = max(step, controls.handle.trainer.step)
        return max(0, step - (self.saved_step or 0))

    def may_close(self) -> bool:
        """The window asks before closing: True to close (saved, discarded or nothing to lose), False to stay open
        (Cancel, or a save that failed). Save stops training and waits for the file (the job thread writes it)."""
        steps = self.unsaved_steps()
        if not steps:
            return True
        answer = ask_to_save(self.context.parent, steps)
        if answer == "discard":
            self.saved_step = self.controls.history.summary()["step"]  # asked once: closing goes on without asking
            return True
        if answer != "save":
            return False
        self.controls.stop()  # the job ends between two steps; the save queues behind it on the job thread
        path = self.ask_save_path()
        return bool(path) and self.save_and_wait(path)

    def save_and_wait(self, path: str) -> bool:
        """Save as a job and wait for it, the window still painting; True once written (a failure is shown)."""
        waiting, outcome = QEventLoop(), []
        handle = self.controls.handle

        def saved(done) -> None:
            self._saved(handle, *done)
            outcome.append(True)
            waiting.quit()

        def failed(message: str) -> None:
            self.context.show_error(tr("Could not save the model"), message)
            outcome.append(False)
            waiting.quit()

        self.view.set_status(tr("Saving {path}…").format(path=path))
        self.context.jobs.submit("lab-save", lambda ctx: training.save(handle, path), saved, failed)
        if not outcome:
            waiting.exec()
        return outcome[0]

    # -- saving ---------------------------------------------------------------------------------------------------
    def ask_save_path(self) -> str:
        """A path from the Save dialog, which opens in the remembered folder (never the working directory)."""
        name = Path(self.origin).name if self.origin else "lab-model.safetensors"
        start = start_folder(self.context.settings) / name
        path, _ = QFileDialog.getSaveFileName(
            self.context.parent, tr("Save lab model"), str(start), tr("safetensors (*.safetensors)")
        )
        return path

    def choose_save(self) -> None:
        path = self.ask_save_path()
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        handle = self.controls.handle
        self.context.jobs.submit(
            "lab-save", lambda ctx: training.save(handle, path), lambda done: self._saved(handle, *done),
            lambda message: self.context.show_error(tr("Could not save the model"), message),
        )  # fmt: skip

    def _saved(self, handle, path: str, step: int) -> None:
        remember_folder(self.context.settings, path)
        self.context.show_status(tr("Saved {path} and its JSON").format(path=path), 5000)
        if handle is self.controls.handle:
            self.saved_step, self.origin = step, path
            self.controls.show_model()

    # -- loading --------------------------------------------------------------------------------------------------
    def choose_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.context.parent, tr("Load lab model"), str(start_folder(self.context.settings)),
            tr("safetensors (*.safetensors)"),
        )  # fmt: skip
        if path:
            self.load_from(path)

    def load_from(self, path: str) -> None:
        self.context.jobs.submit(
            "lab-load", lambda ctx: training.load(path), lambda handle: self._loaded(handle, path),
            lambda message: self.context.show_error(tr("Could not load the model"), message),
        )  # fmt: skip

    def _loaded(self, handle, path: str) -> None:
        remember_folder(self.context.settings, path)
        controls = self.controls
        controls.reset()
        controls.handle = handle
        self.saved_step, self.origin = handle.loaded_step, path
        self.view.form.set_values(handle.settings)
        history = controls.history
        history.steps = list(range(1, len(handle.loaded_losses) + 1))
        history.losses = list(handle.loaded_losses)
        controls.phase = "stopped"
        controls.redraw_curves()
        controls.buttons()
        note = tr("Loaded a model trained {steps} steps; translate an example to see its maps.")
        self.view.set_status(note.format(steps=handle.loaded_step))
        controls.show_model()
        controls.tool.maps.translate_example()
        # Its held-out accuracy and a snapshot at its step, as training would have shown them.
        self.context.jobs.submit("lab-evaluate", lambda ctx: training.evaluate(handle),
                                 lambda _none: self._evaluated(handle),
                                 lambda message: self.view.set_status("⚠ " + message))  # fmt: skip

    def _evaluated(self, handle) -> None:
        if handle is self.controls.handle and self.controls.phase != "training":
            self.controls.take_events()
            self.view.set_status(self.controls.describe())
