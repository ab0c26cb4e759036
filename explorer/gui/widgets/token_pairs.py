"""Two texts token by token, aligned by position: the clean text above the corrupted one, differences highlighted.

Activation patching swaps activations position by position, so the two texts must have the same number of
tokens; where they do not, the positions past the shorter text are shown empty and marked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from explorer.core.display import display_label
from explorer.gui.i18n import tr

DIFFERENT = QColor(255, 170, 60, 150)  # a position where the two texts hold different tokens
MISSING = QColor(220, 60, 60, 110)  # a position only one of the texts has


def differing_positions(clean: list[str], corrupt: list[str]) -> list[int]:
    """Positions where the tokens differ, those past the shorter text included."""
    longest = max(len(clean), len(corrupt))
    return [i for i in range(longest) if i >= len(clean) or i >= len(corrupt) or clean[i] != corrupt[i]]


class TokenPairs(QTableWidget):
    """Rows: clean, corrupted; one column per position."""

    def __init__(self, parent=None):
        super().__init__(2, 0, parent)
        self.setVerticalHeaderLabels([tr("clean"), tr("corrupted")])
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setAccessibleName(tr("Clean and corrupted tokens"))
        self.setToolTip(tr("The two texts token by token; highlighted: the positions where they differ"))
        self.differing: list[int] = []
        self.setFixedHeight(self._height())

    def _height(self) -> int:
        rows = sum(self.rowHeight(r) for r in range(2))
        return rows + self.horizontalHeader().sizeHint().height() + self.horizontalScrollBar().sizeHint().height() + 6

    def show_pair(self, clean: list[str], corrupt: list[str]) -> None:
        self.differing = differing_positions(clean, corrupt)
        longest = max(len(clean), len(corrupt))
        self.setColumnCount(longest)
        self.setHorizontalHeaderLabels([str(i) for i in range(longest)])
        bold = QFont(self.font())
        bold.setBold(True)
        for row, tokens in enumerate((clean, corrupt)):
            for column in range(longest):
                there = column < len(tokens)
                item = QTableWidgetItem(display_label(tokens[column]) if there else "")
                item.setTextAlignment(Qt.AlignCenter)
                if not there:
                    item.setBackground(QBrush(MISSING))
                    item.setToolTip(tr("position {i}: this text has no token here").format(i=column))
                elif column in self.differing:
                    item.setBackground(QBrush(DIFFERENT))
                    item.setFont(bold)
                    item.setToolTip(
                        tr("position {i}: {token!r} — the texts differ here").format(i=column, token=tokens[column])
                    )
                else:
                    item.setToolTip(tr("position {i}: {token!r}").format(i=column, token=tokens[column]))
                self.setItem(row, column, item)
        self.setFixedHeight(self._height())

    def clear_pair(self) -> None:
        self.differing = []
        self.setColumnCount(0)
