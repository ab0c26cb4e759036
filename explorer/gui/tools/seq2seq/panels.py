"""The lab view's lower tabs: held-out examples typed or picked, and the MHA/GQA/MQA cost table.

Plain widgets; the tool connects their buttons to jobs and fills them with what the jobs return.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from explorer.gui.i18n import tr

from ...widgets.cost_table import CostTable
from .state import CACHE_BYTES, MAX_CONTEXT, Seq2seqState


def cache_labels() -> dict[int, str]:
    return {4: tr("float32 (4 bytes)"), 2: tr("float16 / bfloat16 (2 bytes)"), 1: tr("int8 (1 byte)")}


class ExamplesPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.setInsertPolicy(QComboBox.NoInsert)
        self.source.setAccessibleName(tr("Source text"))
        self.source.lineEdit().setPlaceholderText(tr("Type a source, e.g. 'a b c d', or pick a held-out example"))
        self.source.setMinimumContentsLength(12)
        self.translate_button = QPushButton(tr("Translate"))
        self.translate_button.setToolTip(tr("Run the model on this source; its maps replace the training snapshot"))
        self.pick_button = QPushButton(tr("Held-out examples"))
        self.pick_button.setToolTip(tr("Fill the list with examples the model never trained on"))
        row.addWidget(QLabel(tr("Source")))
        row.addWidget(self.source, 1)
        row.addWidget(self.translate_button)
        row.addWidget(self.pick_button)
        layout.addLayout(row)
        self.result = QLabel(tr("Train or load a model, then type or pick a source."))
        self.result.setWordWrap(True)
        self.result.setAccessibleName(tr("The model's output"))
        layout.addWidget(self.result)
        layout.addStretch(1)

    def text(self) -> str:
        return self.source.currentText().strip()

    def forget_model(self) -> None:
        """The model is gone: its held-out examples and its answer go; a source the user typed stays."""
        held_out = {self.source.itemText(i) for i in range(self.source.count())}
        typed = self.source.currentText()
        self.source.clear()
        self.source.setEditText("" if typed in held_out else typed)
        self.result.setText(tr("Train or load a model, then type or pick a source."))

    def set_examples(self, examples: list[str]) -> None:
        typed = self.source.currentText()
        self.source.clear()
        self.source.addItems(examples)
        self.source.setEditText(typed or (examples[0] if examples else ""))


class CostsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.run_button = QPushButton(tr("Train MHA, GQA and MQA"))
        self.run_button.setToolTip(
            tr("Train the tiny GPT on the chosen task once per grouping (same seed and size) and compare them")
        )
        self.context = QSpinBox(minimum=1, maximum=MAX_CONTEXT, singleStep=1024)
        self.context.setGroupSeparatorShown(True)
        self.context.setAccessibleName(tr("Context length"))
        self.cache = QComboBox()
        for size in CACHE_BYTES:
            self.cache.addItem(cache_labels()[size], size)
        self.cache.setAccessibleName(tr("Cache value type"))
        # Two rows, so the panel fits beside the docks on a 1024-px screen.
        row.addWidget(self.run_button)
        row.addStretch(1)
        layout.addLayout(row)
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel(tr("Loaded model at context")))
        model_row.addWidget(self.context)
        model_row.addWidget(self.cache)
        model_row.addStretch(1)
        layout.addLayout(model_row)
        self.table = CostTable()
        layout.addWidget(self.table, 1)
        self.note = QLabel(" ")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        default = Seq2seqState()  # what the tool's state starts from, before it is filled or restored
        self.set_context(default.context, default.cache_bytes)

    def set_context(self, context: int, cache_bytes: int) -> None:
        self.context.setValue(context)
        self.cache.setCurrentIndex(max(0, self.cache.findData(cache_bytes)))
