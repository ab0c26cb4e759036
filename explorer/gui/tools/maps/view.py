"""The Maps tool's central view: layer/head navigation, the heatmap or head grid, and the hover readout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ...widgets.head_grid import HeadGridFigure
from ...widgets.heatmap import HeatmapFigure
from ...widgets.navigation import NavigationBar


class MapsView(QWidget):
    def __init__(self, colormap: str, scale: str, parent=None):
        super().__init__(parent)
        # Keys pressed on a figure go to this callable (set by the tool); it returns True if it used the key.
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.navigation = NavigationBar()
        self.stack = QStackedWidget()
        self.placeholder = QLabel("Finding models…")
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.heatmap = HeatmapFigure(colormap=colormap, scale=scale)
        self.head_grid = HeadGridFigure(colormap=colormap, scale=scale)
        for page in (self.placeholder, self.heatmap, self.head_grid):
            self.stack.addWidget(page)
        self.hover = QLabel(" ")
        self.hover.setAccessibleName("Cell under the pointer")
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hover)
        self.heatmap.hovered.connect(lambda text: self.hover.setText(text or " "))
        for figure in (self.heatmap, self.head_grid):
            figure.installEventFilter(self)

    def show_message(self, text: str) -> None:
        """Shown only until the first map: a map on screen stays there (the last good one)."""
        self.placeholder.setText(text)

    def show_head(self, matrix, pixels, tokens: list[str], title: str) -> None:
        self.heatmap.show_matrix(matrix, pixels, tokens, tokens, title)
        self.stack.setCurrentWidget(self.heatmap)

    def show_grid(self, maps, pixels, groups: list[list[int]], title: str) -> None:
        self.head_grid.show_maps(maps, pixels, groups, title)
        self.stack.setCurrentWidget(self.head_grid)

    def current_figure(self):
        return self.head_grid if self.stack.currentWidget() is self.head_grid else self.heatmap

    def figures(self) -> tuple:
        return self.heatmap, self.head_grid

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.KeyPress and self.key_handler is not None and self.key_handler(event):
            return True
        return super().eventFilter(watched, event)
