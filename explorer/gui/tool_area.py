"""The window's centre: the tools' views as pages of a stack, in a scroll area, so no tool can push the window
past the screen.

A tool's view has a minimum size (the Seq2seq Lab's form and figures need about 740 × 480). Shown bare in the
window, that minimum adds to the docks' and Qt grows the window to make room, off a 1366 × 768 screen. Here a
view keeps its minimum only up to ROOM; a view that needs more than the window has scrolls instead.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from .i18n import tr

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

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """The scroll area sizes the stack by this when any page wraps text, and the stack's layout answers the
        tallest page's height (Generate's 1,090 px): the Heads view then scrolled in a 370 px window. Only the page
        in front counts."""
        page = self.currentWidget()
        if page is None:
            return super().heightForWidth(width)
        layout = page.layout()
        # What the page needs at this width, not what it would like: the rest of the area is stretch.
        wanted = layout.minimumHeightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
        return max(wanted, page.minimumSizeHint().height(), page.minimumSize().height())


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


class StaleBanner(QLabel):
    """A line above the tool's view while the run on screen no longer matches the text: it stays until it does."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("StaleBanner")
        self.setWordWrap(True)
        self.setAccessibleName(tr("The views are out of date"))
        self.setStyleSheet("QLabel#StaleBanner { background: #fff3cd; color: #5c4400; padding: 4px 8px; }")
        self.hide()

    def show_stale(self, shown: bool, empty_text: bool) -> None:
        if not shown:
            self.hide()
            return
        if empty_text:
            self.setText(tr("⚠ The text is empty: the views below are of the last text that was run, greyed."))
        else:
            self.setText(tr("⚠ Out of date: the views below are of the last run, not of the current text. F5 runs it."))
        self.show()


class ToolCentre(QWidget):
    """The window's central widget: the stale banner over the scrolled stack of tool views."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.banner = StaleBanner()
        self.area = ToolArea()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.area, 1)
        self.banner.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
