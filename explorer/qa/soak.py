"""The memory soak: typing runs and model/variant switches in a real window, and how resident memory grows.

Memory is read at the start, after a warm-up (every model and variant seen once) and at the end; growth after
the warm-up is what a long session would leak.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from .driver import settle

MODEL_SWITCH_EVERY = 5  # of the switches, every fifth changes the model, the rest the attention variant
WARM_UP_RUNS = 20  # typing runs and switches before the warm reading: every model and variant seen once
TEMPERATURES = (0.5, 1.0, 2.0)


def rss_mb(collect: bool = True) -> float:
    """Resident memory of this process in MiB, after a garbage collection (so only live objects count).

    collect=False reads it as it is: a run that watches for crashes must not collect on its own schedule."""
    if collect:
        gc.collect()
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # psutil comes with the test extras; Linux has /proc without it
        import os

        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class SoakReport:
    runs: int
    readings: dict[str, float] = field(default_factory=dict)  # "start", "warm", "end" -> RSS in MiB

    @property
    def growth_mb(self) -> float:
        return self.readings["end"] - self.readings["warm"]

    def describe(self) -> str:
        r = self.readings
        return (
            f"soak: {self.runs} typing runs and {self.runs} model/variant switches "
            f"(every {MODEL_SWITCH_EVERY}th a model switch)\n"
            f"RSS at start {r['start']:.0f} MiB, after warm-up {r['warm']:.0f} MiB, at the end {r['end']:.0f} MiB; "
            f"growth after warm-up {self.growth_mb:+.1f} MiB"
        )


class Soak:
    def __init__(self, window, models: list[str]):
        self.window, self.models = window, models
        self._model_cycle = itertools.cycle(models[1:] + models[:1]) if len(models) > 1 else None
        self._variants = itertools.cycle(self._variant_steps())
        self._typed = 0

    def run(self, runs: int, on_step: Callable[[str, int], None] | None = None) -> SoakReport:
        report = SoakReport(runs)
        settle(self.window)
        report.readings["start"] = rss_mb()
        warm_up = max(WARM_UP_RUNS, 2 * MODEL_SWITCH_EVERY * len(self.models))
        self._phase(min(warm_up, runs), min(warm_up, runs), on_step)
        report.readings["warm"] = rss_mb()
        self._phase(runs, runs, on_step)
        report.readings["end"] = rss_mb()
        return report

    def _phase(self, typing: int, switches: int, on_step) -> None:
        for index in range(typing):
            self.type_once()
            settle(self.window)
            if on_step is not None:
                on_step("typing", index + 1)
        for index in range(switches):
            self.switch_once(index)
            settle(self.window)
            if on_step is not None:
                on_step("switch", index + 1)

    def type_once(self) -> None:
        """Add a letter at the end, then take it away the next time: the text stays short, every edit runs."""
        editor = self.window.shared.editor
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        QTest.keyClick(editor, Qt.Key_Backspace if self._typed % 2 else Qt.Key_S)
        self._typed += 1

    def switch_once(self, index: int) -> None:
        if self._model_cycle is not None and index % MODEL_SWITCH_EVERY == MODEL_SWITCH_EVERY - 1:
            self.switch_model(next(self._model_cycle))
        else:
            next(self._variants)()

    def switch_model(self, model: str) -> None:
        combo = self.window.model_picker.combo
        index = combo.findData(model)
        if index < 0:
            self.window.model_picker.add_model_path(model)
            return
        combo.setCurrentIndex(index)
        combo.activated.emit(index)

    def _variant_steps(self) -> list[Callable[[], None]]:
        panel = self.window.shared.variant_panel

        def kv_heads() -> None:
            panel.kv_heads.setCurrentIndex((panel.kv_heads.currentIndex() + 1) % max(panel.kv_heads.count(), 1))

        def mask() -> None:
            panel.mask_base.setCurrentIndex((panel.mask_base.currentIndex() + 1) % panel.mask_base.count())

        def temperature() -> None:
            current = panel.temperature.value()
            panel.temperature.setValue(next(t for t in (*TEMPERATURES, TEMPERATURES[0]) if t != current))

        return [kv_heads, mask, temperature, lambda: QTest.mouseClick(panel.reset, Qt.LeftButton)]
