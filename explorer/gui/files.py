"""Files the shell opens and saves: sequence files, session files, the recent-files menu, drag and drop.

A session is checked completely (the shared part and every tool's part) before any of it is applied, so a
bad file changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMenu

from explorer.core.sequences import read_sequences
from explorer.core.session import load_session, save_session

from .i18n import tr
from .settings import push_recent, read_list

SEQUENCE_SUFFIXES = (".txt", ".jsonl")
FOLDER_KEY = "lastFolder"  # QSettings: the folder of the last file opened or saved


def start_folder(settings, key: str = FOLDER_KEY) -> Path:
    """Where a file dialog opens: the folder remembered under key if it still exists, else the home folder.

    Never the process's working directory (a dialog given a bare file name opens there: the source tree)."""
    remembered = settings.value(key, "")
    folder = Path(str(remembered)).expanduser() if remembered else None
    return folder if folder is not None and folder.is_dir() else Path.home()


def remember_folder(settings, path, key: str = FOLDER_KEY) -> None:
    """Remember the folder of a file just opened or saved, for the next dialog that asks under key."""
    settings.setValue(key, str(Path(path).expanduser().resolve().parent))


class FileActions(QObject):
    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.settings = shell.settings
        self.recent_menu = QMenu(tr("Open &Recent"), shell)
        # Opening a file is what usually brings a batch too big for memory: say so in a dialog, with the way
        # out, not only in the status bar. The previous run stays on screen.
        shell.workspace.run_refused.connect(self.refused)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.shell,
            tr("Open"),
            str(start_folder(self.settings)),
            ";;".join(
                (
                    tr("Sequences or sessions") + " (*.txt *.jsonl *.json)",
                    tr("Sequences") + " (*.txt *.jsonl)",
                    tr("Sessions") + " (*.json)",
                )
            ),
        )
        if path:
            self.open_path(path)

    def choose_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.shell, tr("Open Session"), str(start_folder(self.settings)), tr("Sessions") + " (*.json)"
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a sequences file or a session; problems are shown, never raised."""
        try:
            if Path(path).suffix.lower() == ".json":
                self.shell.restore_session(load_session(path))
            else:
                self.shell.workspace.set_texts(read_sequences(path), path)
        except ValueError as error:
            self.shell.show_error(tr("Could not open the file"), str(error))
            return False
        remember_folder(self.settings, path)
        push_recent(self.settings, "recentFiles", str(Path(path).resolve()))
        self.rebuild_recent_menu()
        self.shell.statusBar().showMessage(tr("Opened {file}").format(file=Path(path).name), 5000)
        return True

    def refused(self, message: str) -> None:
        dialog = getattr(self.shell, "error_dialog", None)
        if dialog is not None and dialog.isVisible() and dialog.text() == message:
            return  # the same refusal again (typing on): one dialog is enough
        self.shell.show_error(tr("Not enough memory for this run"), message)

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = read_list(self.settings, "recentFiles")
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def single_text(self) -> None:
        state = self.shell.workspace.state
        self.shell.workspace.set_texts([state.texts[state.seq]], None)

    def save_session_as(self) -> None:
        suggested = str(start_folder(self.settings) / "session.json")
        path, _ = QFileDialog.getSaveFileName(self.shell, tr("Save Session"), suggested, tr("Sessions") + " (*.json)")
        if path and self.save_session_to(path):
            remember_folder(self.settings, path)

    def save_session_to(self, path: str) -> bool:
        try:
            save_session(path, self.shell.session_state())
        except (OSError, ValueError) as error:
            self.shell.show_error(tr("Could not save the session"), str(error))
            return False
        self.shell.statusBar().showMessage(tr("Saved session to {path}").format(path=path), 5000)
        return True

    def drop(self, path: Path) -> None:
        if path.suffix.lower() in (*SEQUENCE_SUFFIXES, ".json"):
            self.open_path(str(path))
        elif path.suffix.lower() == ".gguf" or path.is_dir():
            self.shell.model_picker.add_model_path(str(path))
        else:
            self.shell.show_error(
                tr("Cannot open this file"),
                tr("{file}: drop a .txt or .jsonl file, a session .json, a .gguf file or a model folder").format(
                    file=path.name
                ),
            )
