"""HeadGridFigure alone: H small maps in a square-ish grid, each named, each clickable."""

import numpy as np
import pytest
from widget_helpers import click_scene, colour_name, show

from explorer.core.display import encode
from explorer.gui.widgets.head_grid import HeadGridFigure
from explorer.gui.widgets.heatmap import lookup_table

N_HEADS, N = 5, 4
KV_GROUPS = [[0, 1, 2], [3, 4]]


def head_maps() -> np.ndarray:
    """(H, N, N) causal maps, each head with its own values so a swapped panel would show."""
    rng = np.random.default_rng(0)
    scores = np.where(np.tril(np.ones((N, N), dtype=bool)), rng.random((N_HEADS, N, N)), 0.0)
    return (scores / scores.sum(axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture
def grid(qtbot):
    grid = show(qtbot, HeadGridFigure(), 600, 600)
    maps = head_maps()
    grid.show_maps(maps, encode(maps, np.tril(np.ones((N, N), dtype=bool)), "linear"), KV_GROUPS, title="layer 2")
    return grid


def test_lays_out_one_panel_per_head_in_a_square_grid(grid):
    assert len(grid.views) == N_HEADS
    pixels = encode(head_maps(), np.tril(np.ones((N, N), dtype=bool)), "linear")
    for head, view in enumerate(grid.views):
        assert np.array_equal(view.head_image.image, pixels[head])
    # ceil(sqrt(5)) = 3 columns: heads 0-2 on the first row, 3-4 below, each row below the one before.
    tops = [view.sceneBoundingRect().top() for view in grid.views]
    lefts = [view.sceneBoundingRect().left() for view in grid.views]
    assert tops[0] == tops[1] == tops[2] < tops[3] == tops[4]
    assert lefts[0] == lefts[3] < lefts[1] == lefts[4] < lefts[2]


def test_each_panel_names_its_head_and_kv_head(grid):
    names = [label.text for label in grid.labels]
    assert names == ["layer 2", "head 0 · kv 0", "head 1 · kv 0", "head 2 · kv 0", "head 3 · kv 1", "head 4 · kv 1"]


def test_clicking_a_panel_emits_its_head(qtbot, grid):
    for head, view in enumerate(grid.views):
        with qtbot.waitSignal(grid.head_clicked) as clicked:
            click_scene(qtbot, grid, view.sceneBoundingRect().center())
        assert clicked.args == [head]


def test_clicking_the_title_emits_nothing(qtbot, grid):
    with qtbot.assertNotEmitted(grid.head_clicked):
        click_scene(qtbot, grid, grid.labels[0].sceneBoundingRect().center())


def test_scale_and_colormap_repaint_every_panel(grid):
    grid.set_scale("log")
    pixels = encode(head_maps(), np.tril(np.ones((N, N), dtype=bool)), "log")
    assert all(np.array_equal(view.head_image.image, pixels[h]) for h, view in enumerate(grid.views))
    grid.set_colormap("cividis")
    assert all(np.array_equal(view.head_image.lut, lookup_table("cividis")) for view in grid.views)


def test_apply_colours_recolours_shown_labels_and_later_ones(grid):
    grid.apply_colours("#202020", "#e0e0e0")
    assert colour_name(grid.backgroundBrush().color()) == "#202020"
    assert all(label.opts["color"] == "#e0e0e0" for label in grid.labels)
    grid.show_maps(head_maps()[:2], encode(head_maps()[:2], np.ones((N, N), dtype=bool), "linear"), [[0, 1]])
    assert len(grid.views) == 2
    assert all(label.opts["color"] == "#e0e0e0" for label in grid.labels)
