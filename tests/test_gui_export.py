"""The window's exports: a clicked cell's outline never reaches a file, and Export All Heads writes paper figures.

Figures are drawn from the map's numbers by explorer/export/figure.py, so an export after a click must be the
same file as one before it.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from gui_helpers import close, maps_of, open_window
from PIL import Image
from PySide6.QtCore import QPointF, Qt

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture
def smol_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    close(window)


def click_cell(qtbot, window, query: int, key: int) -> None:
    """A real mouse click on the centre of one cell of the heatmap on screen."""
    figure = maps_of(window).view.heatmap
    scene = figure.plot.getViewBox().mapViewToScene(QPointF(key + 0.5, query + 0.5))
    qtbot.mouseClick(figure.viewport(), Qt.LeftButton, pos=figure.mapFromScene(scene))


def pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def test_a_clicked_cell_is_not_in_the_exported_figure(qtbot, smol_window, tmp_path):
    export = maps_of(smol_window).export
    before = {suffix: tmp_path / f"before{suffix}" for suffix in (".png", ".svg")}
    after = {suffix: tmp_path / f"after{suffix}" for suffix in (".png", ".svg")}
    for path in before.values():
        with qtbot.waitSignal(export.exported, timeout=120_000):  # figures are drawn by a job
            assert export.export_to(path, width=1000, dpi=150)
    click_cell(qtbot, smol_window, 5, 2)
    assert maps_of(smol_window).view.heatmap.highlighted is not None, "the click selected a cell on screen"
    for path in after.values():
        with qtbot.waitSignal(export.exported, timeout=120_000):
            assert export.export_to(path, width=1000, dpi=150)
    assert np.array_equal(pixels(before[".png"]), pixels(after[".png"])), "the selection outline is in the PNG"
    assert before[".svg"].read_text() == after[".svg"].read_text(), "the selection outline is in the SVG"
    svg = after[".svg"].read_text()
    assert len(re.findall(r'<image[^>]*id="heatmap"', svg)) == 1
    image = pixels(after[".png"])
    assert image.shape[1] == 1000 and tuple(image[2, 2]) == (255, 255, 255), "a white, publication figure"


def test_export_all_heads_writes_white_figures_with_token_labels(qtbot, smol_window, tmp_path):
    export, run = maps_of(smol_window).export, smol_window.workspace.run
    for suffix in (".png", ".svg"):
        folder = tmp_path / suffix[1:]
        with qtbot.waitSignal(export.layer_exported, timeout=120_000):
            export.export_layer_to(folder, suffix, width=900, dpi=150)
        files = sorted(folder.glob(f"*{suffix}"))
        assert len(files) == run.n_heads == 9
        assert all("smollm2-135m-instruct_L00_H0" in f.name and "causal" in f.name for f in files), files[0].name
        for path in files:
            if suffix == ".png":
                image = pixels(path)
                assert image.shape[1] == 900
                corners = [image[2, 2], image[2, -3], image[-3, 2], image[-3, -3]]
                assert all(tuple(c) == (255, 255, 255) for c in corners), f"{path.name} is not on white"
                assert (image.sum(axis=2) < 100).sum() > 500, f"{path.name} has no black text"
            else:
                labels = {t.strip("␣ ") for t in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text())}
                assert {"animal", "street", "tired", "query", "key"} <= labels, path.name
                text = path.read_text()
                assert 'style="fill: #ffffff"' in text, "a white background"
                fills = set(re.findall(r"<text[^>]*fill: (#\w+)", text))
                assert fills <= {"#000000"}, f"text is black (SVG's default when no fill is named), not {fills}"


def test_the_all_heads_view_exports_small_multiples(qtbot, smol_window, tmp_path):
    tool = maps_of(smol_window)
    with qtbot.waitSignal(tool.map_changed, timeout=120_000):
        tool.set_view("grid")
    svg = tmp_path / "grid.svg"
    with qtbot.waitSignal(tool.export.exported, timeout=120_000):
        assert tool.export.export_to(svg)
    text = svg.read_text()
    assert len(re.findall(r'<image[^>]*id="heatmap-\d+"', text)) == 9
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", text)
    # "The", the first token, is never thinned away: once per outer axis (3 rows on the left, 3 columns below).
    assert sum(label.strip("␣ ") == "The" for label in labels) == 3 + 3, "labels on the outer axes only"
    assert sum(label == "attention (0 to 1)" for label in labels) == 1, "one shared colour bar"
    assert "heads" in tool.export.suggested_name(".svg")
