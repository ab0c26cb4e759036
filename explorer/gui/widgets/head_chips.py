"""The lines view's head selector: one checkable chip per head, in the head's colour, as BertViz shows them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from explorer.core.head_colours import head_colour
from explorer.gui.i18n import tr

SWATCH_PIXELS = 12


def head_qcolour(head: int, alpha: int = 255) -> QColor:
    """A head's colour (explorer.core.head_colours, shared with exported figures), with an alpha of 0..255."""
    colour = QColor(head_colour(head))
    colour.setAlpha(alpha)
    return colour


def swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(SWATCH_PIXELS, SWATCH_PIXELS)
    pixmap.fill(colour)
    return QIcon(pixmap)


class HeadChips(QWidget):
    """Which heads the lines show: click a chip to add or remove its head, double-click to show it alone."""

    heads_changed = Signal(tuple)  # the checked heads, in order

    def __init__(self, parent=None):
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(2)
        self.row.addWidget(QLabel(tr("Heads:")))
        self.chips: list[QToolButton] = []
        self.row.addStretch(1)

    def set_count(self, n_heads: int) -> None:
        """One chip per head of the model; the checked set is kept where it still fits."""
        if n_heads == len(self.chips):
            return
        checked = self.checked()
        for chip in self.chips:
            self.row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for head in range(n_heads):
            chip = QToolButton()
            chip.setCheckable(True)
            chip.setAutoRaise(True)
            chip.setText(str(head))
            chip.setIcon(swatch(head_qcolour(head)))
            chip.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
            chip.setToolTip(
                tr("Head {head}: click to add or remove its lines, double-click to show it alone").format(head=head)
            )
            chip.setAccessibleName(tr("Head {head}").format(head=head))
            chip.setChecked(head in checked)
            chip.toggled.connect(lambda _on: self.heads_changed.emit(self.checked()))
            chip.mouseDoubleClickEvent = lambda _event, head=head: self._only(head)
            self.row.insertWidget(1 + head, chip)
            self.chips.append(chip)

    def checked(self) -> tuple[int, ...]:
        return tuple(head for head, chip in enumerate(self.chips) if chip.isChecked())

    def set_checked(self, heads) -> None:
        """Check these heads only, without announcing it (the caller draws them)."""
        wanted = set(heads)
        for head, chip in enumerate(self.chips):
            blocked = chip.blockSignals(True)
            chip.setChecked(head in wanted)
            chip.blockSignals(blocked)

    def _only(self, head: int) -> None:
        self.set_checked((head,))
        self.heads_changed.emit(self.checked())
