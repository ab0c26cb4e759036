"""HeatmapFigure alone: the pixels it is given, hover text, clicks, highlight, scale, colours."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF
from widget_helpers import click_scene, colour_name, in_view, move_to_scene, show

from explorer.core.display import MASKED_CODE, MASKED_RGB, SCALES, display_label, encode
from explorer.gui.widgets.heatmap import HeatmapFigure, lookup_table

# A causal 3×3 map: row i attends to keys 0..i; everything above the diagonal is masked.
MATRIX = np.array([[1.0, 0.0, 0.0], [0.25, 0.75, 0.0], [0.2, 0.3, 0.5]], dtype=np.float32)
VISIBLE = np.tril(np.ones((3, 3), dtype=bool))
TOKENS = ["<s>", " cat", " sat"]
LABELS = [display_label(token) for token in TOKENS]  # how the axes and the readout write them


@pytest.fixture
def figure(qtbot):
    figure = show(qtbot, HeatmapFigure())
    figure.show_matrix(MATRIX, encode(MATRIX, VISIBLE, "linear"), TOKENS, TOKENS, title="layer 0 · head 0")
    return figure


def cell_centre(figure, row: int, column: int) -> QPointF:
    return in_view(figure.plot.getViewBox(), column, row)


def test_lookup_table_keeps_code_255_for_masked_cells():
    table = lookup_table("viridis")
    assert table.shape == (256, 3) and table.dtype == np.uint8
    assert tuple(table[MASKED_CODE]) == MASKED_RGB
    assert tuple(table[0]) != MASKED_RGB and tuple(table[0]) != tuple(table[254])


def test_shows_the_given_pixels_with_masked_cells_grey(figure):
    pixels = encode(MATRIX, VISIBLE, "linear")
    assert np.array_equal(figure.image.image, pixels)
    assert figure.image.image[0, 2] == MASKED_CODE and figure.image.image[2, 0] != MASKED_CODE
    assert tuple(figure.image.lut[MASKED_CODE]) == MASKED_RGB
    assert figure.image.image[0, 0] == 254 and figure.image.image[1, 0] == round(0.25 * 254)
    assert np.array_equal(figure.visible, VISIBLE)
    assert figure.title.text == "layer 0 · head 0"
    assert figure.query_axis.labels == LABELS and figure.key_axis.labels == figure.query_axis.labels


def test_hover_names_the_cell_under_the_pointer_and_its_value(qtbot, figure, every_mouse_move):
    with qtbot.waitSignal(figure.hovered) as hovered:
        move_to_scene(qtbot, figure, cell_centre(figure, 1, 0))
    assert hovered.args == [f'q 1 "{LABELS[1]}" → k 0 "<s>": 0.2500']
    with qtbot.waitSignal(figure.hovered) as hovered:
        move_to_scene(qtbot, figure, cell_centre(figure, 0, 2))
    assert hovered.args == [f'q 0 "<s>" → k 2 "{LABELS[2]}": masked']
    assert figure.describe_cell(2, 2) == f'q 2 "{LABELS[2]}" → k 2 "{LABELS[2]}": 0.5000'


def test_hover_outside_the_map_clears_the_text(qtbot, figure, every_mouse_move):
    move_to_scene(qtbot, figure, cell_centre(figure, 1, 1))
    with qtbot.waitSignal(figure.hovered) as hovered:
        move_to_scene(qtbot, figure, cell_centre(figure, 5, 5))  # beyond the last row and column
    assert hovered.args == [""]
    move_to_scene(qtbot, figure, cell_centre(figure, 1, 1))
    with qtbot.waitSignal(figure.hovered) as hovered:
        qtbot.mouseMove(figure, pos=QPoint(-20, -20))  # out of the window altogether
    assert hovered.args == [""]


def test_click_emits_the_cell_and_outlines_its_row_and_column(qtbot, figure):
    with qtbot.waitSignal(figure.cell_clicked) as clicked:
        click_scene(qtbot, figure, cell_centre(figure, 2, 1))
    assert clicked.args == [2, 1]
    assert figure.highlighted == (2, 1)
    assert figure.row_mark.isVisible() and figure.column_mark.isVisible()
    assert figure.row_mark.rect() == QRectF(-0.5, 1.5, 3, 1)
    assert figure.column_mark.rect() == QRectF(0.5, -0.5, 1, 3)


def test_click_outside_the_cells_emits_nothing(qtbot, figure):
    with qtbot.assertNotEmitted(figure.cell_clicked):
        click_scene(qtbot, figure, figure.title.sceneBoundingRect().center())


def test_highlight_clamps_to_the_map_and_clears(figure):
    figure.highlight(7)  # a token index past the end: the last row and column
    assert figure.highlighted == (2, 2)
    figure.highlight(None)
    assert figure.highlighted is None and not figure.row_mark.isVisible()


def test_highlight_survives_a_new_map_of_the_same_text_but_not_a_new_text(figure):
    figure.highlight(1, 0)
    figure.show_matrix(MATRIX, encode(MATRIX, VISIBLE, "linear"), TOKENS, TOKENS)
    assert figure.highlighted == (1, 0)
    figure.show_matrix(MATRIX, encode(MATRIX, VISIBLE, "linear"), ["a", "b", "c"], ["a", "b", "c"])
    assert figure.highlighted is None and not figure.row_mark.isVisible()


def test_scale_reencodes_the_same_matrix_and_keeps_the_mask(figure):
    figure.set_scale("row")
    assert np.array_equal(figure.image.image, encode(MATRIX, VISIBLE, "row"))
    assert figure.image.image[1, 1] == 254  # 0.75 is its row's maximum
    assert figure.bar.axis.labelText == SCALES["row"]


def test_colormap_changes_the_lookup_table_but_not_the_masked_grey(figure):
    figure.set_colormap("magma")
    assert np.array_equal(figure.image.lut, lookup_table("magma"))
    assert tuple(figure.image.lut[MASKED_CODE]) == MASKED_RGB


def test_clear_map_forgets_the_map_but_keeps_the_figure(figure):
    figure.clear_map()
    assert figure.matrix is None and figure.visible is None and figure.title.text == ""
    assert figure.image.image is None
    assert figure.plot in figure.ci.items  # the plot, axes and colour bar stay, ready for the next map


def test_apply_colours_paints_background_axes_bar_and_title(figure):
    figure.apply_colours("#101820", "#f0e0d0")
    assert colour_name(figure.backgroundBrush().color()) == "#101820"
    for axis in (figure.key_axis, figure.query_axis, figure.plot.getAxis("bottom"), figure.bar.axis):
        assert colour_name(axis.textPen().color()) == "#f0e0d0"
        assert colour_name(axis.pen().color()) == "#f0e0d0"
    assert figure.title.opts["color"] == "#f0e0d0" and "#f0e0d0" in figure.title.item.toHtml()
    assert figure.title.text == "layer 0 · head 0"
