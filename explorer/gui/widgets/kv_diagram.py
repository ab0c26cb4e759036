"""A small drawing of which query heads share each KV head (MHA, GQA or MQA at a glance)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.gui.i18n import tr

GROUP_COLOURS = [QColor(c) for c in ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")]


class KVDiagram(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.groups: list[list[int]] = []
        self.label = ""
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMinimumHeight(70)
        self.setAccessibleName(tr("KV head groups"))

    def set_groups(self, groups: list[list[int]], label: str) -> None:
        """groups[g]: the query heads that read KV head g; label names the arrangement ("GQA", "MQA", ...)."""
        self.groups = groups
        self.label = label
        n_heads, n_kv = sum(len(g) for g in groups), len(groups)
        self.setToolTip(
            tr("{arrangement}: {heads} query heads share {kv} KV head(s)").format(
                arrangement=label, heads=n_heads, kv=n_kv
            )
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, 70)

    def paintEvent(self, event):  # noqa: N802
        if not self.groups:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        n_heads = sum(len(g) for g in self.groups)
        width, height = self.width(), self.height()
        box = min(18.0, (width - 8) / max(n_heads, 1) - 2)
        step = (width - 8) / n_heads
        query_y, kv_y = 4.0, height - box - 16
        text = self.palette().windowText().color()
        small = painter.font()
        small.setPointSize(7)
        painter.setFont(small)
        for g, heads in enumerate(self.groups):
            colour = GROUP_COLOURS[g % len(GROUP_COLOURS)]
            centre = 4 + step * (heads[0] + heads[-1] + 1) / 2
            kv_box = QRectF(centre - box / 2, kv_y, box, box)
            painter.setPen(QPen(colour.darker(140), 1))
            for h in heads:
                q_box = QRectF(4 + step * h + (step - box) / 2, query_y, box, box)
                painter.drawLine(
                    QPointF(q_box.center().x(), q_box.bottom()), QPointF(kv_box.center().x(), kv_box.top())
                )
                painter.fillRect(q_box, colour.lighter(130))
                painter.drawRect(q_box)
            painter.fillRect(kv_box, colour)
            painter.drawRect(kv_box)
            painter.setPen(text)
            painter.drawText(QRectF(kv_box.left() - 10, kv_box.bottom(), box + 20, 14), int(Qt.AlignCenter), f"kv{g}")
        painter.end()
