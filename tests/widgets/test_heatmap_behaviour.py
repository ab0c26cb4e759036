"""HeatmapFigure's behaviour as a user meets it: bounded zoom and its resets, Escape, focus without a selection,
the hover readout with positions, tooltips with raw pieces and ids, axis titles, upright CJK key labels."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from widget_helpers import click_scene, in_view, move_to_scene, show

from explorer.core.display import encode
from explorer.gui.widgets.heatmap import HeatmapFigure
from explorer.gui.widgets.map_zoom import MIN_ZOOM_CELLS
from explorer.gui.widgets.token_axis import TokenAxis, upright_parts

N = 12
TOKENS = ["<s>"] + [f" w{i}" for i in range(1, N)]
PIECES = ["<s>"] + [f"Ġw{i}" for i in range(1, N)]
IDS = list(range(100, 100 + N))


def causal_map(n: int = N) -> tuple[np.ndarray, np.ndarray]:
    visible = np.tril(np.ones((n, n), dtype=bool))
    matrix = np.where(visible, 1.0, 0.0).astype(np.float32)
    matrix /= matrix.sum(axis=1, keepdims=True)
    return matrix, encode(matrix, visible, "linear")


@pytest.fixture
def figure(qtbot):
    figure = show(qtbot, HeatmapFigure(), 600, 500)
    figure.show_matrix(*causal_map(), TOKENS, TOKENS, "layer 0 · head 0", pieces=PIECES, ids=IDS)
    qtbot.wait(20)
    return figure


def view_range(figure):
    (x0, x1), (y0, y1) = figure.plot.getViewBox().viewRange()
    return x0, x1, y0, y1


def whole(figure) -> bool:
    x0, x1, y0, y1 = view_range(figure)
    return (x0, x1, y0, y1) == pytest.approx((-0.5, N - 0.5, -0.5, N - 0.5), abs=1e-6)


def double_click(graphics_view, point) -> None:
    """What a mouse sends for a double-click: press, release, double-click, release. (QTest's mouseDClick
    leaves out the first press and release, and pyqtgraph then reports no double-click.)"""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = graphics_view.viewport()
    for kind, buttons in (
        (QEvent.MouseButtonPress, Qt.LeftButton),
        (QEvent.MouseButtonRelease, Qt.NoButton),
        (QEvent.MouseButtonDblClick, Qt.LeftButton),
        (QEvent.MouseButtonRelease, Qt.NoButton),
    ):
        global_point = QPointF(viewport.mapToGlobal(point))
        event = QMouseEvent(kind, QPointF(point), global_point, Qt.LeftButton, buttons, Qt.NoModifier)
        QApplication.sendEvent(viewport, event)


def zoom_in(figure, factor=0.5, times=1):
    view = figure.plot.getViewBox()
    for _ in range(times):
        view.scaleBy((factor, factor), center=QPointF(N / 2, N / 2))


def test_zoom_never_goes_out_past_the_matrix(figure):
    assert whole(figure) and not figure.zoomed
    figure.plot.getViewBox().scaleBy((4.0, 4.0))  # what many wheel clicks outwards ask for
    x0, x1, y0, y1 = view_range(figure)
    assert x0 >= -0.5 - 1e-6 and x1 <= N - 0.5 + 1e-6 and y0 >= -0.5 - 1e-6 and y1 <= N - 0.5 + 1e-6


def test_zoom_never_goes_in_below_a_few_cells(figure):
    zoom_in(figure, 0.5, times=10)  # 1/1024 of the matrix, were it allowed
    x0, x1, y0, y1 = view_range(figure)
    assert figure.zoomed
    assert x1 - x0 == pytest.approx(MIN_ZOOM_CELLS, abs=0.01) and y1 - y0 == pytest.approx(MIN_ZOOM_CELLS, abs=0.01)


def test_wheel_zoom_is_bounded_too(qtbot, figure):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = figure.mapFromScene(in_view(figure.plot.getViewBox(), N / 2, N / 2))
    for delta in [-120] * 20:  # wheel away from the user: zoom out
        event = QWheelEvent(
            QPointF(centre),
            QPointF(figure.mapToGlobal(centre)),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.NoButton,
            Qt.NoModifier,
            Qt.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(figure.viewport(), event)
    x0, x1, y0, y1 = view_range(figure)
    assert x1 - x0 <= N + 1e-6 and y1 - y0 <= N + 1e-6


@pytest.mark.parametrize(
    "reset",
    ["double-click", "home", "ctrl+0", "method"],
)
def test_double_click_home_and_ctrl_0_reset_the_zoom(qtbot, figure, reset):
    zoom_in(figure, 0.5, times=2)
    assert figure.zoomed and not whole(figure)
    figure.setFocus()
    with qtbot.waitSignal(figure.zoom_reset):
        if reset == "double-click":
            point = figure.mapFromScene(in_view(figure.plot.getViewBox(), 5, 5))
            double_click(figure, point)
        elif reset == "home":
            qtbot.keyClick(figure, Qt.Key_Home)
        elif reset == "ctrl+0":
            qtbot.keyClick(figure, Qt.Key_0, Qt.ControlModifier)
        else:
            figure.reset_zoom()
    assert whole(figure) and not figure.zoomed


def test_home_is_left_to_others_when_not_zoomed(qtbot, figure):
    from PySide6.QtGui import QKeyEvent

    home = QKeyEvent(QKeyEvent.KeyPress, Qt.Key_Home, Qt.NoModifier)
    assert not figure.zoomed and figure.handle_key(home) is False  # the Maps tool then goes to the first head
    zoom_in(figure)
    assert figure.handle_key(home) is True and not figure.zoomed


def test_a_new_map_resets_the_zoom_unless_asked_to_keep_it(figure):
    zoom_in(figure, 0.5, times=2)
    kept = view_range(figure)
    figure.show_matrix(*causal_map(), TOKENS, TOKENS, keep_zoom=True)  # the same map in another variant
    assert figure.zoomed and view_range(figure) == pytest.approx(kept)
    figure.show_matrix(*causal_map(), TOKENS, TOKENS)  # another head, layer, text or model
    assert whole(figure) and not figure.zoomed
    zoom_in(figure)
    figure.show_matrix(*causal_map(5), TOKENS[:5], TOKENS[:5], keep_zoom=True)  # a new shape cannot keep it
    (x0, x1), _ = figure.plot.getViewBox().viewRange()
    assert (x0, x1) == pytest.approx((-0.5, 4.5)) and not figure.zoomed


def test_escape_clears_the_selection(qtbot, figure):
    click_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 3, 7))
    assert figure.highlighted == (7, 3) and figure.row_mark.isVisible() and figure.column_mark.isVisible()
    figure.setFocus()
    qtbot.keyClick(figure, Qt.Key_Escape)
    assert figure.highlighted is None
    assert not figure.row_mark.isVisible() and not figure.column_mark.isVisible()


def test_the_map_takes_focus_without_selecting_a_cell(qtbot, figure):
    outside = figure.key_axis.sceneBoundingRect().center()  # on the key labels, not on a cell
    with qtbot.assertNotEmitted(figure.cell_clicked):
        click_scene(qtbot, figure, outside)
    assert figure.hasFocus() and figure.highlighted is None and not figure.row_mark.isVisible()
    figure.clearFocus()
    assert not figure.hasFocus()
    figure.setFocus(Qt.TabFocusReason)  # what Tab does
    assert figure.hasFocus() and figure.highlighted is None


def test_hover_readout_names_positions(qtbot, figure, every_mouse_move):
    with qtbot.waitSignal(figure.hovered) as hovered:
        move_to_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 3, 7))
    label3, label7 = figure.key_axis.labels[3], figure.query_axis.labels[7]
    assert hovered.args == [f'q 7 "{label7}" → k 3 "{label3}": {1 / 8:.4f}']
    assert figure.describe_cell(2, 5) == f'q 2 "{figure.query_axis.labels[2]}" → k 5 "{label3[:-1]}5": masked'


def test_cell_and_label_tooltips_show_raw_pieces_and_ids(qtbot, figure, every_mouse_move):
    move_to_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 1, 1))  # somewhere else first
    with qtbot.waitSignal(figure.hovered):
        move_to_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 3, 7))
    tip = figure.image.toolTip()
    assert tip.startswith('q 7 "') and "'Ġw7' #107" in tip and "'Ġw3' #103" in tip
    axis = figure.query_axis
    move_to_scene(qtbot, figure, QPointF(axis.sceneBoundingRect().center().x(), in_view(axis.linkedView(), 0, 4).y()))
    assert "query 4" in axis.toolTip() and "'Ġw4'" in axis.toolTip() and "104" in axis.toolTip()


def test_tooltips_without_pieces_still_describe_the_token(qtbot, figure, every_mouse_move):
    figure.show_matrix(*causal_map(), TOKENS, TOKENS)  # an engine that reports no pieces yet
    move_to_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 1, 1))  # somewhere else first
    with qtbot.waitSignal(figure.hovered):
        move_to_scene(qtbot, figure, in_view(figure.plot.getViewBox(), 3, 7))
    assert figure.image.toolTip().startswith('q 7 "') and "'" not in figure.image.toolTip().split(":", 1)[1]


def test_axes_are_titled_query_and_key(figure):
    assert figure.query_axis.labelText == "query" and figure.query_axis.label.isVisible()
    assert figure.key_axis.labelText == "key" and figure.key_axis.label.isVisible()
    assert figure.key_axis.orientation == "top" and figure.query_axis.orientation == "left"


def test_dimming_fades_the_map_and_undimming_restores_it(figure):
    figure.set_dimmed(True)
    assert figure.dimmed and figure.image.opacity() < 1
    figure.set_dimmed(False)
    assert not figure.dimmed and figure.image.opacity() == 1


# -- upright CJK labels ----------------------------------------------------------------------------------
def test_which_labels_stand_upright():
    assert upright_parts("猫") == ("猫", "")
    assert upright_parts("猫(1/3)") == ("猫", "(1/3)")
    assert upright_parts("猫¹ᐟ³") == ("猫", "¹ᐟ³")
    assert upright_parts("因为") == ("因为", "")
    assert upright_parts("。") == ("。", "") and upright_parts("，") == ("，", "")  # wide punctuation
    assert upright_parts("cat") is None and upright_parts("␣猫") is None and upright_parts("猫s") is None
    assert upright_parts("一二三四五") is None, "long CJK labels are rotated like the rest"
    assert upright_parts("(1/3)") is None and upright_parts("") is None


def test_cjk_key_labels_are_stacked_upright_and_others_rotated(qtbot):
    figure = show(qtbot, HeatmapFigure(), 600, 500)
    tokens = ["猫", "坐(1/3)", " the", "因为"]
    figure.show_matrix(*causal_map(4), tokens, tokens)
    key = figure.key_axis
    assert key.upright == [("猫", ""), ("坐", "(1/3)"), None, ("因为", "")]
    assert figure.query_axis.upright == [None] * 4, "rows are never rotated, so never stacked"
    line = key.metrics.height()
    assert key._length(3) == pytest.approx(2 * line), "two characters, two lines"
    assert key._length(1) == pytest.approx(line + key.marker_metrics.height()), "the marker: one small line"
    assert key._length(2) == pytest.approx(key.metrics.horizontalAdvance(key.labels[2])), "rotated: its width"
    assert key.height() >= 2 * line, "the axis is tall enough for the tallest stack"


def test_upright_labels_are_thinned_by_their_width_so_they_never_overlap(qtbot):
    axis = TokenAxis("top", rotate=True)
    axis.set_labels(["猫(12/13)"] * 100)
    width = axis._upright_width(("猫", "(12/13)"))
    ((step, values),) = axis.tickValues(0, 99, 300)
    assert step * 300 / 100 >= width, "neighbouring upright labels do not overlap"
    assert values[0] == 0 and all(b - a == step for a, b in zip(values, values[1:]))


def test_upright_labels_draw_one_character_per_line(qtbot):
    from PySide6.QtGui import QImage, QPainter

    figure = show(qtbot, HeatmapFigure(), 400, 400)
    figure.show_matrix(*causal_map(2), ["猫猫猫", "x"], ["猫猫猫", "x"])
    drawn = []

    class Recorder(QPainter):
        def drawText(self, rect, flags, text):  # noqa: N802
            drawn.append((rect.top(), text))
            super().drawText(rect, flags, text)

    image = QImage(400, 400, QImage.Format_ARGB32)
    painter = Recorder(image)
    key = figure.key_axis
    key.tickValues(-0.5, 1.5, 300)
    key.drawPicture(painter, *key.generateDrawSpecs(painter)[:2], [])
    painter.end()
    cats = [top for top, text in drawn if text == "猫"]
    line = key.metrics.height()
    assert sorted(cats) == pytest.approx([cats[-1], cats[-1] + line, cats[-1] + 2 * line]), "one line each"
    assert "猫猫猫" not in [text for _, text in drawn]
