"""A text's tokens coloured by several scores at once: one row per method (integrated gradients, input ×
gradient, a head's attention), one column per token, blue below zero, white at zero, red above.

Methods have different units, so each row is scaled by its own largest |score|: the colours compare tokens within
a row; the tooltip gives each raw value.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from explorer.core.display import MASKED_CODE, display_label
from explorer.core.plots import diverging_table
from explorer.gui.i18n import tr


def row_scaled(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its largest |value| (a row of zeros stays zeros); refuses values that are not finite."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError(f"scores: needs a [methods, tokens] array, got shape {list(scores.shape)}")
    if not np.isfinite(scores).all():
        raise ValueError("scores: some values are not finite (NaN or infinite); nothing is drawn")
    reach = np.abs(scores).max(axis=1, keepdims=True)
    return np.divide(scores, reach, out=np.zeros_like(scores), where=reach > 0)


def colour_of(scaled: float) -> tuple[int, int, int]:
    """The diverging scale's colour of a value in [−1, 1]."""
    table = diverging_table()
    code = int(np.clip(round((scaled + 1.0) / 2.0 * (MASKED_CODE - 1)), 0, MASKED_CODE - 1))
    return tuple(int(c) for c in table[code])


class TokenScores(QTableWidget):
    token_clicked = Signal(int)  # the token's position

    def __init__(self, parent=None):
        super().__init__(0, 0, parent)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.setAccessibleName(tr("Tokens coloured by attribution"))
        self.scores: np.ndarray | None = None
        self.cellClicked.connect(lambda _row, column: self.token_clicked.emit(column))

    def show_scores(self, tokens: list[str], rows: list[str], scores: np.ndarray) -> None:
        """scores: (len(rows), len(tokens)) raw values; each row is coloured on its own scale."""
        scores = np.asarray(scores, dtype=np.float64)
        if scores.shape != (len(rows), len(tokens)):
            raise ValueError(f"scores: shape {list(scores.shape)} is not [{len(rows)} rows, {len(tokens)} tokens]")
        scaled = row_scaled(scores)
        self.scores = scores
        self.setRowCount(len(rows))
        self.setColumnCount(len(tokens))
        self.setVerticalHeaderLabels(rows)
        self.setHorizontalHeaderLabels([str(i) for i in range(len(tokens))])
        for r, name in enumerate(rows):
            for c, token in enumerate(tokens):
                item = QTableWidgetItem(display_label(token))
                item.setTextAlignment(Qt.AlignCenter)
                item.setBackground(QBrush(QColor(*colour_of(scaled[r, c]))))
                item.setForeground(QBrush(QColor(255, 255, 255) if abs(scaled[r, c]) > 0.6 else QColor(0, 0, 0)))
                item.setToolTip(
                    tr("{method} · position {i} {token!r}: {value}").format(
                        method=name, i=c, token=token, value=f"{scores[r, c]:.4g}"
                    )
                )
                self.setItem(r, c, item)

    def clear_scores(self) -> None:
        self.scores = None
        self.setRowCount(0)
        self.setColumnCount(0)
