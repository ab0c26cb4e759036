"""Any labelled matrix as a heatmap: titled axes, optional tick labels, a colour bar, and a hover readout.

It draws a MatrixView (explorer/core/plots.py), the same description the exported figure is drawn from: a PE
matrix (position × dimension), an attention matrix (test point × training point), a bias, a patch image.
Signed quantities use the diverging colours centred on 0; others the app's colormap.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal

from explorer.core.display import label_step
from explorer.core.plots import MatrixView, diverging_table
from explorer.gui.i18n import tr
from explorer.gui.widgets.colour_bar import colour_bar
from explorer.gui.widgets.heatmap import CELL_CENTRED, colour_axes
from explorer.gui.widgets.pointer_readout import PointerReadout

TICK_PIXELS = 14  # one label's height: thinning keeps labels this far apart


def value_text(value: float) -> str:
    """A value as the readout shows it: four significant digits, never an exponent for ordinary sizes."""
    return f"{value:.4g}"


class MatrixPlot(PointerReadout, pg.GraphicsLayoutWidget):
    hovered = Signal(str)  # 'position 12, dimension 3: 0.5403', or "" when the pointer leaves

    def __init__(self, parent=None, colormap: str = "viridis"):
        super().__init__(parent)
        self.colormap = colormap
        self.view: MatrixView | None = None
        self.setMinimumSize(220, 180)
        self.plot = self.ci.addPlot(row=0, col=0)
        self.plot.invertY(True)
        self.plot.setDefaultPadding(0.0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().setMouseEnabled(False, False)  # a teaching figure: always the whole matrix
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setTransform(CELL_CENTRED)
        self.plot.addItem(self.image)
        self.bar = colour_bar((0.0, 1.0), pg.colormap.get(colormap), 12)
        self.ci.addItem(self.bar, row=0, col=1)
        for axis in (self.bar.axis, self.plot.getAxis("left"), self.plot.getAxis("bottom")):
            axis.enableAutoSIPrefix(False)  # "weight (x0.001)" with ticks of 50 … 200 reads wrong: show 0.05 … 0.2
        self.track_pointer()

    def show_view(self, view: MatrixView) -> None:
        self.view = view
        rows, columns = view.matrix.shape
        self.plot.setLabel("left", view.row_label)
        self.plot.setLabel("bottom", view.column_label)
        self.bar.axis.setLabel(view.value_label)
        box = self.plot.getViewBox()
        # The axes span exactly the matrix. Square cells (view.square_cells) are kept by exported figures; here a
        # locked aspect in a frame of another shape padded the range with rows that do not exist (a 14×14 patch
        # grid read −4…17), or cut columns off when limited, so the cells stretch to the frame instead.
        box.setAspectLocked(False)
        box.setLimits(xMin=-0.5, xMax=columns - 0.5, yMin=-0.5, yMax=rows - 0.5)
        self._paint()
        box.setRange(xRange=(-0.5, columns - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self._ticks()
        self.refresh_readout()  # a still pointer reads this matrix's value, never the previous one's

    def clear_view(self) -> None:
        self.view = None
        self.image.clear()
        self.refresh_readout()

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self._paint()

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        colour_axes((self.plot.getAxis("left"), self.plot.getAxis("bottom"), self.bar.axis), foreground)

    def lookup(self) -> np.ndarray:
        """(255, 3) uint8: the colours of the colour bar from its low end to its high end."""
        if self.view is not None and self.view.diverging:
            return diverging_table()
        return pg.colormap.get(self.colormap).getLookupTable(nPts=255, alpha=False)

    def _paint(self) -> None:
        if self.view is None:
            return
        levels = self.view.color_levels
        table = self.lookup()
        self.image.setImage(self.view.matrix.astype(np.float32), autoLevels=False, levels=levels, lut=table)
        colours = [tuple(int(c) for c in rgb) for rgb in table[:: max(1, len(table) // 32)]]
        self.bar.setColorMap(pg.ColorMap(np.linspace(0, 1, len(colours)), colours))
        self.bar.setLevels(levels)

    def _ticks(self) -> None:
        """Tick labels from the view's names, thinned to the room the axis has; plain numbers otherwise."""
        view, box = self.view, self.plot.getViewBox().sceneBoundingRect()
        for axis_name, ticks, pixels in (
            ("left", view.row_ticks, box.height()),
            ("bottom", view.column_ticks, box.width()),
        ):
            axis = self.plot.getAxis(axis_name)
            if not ticks:
                axis.setTicks(None)
                continue
            step = label_step(len(ticks), max(pixels, 100.0), TICK_PIXELS if axis_name == "left" else 40)
            axis.setTicks([[(i, ticks[i]) for i in range(0, len(ticks), step)]])

    def resizeEvent(self, event):  # noqa: N802 - labels are thinned again for the new size
        super().resizeEvent(event)
        # pyqtgraph resizes once before __init__ has run, and again while close() tears the scene down
        if getattr(self, "view", None) is not None and not getattr(self, "closed", False):
            self._ticks()

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.view is None or not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, column = int(round(point.y())), int(round(point.x()))
        rows, columns = self.view.matrix.shape
        return (row, column) if 0 <= row < rows and 0 <= column < columns else None

    def describe_cell(self, row: int, column: int) -> str:
        view = self.view
        text = tr("{row_label} {row}, {column_label} {column}: {value}")
        return text.format(
            row_label=view.row_label,
            row=view.row_names()[row],
            column_label=view.column_label,
            column=view.column_names()[column],
            value=value_text(float(view.matrix[row, column])),
        )

    def readout_at(self, scene_pos: QPointF) -> str:
        cell = self.cell_at(scene_pos)
        text = "" if cell is None else self.describe_cell(*cell)
        self.image.setToolTip(text)
        return text


def cell_colour(plot: MatrixPlot, row: int, column: int) -> tuple[int, int, int]:
    """The colour a cell is painted (for tests and checks): its value's place on the colour bar's range."""
    low, high = plot.view.color_levels
    table = plot.lookup()
    where = (plot.view.matrix[row, column] - low) / (high - low)
    return tuple(int(c) for c in table[int(np.clip(round(where * (len(table) - 1)), 0, len(table) - 1))])
