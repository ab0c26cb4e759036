"""The window's centre: the tools' views as pages of a stack, in a scroll area, so no tool can push the window
past the screen.

A tool's view has a minimum size (the Seq2seq Lab's form and figures need about 740 × 480). Shown bare in the
window, that minimum adds to the docks' and Qt grows the window to make room, off a 1366 × 768 screen. Here a
view keeps its minimum only up to ROOM; a view that needs more than the window has scrolls instead.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget

# The most a tool's view may ask of the window: the Maps view's height (360), so that on a small screen the docks
# give way to the map, and a width that leaves an 800 × 600 window room for the variant dock and the Heads
# tool's lens beside it. A view that needs more scrolls.
ROOM = QSize(340, 360)


class CurrentPageStack(QStackedWidget):
    """The tools' views: only the page on screen sets the window's size, not the widest tool ever built."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else super().minimumSizeHint()


class ToolArea(QScrollArea):
    """The stack of tool views, scrolled when the window is smaller than the view in front needs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.NoFrame)
        self.setWidgetResizable(True)
        self.stack = CurrentPageStack()
        self.setWidget(self.stack)
        self.stack.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.stack.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.stack.minimumSizeHint().boundedTo(ROOM)
