"""Views the foundations lab draws and exports: a labelled matrix or a set of curves, as plain checked data.

One description serves the window (explorer/gui/widgets/matrix_plot.py, line_plot.py), the figure renderer
(explorer/export/plot_figure.py) and the data writers, so a file shows exactly what the screen showed. A view
refuses non-finite numbers when it is made: they are never drawn, the caller shows the error instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explorer.core.display import MASKED_CODE
from explorer.core.diverging import diverging_table as _diff_table

SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
STYLES = ("line", "dashed", "points")


def diverging_table() -> np.ndarray:
    """(255, 3) uint8: the two-sided colours for signed quantities (a PE matrix, a bias), blue below zero, white
    at zero, red above: the same RdBu scale as Compare's B − A (explorer/core/diverging.py), without its grey."""
    return _diff_table()[:MASKED_CODE]


def _finite(name: str, values: np.ndarray) -> None:
    if not np.isfinite(values).all():
        bad = int(np.size(values) - np.isfinite(values).sum())
        raise ValueError(f"{name}: {bad} value(s) are not finite (NaN or infinite); nothing is drawn")


@dataclass(frozen=True)
class MatrixView:
    """A float matrix [rows, columns] with what its axes and values mean. Row 0 is drawn at the top."""

    name: str  # a short slug for file names, e.g. "nw-attention"
    title: str
    matrix: np.ndarray
    row_label: str
    column_label: str
    value_label: str
    levels: tuple[float, float] | None = None  # the colour range; None: the data's (symmetric when diverging)
    diverging: bool = False  # a signed quantity: coloured blue–white–red around 0
    row_ticks: tuple[str, ...] = ()  # one label per row, or () for row numbers
    column_ticks: tuple[str, ...] = ()
    square_cells: bool = False  # an image (a patch grid): cells stay square

    def __post_init__(self):
        matrix = np.asarray(self.matrix, dtype=np.float64)
        if matrix.ndim != 2 or 0 in matrix.shape:
            raise ValueError(f"matrix: needs a non-empty [rows, columns] array, got shape {list(matrix.shape)}")
        _finite("matrix", matrix)
        for name, ticks, count in (
            ("row_ticks", self.row_ticks, matrix.shape[0]),
            ("column_ticks", self.column_ticks, matrix.shape[1]),
        ):
            if ticks and len(ticks) != count:
                raise ValueError(f"{name}: {len(ticks)} labels for {count} entries")
        object.__setattr__(self, "matrix", matrix)

    @property
    def color_levels(self) -> tuple[float, float]:
        """The colour bar's range: the given levels, else the data's, made symmetric about 0 when diverging."""
        if self.levels is not None:
            return self.levels
        low, high = float(self.matrix.min()), float(self.matrix.max())
        if self.diverging:
            reach = max(abs(low), abs(high)) or 1.0
            return -reach, reach
        return (low, high) if high > low else (low - 0.5, high + 0.5)

    def row_names(self) -> list[str]:
        return list(self.row_ticks) or [str(i) for i in range(self.matrix.shape[0])]

    def column_names(self) -> list[str]:
        return list(self.column_ticks) or [str(j) for j in range(self.matrix.shape[1])]


@dataclass(frozen=True)
class Series:
    """One curve or set of points: y against x."""

    name: str
    x: np.ndarray
    y: np.ndarray
    style: str = "line"  # line, dashed or points

    def __post_init__(self):
        x, y = np.asarray(self.x, dtype=np.float64), np.asarray(self.y, dtype=np.float64)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"series {self.name!r}: x and y need one length, got {list(x.shape)}, {list(y.shape)}")
        _finite(f"series {self.name!r}", np.concatenate([x, y]))
        if self.style not in STYLES:
            raise ValueError(f"style: '{self.style}' is not one of {', '.join(STYLES)}")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)


@dataclass(frozen=True)
class LinesView:
    """Curves sharing two axes, with a legend."""

    name: str
    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...] = field(default_factory=tuple)
    log_x: bool = False  # e.g. the dimension d, from 2 to 1024: drawn on a base-2 log axis
    equal_aspect: bool = False  # a rotation in the plane: a circle must look round

    def table(self) -> list[tuple[str, float, float]]:
        """Every point as (series, x, y), in order: the long format a CSV holds."""
        return [(s.name, float(x), float(y)) for s in self.series for x, y in zip(s.x, s.y)]
