"""The Corpus tool's central view: open and run controls, the score picker, the atlas of a score's corpus mean (its
95 % interval on hover), and the chosen head's top examples."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.head_atlas import HeadAtlas
from ..heads.view import choice_label

EXAMPLE_COLUMNS = 5  # rank, text id, value, query (token), text


class CorpusAtlas(HeadAtlas):
    """The head atlas of a corpus mean: the hover adds the 95 % interval and how many texts define it."""

    def __init__(self, colormap: str):
        super().__init__(colormap=colormap)
        self.low = self.high = self.count = None  # (L, H) each, set with show_statistics

    def show_statistics(self, mean, low, high, count, levels, label: str) -> None:
        self.low, self.high, self.count = (np.asarray(a, dtype=np.float64) for a in (low, high, count))
        self.show_scores(mean, levels, label)
        self.show()

    def describe(self, layer: int, head: int) -> str:
        text = super().describe(layer, head)
        if self.low is None or np.isnan(self.low[layer, head]):
            return text
        interval = tr("95 % CI [{low:.4g}, {high:.4g}] over {n} texts")
        return text + " · " + interval.format(low=self.low[layer, head], high=self.high[layer, head],
                                              n=int(self.count[layer, head]))  # fmt: skip


class CorpusView(QWidget):
    example_chosen = Signal(int)  # row of the examples table

    def __init__(self, colormap: str, scores: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.open_corpus_button = QPushButton(tr("Open Corpus…"))
        self.open_corpus_button.setToolTip(tr("A .txt (a text per line), .jsonl or .parquet corpus to analyse"))
        self.open_results_button = QPushButton(tr("Open Results…"))
        self.open_results_button.setToolTip(tr("A folder that `analyze corpus` or this tool wrote"))
        self.run_button = QPushButton(tr("Run"))
        self.run_button.setToolTip(
            tr("Score every head over the corpus with the current model (resumes a stopped run)")
        )
        self.run_button.setEnabled(False)
        self.picker = QComboBox()
        self.picker.setAccessibleName(tr("Score"))
        for name in scores:
            self.picker.addItem(choice_label(name), name)
        self.source = QLabel(tr("No corpus open"))
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.atlas = CorpusAtlas(colormap)
        self.atlas.setToolTip(tr("Click a head to list the texts where it does this most"))
        self.atlas.hide()  # until there are results: an empty grid's axes mean nothing
        self.examples = QTableWidget(0, EXAMPLE_COLUMNS)
        self.examples.setHorizontalHeaderLabels([tr("#"), tr("text"), tr("value"), tr("query"), tr("beginning")])
        header_tips = (
            tr("The example's rank: the texts where the head scores highest come first"),
            tr("The text's id in the corpus"),
            tr("The head's score on this text alone: its mean over the text's queries, as on the current text"),
            tr(
                "The query where the head does this most (position from the text's first token, and its token): "
                "outlined in Maps when the example is opened"
            ),  # fmt: skip
            tr("The text's beginning"),
        )
        for column, tip in enumerate(header_tips):
            self.examples.horizontalHeaderItem(column).setToolTip(tip)
        self.examples.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.examples.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.examples.horizontalHeader().setStretchLastSection(True)
        self.examples.verticalHeader().hide()  # the rank column numbers the rows
        self.examples.setToolTip(tr("Click an example to open its text in Maps at this head, its query outlined"))
        self.examples.cellClicked.connect(lambda row, _column: self.example_chosen.emit(row))
        self.hover = QLabel(" ")
        self.atlas.hovered.connect(lambda text: self.hover.setText(text or " "))
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for widget in (self.open_corpus_button, self.open_results_button, self.run_button):
            top.addWidget(widget)
        top.addWidget(QLabel(tr("Colour by")))
        top.addWidget(self.picker)
        top.addStretch(1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.atlas)
        splitter.addWidget(self.examples)
        splitter.setSizes([420, 580])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.hover)

    def set_choice(self, name: str) -> None:
        index = self.picker.findData(name)
        if index >= 0 and index != self.picker.currentIndex():
            self.picker.setCurrentIndex(index)

    def show_examples(self, examples: list[dict], texts: dict[str, str]) -> None:
        self.examples.setRowCount(len(examples))
        for row, example in enumerate(examples):
            beginning = " ".join(texts.get(example["text_id"], "").split())[:120]
            cells = [str(row + 1), example["text_id"], f"{example['value']:.4g}",
                     f"{example['position']} {example['token']!r}", beginning]  # fmt: skip
            for column, text in enumerate(cells):
                self.examples.setItem(row, column, QTableWidgetItem(text))
        self.examples.resizeColumnsToContents()
