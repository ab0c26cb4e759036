"""One head's queries and keys as points of one 2-D scatter: circles for queries, triangles for keys.

Numpy and plain data only. Colours by kind (AttentionViz's two colours), by position (viridis, early to late) or
by token (the same token, the same colour). Hovering a point reads out its kind, position and token; clicking
one emits it, and it is ringed until another is chosen. Coordinates that are not finite are refused.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from explorer.core.display import display_label
from explorer.gui.i18n import tr
from explorer.gui.widgets.pointer_readout import PointerReadout

COLOURINGS = ("kind", "position", "token")
KIND_COLOURS = {"query": "#1b9e77", "key": "#d95f02"}
SYMBOLS = {"query": "o", "key": "t1"}  # t1: a triangle pointing up
POINT_SIZE = 9
PICK_PIXELS = 8.0  # a click or hover within this many pixels of a point takes it
LABELLED_POINTS = 60  # up to this many points, each carries its token; beyond, hover names them
# Tableau's 10 categorical colours and their light partners (matplotlib's tab20): distinct tokens, distinct colours.
TOKEN_PALETTE = (
    "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5",
    "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5",
)  # fmt: skip


def kind_labels() -> dict[str, str]:
    return {"query": tr("query"), "key": tr("key")}


def point_colours(kinds: list[str], positions: np.ndarray, tokens: list[str], colour_by: str) -> list[str]:
    """Each point's colour as '#rrggbb'."""
    if colour_by == "kind":
        return [KIND_COLOURS[kind] for kind in kinds]
    if colour_by == "position":
        last = max(1, int(positions.max()))
        table = pg.colormap.get("viridis").getLookupTable(nPts=256, alpha=False)  # (256, 3) uint8
        return [pg.mkColor(*table[int(round(255 * p / last))]).name() for p in positions]
    order: dict[str, int] = {}
    for token in tokens:
        order.setdefault(token, len(order))
    return [TOKEN_PALETTE[order[token] % len(TOKEN_PALETTE)] for token in tokens]


class QKScatter(PointerReadout, pg.PlotWidget):
    hovered = Signal(str)  # 'query 3 "cat"', or "" away from every point
    point_clicked = Signal(str, int)  # kind ("query" or "key"), position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.coords: np.ndarray | None = None
        self.kinds: list[str] = []
        self.positions = np.zeros(0, dtype=int)
        self.tokens: list[str] = []
        self.text_ids: list[str] | None = None  # a pooled scatter's text of each point
        self.colour_by = "kind"
        self.colours: list[str] = []
        self.chosen: int | None = None  # the index of the ringed point
        self.labels: list[pg.TextItem] = []
        self.foreground = "#404040"
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setAspectLocked(False)
        self.points = pg.ScatterPlotItem(pxMode=True)
        self.ring = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 9, brush=None, pen=pg.mkPen("#e0115f", width=2))
        self.addItem(self.points)
        self.addItem(self.ring)
        self.legend = plot.addLegend(offset=(8, 8))
        self.track_pointer()
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def show_points(self, coords, kinds: list[str], positions, tokens: list[str], colour_by: str = "kind",
                    title: str = "", axis: str = "", text_ids: list[str] | None = None) -> None:  # fmt: skip
        """coords (P, 2); kinds, positions, tokens: one per point; axis: the method's name for the axis titles;
        text_ids: a pooled scatter's text of each point, which hover names."""
        coords = np.asarray(coords, dtype=np.float64)
        positions = np.asarray(positions, dtype=int)
        if coords.ndim != 2 or coords.shape[1] != 2 or not len(coords):
            raise ValueError(f"coords: shape {list(coords.shape)} is not (P, 2)")
        if not (len(kinds) == len(positions) == len(tokens) == len(coords)):
            raise ValueError(f"points: {len(coords)} coordinates for {len(kinds)} kinds and {len(tokens)} tokens")
        if set(kinds) - set(SYMBOLS):
            raise ValueError(f"kinds: {sorted(set(kinds) - set(SYMBOLS))} are not query or key")
        if not np.isfinite(coords).all():
            raise ValueError(tr("coords: some coordinates are not finite; the projection is not shown"))
        if colour_by not in COLOURINGS:
            raise ValueError(f"colour_by: {colour_by!r} is not one of {', '.join(COLOURINGS)}")
        if text_ids is not None and len(text_ids) != len(coords):
            raise ValueError(f"text_ids: {len(text_ids)} for {len(coords)} points")
        self.coords, self.kinds, self.positions, self.tokens = coords, list(kinds), positions, list(tokens)
        self.text_ids = None if text_ids is None else list(text_ids)
        self.chosen = None
        self.ring.setData([], [])
        self.set_colour_by(colour_by)
        self.setTitle(title)
        plot = self.getPlotItem()
        plot.setLabel("bottom", f"{axis} 1" if axis else "")
        plot.setLabel("left", f"{axis} 2" if axis else "")
        plot.enableAutoRange()
        self.refresh_readout()

    def set_colour_by(self, colour_by: str) -> None:
        if colour_by not in COLOURINGS:
            raise ValueError(f"colour_by: {colour_by!r} is not one of {', '.join(COLOURINGS)}")
        self.colour_by = colour_by
        if self.coords is None:
            return
        self.colours = point_colours(self.kinds, self.positions, self.tokens, colour_by)
        spots = [
            {"pos": tuple(xy), "symbol": SYMBOLS[kind], "brush": pg.mkBrush(colour), "pen": None, "size": POINT_SIZE}
            for xy, kind, colour in zip(self.coords, self.kinds, self.colours)
        ]
        self.points.setData(spots)
        self._fill_legend()
        self._label_points()

    def _label_points(self) -> None:
        for item in self.labels:
            self.removeItem(item)
        self.labels = []
        if self.coords is None or len(self.coords) > LABELLED_POINTS:
            return
        for (x, y), token in zip(self.coords, self.tokens):
            item = pg.TextItem(display_label(token), color=self.foreground, anchor=(0, 1))
            item.setPos(float(x), float(y))
            self.addItem(item)
            self.labels.append(item)

    def _fill_legend(self) -> None:
        self.legend.clear()
        labels = kind_labels()
        for kind in ("query", "key"):
            colour = KIND_COLOURS[kind] if self.colour_by == "kind" else "#888888"
            sample = pg.ScatterPlotItem(symbol=SYMBOLS[kind], brush=pg.mkBrush(colour), pen=None, size=POINT_SIZE)
            self.legend.addItem(sample, labels[kind])

    def clear_points(self, message: str = "") -> None:
        self.coords, self.kinds, self.tokens, self.chosen, self.text_ids = None, [], [], None, None
        self.positions = np.zeros(0, dtype=int)
        self.points.setData([])
        self.ring.setData([], [])
        self.legend.clear()
        self._label_points()
        self.setTitle(message)
        self.refresh_readout()

    def choose(self, index: int | None) -> None:
        """Ring one point (by index into the points), or none."""
        if index is None or self.coords is None or not 0 <= index < len(self.coords):
            self.chosen = None
            self.ring.setData([], [])
            return
        self.chosen = int(index)
        self.ring.setData([self.coords[index, 0]], [self.coords[index, 1]], symbol=SYMBOLS[self.kinds[index]])

    def point_at(self, scene_pos) -> int | None:
        """The index of the point nearest the scene position, if within PICK_PIXELS of it."""
        if self.coords is None:
            return None
        view = self.getPlotItem().vb
        pixel = view.viewPixelSize()  # (x, y) view units per pixel
        pointer = view.mapSceneToView(scene_pos)
        dx = (self.coords[:, 0] - pointer.x()) / max(pixel[0], 1e-300)
        dy = (self.coords[:, 1] - pointer.y()) / max(pixel[1], 1e-300)
        distance = np.hypot(dx, dy)
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= PICK_PIXELS else None

    def describe(self, index: int) -> str:
        kind = kind_labels()[self.kinds[index]]
        point = f'{kind} {self.positions[index]} "{display_label(self.tokens[index])}"'
        if self.text_ids is None:
            return point
        return tr("text {id}: {point}").format(id=self.text_ids[index], point=point)

    def readout_at(self, scene_pos) -> str:
        index = self.point_at(scene_pos)
        return "" if index is None else self.describe(index)

    def _on_mouse_clicked(self, event) -> None:
        index = self.point_at(event.scenePos())
        if index is not None:
            self.choose(index)
            self.point_clicked.emit(self.kinds[index], int(self.positions[index]))

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        self.foreground = foreground
        self._label_points()
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)
