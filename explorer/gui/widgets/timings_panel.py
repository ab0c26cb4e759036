"""Time per layer as bars, with the total, tokens per second and the device (and a CPU/GPU switch)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.gui.i18n import tr
from explorer.gui.widgets.heatmap import colour_axes
from explorer.gui.widgets.layer_kinds import differ

LABEL_GAP = 6  # pixels kept free between two tick labels


def tick_step(span: float, pixels: float, label_pixels: float, whole: bool = False) -> float:
    """The smallest step of 1, 2 or 5 × 10^k whose labels fit: `span` units drawn over `pixels` px, each label
    taking `label_pixels` (a short axis at 1024×700 crowded 0, 50, 100, 150 into 30 px). whole: at least 1."""
    room = max(1, math.floor(pixels / label_pixels))  # labels that fit along the axis
    wanted = max(span, 1e-12) / room
    power = 10.0 ** math.floor(math.log10(wanted))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= wanted * (1 - 1e-9))
    return max(1.0, float(math.ceil(step))) if whole else step


def round_below(value: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above value (> 0): 187 → 100, 0.03 → 0.02."""
    power = 10.0 ** math.floor(math.log10(value))
    return max(m * power for m in (1, 2, 5) if m * power <= value * (1 + 1e-9))


def rate(tokens_per_second: float) -> str:
    """Tokens per second with the digits that mean something: never "0" for a slow but real rate."""
    if tokens_per_second >= 100:
        return f"{tokens_per_second:,.0f}"
    if tokens_per_second >= 10:
        return f"{tokens_per_second:.0f}"
    return f"{tokens_per_second:.2g}"


def summary(total_ms: float, computed: int, tokens_per_second: float, device: str, reused: int) -> str:
    """`Total 12.3 ms · 1 token computed (81 tokens/s) · 40 reused · cpu`: the rate is of the tokens this run
    computed, and the tokens reused from the previous run are named apart, not folded into the rate."""
    parts = [tr("Total {ms} ms").format(ms=f"{total_ms:.1f}")]
    counted = tr("1 token computed") if computed == 1 else tr("{n} tokens computed").format(n=computed)
    if computed > 0 and np.isfinite(tokens_per_second):
        counted += " " + tr("({rate} tokens/s)").format(rate=rate(tokens_per_second))
    parts.append(counted)
    if reused:
        parts.append(tr("{n} reused").format(n=reused))
    parts.append(device)
    return " · ".join(parts)


BAR_COLOUR, GLOBAL_COLOUR = "#4e79a7", "#f28e2b"  # Tableau blue and orange: told apart by colour-blind readers


class TimingsPanel(QWidget):
    device_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel(tr("No run yet"))
        self.summary.setAccessibleName(tr("Timing summary"))
        self.summary.setWordWrap(True)  # a narrow dock wraps the line instead of widening the window
        self.device = QComboBox()
        self.device.setToolTip(tr("Run on the CPU or a GPU (enabled when a GPU is present)"))
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(tr("Device")))
        top.addWidget(self.device)
        layout.addLayout(top)
        self.chart = pg.PlotWidget()
        self.chart.setMenuEnabled(False)
        self.chart.hideButtons()
        self.chart.setMouseEnabled(False, False)
        self.chart.setLabel("bottom", tr("layer"))
        self.chart.setLabel("left", tr("ms"))
        self.chart.setMinimumHeight(60)  # on a small screen the heatmap keeps the room, the bars give way
        self.chart.getViewBox().sigResized.connect(lambda _box: self._fit_ticks())
        self.layer_ms: list[float] = []
        for name in ("left", "bottom"):  # no numbers before the first run: pyqtgraph's 0…1 would mean nothing
            self.chart.getAxis(name).setStyle(showValues=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=BAR_COLOUR)
        self.kinds: tuple[str, ...] = ()  # each layer's kind ("local 512", "global"): global bars stand out
        self.chart.addItem(self.bars)
        layout.addWidget(self.chart, 1)
        self._quiet = False
        self.device.currentIndexChanged.connect(self._on_device)

    def set_devices(self, devices: tuple[str, ...], current: str) -> None:
        self._quiet = True
        self.device.clear()
        for name in devices:
            self.device.addItem(
                tr("GPU (CUDA)") if name == "cuda" else tr("GPU (MPS)") if name == "mps" else tr("CPU"), name
            )
        self.device.setCurrentIndex(max(0, self.device.findData(current)))
        self.device.setEnabled(len(devices) > 1)
        self._quiet = False

    def set_layer_kinds(self, kinds) -> None:
        """Each layer's kind, for models whose layers differ: global layers' bars are drawn in another colour
        (they attend over every token, and cost more at long context), and the chart's tooltip says so."""
        self.kinds = tuple(kinds)
        note = tr("Orange bars: global layers (every token); blue: local layers (a sliding window)")
        self.chart.setToolTip(note if differ(self.kinds) else "")

    def _brushes(self, count: int) -> list[str] | None:
        if not differ(self.kinds) or len(self.kinds) != count:
            return [BAR_COLOUR] * count
        return [BAR_COLOUR if kind.startswith("local") else GLOBAL_COLOUR for kind in self.kinds]

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the chart's background and its layer and ms axes."""
        self.chart.setBackground(background)
        colour_axes((self.chart.getAxis("left"), self.chart.getAxis("bottom")), foreground)

    def show_timings(
        self,
        layer_ms: list[float],
        total_ms: float,
        tokens_per_second: float,
        device: str,
        reused: int = 0,
        computed: int | None = None,
    ) -> None:
        """computed: tokens this run computed (the engine's Timings.n_tokens); when not given it is recovered
        from the rate, which the engine computes as computed / total time."""
        if computed is None:
            finite = np.isfinite(tokens_per_second)
            computed = int(round(tokens_per_second * total_ms / 1000.0)) if finite else 0
        x = np.arange(len(layer_ms))
        self.bars.setOpts(x=x, height=np.asarray(layer_ms), width=0.8, brushes=self._brushes(len(layer_ms)))
        self.chart.setXRange(-0.5, max(len(layer_ms) - 0.5, 0.5), padding=0)
        self.chart.setYRange(0, max(layer_ms, default=1.0) * 1.1, padding=0)
        self.layer_ms = list(layer_ms)
        for name in ("left", "bottom"):
            self.chart.getAxis(name).setStyle(showValues=True)
        self._fit_ticks()
        self.summary.setText(summary(total_ms, computed, tokens_per_second, device, reused))
        self.summary.setToolTip(
            tr(
                "Tokens per second counts only the tokens this run computed; reused tokens were taken unchanged "
                "from the previous run (the text before the edit)."
            )
        )

    def _fit_ticks(self) -> None:
        """As many tick labels as the chart has room for, so they never overlap: whole layers along the bottom
        (never "layer 0.5", at most 15 labels), round values up the ms axis."""
        if not self.layer_ms:
            return
        box, bottom, left = self.chart.getViewBox(), self.chart.getAxis("bottom"), self.chart.getAxis("left")
        metrics = QFontMetrics(bottom.style.get("tickFont") or self.chart.font())
        widest = metrics.horizontalAdvance(str(len(self.layer_ms) - 1)) + LABEL_GAP
        layers = tick_step(len(self.layer_ms), box.width(), widest, whole=True)
        layers = max(layers, math.ceil(len(self.layer_ms) / 15))
        bottom.setTickSpacing(layers, layers)
        top = max(self.layer_ms, default=1.0) * 1.1
        ms = tick_step(top, box.height(), metrics.height() + 2)  # lines of text may sit close
        if ms < top:
            left.setTicks(None)
            left.setTickSpacing(ms, ms)
        else:  # room for one label only: the largest round value on the axis says more than a lone 0
            highest = round_below(top)
            left.setTicks([[(highest, f"{highest:g}")]])

    def _on_device(self, index: int) -> None:
        if not self._quiet and index >= 0:
            self.device_changed.emit(self.device.itemData(index))
