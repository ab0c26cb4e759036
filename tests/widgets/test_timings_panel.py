"""TimingsPanel alone: bars per layer, the summary line, the device chooser and its colours."""

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics
from widget_helpers import colour_name, show

from explorer.gui.widgets.timings_panel import TimingsPanel, round_below, tick_step

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


def shown_ticks(axis, span: float, pixels: float) -> list[float]:
    """The values an axis labels: its fixed ticks when it has them, else its first level of automatic ones."""
    if axis._tickLevels:
        return sorted(value for value, _label in axis._tickLevels[0])
    return sorted(next(values for _spacing, values in axis.tickValues(0, span, pixels) if values))


@pytest.mark.parametrize("size", [(400, 110), (700, 140), (300, 250)])
def test_tick_labels_never_overlap_however_small_the_chart(qtbot, size):
    """At 1024×700 the timings dock is short: 0, 50, 100, 150 were crowded into 30 px of ms axis."""
    panel = show(qtbot, TimingsPanel(), *size)
    panel.show_timings([10.0, 150.0] * 15, 2400.0, 5.0, "cpu")
    qtbot.wait(10)
    box = panel.chart.getViewBox()
    font_height = QFontMetrics(panel.chart.font()).height()
    top = 165.0  # the y range: the tallest bar and a tenth
    for axis_name, span, pixels, label in (
        ("left", top, box.height(), font_height),
        ("bottom", 30, box.width(), QFontMetrics(panel.chart.font()).horizontalAdvance("28")),
    ):
        values = shown_ticks(panel.chart.getAxis(axis_name), span, pixels)
        assert values, f"the {axis_name} axis has labels"
        gap = (values[1] - values[0]) * pixels / span if len(values) > 1 else pixels
        assert gap >= label, f"{axis_name} labels {values} are {gap:.0f} px apart, a label needs {label} px"


def test_tick_step_is_a_round_number_that_fits():
    assert tick_step(165.0, 30.0, 19.0) == 200  # one label's room: one step over the whole range
    assert tick_step(165.0, 150.0, 19.0) == 50  # 7 labels' room: 0, 50, 100, 150
    assert tick_step(30, 330, 20, whole=True) == 2 and tick_step(3, 330, 20, whole=True) == 1


def test_a_chart_with_room_for_one_label_names_its_largest_round_value(qtbot):
    panel = show(qtbot, TimingsPanel(), 500, 90)  # the chart at its least: one label fits up the ms axis
    panel.show_timings([10.0, 180.0, 90.0], 280.0, 10.0, "cpu")
    qtbot.wait(10)
    box = panel.chart.getViewBox()
    assert box.height() < 2 * (QFontMetrics(panel.chart.font()).height() + 2), "the test needs a chart this short"
    assert shown_ticks(panel.chart.getAxis("left"), 198.0, box.height()) == [100.0], "100 of 0…198 ms, not 0"
    assert round_below(187.0) == 100 and round_below(0.03) == 0.02 and round_below(5.0) == 5
