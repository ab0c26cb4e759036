"""Which attention snapshot to show: the training step (a slider to scrub back), the kind, the layer and the head.

The slider runs over the snapshots taken so far. While it sits on the newest, a new snapshot moves it along (the
view follows training); once the user scrubs back it stays where it was put. Head -1 is the mean over heads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QSpinBox, QVBoxLayout, QWidget

from explorer.gui.i18n import tr

MEAN = -1


class SnapshotPicker(QWidget):
    changed = Signal()  # the step, kind, layer or head the user (or a new snapshot) chose

    def __init__(self, kind_labels: dict[str, str], parent=None):
        super().__init__(parent)
        self.kind_labels = dict(kind_labels)  # kind -> its words, e.g. "cross" -> "cross-attention"
        self.steps: list[int] = []
        self._quiet = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.slider.setAccessibleName(tr("Snapshot step"))
        self.slider.setToolTip(tr("Scrub back through the attention snapshots taken during training"))
        self.step_label = QLabel(tr("no snapshot yet"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(tr("Kind of attention"))
        self.layer = QSpinBox(minimum=0, maximum=0, prefix=tr("Layer") + " ")
        self.head = QComboBox()
        self.head.setAccessibleName(tr("Head"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Step")))
        top.addWidget(self.slider, 1)
        top.addWidget(self.step_label)
        bottom = QHBoxLayout()
        for widget in (self.kind, self.layer, self.head):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self._set_choosers_visible(False)  # nothing to choose before the first snapshot
        self.slider.valueChanged.connect(self._on_slider)
        self.kind.currentIndexChanged.connect(self._emit)
        self.layer.valueChanged.connect(self._emit)
        self.head.currentIndexChanged.connect(self._emit)

    # -- what is on offer --------------------------------------------------------------------------------------
    def set_steps(self, steps: list[int]) -> None:
        """The steps of the snapshots taken so far, oldest first. On the newest, the slider follows."""
        following = not self.steps or self.slider.value() == len(self.steps) - 1
        self.steps = list(steps)
        self._quiet = True
        self.slider.setRange(0, max(len(steps) - 1, 0))
        self.slider.setEnabled(len(steps) > 1)
        if following and steps:
            self.slider.setValue(len(steps) - 1)
        self._quiet = False
        self._label()
        if following and steps:
            self.changed.emit()

    def set_shape(self, kinds: list[str], n_layers: int, n_heads: int) -> None:
        """The kinds of attention the model has, and its layers and heads; the choice is kept where it fits."""
        self._quiet = True
        kind, head = self.current_kind, self.current_head
        self.kind.clear()
        for name in kinds:
            self.kind.addItem(self.kind_labels.get(name, name), name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.layer.setMaximum(max(n_layers - 1, 0))
        self.layer.setEnabled(n_layers > 1)
        self.head.clear()
        self.head.addItem(tr("Mean of heads"), MEAN)
        for h in range(n_heads):
            self.head.addItem(tr("Head {head}").format(head=h), h)
        self.head.setCurrentIndex(max(0, self.head.findData(head if head is not None and head < n_heads else 0)))
        self.head.setEnabled(n_heads > 1)
        self._set_choosers_visible(bool(kinds))
        self._quiet = False

    def choose(self, kind: str | None = None, layer: int | None = None, head: int | None = None) -> None:
        """Set the choice from code (a restored session): values that do not fit are left as they are."""
        self._quiet = True
        if kind is not None and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        if layer is not None:
            self.layer.setValue(layer)
        if head is not None and self.head.findData(head) >= 0:
            self.head.setCurrentIndex(self.head.findData(head))
        self._quiet = False
        self.changed.emit()

    # -- what is chosen ----------------------------------------------------------------------------------------
    @property
    def index(self) -> int | None:
        """Which snapshot (0 = oldest), or None before the first."""
        return self.slider.value() if self.steps else None

    @property
    def current_kind(self) -> str | None:
        return self.kind.currentData()

    @property
    def current_layer(self) -> int:
        return self.layer.value()

    @property
    def current_head(self) -> int | None:
        return self.head.currentData()

    def _set_choosers_visible(self, visible: bool) -> None:
        for widget in (self.kind, self.layer, self.head):
            widget.setVisible(visible)

    def clear(self) -> None:
        self.steps = []
        self._quiet = True
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self._quiet = False
        self._label()

    def _label(self) -> None:
        if not self.steps:
            self.step_label.setText(tr("no snapshot yet"))
            return
        i = self.slider.value()
        self.step_label.setText(
            tr("step {step} · snapshot {number} of {count}").format(
                step=self.steps[i], number=i + 1, count=len(self.steps)
            )
        )

    def _on_slider(self, _value: int) -> None:
        self._label()
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit()
