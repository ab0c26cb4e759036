"""The Maps view in the real window: zoom rules, keys, the "updating…" cue, the timings line and small screens."""

import threading

import pytest
from gui_helpers import close, maps_of, open_window, wait_for_map
from PySide6.QtCore import QPointF, Qt

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture
def smol_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    close(window)


def heatmap(window):
    return maps_of(window).view.heatmap


def zoom_in(window):
    heatmap(window).plot.getViewBox().scaleBy((0.25, 0.25), center=QPointF(3, 3))
    assert heatmap(window).zoomed


def test_a_new_head_or_layer_resets_the_zoom_and_a_new_variant_keeps_it(qtbot, smol_window):
    window = smol_window
    zoom_in(window)
    wait_for_map(qtbot, window, lambda: maps_of(window).set_layer_head(0, 1))
    assert not heatmap(window).zoomed, "another head: the whole map"
    zoom_in(window)
    wait_for_map(qtbot, window, lambda: maps_of(window).set_layer_head(1, 1))
    assert not heatmap(window).zoomed, "another layer: the whole map"
    zoom_in(window)
    zoomed_range = sum(heatmap(window).plot.getViewBox().viewRange(), [])
    wait_for_map(qtbot, window, lambda: window.shared.variant_panel.temperature.setValue(2.0))
    assert heatmap(window).zoomed, "the same map in another variant: compare it where the user looks"
    assert sum(heatmap(window).plot.getViewBox().viewRange(), []) == pytest.approx(zoomed_range)
    editor = window.shared.editor
    wait_for_map(qtbot, window, lambda: editor.setPlainText("A new text."))
    assert not heatmap(window).zoomed, "another text: the whole map"


def test_home_resets_the_zoom_first_then_goes_to_the_first_head(qtbot, smol_window):
    window = smol_window
    wait_for_map(qtbot, window, lambda: maps_of(window).set_layer_head(0, 3))
    zoom_in(window)
    heatmap(window).setFocus()
    qtbot.keyClick(heatmap(window), Qt.Key_Home)
    assert not heatmap(window).zoomed and maps_of(window).state.head == 3, "zoomed: Home shows the whole map"
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Home))
    assert maps_of(window).state.head == 0, "not zoomed: Home goes to the first head, as before"


def test_the_reset_zoom_button_and_ctrl_0(qtbot, smol_window):
    window = smol_window
    view = maps_of(window).view
    assert view.reset_zoom_button.isVisible() and "Ctrl+0" in view.reset_zoom_action.toolTip()
    zoom_in(window)
    qtbot.mouseClick(view.reset_zoom_button, Qt.LeftButton)
    assert not heatmap(window).zoomed
    zoom_in(window)
    heatmap(window).setFocus()
    qtbot.keyClick(heatmap(window), Qt.Key_0, Qt.ControlModifier)
    assert not heatmap(window).zoomed


def test_escape_clears_a_clicked_cell_in_the_window(qtbot, smol_window):
    window = smol_window
    figure = heatmap(window)
    point = figure.mapFromScene(figure.plot.getViewBox().mapViewToScene(QPointF(1, 4)))
    qtbot.mouseClick(figure.viewport(), Qt.LeftButton, pos=point)
    assert figure.highlighted == (4, 1) and figure.hasFocus()
    qtbot.keyClick(figure, Qt.Key_Escape)
    assert figure.highlighted is None and not figure.row_mark.isVisible()
    assert maps_of(window).state.head == 0, "Escape steps nowhere"


def test_the_readout_follows_the_keys_to_the_next_head(qtbot, smol_window):
    """Click a cell at L0H0, then ↓↓↓ →→ with the pointer still: the line under the map reads L3H2's value of
    that cell (it read L0H0's 0.0718 under the L3H2 map)."""
    window = smol_window
    figure, view = heatmap(window), maps_of(window).view
    point = figure.mapFromScene(figure.plot.getViewBox().mapViewToScene(QPointF(1, 9)))
    figure.scene().sigMouseMoved.emit(figure.mapToScene(point))  # the pointer comes to rest on q 9 → k 1
    qtbot.mouseClick(figure.viewport(), Qt.LeftButton, pos=point)
    first = figure.matrix[9, 1]
    assert view.hover.text().endswith(f": {first:.4f}")
    for key in (Qt.Key_Down, Qt.Key_Down, Qt.Key_Down, Qt.Key_Right, Qt.Key_Right):
        wait_for_map(qtbot, window, lambda key=key: qtbot.keyClick(figure, key))
    assert maps_of(window).state.layer == 3 and maps_of(window).state.head == 2
    now = figure.matrix[9, 1]
    assert now != pytest.approx(first, abs=5e-5), "the two heads differ at this cell, so the test can tell"
    assert view.hover.text() == figure.describe_cell(9, 1) and view.hover.text().endswith(f": {now:.4f}")


def test_the_stale_map_is_dimmed_while_a_run_is_in_flight(qtbot, smol_window):
    window = smol_window
    workspace, view = window.workspace, maps_of(window).view
    assert not view.updating.isVisible() and not heatmap(window).dimmed
    release = threading.Event()
    workspace.jobs.submit("hold", lambda ctx: release.wait(60))  # keeps the run queued while we look
    workspace.state.texts = [SENTENCE + " It slept."]
    workspace.rerun()
    assert view.updating.isVisible() and view.updating.text() == "updating…"
    assert heatmap(window).dimmed
    with qtbot.waitSignal(maps_of(window).map_changed, timeout=60000):
        release.set()
    qtbot.waitUntil(lambda: not view.updating.isVisible(), timeout=5000)
    assert not heatmap(window).dimmed and heatmap(window).matrix.shape[0] == len(workspace.run.tokens[0])


def test_a_failed_or_cancelled_run_lifts_the_cue(qtbot, smol_window):
    window = smol_window
    workspace, view = window.workspace, maps_of(window).view
    release = threading.Event()
    workspace.jobs.submit("hold", lambda ctx: release.wait(60))
    workspace.state.texts = [SENTENCE + " Again."]
    workspace.rerun()
    assert view.updating.isVisible()
    workspace.jobs.cancel("run")
    release.set()
    qtbot.waitUntil(lambda: not view.updating.isVisible(), timeout=5000)
    assert not heatmap(window).dimmed


def test_timings_after_a_one_token_append(qtbot, smol_window):
    window = smol_window
    editor = window.shared.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000):
        qtbot.keyClicks(editor, "!")  # one more token at the end: the rest is reused
    run = window.workspace.run
    text = window.shared.timings_panel.summary.text()
    assert run.reused_tokens > 0
    assert "1 token computed (" in text and f"{run.reused_tokens} reused" in text, text
    assert " 0 tokens/s" not in text and "(0 tokens/s)" not in text


def test_the_all_heads_view_has_labels_a_colour_bar_and_square_cells(qtbot, smol_window):
    window = smol_window
    wait_for_map(qtbot, window, lambda: maps_of(window).set_view("grid"))
    grid = maps_of(window).view.head_grid
    qtbot.wait(50)
    n = len(window.workspace.run.tokens[0])
    assert grid.bar is not None and len(grid.axes) == 6  # 9 heads: 3 key axes on top, 3 query axes left
    assert all(len(axis.labels) == n for axis in grid.axes)
    view = grid.views[4]
    corner, far = view.mapViewToScene(QPointF(-0.5, -0.5)), view.mapViewToScene(QPointF(n - 0.5, n - 0.5))
    assert far.x() - corner.x() == pytest.approx(far.y() - corner.y(), rel=0.02)


def test_at_1024_by_700_the_heatmap_keeps_priority_over_the_docks(qtbot, smol_window):
    window = smol_window
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() <= 1024, timeout=5000)
    qtbot.wait(100)
    view = maps_of(window).view
    assert view.height() >= 360 and view.width() >= 400, (view.width(), view.height())
    plot = heatmap(window).plot.getViewBox().sceneBoundingRect()
    assert plot.height() >= 160, "the cells themselves get room (about 115 px before), not just the frame"
    assert window.shared.timings_dock.height() < view.height()
