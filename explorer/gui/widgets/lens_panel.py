"""The logit lens: for each layer, the next tokens its residual stream predicts at the last position."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.display import display_label
from explorer.gui.i18n import tr


class LensPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 1)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignRight | Qt.AlignVCenter)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.lens: list[list[tuple[str, float]]] | None = None

    def show_lens(self, lens: list[list[tuple[str, float]]]) -> None:
        """lens: per layer, (readable token, probability) most likely first, as Run.logit_lens gives them."""
        self.lens = lens
        k = max((len(row) for row in lens), default=0)
        note = tr(
            "What each layer's residual stream predicts after the last token (top {k}); "
            "the last layer is the model's own prediction:"
        )
        self.note.setText(note.format(k=k))
        self.table.setEnabled(True)
        self.table.setColumnCount(k)
        self.table.setHorizontalHeaderLabels([f"#{i + 1}" for i in range(k)])
        self.table.setRowCount(len(lens))
        self.table.setVerticalHeaderLabels([tr("layer {layer}").format(layer=layer) for layer in range(len(lens))])
        for layer, row in enumerate(lens):
            for rank in range(k):
                if rank >= len(row):
                    self.table.setItem(layer, rank, QTableWidgetItem(""))
                    continue
                token, probability = row[rank]
                item = QTableWidgetItem(f"{display_label(token)}  {probability:.0%}")
                item.setToolTip(f"{token!r}: {probability:.2%}")
                self.table.setItem(layer, rank, item)
        # Sized once per fill: a ResizeToContents header re-measures every cell after each setItem, O(cells²).
        self.table.resizeColumnsToContents()
        QTimer.singleShot(0, self.table.scrollToBottom)  # the last layers matter most; once laid out

    def show_message(self, message: str) -> None:
        """No lens to show: an encoder, a run still coming, or a problem."""
        self.lens = None
        self.note.setText(message)
        self.table.setRowCount(0)
        self.table.setEnabled(False)
