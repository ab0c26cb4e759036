"""Exporting a figure (heatmap with labels and colour bar) as PNG or SVG, through pyqtgraph's exporters.

Used by the window's Export dialog and, offscreen, by `main.py export --out x.png`.
"""

from __future__ import annotations

from pathlib import Path

from pyqtgraph.exporters import ImageExporter, SVGExporter
from PySide6.QtCore import QBuffer, QIODevice

from explorer.export.atomic import write_atomic

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
        raise OSError(f"cannot write {path}: the figure could not be rendered to an image")
    dots_per_metre = round(dpi / INCH_METRES)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    write_atomic(path, png_bytes(image, path))


def png_bytes(image, path: str | Path) -> bytes:
    """The image encoded as PNG in memory, so the file itself is written once, atomically."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"cannot write {path}: the image could not be encoded as PNG")
    return bytes(buffer.data())


def export_svg(item, path: str | Path) -> None:
    svg = SVGExporter(item).export(toBytes=True)
    if not svg:
        raise OSError(f"cannot write {path}: the figure could not be rendered as SVG")
    write_atomic(path, svg)
