"""Every layer × head as a thumbnail in one mosaic image; clicking a thumbnail opens that head."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.core.display import scale_values, to_uint8
from explorer.gui.i18n import tr
from explorer.gui.widgets.heatmap import colour_axes, lookup_table

GAP = 1  # pixels between thumbnails


class OverviewFigure(pg.GraphicsLayoutWidget):
    head_clicked = Signal(int, int)  # layer, head

    def __init__(self, parent=None, colormap: str = "viridis"):
        super().__init__(parent)
        self.colormap = colormap
        self.thumbnails: np.ndarray | None = None  # (L, H, S, S)
        self.marked: tuple[int, int] | None = None  # (layer, head) outlined, kept across new thumbnails
        self.plot = self.ci.addPlot()
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.showAxes((True, True, False, False), showValues=(True, True, False, False))
        self.plot.getAxis("left").setLabel(tr("layer"))
        self.plot.getAxis("top").setLabel(tr("head"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        pen = QPen(QColor(255, 80, 80), 2)
        pen.setCosmetic(True)
        self.current = QGraphicsRectItem()
        self.current.setPen(pen)
        self.current.setZValue(2)
        self.current.hide()
        self.plot.addItem(self.current)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.setToolTip(tr("Each thumbnail: attention of sampled query rows, each row scaled to its maximum"))

    def show_thumbnails(self, thumbnails: np.ndarray) -> None:
        self.thumbnails = thumbnails
        self._paint()

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the background and the layer and head axes."""
        self.setBackground(background)
        colour_axes((self.plot.getAxis("left"), self.plot.getAxis("top")), foreground)

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self._paint()

    def mark(self, layer: int, head: int) -> None:
        """Outline the head on view; remembered, so thumbnails that arrive later show it too."""
        self.marked = (layer, head)
        if self.thumbnails is None:
            return
        rows, cols = self.thumbnails.shape[2:]
        self.current.setRect(QRectF(head * (cols + GAP), layer * (rows + GAP), cols, rows))
        self.current.show()

    def _paint(self) -> None:
        if self.thumbnails is None:
            return
        n_layers, n_heads, rows, cols = self.thumbnails.shape
        values, levels = scale_values(self.thumbnails, "row")  # shape of each pattern, not its strength
        colours = lookup_table(self.colormap)[to_uint8(values, levels)]  # (L, H, S, S, 3)
        mosaic = np.full((n_layers * (rows + GAP) - GAP, n_heads * (cols + GAP) - GAP, 4), 0, dtype=np.uint8)
        for layer in range(n_layers):
            for head in range(n_heads):
                top, left = layer * (rows + GAP), head * (cols + GAP)
                mosaic[top : top + rows, left : left + cols, :3] = colours[layer, head]
                mosaic[top : top + rows, left : left + cols, 3] = 255
        self.image.setImage(mosaic, autoLevels=False)
        left_axis, top_axis = self.plot.getAxis("left"), self.plot.getAxis("top")
        step_l = max(1, n_layers // 15)
        left_axis.setTicks([[(layer * (rows + GAP) + rows / 2, str(layer)) for layer in range(0, n_layers, step_l)]])
        top_axis.setTicks([[(head * (cols + GAP) + cols / 2, str(head)) for head in range(n_heads)]])
        self.plot.setRange(xRange=(0, mosaic.shape[1]), yRange=(0, mosaic.shape[0]), padding=0.01)
        if self.marked is not None:
            self.mark(*self.marked)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.thumbnails is None:
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        n_layers, n_heads, rows, cols = self.thumbnails.shape
        layer, head = int(point.y() // (rows + GAP)), int(point.x() // (cols + GAP))
        if 0 <= layer < n_layers and 0 <= head < n_heads and point.x() >= 0 and point.y() >= 0:
            return layer, head
        return None

    def _on_click(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.head_clicked.emit(*cell)
