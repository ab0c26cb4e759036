"""The Flow tool's central view: residual, head reduction and query controls, the rollout map and the flow bars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.flow_bars import FlowBars
from ...widgets.heatmap import HeatmapFigure
from .state import HEAD_REDUCTIONS


def reduction_labels() -> dict[str, str]:
    return {"mean": tr("mean over heads"), "max": tr("max over heads"), "min": tr("min over heads")}


class FlowView(QWidget):
    def __init__(self, colormap: str, scale: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._controls())
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Rollout and flow status"))
        self.heatmap = HeatmapFigure(colormap=colormap, scale=scale)
        self.bars = FlowBars()
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.heatmap)
        self.splitter.addWidget(self.bars)
        self.splitter.setSizes([520, 260])  # the map is square; the bars need only a strip
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hover.setAccessibleName(tr("Cell under the pointer"))
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hover)
        self.heatmap.hovered.connect(self._hover)
        self.bars.hovered.connect(self._hover)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.residual = QDoubleSpinBox()
        self.residual.setRange(0.0, 1.0)
        self.residual.setSingleStep(0.05)
        self.residual.setDecimals(2)
        self.residual.setAccessibleName(tr("Residual share"))
        self.residual.setToolTip(
            tr("r in Â = (1 − r)·A + r·I: how much of each layer's output the skip connection carries")
        )
        self.head_reduce = QComboBox()
        labels = reduction_labels()
        for name in HEAD_REDUCTIONS:
            self.head_reduce.addItem(labels[name], name)
        self.head_reduce.setAccessibleName(tr("Head reduction"))
        self.head_reduce.setToolTip(tr("How a layer's heads become one map before the product (flow uses the mean)"))
        self.query = QSpinBox()
        self.query.setRange(-1, 0)
        self.query.setSpecialValueText(tr("last token"))
        self.query.setAccessibleName(tr("Flow query"))
        self.query.setToolTip(tr("The position the flow goes into; click a row of the map to choose it"))
        for label, control in ((tr("Residual"), self.residual), (tr("Heads"), self.head_reduce)):
            row.addWidget(QLabel(label))
            row.addWidget(control)
        row.addSpacing(12)
        row.addWidget(QLabel(tr("Flow into")))
        row.addWidget(self.query)
        row.addStretch(1)
        return row

    def set_controls(self, residual: float, head_reduce: str, query: int, n_tokens: int) -> None:
        """Show the state without sending the controls' change signals back to the tool."""
        for control in (self.residual, self.head_reduce, self.query):
            control.blockSignals(True)
        self.residual.setValue(residual)
        self.head_reduce.setCurrentIndex(max(0, self.head_reduce.findData(head_reduce)))
        self.query.setRange(-1, max(0, n_tokens - 1))
        self.query.setValue(query)
        for control in (self.residual, self.head_reduce, self.query):
            control.blockSignals(False)

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")

    def _hover(self, text: str) -> None:
        self.hover.setText(text or " ")

    def apply_colours(self, background: str, foreground: str) -> None:
        self.heatmap.apply_colours(background, foreground)
        self.bars.apply_colours(background, foreground)
