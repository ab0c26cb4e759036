"""Every SVG and PDF figure draws its cells crisply, in librsvg and poppler too (issue 21, item 6).

The Head Atlas and the Foundations figures embedded their cells as a 9 × 30 or 50 × 50 pixel image, which
librsvg and pdftoppm smoothed into a gradient. A checkerboard of the two ends of the colormap is drawn by each
figure that draws cells; rendered by rsvg-convert and pdftoppm, nearly every pixel inside the cells' area must
be one of the two colours (a smoothed image is mostly in-between colours), and the SVG's embedded image must
hold many pixels per cell.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from explorer.core.plots import MatrixView
from explorer.export.atlas_figure import atlas_figure
from explorer.export.figure import figure_inches, save
from explorer.export.lab_figure import matrix_figure as lab_matrix_figure
from explorer.export.plot_figure import matrix_figure as plot_matrix_figure

LOW, HIGH = np.array([68, 1, 84]), np.array([253, 231, 37])  # viridis at 0 and at 1
CRISP_SHARE = 0.8  # of the pixels in the cells' area, one of the two colours (edges aside); smoothed: under 0.01


def checkerboard(rows: int, columns: int) -> np.ndarray:
    return (np.add.outer(np.arange(rows), np.arange(columns)) % 2).astype(np.float64)


SHAPES = {"atlas": (30, 9), "foundations": (50, 50), "lab": (12, 16)}


def figure_of(name: str):
    """The figure of that name drawing a checkerboard of SHAPES[name] cells."""
    inches, board = figure_inches(1600, 300), checkerboard(*SHAPES[name])
    if name == "atlas":
        return atlas_figure(board, levels=(0.0, 1.0), label="score", width_inches=inches)
    if name == "foundations":
        view = MatrixView("board", "board", board, "row", "column", "value", levels=(0.0, 1.0))
        return plot_matrix_figure(view, width_inches=inches)
    return lab_matrix_figure(board, colormap="viridis", width_inches=inches)


def cells_box(figure) -> tuple[float, float, float, float]:
    """The first axes' box as fractions of the figure (left, top, right, bottom), shrunk by 2 % of a side."""
    figure.draw_without_rendering()
    box = figure.axes[0].get_position()
    inset_x, inset_y = box.width * 0.02, box.height * 0.02
    return box.x0 + inset_x, 1 - box.y1 + inset_y, box.x1 - inset_x, 1 - box.y0 - inset_y


def crisp_share(png: bytes, box) -> float:
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width = image.shape[:2]
    left, top, right, bottom = box
    cells = image[int(top * height) : int(bottom * height), int(left * width) : int(right * width)].reshape(-1, 3)
    near = lambda colour: np.abs(cells - colour).max(axis=1) <= 12  # noqa: E731
    return float((near(LOW) | near(HIGH)).mean())


@pytest.mark.parametrize("name", SHAPES)
def test_the_svg_embeds_many_pixels_per_cell(tmp_path, name):
    path, shape = tmp_path / f"{name}.svg", SHAPES[name]
    save(figure_of(name), path)
    embedded = re.findall(r'xlink:href="data:image/png;base64,([^"]+)"', path.read_text())
    assert embedded, "the cells are an embedded image"
    with Image.open(io.BytesIO(base64.b64decode(embedded[0]))) as image:
        per_cell = min(image.height / shape[0], image.width / shape[1])
    assert per_cell >= 8, f"{name}: {image.size} pixels for {shape} cells: smoothing blurs them"


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="librsvg's rsvg-convert is not installed")
@pytest.mark.parametrize("name", SHAPES)
def test_librsvg_draws_the_cells_crisply(tmp_path, name):
    path, figure = tmp_path / f"{name}.svg", figure_of(name)
    save(figure, path)
    png = subprocess.run(["rsvg-convert", "-w", "1400", str(path)], capture_output=True, check=True).stdout
    assert crisp_share(png, cells_box(figure)) >= CRISP_SHARE, f"{name}: librsvg smooths the cells"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
@pytest.mark.parametrize("name", SHAPES)
def test_poppler_draws_the_cells_crisply(tmp_path, name):
    path, figure = tmp_path / f"{name}.pdf", figure_of(name)
    save(figure, path)
    png = subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path)], capture_output=True, check=True)
    assert crisp_share(png.stdout, cells_box(figure)) >= CRISP_SHARE, f"{name}: poppler smooths the cells"
