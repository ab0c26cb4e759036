"""A titled frame around one figure: its title, an Export… button, the figure, and a line for the hover readout."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
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
        layout.addWidget(self.readout)
        hovered = getattr(figure, "hovered", None)
        if hovered is not None:
            hovered.connect(lambda text: self.readout.setText(text or " "))

    def set_title(self, title: str) -> None:
        self.title.setText(f"<b>{html.escape(title)}</b>")
