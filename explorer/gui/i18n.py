"""Translating the interface: one `tr` for every user-visible string, read by Qt Linguist's `pyside6-lupdate`.

Every string goes through `tr("...")` with a literal argument, so `pyside6-lupdate` finds it. All strings share
one (empty) context: `lupdate` gives module-level calls that context, and a string reads the same wherever it
appears. Placeholders use str.format after translation: `tr("Layer {layer}").format(layer=3)`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = ""  # what pyside6-lupdate records for a call to a plain function named `tr`


def tr(text: str, disambiguation: str | None = None, count: int = -1) -> str:
    """The text in the interface's language (the text itself when no translation is installed)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation, count)
