"""TokenScores alone: each row coloured on its own scale (blue below zero, white at zero, red above), raw values in
the tooltips, and values that are not finite refused."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.core.plots import diverging_table
from explorer.gui.widgets.token_scores import TokenScores, colour_of, row_scaled


def test_each_row_is_scaled_by_its_own_largest_magnitude():
    scores = np.array([[1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [10.0, 20.0, 40.0]])
    assert np.allclose(row_scaled(scores), [[0.5, -1.0, 0.25], [0, 0, 0], [0.25, 0.5, 1.0]])
    with pytest.raises(ValueError, match="not finite"):
        row_scaled(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match="methods, tokens"):
        row_scaled(np.ones(3))


def test_the_ends_and_the_middle_of_the_scale():
    table = diverging_table()
    assert colour_of(-1.0) == tuple(int(c) for c in table[0])
    assert colour_of(1.0) == tuple(int(c) for c in table[254])
    assert colour_of(0.0)[0] > 240 and colour_of(0.0)[2] > 240, "zero is (near) white"
    assert colour_of(1.0)[0] > colour_of(1.0)[2] and colour_of(-1.0)[2] > colour_of(-1.0)[0], "red up, blue down"


def test_the_cells_show_the_tokens_coloured_with_raw_values_in_their_tooltips(qtbot):
    widget = show(qtbot, TokenScores(), 600, 160)
    scores = np.array([[0.2, -0.4, 0.1], [3.0, 1.5, 0.0]])
    widget.show_scores(["The", " cat", " sat"], ["ig", "attention"], scores)
    assert (widget.rowCount(), widget.columnCount()) == (2, 3)
    assert widget.item(0, 1).background().color().getRgb()[:3] == colour_of(-1.0)
    assert widget.item(1, 0).background().color().getRgb()[:3] == colour_of(1.0)
    assert widget.item(1, 1).background().color().getRgb()[:3] == colour_of(0.5)
    assert "-0.4" in widget.item(0, 1).toolTip() and widget.item(0, 1).text() == "␣cat"
    with pytest.raises(ValueError, match="shape"):
        widget.show_scores(["a"], ["ig"], np.ones((2, 1)))
