"""Colormap, scale and plot colours: how every figure draws, shared by the tools; the first two are remembered."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from explorer.core.display import COLORMAPS, SCALES


class DisplaySettings(QObject):
    colormap_changed = Signal(str)
    scale_changed = Signal(str)
    colours_changed = Signal(str, str)  # plot background, foreground: follow the light or dark palette

    def __init__(self, settings: QSettings):
        super().__init__()
        self._settings = settings
        colormap, scale = str(settings.value("colormap", "viridis")), str(settings.value("scale", "linear"))
        self.colormap = colormap if colormap in COLORMAPS else "viridis"
        self.scale = scale if scale in SCALES else "linear"
        self.colours = ("#ffffff", "#000000")

    def set_colours(self, background: str, foreground: str) -> None:
        self.colours = (background, foreground)
        self.colours_changed.emit(background, foreground)

    def set_colormap(self, name: str) -> None:
        if name not in COLORMAPS:
            raise ValueError(f"colormap: '{name}' is not one of {', '.join(COLORMAPS)}")
        if name != self.colormap:
            self.colormap = name
            self._settings.setValue("colormap", name)
            self.colormap_changed.emit(name)

    def set_scale(self, scale: str) -> None:
        if scale not in SCALES:
            raise ValueError(f"scale: '{scale}' is not one of {', '.join(SCALES)}")
        if scale != self.scale:
            self.scale = scale
            self._settings.setValue("scale", scale)
            self.scale_changed.emit(scale)
