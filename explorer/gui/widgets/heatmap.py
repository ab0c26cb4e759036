"""The attention heatmap: queries as rows, keys as columns, token labels, colour bar, masked cells in grey."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPen, QTransform
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.core.display import MASKED_CODE, MASKED_RGB, SCALE_LEVELS, SCALES, encode, visible_of
from explorer.gui.i18n import tr
from explorer.gui.widgets.cell_text import TokenDetails, cell_readout, cell_tooltip
from explorer.gui.widgets.colour_bar import colour_bar
from explorer.gui.widgets.focus_frame import FocusFrame
from explorer.gui.widgets.map_zoom import MapZoom
from explorer.gui.widgets.pointer_readout import PointerReadout
from explorer.gui.widgets.summary_layer import SummaryPicture, reduce_note
from explorer.gui.widgets.token_axis import TokenAxis

CELL_CENTRED = QTransform().translate(-0.5, -0.5)  # cell (i, j) is centred on integer coordinates
DIMMED_OPACITY = 0.35  # a stale map while a new run is computed: still there, plainly not current


def lookup_table(colormap: str) -> np.ndarray:
    """(256, 3) uint8: 255 colours of the colormap for codes 0..254, grey for masked cells (code 255)."""
    table = np.empty((256, 3), dtype=np.uint8)
    table[:MASKED_CODE] = pg.colormap.get(colormap).getLookupTable(nPts=MASKED_CODE, alpha=False)
    table[MASKED_CODE] = MASKED_RGB
    return table


def colour_axes(axes, foreground: str) -> None:
    """Axis lines, ticks and tick labels in the foreground colour (pyqtgraph's default is grey on black)."""
    for axis in axes:
        axis.setPen(foreground)
        axis.setTextPen(foreground)


class HeatmapFigure(MapZoom, FocusFrame, PointerReadout, pg.GraphicsLayoutWidget):
    """One attention map with its labels. Everything a paper figure needs lives in `self.ci`; the selection
    outline and the focus frame are the window's alone.

    Zoom is bounded to the matrix (never out past it, never in below MIN_ZOOM_CELLS cells); double-click,
    Home and Ctrl+0 reset it. Escape clears the selection. Clicking outside the cells, or Tab, gives the map
    keyboard focus without selecting a cell.
    """

    hovered = Signal(str)  # 'q 12 "the" → k 3 "cat": 0.1234', or "" when the pointer leaves
    cell_clicked = Signal(int, int)  # query row, key column
    zoom_reset = Signal()  # the user asked for the whole matrix again
    # A block-summary map was zoomed: (first_row, end_row, first_key, end_key) of the cells now in view, once the
    # view settles. The tool asks the engine for that region and hands it back with show_detail.
    region_wanted = Signal(int, int, int, int)

    def __init__(self, parent=None, colormap: str = "viridis", scale: str = "linear"):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.colormap, self.scale = colormap, scale
        self.matrix: np.ndarray | None = None  # float32 (N, N), as computed by the engine
        self.pixels: np.ndarray | None = None  # uint8 (N, N) on the current scale; 255 = masked
        self.query_tokens: list[str] = []
        self.key_tokens: list[str] = []
        self.queries, self.keys = TokenDetails([]), TokenDetails([])
        self.shape = (0, 0)  # (N_query, N_key): the map's cells, whether drawn one by one or as block summaries
        self.summary: SummaryPicture | None = None  # the whole map as block summaries (a map too long for the screen)
        self.detail_picture: SummaryPicture | None = None  # the zoomed region, finer or cell by cell

        self.title = self.ci.addLabel("", row=0, col=0, colspan=2)
        self.key_axis = TokenAxis("top", rotate=True)
        self.query_axis = TokenAxis("left")
        self.query_axis.setLabel(tr("query"))
        self.key_axis.setLabel(tr("key"))
        self.plot = self.ci.addPlot(row=1, col=0, axisItems={"top": self.key_axis, "left": self.query_axis})
        self.plot.showAxes((True, True, False, False), showValues=(True, True, False, False))
        self.plot.invertY(True)
        self.plot.setDefaultPadding(0.0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getAxis("right").setStyle(tickLength=0)
        self.plot.getAxis("bottom").setStyle(tickLength=0)

        # No auto-downsampling: it would average masked codes into colours. Qt scales the indexed image.
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setTransform(CELL_CENTRED)
        self.plot.addItem(self.image)
        self.detail = pg.ImageItem(axisOrder="row-major")  # over the summary: the zoomed region's own values
        self.detail.setZValue(1)
        self.plot.addItem(self.detail)
        self._region_timer = QTimer(self, singleShot=True, interval=150)  # once a zoom or pan settles
        self._region_timer.timeout.connect(self._ask_region)
        self.plot.getViewBox().sigRangeChanged.connect(self._range_changed)

        self.bar = colour_bar((0.0, 1.0), pg.colormap.get(colormap), 14)
        self._bar_text = tr(SCALES[scale])  # the text menus.scale_label marks for translation
        self.bar.axis.setLabel(self._bar_text)
        self.ci.addItem(self.bar, row=1, col=1)

        pen = QPen(QColor(255, 255, 255, 220), 2)
        pen.setCosmetic(True)
        self.row_mark, self.column_mark = QGraphicsRectItem(), QGraphicsRectItem()
        for mark in (self.row_mark, self.column_mark):
            mark.setPen(pen)
            mark.setZValue(2)
            mark.hide()
            self.plot.addItem(mark, ignoreBounds=True)  # outlines must not widen the auto-fitted range
        self.highlighted: tuple[int, int] | None = None

        self.track_pointer()
        self.scene().sigMouseMoved.connect(self._update_tooltips)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # -- content -------------------------------------------------------------------------------------------
    def show_matrix(
        self,
        matrix: np.ndarray,
        pixels: np.ndarray,
        query_tokens: list[str],
        key_tokens: list[str],
        title: str = "",
        *,
        pieces: list[str] | None = None,
        ids: list[int] | None = None,
        keep_zoom: bool = False,
        edges: tuple[np.ndarray, np.ndarray] | None = None,
        reduce: str = "max",
    ) -> None:
        """matrix: float32 (N_query, N_key) as computed; pixels: its encoding on this figure's scale
        (display.encode), where 255 marks a cell the mask hides. pieces and ids: the tokenizer's raw piece and id
        of each token (a self-attention map: queries and keys are the same tokens), for hover and tooltips.
        keep_zoom: keep the user's zoom (the same text, layer and head in another variant); else the whole
        matrix is shown. edges: (row_edges, col_edges) when matrix holds block summaries of a map too long for the
        screen (explorer.core.summary_pixels), each value the `reduce` ("max" or "mean") of its block."""
        shape = (len(query_tokens), len(key_tokens)) if edges is not None else matrix.shape
        same_shape = self.matrix is not None and self.shape == shape
        self.matrix, self.pixels, self.shape = matrix, pixels, shape
        self.summary = None if edges is None else SummaryPicture(matrix, pixels, *edges, reduce)
        self.detail_picture = None
        self.detail.clear()
        if query_tokens != self.query_tokens or key_tokens != self.key_tokens:
            self.highlighted = None  # a highlighted position means nothing in a different text
            self.row_mark.hide()
            self.column_mark.hide()
            self.query_tokens, self.key_tokens = list(query_tokens), list(key_tokens)
            self.query_axis.set_labels(self.query_tokens)
            self.key_axis.set_labels(self.key_tokens)
        self.queries = TokenDetails(self.query_tokens, pieces, ids)
        same_tokens = self.key_tokens == self.query_tokens
        self.keys = TokenDetails(self.key_tokens, pieces, ids) if same_tokens else TokenDetails(self.key_tokens)
        self.title.setText(title)
        self._paint()
        self.set_bar_label(self._bar_text)
        self._bound_zoom(*shape)
        if not (keep_zoom and same_shape):
            self.reset_zoom(announce=False)
        if self.highlighted is not None:
            self.highlight(*self.highlighted)
        self.refresh_readout()  # the number under a still pointer is this map's, not the previous one's

    @property
    def visible(self) -> np.ndarray | None:
        """bool (N, N): False where the mask hides the key."""
        return None if self.pixels is None else visible_of(self.pixels)

    def clear_map(self) -> None:
        """Show nothing, token axes included. (Not `clear`: GraphicsLayoutWidget binds that name to emptying the
        whole layout.)"""
        self.matrix = self.pixels = self.summary = self.detail_picture = None
        self.shape = (0, 0)
        self.detail.clear()
        self.query_tokens, self.key_tokens = [], []  # the next map sets its own labels, even the same ones again
        self.query_axis.set_labels([])
        self.key_axis.set_labels([])
        self.image.clear()
        self.title.setText("")
        self.refresh_readout()

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette (light or dark): background, every axis, the colour bar, the title."""
        self.setBackground(background)
        axes = (self.key_axis, self.query_axis, self.plot.getAxis("right"), self.plot.getAxis("bottom"), self.bar.axis)
        colour_axes(axes, foreground)
        self.title.setText(self.title.text, color=foreground)  # a LabelItem takes a new colour only with its text

    def set_colormap(self, colormap: str) -> None:
        self.colormap = colormap
        self.bar.setColorMap(pg.colormap.get(colormap))
        self._paint()

    def set_scale(self, scale: str) -> None:
        """Re-encode the map on another scale; the engine is not asked again."""
        self.scale = scale
        self.set_bar_label(tr(SCALES[scale]))  # the text menus.scale_label marks for translation
        if self.matrix is not None:
            self.pixels = encode(self.matrix, self.visible, scale)
        if self.summary is not None:
            self.summary = self.summary.reencoded(scale)
        if self.detail_picture is not None:
            self.detail_picture = self.detail_picture.reencoded(scale)
        self._paint()

    def set_bar_label(self, text: str) -> None:
        """The colour bar's title; a block-summary map adds what each block's colour is (its max or its mean),
        unless the view is zoomed into a region drawn cell by cell: then the pixels are cells, and it says so."""
        self._bar_text = text
        picture = self._picture_in_view()
        label = text if picture is None or picture.exact else f"{text} · {reduce_note(picture.reduce)}"
        if label != self.bar.axis.labelText:
            self.bar.axis.setLabel(label)

    def _picture_in_view(self) -> SummaryPicture | None:
        """The summary whose pixels fill the view: the zoomed detail if it covers the part of the map in view,
        else the whole map's blocks (None for a map drawn cell by cell)."""
        detail = self.detail_picture
        if self.summary is None or detail is None:
            return self.summary
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        n_rows, n_cols = self.shape
        r0, c0 = max(0, int(np.floor(y0 + 0.5))), max(0, int(np.floor(x0 + 0.5)))
        r1, c1 = min(n_rows, int(np.ceil(y1 + 0.5))), min(n_cols, int(np.ceil(x1 + 0.5)))
        inside = detail.row_edges[0] <= r0 and r1 <= detail.row_edges[-1]
        return detail if inside and detail.col_edges[0] <= c0 and c1 <= detail.col_edges[-1] else self.summary

    def show_detail(self, values: np.ndarray, pixels: np.ndarray, row_edges, col_edges, reduce: str) -> None:
        """Draw a zoomed region of a block-summary map over it: finer blocks, or its cells once they fit."""
        if self.summary is None:
            return
        self.detail_picture = SummaryPicture(values, pixels, np.asarray(row_edges), np.asarray(col_edges), reduce)
        self._paint()
        self.set_bar_label(self._bar_text)  # cells now, if the region in view is drawn cell by cell

    def set_dimmed(self, dimmed: bool) -> None:
        """Fade the map while a newer run is being computed (it is stale), or show it in full again."""
        for image in (self.image, self.detail):
            image.setOpacity(DIMMED_OPACITY if dimmed else 1.0)
        self._hide_covered_blocks()

    def _hide_covered_blocks(self) -> None:
        """Faded, the whole map's blocks would show through a zoomed detail that covers the view, in patches:
        they are made transparent while it does (opaque, it hides them anyway)."""
        covered = self.detail_picture is not None and self._picture_in_view() is self.detail_picture
        faded = DIMMED_OPACITY if self.dimmed else 1.0
        # Transparent, not hidden: a hidden item would leave autoRange (Reset zoom) the detail's bounds only.
        self.image.setOpacity(0.0 if self.dimmed and covered else faded)

    @property
    def dimmed(self) -> bool:
        return self.detail.opacity() < 1.0  # the detail's follows set_dimmed alone (the blocks' may be 0 beneath it)

    def _paint(self) -> None:
        if self.pixels is None:
            return
        # uint8 with a 256-entry lookup table and fixed levels: Qt draws it as an indexed image, the cheapest path.
        table = lookup_table(self.colormap)
        self.image.setImage(self.pixels, autoLevels=False, levels=(0, 255), lut=table)
        if self.pixels.size:  # an empty map (a lab before its first step) has no rectangle to place
            self.image.setRect(self.summary.rect if self.summary is not None else QRectF(-0.5, -0.5, *self.shape[::-1]))
        if self.detail_picture is not None:
            self.detail.setImage(self.detail_picture.pixels, autoLevels=False, levels=(0, 255), lut=table)
            self.detail.setRect(self.detail_picture.rect)
        self.bar.setLevels(SCALE_LEVELS[self.scale])
        self._hide_covered_blocks()

    def _range_changed(self, *_args) -> None:
        if self.summary is not None:
            self._region_timer.start()
            self.set_bar_label(self._bar_text)  # zoomed out past the detail: blocks again
            self._hide_covered_blocks()

    def _ask_region(self) -> None:
        """The cells in view, for the tool to fetch finer (or exact) values of; nothing while the whole map shows."""
        if self.summary is None:
            return
        if not self.zoomed:
            self.detail_picture = None
            self.detail.clear()
            self.set_bar_label(self._bar_text)
            return
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        n_rows, n_cols = self.shape
        r0, c0 = max(0, int(np.floor(y0 + 0.5))), max(0, int(np.floor(x0 + 0.5)))
        r1, c1 = min(n_rows, int(np.ceil(y1 + 0.5))), min(n_cols, int(np.ceil(x1 + 0.5)))
        if r0 < r1 and c0 < c1:
            self.region_wanted.emit(r0, r1, c0, c1)

    # -- interaction ---------------------------------------------------------------------------------------
    def highlight(self, row: int | None, column: int | None = None) -> None:
        """Outline one query row and one key column (a token clicked in the strip: both the same index)."""
        if row is None or self.matrix is None:
            self.highlighted = None
            self.row_mark.hide()
            self.column_mark.hide()
            return
        column = row if column is None else column
        n_rows, n_cols = self.shape
        row, column = min(row, n_rows - 1), min(column, n_cols - 1)
        self.highlighted = (row, column)
        self.row_mark.setRect(QRectF(-0.5, row - 0.5, n_cols, 1))
        self.column_mark.setRect(QRectF(column - 0.5, -0.5, 1, n_rows))
        self.row_mark.show()
        self.column_mark.show()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Escape clears the selection; Ctrl+0 resets the zoom, and so does Home while zoomed (else Home is
        left to whoever steps through heads). True when the key was used."""
        key, modifiers = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key == Qt.Key_Escape and self.highlighted is not None:
            self.highlight(None)
            return True
        if key == Qt.Key_0 and modifiers == Qt.ControlModifier:
            self.reset_zoom()
            return True
        if key == Qt.Key_Home and modifiers == Qt.NoModifier and self.zoomed:
            self.reset_zoom()
            return True
        return False

    def keyPressEvent(self, event):  # noqa: N802
        if self.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.matrix is None or not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, column = int(round(point.y())), int(round(point.x()))
        n_rows, n_cols = self.shape
        if 0 <= row < n_rows and 0 <= column < n_cols:
            return row, column
        return None

    def _picture(self, row: int, column: int) -> SummaryPicture | None:
        """The block summary drawn at a cell (the zoomed detail first), or None where cells are drawn one by one."""
        if self.detail_picture is not None and self.detail_picture.covers(row, column):
            return self.detail_picture
        return self.summary

    def _value(self, row: int, column: int) -> float | None:
        picture = self._picture(row, column)
        if picture is not None:
            return picture.value(row, column)
        return None if self.pixels[row, column] == MASKED_CODE else float(self.matrix[row, column])

    def describe_cell(self, row: int, column: int) -> str:
        """The hover readout: `q 12 "the" → k 3 "cat": 0.1234` for a cell, or a block summary's rows, keys and value."""
        picture = self._picture(row, column)
        block = None if picture is None else picture.describe(row, column)
        return block or cell_readout(self.queries, self.keys, row, column, self._value(row, column))

    def readout_at(self, scene_pos: QPointF) -> str:
        cell = self.cell_at(scene_pos)
        return "" if cell is None else self.describe_cell(*cell)

    def _update_tooltips(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is not None:  # the tooltip follows the pointer; Qt shows it after the usual pause
            picture = self._picture(*cell)
            block = None if picture is None else picture.describe(*cell)
            tip = block or cell_tooltip(self.queries, self.keys, *cell, self._value(*cell))
            self.image.setToolTip(tip)
            self.detail.setToolTip(tip)
        for axis, details, role in ((self.query_axis, self.queries, "query"), (self.key_axis, self.keys, "key")):
            index = axis.index_at(scene_pos)
            axis.setToolTip("" if index is None or index >= len(details) else details.tooltip(index, tr(role)))

    def _on_mouse_clicked(self, event) -> None:
        if event.double():
            if self.plot.getViewBox().sceneBoundingRect().contains(event.scenePos()):
                self.reset_zoom()
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.highlight(*cell)
            self.cell_clicked.emit(*cell)
