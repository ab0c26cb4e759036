"""HeadGridFigure alone: H small maps in a square-ish grid, each named, each clickable, labelled on the outer
axes, with one colour bar and square cells."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from widget_helpers import click_scene, colour_name, show

from explorer.core.display import SCALES, display_label, encode
from explorer.gui.widgets.head_grid import HeadGridFigure, best_columns
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


TOKENS = ["<s>", " the", " cat", " sat"]


@pytest.fixture
def labelled_grid(qtbot):
    grid = show(qtbot, HeadGridFigure(), 700, 450)  # wider than tall: the panels are not square
    maps = head_maps()
    grid.show_maps(maps, encode(maps, np.tril(np.ones((N, N), dtype=bool)), "linear"), KV_GROUPS, "layer 2", TOKENS)
    qtbot.wait(50)  # the layout settles, and each panel fits its range to its size
    return grid


def test_token_labels_sit_on_the_outer_axes_only(labelled_grid):
    grid = labelled_grid
    tops = [axis for axis in grid.axes if axis.orientation == "top"]
    lefts = [axis for axis in grid.axes if axis.orientation == "left"]
    assert len(tops) == 3 and len(lefts) == 2, "one key axis per column, one query axis per row"
    assert all(axis.labels == [display_label(t) for t in TOKENS] for axis in grid.axes)
    assert [axis.linkedView() for axis in tops] == grid.views[:3]
    assert [axis.linkedView() for axis in lefts] == [grid.views[0], grid.views[3]]
    for axis in tops:  # directly above its panel, and left of nothing
        assert axis.sceneBoundingRect().bottom() <= axis.linkedView().sceneBoundingRect().top() + 1
    for axis in lefts:
        assert axis.sceneBoundingRect().right() <= axis.linkedView().sceneBoundingRect().left() + 1


def test_one_colour_bar_is_shared_by_every_panel(labelled_grid):
    grid = labelled_grid
    bars = [item for item in grid.ci.items if isinstance(item, pg.ColorBarItem)]
    assert bars == [grid.bar]
    assert grid.bar.levels() == (0.0, 1.0) and grid.bar.axis.labelText == SCALES["linear"]
    right_of_panels = max(view.sceneBoundingRect().right() for view in grid.views)
    assert grid.bar.sceneBoundingRect().left() >= right_of_panels
    grid.set_scale("log")
    assert grid.bar.levels() == (-4.0, 0.0) and grid.bar.axis.labelText == SCALES["log"]


def test_cells_are_square_and_the_matrix_starts_at_the_labelled_corner(qtbot, labelled_grid):
    grid = labelled_grid
    for view in grid.views:
        top_left = view.mapViewToScene(QPointF(-0.5, -0.5))
        bottom_right = view.mapViewToScene(QPointF(N - 0.5, N - 0.5))
        width, height = bottom_right.x() - top_left.x(), bottom_right.y() - top_left.y()
        assert width > 20 and width == pytest.approx(height, rel=0.02)
        panel = view.sceneBoundingRect()
        assert top_left.x() == pytest.approx(panel.left(), abs=1) and top_left.y() == pytest.approx(panel.top(), abs=1)
    grid.resize(400, 700)  # taller than wide: still square
    qtbot.wait(50)
    view = grid.views[0]
    width = view.mapViewToScene(QPointF(N - 0.5, 0)).x() - view.mapViewToScene(QPointF(-0.5, 0)).x()
    height = view.mapViewToScene(QPointF(0, N - 0.5)).y() - view.mapViewToScene(QPointF(0, -0.5)).y()
    assert width == pytest.approx(height, rel=0.02)


def test_dimming_fades_every_panel_and_survives_a_repaint(labelled_grid):
    grid = labelled_grid
    grid.set_dimmed(True)
    grid.set_colormap("magma")
    assert grid.dimmed and all(view.head_image.opacity() < 1 for view in grid.views)
    grid.set_dimmed(False)
    assert not grid.dimmed and all(view.head_image.opacity() == 1 for view in grid.views)


def test_the_number_of_columns_follows_the_shape_of_the_room():
    assert best_columns(9, 600, 600) == 3 and best_columns(5, 600, 600) == 3  # square room: a square grid
    assert best_columns(9, 880, 340) >= 5, "a wide, short room: more panels per row, so each is larger"
    assert best_columns(9, 300, 1000) <= 2, "a tall, narrow room: fewer per row"


def test_a_resize_to_another_shape_lays_the_panels_out_again(qtbot, labelled_grid):
    grid = labelled_grid
    assert grid.columns == 3
    grid.resize(1200, 260)
    qtbot.waitUntil(lambda: grid.columns == 5, timeout=2000)  # 5 heads in one row
    assert len(grid.views) == N_HEADS and len({view.sceneBoundingRect().top() for view in grid.views}) == 1
    assert len([axis for axis in grid.axes if axis.orientation == "top"]) == 5
