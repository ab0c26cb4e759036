"""Answering the window's real dialogs as a user would: the Export dialog, a file dialog, a question.

A dialog shown with exec() blocks its caller until it closes, so the answer is given from a timer: it waits
for the dialog to become the active modal window, fills it in and presses its button. Nothing is called on
the exporter directly; the window goes through exactly the code a person's click goes through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox

from .driver import spin

POLL_MS = 20
DIALOG_TIMEOUT_S = 20.0
OPEN_GRACE_S = 1.0


@dataclass
class Answer:
    """What happened to the one dialog an action was expected to open."""

    seen: str = ""  # the dialog's class and title, once it appeared
    formats: list[str] = field(default_factory=list)  # the suffixes it offered
    chosen: str = ""  # the suffix picked
    target: Path | None = None  # what was typed as the file or folder


def offered_suffixes(dialog) -> list[str]:
    """The formats a dialog offers: the Export dialog's combo, or a file dialog's filters."""
    if isinstance(dialog, QFileDialog):
        return [f[f.index("*") + 1 : f.index(")")] for f in dialog.nameFilters() if "*" in f and ")" in f]
    combo = getattr(dialog, "format", None)
    return [combo.itemData(i) for i in range(combo.count())] if combo is not None else []


def fill_export(dialog, path: Path, suffix: str) -> None:
    """The shared Export dialog (or a tool's subclass): format, path, a small figure, then Save."""
    dialog.format.setCurrentIndex(dialog.format.findData(suffix))
    dialog.path.setText(str(path))
    for name, value in (("width", 480), ("dpi", 96)):  # small figures: the soak is about crashes, not pixels
        control = getattr(dialog, name, None)
        if control is not None and control.isEnabled():
            control.setValue(value)
    dialog.accept()


def fill_file_dialog(dialog: QFileDialog, path: Path, suffix: str) -> None:
    for name_filter in dialog.nameFilters():
        if f"*{suffix})" in name_filter:
            dialog.selectNameFilter(name_filter)
    dialog.selectFile(str(path))
    name = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own file dialog: what the user types goes here
    if name is not None:
        name.setText(str(path))
    dialog.accept()


def answer_question(dialog: QMessageBox, accept: bool) -> None:
    """A question box: the accepting button (Restart Now, Yes, Save) or the declining one (Later, No, Cancel)."""
    roles = (QMessageBox.AcceptRole, QMessageBox.YesRole) if accept else (QMessageBox.RejectRole, QMessageBox.NoRole)
    for button in dialog.buttons():
        if dialog.buttonRole(button) in roles:
            button.click()
            return
    dialog.reject()


def answer_discard(dialog) -> None:
    """Closing with unsaved work (Save / Discard / Cancel): Discard, so the window closes."""
    button = dialog.button(QMessageBox.Discard) if isinstance(dialog, QMessageBox) else None
    if button is not None:
        button.click()
    elif isinstance(dialog, QMessageBox):
        answer_question(dialog, accept=True)
    else:
        dialog.accept()


def through_dialog(
    trigger: Callable[[], object], answer: Callable[[QDialog], None], timeout_s: float = DIALOG_TIMEOUT_S
) -> str:
    """Call trigger (which opens a dialog, usually blocking in exec()), and answer the dialog from a timer.

    Returns the dialog's description, or "" when none appeared (the action refused at once, e.g. nothing to
    export yet). A dialog that opens without blocking (open()) is answered too, if it shows within a second.
    """
    before = set(map(id, _visible_dialogs()))
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    timer = QTimer(interval=POLL_MS)

    def poll() -> None:
        dialog = QApplication.activeModalWidget() or next((d for d in _visible_dialogs() if id(d) not in before), None)
        if dialog is not None and isinstance(dialog, QDialog) and not seen:
            seen.append(f"{type(dialog).__name__} '{dialog.windowTitle()}'")
            timer.stop()
            answer(dialog)
        elif time.monotonic() > deadline:
            timer.stop()

    timer.timeout.connect(poll)
    timer.start()
    try:
        trigger()
        grace = time.monotonic() + OPEN_GRACE_S  # a dialog opened with open() shows after trigger returns
        while timer.isActive() and not seen and time.monotonic() < grace:
            spin(POLL_MS)
    finally:
        timer.stop()
    return seen[0] if seen else ""


def _visible_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
