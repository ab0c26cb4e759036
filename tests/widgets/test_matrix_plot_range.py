"""MatrixPlot's axes span exactly its matrix, whatever the frame's shape (issue 21 item 22: a 14×14 patch grid
with square cells in a tall frame read rows −4…17, rows that do not exist)."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.core.plots import MatrixView
from explorer.gui.widgets.matrix_plot import MatrixPlot


@pytest.mark.parametrize(("width", "height"), [(380, 560), (700, 300), (450, 450)])
@pytest.mark.parametrize("square_cells", [True, False])
def test_the_axes_show_every_cell_and_nothing_past_the_matrix(qtbot, width, height, square_cells):
    plot = show(qtbot, MatrixPlot(), width, height)
    matrix = np.linspace(0, 1, 14 * 14).reshape(14, 14)
    plot.show_view(MatrixView("m", "t", matrix, "row", "column", "v", square_cells=square_cells))
    qtbot.wait(50)  # the view box settles its range after the resize
    (x_low, x_high), (y_low, y_high) = plot.plot.getViewBox().viewRange()
    assert (x_low, x_high) == pytest.approx((-0.5, 13.5), abs=1e-6)
    assert (y_low, y_high) == pytest.approx((-0.5, 13.5), abs=1e-6)
