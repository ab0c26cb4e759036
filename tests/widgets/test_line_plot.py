"""LinePlot alone: each series drawn as given, a base-2 log axis labelled at powers of two, round circles."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.core.plots import LinesView, Series
from explorer.gui.widgets.line_plot import LinePlot, log2_ticks


@pytest.fixture
def plot(qtbot):
    return show(qtbot, LinePlot(), 500, 350)


def test_every_series_is_drawn_with_its_points_and_named_in_the_legend(plot):
    x = np.linspace(0, 5, 11)
    lines = LinesView(
        "f", "fit", "x", "y", (Series("truth", x, np.sin(x), "dashed"), Series("samples", x, x, "points"))
    )
    plot.show_view(lines)
    xs, ys = plot.curves["truth"].getData()
    assert np.allclose(xs, x) and np.allclose(ys, np.sin(x))
    assert [item[1].text for item in plot.legend.items] == ["truth", "samples"]


def test_a_log_axis_draws_log2_x_and_labels_the_powers_of_two(plot):
    dims = np.array([2.0, 4.0, 1024.0])
    lines = LinesView("e", "entropy", "d", "H", (Series("scaled", dims, np.ones(3)),), log_x=True)
    plot.show_view(lines)
    assert np.allclose(plot.curves["scaled"].getData()[0], [1, 2, 10])
    assert log2_ticks(lines)[0][0] == (1.0, "2") and log2_ticks(lines)[0][-1] == (10.0, "1024")


def test_a_curve_that_is_not_finite_is_refused():
    with pytest.raises(ValueError, match="not finite"):
        Series("loss", [0, 1], [0.5, np.inf])
