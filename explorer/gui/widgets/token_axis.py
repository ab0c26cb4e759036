"""An axis that labels matrix rows or columns with tokens, thinned so labels never overlap."""

from __future__ import annotations

import math
import re
import unicodedata

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from explorer.core.display import display_label, label_step

LABEL_POINT_SIZE = 8
MARKER_POINT_SIZE = 6  # the "(1/3)" under an upright label: smaller, so the characters stay the label
MAX_AXIS_PIXELS = 140  # labels are elided before this, so a long token cannot squeeze the heatmap
# A fallback font (CJK in a Latin UI font) can be taller than the line: never cut a glyph to the line's box.
UNCLIPPED = Qt.TextDontClip
MAX_UPRIGHT_CHARS = 4  # longer CJK labels are rotated like the rest, or the key axis would grow too tall
# A part marker after a character a byte piece belongs to: "猫(1/3)" or "猫¹ᐟ³".
PART_MARKER = re.compile(r"(\(\d+/\d+\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+ᐟ[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def upright_parts(label: str) -> tuple[str, str] | None:
    """(characters, part marker) when a label should stand upright on a vertical-text axis, else None.

    Short labels of East-Asian wide characters read sideways when rotated, as Latin text does not: they are
    stacked one per line instead, the way CJK is set vertically.
    """
    match = PART_MARKER.search(label)
    chars, marker = (label[: match.start()], match.group(0)) if match else (label, "")
    if not chars or len(chars) > MAX_UPRIGHT_CHARS:
        return None
    if all(unicodedata.east_asian_width(char) in ("W", "F") for char in chars):
        return chars, marker
    return None


class TokenAxis(pg.AxisItem):
    """Ticks at integer cell centres, one token label per shown tick.

    rotate=True draws labels vertically (for the key axis along the top), so even dense columns stay
    readable; short CJK labels stand upright there instead (upright_parts). Which labels are shown is decided
    from the pixels available, so zooming in reveals the thinned ones.
    """

    def __init__(self, orientation: str, rotate: bool = False):
        super().__init__(orientation)
        self.rotate = rotate
        self.labels: list[str] = []
        self.upright: list[tuple[str, str] | None] = []  # per label, when drawn upright: (characters, marker)
        self.font = QFont()
        self.font.setPointSize(LABEL_POINT_SIZE)
        self.metrics = QFontMetricsF(self.font)
        self.marker_font = QFont()
        self.marker_font.setPointSize(MARKER_POINT_SIZE)
        self.marker_metrics = QFontMetricsF(self.marker_font)
        # hideOverlappingLabels=False lets a label at either end reach 15 px past the axis instead of being cut;
        # our own thinning is what keeps labels apart.
        self.setStyle(tickFont=self.font, tickLength=3, autoExpandTextSpace=False, hideOverlappingLabels=False)
        # Positions are token indices: never "key (x0.001)", as pyqtgraph titled an empty map's tiny range.
        self.enableAutoSIPrefix(False)
        self._shown: list[int] = []
        self._label_pixels = self.metrics.height() + 1  # room one label needs along the axis

    def set_labels(self, tokens: list[str]) -> None:
        self.labels = [display_label(t) for t in tokens]
        self.upright = [upright_parts(label) if self.rotate else None for label in self.labels]
        self._label_pixels = self.metrics.height() + 1
        if any(self.upright):
            self._label_pixels = max(self._label_pixels, *(self._upright_width(p) + 2 for p in self.upright if p))
        room = int(min(max((self._length(i) for i in range(len(self.labels))), default=0.0), MAX_AXIS_PIXELS) + 12)
        if self.label.isVisible():  # the axis title ("query") sits beside the labels, not over them
            room += int(self.metrics.height()) + 8
        if self.orientation in ("left", "right"):
            self.setWidth(room)
        else:
            self.setHeight(room if self.rotate else int(self.metrics.height() + 8))
        self.picture = None
        self.update()

    def _length(self, index: int) -> float:
        """Pixels a label takes across the axis: its width, or its height when stacked upright."""
        parts = self.upright[index] if index < len(self.upright) else None
        if parts is None:
            return self.metrics.horizontalAdvance(self.labels[index])
        chars, marker = parts
        return len(chars) * self.metrics.height() + (self.marker_metrics.height() if marker else 0.0)

    def _upright_width(self, parts: tuple[str, str]) -> float:
        chars, marker = parts
        widest = max(self.metrics.horizontalAdvance(char) for char in chars)
        return max(widest, self.marker_metrics.horizontalAdvance(marker) if marker else 0.0)

    def index_at(self, scene_pos: QPointF) -> int | None:
        """The token whose label lies under a scene point, or None (outside the axis or the tokens)."""
        view = self.linkedView()
        if view is None or not self.labels or not self.sceneBoundingRect().contains(scene_pos):
            return None
        point = view.mapSceneToView(scene_pos)
        index = int(round(point.y() if self.orientation in ("left", "right") else point.x()))
        return index if 0 <= index < len(self.labels) else None

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's name)
        n = len(self.labels)
        low, high = max(0, math.ceil(min(minVal, maxVal))), min(n - 1, math.floor(max(minVal, maxVal)))
        if n == 0 or high < low:
            self._shown = []
            return []
        # Pixels per cell from the whole range: a view wider than the matrix (the head grid's square cells)
        # has fewer pixels per label than the axis length alone suggests.
        count, units = high - low + 1, max(abs(maxVal - minVal), high - low + 1)
        step = label_step(count, size * count / units, self._label_pixels)
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
            if self.orientation == "left":
                rect = QRectF(bounds.left(), where.y() - line / 2, bounds.width() - 6, line)
                p.drawText(rect, int(Qt.AlignRight | Qt.AlignVCenter | UNCLIPPED), text)
            elif self.orientation == "right":  # labels start at the ticks, as the left axis's end there
                rect = QRectF(bounds.left() + 6, where.y() - line / 2, bounds.width() - 6, line)
                p.drawText(rect, int(Qt.AlignLeft | Qt.AlignVCenter | UNCLIPPED), text)
            elif self.upright[index] is not None:
                # Labels start at the ticks and run away from the plot: up from a top axis, down from a bottom one.
                end = bounds.bottom() - 7 if self.orientation == "top" else bounds.top() + 7 + self._length(index)
                self._draw_upright(p, where.x(), end, *self.upright[index])
            elif self.rotate:
                p.save()
                if self.orientation == "top":
                    p.translate(where.x(), bounds.bottom() - 7)
                    rect, align = QRectF(0, -line / 2, bounds.height() - 6, line), Qt.AlignLeft
                else:  # a bottom axis: the text ends at the ticks (at the top), not over the axis line
                    p.translate(where.x(), bounds.top() + 7)
                    rect, align = QRectF(-(bounds.height() - 6), -line / 2, bounds.height() - 6, line), Qt.AlignRight
                p.rotate(-90)
                p.drawText(rect, int(align | Qt.AlignVCenter | UNCLIPPED), text)
                p.restore()
            else:
                rect = QRectF(where.x() - 60, bounds.top() + 4, 120, line)
                p.drawText(rect, int(Qt.AlignHCenter | Qt.AlignTop | UNCLIPPED), text)

    def _draw_upright(self, p, x: float, bottom: float, chars: str, marker: str) -> None:
        """Characters stacked one per line, ending just above the ticks; the part marker, small, below them."""
        line, half = self.metrics.height(), 30.0
        if marker:
            small = self.marker_metrics.height()
            p.setFont(self.marker_font)
            p.drawText(QRectF(x - half, bottom - small, 2 * half, small), int(Qt.AlignCenter | UNCLIPPED), marker)
            p.setFont(self.font)
            bottom -= small
        for k, char in enumerate(reversed(chars)):
            rect = QRectF(x - half, bottom - (k + 1) * line, 2 * half, line)
            p.drawText(rect, int(Qt.AlignCenter | UNCLIPPED), char)
