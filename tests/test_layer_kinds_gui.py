"""Layer types in the window (issue 27 item 2): for a model whose layers differ (Gemma 3: local layers with a
512-token window, and global ones), the navigation, the overview, the timings, the variant panel's own mask and
the exported figures' titles say which layer is which; a model whose layers are alike shows none of it."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.core.views import ModelInfo
from explorer.gui.tools.maps.export import layer_title
from explorer.gui.widgets.navigation import NavigationBar
from explorer.gui.widgets.overview import OverviewFigure
from explorer.gui.widgets.timings_panel import BAR_COLOUR, GLOBAL_COLOUR, TimingsPanel
from explorer.gui.widgets.variant_panel import VariantPanel
from models.options import RunOptions

GEMMA_LIKE = ("local 512",) * 5 + ("global",) + ("local 512",) * 5 + ("global",)
ALIKE = ("global",) * 12


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_navigation_names_the_shown_layers_kind(qtbot):
    bar = shown(qtbot, NavigationBar())
    bar.set_shape(12, 4)
    bar.set_layer_kinds(GEMMA_LIKE)
    bar.set_position(5, 0, "head")
    assert bar.layer_kind.isVisible() and bar.layer_kind.text() == "(global)"
    bar.layer.setValue(6)  # stepping the spin box follows
    assert bar.layer_kind.text() == "(local, window 512)"
    bar.set_layer_kinds(ALIKE)
    assert not bar.layer_kind.isVisible()


def test_the_overview_marks_local_and_global_layers(qtbot):
    figure = shown(qtbot, OverviewFigure())
    figure.set_layer_kinds(GEMMA_LIKE)
    figure.show_thumbnails(np.full((12, 4, 4, 4), 0.25, dtype=np.float32))
    ticks = [label for _, label in figure.plot.getAxis("left")._tickLevels[0]]
    assert "0L" in " ".join(ticks) and "5G" in " ".join(ticks) and "11G" in " ".join(ticks)
    assert "G: a global layer" in figure.toolTip()
    figure.set_layer_kinds(ALIKE)
    assert all(label.replace(" · ", "").isdigit() for _, label in figure.plot.getAxis("left")._tickLevels[0])


def test_the_timings_draw_global_layers_bars_in_their_own_colour(qtbot):
    panel = shown(qtbot, TimingsPanel())
    panel.set_layer_kinds(GEMMA_LIKE)
    panel.show_timings([10.0] * 12, 120.0, 100.0, "cpu")
    brushes = panel.bars.opts["brushes"]
    assert brushes[5] == GLOBAL_COLOUR and brushes[11] == GLOBAL_COLOUR and brushes[0] == BAR_COLOUR
    assert "global layers" in panel.chart.toolTip()
    panel.set_layer_kinds(ALIKE)
    panel.show_timings([10.0] * 12, 120.0, 100.0, "cpu")
    assert set(panel.bars.opts["brushes"]) == {BAR_COLOUR}


@pytest.fixture
def gemma_info():
    return ModelInfo(
        name="gemma-like", architecture="gemma3", n_layers=12, n_heads=4, n_kv_heads=1, n_ctx=32768, causal=True,
        positional="rope", rope_theta=1e6, device="cpu", devices=("cpu",), source="test",
        default_rope_theta=1e6, kv_choices=((1, "MQA · model's own"), (2, "GQA"), (4, "MHA")), layer_kinds=GEMMA_LIKE,
    )  # fmt: skip


def test_the_variant_panels_own_mask_is_per_layer(qtbot, gemma_info):
    panel = shown(qtbot, VariantPanel())
    panel.set_model(gemma_info)
    own = panel.mask_base.itemText(0)
    assert "local, window 512 ×10" in own and "global ×2" in own
    assert "every layer" in panel.mask_base.itemData(0, 3)  # Qt.ToolTipRole: how to make them all alike
    panel.set_model(replace(gemma_info, layer_kinds=ALIKE))
    assert panel.mask_base.itemText(0) == "Model's own (causal)"


def test_exported_titles_name_the_layers_kind():
    assert layer_title(SimpleNamespace(layer_kinds=GEMMA_LIKE), 5) == "layer 5 (global)"
    assert layer_title(SimpleNamespace(layer_kinds=GEMMA_LIKE), 0) == "layer 0 (local, window 512)"
    assert layer_title(SimpleNamespace(layer_kinds=ALIKE), 5) == "layer 5"


class BandRun:
    """What overview_visible asks of a run: two local layers with a window of 3 around one global layer."""

    layer_kinds = ["local 3", "global", "local 3"]

    def visible(self, seq=0, layer=None, rows=None):
        n = 12
        i, j = np.indices((n, n))
        visible = j <= i
        if layer is not None and self.layer_kinds[layer] != "global":
            visible &= i - j < 3
        return visible if rows is None else visible[rows]


def test_the_overview_greys_each_layers_own_mask(qtbot):
    from explorer.gui.tools.maps.compute import overview_visible

    rows = np.arange(0, 12, 3)
    visible = overview_visible(BandRun(), 0, rows, 4)  # (L, S, S): 4 sampled rows, 4 key bins of 3
    assert visible.shape == (3, 4, 4)
    np.testing.assert_array_equal(visible[1], np.tril(np.ones((4, 4), bool)))  # global: every earlier bin
    band = np.eye(4, dtype=bool) | np.eye(4, k=-1, dtype=bool)  # row 3i sees keys 3i-2..3i: its bin and the one before
    np.testing.assert_array_equal(visible[0], band)
    figure = shown(qtbot, OverviewFigure())
    figure.show_thumbnails(np.full((3, 2, 4, 4), 0.25, dtype=np.float32), visible)
    colours = figure.image.image  # the mosaic: layer 0 greys a bin (row 9, keys 0-2) that the global layer 1 shows
    (x0, y0), (x1, y1) = figure.tile_origin(0, 0), figure.tile_origin(1, 0)
    assert tuple(colours[y0 + 3, x0 + 0, :3]) == (150, 150, 150)
    assert tuple(colours[y1 + 3, x1 + 0, :3]) != (150, 150, 150)


def test_the_variant_panel_shows_both_rope_thetas_of_a_model_whose_layers_rotate_with_two(qtbot):
    """Gemma 3 rotates its global layers with θ 1,000,000 and its local ones with 10,000: the panel said only the
    first. The θs come from the engine (a tiny Gemma 3 with those θs), through ModelInfo, to the panel."""
    from test_gemma3 import tiny_pair

    from explorer.gui.engine_jobs import EngineJobs

    engine = EngineJobs()
    engine.model = tiny_pair()[0]
    info = engine.model_info()
    assert (info.default_rope_theta, info.local_rope_theta) == (1e6, 1e4)
    panel = shown(qtbot, VariantPanel())
    panel.set_model(info)
    assert panel.rope_theta.value() == 1e6 and panel.layer_thetas.isVisible()
    text = panel.layer_thetas.text()
    assert "1,000,000 in global layers" in text and "10,000 in local layers" in text
    panel.position.setCurrentIndex(panel.position.findData("none"))
    assert not panel.layer_thetas.isEnabled()  # no RoPE chosen: neither θ applies
    panel.set_model(replace(info, local_rope_theta=None, layer_kinds=ALIKE))
    assert not panel.layer_thetas.isVisible()


def test_the_status_bar_says_each_layers_own_mask_and_both_thetas():
    """The status bar said "mask causal · pos RoPE θ=1e+06" for Gemma 3, whose local layers see a window and
    rotate with θ 10,000."""
    from test_gemma3 import WINDOW, tiny_pair

    from explorer.gui.variant_bridge import describe_run_options

    run = tiny_pair()[0].run_ids([[5, 17, 42, 8]])
    text = describe_run_options(SimpleNamespace(options=run.options, kv_heads=1, n_heads=4, kind="MQA"))
    assert f"mask causal,window={WINDOW} ×2; causal ×1 · " in text
    assert "θ=1e+06 (global), 10000 (local)" in text
    plain = tiny_pair()[0].run_ids([[5, 17, 42, 8]], options=RunOptions(mask="causal", rope_theta=500.0))
    text = describe_run_options(SimpleNamespace(options=plain.options, kv_heads=1, n_heads=4, kind="MQA"))
    assert "mask causal · pos RoPE θ=500 · " in text  # every layer alike once the user sets a mask and a θ
