"""A colour bar whose axis makes room for its tick values and its title, so the two never overlap."""

from __future__ import annotations

import pyqtgraph as pg


def colour_bar(values: tuple[float, float], colormap: pg.ColorMap, width: int) -> pg.ColorBarItem:
    """pyqtgraph's ColorBarItem fixes its axis at 45 px: signed ticks such as '-0.04' plus a title ("B − A
    (attention)") need more, and the title was drawn over the ticks. Here the axis sizes itself from its widest
    tick and its title, again whenever the range changes."""
    bar = pg.ColorBarItem(values=values, colorMap=colormap, interactive=False, width=width)
    bar.axis.setWidth(None)  # None: the width follows the tick text and the label
    bar.axis.enableAutoSIPrefix(False)  # "weight (x0.001)" with ticks of 50 … 200 reads wrong: show 0.05 … 0.2
    return bar
