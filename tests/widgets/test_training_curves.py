"""TrainingCurves alone: the loss on a log axis, accuracy and alignment at evaluations, the snapshot's step mark."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.gui.widgets.training_curves import TrainingCurves


@pytest.fixture
def curves(qtbot):
    return show(qtbot, TrainingCurves(), 500, 400)


def test_the_curves_hold_exactly_the_numbers_given(curves):
    steps = np.arange(1, 101)
    losses = 3.0 * np.exp(-steps / 30.0)
    curves.show_loss(steps, losses)
    x, y = curves.loss_curve.getOriginalDataset()
    assert np.array_equal(x, steps) and np.allclose(y, losses)
    curves.show_scores([50, 100], [0.25, 1.0], [0.5, 0.95])
    assert np.array_equal(curves.accuracy_curve.getOriginalDataset()[1], [0.25, 1.0])
    assert np.array_equal(curves.alignment_curve.getOriginalDataset()[1], [0.5, 0.95])


def test_the_loss_axis_is_logarithmic_so_late_training_stays_visible(qtbot, curves):
    curves.show_loss([1, 2, 3], [2.0, 0.02, 0.0002])
    assert curves.loss_plot.getAxis("left").logMode

    def spans_every_loss():  # in log10 units, once the view has fitted itself
        low, high = curves.loss_plot.getViewBox().viewRange()[1]
        return low <= np.log10(0.0002) + 0.1 and high >= np.log10(2.0) - 0.1

    qtbot.waitUntil(spans_every_loss, timeout=2000)


def test_the_mark_follows_the_shown_snapshot_and_clears(curves):
    curves.mark_step(40)
    assert all(mark.isVisible() and mark.value() == 40 for mark in curves.marks)
    curves.mark_step(None)
    assert not any(mark.isVisible() for mark in curves.marks)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0, 0.0])
def test_a_loss_that_is_not_finite_and_positive_is_refused_never_drawn(curves, bad):
    curves.show_loss([1, 2], [1.0, 0.5])
    with pytest.raises(ValueError, match="loss"):
        curves.show_loss([1, 2, 3], [1.0, bad, 0.5])
    assert np.array_equal(curves.loss_curve.getOriginalDataset()[1], [1.0, 0.5])  # the last good curve stays


def test_fractions_outside_zero_one_and_mismatched_lengths_are_refused(curves):
    with pytest.raises(ValueError, match="accuracy"):
        curves.show_scores([1], [1.5], [0.5])
    with pytest.raises(ValueError, match="alignment"):
        curves.show_scores([1], [0.5], [np.nan])
    with pytest.raises(ValueError, match="2 steps for 1 values"):
        curves.show_loss([1, 2], [1.0])


def test_clear_empties_every_curve_and_forgets_the_last_runs_range(qtbot, curves):
    curves.show_loss([1, 2], [1.0, 0.5])
    curves.show_scores([2], [0.5], [0.5])
    curves.mark_step(2)
    curves.show_loss(np.arange(1, 601), np.linspace(3.0, 0.001, 600))
    curves.clear_curves()
    for curve in (curves.loss_curve, curves.accuracy_curve, curves.alignment_curve):
        x, _ = curve.getOriginalDataset()
        assert x is None or len(x) == 0
    assert not curves.marks[0].isVisible()
    (x_low, x_high), (y_low, y_high) = curves.loss_plot.viewRange()
    assert x_high <= 1 and y_low >= -1  # not the last run's 600 steps and its losses down to 0.001 (log axis)
    assert curves.score_plot.viewRange()[0][1] <= 1  # the x-axis is linked
    curves.show_loss([1, 2, 3], [2.0, 1.0, 0.5])  # the next run sets the range again
    qtbot.waitUntil(lambda: curves.loss_plot.viewRange()[0][1] >= 3, timeout=2000)


def test_the_step_axis_never_takes_an_si_prefix(qtbot, curves):
    # An empty plot spans about 0..1, which pyqtgraph would label "step (x0.001)" with ticks 200..800.
    curves.score_plot.setXRange(0.0, 0.8, padding=0)
    qtbot.wait(50)
    for plot in (curves.loss_plot, curves.score_plot):
        assert plot.getAxis("bottom").autoSIPrefixScale == 1.0
    assert "x0.001" not in curves.score_plot.getAxis("bottom").labelString()


def test_the_loss_axis_labels_decades_only_so_its_labels_never_overlap(curves):
    from explorer.gui.widgets.training_curves import decade_ticks

    (_, decades), (_, minor) = decade_ticks(np.log10(0.03), np.log10(3.0))  # 0.03 .. 3: two decades and a bit
    assert decades == [-1.0, 0.0]  # 0.1 and 1
    expected = [np.log10(m * 10.0**e) for e in (-2, -1, 0) for m in range(2, 10) if 0.03 < m * 10.0**e < 3.0]
    assert np.allclose(minor, expected)
    levels = curves.loss_plot.getAxis("left").tickValues(np.log10(0.03), np.log10(3.0), 200)
    assert levels[0][1] == decades and curves.loss_plot.getAxis("left").style["maxTextLevel"] == 0
    assert curves.loss_plot.getAxis("left").tickStrings(decades, 1.0, 1.0) == ["0.1", "1"]
