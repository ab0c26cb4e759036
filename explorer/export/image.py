"""Exporting a figure (heatmap with labels and colour bar) as PNG or SVG, through pyqtgraph's exporters.

Used by the window's Export dialog and, offscreen, by `main.py export --out x.png`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pyqtgraph.exporters import ImageExporter, SVGExporter

IMAGE_SUFFIXES = (".png", ".svg")
INCH_METRES = 0.0254


def export_png(item, path: str | Path, width: int, dpi: int = 300) -> None:
    """Render at `width` pixels (height follows the figure's shape) and record `dpi` in the file."""
    if not 16 <= width <= 20000:
        raise ValueError(f"png width: {width} pixels is outside 16..20000")
    if not 10 <= dpi <= 2400:
        raise ValueError(f"png dpi: {dpi} is outside 10..2400")
    exporter = ImageExporter(item)
    exporter.parameters()["width"] = int(width)
    image = exporter.export(toBytes=True)  # a QImage
    if image is None or image.isNull():
        raise OSError("the figure could not be rendered to an image")
    dots_per_metre = round(dpi / INCH_METRES)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    _save_atomic(Path(path), lambda temp: image.save(str(temp), "PNG"))


def export_svg(item, path: str | Path) -> None:
    exporter = SVGExporter(item)
    _save_atomic(Path(path), lambda temp: exporter.export(fileName=str(temp)) or True)


def _save_atomic(path: Path, write) -> None:
    """Write beside the target and rename, so a failed export never leaves a broken file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(handle)
    try:
        if write(temp) is False or os.path.getsize(temp) == 0:
            raise OSError(f"could not write {path}")
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
