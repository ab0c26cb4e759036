"""Every layer × head as a thumbnail in one mosaic image; clicking a thumbnail opens that head.

The mosaic wraps its layers into side-by-side blocks when that gives bigger thumbnails, so they grow with the
dock whatever its shape (30 layers in one column left a wide dock mostly empty). Cells the mask hides are grey,
as in the maps, never the colour of 0.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.core.display import MASKED_RGB, scale_values, to_uint8
from explorer.gui.i18n import tr
from explorer.gui.widgets.heatmap import colour_axes, lookup_table
from explorer.gui.widgets.layer_kinds import differ, kind_mark, marks_note

GAP = 1  # pixels between thumbnails
AXES_ROOM = 60  # pixels the layer and head axes take beside the mosaic, roughly
BLOCK_LABEL_ROOM = 22  # what each further block adds to the layer labels' width (" · 15")
WRAP_GAIN = 1.25  # wrap the layers only for thumbnails this much bigger: one column reads most easily


def block_columns(n_layers: int, n_heads: int, side: int, width: float, height: float) -> int:
    """How many side-by-side blocks of layers give the biggest thumbnails in width × height pixels."""

    def scale(blocks: int) -> float:
        across, down = mosaic_shape(n_layers, n_heads, side, blocks)
        room_across = width - AXES_ROOM - BLOCK_LABEL_ROOM * (blocks - 1)
        return min(max(room_across, 1.0) / across, max(height - AXES_ROOM, 1.0) / down)

    best = max(range(1, n_layers + 1), key=lambda blocks: (scale(blocks), -blocks))
    return best if scale(best) >= WRAP_GAIN * scale(1) else 1


def mosaic_shape(n_layers: int, n_heads: int, side: int, blocks: int) -> tuple[int, int]:
    """(width, height) in mosaic pixels of `blocks` blocks of ceil(L / blocks) layers, a thumbnail apart."""
    rows = math.ceil(n_layers / blocks)
    step = side + GAP
    return blocks * n_heads * step - GAP + (blocks - 1) * step, rows * step - GAP


class OverviewFigure(pg.GraphicsLayoutWidget):
    head_clicked = Signal(int, int)  # layer, head

    def __init__(self, parent=None, colormap: str = "viridis"):
        super().__init__(parent)
        self.colormap = colormap
        self.thumbnails: np.ndarray | None = None  # (L, H, S, S)
        # bool (S, S), or (L, S, S) where layers' masks differ: False where the mask hides every key of a bin
        self.visible: np.ndarray | None = None
        self.marked: tuple[int, int] | None = None  # (layer, head) outlined, kept across new thumbnails
        self.blocks = 1  # side-by-side blocks of layers
        self.kinds: tuple[str, ...] = ()  # each layer's kind ("local 512", "global"), marked L or G when they differ
        self.plot = self.ci.addPlot()
        self.plot.invertY(True)
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
        self.plot.getViewBox().sigResized.connect(lambda _box: self._fit_view())
        self._relayout = QTimer(self, singleShot=True, interval=120)  # once a resize settles
        self._relayout.timeout.connect(self._fit_blocks)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.setToolTip(
            tr("Each thumbnail: attention of sampled query rows, each row scaled to its maximum; grey: masked")
        )

    def show_thumbnails(self, thumbnails: np.ndarray, visible: np.ndarray | None = None) -> None:
        """thumbnails: (L, H, S, S); visible: bool (S, S), the same for every head (None: nothing masked), or
        (L, S, S) for a model whose layers' masks differ."""
        self.thumbnails = thumbnails
        self.visible = None if visible is None else np.asarray(visible, dtype=bool)
        self.blocks = self._best_blocks()
        self._paint()

    def set_layer_kinds(self, kinds) -> None:
        """Mark each layer L (local) or G (global) on the layer axis, for models whose layers differ."""
        self.kinds = tuple(kinds)
        tip = tr("Each thumbnail: attention of sampled query rows, each row scaled to its maximum; grey: masked")
        self.setToolTip(tip + ("\n" + marks_note() if differ(self.kinds) else ""))
        if self.thumbnails is not None:
            self._ticks()

    def _layer_name(self, layer: int) -> str:
        marked = differ(self.kinds) and layer < len(self.kinds)
        return f"{layer}{kind_mark(self.kinds[layer])}" if marked else str(layer)

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the background and the layer and head axes."""
        self.setBackground(background)
        colour_axes((self.plot.getAxis("left"), self.plot.getAxis("top")), foreground)

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self._paint()

    def tile_origin(self, layer: int, head: int) -> tuple[int, int]:
        """(x, y) of a thumbnail's top-left corner in mosaic pixels."""
        n_layers, n_heads, side = self.thumbnails.shape[0], self.thumbnails.shape[1], self.thumbnails.shape[3]
        rows, step = math.ceil(n_layers / self.blocks), side + GAP
        block, row = divmod(layer, rows)
        return block * (n_heads + 1) * step + head * step, row * (self.thumbnails.shape[2] + GAP)

    def mark(self, layer: int, head: int) -> None:
        """Outline the head on view; remembered, so thumbnails that arrive later show it too."""
        self.marked = (layer, head)
        if self.thumbnails is None:
            return
        rows, cols = self.thumbnails.shape[2:]
        x, y = self.tile_origin(layer, head)
        self.current.setRect(QRectF(x, y, cols, rows))
        self.current.show()

    def _best_blocks(self) -> int:
        n_layers, n_heads, _rows, side = self.thumbnails.shape
        return block_columns(n_layers, n_heads, side, self.width(), self.height())

    def _fit_blocks(self) -> None:
        if self.thumbnails is not None and self._best_blocks() != self.blocks:
            self.blocks = self._best_blocks()
            self._paint()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if getattr(self, "thumbnails", None) is not None:  # the base class resizes before __init__ is done
            self._relayout.start()

    def _paint(self) -> None:
        if self.thumbnails is None:
            return
        n_layers, n_heads, rows, cols = self.thumbnails.shape
        values, levels = scale_values(self.thumbnails, "row")  # shape of each pattern, not its strength
        colours = lookup_table(self.colormap)[to_uint8(values, levels)]  # (L, H, S, S, 3)
        if self.visible is not None and self.visible.ndim == 3:  # one mask per layer (local and global layers)
            for layer, visible in enumerate(self.visible):
                colours[layer][:, ~visible] = MASKED_RGB
        elif self.visible is not None:
            colours[:, :, ~self.visible] = MASKED_RGB
        across, down = mosaic_shape(n_layers, n_heads, cols, self.blocks)
        mosaic = np.zeros((down, across, 4), dtype=np.uint8)  # transparent between thumbnails
        for layer in range(n_layers):
            for head in range(n_heads):
                left, top = self.tile_origin(layer, head)
                mosaic[top : top + rows, left : left + cols, :3] = colours[layer, head]
                mosaic[top : top + rows, left : left + cols, 3] = 255
        self.image.setImage(mosaic, autoLevels=False)
        self._ticks()
        self._fit_view()
        if self.marked is not None:
            self.mark(*self.marked)

    def _fit_view(self) -> None:
        """Square pixels, the mosaic at the view's top-left beside its axes: the range grows to fill the view."""
        if self.thumbnails is None:
            return
        box = self.plot.getViewBox()
        across, down = mosaic_shape(*self.thumbnails.shape[:2], self.thumbnails.shape[3], self.blocks)
        if box.width() <= 0 or box.height() <= 0:
            return
        pixel = min(box.width() / across, box.height() / down)
        box.setRange(xRange=(0, box.width() / pixel), yRange=(0, box.height() / pixel), padding=0)

    def _ticks(self) -> None:
        """Layers down the left (each row names the layer of every block: "0 · 15"), heads along the top."""
        n_layers, n_heads, rows, cols = self.thumbnails.shape
        per_block = math.ceil(n_layers / self.blocks)
        step_l = max(1, per_block // 15)
        left = []
        for row in range(0, per_block, step_l):
            names = [
                self._layer_name(row + block * per_block)
                for block in range(self.blocks)
                if row + block * per_block < n_layers
            ]
            left.append((row * (rows + GAP) + rows / 2, " · ".join(names)))
        self.plot.getAxis("left").setTicks([left])
        top = [
            (self.tile_origin(0, head)[0] + block * (n_heads + 1) * (cols + GAP) + cols / 2, str(head))
            for block in range(self.blocks)
            for head in range(n_heads)
        ]
        self.plot.getAxis("top").setTicks([top])

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.thumbnails is None:
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        n_layers, n_heads, rows, cols = self.thumbnails.shape
        if point.x() < 0 or point.y() < 0:
            return None
        per_block = math.ceil(n_layers / self.blocks)
        block, column = divmod(int(point.x() // (cols + GAP)), n_heads + 1)
        row = int(point.y() // (rows + GAP))
        layer = block * per_block + row
        if block < self.blocks and column < n_heads and row < per_block and layer < n_layers:
            return layer, column
        return None

    def _on_click(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.head_clicked.emit(*cell)
