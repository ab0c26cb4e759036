"""AttentionRowPlot alone: one row's bars from numpy data, masked keys apart, bad rows refused."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.gui.widgets.attention_row import AttentionRowPlot

TOKENS = ["The", " cat", " sat", " on"]


@pytest.fixture
def plot(qtbot):
    return show(qtbot, AttentionRowPlot(), 500, 300)


def test_the_bars_are_the_rows_weights_over_its_keys(plot):
    row = np.array([0.5, 0.25, 0.125, 0.125], dtype=np.float32)
    plot.show_row(row, TOKENS, "step 1")
    x, height = plot.bars.opts["x"], plot.bars.opts["height"]
    np.testing.assert_array_equal(x, [0, 1, 2, 3])
    np.testing.assert_allclose(height, row)
    assert plot.tokens == TOKENS and plot.key_axis.labels == ["The", "␣cat", "␣sat", "␣on"]
    assert plot.getPlotItem().titleLabel.text == "step 1"
    assert plot.describe_key(1) == 'k 1 "␣cat": 0.2500'


def test_keys_the_mask_hides_are_grey_stubs_not_bars(plot):
    row = np.array([0.0, 0.0, 0.5, 0.5])
    visible = np.array([False, False, True, True])
    plot.show_row(row, TOKENS, visible=visible)
    np.testing.assert_array_equal(plot.bars.opts["x"], [2, 3])
    np.testing.assert_array_equal(plot.masked.opts["x"], [0, 1])
    assert "hidden by the mask" in plot.describe_key(0)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (np.array([0.5, np.nan, 0.25, 0.25]), "not finite"),
        (np.array([0.5, 0.5, 0.5, 0.5]), "sum to 2.000000"),
        (np.array([1.5, -0.5, 0.0, 0.0]), "not 1"),
        (np.ones((2, 2)) / 2, "one non-empty row"),
    ],
)
def test_a_row_that_is_not_a_distribution_is_refused_and_not_drawn(plot, row, problem):
    with pytest.raises(ValueError, match=problem):
        plot.show_row(row, TOKENS)
    assert plot.values is None and len(plot.bars.opts["x"]) == 0


def test_clear_removes_the_bars_and_says_why(plot):
    plot.show_row(np.full(4, 0.25), TOKENS)
    plot.clear_row("nothing generated yet")
    assert plot.values is None and len(plot.bars.opts["x"]) == 0
    assert plot.getPlotItem().titleLabel.text == "nothing generated yet"
