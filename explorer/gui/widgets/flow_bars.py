"""Attention flow into one query as bars: each input token's maximum flow, the query's own bar marked.

Numpy and plain data only. NaN marks an input no query reads (a pad behind the padding mask): it gets a grey stub,
not a bar of 0. Any other value must be finite and within [0, 1 + tolerance] (a flow never exceeds the query's
inflow of 1): anything else is refused with a ValueError, never drawn.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from explorer.core.display import MASKED_RGB, display_label
from explorer.gui.i18n import tr
from explorer.gui.widgets.pointer_readout import PointerReadout
from explorer.gui.widgets.token_axis import TokenAxis

FLOW_TOLERANCE = 1e-4  # flows are rounded to 2⁻²⁴ per edge; past 1 by more than this is not a flow
BAR_WIDTH = 0.8
BAR_COLOUR = "#3b78b4"
QUERY_COLOUR = "#e8892c"


def checked_flow(values, query: int) -> np.ndarray:
    """values as float64 (N,), or a ValueError saying why they cannot be shown."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"flow: needs one non-empty row of values, got shape {list(values.shape)}")
    if not 0 <= query < values.size or np.isnan(values[query]):
        raise ValueError(f"query: {query} is not an unmasked position of {values.size}")
    shown = values[~np.isnan(values)]
    if not np.all(np.isfinite(shown)) or np.any(shown < 0) or np.any(shown > 1 + FLOW_TOLERANCE):
        raise ValueError(tr("flow: holds values that are not finite or not within 0..1; it is not shown"))
    return values


class FlowBars(PointerReadout, pg.PlotWidget):
    """Bars over the input tokens: how much of each can flow into the query at the last layer."""

    hovered = Signal(str)  # '3 "cat" → 7: 0.4321', or "" off the bars
    position_clicked = Signal(int)  # the input position under a click

    def __init__(self, parent=None):
        self.token_axis = TokenAxis("bottom", rotate=True)
        super().__init__(parent, axisItems={"bottom": self.token_axis})
        self.values: np.ndarray | None = None
        self.tokens: list[str] = []
        self.query = 0
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=True, y=False)
        plot.setLabel("left", tr("max flow"))
        plot.getAxis("left").enableAutoSIPrefix(False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brushes=[], pen=None)
        self.masked = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=pg.mkColor(*MASKED_RGB), pen=None)
        self.addItem(self.bars)
        self.addItem(self.masked)
        self.track_pointer()
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def show_flow(self, values, tokens: list[str], query: int, title: str = "") -> None:
        """values (N,): each input token's flow into the query (NaN where no query reads it); tokens: N labels."""
        values = checked_flow(values, query)
        if len(tokens) != values.size:
            raise ValueError(f"tokens: {len(tokens)} labels for {values.size} values")
        self.values, self.tokens, self.query = values, list(tokens), int(query)
        positions = np.arange(values.size, dtype=float)
        shown = ~np.isnan(values)
        brushes = [pg.mkBrush(QUERY_COLOUR if i == query else BAR_COLOUR) for i in np.flatnonzero(shown)]
        self.bars.setOpts(x=positions[shown], height=values[shown], width=BAR_WIDTH, brushes=brushes)
        self.masked.setOpts(x=positions[~shown], height=np.full(int((~shown).sum()), 0.02))
        self.token_axis.set_labels(self.tokens)
        default = tr('flow into {query} "{token}"').format(query=query, token=display_label(tokens[query]))
        self.setTitle(title or default)
        self.setXRange(-0.5, values.size - 0.5, padding=0)
        self.setYRange(0.0, 1.05, padding=0)
        self.refresh_readout()  # a still pointer reads these bars' value, never the previous query's

    def show_message(self, message: str) -> None:
        """No bars, only a sentence (e.g. the text is longer than flow's interactive limit)."""
        self.values, self.tokens = None, []
        self.bars.setOpts(x=[], height=[], brushes=[])
        self.masked.setOpts(x=[], height=[])
        self.token_axis.set_labels([])
        self.setTitle(message)
        self.refresh_readout()

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)

    def describe(self, position: int) -> str:
        if self.values is None or not 0 <= position < self.values.size:
            return ""
        label = display_label(self.tokens[position])
        if np.isnan(self.values[position]):
            return tr('{position} "{token}": masked').format(position=position, token=label)
        return f'{position} "{label}" → {self.query}: {self.values[position]:.4f}'

    def _position_at(self, scene_pos) -> int:
        return int(round(self.getPlotItem().vb.mapSceneToView(scene_pos).x()))

    def readout_at(self, scene_pos) -> str:
        return "" if self.values is None else self.describe(self._position_at(scene_pos))

    def _on_mouse_clicked(self, event) -> None:
        if self.values is not None:
            position = self._position_at(event.scenePos())
            if 0 <= position < self.values.size:
                self.position_clicked.emit(position)
