"""MatrixPlot alone: any labelled matrix, its colours on the colour bar's range, the hover readout, and the
checks that keep non-finite numbers off the screen."""

import numpy as np
import pytest
from widget_helpers import in_view, move_to_scene, show

from explorer.core.plots import MatrixView, diverging_table
from explorer.gui.widgets.matrix_plot import MatrixPlot, cell_colour

MATRIX = np.arange(12, dtype=np.float64).reshape(3, 4) / 11  # 0 … 1, row-major


@pytest.fixture
def plot(qtbot):
    return show(qtbot, MatrixPlot(), 500, 400)


def view(**kwargs):
    base = dict(name="m", title="t", matrix=MATRIX, row_label="row", column_label="col", value_label="v")
    return MatrixView(**{**base, **kwargs})


def test_cells_take_their_colour_from_the_value_on_the_bar_range(plot):
    plot.show_view(view())
    assert plot.image.image.shape == (3, 4)
    table = plot.lookup()
    assert cell_colour(plot, 0, 0) == tuple(table[0]) and cell_colour(plot, 2, 3) == tuple(table[-1])
    assert plot.bar.levels() == (0.0, 1.0)


def test_a_signed_matrix_is_diverging_and_symmetric_about_zero(plot):
    signed = np.array([[-0.5, 0.0], [0.25, 2.0]])
    plot.show_view(view(matrix=signed, diverging=True))
    assert plot.view.color_levels == (-2.0, 2.0)
    assert cell_colour(plot, 0, 1) == tuple(diverging_table()[127])  # zero sits in the white middle
    assert np.array_equal(plot.lookup(), diverging_table())


def test_the_readout_names_both_axes_and_the_value(qtbot, plot, every_mouse_move):
    plot.show_view(view(row_ticks=("a", "b", "c")))
    with qtbot.waitSignal(plot.hovered) as blocker:
        move_to_scene(qtbot, plot, in_view(plot.plot.getViewBox(), 2, 1))
    assert blocker.args[0] == f"row b, col 2: {MATRIX[1, 2]:.4g}"


def test_non_finite_values_and_wrong_labels_are_refused_before_drawing():
    with pytest.raises(ValueError, match="matrix: 1 value"):
        view(matrix=np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="row_ticks: 2 labels for 3"):
        view(row_ticks=("a", "b"))
