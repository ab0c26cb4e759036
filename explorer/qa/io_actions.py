"""The monkey's heavier actions: switching models, opening files, exporting, sessions and cancelling.

They share Actions' state (the window, the seeded generator, the work folder) as its base class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from explorer.core.session import load_session

from .driver import spin


@dataclass
class Outcome:
    what: str
    error: bool | None = None  # True: must show an error dialog; False: must not; None: either
    verify: Callable[[], list[str]] | None = None  # more checks once the window is idle again
    stale: bool = False  # it cancelled a run: the window keeps the previous run's map, on purpose


class IoActions:
    window = rng = tool = work = None
    models: list[str]
    saved_sessions: list[Path]

    def _next_path(self, stem: str, suffix: str) -> Path:
        self.count += 1
        return self.work / f"{stem}-{self.count}{suffix}"

    # -- models ----------------------------------------------------------------------------------------------
    def switch_model(self):
        current = self.window.workspace.model.name if self.window.workspace.model else None
        choices = [m for m in self.models if Path(m).name != current and m != current] or self.models
        model = self.pick(choices)
        combo = self.window.model_picker.combo
        index = combo.findData(model)
        if index < 0:  # a model folder the user adds (the first time), rather than picks from the list
            self.window.model_picker.add_model_path(model)
            return Outcome(f"add model {Path(model).name}", error=False)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
        return Outcome(f"switch model to {model}", error=False)

    def cancel(self):
        """Start something slow, then cancel it: the run (Model → Cancel Run) or a load (the status bar)."""
        if self.rng.random() < 0.5 or len(self.models) < 2:
            self.window.workspace.rerun()
            self.window.workspace.cancel_run()
            return Outcome("run again, then Cancel Run at once", stale=True)
        self.switch_model()
        button = self.window.job_status.cancel_button
        for _ in range(200):  # a load shows its Cancel button at its first progress report
            if button.isVisible() or not self.window.jobs.busy("load"):
                break
            spin()
        if button.isVisible():
            QTest.mouseClick(button, Qt.LeftButton)
            return Outcome("switch model, then the status bar's Cancel")
        return Outcome("switch model (it loaded before Cancel could be pressed)")

    def rerun(self):
        self.window.workspace.rerun()
        return Outcome("Run Again (F5)")

    # -- files -----------------------------------------------------------------------------------------------
    def open_file(self):
        sample = self.pick(self.samples)
        self.window.files.open_path(str(sample.path))
        return Outcome(f"open {sample.path.name}", error=not sample.good)

    def save_session(self):
        if self.rng.random() < 0.15:  # a folder where the file should go: refused, nothing written
            target = self._next_path("folder", ".json")
            target.mkdir()
            self.window.files.save_session_to(str(target))
            return Outcome(f"save the session onto the folder {target.name}", error=True)
        target = self._next_path("session", ".json")
        saved = self.window.session_state()
        self.window.files.save_session_to(str(target))
        self.saved_sessions.append(target)

        def verify() -> list[str]:
            try:
                back = load_session(target)
            except ValueError as error:
                return [f"a saved session cannot be opened again: {error}"]
            same = (back.model, back.texts, back.options, back.tools) == (
                saved.model,
                saved.texts,
                saved.options.checked(),
                saved.tools,
            )
            return [] if same else [f"{target.name} reads back as {back}, not as saved {saved}"]

        return Outcome(f"save the session to {target.name}", error=False, verify=verify)

    def open_saved_session(self):
        if not self.saved_sessions:
            return self.save_session()
        path = self.pick(self.saved_sessions)
        try:
            saved = load_session(path)
        except ValueError:  # reported when it was saved; opening it must show the error
            self.window.files.open_path(str(path))
            return Outcome(f"open the saved session {path.name} (unreadable)", error=True)
        self.window.files.open_path(str(path))

        def verify() -> list[str]:
            state = self.window.workspace.state
            if (state.texts, state.options) != (saved.texts, saved.options):
                return [f"after opening {path.name} the session holds {state.texts}, {state.options}"]
            return []

        return Outcome(f"open the saved session {path.name}", error=False, verify=verify)

    # -- export ----------------------------------------------------------------------------------------------
    def export(self):
        suffix = self.pick([".png", ".svg", ".npy", ".csv", ".npy", ".xyz", "folder"])
        if suffix == "folder":  # the target exists and is a folder: refused, the folder untouched
            target = self._next_path("taken", ".npy")
            target.mkdir()
            self.tool.export.export_to(target)
            return Outcome(f"export onto the folder {target.name}", error=self.tool.last_map is not None)
        target = self._next_path("map", suffix)
        shown = None if self.tool.last_map is None else self.tool.last_map.matrix
        self.tool.export.export_to(target, width=400, dpi=72)

        def verify() -> list[str]:
            if suffix != ".npy" or shown is None:
                return []
            written = np.load(target)
            return [] if np.array_equal(written, shown) else [f"{target.name} differs from the map on screen"]

        # A CSV table holds one matrix: the all-heads view ([H, N, N]) is refused, with a pointer to .npy.
        good = suffix != ".xyz" and shown is not None and not (suffix == ".csv" and shown.ndim == 3)
        return Outcome(f"export {target.name}", error=not good, verify=verify)

    def export_layer(self):
        if self.window.workspace.run is None:
            return Outcome("export the layer (nothing to export yet)")
        suffix = self.pick([".npy", ".csv", ".png"])
        if self.rng.random() < 0.2:  # the folder is a file: refused when the job starts writing
            target = self._next_path("file", "")
            target.write_text("in the way")
            self.tool.export.export_layer_to(target, suffix, width=200, dpi=72)
            return Outcome(f"export the layer as {suffix} into the file {target.name}", error=True)
        target = self._next_path("layer", "")
        self.tool.export.export_layer_to(target, suffix, width=200, dpi=72)
        return Outcome(f"export the layer as {suffix} into {target.name}", error=False)
