"""Layer, head, view mode and sequence selectors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from explorer.gui.i18n import tr
from explorer.gui.widgets.layer_kinds import differ, kind_label


def view_labels() -> tuple[tuple[str, str], ...]:
    return (
        (tr("One head"), "head"),
        (tr("Mean over heads"), "mean"),
        (tr("All heads"), "grid"),
        (tr("Lines"), "lines"),  # BertViz's head view: queries and keys in two columns, joined by lines
    )


class NavigationBar(QWidget):
    layer_head_changed = Signal(int, int)
    view_changed = Signal(str)
    seq_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.layer = QSpinBox(minimum=0, maximum=0, prefix=tr("Layer") + " ")
        self.head = QSpinBox(minimum=0, maximum=0, prefix=tr("Head") + " ")
        self.layer.setToolTip(tr("Layer (↑/↓ in the heatmap)"))
        self.head.setToolTip(tr("Head (←/→ in the heatmap)"))
        self.layer_count, self.head_count = QLabel("/ 0"), QLabel("/ 0")
        self.layer_kind = QLabel()  # "(local, window 512)" or "(global)", for models whose layers differ
        self.layer_kind.setToolTip(
            tr("A local layer sees only a sliding window of recent tokens; a global layer sees every earlier token")
        )
        self.layer_kind.hide()
        self.kinds: tuple[str, ...] = ()
        self.view = QComboBox()
        for label, value in view_labels():
            self.view.addItem(label, value)
        self.seq = QComboBox()
        self.seq.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.seq.setToolTip(tr("Which sequence of the batch to view and edit"))
        for widget in (
            self.layer,
            self.layer_count,
            self.layer_kind,
            self.head,
            self.head_count,
            QLabel(tr("View")),
            self.view,
            self.seq,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._quiet = False
        self.layer.valueChanged.connect(self._on_layer_head)
        self.head.valueChanged.connect(self._on_layer_head)
        self.view.currentIndexChanged.connect(lambda i: self._quiet or self.view_changed.emit(self.view.itemData(i)))
        self.seq.currentIndexChanged.connect(lambda i: self._quiet or i < 0 or self.seq_changed.emit(i))

    def set_shape(self, n_layers: int, n_heads: int) -> None:
        self._quiet = True
        self.layer.setMaximum(n_layers - 1)
        self.head.setMaximum(n_heads - 1)
        self.layer_count.setText(f"/ {n_layers - 1}")
        self.head_count.setText(f"/ {n_heads - 1}")
        self._quiet = False

    def set_layer_kinds(self, kinds) -> None:
        """Each layer's kind ("local 512", "global"); said beside the layer only when the layers differ."""
        self.kinds = tuple(kinds)
        self.layer_kind.setVisible(differ(self.kinds))
        self._show_kind()

    def _show_kind(self) -> None:
        layer = self.layer.value()
        self.layer_kind.setText(f"({kind_label(self.kinds[layer])})" if layer < len(self.kinds) else "")

    def set_position(self, layer: int, head: int, view: str) -> None:
        self._quiet = True
        self.layer.setValue(layer)
        self.head.setValue(head)
        self.head.setEnabled(view in ("head", "lines"))
        self.view.setCurrentIndex(max(0, self.view.findData(view)))
        self._show_kind()
        self._quiet = False

    def set_sequences(self, count: int, current: int) -> None:
        self._quiet = True
        self.seq.clear()
        for i in range(count):
            self.seq.addItem(tr("Sequence {number} of {count}").format(number=i + 1, count=count))
        self.seq.setCurrentIndex(current)
        self.seq.setVisible(count > 1)
        self._quiet = False

    def _on_layer_head(self, _value: int) -> None:
        self._show_kind()
        if not self._quiet:
            self.layer_head_changed.emit(self.layer.value(), self.head.value())
