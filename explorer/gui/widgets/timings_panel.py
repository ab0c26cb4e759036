"""Time per layer as bars, with the total, tokens per second and the device (and a CPU/GPU switch)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.gui.widgets.heatmap import colour_axes


class TimingsPanel(QWidget):
    device_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel("No run yet")
        self.summary.setAccessibleName("Timing summary")
        self.device = QComboBox()
        self.device.setToolTip("Run on the CPU or a GPU (enabled when a GPU is present)")
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("Device"))
        top.addWidget(self.device)
        layout.addLayout(top)
        self.chart = pg.PlotWidget()
        self.chart.setMenuEnabled(False)
        self.chart.hideButtons()
        self.chart.setMouseEnabled(False, False)
        self.chart.setLabel("bottom", "layer")
        self.chart.setLabel("left", "ms")
        self.chart.setMinimumHeight(120)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush="#4e79a7")
        self.chart.addItem(self.bars)
        layout.addWidget(self.chart, 1)
        self._quiet = False
        self.device.currentIndexChanged.connect(self._on_device)

    def set_devices(self, devices: tuple[str, ...], current: str) -> None:
        self._quiet = True
        self.device.clear()
        for name in devices:
            self.device.addItem("GPU (CUDA)" if name == "cuda" else "GPU (MPS)" if name == "mps" else "CPU", name)
        self.device.setCurrentIndex(max(0, self.device.findData(current)))
        self.device.setEnabled(len(devices) > 1)
        self._quiet = False

    def apply_colours(self, background: str, foreground: str) -> None:
        """Follow the application's palette: the chart's background and its layer and ms axes."""
        self.chart.setBackground(background)
        colour_axes((self.chart.getAxis("left"), self.chart.getAxis("bottom")), foreground)

    def show_timings(
        self, layer_ms: list[float], total_ms: float, tokens_per_second: float, device: str, reused: int = 0
    ) -> None:
        x = np.arange(len(layer_ms))
        self.bars.setOpts(x=x, height=np.asarray(layer_ms), width=0.8)
        self.chart.setXRange(-0.5, max(len(layer_ms) - 0.5, 0.5), padding=0)
        self.chart.setYRange(0, max(layer_ms, default=1.0) * 1.1, padding=0)
        step = max(1, int(np.ceil(len(layer_ms) / 15)))  # whole layers only, never "layer 0.5"
        self.chart.getAxis("bottom").setTickSpacing(step, step)
        reuse = f" · {reused} tokens reused from the previous run" if reused else ""
        self.summary.setText(f"Total {total_ms:.1f} ms · {tokens_per_second:,.0f} tokens/s · {device}{reuse}")

    def _on_device(self, index: int) -> None:
        if not self._quiet and index >= 0:
            self.device_changed.emit(self.device.itemData(index))
