"""The formulas beside a view: a few lines of rich text with Unicode mathematics, selectable and wrapped.

Formulas are written with Unicode (α, √, ∑, ⊙, subscripts) in the interface's own font, so they stay legible in
any language and at any size; Qt falls back per glyph for CJK text in the explanations around them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

FORMULA_STYLE = "font-family: 'DejaVu Sans', sans-serif; font-size: 11pt"


class FormulaPanel(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.setMinimumWidth(240)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        self.setContentsMargins(8, 6, 8, 6)
        self.entries: list[tuple[str, str]] = []

    def set_formulas(self, entries: list[tuple[str, str]], note: str = "") -> None:
        """entries: (what it is, the formula) pairs, both plain text (escaped here); note: a sentence below."""
        self.entries = list(entries)
        rows = "".join(
            f"<p style='margin:0 0 2px 0'><b>{html.escape(title)}</b></p>"
            f"<p style='margin:0 0 10px 12px; {FORMULA_STYLE}'>{html.escape(formula).replace(chr(10), '<br>')}</p>"
            for title, formula in entries
        )
        tail = f"<p style='margin-top:4px'><i>{html.escape(note)}</i></p>" if note else ""
        self.setText(rows + tail)

    def plain_text(self) -> str:
        """What the panel says, without markup (for tests and for a caption)."""
        return "\n".join(f"{title}: {formula}" for title, formula in self.entries)
