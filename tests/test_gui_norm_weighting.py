"""The Maps tool's weighting: switching to norm-weighted shows the engine's map, everywhere the tool draws one."""

import numpy as np
import pytest
from gui_helpers import close, maps_of, open_window, temporary_settings, wait_for_map

from explorer.gui.tools.maps.state import WEIGHTINGS, MapsState
from models.runtime import weighting
from models.runtime.weighting import weighted_attention, weighted_layer_attention

TEXT = "The animal didn't cross the street because it was too tired."


def choose(window, value: str) -> None:
    box = maps_of(window).view.weighting
    box.setCurrentIndex(box.findData(value))


@pytest.mark.slow  # two runs of a real model (subprocesses / windows): ~15-20 s
def test_switching_the_weighting_shows_the_engines_norm_weighted_map_and_is_remembered(qtbot, tmp_path, smollm):
    settings = temporary_settings(tmp_path)
    window = open_window(qtbot, tmp_path, settings=settings, text=TEXT)
    tool = maps_of(window)
    run = smollm.run(TEXT)
    try:
        wait_for_map(qtbot, window, lambda: tool.set_layer_head(3, 2))
        result = wait_for_map(qtbot, window, lambda: choose(window, "norm"))
        assert result.request.weighting == "norm" and tool.state.weighting == "norm"
        expected = weighted_attention(run, 3, 2, weighting="norm", renormalize=True)
        shown = tool.view.heatmap.matrix
        np.testing.assert_allclose(shown, expected, atol=1e-5)
        assert not np.allclose(shown, run.attention(3, 2), atol=1e-3), "the weighting changes what is shown"
        assert tool.view.heatmap.title.text == "layer 3 · head 2 · norm-weighted"
        assert tool.view.heatmap.bar.axis.labelText == "norm-weighted share (0 to 1)"
        assert "norm-weighted" in tool.export.suggested_name(".svg")
        assert tool.save_state()["weighting"] == "norm"
        assert settings.value("maps/weighting") == "norm"
        assert "Kobayashi" in tool.view.weighting.itemData(1, 3)  # Qt.ToolTipRole: the tooltip says what it is

        result = wait_for_map(qtbot, window, lambda: tool.view.navigation.view.setCurrentIndex(2))
        expected = weighted_layer_attention(run, 3, weighting="norm", renormalize=True)  # (H, N, N)
        np.testing.assert_allclose(result.matrix, expected, atol=1e-5)
        with qtbot.waitSignal(tool.overview_changed, timeout=120_000) as blocker:
            tool.overview_dock.show()
        overview = blocker.args[0]
        assert overview.weighting == "norm" and "norm-weighted" in tool.overview_dock.windowTitle()
        np.testing.assert_allclose(overview.thumbnails.sum(axis=-1), 1.0, atol=1e-4)

        wait_for_map(qtbot, window, lambda: tool.view.navigation.view.setCurrentIndex(0))
        result = wait_for_map(qtbot, window, lambda: choose(window, "attention"))
        np.testing.assert_array_equal(tool.view.heatmap.matrix, run.attention(3, 2))
        assert result.request.weighting == "attention" and tool.view.heatmap.title.text == "layer 3 · head 2"
        assert tool.view.heatmap.bar.axis.labelText == "attention (0 to 1)"
        wait_for_map(qtbot, window, lambda: choose(window, "norm"))
    finally:
        close(window)
    again = open_window(qtbot, tmp_path, settings=temporary_settings(tmp_path), text=TEXT)
    try:  # a new window opens with the weighting last chosen
        assert maps_of(again).state.weighting == "norm" and maps_of(again).view.weighting.currentData() == "norm"
        assert maps_of(again).last_map.request.weighting == "norm"
    finally:
        close(again)


def test_the_weighting_in_a_session_file_is_checked():
    assert WEIGHTINGS == weighting.WEIGHTINGS
    assert MapsState.from_dict({"layer": 1, "head": 2, "view": "head"}).weighting == "attention"  # older sessions
    assert MapsState.from_dict({"weighting": "norm"}).weighting == "norm"
    for bad in ["Norm", 1, None, ["norm"]]:
        with pytest.raises(ValueError, match='"tools.maps.weighting"'):
            MapsState.from_dict({"weighting": bad})
    assert MapsState(5, 9, "grid", "norm").clamped(3, 4) == MapsState(2, 3, "grid", "norm")
