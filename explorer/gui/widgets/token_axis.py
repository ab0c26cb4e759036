"""An axis that labels matrix rows or columns with tokens, thinned so labels never overlap."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from explorer.core.display import display_label, label_step

LABEL_POINT_SIZE = 8
MAX_AXIS_PIXELS = 140  # labels are elided before this, so a long token cannot squeeze the heatmap


class TokenAxis(pg.AxisItem):
    """Ticks at integer cell centres, one token label per shown tick.

    rotate=True draws labels vertically (for the key axis along the top), so even dense columns stay
    readable. Which labels are shown is decided from the pixels available, so zooming in reveals the
    thinned ones.
    """

    def __init__(self, orientation: str, rotate: bool = False):
        super().__init__(orientation)
        self.rotate = rotate
        self.labels: list[str] = []
        self.font = QFont()
        self.font.setPointSize(LABEL_POINT_SIZE)
        self.metrics = QFontMetricsF(self.font)
        self.setStyle(tickFont=self.font, tickLength=3, autoExpandTextSpace=False)
        self._shown: list[int] = []

    def set_labels(self, tokens: list[str]) -> None:
        self.labels = [display_label(t) for t in tokens]
        widest = max((self.metrics.horizontalAdvance(label) for label in self.labels), default=0.0)
        room = int(min(widest, MAX_AXIS_PIXELS) + 12)
        if self.label.isVisible():  # the axis title ("query") sits beside the labels, not over them
            room += int(self.metrics.height()) + 8
        if self.orientation in ("left", "right"):
            self.setWidth(room)
        else:
            self.setHeight(room if self.rotate else int(self.metrics.height() + 8))
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's name)
        n = len(self.labels)
        low, high = max(0, math.ceil(min(minVal, maxVal))), min(n - 1, math.floor(max(minVal, maxVal)))
        if n == 0 or high < low:
            self._shown = []
            return []
        step = label_step(high - low + 1, size, self.metrics.height() + 1)
        first = math.ceil(low / step) * step  # multiples of the step, so labels do not jump while panning
        self._shown = list(range(first, high + 1, step))
        return [(float(step), [float(v) for v in self._shown])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) else "" for v in values]

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802
        super().drawPicture(p, axisSpec, tickSpecs, [])  # line and ticks; the text is ours
        view = self.linkedView()
        if view is None:
            return
        p.setFont(self.font)
        p.setPen(self.textPen())
        bounds = self.boundingRect()
        line = self.metrics.height()
        for index in self._shown:
            text = self.labels[index]
            where = view.mapFromViewToItem(self, QPointF(index, index))
            if self.orientation in ("left", "right"):
                rect = QRectF(bounds.left(), where.y() - line / 2, bounds.width() - 6, line)
                p.drawText(rect, int(Qt.AlignRight | Qt.AlignVCenter), text)
            elif self.rotate:
                p.save()
                p.translate(where.x(), bounds.bottom() - 7)
                p.rotate(-90)
                p.drawText(QRectF(0, -line / 2, bounds.height() - 6, line), int(Qt.AlignLeft | Qt.AlignVCenter), text)
                p.restore()
            else:
                rect = QRectF(where.x() - 60, bounds.top() + 4, 120, line)
                p.drawText(rect, int(Qt.AlignHCenter | Qt.AlignTop), text)
