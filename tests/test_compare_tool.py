"""The Compare tool in a real window: variants A and B of the shown text, their per-head divergences against the
API, one head's A, B and B − A, the KL grid's infinite cells, presets, clicks on the grid, and its state."""

import numpy as np
import pytest
from gui_helpers import LOAD_TIMEOUT_MS, close, open_window

from explorer.gui.tools.compare.state import PRESETS, CompareState
from explorer.gui.tools.compare.view import preset_labels
from explorer.gui.widgets.divergence_atlas import INFINITE_RGB
from models.analysis import compare, diff_map
from models.options import RunOptions

TEXT = "The quick brown fox jumps over the lazy dog, and the dog did not mind at all."


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, text=TEXT)
    yield window
    close(window)


def open_compare(qtbot, window):
    tool = window.tools["compare"]
    with qtbot.waitSignal(tool.compared, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("compare")
    return tool


def test_the_default_compares_the_models_own_mask_with_a_window_of_8(qtbot, window, smollm):
    tool = open_compare(qtbot, window)
    assert len(preset_labels()) == len(PRESETS)
    assert tool.state.a == RunOptions() and tool.state.b == RunOptions(mask="window=8")
    assert tool.variants.panel_b.choice().window == 8 and tool.dock.isVisible()
    needs = window.minimumSizeHint()  # every tool's page and the variants' dock fit a small screen
    assert needs.width() <= 1024 and needs.height() <= 700, needs
    expected = compare(smollm, TEXT, a=None, b={"mask": "window=8"})
    result = tool.result
    np.testing.assert_allclose(result.js, expected.js, atol=1e-6)
    assert (result.infinite_rows == expected.infinite_rows).all() and np.isinf(result.kl).all()
    np.testing.assert_allclose(tool.view.atlas.values, expected.js, atol=1e-6)
    head = diff_map(expected.run_a, expected.run_b, 0, 0)
    np.testing.assert_allclose(tool.view.maps[2].matrix, head.diff, atol=1e-6)
    assert tool.view.maps[2].bar.levels() == pytest.approx((-np.abs(head.diff).max(), np.abs(head.diff).max()))
    assert tool.view.next_a.table.rowCount() == 5 and tool.view.next_b.table.rowCount() == 5

    tool.set_measure("kl")  # every head is ∞: drawn in its own colour, described, never a number
    atlas = tool.view.atlas
    assert tuple(atlas.image.image[3, 4]) == INFINITE_RGB
    assert "∞ in 11 of 19 query rows" in atlas.describe(3, 4) and "nan" not in atlas.describe(3, 4)

    with qtbot.waitSignal(tool.head_shown, timeout=LOAD_TIMEOUT_MS) as shown:
        atlas.head_clicked.emit(12, 5)
    assert (shown.args[0].layer, shown.args[0].head) == (12, 5) == (tool.state.layer, tool.state.head)
    other = diff_map(expected.run_a, expected.run_b, 12, 5)
    np.testing.assert_allclose(tool.view.maps[0].matrix, other.a, atol=1e-6)


def test_a_preset_is_one_pick_and_the_state_round_trips(qtbot, window, smollm):
    tool = open_compare(qtbot, window)
    with qtbot.waitSignal(tool.compared, timeout=LOAD_TIMEOUT_MS):
        tool.use_preset(3)  # temperature 1 vs 0.5: every KL finite
    assert tool.state.b == RunOptions(temperature=0.5)
    assert tool.variants.panel_b.choice().temperature == 0.5
    expected = compare(smollm, TEXT, a=None, b={"temperature": 0.5})
    np.testing.assert_allclose(tool.result.kl, expected.kl, atol=1e-5)
    saved = tool.save_state()
    assert CompareState.from_dict(saved) == tool.state
    with pytest.raises(ValueError, match='"tools.compare.b": .*temperature'):
        tool.check_state({**saved, "b": {"temperature": -1}})
    with pytest.raises(ValueError, match='"tools.compare.measure"'):
        tool.check_state({**saved, "measure": "cosine"})
