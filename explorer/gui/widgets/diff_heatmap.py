"""The difference of two maps, B − A: a heatmap on a diverging scale centred on 0, blue below, red above.

The caller gives the diverging lookup table and the pixels encoded on it (explorer/core/diverging.py), with the
symmetric limit, ±max |B − A| over the cells shown, so white is always 0. A cell either run lets its query see
is shown; grey only where both hide it. Non-finite values are refused, never drawn.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.gui.i18n import tr
from explorer.gui.widgets.heatmap import HeatmapFigure


class DiffHeatmap(HeatmapFigure):
    def __init__(self, table: np.ndarray, parent=None):
        """table: (256, 3) uint8, the diverging colours for codes 0..254 (code 127 is 0) and grey for code 255."""
        super().__init__(parent)
        self.table = np.asarray(table, dtype=np.uint8)
        self.limit = 1.0
        colours = self.table[:-1]
        self.bar.setColorMap(pg.ColorMap(np.linspace(0.0, 1.0, len(colours)), colours))
        self.bar.axis.setLabel(tr("B − A (attention)"))
        self.bar.axis.enableAutoSIPrefix(False)  # ticks read 0.05, never 50 with "(x0.001)" in the label

    def show_diff(
        self, diff: np.ndarray, pixels: np.ndarray, limit: float, tokens: list[str], title: str = "", **details
    ) -> None:
        """diff: float32 (N, N) = B − A; pixels: its uint8 codes on the table for [−limit, limit]."""
        diff = np.asarray(diff, dtype=np.float32)
        if not np.isfinite(diff).all() or not np.isfinite(limit) or not limit > 0:
            raise ValueError("diff: the difference map holds values that are not finite")
        self.limit = float(limit)
        self.show_matrix(diff, pixels, tokens, tokens, title, **details)

    def set_colormap(self, colormap: str) -> None:
        """The difference keeps its diverging scale whatever colormap the maps use."""

    def set_scale(self, scale: str) -> None:
        """A difference has one scale: linear, symmetric around 0."""

    def _paint(self) -> None:
        if self.pixels is None:
            return
        self.image.setImage(self.pixels, autoLevels=False, levels=(0, 255), lut=self.table)
        self.bar.setLevels((-self.limit, self.limit))
