"""The Patching tool's inputs: a template, the clean and corrupted texts side by side with their tokens aligned,
the answer and wrong answer, and the sweep's chooser (what, direction, exact or approximate) with Run and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.token_pairs import TokenPairs
from .figures import what_label
from .state import WHATS

TOKEN_ID_ROLE = Qt.UserRole + 1  # a listed prediction's token id, beside its label (Qt.UserRole)


def narrow(box: QComboBox) -> QComboBox:
    """A combo box sized by a few characters, not its longest item: the view fits a small screen (the longest
    items are shown whole in the open list)."""
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    return box


def combo(items: list[tuple[str, str]], tip: str) -> QComboBox:
    box = narrow(QComboBox())
    for label, key in items:
        box.addItem(label, key)
    box.setToolTip(tip)
    return box


def choose(box: QComboBox, key) -> None:
    index = box.findData(key)
    if index >= 0 and index != box.currentIndex():
        box.setCurrentIndex(index)


class PatchingInputs(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.template = combo([], tr("Start from a classic clean / corrupted pair"))
        self.clean = QLineEdit()
        self.clean.setToolTip(tr("The clean text: the model predicts the answer after it"))
        self.clean.setAccessibleName(tr("Clean text"))
        self.corrupt = QLineEdit()
        self.corrupt.setToolTip(tr("The corrupted text: as many tokens as the clean one, a detail changed"))
        self.corrupt.setAccessibleName(tr("Corrupted text"))
        self.pairs = TokenPairs()
        self.answer = narrow(QComboBox())
        self.answer.setEditable(True)
        self.answer.setToolTip(
            tr("The answer the clean text predicts (one token; the list: the clean run's top predictions)")
        )
        self.wrong = narrow(QComboBox())
        self.wrong.setEditable(True)
        self.wrong.setToolTip(tr("The wrong answer the corrupted text leans to (one token), for the logit difference"))
        self.metric = combo(
            [(tr("logit difference"), "logit_diff"), (tr("probability of the answer"), "prob")],
            tr("What is restored: logit(answer) − logit(wrong), or p(answer)"),
        )
        self.what = combo([(what_label(w), w) for w in WHATS], tr("Which activations are patched, one at a time"))
        self.direction = combo(
            [(tr("denoise (clean → corrupted run)"), "denoise"), (tr("noise (corrupted → clean run)"), "noise")],
            tr("Denoising puts a clean activation into the corrupted run; noising the reverse"),
        )
        self.method = combo(
            [
                (tr("exact"), "exact"),
                (tr("approximate (attribution patching)"), "approximate"),
                (tr("both, with their agreement"), "both"),
            ],
            tr("Exact: one patched run per cell. Approximate: one forward and one backward pass (Nanda 2023)"),
        )
        self.run_button = QPushButton(tr("Run sweep"))
        self.run_button.setToolTip(tr("Patch every cell of the sweep and measure the restored fraction"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setToolTip(tr("Stop the sweep"))
        self.cancel_button.setEnabled(False)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Patching status"))
        self._lay_out()

    def _lay_out(self) -> None:
        texts = QGridLayout()
        texts.addWidget(QLabel(tr("Template")), 0, 0)
        texts.addWidget(self.template, 0, 1)
        texts.addWidget(QLabel(tr("Clean")), 1, 0)
        texts.addWidget(self.clean, 1, 1)
        texts.addWidget(QLabel(tr("Corrupted")), 1, 2)
        texts.addWidget(self.corrupt, 1, 3)
        texts.setColumnStretch(1, 1)
        texts.setColumnStretch(3, 1)
        answers = QHBoxLayout()
        for label, widget in ((tr("Answer"), self.answer), (tr("Wrong"), self.wrong), (tr("Metric"), self.metric)):
            answers.addWidget(QLabel(label))
            answers.addWidget(widget, 1)
        sweep = QHBoxLayout()
        for label, widget in ((tr("Patch"), self.what), (tr("Direction"), self.direction), (tr("Method"), self.method)):
            sweep.addWidget(QLabel(label))
            sweep.addWidget(widget, 1)
        sweep.addWidget(self.run_button)
        sweep.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(texts)
        layout.addWidget(self.pairs)
        layout.addLayout(answers)
        layout.addLayout(sweep)
        layout.addWidget(self.status)

    def set_predictions(
        self, predictions: list[tuple[str, float]], answer: str, wrong: str, ids: list[int] | None = None
    ) -> None:
        """Fill both pickers with the clean run's top predictions (their token ids beside them), keeping what is
        chosen: a kept answer that is one of the predictions' labels is that prediction again."""
        for box, keep in ((self.answer, answer), (self.wrong, wrong)):
            box.blockSignals(True)
            box.clear()
            for index, (label, probability) in enumerate(predictions):
                box.addItem(f"{label!r}  {probability:.1%}", label)
                if ids is not None:
                    box.setItemData(index, int(ids[index]), TOKEN_ID_ROLE)
            listed = box.findData(keep)
            if listed >= 0:
                box.setCurrentIndex(listed)
            else:
                box.setEditText(keep)
            box.blockSignals(False)

    def picked(self, box: QComboBox) -> str:
        """The token chosen: a listed prediction's label, or the typed text as it is."""
        text = box.currentText()
        index = box.findText(text)
        return box.itemData(index) if index >= 0 else text

    def token(self, box: QComboBox) -> str | int:
        """What the engine is asked for: a listed prediction's token id (its label may not be text that encodes
        to it: '[U+0800–U+0FFF]' for a partial character, '猫(1/3)'), or the typed text as it is."""
        index = box.findText(box.currentText())
        token_id = box.itemData(index, TOKEN_ID_ROLE) if index >= 0 else None
        return int(token_id) if token_id is not None else self.picked(box)

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")
