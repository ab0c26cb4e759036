"""One Export dialog for every tool: it opens in the last export's folder and format, and it is deleted once closed.

Issue 21, items 1 and 18: the format went back to PNG at every export; the Seq2seq Lab exported through a bare
file dialog without width, DPI, theme and caption; every export left its dialog alive (garbage that Python's
collector could finalise on the job thread); file dialogs opened in the process's working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import temporary_settings
from PIL import Image
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication

from explorer.gui.export_dialog import ExportDialog
from explorer.gui.files import remember_folder, start_folder
from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.workspace import Workspace
from models.lab.seq2seq import LabSettings

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """A shell without a model: the Foundations figures and the Seq2seq Lab need none."""
    shell = Shell(Workspace(JobRunner()), temporary_settings(tmp_path_factory.mktemp("dialogs")))
    shell.resize(1300, 850)
    shell.show()
    yield shell
    shell.close()


def through_dialog(qtbot, trigger, answer) -> dict:
    """Click trigger, and answer the Export dialog it opens from a timer: answer(dialog) fills it in."""
    seen: dict = {}

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(20, poll)
            return
        seen.update(title=dialog.windowTitle(), format=dialog.suffix, path=dialog.path.text())
        seen["formats"] = [dialog.format.itemData(i) for i in range(dialog.format.count())]
        seen["options"] = all(c.isEnabled() for c in (dialog.width, dialog.dpi, dialog.theme, dialog.caption))
        answer(dialog)

    QTimer.singleShot(20, poll)
    trigger()
    return seen


def export_dialogs_alive() -> int:
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # deleteLater, as the next loop turn would
    return sum(isinstance(w, ExportDialog) for w in QApplication.topLevelWidgets())


def test_the_dialog_opens_on_the_last_format_and_folder_and_is_deleted_once_closed(qtbot, window, tmp_path):
    tool = window.open_tool("foundations")
    frame = next(iter(tool.pages[0].frames.values()))
    qtbot.waitUntil(frame.export_button.isEnabled, timeout=TIMEOUT_MS)
    before = export_dialogs_alive()

    def save_svg(dialog) -> None:
        dialog.choose_format(".svg")
        dialog.path.setText(str(tmp_path / "first.svg"))
        dialog.width.setValue(400)
        dialog.accept()

    with qtbot.waitSignal(tool.export.exported, timeout=TIMEOUT_MS):
        first = through_dialog(qtbot, frame.export_button.click, save_svg)
    assert first["format"] == ".png" and Path(first["path"]).parent == Path.home(), "a fresh start: PNG, home"
    assert (tmp_path / "first.svg").read_text().lstrip().startswith("<?xml")
    assert export_dialogs_alive() == before, "the closed dialog is deleted"

    again = through_dialog(qtbot, frame.export_button.click, lambda dialog: dialog.reject())
    assert again["format"] == ".svg", "the dialog opens on the format of the last export"
    assert Path(again["path"]).parent == tmp_path and again["path"].endswith(".svg")
    assert export_dialogs_alive() == before


def test_the_lab_exports_through_the_same_dialog_with_its_figure_options(qtbot, window, tmp_path):
    lab = window.open_tool("seq2seq")
    qtbot.waitUntil(lambda: lab._filled, timeout=TIMEOUT_MS)  # noqa: SLF001 - the form is filled once built
    tiny = {"system": "transformer", "task": "reverse", "layers": 1, "heads": 2, "d_model": 16, "length": 4}
    settings = LabSettings(**tiny, vocab=5, steps=30, snapshot_every=10, batch_size=8, seed=3)
    lab.view.form.set_values(settings.check().to_json())
    with qtbot.waitSignal(lab.trained, timeout=120_000):
        lab.view.start_button.click()
    lab.view.picker.choose(kind="cross", layer=0, head=1)
    qtbot.waitUntil(lab.view.export_button.isEnabled, timeout=TIMEOUT_MS)

    def save_png(dialog) -> None:
        dialog.choose_format(".png")
        dialog.path.setText(str(tmp_path / "lab.png"))
        dialog.width.setValue(700)
        dialog.accept()

    with qtbot.waitSignal(lab.export.exported, timeout=TIMEOUT_MS):
        seen = through_dialog(qtbot, lab.view.export_button.click, save_png)
    assert seen["options"], "width, DPI, theme and caption are offered for a figure"
    assert {".png", ".svg", ".pdf", ".npy", ".csv", ".json"} <= set(seen["formats"])
    with Image.open(tmp_path / "lab.png") as image:
        assert image.width == 700, "the width chosen in the dialog"
    assert export_dialogs_alive() == 0
    lab.training.reset()  # no unsaved model left: closing the window would ask to save it
    qtbot.waitUntil(lambda: window.workspace.jobs.idle(), timeout=TIMEOUT_MS)


def test_file_dialogs_start_in_the_remembered_folder_else_home_never_the_working_directory(tmp_path):
    settings = temporary_settings(tmp_path)
    assert start_folder(settings, "labFolder") == Path.home()
    remember_folder(settings, tmp_path / "sub" / "model.safetensors", "labFolder")
    assert start_folder(settings, "labFolder") == Path.home(), "a folder that does not exist is not offered"
    (tmp_path / "sub").mkdir()
    remember_folder(settings, tmp_path / "sub" / "model.safetensors", "labFolder")
    assert start_folder(settings, "labFolder") == (tmp_path / "sub").resolve()
    assert start_folder(settings) == Path.home(), "each key remembers its own folder"
