"""Zooming a matrix view: bounded to the matrix, never below a few cells, and back to the whole on request.

A mixin for a pyqtgraph widget with a `plot` (PlotItem) and a `zoom_reset` signal: the heatmap uses it, and the
zoomed state is what decides whether it asks for finer values of the region in view.
"""

from __future__ import annotations

MIN_ZOOM_CELLS = 2  # zooming in stops when this many cells span the view


class MapZoom:
    def _bound_zoom(self, n_rows: int, n_cols: int) -> None:
        """The wheel and drags stay inside the matrix, and stop zooming in at a few cells."""
        self.plot.getViewBox().setLimits(
            xMin=-0.5,
            xMax=n_cols - 0.5,
            yMin=-0.5,
            yMax=n_rows - 0.5,
            minXRange=min(MIN_ZOOM_CELLS, n_cols),
            maxXRange=n_cols,
            minYRange=min(MIN_ZOOM_CELLS, n_rows),
            maxYRange=n_rows,
        )

    def reset_zoom(self, announce: bool = True) -> None:
        """Show the whole matrix; the view then follows window resizes until the user zooms again."""
        view = self.plot.getViewBox()
        view.autoRange(padding=0)
        view.enableAutoRange(enable=True)  # after autoRange, which turns it off as any explicit range does
        if announce:
            self.zoom_reset.emit()

    @property
    def zoomed(self) -> bool:
        """True once the user has zoomed or panned away from the whole matrix."""
        return not all(self.plot.getViewBox().autoRangeEnabled())
