"""The Export dialog: where, which format, and for PNG the pixel width and DPI."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
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

FORMATS = (
    ("PNG image", ".png"),
    ("SVG vector image", ".svg"),
    ("NumPy array", ".npy"),
    ("CSV table", ".csv"),
)


class ExportDialog(QDialog):
    """folder=True asks for a folder (export all heads of a layer) instead of a file."""

    def __init__(self, parent, suggested: str, folder: bool = False, width: int = 1600, dpi: int = 300):
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle("Export All Heads of This Layer" if folder else "Export")
        form = QFormLayout(self)
        self.format = QComboBox()
        for label, suffix in FORMATS:
            self.format.addItem(f"{label} ({suffix})", suffix)
        self.path = QLineEdit(suggested)
        self.path.setMinimumWidth(420)
        browse = QPushButton("Browse…")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("Format", self.format)
        form.addRow("Folder" if folder else "File", row)
        self.width = QSpinBox(minimum=16, maximum=20000, value=width, suffix=" px")
        self.dpi = QSpinBox(minimum=10, maximum=2400, value=dpi, suffix=" DPI")
        self.size_note = QLabel()
        form.addRow("Width", self.width)
        form.addRow("Resolution", self.dpi)
        form.addRow("", self.size_note)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        browse.clicked.connect(self._browse)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.width.valueChanged.connect(self._update_note)
        self.dpi.valueChanged.connect(self._update_note)
        if not folder:
            self.path.textChanged.connect(self._path_changed)
            self._path_changed(suggested)
        self._format_changed()

    @property
    def suffix(self) -> str:
        return self.format.currentData()

    def target(self) -> Path:
        path = Path(self.path.text()).expanduser()
        if not self.folder and path.suffix.lower() != self.suffix:
            path = path.with_suffix(self.suffix)
        return path

    def _format_changed(self, *_) -> None:
        is_png = self.suffix == ".png"
        self.width.setEnabled(is_png)
        self.dpi.setEnabled(is_png)
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
        if self.suffix == ".png":
            self.size_note.setText(f"{self.width.value() / self.dpi.value():.2f} inches wide at {self.dpi.value()} DPI")
        else:
            self.size_note.setText("")

    def _browse(self) -> None:
        if self.folder:
            chosen = QFileDialog.getExistingDirectory(self, "Export into folder", self.path.text())
        else:
            filters = ";;".join(f"{label} (*{suffix})" for label, suffix in FORMATS)
            chosen, _ = QFileDialog.getSaveFileName(self, "Export", self.path.text(), filters)
        if chosen:
            self.path.setText(chosen)
