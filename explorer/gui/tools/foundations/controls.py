"""A page's settings as named controls: built in one line each, read and restored as plain data, checked.

Each control has a name (its key in the session file), a kind and a range, so a saved page can be checked
field by field before anything is applied: every problem is a ValueError naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QWidget,
)

LOG_STEPS = 200  # a log slider's positions


@dataclass
class _Control:
    kind: str  # int, float, choice, bool, text
    widget: QWidget
    low: float = 0.0
    high: float = 0.0
    choices: tuple = ()


class LogSlider(QWidget):
    """A float on a logarithmic slider with its value written beside it: a bandwidth from 0.02 to 5."""

    valueChanged = Signal(float)  # noqa: N815 - Qt's spelling, like the other controls

    def __init__(self, low: float, high: float, value: float, parent=None):
        super().__init__(parent)
        self.low, self.high = low, high
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, LOG_STEPS)
        self.label = QLabel()
        self.label.setMinimumWidth(44)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self._value = value
        self.setValue(value)
        self.slider.valueChanged.connect(self._moved)

    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:  # noqa: N802
        self._value = float(min(max(value, self.low), self.high))
        where = math.log(self._value / self.low) / math.log(self.high / self.low)
        self.slider.blockSignals(True)
        self.slider.setValue(round(where * LOG_STEPS))
        self.slider.blockSignals(False)
        self.label.setText(f"{self._value:.3g}")

    def _moved(self, position: int) -> None:
        self._value = self.low * (self.high / self.low) ** (position / LOG_STEPS)
        self.label.setText(f"{self._value:.3g}")
        self.valueChanged.emit(self._value)


class Controls(QObject):
    changed = Signal(str)  # the name of the control the user changed
    restored = Signal()  # settings were set from saved data (signals blocked meanwhile): pages arrange their rows

    def __init__(self, form: QFormLayout, field: str):
        super().__init__()
        self.form, self.field = form, field  # field: 'tools.foundations.pooling', for messages
        self.controls: dict[str, _Control] = {}

    def _add(self, name: str, label: str, control: _Control, signal) -> QWidget:
        self.controls[name] = control
        self.form.addRow(label, control.widget)
        signal.connect(lambda *_: self.changed.emit(name))
        return control.widget

    def integer(self, name: str, label: str, low: int, high: int, value: int) -> QSpinBox:
        box = QSpinBox(minimum=low, maximum=high, value=value)
        return self._add(name, label, _Control("int", box, low, high), box.valueChanged)

    def real(self, name: str, label: str, low: float, high: float, value: float, decimals: int = 2) -> QDoubleSpinBox:
        box = QDoubleSpinBox(minimum=low, maximum=high, value=value, decimals=decimals)
        box.setSingleStep(10 ** -(decimals - 1) if decimals > 1 else 1)
        return self._add(name, label, _Control("float", box, low, high), box.valueChanged)

    def log_slider(self, name: str, label: str, low: float, high: float, value: float) -> LogSlider:
        slider = LogSlider(low, high, value)
        return self._add(name, label, _Control("float", slider, low, high), slider.valueChanged)

    def choice(self, name: str, label: str, items: list[tuple[str, str]], value: str) -> QComboBox:
        """items: (data, shown text) pairs."""
        combo = QComboBox()
        for data, text in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        control = _Control("choice", combo, choices=tuple(data for data, _ in items))
        return self._add(name, label, control, combo.currentIndexChanged)

    def flag(self, name: str, label: str, value: bool) -> QCheckBox:
        box = QCheckBox(label)
        box.setChecked(value)
        self.controls[name] = _Control("bool", box)
        self.form.addRow("", box)
        box.toggled.connect(lambda *_: self.changed.emit(name))
        return box

    def text(self, name: str, label: str, value: str, lines: int = 4) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
        return self._add(name, label, _Control("text", edit), edit.textChanged)

    def value(self, name: str):
        control = self.controls[name]
        widget = control.widget
        if control.kind == "choice":
            return widget.currentData()
        if control.kind == "bool":
            return widget.isChecked()
        if control.kind == "text":
            return widget.toPlainText()
        return widget.value()

    def values(self) -> dict:
        return {name: self.value(name) for name in self.controls}

    def check(self, data) -> None:
        """Raise ValueError naming the first field that restore would reject."""
        if not isinstance(data, dict):
            raise ValueError(f'"{self.field}" must be an object')
        for name, value in data.items():
            control = self.controls.get(name)
            where = f'"{self.field}.{name}"'
            if control is None:
                raise ValueError(f"{where} is not a setting; allowed: {', '.join(self.controls)}")
            if control.kind in ("int", "float"):
                whole = isinstance(value, int) and not isinstance(value, bool)
                fits = whole if control.kind == "int" else (whole or isinstance(value, float))
                if not fits or not control.low <= value <= control.high:
                    raise ValueError(
                        f"{where} must be a number from {control.low:g} to {control.high:g}, not {value!r}"
                    )
            elif control.kind == "choice" and value not in control.choices:
                raise ValueError(f"{where} must be one of {', '.join(map(str, control.choices))}, not {value!r}")
            elif control.kind == "bool" and not isinstance(value, bool):
                raise ValueError(f"{where} must be true or false, not {value!r}")
            elif control.kind == "text" and not isinstance(value, str):
                raise ValueError(f"{where} must be text, not {value!r}")

    def restore(self, data: dict) -> None:
        self.check(data)
        for name, value in data.items():
            widget = self.controls[name].widget
            widget.blockSignals(True)
            kind = self.controls[name].kind
            if kind == "choice":
                widget.setCurrentIndex(widget.findData(value))
            elif kind == "bool":
                widget.setChecked(value)
            elif kind == "text":
                widget.setPlainText(value)
            else:
                widget.setValue(value)
            widget.blockSignals(False)
        self.restored.emit()
