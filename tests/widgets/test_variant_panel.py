"""VariantPanel alone: model facts from ModelInfo, choices in and out as VariantChoice, enabled states, reset."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from widget_helpers import show

from explorer.core.views import ModelInfo
from explorer.gui.widgets.variant_panel import VariantChoice, VariantPanel

# A small llama-like decoder: RoPE with its own θ, 9 query heads on 3 KV heads.
DECODER = ModelInfo(
    name="tiny-llama",
    architecture="llama",
    n_layers=2,
    n_heads=9,
    n_kv_heads=3,
    n_ctx=512,
    causal=True,
    positional="rope",
    rope_theta=100000.0,
    device="cpu",
    devices=("cpu",),
    source="test",
    default_rope_theta=100000.0,
    kv_choices=((1, "MQA"), (3, "GQA · model's own"), (9, "MHA")),
)
# A BERT-like encoder: learned positions, so θ only matters once the user picks RoPE.
ENCODER = replace(
    DECODER,
    name="tiny-bert",
    architecture="bert",
    n_heads=4,
    n_kv_heads=4,
    causal=False,
    positional="learned",
    rope_theta=10000.0,
    default_rope_theta=10000.0,
    kv_choices=((1, "MQA"), (2, "GQA"), (4, "MHA · model's own")),
)


@pytest.fixture
def panel(qtbot):
    panel = show(qtbot, VariantPanel(), 380, 520)
    panel.set_model(DECODER)
    return panel


def user_sets(qtbot, panel, action) -> VariantChoice:
    """Change a control as a user would and return the choice the panel announces."""
    with qtbot.waitSignal(panel.choice_changed) as changed:
        action()
    return changed.args[0]


def test_set_model_offers_its_kv_choices_and_shows_its_own_values(qtbot):
    panel = show(qtbot, VariantPanel())
    with qtbot.assertNotEmitted(panel.choice_changed):
        panel.set_model(DECODER)
    combo = panel.kv_heads
    assert [combo.itemData(i) for i in range(combo.count())] == [1, 3, 9]
    assert [combo.itemText(i) for i in range(combo.count())] == ["1  (MQA)", "3  (GQA · model's own)", "9  (MHA)"]
    assert combo.currentData() == 3
    assert panel.rope_theta.value() == 100000.0
    assert panel.mask_base.itemText(0) == "Model's own (causal)"
    assert panel.position.itemText(0) == "Model's own (rope)"
    assert panel.choice() == VariantChoice()


def test_an_encoder_shows_its_own_mask_positions_and_default_theta(panel):
    panel.set_model(ENCODER)
    assert panel.mask_base.itemText(0) == "Model's own (bidirectional)"
    assert panel.position.itemText(0) == "Model's own (learned)"
    assert panel.kv_heads.currentData() == 4 and panel.rope_theta.value() == 10000.0
    assert panel.choice() == VariantChoice()


def test_each_control_announces_the_choice_it_makes(qtbot, panel):
    def pick(combo, value):
        return lambda: combo.setCurrentIndex(combo.findData(value))

    assert user_sets(qtbot, panel, pick(panel.mask_base, "prefix")) == VariantChoice(mask_base="prefix")
    assert user_sets(qtbot, panel, lambda: panel.prefix.setValue(6)).prefix == 6
    assert user_sets(qtbot, panel, lambda: panel.window_on.setChecked(True)).window == 4
    assert user_sets(qtbot, panel, lambda: panel.window.setValue(8)).window == 8
    assert user_sets(qtbot, panel, lambda: panel.no_self.setChecked(True)).no_self
    assert not user_sets(qtbot, panel, lambda: panel.padding_mask.setChecked(False)).padding_mask
    assert user_sets(qtbot, panel, pick(panel.position, "alibi")).pos == "alibi"
    assert user_sets(qtbot, panel, pick(panel.kv_heads, 1)).kv_heads == 1
    assert user_sets(qtbot, panel, lambda: panel.temperature.setValue(0.5)).temperature == 0.5
    assert panel.choice() == VariantChoice(
        mask_base="prefix", prefix=6, window=8, no_self=True, padding_mask=False, pos="alibi", kv_heads=1,
        temperature=0.5,
    )  # fmt: skip


def test_the_models_own_theta_and_kv_heads_read_as_none(qtbot, panel):
    assert user_sets(qtbot, panel, lambda: panel.rope_theta.setValue(500.0)).rope_theta == 500.0
    assert user_sets(qtbot, panel, lambda: panel.rope_theta.setValue(100000.0)).rope_theta is None
    assert user_sets(qtbot, panel, lambda: panel.kv_heads.setCurrentIndex(2)).kv_heads == 9
    assert user_sets(qtbot, panel, lambda: panel.kv_heads.setCurrentIndex(1)).kv_heads is None


def test_typing_a_theta_announces_it_once_typing_is_done(qtbot, panel):
    panel.rope_theta.setFocus()
    panel.rope_theta.selectAll()
    with qtbot.assertNotEmitted(panel.choice_changed):
        qtbot.keyClicks(panel.rope_theta, "500")  # no run per digit
    assert user_sets(qtbot, panel, lambda: qtbot.keyClick(panel.rope_theta, Qt.Key_Return)).rope_theta == 500.0


@pytest.mark.parametrize(
    "choice",
    [
        VariantChoice(),
        VariantChoice(mask_base="causal", window=16, no_self=True),
        VariantChoice(mask_base="prefix", prefix=3, padding_mask=False, temperature=2.0),
        VariantChoice(mask_base="bidirectional", pos="rope", rope_theta=500.0, kv_heads=1),
        VariantChoice(pos="none", kv_heads=9),
    ],
)
def test_set_choice_shows_a_choice_quietly_and_reads_back_the_same(qtbot, panel, choice):
    panel.set_choice(VariantChoice(mask_base="causal", window=2, rope_theta=7.0, kv_heads=1))  # something else first
    with qtbot.assertNotEmitted(panel.choice_changed):
        panel.set_choice(choice)
    assert panel.choice() == choice


def test_a_kv_count_the_model_lacks_shows_the_models_own(panel):
    panel.set_choice(VariantChoice(kv_heads=5))
    assert panel.kv_heads.currentData() == 3 and panel.choice().kv_heads is None


def test_prefix_and_window_lengths_are_enabled_only_when_they_apply(panel):
    assert not panel.prefix.isEnabled() and not panel.window.isEnabled()
    panel.set_choice(VariantChoice(mask_base="prefix", window=4))
    assert panel.prefix.isEnabled() and panel.window.isEnabled()
    panel.set_choice(VariantChoice(mask_base="causal"))
    assert not panel.prefix.isEnabled() and not panel.window.isEnabled()


def test_theta_is_enabled_only_when_rope_applies(panel):
    assert panel.rope_theta.isEnabled(), "the decoder's own positions are RoPE"
    panel.set_choice(VariantChoice(pos="alibi"))
    assert not panel.rope_theta.isEnabled()
    panel.set_model(ENCODER)
    panel.set_choice(VariantChoice())
    assert not panel.rope_theta.isEnabled(), "the encoder's own positions are learned"
    panel.set_choice(VariantChoice(pos="rope"))
    assert panel.rope_theta.isEnabled()


def test_reset_button_restores_the_models_own_and_announces_it(qtbot, panel):
    panel.set_choice(VariantChoice(mask_base="prefix", window=3, no_self=True, pos="none", rope_theta=9.0, kv_heads=9))
    with qtbot.waitSignal(panel.choice_changed) as changed:
        qtbot.mouseClick(panel.reset, Qt.LeftButton)
    assert changed.args == [VariantChoice()]
    assert panel.kv_heads.currentData() == 3 and panel.rope_theta.value() == 100000.0
    assert panel.mask_base.currentData() == "model" and not panel.window_on.isChecked()


def test_set_groups_draws_the_grouping_with_the_given_label(panel):
    panel.set_groups([[0, 1, 2], [3, 4, 5], [6, 7, 8]], "GQA · model's own")
    assert panel.kv_diagram.groups == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert panel.kv_diagram.toolTip().startswith("GQA · model's own: 9 query heads share 3")


def test_prefix_tooltip_is_kept(panel):
    assert panel.prefix.toolTip().startswith("Prefix-LM: the first P tokens see each other both ways (i, j < P)")
    assert panel.reset.text() == "Reset to the model's own"


def test_every_control_explains_its_concept_with_a_formula(qtbot):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox

    panel = VariantPanel()
    qtbot.addWidget(panel)
    kinds = (QComboBox, QAbstractSpinBox, QAbstractButton)
    controls = [w for kind in kinds for w in panel.findChildren(kind) if w.parent() is panel]
    assert len(controls) >= 10, "mask, prefix, window (2), no-self, padding, positions, θ, KV heads, T, reset"
    untold = [type(w).__name__ for w in controls if len(w.toolTip()) < 30]
    assert untold == [], "every control says what it does in a sentence or two"
    formulas = {
        panel.window: "|i − j| < W",
        panel.window_on: "|i − j| < W",
        panel.temperature: "softmax(QKᵀ/(√d·T))",
        panel.rope_theta: "θ^(−2k/d)",
        panel.kv_heads: "H query heads share G key/value heads",
        panel.no_self: "j = i",
        panel.padding_mask: "pad",
    }
    for control, formula in formulas.items():
        assert formula in control.toolTip()
    items = {panel.mask_base.itemData(i): panel.mask_base.itemData(i, Qt.ToolTipRole) for i in range(4)}
    assert "j ≤ i" in items["causal"] and "i, j < P" in items["prefix"] and items["bidirectional"]
    items = {panel.position.itemData(i): panel.position.itemData(i, Qt.ToolTipRole) for i in range(5)}
    assert "position·θ^(−2k/d)" in items["rope"] and "−m·|i − j|" in items["alibi"] and items["none"]
