"""A focus frame for figures that take keys: drawn on the viewport, so it never reaches an exported figure."""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPen


class FocusFrame:
    """Mixin for a QGraphicsView: a thin frame in the palette's highlight colour while the view has focus."""

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(self.viewport().rect().adjusted(1, 1, -1, -1))
            painter.end()

    def focusInEvent(self, event):  # noqa: N802
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event):  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()
