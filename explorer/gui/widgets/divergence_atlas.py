"""Per-head divergence of two variants as a layers × heads grid; an infinite KL is a marked cell, never a number.

Finite values are coloured from 0 to the largest finite value. A head whose KL(A‖B) is +inf (B's mask hides a
key that A attends to) is drawn in INFINITE_RGB with a ∞ mark, and its hover says in how many query rows and
what the mean over the other rows is. Clicking a cell opens that head.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.gui.i18n import tr
from explorer.gui.widgets.head_atlas import HeadAtlas, encode_scores
from explorer.gui.widgets.heatmap import lookup_table

INFINITE_RGB = (214, 39, 40)  # red: outside viridis and the other colormaps, and apart from n/a grey


class DivergenceAtlas(HeadAtlas):
    def __init__(self, parent=None, colormap: str = "viridis"):
        super().__init__(parent, colormap)
        self.infinite_rows: np.ndarray | None = None  # (L, H) int
        self.finite_mean: np.ndarray | None = None  # (L, H): the mean over the rows where it is finite
        self.compared_rows = 0
        self.marks: list[pg.TextItem] = []
        self.bar.axis.enableAutoSIPrefix(False)  # divergences read in nats, never scaled by "(x0.001)"
        self.setToolTip(tr("Click a head to show it above"))

    def show_divergence(
        self,
        values: np.ndarray,
        label: str,
        infinite_rows: np.ndarray | None = None,
        finite_mean: np.ndarray | None = None,
        compared_rows: int = 0,
    ) -> None:
        """values: (L, H) float, +inf allowed (KL), NaN = n/a. infinite_rows, finite_mean: (L, H), for +inf."""
        values = np.asarray(values, dtype=np.float64)
        finite = values[np.isfinite(values)]
        high = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        self.infinite_rows, self.finite_mean, self.compared_rows = infinite_rows, finite_mean, compared_rows
        self.show_scores(values, (0.0, high), label)
        self._mark_infinite()

    def _paint(self) -> None:
        if self.values is None:
            return
        shown = np.where(np.isinf(self.values), np.nan, self.values)  # encoded apart below, never as a colour
        rgb = lookup_table(self.colormap)[encode_scores(shown, self.levels)]
        rgb[np.isinf(self.values)] = INFINITE_RGB
        self.image.setImage(rgb, autoLevels=False)

    def _mark_infinite(self) -> None:
        for mark in self.marks:
            self.plot.removeItem(mark)
        self.marks = []
        cells = np.argwhere(np.isinf(self.values))
        if len(cells) > 64:  # a whole grid of ∞ says no more than its colour; the status line says why
            return
        for layer, head in cells:
            mark = pg.TextItem("∞", color=(255, 255, 255), anchor=(0.5, 0.5))
            mark.setPos(float(head), float(layer))
            self.plot.addItem(mark, ignoreBounds=True)
            self.marks.append(mark)

    def clear_scores(self) -> None:
        super().clear_scores()
        for mark in self.marks:
            self.plot.removeItem(mark)
        self.marks = []

    def describe(self, layer: int, head: int) -> str:
        value = self.values[layer, head]
        where = tr("layer {layer} · head {head}").format(layer=layer, head=head)
        if np.isnan(value):
            return where + ": " + tr("n/a")
        if not np.isinf(value):
            return f"{where}: {value:.4g}"
        rows = 0 if self.infinite_rows is None else int(self.infinite_rows[layer, head])
        text = tr("∞ in {rows} of {total} query rows: B's mask hides keys that A attends to").format(
            rows=rows, total=self.compared_rows
        )
        rest = None if self.finite_mean is None else self.finite_mean[layer, head]
        if rest is not None and np.isfinite(rest):
            text += " · " + tr("mean over the other rows {value:.4g}").format(value=rest)
        return f"{where}: {text}"
