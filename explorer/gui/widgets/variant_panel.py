"""Controls for the attention variant: mask parts, padding, positional encoding, KV heads, temperature."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explorer.core.views import ModelInfo
from explorer.gui.widgets.kv_diagram import KVDiagram

MASK_BASES = (("Model's own", None), ("Causal", "causal"), ("Bidirectional", "bidirectional"), ("Prefix-LM", "prefix"))
POSITIONS = (
    ("Model's own", "model"),
    ("None", "none"),
    ("RoPE", "rope"),
    ("Sinusoidal", "sinusoidal"),
    ("ALiBi", "alibi"),
)


def mask_text(base: str | None, prefix: int, window: int | None, no_self: bool) -> str | None:
    """The engine's mask string for the controls; None means the model's own mask."""
    parts = [f"prefix={prefix}" if base == "prefix" else base] if base else []
    if window:
        parts.append(f"window={window}")
    if no_self:
        parts.append("no-self")
    return ",".join(parts) or None


def parse_mask_text(text: str | None) -> tuple[str | None, int, int | None, bool]:
    base, prefix, window, no_self = None, 4, None, False
    for part in (text or "").split(","):
        name, _, value = part.strip().partition("=")
        if name in ("causal", "bidirectional"):
            base = name
        elif name == "prefix":
            base, prefix = "prefix", int(value)
        elif name == "window":
            window = int(value)
        elif name == "no-self":
            no_self = True
    return base, prefix, window, no_self


class VariantPanel(QWidget):
    options_changed = Signal(dict)  # RunOptions keywords

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model: ModelInfo | None = None
        self._quiet = False
        form = QFormLayout(self)

        self.mask_base = QComboBox()
        for label, value in MASK_BASES:
            self.mask_base.addItem(label, value)
        self.mask_base.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # "Model's own (bidirectional)" in full
        form.addRow("Mask", self.mask_base)
        self.prefix = QSpinBox(minimum=1, maximum=8192, value=4, suffix=" tokens")
        self.prefix.setToolTip("Prefix-LM: how many leading tokens see each other both ways")
        form.addRow("Prefix", self.prefix)

        self.window_on = QCheckBox("Window")
        self.window = QSpinBox(minimum=1, maximum=8192, value=4, suffix=" tokens")
        window_row = QHBoxLayout()
        window_row.addWidget(self.window_on)
        window_row.addWidget(self.window, 1)
        form.addRow("", window_row)
        self.no_self = QCheckBox("No self-attention (hide the diagonal)")
        form.addRow("", self.no_self)
        self.padding_mask = QCheckBox("Mask padding in a batch")
        self.padding_mask.setChecked(True)
        form.addRow("Padding", self.padding_mask)

        self.position = QComboBox()
        for label, value in POSITIONS:
            self.position.addItem(label, value)
        self.rope_theta = QDoubleSpinBox(minimum=1.0, maximum=1e8, decimals=0, value=10000.0, prefix="θ = ")
        self.rope_theta.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        form.addRow("Positions", self.position)
        form.addRow("RoPE base", self.rope_theta)

        self.kv_heads = QComboBox()
        form.addRow("KV heads", self.kv_heads)
        self.kv_diagram = KVDiagram()
        form.addRow(self.kv_diagram)
        self.temperature = QDoubleSpinBox(minimum=0.05, maximum=20.0, singleStep=0.1, value=1.0, decimals=2)
        form.addRow("Temperature", self.temperature)
        self.reset = QPushButton("Reset to the model's own")
        form.addRow(self.reset)

        for combo in (self.mask_base, self.position, self.kv_heads):
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.window_on, self.no_self, self.padding_mask):
            box.toggled.connect(self._changed)
        # Without keyboard tracking, spin boxes report a value when typing is done, not at every digit.
        for spin in (self.prefix, self.window, self.rope_theta, self.temperature):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._changed)
        self.reset.clicked.connect(self.reset_to_model)
        self._sync_enabled()

    # -- model and state -----------------------------------------------------------------------------------
    def set_model(self, model: ModelInfo) -> None:
        self.model = model
        self._quiet = True
        self.kv_heads.clear()
        for g in (d for d in range(1, model.n_heads + 1) if model.n_heads % d == 0):
            notes = []
            if g == model.n_kv_heads:
                notes.append("model")
            if g == 1:
                notes.append("MQA")
            if g == model.n_heads:
                notes.append("MHA")
            self.kv_heads.addItem(f"{g}" + (f"  ({', '.join(notes)})" if notes else ""), g)
        self.kv_heads.setCurrentIndex(self.kv_heads.findData(model.n_kv_heads))
        self.rope_theta.setValue(model.rope_theta if model.positional == "rope" else 10000.0)
        self.position.setItemText(0, f"Model's own ({model.positional})")
        self.mask_base.setItemText(0, f"Model's own ({'causal' if model.causal else 'bidirectional'})")
        self._quiet = False
        self._sync_enabled()

    def set_options(self, options: dict) -> None:
        """Show options (from a session or a reset) without emitting a change."""
        self._quiet = True
        base, prefix, window, no_self = parse_mask_text(options.get("mask"))
        self.mask_base.setCurrentIndex(self.mask_base.findData(base))
        self.prefix.setValue(prefix)
        self.window_on.setChecked(window is not None)
        if window is not None:
            self.window.setValue(window)
        self.no_self.setChecked(no_self)
        self.padding_mask.setChecked(options.get("padding_mask", True))
        self.position.setCurrentIndex(max(0, self.position.findData(options.get("pos", "model"))))
        if options.get("rope_theta") is not None:
            self.rope_theta.setValue(options["rope_theta"])
        if self.model is not None:
            index = self.kv_heads.findData(options.get("kv_heads") or self.model.n_kv_heads)
            self.kv_heads.setCurrentIndex(max(0, index))
        self.temperature.setValue(options.get("temperature", 1.0))
        self._quiet = False
        self._sync_enabled()

    def set_groups(self, groups: list[list[int]]) -> None:
        self.kv_diagram.set_groups(groups)

    def reset_to_model(self) -> None:
        self.set_options({})
        if self.model is not None:
            self.rope_theta.setValue(self.model.rope_theta if self.model.positional == "rope" else 10000.0)
        self.options_changed.emit(self.options())

    def options(self) -> dict:
        model_theta = self.model.rope_theta if self.model and self.model.positional == "rope" else 10000.0
        theta = self.rope_theta.value()
        kv = self.kv_heads.currentData()
        return {
            "mask": mask_text(
                self.mask_base.currentData(),
                self.prefix.value(),
                self.window.value() if self.window_on.isChecked() else None,
                self.no_self.isChecked(),
            ),
            "padding_mask": self.padding_mask.isChecked(),
            "pos": self.position.currentData(),
            "rope_theta": None if theta == model_theta else theta,
            "kv_heads": None if self.model is None or kv == self.model.n_kv_heads else kv,
            "temperature": self.temperature.value(),
        }

    def _uses_rope(self) -> bool:
        pos = self.position.currentData()
        return pos == "rope" or (pos == "model" and self.model is not None and self.model.positional == "rope")

    def _sync_enabled(self) -> None:
        self.prefix.setEnabled(self.mask_base.currentData() == "prefix")
        self.window.setEnabled(self.window_on.isChecked())
        self.rope_theta.setEnabled(self._uses_rope())

    def _changed(self, *_) -> None:
        self._sync_enabled()
        if not self._quiet:
            self.options_changed.emit(self.options())
