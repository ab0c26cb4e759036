"""The model's top next tokens after the text, for causal language models."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QProgressBar, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from explorer.core.display import display_label
from explorer.gui.i18n import tr


class NextTokenPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([tr("Next token"), tr("Probability")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_predictions(
        self, predictions: list[tuple[str, float]] | None, pieces: list[tuple[int, str]] | None = None
    ) -> None:
        """predictions: (readable text, probability), most likely first; pieces: (id, raw piece) of each."""
        if predictions is None:
            self.note.setText(tr("Next-token prediction needs a causal language model; this one is an encoder."))
            self.table.setRowCount(0)
            self.table.setEnabled(False)
            return
        self.note.setText(tr("After the last token, the model predicts:"))
        self.table.setEnabled(True)
        self.table.setRowCount(len(predictions))
        for row, (token, probability) in enumerate(predictions):
            item = QTableWidgetItem(display_label(token))
            tip = [repr(token)]
            if pieces is not None and row < len(pieces):
                tip += [tr("id {id}").format(id=pieces[row][0]), tr("piece {piece}").format(piece=repr(pieces[row][1]))]
            item.setToolTip("  ·  ".join(tip))
            self.table.setItem(row, 0, item)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(round(probability * 1000))
            bar.setFormat(f"{probability:.1%}")
            bar.setAlignment(Qt.AlignCenter)
            self.table.setCellWidget(row, 1, bar)
