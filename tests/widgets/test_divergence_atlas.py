"""DivergenceAtlas alone: finite divergences coloured from 0 to their maximum, ∞ drawn apart and explained."""

import numpy as np
from widget_helpers import show

from explorer.gui.widgets.divergence_atlas import INFINITE_RGB, DivergenceAtlas
from explorer.gui.widgets.head_atlas import encode_scores
from explorer.gui.widgets.heatmap import lookup_table


def test_infinite_cells_are_marked_and_described_never_shown_as_numbers(qtbot):
    atlas = show(qtbot, DivergenceAtlas(), 400, 400)
    values = np.array([[0.0, 0.2], [np.inf, 0.4]])
    atlas.show_divergence(values, "KL", np.array([[0, 0], [3, 0]]), np.array([[0.0, 0.2], [0.05, 0.4]]), 7)
    assert atlas.levels == (0.0, 0.4)
    assert tuple(atlas.image.image[1, 0]) == INFINITE_RGB
    finite = lookup_table("viridis")[encode_scores(np.array([[0.0, 0.2], [np.nan, 0.4]]), (0.0, 0.4))]
    assert np.array_equal(atlas.image.image[[0, 0, 1], [0, 1, 1]], finite[[0, 0, 1], [0, 1, 1]])
    assert len(atlas.marks) == 1 and atlas.marks[0].textItem.toPlainText() == "∞"
    text = atlas.describe(1, 0)
    assert "∞ in 3 of 7 query rows" in text and "0.05" in text
    assert atlas.describe(0, 1) == "layer 0 · head 1: 0.2"
    atlas.show_divergence(np.zeros((2, 2)), "JS")  # all zero: a range that still draws, and no marks left
    assert atlas.levels == (0.0, 1.0) and atlas.marks == []
    atlas.show_divergence(np.array([[0.001, 0.004]]), "JS")  # small values: plain ticks, no "(x0.001)"
    assert "x0.001" not in atlas.bar.axis.labelString() and atlas.bar.axis.autoSIPrefixScale == 1.0
