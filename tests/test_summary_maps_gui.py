"""Maps at any length in the window (issue 27 item 3): the Maps tool's job asks for block summaries above the
screen's size and exact cells for a zoomed region that fits; the heatmap draws them in place, and its hover
readout and colour bar say when a value is a block's maximum or mean rather than a cell."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.core import summary_pixels
from explorer.core.display import encode
from explorer.core.views import MapRequest
from explorer.gui.tools.maps.compute import compute_map, compute_overview
from explorer.gui.widgets.heatmap import DIMMED_OPACITY, HeatmapFigure

TEXT = "The quick brown fox jumps over the lazy dog. Attention maps show which tokens each token reads from. " * 2


@pytest.fixture(scope="module")
def run(tiny_causal_lm):
    return tiny_causal_lm.run(TEXT)


def test_the_maps_job_summarises_above_the_screen_and_is_exact_in_a_region_that_fits(run, monkeypatch):
    monkeypatch.setattr(summary_pixels, "EXACT_UP_TO", 8)  # the tiny text stands for a long one
    n = len(run.tokens[0])
    request = MapRequest(1, 2, 0, "head", pixels=10, reduce="mean")
    result = compute_map(run, request, 1, 1)
    expected = run.attention_summary(1, 2, rows_out=10, cols_out=10, reduce="mean")
    assert result.summary and result.matrix.shape == (10, 10) and n > 10
    np.testing.assert_array_equal(result.matrix, expected.values)
    np.testing.assert_array_equal(result.pixels, encode(expected.values, expected.visible, "linear"))
    zoomed = compute_map(run, MapRequest(1, 2, 0, "head", pixels=10, region=(12, 20, 3, 9)), 2, 1)
    full, visible = run.attention_and_visibility(1, 2)
    np.testing.assert_allclose(zoomed.matrix, full[12:20, 3:9], atol=1e-7)
    assert list(zoomed.row_edges) == list(range(12, 21)) and list(zoomed.col_edges) == list(range(3, 10))
    grid = compute_map(run, MapRequest(0, 0, 0, "grid", pixels=6), 3, 1)
    assert grid.matrix.shape == (run.n_heads, 6, 6)
    exact = compute_map(run, MapRequest(1, 2, 0, "head", pixels=10_000), 4, 1)  # the screen holds every cell
    assert not exact.summary and exact.matrix.shape == (n, n)


def test_norm_weighting_of_a_summarised_map_is_refused_with_a_message(run, monkeypatch):
    monkeypatch.setattr(summary_pixels, "EXACT_UP_TO", 8)
    with pytest.raises(ValueError, match="Norm weighting"):
        compute_map(run, MapRequest(0, 0, 0, "head", weighting="norm", pixels=10), 1, 1)


def test_the_overview_reads_only_its_sampled_rows_of_the_mask(run, monkeypatch):
    asked = []
    real = type(run).visible

    def visible(self, seq=0, layer=None, rows=None):
        asked.append(rows)
        return real(self, seq, layer, rows=rows)

    monkeypatch.setattr(type(run), "visible", visible)
    job = compute_overview(run, 0, 8, 1, 1)
    try:
        while True:
            next(job)
    except StopIteration as stop:
        result = stop.value
    assert asked and all(rows is not None and len(rows) == 8 for rows in asked)
    n = len(run.tokens[0])
    rows = np.linspace(0, n - 1, 8).round().astype(int)
    edges = np.linspace(0, n, 9).round().astype(int)
    expected = np.logical_or.reduceat(run.visible()[rows], edges[:-1], axis=1)
    np.testing.assert_array_equal(result.visible, expected)


def summary_figure(qtbot, reduce: str = "max") -> HeatmapFigure:
    """A 12 × 12 causal map drawn as 3 × 3 blocks of 4 × 4 cells."""
    figure = HeatmapFigure()
    qtbot.addWidget(figure)
    figure.resize(500, 400)
    figure.show()
    qtbot.waitExposed(figure)
    values = np.array([[0.9, 0, 0], [0.5, 0.7, 0], [0.2, 0.3, 0.4]], dtype=np.float32)
    visible = np.tril(np.ones((3, 3), dtype=bool))
    edges = np.array([0, 4, 8, 12])
    tokens = [f"t{i}" for i in range(12)]
    figure.show_matrix(values, encode(values, visible, "linear"), tokens, tokens, edges=(edges, edges), reduce=reduce)
    return figure


def test_a_summary_covers_the_whole_cell_grid_and_reads_as_blocks(qtbot):
    figure = summary_figure(qtbot)
    assert figure.shape == (12, 12)
    rect = figure.image.mapRectToParent(figure.image.boundingRect())
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == (-0.5, -0.5, 12.0, 12.0)
    text = figure.describe_cell(5, 1)  # row 5 and key 1 fall in block (1, 0)
    assert "4–7" in text and "0–3" in text and "0.5000" in text and "block maximum" in text
    assert "masked" in figure.describe_cell(0, 11)
    assert "maximum of each block" in figure.bar.axis.labelText
    mean = summary_figure(qtbot, "mean")
    assert "block mean" in mean.describe_cell(5, 1) and "mean of each block" in mean.bar.axis.labelText


def test_a_zoomed_exact_region_reads_as_cells_and_the_rest_as_blocks(qtbot):
    figure = summary_figure(qtbot)
    cells = np.full((2, 3), 0.125, dtype=np.float32)
    figure.show_detail(cells, encode(cells, np.ones((2, 3), bool), "linear"), np.arange(6, 9), np.arange(2, 6), "max")
    rect = figure.detail.mapRectToParent(figure.detail.boundingRect())
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == (1.5, 5.5, 3.0, 2.0)
    assert figure.describe_cell(7, 3) == 'q 7 "t7" → k 3 "t3": 0.1250'  # a cell, with its tokens
    assert "block maximum" in figure.describe_cell(10, 1)  # outside the region: still the block


def test_zooming_a_summary_asks_for_the_cells_in_view(qtbot):
    figure = summary_figure(qtbot)
    with qtbot.waitSignal(figure.region_wanted, timeout=2000) as signal:
        figure.plot.getViewBox().setRange(xRange=(1.5, 5.5), yRange=(5.5, 9.5), padding=0)
    r0, r1, c0, c1 = signal.args
    assert r0 <= 6 and r1 >= 9 and c0 <= 2 and c1 >= 5 and (r1 - r0) < 12


def test_the_colour_bar_says_cells_once_the_view_is_drawn_cell_by_cell_and_blocks_again_zoomed_out(qtbot):
    figure = summary_figure(qtbot)
    view = figure.plot.getViewBox()
    view.setRange(xRange=(1.5, 5.5), yRange=(5.5, 8.5), padding=0)  # keys 2–5, rows 6–8
    assert "maximum of each block" in figure.bar.axis.labelText  # the exact cells have not come yet
    cells = np.full((3, 4), 0.125, dtype=np.float32)
    figure.show_detail(cells, encode(cells, np.ones((3, 4), bool), "linear"), np.arange(6, 10), np.arange(2, 7), "max")
    assert "block" not in figure.bar.axis.labelText  # every pixel in view is one cell: no block note
    coarser = np.full((1, 1), 0.5, dtype=np.float32)
    figure.show_detail(coarser, encode(coarser, np.ones((1, 1), bool), "linear"), [6, 10], [2, 7], "mean")
    assert "mean of each block" in figure.bar.axis.labelText  # a finer summary says what its own blocks are
    figure.show_detail(cells, encode(cells, np.ones((3, 4), bool), "linear"), np.arange(6, 10), np.arange(2, 7), "max")
    figure.reset_zoom()
    assert "maximum of each block" in figure.bar.axis.labelText  # the whole map: blocks again


def test_an_empty_map_titles_its_axes_without_a_scale_prefix(qtbot):
    """Before its first result (Compare's panes while A and B run) a map read "key (x0.001)"."""
    figure = HeatmapFigure()
    qtbot.addWidget(figure)
    figure.resize(300, 300)
    figure.show()
    qtbot.waitExposed(figure)
    figure.clear_map()
    qtbot.wait(50)
    assert "x0.001" not in figure.key_axis.labelString() and "x0.001" not in figure.query_axis.labelString()


def test_a_faded_zoomed_map_shows_its_detail_not_the_blocks_beneath_in_patches(qtbot):
    figure = summary_figure(qtbot)
    figure.plot.getViewBox().setRange(xRange=(1.5, 5.5), yRange=(5.5, 8.5), padding=0)
    cells = np.full((3, 4), 0.125, dtype=np.float32)
    figure.show_detail(cells, encode(cells, np.ones((3, 4), bool), "linear"), np.arange(6, 10), np.arange(2, 7), "max")
    figure.set_dimmed(True)  # a new run is on its way
    assert figure.dimmed and figure.detail.opacity() == DIMMED_OPACITY and figure.image.opacity() == 0
    figure.set_dimmed(False)
    assert figure.image.opacity() == 1
    figure.set_dimmed(True)
    figure.reset_zoom()  # the whole map in view: its blocks, faded
    assert figure.image.opacity() == DIMMED_OPACITY
    (x0, x1), (y0, y1) = figure.plot.getViewBox().viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((-0.5, 11.5, -0.5, 11.5), abs=0.01)
