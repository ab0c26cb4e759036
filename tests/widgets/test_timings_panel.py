"""TimingsPanel alone: bars per layer, the summary line, the device chooser and its colours."""

import numpy as np
import pytest
from widget_helpers import colour_name, show

from explorer.gui.widgets.timings_panel import TimingsPanel

LAYER_MS = [1.0, 2.5, 0.5]


@pytest.fixture
def panel(qtbot):
    panel = show(qtbot, TimingsPanel(), 400, 250)
    panel.show_timings(LAYER_MS, total_ms=4.25, tokens_per_second=12345.6, device="cpu")
    return panel


def test_one_bar_per_layer_at_its_height(panel):
    assert np.array_equal(panel.bars.opts["x"], [0, 1, 2])
    assert np.array_equal(panel.bars.opts["height"], LAYER_MS)
    x_range, y_range = panel.chart.getViewBox().viewRange()
    assert x_range == pytest.approx([-0.5, 2.5]) and y_range == pytest.approx([0.0, 2.75])


def test_summary_names_total_throughput_device_and_reuse(panel):
    # No count given: it is recovered from the rate, 12,345.6 tokens/s × 4.25 ms = 52 tokens.
    assert panel.summary.text() == "Total 4.2 ms · 52 tokens computed (12,346 tokens/s) · cpu"
    panel.show_timings(LAYER_MS, 4.0, 800.0, "cuda", reused=7, computed=3)
    assert panel.summary.text() == "Total 4.0 ms · 3 tokens computed (800 tokens/s) · 7 reused · cuda"


def test_a_one_token_append_reads_its_real_rate_never_zero(panel):
    """What the engine reports after typing one token at the end: 1 computed in 12.3 ms, 40 reused."""
    panel.show_timings(LAYER_MS, 12.3, 1 / 0.0123, "cpu", reused=40, computed=1)
    assert panel.summary.text() == "Total 12.3 ms · 1 token computed (81 tokens/s) · 40 reused · cpu"
    panel.show_timings(LAYER_MS, 2500.0, 0.4, "cpu", reused=40)  # a slow machine; the count from the rate
    assert panel.summary.text() == "Total 2500.0 ms · 1 token computed (0.4 tokens/s) · 40 reused · cpu"
    assert "0 tokens/s" not in panel.summary.text()


def test_a_run_that_computed_nothing_claims_no_rate(panel):
    panel.show_timings(LAYER_MS, 0.8, 0.0, "cpu", reused=13, computed=0)
    assert panel.summary.text() == "Total 0.8 ms · 0 tokens computed · 13 reused · cpu"


def test_layer_ticks_are_whole_layers(panel):
    panel.show_timings([1.0] * 30, 30.0, 100.0, "cpu")  # 30 layers: every 2nd labelled, never "layer 0.5"
    ticks = panel.chart.getAxis("bottom").tickValues(0, 29, 300)
    assert all(spacing == 2 and all(v == int(v) for v in values) for spacing, values in ticks)


def test_device_chooser_lists_devices_and_emits_the_users_choice(qtbot, panel):
    with qtbot.assertNotEmitted(panel.device_changed):
        panel.set_devices(("cpu", "cuda"), "cuda")
    assert [panel.device.itemText(i) for i in range(2)] == ["CPU", "GPU (CUDA)"]
    assert panel.device.currentData() == "cuda" and panel.device.isEnabled()
    with qtbot.waitSignal(panel.device_changed) as changed:
        panel.device.setCurrentIndex(0)
    assert changed.args == ["cpu"]


def test_one_device_leaves_nothing_to_choose(panel):
    panel.set_devices(("cpu",), "cpu")
    assert panel.device.count() == 1 and not panel.device.isEnabled()


def test_apply_colours_paints_the_chart(panel):
    panel.apply_colours("#0a0a0a", "#fafafa")
    assert colour_name(panel.chart.backgroundBrush().color()) == "#0a0a0a"
    for name in ("left", "bottom"):
        assert colour_name(panel.chart.getAxis(name).textPen().color()) == "#fafafa"
        assert colour_name(panel.chart.getAxis(name).pen().color()) == "#fafafa"
