"""Light and dark palettes that follow the system's colour scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text = QColor(30, 30, 32), QColor(45, 45, 48), QColor(225, 225, 225)
    for role, colour in (
        (QPalette.Window, window),
        (QPalette.WindowText, text),
        (QPalette.Base, base),
        (QPalette.AlternateBase, window),
        (QPalette.ToolTipBase, window),
        (QPalette.ToolTipText, text),
        (QPalette.Text, text),
        (QPalette.Button, window),
        (QPalette.ButtonText, text),
        (QPalette.Highlight, QColor(66, 133, 244)),
        (QPalette.HighlightedText, QColor(255, 255, 255)),
        (QPalette.Link, QColor(110, 170, 255)),
        (QPalette.PlaceholderText, QColor(140, 140, 140)),
    ):
        palette.setColor(role, colour)
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor(120, 120, 120))
    return palette


def apply_palette(app: QApplication) -> None:
    app.setStyle("Fusion")  # the one style that honours a custom palette on every platform
    app.setPalette(dark_palette() if is_dark() else app.style().standardPalette())


def plot_colours() -> tuple[str, str]:
    """(background, foreground) for pyqtgraph widgets under the current palette."""
    palette = QApplication.palette()
    return palette.color(QPalette.Base).name(), palette.color(QPalette.WindowText).name()
