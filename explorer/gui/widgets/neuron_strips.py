"""The neuron view (BertViz): one query's q, each key's k and q ∘ k as colour strips, then the dot product, the
scaled score, the bias, the score and the softmax as numbers and a bar, one row per key.

Numpy and plain data only. Strips are on a diverging scale (blue below 0, white at 0, red above), each kind of
strip scaled by its own largest magnitude. A hidden key (masked) shows its strips greyed and no probability.
Values that are not finite, or probabilities that do not sum to 1, are refused with a ValueError, never drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from explorer.core.display import display_label
from explorer.gui.i18n import tr
from explorer.gui.widgets.stale_mark import STALE_VEIL

ROW = 18  # pixels per key row
LABEL = 96  # the token column
NUMBER = 66  # each number column
BAR = 110  # the softmax bar column
GAP = 10
NEGATIVE, POSITIVE, HIDDEN = np.array([33, 102, 172]), np.array([178, 24, 43]), QColor(200, 200, 200)
SUM_TOLERANCE = 1e-3


@dataclass(frozen=True)
class NeuronTerms:
    """What the view draws; each array one sequence's, over its N keys."""

    tokens: list[str]  # (N,)
    query: int
    q: np.ndarray  # (d,)
    keys: np.ndarray  # (N, d)
    products: np.ndarray  # (N, d)
    dots: np.ndarray  # (N,)
    scale: float
    scaled: np.ndarray  # (N,)
    bias: np.ndarray  # (N,) -inf where hidden
    scores: np.ndarray  # (N,)
    visible: np.ndarray  # bool (N,)
    probabilities: np.ndarray  # (N,)

    def checked(self) -> NeuronTerms:
        n, d = np.shape(self.keys)
        if np.shape(self.q) != (d,) or np.shape(self.products) != (n, d) or len(self.tokens) != n:
            raise ValueError(f"terms: q {np.shape(self.q)}, keys {(n, d)}, products {np.shape(self.products)}")
        if not 0 <= self.query < n:
            raise ValueError(f"query: {self.query} is not one of the {n} tokens")
        visible = np.asarray(self.visible, dtype=bool)
        finite = [self.q, self.keys, self.products, self.dots, self.scaled, self.probabilities]
        if not all(np.isfinite(a).all() for a in finite) or not np.isfinite(self.scores[visible]).all():
            raise ValueError(tr("neuron view: some values are not finite; they are not shown"))
        total = float(np.sum(self.probabilities))
        if visible.any() and not abs(total - 1.0) <= SUM_TOLERANCE:
            raise ValueError(tr("neuron view: the probabilities sum to {total}, not 1; they are not shown").format(
                total=f"{total:.6g}"))  # fmt: skip
        return self


def diverging(values: np.ndarray, magnitude: float) -> list[QColor]:
    """Each value's colour: white at 0, blue at -magnitude, red at +magnitude."""
    t = np.clip(np.asarray(values, dtype=float) / max(magnitude, 1e-30), -1.0, 1.0)
    white = np.array([247, 247, 247])
    rgb = np.where(t[:, None] < 0, white + (-t[:, None]) * (NEGATIVE - white), white + t[:, None] * (POSITIVE - white))
    return [QColor(*map(int, np.round(c))) for c in rgb]


class NeuronStrips(QWidget):
    hovered = Signal(str)
    key_clicked = Signal(int)  # a key row clicked: its position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.terms: NeuronTerms | None = None
        self.message = ""
        self.setMouseTracking(True)
        self.foreground, self.background = QColor("black"), QColor("white")
        self.stale = False  # the terms are of an earlier text or variant: drawn veiled, as every stale figure is

    # -- data ----------------------------------------------------------------------------------------------
    def show_terms(self, terms: NeuronTerms) -> None:
        self.terms = terms.checked()
        self.message = ""
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def show_message(self, message: str) -> None:
        self.terms, self.message = None, message
        self.updateGeometry()
        self.update()

    def apply_colours(self, background: str, foreground: str) -> None:
        self.background, self.foreground = QColor(background), QColor(foreground)
        self.update()

    def set_stale(self, stale: bool) -> None:
        self.stale = bool(stale)
        self.update()

    # -- geometry ------------------------------------------------------------------------------------------
    def cell_width(self) -> int:
        d = 1 if self.terms is None else len(self.terms.q)
        return int(max(2, min(5, 192 // d)))

    def strip_width(self) -> int:
        return 0 if self.terms is None else self.cell_width() * len(self.terms.q)

    def columns(self) -> dict[str, float]:
        """The left edge of each column, in pixels."""
        x = LABEL + GAP
        edges = {"k": x}
        x += self.strip_width() + GAP
        edges["product"] = x
        x += self.strip_width() + GAP
        for name in ("dot", "scaled", "bias", "score"):
            edges[name] = x
            x += NUMBER
        edges["softmax"] = x + GAP
        edges["end"] = x + GAP + BAR
        return edges

    def sizeHint(self) -> QSize:  # noqa: N802
        if self.terms is None:
            return QSize(400, 80)
        return QSize(int(self.columns()["end"]) + 8, (len(self.terms.tokens) + 3) * ROW + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def row_at(self, y: float) -> int | None:
        """The key under a height in pixels (rows start after the header and the q strip)."""
        if self.terms is None:
            return None
        row = int((y - 3 * ROW) // ROW)
        return row if 0 <= row < len(self.terms.tokens) else None

    def dimension_at(self, x: float) -> tuple[str, int] | None:
        if self.terms is None:
            return None
        edges, width = self.columns(), self.cell_width()
        for name in ("k", "product"):
            i = int((x - edges[name]) // width)
            if 0 <= i < len(self.terms.q) and x >= edges[name]:
                return name, i
        return None

    def describe(self, row: int | None, x: float) -> str:
        terms = self.terms
        if terms is None or row is None:
            return ""
        token = display_label(terms.tokens[row])
        where = self.dimension_at(x)
        if where is not None:
            i = where[1]
            text = tr('key {key} "{token}" · dim {dim}: q = {q:.4f}, k = {k:.4f}, q·k term = {term:.4f}')
            return text.format(key=row, token=token, dim=i, q=terms.q[i], k=terms.keys[row, i],
                               term=terms.products[row, i])  # fmt: skip
        if not terms.visible[row]:
            return tr('key {key} "{token}": masked').format(key=row, token=token)
        text = tr('key {key} "{token}": q·k = {dot:.4f}, ×{scale:.4g} = {scaled:.4f}, + bias {bias:.4f} = score '
                  "{score:.4f}, softmax {p:.4f}")  # fmt: skip
        numbers = {"dot": terms.dots[row], "scaled": terms.scaled[row], "bias": terms.bias[row]}
        numbers.update(score=terms.scores[row], p=terms.probabilities[row], scale=terms.scale)
        return text.format(key=row, token=token, **numbers)

    def mouseMoveEvent(self, event):  # noqa: N802
        self.hovered.emit(self.describe(self.row_at(event.position().y()), event.position().x()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event):  # noqa: N802
        self.hovered.emit("")
        super().leaveEvent(event)

    def mousePressEvent(self, event):  # noqa: N802
        row = self.row_at(event.position().y())
        if row is not None and event.button() == Qt.LeftButton:
            self.key_clicked.emit(row)
        super().mousePressEvent(event)

    # -- painting ------------------------------------------------------------------------------------------
    def paintEvent(self, _event):  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.background)
        painter.setPen(self.foreground)
        if self.terms is None:
            painter.drawText(self.rect().adjusted(8, 8, -8, -8), Qt.AlignLeft | Qt.TextWordWrap, self.message)
            return
        self._paint_header(painter)
        terms, edges = self.terms, self.columns()
        k_range = float(np.abs(terms.keys).max(initial=0.0))
        product_range = float(np.abs(terms.products).max(initial=0.0))
        for row in range(len(terms.tokens)):
            y = (row + 3) * ROW
            self._text(painter, 0, y, LABEL, f"{row} {display_label(terms.tokens[row])}", Qt.AlignRight)
            shown = bool(terms.visible[row])
            self._strip(painter, edges["k"], y, terms.keys[row], k_range, shown)
            self._strip(painter, edges["product"], y, terms.products[row], product_range, shown)
            values = (terms.dots[row], terms.scaled[row], terms.bias[row], terms.scores[row])
            for name, value in zip(("dot", "scaled", "bias", "score"), values):
                text = "−∞" if not shown and name in ("bias", "score") else f"{value + 0.0:.3f}"  # never "-0.000"
                self._text(painter, edges[name], y, NUMBER - 4, text, Qt.AlignRight)
            self._bar(painter, edges["softmax"], y, float(terms.probabilities[row]), shown)
        if self.stale:
            painter.fillRect(self.rect(), STALE_VEIL)

    def _paint_header(self, painter: QPainter) -> None:
        terms, edges = self.terms, self.columns()
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        self._text(painter, edges["k"], 0, self.strip_width(), tr("k (each key)"), Qt.AlignLeft)
        self._text(painter, edges["product"], 0, self.strip_width(), tr("q ∘ k"), Qt.AlignLeft)
        names = {"dot": tr("q·k"), "scaled": tr("× scale"), "bias": tr("+ bias"), "score": tr("= score")}
        for name, label in names.items():
            self._text(painter, edges[name], 0, NUMBER - 4, label, Qt.AlignRight)
        self._text(painter, edges["softmax"], 0, BAR, tr("softmax"), Qt.AlignLeft)
        painter.setFont(QFont(self.font()))
        query = tr('query {query} "{token}"').format(query=terms.query, token=display_label(terms.tokens[terms.query]))
        self._text(painter, 0, ROW, LABEL, tr("q"), Qt.AlignRight)
        self._strip(painter, edges["k"], ROW, terms.q, float(np.abs(terms.q).max(initial=0.0)), True)
        self._text(painter, edges["product"], ROW, 4 * NUMBER, query, Qt.AlignLeft)
        self._text(painter, edges["dot"], ROW, 4 * NUMBER, tr("scale = {scale:.4g}").format(scale=terms.scale),
                   Qt.AlignRight)  # fmt: skip

    def _text(self, painter: QPainter, x: float, y: float, width: float, text: str, align) -> None:
        elided = QFontMetrics(painter.font()).elidedText(text, Qt.ElideRight, int(width))
        painter.drawText(QRectF(x, y, width, ROW), align | Qt.AlignVCenter, elided)

    def _strip(self, painter: QPainter, x: float, y: float, values, magnitude: float, shown: bool) -> None:
        width = self.cell_width()
        colours = diverging(values, magnitude) if shown else [HIDDEN] * len(values)
        for i, colour in enumerate(colours):
            painter.fillRect(QRectF(x + i * width, y + 2, width, ROW - 4), colour)

    def _bar(self, painter: QPainter, x: float, y: float, p: float, shown: bool) -> None:
        if not shown:
            self._text(painter, x, y, BAR, tr("masked"), Qt.AlignLeft)
            return
        painter.fillRect(QRectF(x, y + 3, (BAR - 46) * p, ROW - 6), QColor(59, 120, 180))
        self._text(painter, x + BAR - 44, y, 44, f"{p:.3f}", Qt.AlignRight)
