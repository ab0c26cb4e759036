"""A form of named settings from plain field specs: choices, integers and decimals, with a line for problems.

The form knows no model: the caller lists the fields, reads values() as a plain dict, and shows the checker's
message with show_problem (the field it names is outlined). An integer field may have a "none" value shown as
its special text (e.g. KV heads "= heads"), which reads back as None. Given a rule (values -> the names that
apply), the form greys out the other fields itself after every change, from the user or from code alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from explorer.gui.i18n import tr

PROBLEM_STYLE = "color: #c0392b;"
OUTLINE_STYLE = "border: 2px solid #c0392b;"


@dataclass(frozen=True)
class Field:
    name: str  # the key in values()
    label: str  # translated by the caller
    choices: tuple[tuple[str, str], ...] = ()  # (shown text, value); empty for a number
    minimum: float = 0
    maximum: float = 1
    decimals: int = 0  # 0: an integer spin box
    none_text: str = ""  # an integer field whose minimum stands for None, shown as this text
    tooltip: str = ""


class SettingsForm(QWidget):
    edited = Signal(str)  # the name of the field the user changed

    def __init__(self, fields: list[Field], parent=None, active: Callable[[dict], Iterable[str]] | None = None):
        super().__init__(parent)
        self.active_rule = active  # values -> the names of the fields that apply; None: all of them
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setAccessibleName(tr("Problem with the settings"))
        self.problem.hide()
        layout.addWidget(self.problem)
        self.fields = {field.name: field for field in fields}
        self.editors: dict[str, QWidget] = {}
        self._quiet = False
        for field in fields:
            editor = self._editor(field)
            editor.setToolTip(field.tooltip)
            editor.setAccessibleName(field.label)
            self.editors[field.name] = editor
            self.form.addRow(field.label, editor)
        self._follow_rule()

    def _editor(self, field: Field) -> QWidget:
        if field.choices:
            editor = QComboBox()
            for text, value in field.choices:
                editor.addItem(text, value)
            editor.currentIndexChanged.connect(lambda _i, name=field.name: self._on_edit(name))
            return editor
        editor = QSpinBox() if field.decimals == 0 else QDoubleSpinBox(decimals=field.decimals)
        editor.setRange(field.minimum, field.maximum)
        if field.decimals:
            editor.setSingleStep(10**-field.decimals * 5)
        if field.none_text:
            editor.setSpecialValueText(field.none_text)
        editor.setKeyboardTracking(False)  # typing "128" is one edit, not three
        editor.valueChanged.connect(lambda _v, name=field.name: self._on_edit(name))
        return editor

    def values(self) -> dict:
        result = {}
        for name, field in self.fields.items():
            editor = self.editors[name]
            if field.choices:
                result[name] = editor.currentData()
            elif field.none_text and editor.value() == field.minimum:
                result[name] = None
            else:
                result[name] = editor.value()
        return result

    def set_values(self, values: dict) -> None:
        """Show these values (unknown keys are ignored; a choice not offered raises ValueError naming it)."""
        self._quiet = True
        try:
            for name, value in values.items():
                field, editor = self.fields.get(name), self.editors.get(name)
                if field is None:
                    continue
                if field.choices:
                    index = editor.findData(value)
                    if index < 0:
                        raise ValueError(f"{name}: {value!r} is not one of {[v for _, v in field.choices]}")
                    editor.setCurrentIndex(index)
                else:
                    editor.setValue(field.minimum if value is None else value)
        finally:
            self._quiet = False
            self._follow_rule()

    def set_active(self, names) -> None:
        """Enable these fields and disable the others (a setting the chosen system does not use)."""
        for name, editor in self.editors.items():
            editor.setEnabled(name in names)

    def _follow_rule(self) -> None:
        if self.active_rule is not None:
            self.set_active(set(self.active_rule(self.values())))

    def show_problem(self, message: str, field: str | None = None) -> None:
        """A problem in words under the form, its field outlined; an empty message clears both."""
        self.problem.setText(message)
        self.problem.setVisible(bool(message))
        for name, editor in self.editors.items():
            editor.setStyleSheet(OUTLINE_STYLE if message and name == field else "")

    def _on_edit(self, name: str) -> None:
        if not self._quiet:
            self._follow_rule()
            self.edited.emit(name)
