"""The atlas numbers its layers and heads as densely as its size allows, never overlapping (issue 21 item 22:
a 30-layer grid in Compare's short panel printed 0, 2, …, 28 over each other)."""

import numpy as np
import pytest
from PySide6.QtGui import QFontMetricsF
from widget_helpers import show

from explorer.gui.widgets.head_atlas import HeadAtlas


def spacing(atlas, axis_name: str) -> float:
    """Pixels between neighbouring labels on an axis."""
    (ticks,) = atlas.plot.getAxis(axis_name)._tickLevels
    values = [value for value, _ in ticks]
    if len(values) < 2:
        return float("inf")
    box = atlas.plot.getViewBox()
    pixels_per_unit = box.height() / 30 if axis_name == "left" else box.width() / 9
    return (values[1] - values[0]) * pixels_per_unit


@pytest.mark.parametrize(("width", "height"), [(420, 130), (420, 600), (160, 400)])
def test_layer_and_head_numbers_never_overlap(qtbot, width, height):
    atlas = show(qtbot, HeadAtlas(), width, height)
    atlas.show_scores(np.random.default_rng(0).random((30, 9)), (0.0, 1.0), "score")
    qtbot.wait(50)
    line = QFontMetricsF(atlas.font()).height()
    assert spacing(atlas, "left") >= line and spacing(atlas, "top") >= line
    (layers,) = atlas.plot.getAxis("left")._tickLevels
    assert layers[0] == (0, "0")  # the first layer is always numbered
    if height >= 600:  # room for every layer: all thirty are numbered
        assert len(layers) == 30
