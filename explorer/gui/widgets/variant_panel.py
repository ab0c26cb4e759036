"""Controls for the attention variant: mask parts, padding, positional encoding, KV heads, temperature.

The panel deals only in VariantChoice, a plain record of what the controls show. Turning it into the
engine's options (a mask string, validation against the model) happens outside the widgets, so there is
one mask grammar in the project and it lives with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explorer.core.views import ModelInfo
from explorer.gui.i18n import tr
from explorer.gui.widgets.kv_diagram import KVDiagram
from explorer.gui.widgets.layer_kinds import differ, kinds_summary, own_mask_tip
from explorer.gui.widgets.variant_help import control_tips, mask_bases, positions

THETA_BEFORE_A_MODEL = 10000.0  # what the θ box shows until set_model gives the model's own


@dataclass(frozen=True)
class VariantChoice:
    """What the variant controls show. None in rope_theta / kv_heads means "the model's own"."""

    mask_base: str = "model"  # "model" | "causal" | "bidirectional" | "prefix"
    prefix: int = 4  # leading tokens that see each other both ways; used when mask_base is "prefix"
    window: int | None = None  # each query sees keys less than `window` positions away; None = no window
    no_self: bool = False  # hide the diagonal
    padding_mask: bool = True
    pos: str = "model"  # "model" | "none" | "rope" | "sinusoidal" | "alibi"
    rope_theta: float | None = None
    kv_heads: int | None = None
    temperature: float = 1.0


def layer_thetas_text(model: ModelInfo) -> str:
    """Both θs of a model whose local and global layers rotate differently (empty for any other model)."""
    if model.local_rope_theta is None:
        return ""
    return tr(
        "Model's own: θ = {global_theta} in global layers, θ = {local_theta} in local layers. "
        "A θ set here applies to every layer."
    ).format(global_theta=f"{model.default_rope_theta:,.0f}", local_theta=f"{model.local_rope_theta:,.0f}")


class VariantPanel(QWidget):
    choice_changed = Signal(object)  # VariantChoice, after the user changes a control or presses reset

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model: ModelInfo | None = None
        self.own_theta = THETA_BEFORE_A_MODEL  # the θ shown for "the model's own", as the θ box rounds it
        self._quiet = False  # True while the panel sets its own controls: no choice_changed then
        form = QFormLayout(self)
        self._add_mask_controls(form)
        self._add_position_controls(form)
        self._add_kv_controls(form)
        self.temperature = QDoubleSpinBox(minimum=0.05, maximum=20.0, singleStep=0.1, value=1.0, decimals=2)
        form.addRow(tr("Temperature"), self.temperature)
        self.reset = QPushButton(tr("Reset to the model's own"))
        form.addRow(self.reset)
        for name, tip in control_tips().items():
            getattr(self, name).setToolTip(tip)

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

    def _add_mask_controls(self, form: QFormLayout) -> None:
        self.mask_base = QComboBox()
        for label, value, tip in mask_bases():
            self.mask_base.addItem(label, value)
            self.mask_base.setItemData(self.mask_base.count() - 1, tip, Qt.ToolTipRole)
        self.mask_base.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # "Model's own (bidirectional)" in full
        form.addRow(tr("Mask"), self.mask_base)
        tokens = " " + tr("tokens")
        self.prefix = QSpinBox(minimum=1, maximum=8192, value=4, suffix=tokens)
        form.addRow(tr("Prefix"), self.prefix)

        self.window_on = QCheckBox(tr("Window"))
        self.window = QSpinBox(minimum=1, maximum=8192, value=4, suffix=tokens)
        window_row = QHBoxLayout()
        window_row.addWidget(self.window_on)
        window_row.addWidget(self.window, 1)
        form.addRow("", window_row)
        self.no_self = QCheckBox(tr("No self-attention (hide the diagonal)"))
        form.addRow("", self.no_self)
        self.padding_mask = QCheckBox(tr("Mask padding in a batch"))
        self.padding_mask.setChecked(True)
        form.addRow(tr("Padding"), self.padding_mask)

    def _add_position_controls(self, form: QFormLayout) -> None:
        self.position = QComboBox()
        for label, value, tip in positions():
            self.position.addItem(label, value)
            self.position.setItemData(self.position.count() - 1, tip, Qt.ToolTipRole)
        self.rope_theta = QDoubleSpinBox(minimum=1.0, maximum=1e8, decimals=0, prefix="θ = ")
        self.rope_theta.setValue(THETA_BEFORE_A_MODEL)
        self.rope_theta.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        form.addRow(tr("Positions"), self.position)
        form.addRow(tr("RoPE base"), self.rope_theta)
        # A model with local and global layers rotates them with two θs (Gemma 3): the box holds the global one.
        self.layer_thetas = QLabel()
        self.layer_thetas.setWordWrap(True)
        self.layer_thetas.hide()
        form.addRow("", self.layer_thetas)

    def _add_kv_controls(self, form: QFormLayout) -> None:
        self.kv_heads = QComboBox()
        form.addRow(tr("KV heads"), self.kv_heads)
        self.kv_diagram = KVDiagram()
        form.addRow(self.kv_diagram)

    # -- model and choice ----------------------------------------------------------------------------------
    def set_model(self, model: ModelInfo) -> None:
        """Offer this model's KV-head counts and show its own θ, mask and positions; emits nothing."""
        self.model = model
        self._quiet = True
        self.kv_heads.clear()
        for count, label in model.kv_choices or ((model.n_kv_heads, ""),):
            self.kv_heads.addItem(f"{count}  ({label})" if label else str(count), count)
        self.kv_heads.setCurrentIndex(self._kv_index(None))
        self.rope_theta.setValue(model.default_rope_theta)
        self.own_theta = self.rope_theta.value()
        self.layer_thetas.setText(layer_thetas_text(model))
        self.layer_thetas.setVisible(model.local_rope_theta is not None)
        self.position.setItemText(0, tr("Model's own ({what})").format(what=model.positional))
        mask = tr("causal") if model.causal else tr("bidirectional")
        if differ(model.layer_kinds):  # Gemma 3: its own mask is per layer; any mask chosen applies to every layer
            mask = f"{mask}; {kinds_summary(model.layer_kinds)}"
            self.mask_base.setItemData(0, own_mask_tip(), Qt.ToolTipRole)
        self.mask_base.setItemText(0, tr("Model's own ({what})").format(what=mask))
        self._quiet = False
        self._sync_enabled()

    def set_choice(self, choice: VariantChoice) -> None:
        """Show a choice (from a session, an undo, the lead's state) without emitting choice_changed."""
        self._quiet = True
        self.mask_base.setCurrentIndex(max(0, self.mask_base.findData(choice.mask_base)))
        self.prefix.setValue(choice.prefix)
        self.window_on.setChecked(choice.window is not None)
        if choice.window is not None:
            self.window.setValue(choice.window)
        self.no_self.setChecked(choice.no_self)
        self.padding_mask.setChecked(choice.padding_mask)
        self.position.setCurrentIndex(max(0, self.position.findData(choice.pos)))
        self.rope_theta.setValue(self.own_theta if choice.rope_theta is None else choice.rope_theta)
        self.kv_heads.setCurrentIndex(self._kv_index(choice.kv_heads))
        self.temperature.setValue(choice.temperature)
        self._quiet = False
        self._sync_enabled()

    def choice(self) -> VariantChoice:
        theta, kv = self.rope_theta.value(), self.kv_heads.currentData()
        return VariantChoice(
            mask_base=self.mask_base.currentData(),
            prefix=self.prefix.value(),
            window=self.window.value() if self.window_on.isChecked() else None,
            no_self=self.no_self.isChecked(),
            padding_mask=self.padding_mask.isChecked(),
            pos=self.position.currentData(),
            rope_theta=None if theta == self.own_theta else theta,
            kv_heads=None if self.model is None or kv == self.model.n_kv_heads else kv,
            temperature=self.temperature.value(),
        )

    def set_groups(self, groups: list[list[int]], label: str) -> None:
        """The run's KV grouping for the diagram; label names it ("GQA", "MQA · model's own", ...)."""
        self.kv_diagram.set_groups(groups, label)

    def reset_to_model(self) -> None:
        self.set_choice(VariantChoice())
        self.choice_changed.emit(self.choice())

    # -- helpers -------------------------------------------------------------------------------------------
    def _kv_index(self, kv_heads: int | None) -> int:
        """Combo index of a KV-head count; None, or a count this model does not offer, is the model's own."""
        index = -1 if kv_heads is None else self.kv_heads.findData(kv_heads)
        if index < 0 and self.model is not None:
            index = self.kv_heads.findData(self.model.n_kv_heads)
        return max(0, index)

    def _uses_rope(self) -> bool:
        pos = self.position.currentData()
        return pos == "rope" or (pos == "model" and self.model is not None and self.model.positional == "rope")

    def _sync_enabled(self) -> None:
        self.prefix.setEnabled(self.mask_base.currentData() == "prefix")
        self.window.setEnabled(self.window_on.isChecked())
        self.rope_theta.setEnabled(self._uses_rope())
        self.layer_thetas.setEnabled(self._uses_rope())

    def _changed(self, *_) -> None:
        self._sync_enabled()
        if not self._quiet:
            self.choice_changed.emit(self.choice())
