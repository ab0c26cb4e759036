"""Every head of the model as one cell of a layers × heads grid, coloured by a score; n/a cells grey.

Clicking a cell opens that head; Ctrl+click toggles its knockout, and knocked-out heads carry a red ✕.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPen, QTransform
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.core.display import MASKED_CODE, label_step, to_uint8
from explorer.gui.i18n import tr
from explorer.gui.widgets.colour_bar import colour_bar
from explorer.gui.widgets.heatmap import colour_axes, lookup_table
from explorer.gui.widgets.pointer_readout import PointerReadout

CELL_CENTRED = QTransform().translate(-0.5, -0.5)  # cell (layer, head) is centred on integer coordinates


def encode_scores(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """uint8 codes for the lookup table: values on [low, high] as 0..254, NaN (n/a) as the grey code."""
    values = np.asarray(values, dtype=np.float64)
    codes = to_uint8(np.nan_to_num(values, nan=levels[0]), levels)
    codes[np.isnan(values)] = MASKED_CODE
    return codes


class HeadAtlas(PointerReadout, pg.GraphicsLayoutWidget):
    head_clicked = Signal(int, int)  # layer, head
    knockout_toggled = Signal(int, int)  # layer, head: Ctrl+click
    hovered = Signal(str)  # "layer 3 · head 1: 0.42", or "" off the grid

    def __init__(self, parent=None, colormap: str = "viridis"):
        super().__init__(parent)
        self.colormap = colormap
        self.values: np.ndarray | None = None  # (L, H) float, NaN = n/a
        self.levels = (0.0, 1.0)
        self.knocked_out: tuple[tuple[int, int], ...] = ()
        self.plot = self.ci.addPlot(row=0, col=0)
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.setDefaultPadding(0.0)
        self.plot.showAxes((True, True, False, False), showValues=(True, True, False, False))
        self.plot.getAxis("left").setLabel(tr("layer"))
        self.plot.getAxis("top").setLabel(tr("head"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setTransform(CELL_CENTRED)
        self.plot.addItem(self.image)
        self.bar = colour_bar(self.levels, pg.colormap.get(colormap), 14)
        self.plot.getViewBox().sigResized.connect(self._tick_labels)  # thinned again for the new size
        self.ci.addItem(self.bar, row=0, col=1)
        self.crosses = pg.ScatterPlotItem(symbol="x", size=16, pen=pg.mkPen(None), brush=pg.mkBrush(230, 40, 40))
        self.crosses.setZValue(3)
        self.plot.addItem(self.crosses, ignoreBounds=True)
        pen = QPen(QColor(255, 255, 255, 230), 2)
        pen.setCosmetic(True)
        self.current = QGraphicsRectItem()
        self.current.setPen(pen)
        self.current.setZValue(2)
        self.current.hide()
        self.plot.addItem(self.current, ignoreBounds=True)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.track_pointer()
        self.setToolTip(tr("Click a head to open it in Maps; Ctrl+click knocks it out (or back in)"))

    # -- content -------------------------------------------------------------------------------------------
    def show_scores(self, values: np.ndarray, levels: tuple[float, float], label: str) -> None:
        """values: (L, H) float, NaN where the score does not apply; levels: the colour bar's range."""
        self.values, self.levels = np.asarray(values, dtype=np.float64), (float(levels[0]), float(levels[1]))
        self.bar.axis.setLabel(label)
        self.bar.setLevels(self.levels)
        self._paint()
        n_layers, n_heads = self.values.shape
        self._tick_labels()
        self.plot.setRange(xRange=(-0.5, n_heads - 0.5), yRange=(-0.5, n_layers - 0.5), padding=0)
        self.set_knockouts(self.knocked_out)

    def _tick_labels(self) -> None:
        """Every k-th layer and head number, k from the pixels the grid has now, so numbers never overlap (a
        30-layer grid in Compare's short panel printed 0, 2, …, 28 over each other)."""
        if self.values is None:
            return
        n_layers, n_heads = self.values.shape
        line = QFontMetricsF(self.font()).height() + 2
        rows = label_step(n_layers, self.plot.getViewBox().height(), line)
        columns = label_step(n_heads, self.plot.getViewBox().width(), line * 1.5)  # two digits side by side
        self.plot.getAxis("left").setTicks([[(layer, str(layer)) for layer in range(0, n_layers, rows)]])
        self.plot.getAxis("top").setTicks([[(head, str(head)) for head in range(0, n_heads, columns)]])

    def clear_scores(self) -> None:
        self.values = None
        self.image.clear()
        self.crosses.clear()
        self.current.hide()
        self.refresh_readout()

    def set_knockouts(self, heads) -> None:
        """Mark these (layer, head) pairs with a ✕; heads outside the grid are ignored."""
        self.knocked_out = tuple(heads)
        if self.values is None:
            self.crosses.clear()
            return
        n_layers, n_heads = self.values.shape
        shown = [(h, la) for la, h in self.knocked_out if la < n_layers and h < n_heads]
        self.crosses.setData(pos=np.array(shown, dtype=float).reshape(-1, 2))
        self.refresh_readout()  # new scores or knockouts under a still pointer: its line says so at once

    def mark(self, layer: int, head: int) -> None:
        self.current.setRect(QRectF(head - 0.5, layer - 0.5, 1, 1))
        self.current.show()

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self.bar.setColorMap(pg.colormap.get(colormap))
        self._paint()

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        colour_axes((self.plot.getAxis("left"), self.plot.getAxis("top"), self.bar.axis), foreground)

    def _paint(self) -> None:
        if self.values is not None:
            rgb = lookup_table(self.colormap)[encode_scores(self.values, self.levels)]
            self.image.setImage(rgb, autoLevels=False)

    # -- the pointer ---------------------------------------------------------------------------------------
    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.values is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        layer, head = round(point.y()), round(point.x())
        n_layers, n_heads = self.values.shape
        return (layer, head) if 0 <= layer < n_layers and 0 <= head < n_heads else None

    def describe(self, layer: int, head: int) -> str:
        value = self.values[layer, head]
        shown = tr("n/a") if np.isnan(value) else f"{value:.4g}"
        text = tr("layer {layer} · head {head}: {value}").format(layer=layer, head=head, value=shown)
        return text + (" · " + tr("knocked out") if (layer, head) in self.knocked_out else "")

    def _on_click(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is None:
            return
        if event.modifiers() & Qt.ControlModifier:
            self.knockout_toggled.emit(*cell)
        else:
            self.head_clicked.emit(*cell)

    def readout_at(self, scene_pos: QPointF) -> str:
        cell = self.cell_at(scene_pos)
        return "" if cell is None else self.describe(*cell)
