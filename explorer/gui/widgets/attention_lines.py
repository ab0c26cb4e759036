"""Attention as lines, as BertViz's head view draws it: queries on the left, keys on the right, one line per pair.

A line's opacity is its weight; each head is drawn in its own colour (the head chips'). Hovering a token
isolates its lines (a query: its row; a key: its column), clicking pins it, Escape lets go. Lines are drawn
by one item as a few QPainterPaths, one per head and per opacity step (the weight on 0..255), never one item
per line, so 2,048 tokens stay smooth; the pairs below the threshold were never handed over (explorer.core.lines).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.core.display import display_label
from explorer.core.lines import HeadLines, count_text_numbers, isolate, opacity_codes
from explorer.gui.i18n import tr
from explorer.gui.widgets.focus_frame import FocusFrame
from explorer.gui.widgets.head_chips import HeadChips, head_qcolour
from explorer.gui.widgets.heatmap import DIMMED_OPACITY, colour_axes
from explorer.gui.widgets.pointer_readout import PointerReadout
from explorer.gui.widgets.token_axis import TokenAxis

ROW_GAP = 2  # pixels between two token labels: long texts scroll rather than squeeze or thin their labels
# One pixel, cosmetic: Qt strokes such a pen with its fast cosmetic stroker. A wider translucent pen is
# outlined as one polygon per path first, and 10,000 crossing lines then took seconds instead of 80 ms.
LINE_PIXELS = 1.0
EDGE = 0.2  # pointer within this of a column (in view units, columns at x = 0 and 1) is over its tokens
SCROLL_ROWS = 3  # rows per wheel step


class LinesItem(pg.GraphicsObject):
    """Every line shown, as (pen, path) strokes: one per head and opacity step."""

    def __init__(self):
        super().__init__()
        self.strokes: list[tuple[QPen, QPainterPath]] = []
        self.drawn: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # head -> rows, cols, alpha codes
        self.n_tokens = 0

    def set_lines(self, lines: list[HeadLines], n_tokens: int, window: tuple[float, float]) -> None:
        """window: the rows in view (low, high); a line that never crosses them is not handed to Qt at all."""
        self.prepareGeometryChange()
        self.n_tokens, self.strokes, self.drawn = n_tokens, [], {}
        for head_lines in lines:
            low, high = window
            crossing = (np.minimum(head_lines.rows, head_lines.cols) <= high) & (
                np.maximum(head_lines.rows, head_lines.cols) >= low
            )
            codes = opacity_codes(head_lines.weights[crossing])
            order = np.argsort(codes, kind="stable")  # faint first, so strong lines lie on top
            rows, cols, codes = head_lines.rows[crossing][order], head_lines.cols[crossing][order], codes[order]
            self.drawn[head_lines.head] = (rows, cols, codes)
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, int)
            for start, end in zip(starts, [*starts[1:], len(codes)]):
                if codes[start] == 0:
                    continue  # a weight under 1/510 rounds to no opacity at all: nothing to stroke
                pen = QPen(head_qcolour(head_lines.head, int(codes[start])), LINE_PIXELS)
                pen.setCosmetic(True)
                self.strokes.append((pen, self._path(rows[start:end], cols[start:end])))
        self.update()

    @staticmethod
    def _path(rows: np.ndarray, cols: np.ndarray) -> QPainterPath:
        x = np.tile(np.array([0.0, 1.0]), len(rows))  # (2L,): query end on the left, key end on the right
        y = np.empty(2 * len(rows))
        y[0::2], y[1::2] = rows, cols
        return pg.arrayToQPath(x, y, connect="pairs")

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0.0, -0.5, 1.0, max(self.n_tokens, 1))

    def paint(self, painter: QPainter, *args) -> None:
        painter.setRenderHint(QPainter.Antialiasing, True)
        for pen, path in self.strokes:
            painter.setPen(pen)
            painter.drawPath(path)


class ScrollingViewBox(pg.ViewBox):
    """The wheel scrolls the token columns up and down; it never zooms."""

    def wheelEvent(self, event, axis=None):  # noqa: N802
        low, high = self.viewRange()[1]
        rows = -np.sign(event.delta()) * SCROLL_ROWS
        self.setYRange(low + rows, high + rows, padding=0)
        event.accept()


class LinesCanvas(FocusFrame, PointerReadout, pg.GraphicsLayoutWidget):
    """The drawing: title, the query column (left axis), the lines, the key column (right axis)."""

    hovered = Signal(str)

    def __init__(self, owner: AttentionLinesFigure):
        super().__init__()
        self.owner = owner
        self.setFocusPolicy(Qt.StrongFocus)
        self.title = self.ci.addLabel("", row=0, col=0)
        self.query_axis, self.key_axis = TokenAxis("left"), TokenAxis("right")
        self.query_axis.setLabel(tr("query"))
        self.key_axis.setLabel(tr("key"))
        self.view = ScrollingViewBox()
        self.plot = self.ci.addPlot(
            row=1, col=0, viewBox=self.view, axisItems={"left": self.query_axis, "right": self.key_axis}
        )
        self.plot.showAxes((True, False, True, False), showValues=(True, False, True, False))
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.view.setMouseEnabled(x=False, y=True)
        self.view.setXRange(-0.01, 1.01, padding=0)
        self.lines = LinesItem()
        self.plot.addItem(self.lines)
        self.mark = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=1.5), brush=pg.mkBrush(255, 80, 80))
        self.plot.addItem(self.mark, ignoreBounds=True)
        self.view.sigResized.connect(lambda _view: owner.fit_rows())
        self.view.sigYRangeChanged.connect(lambda _view, _range: owner.scrolled())
        self.track_pointer()
        self.scene().sigMouseClicked.connect(self._clicked)

    def token_at(self, scene_pos: QPointF) -> tuple[str, int] | None:
        """("query", i) over the left column or its labels, ("key", j) over the right, else None."""
        for side, axis in (("query", self.query_axis), ("key", self.key_axis)):
            index = axis.index_at(scene_pos)
            if index is not None:
                return side, index
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        index = int(round(point.y()))
        if not 0 <= index < self.owner.n_tokens:
            return None
        if point.x() < EDGE:
            return "query", index
        if point.x() > 1.0 - EDGE:
            return "key", index
        return None

    def readout_at(self, scene_pos: QPointF) -> str:
        return self.owner.hover(self.token_at(scene_pos))

    def leaveEvent(self, event):  # noqa: N802
        self.owner.hover(None)
        super().leaveEvent(event)

    def _clicked(self, event) -> None:
        token = self.token_at(event.scenePos())
        self.owner.select(None if token == self.owner.selected else token)

    def keyPressEvent(self, event: QKeyEvent):  # noqa: N802
        if self.owner.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)


class AttentionLinesFigure(QWidget):
    """The lines view: head chips above, the drawing, and the threshold with how many lines it lets through."""

    heads_changed = Signal(tuple)  # the heads shown, chosen with the chips
    threshold_changed = Signal(float)  # the user asked for another threshold: new lines are needed
    token_selected = Signal(str, int)  # "query"/"key" and the index pinned, or ("", -1) when let go
    hovered = Signal(str)

    bar = None  # no colour bar: opacity is the weight, colour is the head

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tokens: list[str] = []
        self.heads: tuple[HeadLines, ...] = ()
        self.shown: tuple[int, ...] = ()
        self.pairs, self.threshold = 0, 0.0
        self.selected: tuple[str, int] | None = None  # pinned by a click
        self.hovering: tuple[str, int] | None = None
        self.window: list[float] = [0.0, 0.0]  # the rows the drawn lines were culled to
        self.chips = HeadChips()
        self.canvas = LinesCanvas(self)
        self.threshold_box = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=1.0, singleStep=0.01)
        self.threshold_box.setPrefix("≥ ")
        self.threshold_box.setAccessibleName(tr("Line threshold"))
        self.threshold_box.setToolTip(tr("Only pairs whose weight is at least this are drawn as lines"))
        self.threshold_box.setKeyboardTracking(False)  # one new set of lines per value typed, not per digit
        self.count = QLabel(" ")
        self.count.setAccessibleName(tr("Lines drawn"))
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Threshold:")))
        bottom.addWidget(self.threshold_box)
        bottom.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chips)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bottom)
        self.chips.heads_changed.connect(self._chips_changed)
        self.threshold_box.valueChanged.connect(self.threshold_changed.emit)
        self.canvas.hovered.connect(self.hovered.emit)

    @property
    def n_tokens(self) -> int:
        return len(self.tokens)

    # -- content -------------------------------------------------------------------------------------------
    def show_lines(self, tokens, heads, pairs: int, threshold: float, title: str = "", shown=None, minimum=0.0):
        """tokens: the N token labels; heads: HeadLines of every head of the layer (only lines ≥ threshold);
        pairs: visible pairs of one head; shown: the heads to draw (default: as checked); minimum: the lowest
        threshold this length allows (explorer.core.lines.minimum_threshold)."""
        if list(tokens) != self.tokens:
            self.tokens = list(tokens)
            self.selected = self.hovering = None
            self.canvas.query_axis.set_labels(self.tokens)
            self.canvas.key_axis.set_labels(self.tokens)
            self.view_top(0)
        self.heads, self.pairs, self.threshold = tuple(heads), int(pairs), float(threshold)
        self.chips.set_count(len(self.heads))
        if shown is not None:
            self.chips.set_checked(shown)
        self.shown = self.chips.checked()
        self.canvas.title.setText(title)
        blocked = self.threshold_box.blockSignals(True)
        self.threshold_box.setMinimum(minimum)
        tip = tr("Only pairs whose weight is at least this are drawn as lines")
        if minimum > 0:  # a long text: said where the threshold is set, not only in its floor
            most = f"{int(self.n_tokens / minimum):,}"
            tip += "\n" + tr(
                "{n} tokens: lines below {floor} are never drawn (a head then draws at most {most} lines)"
            ).format(n=f"{self.n_tokens:,}", floor=f"{minimum:g}", most=most)
        self.threshold_box.setToolTip(tip)
        self.threshold_box.setValue(threshold)
        self.threshold_box.blockSignals(blocked)
        self.canvas.view.setLimits(yMin=-0.5, yMax=max(self.n_tokens, 1) - 0.5, minYRange=2)
        self.fit_rows()
        self.redraw()
        self.canvas.refresh_readout()

    def set_shown_heads(self, heads) -> None:
        """Draw these heads (a head change): the lines are already here, only the strokes are rebuilt."""
        self.chips.set_checked(heads)
        self.shown = self.chips.checked()
        self.redraw()

    def _chips_changed(self, heads: tuple) -> None:
        self.shown = heads
        self.redraw()
        self.heads_changed.emit(heads)

    def focus(self) -> tuple[str, int] | None:
        """The token whose lines are isolated: the pinned one, else the one under the pointer."""
        return self.selected or self.hovering

    def visible_lines(self) -> list[HeadLines]:
        side, index = self.focus() or (None, None)
        return [isolate(self.heads[h], side, index) for h in self.shown if h < len(self.heads)]

    def redraw(self) -> None:
        lines = self.visible_lines()
        self.window = self.canvas.view.viewRange()[1]
        self.canvas.lines.set_lines(lines, self.n_tokens, (self.window[0] - 1, self.window[1] + 1))
        focus = self.focus()
        self.canvas.mark.setData([] if focus is None else [{"pos": (0.0 if focus[0] == "query" else 1.0, focus[1])}])
        total = self.pairs * len(self.shown)
        drawn = sum(len(self.heads[h]) for h in self.shown if h < len(self.heads))
        numbers = count_text_numbers(drawn, total, self.threshold)
        if self.threshold > 0:
            self.count.setText(tr("{drawn} of {total} lines ≥ {threshold}").format(**numbers))
        else:
            self.count.setText(tr("all {total} lines").format(**numbers))

    def drawn_lines(self) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """What is drawn now, per head: query rows, key columns and opacity codes (0..255)."""
        return self.canvas.lines.drawn

    # -- scrolling ------------------------------------------------------------------------------------------
    def scrolled(self) -> None:
        """Only lines that cross the rows in view are drawn: another window of rows needs its own."""
        if self.canvas.view.viewRange()[1] != self.window:
            self.redraw()

    def rows_fitting(self) -> int:
        """As many rows as there is room for with every label shown (the axis font's line and a gap each)."""
        row = QFontMetricsF(self.canvas.query_axis.font).height() + ROW_GAP
        return max(2, int(self.canvas.view.height() // row))

    def fit_rows(self) -> None:
        """All tokens when they fit, else as many rows as fit from the current top."""
        rows = min(self.rows_fitting(), max(self.n_tokens, 1))
        self.view_top(self.canvas.view.viewRange()[1][0] + 0.5, rows)

    def view_top(self, top: float, rows: int | None = None) -> None:
        rows = rows or min(self.rows_fitting(), max(self.n_tokens, 1))
        top = min(max(top, 0.0), max(self.n_tokens - rows, 0))
        self.canvas.view.setYRange(top - 0.5, top + rows - 0.5, padding=0)

    def follow(self, index: int) -> None:
        """Scroll so the token is in view, centred if it was out of it."""
        low, high = self.canvas.view.viewRange()[1]
        if not low + 0.5 <= index <= high - 0.5:
            rows = int(round(high - low))
            self.view_top(index - rows // 2, rows)

    # -- interaction ----------------------------------------------------------------------------------------
    def hover(self, token: tuple[str, int] | None) -> str:
        """Isolate the token under the pointer (unless one is pinned); the readout line for it."""
        if token != self.hovering:
            self.hovering = token
            if self.selected is None:
                self.redraw()
        return self.describe(token)

    def select(self, token: tuple[str, int] | None) -> None:
        """Pin a token's lines (or let go with None); the view scrolls to it."""
        if token is not None and not (token[0] in ("query", "key") and 0 <= token[1] < self.n_tokens):
            raise ValueError(f"token: {token!r} is not a query or key of the {self.n_tokens} tokens")
        self.selected = token
        if token is not None:
            self.follow(token[1])
        self.redraw()
        self.token_selected.emit(*(token or ("", -1)))

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key_Escape and self.selected is not None:
            self.select(None)
            return True
        return False

    def describe(self, token: tuple[str, int] | None) -> str:
        """'query 7 "it": 12 lines; strongest → key 2 " animal" 0.4120 (head 4)'."""
        if token is None or not self.shown:
            return ""
        side, index = token
        lines = [isolate(self.heads[h], side, index) for h in self.shown if h < len(self.heads)]
        count = sum(len(one) for one in lines)
        name = tr("query") if side == "query" else tr("key")
        text = tr('{side} {index} "{token}": {count} lines').format(
            side=name, index=index, token=display_label(self.tokens[index]), count=f"{count:,}"
        )
        if count:
            best = max((one for one in lines if len(one)), key=lambda one: float(one.weights.max()))
            at = int(np.argmax(best.weights))
            other = int(best.cols[at] if side == "query" else best.rows[at])
            text += tr('; strongest → {other} "{token}" {weight} (head {head})').format(
                other=other, token=display_label(self.tokens[other]), weight=f"{best.weights[at]:.4f}", head=best.head
            )
        return text

    # -- the figure protocol the Maps view shares ----------------------------------------------------------
    def apply_colours(self, background: str, foreground: str) -> None:
        self.canvas.setBackground(background)
        colour_axes((self.canvas.query_axis, self.canvas.key_axis), foreground)
        self.canvas.title.setText(self.canvas.title.text, color=foreground)

    def set_colormap(self, _colormap: str) -> None:
        """Lines are coloured by head, not by a colormap."""

    def set_scale(self, _scale: str) -> None:
        """Opacity is the weight itself, on a linear scale whatever the maps' scale."""

    def set_dimmed(self, dimmed: bool) -> None:
        self.canvas.lines.setOpacity(DIMMED_OPACITY if dimmed else 1.0)

    @property
    def dimmed(self) -> bool:
        return self.canvas.lines.opacity() < 1.0

    def clear_map(self) -> None:
        self.show_lines([], [], 0, self.threshold)
