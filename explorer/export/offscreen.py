"""Rendering a heatmap figure without a window, for `main.py export --out map.png|map.svg`.

The same HeatmapFigure and exporters as the window use, on Qt's offscreen platform.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

FIGURE_SIZE = (1000, 900)  # logical pixels; PNG width is chosen separately


def render_heatmap(
    path: Path,
    matrix: np.ndarray,
    visible: np.ndarray,
    tokens: list[str],
    title: str,
    width: int = 1600,
    dpi: int = 300,
    colormap: str = "viridis",
    scale: str = "linear",
) -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a headless command never opens a window
    app = QApplication.instance() or QApplication([])
    from explorer.core.display import encode
    from explorer.export.image import export_png, export_svg
    from explorer.gui.widgets.heatmap import HeatmapFigure

    figure = HeatmapFigure(colormap=colormap, scale=scale)
    figure.setBackground("w")
    for axis in (figure.key_axis, figure.query_axis, figure.bar.axis):
        axis.setPen("k")
        axis.setTextPen("k")
    figure.title.setAttr("color", "k")
    figure.resize(*FIGURE_SIZE)
    figure.show_matrix(matrix, encode(matrix, visible, scale), tokens, tokens, title)
    figure.show()
    app.processEvents()
    try:
        if path.suffix.lower() == ".png":
            export_png(figure.ci, path, width, dpi)
        else:
            export_svg(figure.ci, path)
    finally:
        figure.close()
        figure.deleteLater()
