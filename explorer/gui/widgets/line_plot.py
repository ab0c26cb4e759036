"""Curves and points on shared axes with a legend: a fitted curve against the truth, a loss curve, entropy vs d.

It draws a LinesView (explorer/core/plots.py), the description the exported figure is drawn from. A live
training curve is shown again, whole, a few times a second: a few thousand points cost nothing to redraw.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explorer.core.plots import SERIES_COLOURS, LinesView
from explorer.gui.widgets.heatmap import colour_axes


def log2_ticks(view: LinesView) -> list:
    """A base-2 log axis labelled at whole powers of two (x is drawn as log₂ x): 2, 4, 8, … 1024."""
    values = np.concatenate([s.x for s in view.series]) if view.series else np.ones(1)
    if (values <= 0).any():
        raise ValueError("x: a log axis needs x > 0")
    low, high = int(np.floor(np.log2(values.min()))), int(np.ceil(np.log2(values.max())))
    return [[(float(e), f"{2**e:g}") for e in range(low, high + 1)]]


class LinePlot(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view: LinesView | None = None
        self.setMinimumSize(220, 180)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.addLegend(offset=(-8, 8), labelTextSize="8pt", brush=(255, 255, 255, 200))
        for axis in ("left", "bottom"):
            self.getAxis(axis).enableAutoSIPrefix(False)
        self.curves: dict[str, pg.PlotDataItem] = {}

    def show_view(self, view: LinesView) -> None:
        """Draw the view; curves of the same names are updated in place (a live curve keeps its legend)."""
        if self.view is None or [s.name for s in self.view.series] != [s.name for s in view.series]:
            self.clear()
            self.legend.clear()
            self.curves = {}
            for index, series in enumerate(view.series):
                self.curves[series.name] = self._curve(series.name, series.style, index)
        self.view = view
        self.setLabel("bottom", view.x_label)
        self.setLabel("left", view.y_label)
        for series in view.series:
            self.curves[series.name].setData(np.log2(series.x) if view.log_x else series.x, series.y)
        self.getAxis("bottom").setTicks(log2_ticks(view) if view.log_x else None)
        self.setAspectLocked(view.equal_aspect)
        self.enableAutoRange()

    def _curve(self, name: str, style: str, index: int) -> pg.PlotDataItem:
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if style == "points":
            return self.plot([], [], pen=None, symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None, name=name)
        pen = pg.mkPen(colour, width=2, style=Qt.DashLine if style == "dashed" else Qt.SolidLine)
        return self.plot([], [], pen=pen, name=name)

    def clear_view(self) -> None:
        self.view = None
        self.clear()
        self.legend.clear()
        self.curves = {}

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        colour_axes((self.getAxis("left"), self.getAxis("bottom")), foreground)
        self.legend.setLabelTextColor(foreground)
