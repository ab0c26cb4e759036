"""Rotated token labels on a bottom axis (flow bars, a generated token's row) start at the ticks and run down, away
from the plot: issue 21 item 22, where a long label ran up over the axis line and its ticks."""

import numpy as np
from PySide6.QtCore import QPointF
from widget_helpers import show

from explorer.gui.widgets.flow_bars import FlowBars

TOKENS = ["The", "␣animal", "␣because", "␣street", "."]


def dark_rows(image, left: int, right: int, top: int, bottom: int) -> list[int]:
    """Rows between top and bottom (widget pixels) holding a dark pixel in columns left..right."""
    rows = []
    for y in range(top, bottom):
        if any(image.pixelColor(x, y).lightness() < 128 for x in range(left, right)):
            rows.append(y)
    return rows


def test_a_bottom_axis_draws_rotated_labels_below_its_ticks(qtbot):
    bars = show(qtbot, FlowBars(), 600, 320)
    bars.apply_colours("#ffffff", "#000000")
    bars.show_flow(np.array([0.9, 0.1, 0.3, 0.2, 0.5]), TOKENS, 4)
    qtbot.wait(100)
    image = bars.grab().toImage()
    axis = bars.token_axis
    top = round(bars.mapFromScene(axis.sceneBoundingRect().topLeft()).y())
    centre = round(bars.mapFromScene(bars.getPlotItem().vb.mapViewToScene(QPointF(2, 0))).x())
    # The label of '␣because' (the longest) lies in a band beside its tick; the tick itself is one pixel wide at the
    # centre, so the band leaves the centre column out. Nothing of the text is drawn on the axis line or its ticks.
    left, right = (centre - 6, centre - 1), (centre + 2, centre + 7)
    band = dark_rows(image, *left, top + 2, top + 7) + dark_rows(image, *right, top + 2, top + 7)
    assert band == [], f"label pixels at the axis line, rows {sorted(set(band))} (axis top {top})"
    below = dark_rows(image, centre - 6, centre + 7, top + 8, top + 60)
    assert below, "the label is drawn below the ticks"

