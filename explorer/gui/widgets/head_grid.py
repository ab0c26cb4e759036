"""All heads of one layer side by side, in small multiples; clicking one opens it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal

from explorer.core.display import SCALE_LEVELS, SCALES, encode, visible_of
from explorer.gui.i18n import tr
from explorer.gui.widgets.colour_bar import colour_bar
from explorer.gui.widgets.focus_frame import FocusFrame
from explorer.gui.widgets.heatmap import CELL_CENTRED, DIMMED_OPACITY, colour_axes, lookup_table
from explorer.gui.widgets.token_axis import TokenAxis

# Room the grid's frame takes, roughly: query labels and colour bar across, title, key labels and names down.
FRAME_ACROSS, FRAME_DOWN, NAME_HEIGHT = 150, 100, 18


def best_columns(n_heads: int, width: float, height: float) -> int:
    """How many panels per row give the largest square panels in this much room (ties: the squarer grid)."""

    def side(columns: int) -> float:
        rows = math.ceil(n_heads / columns)
        return min((width - FRAME_ACROSS) / columns, (height - FRAME_DOWN - rows * NAME_HEIGHT) / rows)

    square = math.ceil(math.sqrt(n_heads))
    return max(range(1, n_heads + 1), key=lambda c: (round(side(c)), -abs(c - square)))


class HeadGridFigure(FocusFrame, pg.GraphicsLayoutWidget):
    """Small multiples: one panel per head with square cells, token labels on the outer axes only (queries
    left of the first column, keys above the first row) and one colour bar shared by every panel.

    Each panel is anchored at its top-left corner and keeps its cells square, so the outer labels sit right
    against the cells whatever the window's shape.
    """

    head_clicked = Signal(int)

    def __init__(self, parent=None, colormap: str = "viridis", scale: str = "linear"):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.colormap, self.scale = colormap, scale
        self.maps: np.ndarray | None = None  # float32 (H, N, N)
        self.pixels: np.ndarray | None = None  # uint8 (H, N, N) on the current scale; 255 = masked
        self.kv_groups: list[list[int]] = []
        self.tokens: list[str] = []
        self.views: list[pg.ViewBox] = []
        self.labels: list[pg.LabelItem] = []  # the title and one name per head, recoloured by apply_colours
        self.axes: list[TokenAxis] = []  # query axes down the left, key axes along the top
        self.bar: pg.ColorBarItem | None = None
        self.text_colour = "#000000"
        self._dimmed = False
        self._title = ""
        self.columns = 0
        self._relayout = QTimer(self, singleShot=True, interval=120)  # once a resize settles, not at every step
        self._relayout.timeout.connect(self._fit_columns)
        self.scene().sigMouseClicked.connect(self._on_click)

    def show_maps(
        self,
        maps: np.ndarray,
        pixels: np.ndarray,
        kv_groups: list[list[int]],
        title: str = "",
        tokens: list[str] | None = None,
    ) -> None:
        """maps: (H, N, N) and their encoding (display.encode); each panel names its head and KV head.
        tokens label the outer axes (none when not given)."""
        self.maps, self.pixels, self.kv_groups, self._title = maps, pixels, kv_groups, title
        self.tokens = list(tokens or [])
        self._layout(best_columns(maps.shape[0], self.width(), self.height()))

    def _layout(self, columns: int) -> None:
        self.ci.clear()
        self.views, self.axes = [], []
        maps, kv_groups, title = self.maps, self.kv_groups, self._title
        n_heads = maps.shape[0]
        self.columns, rows = columns, math.ceil(n_heads / columns)
        self.labels = [self.ci.addLabel(title, row=0, col=0, colspan=columns + 2, color=self.text_colour)]
        group_of = {h: g for g, heads in enumerate(kv_groups) for h in heads}
        for head in range(n_heads):
            row, col = divmod(head, columns)
            view = self.ci.addViewBox(row=2 + 2 * row, col=1 + col, invertY=True, enableMouse=False)
            view.setMenuEnabled(False)
            image = pg.ImageItem(axisOrder="row-major")
            image.setTransform(CELL_CENTRED)
            view.addItem(image)
            view.head_image = image
            view.sigResized.connect(self._fit)
            self.views.append(view)
            name = tr("head {head} · kv {kv}").format(head=head, kv=group_of.get(head, head))
            label = self.ci.addLabel(
                name, row=3 + 2 * row, col=1 + col, size="8pt", color=self.text_colour, justify="left"
            )
            self.labels.append(label)
            self.ci.layout.setRowMaximumHeight(3 + 2 * row, 18)  # names take a line; the panels take the rest
        self._add_axes(columns, rows)
        self.bar = colour_bar(SCALE_LEVELS[self.scale], pg.colormap.get(self.colormap), 12)
        self.bar.axis.setLabel(tr(SCALES[self.scale]))  # the text menus.scale_label marks for translation
        colour_axes((self.bar.axis,), self.text_colour)
        self.ci.addItem(self.bar, row=2, col=columns + 1, rowspan=2 * rows)
        self._paint()
        for view in self.views:
            self._fit(view)

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if getattr(self, "maps", None) is not None:  # the base class resizes before __init__ is done
            self._relayout.start()

    def _fit_columns(self) -> None:
        """A window of another shape may want another number of panels per row."""
        columns = best_columns(self.maps.shape[0], self.width(), self.height())
        if columns != self.columns:
            self._layout(columns)

    def _add_axes(self, columns: int, rows: int) -> None:
        """Key labels above the first row's panels, query labels left of the first column's."""
        for col in range(min(columns, len(self.views))):
            axis = TokenAxis("top", rotate=True)
            self._attach(axis, self.views[col], row=1, col=1 + col)
        for row in range(rows):
            axis = TokenAxis("left")
            self._attach(axis, self.views[row * columns], row=2 + 2 * row, col=0)

    def _attach(self, axis: TokenAxis, view: pg.ViewBox, row: int, col: int) -> None:
        axis.linkToView(view)
        axis.set_labels(self.tokens)
        colour_axes((axis,), self.text_colour)
        self.ci.addItem(axis, row=row, col=col)
        self.axes.append(axis)

    def _fit(self, view: pg.ViewBox) -> None:
        """Square cells, the matrix at the panel's top-left: the view's range grows to fill the panel."""
        if self.maps is None:
            return
        n = self.maps.shape[-1]
        width, height = view.width(), view.height()
        if width <= 0 or height <= 0:
            return
        cell = min(width, height) / n
        view.setRange(xRange=(-0.5, -0.5 + width / cell), yRange=(-0.5, -0.5 + height / cell), padding=0)

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the background, and the title, names and axes shown now and later."""
        self.setBackground(background)
        self.text_colour = foreground
        for label in self.labels:
            label.setText(label.text, color=foreground)  # a LabelItem takes a new colour only with its text
        colour_axes((*self.axes, *((self.bar.axis,) if self.bar else ())), foreground)

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        if self.bar is not None:
            self.bar.setColorMap(pg.colormap.get(colormap))
        self._paint()

    def set_scale(self, scale: str) -> None:
        self.scale = scale
        if self.maps is not None:
            self.pixels = encode(self.maps, visible_of(self.pixels), scale)
        if self.bar is not None:
            self.bar.axis.setLabel(tr(SCALES[scale]))  # the text menus.scale_label marks for translation
        self._paint()

    def set_dimmed(self, dimmed: bool) -> None:
        """Fade every panel while a newer run is being computed, or show them in full again."""
        self._dimmed = dimmed
        for view in self.views:
            view.head_image.setOpacity(DIMMED_OPACITY if dimmed else 1.0)

    @property
    def dimmed(self) -> bool:
        return self._dimmed

    def _paint(self) -> None:
        if self.pixels is None:
            return
        lut = lookup_table(self.colormap)
        for head, view in enumerate(self.views):
            view.head_image.setImage(self.pixels[head], autoLevels=False, levels=(0, 255), lut=lut)
            view.head_image.setOpacity(DIMMED_OPACITY if self._dimmed else 1.0)
        if self.bar is not None:
            self.bar.setLevels(SCALE_LEVELS[self.scale])

    def _on_click(self, event) -> None:
        for head, view in enumerate(self.views):
            if view.sceneBoundingRect().contains(event.scenePos()):
                self.head_clicked.emit(head)
                return
