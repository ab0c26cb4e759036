"""Spin boxes that say their range: in the tooltip, and with a message when a typed value was out of range.

A plain QSpinBox refuses the keystroke that takes a number past its maximum, and puts back the previous value
when one below its minimum is entered: either way the user's number is replaced without a word. These keep
what was typed on screen until it is entered, then set the nearest value in range and send `out_of_range`
with a sentence saying so (the tool shows it in the status bar). The tooltip ends with the range, kept up to
date when the range changes (a model with more layers).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox

from explorer.gui.i18n import tr


def range_text(low, high) -> str:
    return tr("from {low} to {high}").format(low=low, high=high)


def out_of_range_message(name: str, typed, low, high, value) -> str:
    return tr("{name}: {typed} is out of range ({range}); set to {value}").format(
        name=name, typed=typed, range=range_text(low, high), value=value
    )


class _RangeTelling:
    """What both spin boxes share; the class it is mixed into is a QSpinBox or a QDoubleSpinBox."""

    def _setup(self, name: str, tip: str) -> None:
        self._name, self._tip = name, tip
        self.setAccessibleName(name)
        self.setCorrectionMode(QAbstractSpinBox.CorrectToNearestValue)
        self._show_tip()

    def _show_tip(self) -> None:
        low, high = self.textFromValue(self.minimum()), self.textFromValue(self.maximum())
        shown = range_text(low, high)
        tip = tr("{tip} ({range})").format(tip=self._tip, range=shown) if self._tip else shown
        self.setToolTip(tip)

    def _typed_number(self, text: str):
        """The number in the typed text (prefix, suffix and spaces stripped), or None if there is none."""
        body = text
        if self.prefix() and body.startswith(self.prefix()):
            body = body[len(self.prefix()) :]
        if self.suffix() and body.endswith(self.suffix()):
            body = body[: -len(self.suffix())]
        body = body.strip().replace(self.locale().groupSeparator(), "")
        try:
            return self._parse(body.replace(self.locale().decimalPoint(), "."))
        except ValueError:
            return None

    def validate(self, text: str, position: int):  # noqa: D102
        state, text, position = super().validate(text, position)
        if state == QValidator.Invalid and self._typed_number(text) is not None:
            state = QValidator.Intermediate  # a number out of range stays on screen until it is entered
        return state, text, position

    def fixup(self, text: str):  # noqa: D102
        typed = self._typed_number(text)
        if typed is not None and not self.minimum() <= typed <= self.maximum():
            value = min(max(typed, self.minimum()), self.maximum())
            low, high = self.textFromValue(self.minimum()), self.textFromValue(self.maximum())
            self.out_of_range.emit(out_of_range_message(self._name, text.strip(), low, high, self.textFromValue(value)))
            return self.prefix() + self.textFromValue(value) + self.suffix()  # Qt's own correction picks the minimum
        return super().fixup(text)

    def setRange(self, low, high) -> None:  # noqa: N802
        super().setRange(low, high)
        self._show_tip()

    def setMinimum(self, low) -> None:  # noqa: N802
        super().setMinimum(low)
        self._show_tip()

    def setMaximum(self, high) -> None:  # noqa: N802
        super().setMaximum(high)
        self._show_tip()


class RangeSpinBox(_RangeTelling, QSpinBox):
    out_of_range = Signal(str)  # the sentence to show: what was typed, the range, and the value set

    def __init__(self, low: int, high: int, name: str, tip: str = "", parent=None):
        super().__init__(parent)
        self._name, self._tip = name, tip
        self.setRange(low, high)
        self._setup(name, tip)

    @staticmethod
    def _parse(body: str) -> int:
        return int(body)


class RangeDoubleSpinBox(_RangeTelling, QDoubleSpinBox):
    out_of_range = Signal(str)

    def __init__(self, low: float, high: float, decimals: int, name: str, tip: str = "", parent=None):
        super().__init__(parent)
        self._name, self._tip = name, tip
        self.setDecimals(decimals)
        self.setRange(low, high)
        self._setup(name, tip)

    @staticmethod
    def _parse(body: str) -> float:
        return float(body)
