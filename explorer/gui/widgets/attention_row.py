"""One query's attention over the keys it reads, as bars: a generated token's row over every earlier token.

Numpy and plain data only. A row must be finite, non-negative and sum to 1 over its visible keys (as a softmax
row does): anything else is refused with a ValueError, never drawn. Keys the mask hides are drawn as grey ticks
at 0, so a window mask's blind spots are visible as such, not as weights of zero.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from explorer.core.display import MASKED_RGB, display_label
from explorer.gui.i18n import tr
from explorer.gui.widgets.pointer_readout import PointerReadout
from explorer.gui.widgets.token_axis import TokenAxis

ROW_SUM_TOLERANCE = 1e-3  # float32 softmax rows sum to 1 within ~1e-6; anything near 1e-3 off is not a row
BAR_WIDTH = 0.8


def checked_row(values: np.ndarray, visible: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(values float64 (N,), visible bool (N,)), or a ValueError saying why the row cannot be shown."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"row: needs one non-empty row of attention, got shape {list(values.shape)}")
    visible = np.ones(values.shape, dtype=bool) if visible is None else np.asarray(visible, dtype=bool)
    if visible.shape != values.shape:
        raise ValueError(f"visible: shape {list(visible.shape)} does not match the row {list(values.shape)}")
    if not np.all(np.isfinite(values)):
        raise ValueError(tr("row: holds values that are not finite; it is not shown"))
    if np.any(values < 0) or abs(values[visible].sum() - 1.0) > ROW_SUM_TOLERANCE:
        total = float(values[visible].sum())
        raise ValueError(tr("row: its weights sum to {total:.6f}, not 1; it is not shown").format(total=total))
    return values, visible


class AttentionRowPlot(PointerReadout, pg.PlotWidget):
    """Bars of one row: the keys along the bottom with their token labels, the weights up the side."""

    hovered = Signal(str)  # 'k 3 "cat": 0.1234', or "" off the bars

    def __init__(self, parent=None):
        self.key_axis = TokenAxis("bottom", rotate=True)
        super().__init__(parent, axisItems={"bottom": self.key_axis})
        self.values: np.ndarray | None = None
        self.visible: np.ndarray | None = None
        self.tokens: list[str] = []
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=True, y=False)
        plot.setLabel("left", tr("attention"))
        plot.getAxis("left").enableAutoSIPrefix(False)  # weights read as 0.4, never as "400 (×0.001)"
        self.title = tr("attention row")
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush="#3b78b4", pen=None)
        self.masked = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=pg.mkColor(*MASKED_RGB), pen=None)
        self.addItem(self.bars)
        self.addItem(self.masked)
        self.track_pointer()

    def show_row(self, values, tokens: list[str], title: str = "", visible=None) -> None:
        """values (N,): one query's weights over N keys; tokens: the N keys' labels; visible: the mask's keys."""
        values, visible = checked_row(values, visible)
        if len(tokens) != values.size:
            raise ValueError(f"tokens: {len(tokens)} labels for a row of {values.size} keys")
        self.values, self.visible, self.tokens = values, visible, list(tokens)
        positions = np.arange(values.size, dtype=float)
        self.bars.setOpts(x=positions[visible], height=values[visible], width=BAR_WIDTH)
        # Hidden keys: a thin grey stub, so "the mask hides it" reads differently from "it gets nothing".
        stub = max(float(values.max()), 1e-9) * 0.02
        self.masked.setOpts(x=positions[~visible], height=np.full((~visible).sum(), stub))
        self.key_axis.set_labels(self.tokens)
        self.setTitle(title or self.title)
        self.setXRange(-0.5, values.size - 0.5, padding=0)
        self.setYRange(0.0, max(float(values.max()), 1e-6) * 1.05, padding=0)
        self.refresh_readout()  # a still pointer reads this row's value, never the previous step's

    def clear_row(self, message: str = "") -> None:
        self.values = self.visible = None
        self.tokens = []
        self.bars.setOpts(x=[], height=[])
        self.masked.setOpts(x=[], height=[])
        self.key_axis.set_labels([])
        self.setTitle(message)
        self.refresh_readout()

    def apply_colours(self, background: str, foreground: str) -> None:
        self.setBackground(background)
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)

    def describe_key(self, key: int) -> str:
        if self.values is None or not 0 <= key < self.values.size:
            return ""
        label = display_label(self.tokens[key])
        if not self.visible[key]:
            return tr('k {key} "{token}": hidden by the mask').format(key=key, token=label)
        return f'k {key} "{label}": {self.values[key]:.4f}'

    def readout_at(self, scene_pos) -> str:
        if self.values is None:
            return ""
        point = self.getPlotItem().vb.mapSceneToView(scene_pos)
        return self.describe_key(int(round(point.x())))
