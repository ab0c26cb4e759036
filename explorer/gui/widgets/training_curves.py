"""Training as it goes: the loss per step, and held-out accuracy and alignment at each evaluation, with a step mark.

The loss is drawn on a log axis (it falls by orders of magnitude); accuracy and alignment share a 0 to 1 axis
below it. A vertical line marks the step of the attention snapshot on screen, so scrubbing back shows where in
training that map was taken.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.gui.i18n import tr
from explorer.gui.widgets.heatmap import colour_axes

LOSS_COLOUR = "#4e79a7"
ACCURACY_COLOUR = "#59a14f"
ALIGNMENT_COLOUR = "#f28e2b"
MARK_COLOUR = "#e15759"


def checked_series(name: str, steps, values) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) as float arrays of one length, every value finite: a curve never draws NaN or inf."""
    steps, values = np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64)
    if steps.shape != values.shape or steps.ndim != 1:
        raise ValueError(f"{name}: {steps.size} steps for {values.size} values")
    if not np.all(np.isfinite(values)):
        bad = int(steps[~np.isfinite(values)][0])
        raise ValueError(f"{name}: the value at step {bad} is not a finite number")
    return steps, values


def decade_ticks(low: float, high: float) -> list[tuple]:
    """Log-axis ticks over log10 values low..high: the decades (labelled) and 2..9 × each decade (unlabelled)."""
    first, last = int(np.floor(low)), int(np.ceil(high))
    decades = [float(v) for v in range(first, last + 1) if low <= v <= high]
    minor = [v + float(np.log10(m)) for v in range(first, last) for m in range(2, 10)]
    return [(1.0, decades), (None, [x for x in minor if low < x < high])]


class DecadeAxis(pg.AxisItem):
    """A log axis that labels the decades only: over two or three decades pyqtgraph labels 2..9 of each as well,
    and they overlap into an unreadable column. Under one decade in view it labels as pyqtgraph does."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.setStyle(maxTextLevel=0)  # level 0: the decades (or, under one decade, pyqtgraph's own ticks)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph's names)
        ticks = decade_ticks(minVal, maxVal) if self.logMode else []
        if not ticks or not ticks[0][1]:
            return super().tickValues(minVal, maxVal, size)
        return ticks


class TrainingCurves(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.figure = pg.GraphicsLayoutWidget()
        layout.addWidget(self.figure)
        self.loss_plot = self.figure.addPlot(row=0, col=0, axisItems={"left": DecadeAxis("left")})
        self.score_plot = self.figure.addPlot(row=1, col=0)
        for plot in (self.loss_plot, self.score_plot):
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(False, False)
            for side in ("left", "bottom"):  # steps and fractions: an SI prefix ("step (x0.001)") only confuses
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.loss_plot.setLogMode(False, True)
        self.loss_plot.setLabel("left", tr("loss"))
        self.score_plot.setLabel("left", tr("held-out"))
        self.score_plot.setLabel("bottom", tr("step"))
        self.score_plot.setYRange(0.0, 1.0, padding=0.02)
        self.score_plot.setXLink(self.loss_plot)
        self.score_plot.addLegend(offset=(-8, -8))
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen(LOSS_COLOUR, width=1.5))
        self.accuracy_curve = self.score_plot.plot(
            [], [], pen=pg.mkPen(ACCURACY_COLOUR, width=2), symbol="o", symbolSize=5,
            symbolBrush=ACCURACY_COLOUR, name=tr("accuracy"),
        )  # fmt: skip
        self.alignment_curve = self.score_plot.plot(
            [], [], pen=pg.mkPen(ALIGNMENT_COLOUR, width=2, style=pg.QtCore.Qt.DashLine), symbol="t",
            symbolSize=6, symbolBrush=ALIGNMENT_COLOUR, name=tr("alignment (best head)"),
        )  # fmt: skip
        self.marks = []
        for plot in (self.loss_plot, self.score_plot):
            mark = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(MARK_COLOUR, width=1))
            mark.hide()
            plot.addItem(mark, ignoreBounds=True)
            self.marks.append(mark)

    def show_loss(self, steps, losses) -> None:
        """steps (S,), losses (S,): every loss finite and positive (the log axis needs it)."""
        steps, losses = checked_series("loss", steps, losses)
        if np.any(losses <= 0):
            raise ValueError("loss: a cross-entropy loss is positive; got a value ≤ 0")
        self.loss_curve.setData(steps, losses)

    def show_scores(self, steps, accuracy, alignment) -> None:
        """steps (E,) of the evaluations; accuracy (E,) and best-head alignment (E,), each in [0, 1]."""
        steps, accuracy = checked_series("accuracy", steps, accuracy)
        _, alignment = checked_series("alignment", steps, alignment)
        for name, values in (("accuracy", accuracy), ("alignment", alignment)):
            if np.any((values < 0) | (values > 1)):
                raise ValueError(f"{name}: a fraction lies in [0, 1]")
        self.accuracy_curve.setData(steps, accuracy)
        self.alignment_curve.setData(steps, alignment)

    def mark_step(self, step: int | None) -> None:
        """A vertical line at this step on both plots, or none."""
        for mark in self.marks:
            if step is None:
                mark.hide()
            else:
                mark.setValue(step)
                mark.show()

    def clear_curves(self) -> None:
        """No curves, and axes back to a neutral range (not the last run's steps and losses)."""
        for curve in (self.loss_curve, self.accuracy_curve, self.alignment_curve):
            curve.setData([], [])
        self.mark_step(None)
        self.loss_plot.setRange(xRange=(0, 1), yRange=(-1, 1), padding=0)  # log axis: 0.1 to 10
        self.score_plot.setYRange(0.0, 1.0, padding=0.02)
        self.loss_plot.enableAutoRange()  # the next run's data sets the range again

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the background and every axis."""
        self.figure.setBackground(background)
        axes = [plot.getAxis(side) for plot in (self.loss_plot, self.score_plot) for side in ("left", "bottom")]
        colour_axes(axes, foreground)
