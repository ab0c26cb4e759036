"""OverviewFigure alone: every layer × head as a thumbnail in one mosaic, clicks and the current mark."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from widget_helpers import click_scene, colour_name, in_view, show

from explorer.core.display import MASKED_RGB, scale_values, to_uint8
from explorer.gui.widgets.heatmap import lookup_table
from explorer.gui.widgets.overview import GAP, OverviewFigure

LAYERS, HEADS, SIDE = 3, 4, 2


def thumbnails() -> np.ndarray:
    """(L, H, S, S) with distinct values everywhere, so a misplaced tile would show."""
    return np.random.default_rng(1).random((LAYERS, HEADS, SIDE, SIDE)).astype(np.float32)


@pytest.fixture
def overview(qtbot):
    overview = show(qtbot, OverviewFigure(), 500, 400)
    overview.show_thumbnails(thumbnails())
    return overview


def tile_centre(overview, layer: int, head: int):
    step = SIDE + GAP
    return in_view(overview.plot.getViewBox(), head * step + SIDE / 2, layer * step + SIDE / 2)


def test_mosaic_places_each_thumbnail_at_its_layer_and_head(overview):
    mosaic = overview.image.image
    assert mosaic.shape == (LAYERS * (SIDE + GAP) - GAP, HEADS * (SIDE + GAP) - GAP, 4)
    colours = lookup_table("viridis")[to_uint8(*scale_values(thumbnails(), "row"))]
    for layer in range(LAYERS):
        for head in range(HEADS):
            top, left = layer * (SIDE + GAP), head * (SIDE + GAP)
            tile = mosaic[top : top + SIDE, left : left + SIDE]
            assert np.array_equal(tile[..., :3], colours[layer, head])
            assert np.all(tile[..., 3] == 255)
    assert np.all(mosaic[SIDE, :, 3] == 0), "the gap between layers is transparent"


def test_click_on_a_thumbnail_emits_its_layer_and_head(qtbot, overview):
    for layer, head in ((0, 0), (2, 3), (1, 2)):
        with qtbot.waitSignal(overview.head_clicked) as clicked:
            click_scene(qtbot, overview, tile_centre(overview, layer, head))
        assert clicked.args == [layer, head]


def test_right_click_and_clicks_off_the_mosaic_emit_nothing(qtbot, overview):
    with qtbot.assertNotEmitted(overview.head_clicked):
        click_scene(qtbot, overview, tile_centre(overview, 1, 1), button=Qt.RightButton)
        click_scene(qtbot, overview, tile_centre(overview, 1, HEADS + 2))


def test_mark_outlines_the_current_head_and_survives_new_thumbnails(overview):
    overview.mark(2, 1)
    step = SIDE + GAP
    assert overview.current.isVisible()
    assert overview.current.rect() == QRectF(1 * step, 2 * step, SIDE, SIDE)
    overview.show_thumbnails(thumbnails() * 2)
    assert overview.current.rect() == QRectF(1 * step, 2 * step, SIDE, SIDE)


def test_a_mark_made_before_any_thumbnails_shows_once_they_arrive(qtbot):
    overview = show(qtbot, OverviewFigure())
    overview.mark(1, 3)
    assert not overview.current.isVisible()
    overview.show_thumbnails(thumbnails())
    assert overview.current.isVisible()
    assert overview.current.rect() == QRectF(3 * (SIDE + GAP), 1 * (SIDE + GAP), SIDE, SIDE)


def test_axes_name_layers_and_heads(overview):
    layer_ticks = overview.plot.getAxis("left")._tickLevels[0]
    head_ticks = overview.plot.getAxis("top")._tickLevels[0]
    assert [label for _, label in layer_ticks] == ["0", "1", "2"]
    assert [label for _, label in head_ticks] == ["0", "1", "2", "3"]
    assert head_ticks[1][0] == (SIDE + GAP) + SIDE / 2  # each label at its thumbnail's centre


def test_apply_colours_paints_background_and_axes(overview):
    overview.apply_colours("#111111", "#eeeeee")
    assert colour_name(overview.backgroundBrush().color()) == "#111111"
    for name in ("left", "top"):
        assert colour_name(overview.plot.getAxis(name).textPen().color()) == "#eeeeee"
        assert colour_name(overview.plot.getAxis(name).pen().color()) == "#eeeeee"


def test_masked_cells_are_grey_not_the_colour_of_zero(qtbot):
    """A causal map's hidden upper triangle was drawn in the colormap's 0 (purple) in the overview."""
    overview = show(qtbot, OverviewFigure(), 500, 400)
    visible = np.tril(np.ones((SIDE, SIDE), dtype=bool))  # (S, S): row 0 sees key 0 only
    overview.show_thumbnails(thumbnails(), visible)
    mosaic = overview.image.image
    for layer in range(LAYERS):
        for head in range(HEADS):
            left, top = overview.tile_origin(layer, head)
            assert tuple(mosaic[top, left + 1, :3]) == MASKED_RGB, "row 0 never sees key 1: grey"
            assert tuple(mosaic[top + 1, left + 1, :3]) != MASKED_RGB


def test_thumbnails_grow_with_a_wide_dock_by_wrapping_layers_into_blocks(qtbot):
    """30 layers × 9 heads in one column left a wide dock mostly empty: the layers wrap into blocks instead."""
    many = np.random.default_rng(2).random((30, 9, 4, 4)).astype(np.float32)
    overview = show(qtbot, OverviewFigure(), 260, 500)
    overview.show_thumbnails(many)
    assert overview.blocks == 1, "a tall narrow dock: one column of layers"
    narrow = (
        overview.plot.getViewBox().mapViewToScene(QPointF(4, 0)).x()
        - overview.plot.getViewBox().mapViewToScene(QPointF(0, 0)).x()
    )
    overview.resize(900, 500)
    qtbot.waitUntil(lambda: overview.blocks > 1, timeout=3000)
    qtbot.wait(50)
    box = overview.plot.getViewBox()
    wide = box.mapViewToScene(QPointF(4, 0)).x() - box.mapViewToScene(QPointF(0, 0)).x()
    assert wide > 1.5 * narrow, f"a thumbnail is {wide:.0f} px wide in the wide dock, {narrow:.0f} px in the narrow"
    per_block = int(np.ceil(30 / overview.blocks))
    layer, head = per_block + 2, 5  # in the second block
    left, top = overview.tile_origin(layer, head)
    with qtbot.waitSignal(overview.head_clicked) as clicked:
        click_scene(qtbot, overview, in_view(box, left + 2, top + 2))
    assert clicked.args == [layer, head]
    overview.mark(layer, head)
    assert overview.current.rect() == QRectF(left, top, 4, 4)
    labels = [label for _, label in overview.plot.getAxis("left")._tickLevels[0]]
    assert labels[0] == " · ".join(str(block * per_block) for block in range(overview.blocks))
