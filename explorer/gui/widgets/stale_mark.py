"""A figure that no longer matches the text: greyed over, as every run-derived view is until a new run arrives."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

STALE_VEIL = QColor(128, 128, 128, 150)  # drawn over the figure: its colours still show, plainly faded


def mark_figures_stale(root: QWidget, stale: bool) -> None:
    """Veil every pyqtgraph figure under root (or lift the veil). The figures keep their data, zoom and hover;
    only the window shows them greyed, never an export (exports are drawn from the data)."""
    brush = QBrush(STALE_VEIL) if stale else QBrush()
    for view in root.findChildren(pg.GraphicsView):
        view.setForegroundBrush(brush)
        view.viewport().update()


def is_marked_stale(view: pg.GraphicsView) -> bool:
    return view.foregroundBrush().color() == STALE_VEIL and view.foregroundBrush().style() != 0
