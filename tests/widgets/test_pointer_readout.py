"""The hover readout follows what a figure shows: new content under a still pointer is read out at once (the
Maps readout kept the previous head's value after the arrow keys stepped to another head), and a figure the
pointer has left says nothing. Every figure with a readout: heatmap, difference map, matrix plot, attention row,
flow bars and head atlas."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtWidgets import QApplication
from widget_helpers import in_view, move_to_scene, show

from explorer.core.display import display_label, encode
from explorer.core.plots import MatrixView
from explorer.gui.widgets.attention_row import AttentionRowPlot
from explorer.gui.widgets.flow_bars import FlowBars
from explorer.gui.widgets.head_atlas import HeadAtlas
from explorer.gui.widgets.heatmap import HeatmapFigure
from explorer.gui.widgets.matrix_plot import MatrixPlot

TOKENS = ["<s>", " cat", " sat"]
VISIBLE = np.tril(np.ones((3, 3), dtype=bool))
FIRST = np.array([[1.0, 0.0, 0.0], [0.25, 0.75, 0.0], [0.2, 0.3, 0.5]], dtype=np.float32)
SECOND = np.array([[1.0, 0.0, 0.0], [0.6, 0.4, 0.0], [0.1, 0.1, 0.8]], dtype=np.float32)


def readouts(figure) -> list[str]:
    said: list[str] = []
    figure.hovered.connect(said.append)
    return said


def point_at(qtbot, figure, scene_point) -> None:
    """Move the pointer there from elsewhere: a move to where the pointer already is reports nothing."""
    move_to_scene(qtbot, figure, scene_point + QPointF(7, 5))
    move_to_scene(qtbot, figure, scene_point)


def leave(figure) -> None:
    QApplication.sendEvent(figure, QEvent(QEvent.Leave))


def test_the_heatmap_reads_out_the_new_map_under_a_still_pointer(qtbot, every_mouse_move):
    figure = show(qtbot, HeatmapFigure())
    figure.show_matrix(FIRST, encode(FIRST, VISIBLE, "linear"), TOKENS, TOKENS, "layer 0 · head 0")
    said = readouts(figure)
    point_at(qtbot, figure, in_view(figure.plot.getViewBox(), 0, 1))
    cat = display_label(" cat")
    assert said[-1] == f'q 1 "{cat}" → k 0 "<s>": 0.2500'
    # The arrow keys step to another head: the pointer has not moved, the map under it has.
    figure.show_matrix(SECOND, encode(SECOND, VISIBLE, "linear"), TOKENS, TOKENS, "layer 3 · head 2")
    assert said[-1] == f'q 1 "{cat}" → k 0 "<s>": 0.6000'
    figure.clear_map()
    assert said[-1] == ""
    leave(figure)
    count = len(said)
    figure.show_matrix(FIRST, encode(FIRST, VISIBLE, "linear"), TOKENS, TOKENS)
    assert len(said) == count, "a figure the pointer has left says nothing (its neighbours may share the line)"


def test_a_hidden_heatmap_clears_its_readout(qtbot, every_mouse_move):
    figure = show(qtbot, HeatmapFigure())
    figure.show_matrix(FIRST, encode(FIRST, VISIBLE, "linear"), TOKENS, TOKENS)
    said = readouts(figure)
    point_at(qtbot, figure, in_view(figure.plot.getViewBox(), 1, 1))
    assert said[-1].endswith("0.7500")
    figure.hide()  # another page of a stack (the Maps grid) replaces it
    assert said[-1] == ""


def test_the_matrix_plot_reads_out_the_new_matrix(qtbot, every_mouse_move):
    plot = show(qtbot, MatrixPlot())
    labels = dict(name="m", title="t", row_label="row", column_label="col", value_label="v")
    plot.show_view(MatrixView(matrix=FIRST.astype(np.float64), **labels))
    said = readouts(plot)
    point_at(qtbot, plot, in_view(plot.plot.getViewBox(), 1, 2))
    assert said[-1] == "row 2, col 1: 0.3"
    plot.show_view(MatrixView(matrix=SECOND.astype(np.float64), **labels))
    assert said[-1] == "row 2, col 1: 0.1"
    plot.clear_view()
    assert said[-1] == ""


def test_the_attention_row_reads_out_the_new_step(qtbot, every_mouse_move):
    plot = show(qtbot, AttentionRowPlot(), 500, 300)
    plot.show_row(FIRST[2], TOKENS)
    said = readouts(plot)
    point_at(qtbot, plot, in_view(plot.getViewBox(), 2, 0.05))
    assert said[-1] == f'k 2 "{display_label(" sat")}": 0.5000'
    plot.show_row(SECOND[2], TOKENS)
    assert said[-1] == f'k 2 "{display_label(" sat")}": 0.8000'
    plot.clear_row("nothing yet")
    assert said[-1] == ""


def test_the_flow_bars_read_out_the_new_flow(qtbot, every_mouse_move):
    bars = show(qtbot, FlowBars(), 500, 300)
    bars.show_flow(np.array([0.5, 0.25, 1.0], dtype=np.float32), TOKENS, query=2)
    said = readouts(bars)
    point_at(qtbot, bars, in_view(bars.getViewBox(), 1, 0.05))
    assert said[-1] == f'1 "{display_label(" cat")}" → 2: 0.2500'
    bars.show_flow(np.array([0.5, 0.75, 1.0], dtype=np.float32), TOKENS, query=2)
    assert said[-1] == f'1 "{display_label(" cat")}" → 2: 0.7500'


@pytest.mark.parametrize("knock_out", [False, True])
def test_the_head_atlas_reads_out_new_scores_and_knockouts(qtbot, every_mouse_move, knock_out):
    atlas = show(qtbot, HeadAtlas())
    atlas.show_scores(np.array([[0.1, 0.2], [0.3, 0.4]]), (0.0, 1.0), "score")
    said = readouts(atlas)
    point_at(qtbot, atlas, in_view(atlas.plot.getViewBox(), 1, 0))
    assert said[-1] == "layer 0 · head 1: 0.2"
    if knock_out:
        atlas.set_knockouts([(0, 1)])
        assert said[-1] == "layer 0 · head 1: 0.2 · knocked out"
    else:
        atlas.show_scores(np.array([[0.1, 0.9], [0.3, 0.4]]), (0.0, 1.0), "another score")
        assert said[-1] == "layer 0 · head 1: 0.9"
