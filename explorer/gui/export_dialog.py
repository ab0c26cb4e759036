"""The Export dialog: where, which format, and for figures the width, DPI, theme and caption."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from explorer.export.figure import FIGURE_SUFFIXES, figure_inches

from .i18n import tr


def formats() -> tuple[tuple[str, str], ...]:
    """(label, suffix) of every format, in the interface's language (so built when a dialog opens)."""
    return (
        (tr("PNG image"), ".png"),
        (tr("SVG vector image"), ".svg"),
        (tr("PDF vector document"), ".pdf"),
        (tr("NumPy array"), ".npy"),
        (tr("CSV table"), ".csv"),
    )


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose in the dialog, as plain data that outlives it."""

    path: Path
    suffix: str
    style: dict  # ExportDialog.figure_style(): width, dpi, theme, caption


class ExportDialog(QDialog):
    """folder=True asks for a folder (export all heads of a layer) instead of a file.

    Use ask(): it shows the dialog and deletes it once closed, so no dialog outlives its export (each one left
    behind was garbage that Python could collect on the job thread, issue 21).
    """

    def __init__(self, parent, suggested: str, folder: bool = False, width: int = 1600, dpi: int = 300):
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle(tr("Export All Heads of This Layer") if folder else tr("Export"))
        form = QFormLayout(self)
        self.format = QComboBox()
        for label, suffix in formats():
            self.format.addItem(f"{label} ({suffix})", suffix)
        self.path = QLineEdit(suggested)
        self.path.setMinimumWidth(420)
        browse = QPushButton(tr("Browse…"))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Folder") if folder else tr("File"), row)
        self._add_figure_rows(form, width, dpi)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        browse.clicked.connect(self._browse)
        self.format.currentIndexChanged.connect(self._format_changed)
        if not folder:
            self.path.textChanged.connect(self._path_changed)
            self._path_changed(suggested)
        self._format_changed()

    def _add_figure_rows(self, form: QFormLayout, width: int, dpi: int) -> None:
        self.width = QSpinBox(minimum=16, maximum=20000, value=width, suffix=tr(" px"))
        self.dpi = QSpinBox(minimum=10, maximum=2400, value=dpi, suffix=tr(" DPI"))
        self.theme = QComboBox()
        self.theme.addItem(tr("Light (for print)"), "light")
        self.theme.addItem(tr("Dark"), "dark")
        self.caption = QCheckBox(tr("Caption: model, layer, head and attention variant"))
        self.caption.setChecked(True)
        self.size_note = QLabel()
        form.addRow(tr("Width"), self.width)
        form.addRow(tr("Resolution"), self.dpi)
        form.addRow("", self.size_note)
        form.addRow(tr("Theme"), self.theme)
        form.addRow("", self.caption)
        self.width.valueChanged.connect(self._update_note)
        self.dpi.valueChanged.connect(self._update_note)

    def ask(self) -> ExportChoice | None:
        """Show the dialog modally; the choices if Save was pressed, None if cancelled. The dialog is deleted."""
        try:
            if self.exec() != QDialog.Accepted:
                return None
            return ExportChoice(self.target(), self.suffix, self.figure_style())
        finally:
            self.deleteLater()

    def choose_format(self, suffix: str) -> None:
        """Start on this format (the one last exported in), when the dialog offers it; the file's suffix follows."""
        index = self.format.findData(suffix)
        if index >= 0:
            self.format.setCurrentIndex(index)

    def add_format(self, label: str, suffix: str) -> None:
        """One more format than the shared ones (a tool's JSON), checked against the suggested file's suffix."""
        self.format.addItem(f"{label} ({suffix})", suffix)
        if not self.folder:
            self._path_changed(self.path.text())

    def set_formats(self, formats: tuple[tuple[str, str], ...]) -> None:
        """Offer exactly these (label, suffix) formats instead of the shared ones."""
        self.format.blockSignals(True)
        self.format.clear()
        for label, suffix in formats:
            self.format.addItem(f"{label} ({suffix})", suffix)
        self.format.blockSignals(False)
        if not self.folder:
            self._path_changed(self.path.text())
        self._format_changed()

    @property
    def suffix(self) -> str:
        return self.format.currentData()

    def figure_style(self) -> dict:
        """What the figure options say: width and dpi in pixels, theme name, caption on or off."""
        return {
            "width": self.width.value(),
            "dpi": self.dpi.value(),
            "theme": self.theme.currentData(),
            "caption": self.caption.isChecked(),
        }

    def target(self) -> Path:
        path = Path(self.path.text()).expanduser()
        if not self.folder and path.suffix.lower() != self.suffix:
            path = path.with_suffix(self.suffix)
        return path

    def _format_changed(self, *_) -> None:
        is_figure = self.suffix in FIGURE_SUFFIXES
        for control in (self.width, self.dpi, self.theme, self.caption):
            control.setEnabled(is_figure)
        if not self.folder:
            text = self.path.text()
            if text and Path(text).suffix.lower() != self.suffix:
                self.path.setText(str(Path(text).with_suffix(self.suffix)))
        self._update_note()

    def _path_changed(self, text: str) -> None:
        index = self.format.findData(Path(text).suffix.lower())
        if index >= 0 and index != self.format.currentIndex():
            self.format.setCurrentIndex(index)

    def _update_note(self, *_) -> None:
        if self.suffix not in FIGURE_SUFFIXES:
            self.size_note.setText("")
            return
        inches = figure_inches(self.width.value(), self.dpi.value())  # the layout's floor included
        if self.suffix == ".png":
            note = tr("{inches:.2f} inches wide at {dpi} DPI").format(inches=inches, dpi=self.dpi.value())
        else:
            note = tr("{inches:.2f} inches wide; cells and text stay sharp at any zoom").format(inches=inches)
        self.size_note.setText(note)

    def _browse(self) -> None:
        if self.folder:
            chosen = QFileDialog.getExistingDirectory(self, tr("Export into folder"), self.path.text())
        else:
            filters = ";;".join(f"{label} (*{suffix})" for label, suffix in formats())
            chosen, _ = QFileDialog.getSaveFileName(self, tr("Export"), self.path.text(), filters)
        if chosen:
            self.path.setText(chosen)
