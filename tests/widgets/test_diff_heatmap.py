"""DiffHeatmap alone: B − A from numpy on the diverging table, 0 white, symmetric colour bar, hidden cells grey."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.core.display import MASKED_CODE
from explorer.core.diverging import diverging_table, encode_diff, symmetric_limit
from explorer.gui.widgets.diff_heatmap import DiffHeatmap


def test_the_difference_is_centred_on_white_with_symmetric_limits(qtbot):
    figure = show(qtbot, DiffHeatmap(diverging_table()), 400, 400)
    diff = np.array([[0.0, 0.0, 0.0], [-0.5, 0.5, 0.0], [0.25, -0.1, 0.0]], dtype=np.float32)
    visible = np.tril(np.ones((3, 3), dtype=bool))
    limit = symmetric_limit(diff, visible)
    figure.show_diff(diff, encode_diff(diff, visible, limit), limit, ["a", "b", "c"], "B − A")
    assert figure.bar.levels() == pytest.approx((-0.5, 0.5))
    assert figure.pixels[1, 0] == 0 and figure.pixels[1, 1] == 254 and figure.pixels[0, 0] == 127
    assert figure.pixels[0, 2] == MASKED_CODE
    assert tuple(diverging_table()[127]) == (247, 247, 247)  # white-ish: 0 reads as no change
    figure.set_colormap("magma")  # the maps' colormap does not reach the difference
    assert figure.image.lut is not None and np.array_equal(figure.image.lut, diverging_table())
    assert "-0.5" in figure.describe_cell(1, 0)


def test_small_differences_keep_plain_ticks_without_an_si_prefix(qtbot):
    figure = show(qtbot, DiffHeatmap(diverging_table()), 400, 400)
    diff = np.array([[0.0, 0.0], [-0.002, 0.002]], dtype=np.float32)
    visible = np.tril(np.ones((2, 2), dtype=bool))
    figure.show_diff(diff, encode_diff(diff, visible, 0.002), 0.002, ["a", "b"])
    assert "x0.001" not in figure.bar.axis.labelString() and figure.bar.axis.autoSIPrefixScale == 1.0


def test_non_finite_differences_are_refused(qtbot):
    figure = show(qtbot, DiffHeatmap(diverging_table()), 200, 200)
    with pytest.raises(ValueError, match="not finite"):
        figure.show_diff(np.array([[np.nan]], dtype=np.float32), np.zeros((1, 1), np.uint8), 1.0, ["a"])
    with pytest.raises(ValueError, match="not finite"):
        symmetric_limit(np.array([[np.inf]]), np.ones((1, 1), bool))
