"""A map's picture made of block summaries (a map too long to draw cell by cell): where each value sits on the
cell grid, which block a cell falls in, and what the hover readout says about it. Plain numpy, no engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF

from explorer.core.display import MASKED_CODE, encode, visible_of
from explorer.gui.i18n import tr


@dataclass
class SummaryPicture:
    """values float32 (R, C) and their pixels uint8 (R, C) (255: every cell of the block is masked); block (r, c)
    covers rows row_edges[r]..row_edges[r+1]-1 and keys col_edges[c]..col_edges[c+1]-1."""

    values: np.ndarray
    pixels: np.ndarray
    row_edges: np.ndarray
    col_edges: np.ndarray
    reduce: str  # "max" or "mean"

    @property
    def exact(self) -> bool:
        return bool((np.diff(self.row_edges) == 1).all() and (np.diff(self.col_edges) == 1).all())

    @property
    def rect(self) -> QRectF:
        """Where the picture lies on the cell grid (cell (i, j) is centred on (j, i))."""
        r0, r1, c0, c1 = self.row_edges[0], self.row_edges[-1], self.col_edges[0], self.col_edges[-1]
        return QRectF(float(c0) - 0.5, float(r0) - 0.5, float(c1 - c0), float(r1 - r0))

    def covers(self, row: int, column: int) -> bool:
        return self.row_edges[0] <= row < self.row_edges[-1] and self.col_edges[0] <= column < self.col_edges[-1]

    def block(self, row: int, column: int) -> tuple[int, int]:
        r = int(np.searchsorted(self.row_edges, row, side="right")) - 1
        c = int(np.searchsorted(self.col_edges, column, side="right")) - 1
        return r, c

    def value(self, row: int, column: int) -> float | None:
        """The value shown for a cell: its block's (None where the mask hides every cell of it)."""
        r, c = self.block(row, column)
        return None if self.pixels[r, c] == MASKED_CODE else float(self.values[r, c])

    def reencoded(self, scale: str) -> SummaryPicture:
        pixels = encode(self.values, visible_of(self.pixels), scale)
        return SummaryPicture(self.values, pixels, self.row_edges, self.col_edges, self.reduce)

    def describe(self, row: int, column: int) -> str | None:
        """The hover readout of a block that holds more than one cell, or None for a single cell (the caller
        describes it as a cell, with its tokens)."""
        r, c = self.block(row, column)
        rows = int(self.row_edges[r]), int(self.row_edges[r + 1])
        cols = int(self.col_edges[c]), int(self.col_edges[c + 1])
        if rows[1] - rows[0] == 1 and cols[1] - cols[0] == 1:
            return None
        value = self.value(row, column)
        shown = tr("masked") if value is None else f"{value:.4f}"
        what = tr("block maximum") if self.reduce == "max" else tr("block mean")
        return tr("q {r0}–{r1} → k {c0}–{c1}: {what} {value} ({rows} × {cols} cells)").format(
            r0=rows[0], r1=rows[1] - 1, c0=cols[0], c1=cols[1] - 1, what=what, value=shown,
            rows=rows[1] - rows[0], cols=cols[1] - cols[0],
        )  # fmt: skip


def reduce_note(reduce: str) -> str:
    """What a summary's colour bar adds to its title."""
    return tr("maximum of each block") if reduce == "max" else tr("mean of each block")
