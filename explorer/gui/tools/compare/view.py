"""The Compare tool's view: A, B and B − A of one head, the per-head divergence grid, both next-token lists.

Also the dock with the two variants, each chosen with the variant dock's own controls (VariantPanel), the
model B runs on, and the typical comparisons as presets: one pick sets both variants.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.diverging import diverging_table
from explorer.gui.i18n import tr

from ...widgets.diff_heatmap import DiffHeatmap
from ...widgets.divergence_atlas import DivergenceAtlas
from ...widgets.heatmap import HeatmapFigure
from ...widgets.next_token_panel import NextTokenPanel
from ...widgets.range_spin import RangeSpinBox
from ...widgets.variant_panel import VariantPanel


def measure_labels() -> tuple[tuple[str, str], ...]:
    return (
        (tr("Jensen–Shannon divergence (nats, at most ln 2)"), "js"),
        (tr("KL(A‖B) (nats; ∞ where B's mask hides a key A attends to)"), "kl"),
    )


def preset_labels() -> tuple[str, ...]:
    """The presets' names, in PRESETS' order."""
    labels = (
        tr("Model's own mask vs window 8"),
        tr("RoPE θ = 100000 vs 10000"),
        tr("GQA vs MQA (kv-heads 3 vs 1)"),
        tr("Temperature 1 vs 0.5"),
    )
    return labels


class CompareView(QWidget):
    def __init__(self, colormap: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        # They say their range in the tooltip, and out_of_range says when a typed value was set into it.
        self.layer = RangeSpinBox(0, 0, tr("Layer"), tr("The layer whose head A, B and B − A show"))
        self.head = RangeSpinBox(0, 0, tr("Head"), tr("The head A, B and B − A show"))
        self.measure = QComboBox()
        self.measure.setAccessibleName(tr("Divergence"))
        self.measure.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(24)  # long labels elide instead of widening the window
        for label, value in measure_labels():
            self.measure.addItem(label, value)
        labelled = ((tr("Layer"), self.layer), (tr("Head"), self.head), (tr("Grid"), self.measure))
        for widget in (part for label, box in labelled for part in (QLabel(label), box)):
            top.addWidget(widget)
        top.addStretch(1)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.maps = [HeatmapFigure(colormap=colormap), HeatmapFigure(colormap=colormap), DiffHeatmap(diverging_table())]
        upper = QSplitter(Qt.Horizontal)
        for figure in self.maps:
            upper.addWidget(figure)
        self.atlas = DivergenceAtlas(colormap=colormap)
        self.next_a, self.next_b = NextTokenPanel(), NextTokenPanel()
        lower = QSplitter(Qt.Horizontal)
        for widget in (self.atlas, self.next_a, self.next_b):
            lower.addWidget(widget)
        lower.setSizes([500, 250, 250])
        body = QSplitter(Qt.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setSizes([520, 330])
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hover.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(body, 1)
        layout.addWidget(self.hover)
        for figure in (*self.maps, self.atlas):
            figure.hovered.connect(lambda text: self.hover.setText(text or " "))
        for widget in (*self.maps, self.atlas, self.next_a, self.next_b):
            widget.setMinimumSize(120, 120)  # the splitters share the room; no pane asks for its full hint

    def set_shape(self, n_layers: int, n_heads: int) -> None:
        self.layer.setMaximum(max(0, n_layers - 1))
        self.head.setMaximum(max(0, n_heads - 1))

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")


class VariantsPanel(QWidget):
    """The dock's content: presets, model B, and variant A and B as two tabs of the variant dock's controls."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.preset = QComboBox()
        self.preset.addItem(tr("Choose a typical comparison…"), -1)
        for index, label in enumerate(preset_labels()):
            self.preset.addItem(label, index)
        self.model_b = QComboBox()
        self.model_b.setToolTip(tr("Variant B may run on another model with the same tokenizer"))
        form.addRow(tr("Preset"), self.preset)
        form.addRow(tr("Model B"), self.model_b)
        self.panel_a, self.panel_b = VariantPanel(), VariantPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panel_a, tr("Variant A"))
        self.tabs.addTab(self.panel_b, tr("Variant B"))
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)

    def set_models(self, names: list[str], current: str | None, own: str) -> None:
        """The models B may run on: the workspace's own first, then the catalogue's others."""
        self.model_b.blockSignals(True)
        self.model_b.clear()
        self.model_b.addItem(tr("Same as A ({model})").format(model=own), None)
        for name in names:
            if name != own:
                self.model_b.addItem(name, name)
        self.model_b.setCurrentIndex(max(0, self.model_b.findData(current)) if current else 0)
        self.model_b.blockSignals(False)
