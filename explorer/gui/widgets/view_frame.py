"""A titled frame around one figure: its title, an Export… button, the figure, and a line for the hover readout."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from explorer.gui.i18n import tr


class ViewFrame(QFrame):
    export_requested = Signal()

    def __init__(self, title: str, figure: QWidget, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.figure = figure
        self.title = QLabel(f"<b>{html.escape(title)}</b>")
        self.title.setWordWrap(True)
        self.export_button = QToolButton()
        self.export_button.setText(tr("Export…"))
        self.export_button.setToolTip(tr("Save this figure (PNG, SVG, PDF) or its numbers (NPY, CSV, JSON)"))
        self.export_button.clicked.connect(self.export_requested)
        self.hint = QLabel()  # in the figure's place while it has nothing to show: what will appear, and how
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # drawn in the palette's muted text colour
        self.hint.hide()
        self.readout = QLabel(" ")
        self.readout.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # a long readout never widens the page
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(figure, 1)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.readout)
        hovered = getattr(figure, "hovered", None)
        if hovered is not None:
            hovered.connect(lambda text: self.readout.setText(text or " "))

    def set_hint(self, text: str) -> None:
        """Show text instead of the empty figure (its axes would mean nothing yet); "" shows the figure."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.figure.setVisible(not text)

    def set_title(self, title: str) -> None:
        self.title.setText(f"<b>{html.escape(title)}</b>")
