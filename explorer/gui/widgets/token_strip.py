"""How the text was tokenized: one chip per token, special tokens and padding styled apart."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from explorer.core.display import display_label
from explorer.gui.i18n import tr

SPECIAL_BACKGROUND = QColor(255, 196, 87, 110)
PAD_FOREGROUND = QColor(140, 140, 140)


class TokenStrip(QListWidget):
    token_clicked = Signal(int)  # position in the sequence

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFlow(QListView.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.Adjust)
        self.setSpacing(2)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QListWidget.SingleSelection)
        self.setMinimumHeight(36)
        self.setMaximumHeight(90)
        self.setAccessibleName(tr("Tokens"))
        self.itemClicked.connect(lambda item: self.token_clicked.emit(self.row(item)))

    def show_tokens(
        self,
        tokens: list[str],
        special: list[bool],
        is_real: list[bool],
        ids: list[int] | None = None,
        pieces: list[str] | None = None,
    ) -> None:
        """tokens: readable text per token; ids and pieces (the tokenizer's raw piece) go into the tooltips."""
        self.clear()
        for index, (token, is_special, real) in enumerate(zip(tokens, special, is_real)):
            item = QListWidgetItem(display_label(token))
            item.setToolTip(token_tooltip(index, token, ids, pieces, is_special, real))
            item.setTextAlignment(Qt.AlignCenter)
            font = QFont(self.font())
            if not real:
                font.setItalic(True)
                item.setForeground(QBrush(PAD_FOREGROUND))
            elif is_special:
                font.setBold(True)
                item.setBackground(QBrush(SPECIAL_BACKGROUND))
            item.setFont(font)
            item.setData(Qt.UserRole, "pad" if not real else "special" if is_special else "token")
            self.addItem(item)

    def select_token(self, index: int | None) -> None:
        if index is None or not 0 <= index < self.count():
            self.clearSelection()
            return
        self.setCurrentRow(index)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 64)


def token_tooltip(
    index: int, token: str, ids: list[int] | None, pieces: list[str] | None, special: bool, real: bool
) -> str:
    """'#3  ␣cat  ·  id 2368  ·  piece 'Ġcat'': position, readable text, and what the tokenizer really holds."""
    parts = [f"#{index}  {display_label(token)}"]
    if ids is not None and index < len(ids):
        parts.append(tr("id {id}").format(id=ids[index]))
    if pieces is not None and index < len(pieces):
        parts.append(tr("piece {piece}").format(piece=repr(pieces[index])))
    if special:
        parts.append(tr("special"))
    if not real:
        parts.append(tr("padding"))
    return "  ·  ".join(parts)
