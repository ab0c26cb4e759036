"""Timing our own side: the first heatmap, a layer/head switch and its repaint, and one appended token."""

from __future__ import annotations

import os
import statistics
import time

import models
from explorer.core.map_pixels import head_map
from models.runtime.devices import synchronize

SWITCHES = 12  # layer/head switches timed per length


def time_ours(model: models.Model, ids: list[int], layer: int) -> tuple[float, float, models.Run]:
    """(ms to the first heatmap, ms of the forward pass alone, the run)."""
    synchronize(model.device)
    start = time.perf_counter()
    run = model.run_ids([ids])
    synchronize(model.device)
    forward = time.perf_counter() - start
    run.attention(layer, 0)
    synchronize(model.device)
    return (time.perf_counter() - start) * 1000, forward * 1000, run


def time_switches(run: models.Run, n_layers: int, n_heads: int, count: int = SWITCHES) -> tuple[float, float]:
    """Median ms to compute+encode the map of a new (layer, head), and to paint it, as the window does."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    from explorer.gui.widgets.heatmap import HeatmapFigure

    figure = HeatmapFigure()
    figure.resize(1000, 800)
    figure.show()
    app.processEvents()
    tokens = run.tokens[0]
    computes, paints = [], []
    for i in range(count):
        layer, head = (i * 7) % n_layers, (i * 5) % n_heads  # strides that visit varied layers and heads
        start = time.perf_counter()
        matrix, pixels = head_map(run, layer, head, 0, "linear")
        computes.append(time.perf_counter() - start)
        start = time.perf_counter()
        figure.show_matrix(matrix, pixels, tokens, tokens, f"layer {layer} · head {head}")
        figure.repaint()
        app.processEvents()
        paints.append(time.perf_counter() - start)
    figure.close()
    figure.deleteLater()
    return statistics.median(computes) * 1000, statistics.median(paints) * 1000


def time_append(model: models.Model, ids: list[int], rounds: int) -> float:
    """Median ms to run N tokens when the previous run held the first N-1 (typing one more token)."""
    times = []
    for _ in range(rounds):
        previous = model.run_ids([ids[:-1]])
        synchronize(model.device)
        start = time.perf_counter()
        model.run_ids([ids], reuse=previous)
        synchronize(model.device)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
