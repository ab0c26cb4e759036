"""The monkey's actions: what a careless user does to the window, each one drawn from a seeded generator.

Every action acts through the widgets a user touches (keys, combos, spin boxes, the editor, the menus' slots)
and respects what the user could reach: disabled controls and hidden selectors are left alone. Each returns
an Outcome: what it did, in words that reproduce it, and whether it must show an error.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from .files import Sample
from .io_actions import IoActions, Outcome

KEYS = {"Left": Qt.Key_Left, "Right": Qt.Key_Right, "Up": Qt.Key_Up, "Down": Qt.Key_Down, "Home": Qt.Key_Home}
KEYS["End"] = Qt.Key_End
# QTest.keyClicks aborts the process on a character outside ASCII, so other scripts arrive as an input
# method (or a paste) delivers them: inserted at the cursor.
WORDS = ["the", "cat", "attention", " ", ".", "Hello", "42", "\t", "!?"]
FOREIGN = ["héllo", "naïve", "注意力", "一只猫", "🙂", "مرحبا", "é", "Ωμέγα", "\u00a0", "日本語のテキスト"]
THETAS = (1.0, 100.0, 10000.0, 500000.0, 1e8)
TEMPERATURES = (0.05, 0.5, 1.0, 2.5, 20.0)


class Actions(IoActions):
    def __init__(self, window, rng: random.Random, models: list[str], samples: list[Sample], work: Path):
        self.window, self.rng, self.models, self.samples, self.work = window, rng, models, samples, work
        self.tool = window.tools["maps"]
        self.count = 0  # numbers the files the monkey writes
        self.saved_sessions: list[Path] = []

    def table(self) -> list[tuple[int, Callable[[], Outcome]]]:
        """(weight, action): typing, keys and variants are what users do most; files and models less often."""
        return [
            (14, self.key),
            (6, self.navigate),
            (14, self.variant),
            (12, self.type_text),
            (6, self.delete_text),
            (3, self.replace_text),
            (3, self.switch_model),
            (5, self.open_file),
            (3, self.export),
            (1, self.export_layer),
            (3, self.save_session),
            (2, self.open_saved_session),
            (3, self.cancel),
            (3, self.display),
            (1, self.overview),
            (2, self.rerun),
            (1, self.single_text),
        ]

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    # -- the map ---------------------------------------------------------------------------------------------
    def key(self) -> Outcome:
        name = self.pick(list(KEYS))
        ctrl = self.rng.random() < 0.3
        figure = self.tool.view.current_figure()
        QTest.keyClick(figure, KEYS[name], Qt.ControlModifier if ctrl else Qt.NoModifier)
        return Outcome(f"key {'Ctrl+' if ctrl else ''}{name}")

    def navigate(self) -> Outcome:
        nav = self.tool.view.navigation
        choices = [("layer", nav.layer), ("view", nav.view)]
        if nav.head.isEnabled():
            choices.append(("head", nav.head))
        if nav.seq.isVisible() and nav.seq.count() > 1:
            choices.append(("sequence", nav.seq))
        name, widget = self.pick(choices)
        if name in ("layer", "head"):
            value = self.rng.randint(widget.minimum(), widget.maximum())
            widget.setValue(value)
        else:
            value = self.rng.randrange(widget.count())
            widget.setCurrentIndex(value)
        return Outcome(f"navigation {name} = {value}")

    def display(self) -> Outcome:
        combo = self.pick([self.window.colormap_combo, self.window.scale_combo])
        index = self.rng.randrange(combo.count())
        combo.setCurrentIndex(index)
        return Outcome(f"display {combo.itemText(index)}")

    def overview(self) -> Outcome:
        self.tool.overview_dock.toggleViewAction().trigger()
        return Outcome(f"overview dock {'shown' if self.tool.overview_dock.isVisible() else 'hidden'}")

    # -- the variant -----------------------------------------------------------------------------------------
    def variant(self) -> Outcome:
        p = self.window.shared.variant_panel
        combos = {"mask": p.mask_base, "positions": p.position, "kv heads": p.kv_heads}
        boxes = {"window on": p.window_on, "no self": p.no_self, "padding mask": p.padding_mask}
        spins = {
            "prefix": (p.prefix, lambda: self.rng.randint(1, 12)),
            "window": (p.window, lambda: self.rng.randint(1, 16)),
            "theta": (p.rope_theta, lambda: self.pick(THETAS)),
            "temperature": (p.temperature, lambda: self.pick(TEMPERATURES)),
        }
        names = [n for n, w in {**combos, **boxes, **{k: v[0] for k, v in spins.items()}}.items() if w.isEnabled()]
        name = self.pick([*names, "reset"])
        if name == "reset":
            QTest.mouseClick(p.reset, Qt.LeftButton)
            return Outcome("variant reset")
        if name in combos:
            value = self.rng.randrange(combos[name].count())
            combos[name].setCurrentIndex(value)
        elif name in boxes:
            QTest.mouseClick(boxes[name], Qt.LeftButton, pos=boxes[name].rect().bottomLeft() / 2)
            value = boxes[name].isChecked()
        else:
            widget, draw = spins[name]
            value = draw()
            widget.setValue(value)
        return Outcome(f"variant {name} = {value}")

    # -- the text --------------------------------------------------------------------------------------------
    def _cursor_at_random(self):
        editor = self.window.shared.editor
        cursor = editor.textCursor()
        cursor.setPosition(self.rng.randint(0, len(editor.toPlainText())))
        editor.setTextCursor(cursor)
        return editor, cursor

    def type_text(self) -> Outcome:
        editor, cursor = self._cursor_at_random()
        if self.rng.random() < 0.6:
            text = self.pick(WORDS)
            QTest.keyClicks(editor, text)
        else:
            text = self.pick(FOREIGN)
            cursor.insertText(text)
        return Outcome(f"type {text!r} at {cursor.position() - len(text)}")

    def delete_text(self) -> Outcome:
        editor, cursor = self._cursor_at_random()
        if self.rng.random() < 0.2:
            editor.selectAll()
            QTest.keyClick(editor, Qt.Key_Backspace)
            return Outcome("delete all the text")
        count = self.rng.randint(1, 6)
        for _ in range(count):
            QTest.keyClick(editor, self.pick([Qt.Key_Backspace, Qt.Key_Delete]))
        return Outcome(f"delete {count} characters around {cursor.position()}")

    def replace_text(self) -> Outcome:
        words = [self.pick(WORDS + FOREIGN) for _ in range(self.rng.choice((1, 8, 40, 400)))]
        self.window.shared.editor.setPlainText(" ".join(words))
        return Outcome(f"replace the text with {len(words)} words")

    def single_text(self) -> Outcome:
        self.window.files.single_text()
        return Outcome("back to single text")
