"""The Lines view in the real window on SmolLM2 (issue 28 item 1): chosen from the view box, its lines are the
current run's maps above the threshold, a head change redraws without a new job, the text's token pins its row."""

import numpy as np
from gui_helpers import close, maps_of, open_window

from explorer.core.lines import head_lines

SENTENCE = "The animal didn't cross the street because it was too tired"


def test_the_lines_view_draws_the_runs_maps_and_follows_the_head(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, text=SENTENCE)
    try:
        tool = maps_of(window)
        lines = tool.view.lines
        tool.set_layer_head(13, 8)
        qtbot.waitUntil(lambda: tool.last_map is not None and tool.last_map.request.layer == 13, timeout=60_000)
        tool.view.navigation.view.setCurrentIndex(tool.view.navigation.view.findData("lines"))
        qtbot.waitUntil(lambda: tool.lines.last is not None and lines.shown == (8,), timeout=60_000)
        assert tool.view.stack.currentWidget() is lines
        head8 = tool.lines.last.heads[8]
        matrix, visible = tool.last_map.matrix, tool.view.heatmap.visible  # head 8's heatmap, shown before
        expected = head_lines(8, matrix, visible, 0.0)
        np.testing.assert_array_equal(head8.rows, expected.rows)
        np.testing.assert_array_equal(head8.weights, expected.weights)
        rows, cols, codes = lines.drawn_lines()[8]
        assert set(zip(rows.tolist(), cols.tolist())) == set(zip(expected.rows.tolist(), expected.cols.tolist()))
        computed = tool.lines.last
        tool.step(heads=-1)  # ← : head 7, from the lines already here
        assert lines.shown == (7,) and tool.lines.last is computed
        window.workspace.token_selected.emit(8)  # " it" clicked in the token strip
        assert lines.selected == ("query", 8)
        assert set(lines.drawn_lines()[7][0].tolist()) == {8}
        assert "query 8" in lines.describe(lines.selected)
    finally:
        close(window)
