"""The Generate tool's central view: the generation controls, the step slider, the new token's row and the map."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.attention_row import AttentionRowPlot
from ...widgets.heatmap import HeatmapFigure
from ...widgets.range_spin import RangeDoubleSpinBox, RangeSpinBox
from .state import MAX_COUNT, MAX_SEED


def _spin(low: int, high: int, name: str, tip: str) -> RangeSpinBox:
    """A spin box whose tooltip ends with its range, and which says so when a typed value is out of it."""
    return RangeSpinBox(low, high, name, tip)


class GenerateView(QWidget):
    def __init__(self, colormap: str, scale: str, parent=None):
        super().__init__(parent)
        self.step_keys = None  # callable(delta) set by the tool: ←/→ on the figures step through the steps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._controls())
        layout.addLayout(self._navigation())
        self.token = QLabel(" ")
        self.token.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.token.setAccessibleName(tr("The step's new token"))
        font = self.token.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.token.setFont(font)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Generation status"))
        self.row_plot = AttentionRowPlot()
        self.heatmap = HeatmapFigure(colormap=colormap, scale=scale)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.row_plot)
        self.splitter.addWidget(self.heatmap)
        self.splitter.setSizes([340, 440])  # the row's bars need height to compare; the map is square
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hover.setAccessibleName(tr("Cell under the pointer"))
        layout.addWidget(self.token)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hover)
        self.row_plot.hovered.connect(lambda text: self.hover.setText(text or " "))
        self.heatmap.hovered.connect(lambda text: self.hover.setText(text or " "))
        for figure in (self.row_plot, self.heatmap):
            figure.installEventFilter(self)
        self.sampling.currentIndexChanged.connect(self._decoding_changed)
        self._decoding_changed()

    def _controls(self) -> QHBoxLayout:
        self.count = _spin(1, MAX_COUNT, tr("New tokens"), tr("How many tokens to generate after the text"))
        self.sampling = QComboBox()
        self.sampling.setAccessibleName(tr("Decoding"))
        self.sampling.addItem(tr("greedy"), False)
        self.sampling.addItem(tr("sampling"), True)
        self.temperature = RangeDoubleSpinBox(
            0.05, 5.0, 2, tr("Sampling temperature"), tr("Sampling draws from softmax(logits / temperature)")
        )
        self.temperature.setSingleStep(0.1)
        self.seed = _spin(0, MAX_SEED, tr("Seed"), tr("The same seed draws the same tokens"))
        self.generate_button = QPushButton(tr("Generate"))
        self.generate_button.setToolTip(tr("Write the tokens one at a time from the text, with the variant's options"))
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setToolTip(tr("Stop after the current token; the steps so far are kept"))
        self.stop_button.setEnabled(False)
        row = QHBoxLayout()
        for widget in (
            QLabel(tr("New tokens")),
            self.count,
            self.sampling,
            QLabel(tr("Temperature")),
            self.temperature,
            QLabel(tr("Seed")),
            self.seed,
            self.generate_button,
            self.stop_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _navigation(self) -> QHBoxLayout:
        self.layer = _spin(0, 0, tr("Layer"), tr("The layer whose head is shown"))
        self.head = _spin(0, 0, tr("Head"), tr("The head whose row and map are shown"))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setAccessibleName(tr("Step"))
        self.slider.setToolTip(tr("Scrub through the steps (← and → on the figures too)"))
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.step_label = QLabel(tr("no steps yet"))
        row = QHBoxLayout()
        for widget in (QLabel(tr("Layer")), self.layer, QLabel(tr("Head")), self.head, QLabel(tr("Step"))):
            row.addWidget(widget)
        row.addWidget(self.slider, 1)
        row.addWidget(self.step_label)
        return row

    def range_boxes(self) -> tuple:
        """The spin boxes that tell when a typed value was out of range (their out_of_range signal)."""
        return (self.count, self.temperature, self.seed, self.layer, self.head)

    def _decoding_changed(self, *_) -> None:
        sampling = bool(self.sampling.currentData())
        self.temperature.setEnabled(sampling)
        self.seed.setEnabled(sampling)

    def set_running(self, running: bool) -> None:
        self.generate_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def set_steps(self, count: int, current: int) -> None:
        """The slider over `count` steps, at `current` (without telling the tool: it asked for this)."""
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(count - 1, 0))
        self.slider.setValue(max(current, 0))
        self.slider.setEnabled(count > 1)
        self.slider.blockSignals(False)
        self.step_label.setText(
            tr("step {step} of {count}").format(step=current + 1, count=count) if count else tr("no steps yet")
        )

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Left, Qt.Key_Right) and self.step_keys:
            self.step_keys(-1 if event.key() == Qt.Key_Left else 1)
            return True
        return super().eventFilter(watched, event)
