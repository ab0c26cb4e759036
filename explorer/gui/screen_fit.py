"""Where a window goes so that its frame fits the screen: shrunk when too big, moved in when off screen."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect


def fit_rect(frame: QRect, margins: QMargins, available: QRect) -> QRect:
    """The window's geometry (inside its frame) so that the frame fits the available screen area.

    Too big: shrunk to the screen. Off screen, even partly: moved in. A window that fits stays where it is.
    """
    width = min(frame.width(), available.width()) - margins.left() - margins.right()
    height = min(frame.height(), available.height()) - margins.top() - margins.bottom()
    outer_w, outer_h = width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
    x = min(max(frame.x(), available.left()), available.left() + available.width() - outer_w)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - outer_h)
    return QRect(x + margins.left(), y + margins.top(), width, height)
