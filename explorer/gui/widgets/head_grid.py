"""All heads of one layer side by side, in small multiples; clicking one opens it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from explorer.core.display import encode, visible_of
from explorer.gui.widgets.heatmap import CELL_CENTRED, lookup_table


class HeadGridFigure(pg.GraphicsLayoutWidget):
    head_clicked = Signal(int)

    def __init__(self, parent=None, colormap: str = "viridis", scale: str = "linear"):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.colormap, self.scale = colormap, scale
        self.maps: np.ndarray | None = None  # float32 (H, N, N)
        self.pixels: np.ndarray | None = None  # uint8 (H, N, N) on the current scale; 255 = masked
        self.kv_groups: list[list[int]] = []
        self.views: list[pg.ViewBox] = []
        self.labels: list[pg.LabelItem] = []  # the title and one name per head, recoloured by apply_colours
        self.text_colour = "#000000"
        self.scene().sigMouseClicked.connect(self._on_click)

    def show_maps(self, maps: np.ndarray, pixels: np.ndarray, kv_groups: list[list[int]], title: str = "") -> None:
        """maps: (H, N, N) and their encoding (display.encode); each panel names its head and KV head."""
        self.maps, self.pixels, self.kv_groups = maps, pixels, kv_groups
        self.ci.clear()
        self.views = []
        n_heads = maps.shape[0]
        columns = math.ceil(math.sqrt(n_heads))
        self.labels = [self.ci.addLabel(title, row=0, col=0, colspan=columns, color=self.text_colour)]
        group_of = {h: g for g, heads in enumerate(kv_groups) for h in heads}
        for head in range(n_heads):
            row, col = divmod(head, columns)
            cell = self.ci.addLayout(row=1 + row, col=col)
            name = f"head {head} · kv {group_of.get(head, head)}"
            self.labels.append(cell.addLabel(name, row=0, col=0, size="8pt", color=self.text_colour))
            view = cell.addViewBox(row=1, col=0, invertY=True, enableMouse=False)
            view.setMenuEnabled(False)
            image = pg.ImageItem(axisOrder="row-major")
            image.setTransform(CELL_CENTRED)
            view.addItem(image)
            view.head_image = image
            self.views.append(view)
        self._paint()

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the background, and the title and head names shown now and later."""
        self.setBackground(background)
        self.text_colour = foreground
        for label in self.labels:
            label.setText(label.text, color=foreground)  # a LabelItem takes a new colour only with its text

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self._paint()

    def set_scale(self, scale: str) -> None:
        self.scale = scale
        if self.maps is not None:
            self.pixels = encode(self.maps, visible_of(self.pixels), scale)
        self._paint()

    def _paint(self) -> None:
        if self.pixels is None:
            return
        lut = lookup_table(self.colormap)
        for head, view in enumerate(self.views):
            view.head_image.setImage(self.pixels[head], autoLevels=False, levels=(0, 255), lut=lut)

    def _on_click(self, event) -> None:
        for head, view in enumerate(self.views):
            if view.sceneBoundingRect().contains(event.scenePos()):
                self.head_clicked.emit(head)
                return
