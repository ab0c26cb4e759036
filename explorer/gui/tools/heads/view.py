"""The Heads tool's central view: the score picker, the layers × heads atlas and the sortable table of heads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from explorer.gui.i18n import tr

from ...widgets.head_atlas import HeadAtlas
from ...widgets.head_table import HeadTable
from .state import CHOICES, IMPORTANCE


def choice_label(name: str) -> str:
    """What the picker shows for a score: its name, with a word on what it finds."""
    meaning = {
        "previous_token": tr("previous token"),
        "self": tr("attends to itself"),
        "first_token": tr("first token (sink)"),
        "prefix_matching": tr("induction"),
        "special_tokens": tr("special tokens"),
        "entropy": tr("spread, nats"),
        "mean_distance": tr("reach, tokens"),
        IMPORTANCE: tr("knockout scan of the next token"),
    }[name]
    return f"{name} — {meaning}"


class HeadsView(QWidget):
    def __init__(self, colormap: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.picker = QComboBox()
        self.picker.setAccessibleName(tr("Score"))
        for name in CHOICES:
            self.picker.addItem(choice_label(name), name)
        self.clear_button = QPushButton(tr("Clear knockouts"))
        self.clear_button.setToolTip(tr("Knock every head back in: runs are plain again"))
        self.clear_button.setEnabled(False)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Atlas status"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Colour by")))
        top.addWidget(self.picker)
        top.addWidget(self.clear_button)
        top.addStretch(1)
        self.atlas = HeadAtlas(colormap=colormap)
        self.table = HeadTable()
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.atlas)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)  # the table has a dozen columns; the atlas is tall and narrow
        self.splitter.setSizes([400, 600])
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hover.setAccessibleName(tr("Head under the pointer"))
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hover)
        self.atlas.hovered.connect(lambda text: self.hover.setText(text or " "))

    def set_choice(self, name: str) -> None:
        index = self.picker.findData(name)
        if index >= 0 and index != self.picker.currentIndex():
            self.picker.setCurrentIndex(index)

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")
