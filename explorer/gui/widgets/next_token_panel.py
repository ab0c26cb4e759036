"""The model's top next tokens after the text, for causal language models; beside the baseline during a knockout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QProgressBar, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from explorer.core.display import display_label
from explorer.core.views import TokenChange
from explorer.gui.i18n import tr

UP, DOWN = QColor(40, 150, 60), QColor(200, 50, 50)  # a token the knockout made likelier, or less likely


class NextTokenPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self._set_columns([tr("Next token"), tr("Probability")])
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def _set_columns(self, titles: list[str]) -> None:
        self.table.setColumnCount(len(titles))
        self.table.setHorizontalHeaderLabels(titles)
        header = self.table.horizontalHeader()
        for column in range(len(titles)):
            mode = QHeaderView.Stretch if column < 2 else QHeaderView.ResizeToContents
            header.setSectionResizeMode(column, mode)

    def show_predictions(
        self, predictions: list[tuple[str, float]] | None, pieces: list[tuple[int, str]] | None = None
    ) -> None:
        """predictions: (readable text, probability), most likely first; pieces: (id, raw piece) of each."""
        self._set_columns([tr("Next token"), tr("Probability")])
        if predictions is None:
            self.note.setText(tr("Next-token prediction needs a causal language model; this one is an encoder."))
            self.table.setRowCount(0)
            self.table.setEnabled(False)
            return
        self.note.setText(tr("After the last token, the model predicts:"))
        self.table.setEnabled(True)
        self.table.setRowCount(len(predictions))
        for row, (token, probability) in enumerate(predictions):
            piece = pieces[row] if pieces is not None and row < len(pieces) else None
            self._token_row(row, token, piece, probability)

    def show_changes(self, changes: list[TokenChange], knocked_out: int) -> None:
        """While heads are knocked out: each token's probability now, in the baseline (no knockout), and the
        change. changes: the knockout's top tokens first, then the baseline's top tokens it pushed out."""
        self._set_columns([tr("Next token"), tr("Probability"), tr("Baseline"), tr("Δ")])
        note = tr("With {count} head(s) knocked out, the model predicts (baseline: no knockout):")
        self.note.setText(note.format(count=knocked_out))
        self.table.setEnabled(True)
        self.table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            self._token_row(row, change.label, (change.token_id, change.piece), change.probability)
            self.table.setItem(row, 2, _number_item(f"{change.baseline:.1%}"))
            delta = change.probability - change.baseline
            item = _number_item(f"{delta * 100:+.1f} pp")
            item.setToolTip(tr("change in probability, in percentage points"))
            if abs(delta) >= 0.0005:
                item.setForeground(QBrush(UP if delta > 0 else DOWN))
            self.table.setItem(row, 3, item)

    def _token_row(self, row: int, token: str, piece: tuple[int, str] | None, probability: float) -> None:
        item = QTableWidgetItem(display_label(token))
        tip = [repr(token)]
        if piece is not None:
            tip += [tr("id {id}").format(id=piece[0]), tr("piece {piece}").format(piece=repr(piece[1]))]
        item.setToolTip("  ·  ".join(tip))
        self.table.setItem(row, 0, item)
        bar = QProgressBar()
        bar.setRange(0, 1000)
        bar.setValue(round(probability * 1000))
        bar.setFormat(f"{probability:.1%}")
        bar.setAlignment(Qt.AlignCenter)
        self.table.setCellWidget(row, 1, bar)


def _number_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    return item
