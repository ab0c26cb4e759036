"""What every tool's File → Export… shares: the remembered folder, the export job, and what happens once written.

A tool's exporter subclasses ToolExport and keeps only what is its own: which formats, which writer, which
caption. Every tool asks through the one Export dialog (ask), which opens in the folder and the format of the
last export from any tool. A figure (or anything that needs the job thread) is written by a job of kind
"export", so the status bar shows it and its Cancel stops it; `exported` says which file was written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from explorer.gui.export_dialog import ExportChoice, ExportDialog
from explorer.gui.i18n import tr

JOB = "export"
FOLDER_KEY = "exportFolder"  # QSettings: where the last export from any tool went
FORMAT_KEY = "exportFormat"  # QSettings: the suffix it was written in


class ToolExport(QObject):
    exported = Signal(str)  # the path written

    def __init__(self, tool):
        super().__init__(tool)
        self.tool = tool
        self.context = tool.context

    def folder(self) -> Path:
        """Where the last export went (the home folder at first): the dialog's suggestion starts there."""
        return Path(str(self.context.settings.value(FOLDER_KEY, Path.home()) or Path.home()))

    def ask_choice(self, dialog: ExportDialog) -> ExportChoice | None:
        """Show the Export dialog on the last export's format; the choice (format remembered), None if cancelled."""
        dialog.choose_format(str(self.context.settings.value(FORMAT_KEY, "") or ""))
        choice = dialog.ask()
        if choice is not None:
            self.context.settings.setValue(FORMAT_KEY, choice.suffix)
        return choice

    def failed(self, message: str) -> None:
        self.context.show_error(tr("Export failed"), message)

    def submit(self, job: Callable) -> None:
        """Run job(ctx) -> the path it wrote, as the export job; a failure becomes the Export failed dialog."""
        self.context.jobs.submit(JOB, job, self.written, self.failed)

    def written(self, path) -> None:
        self.context.settings.setValue(FOLDER_KEY, str(Path(path).parent))
        self.context.show_status(tr("Exported {path}").format(path=path), 8000)
        self.exported.emit(str(path))
