"""The Flow tool in a real window: the rollout map and the flow bars are the API's numbers for the shown text, the
controls and a click on a row recompute them, a long text gets a message instead of flow, export and state."""

import json

import numpy as np
import pytest
from gui_helpers import LOAD_TIMEOUT_MS, close, open_window
from PySide6.QtCore import QPointF, Qt

import models.analysis
from explorer.gui.tools.flow import state as flow_state
from models.analysis import flow, rollout

TEXT = "The capital of France is Paris."


def flow_tool(window):
    return window.tools["flow"]


def open_flow(qtbot, window):
    """Bring the tool to the front and wait for both its rollout and its flow (or its flow message)."""
    tool = flow_tool(window)
    with qtbot.waitSignal(tool.rollout_shown, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("flow")
    qtbot.waitUntil(lambda: tool.flow is not None or tool.view.bars.values is None, timeout=LOAD_TIMEOUT_MS)
    return tool


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, text=TEXT)
    yield window
    close(window)


def test_the_tool_spells_the_engines_choices():
    assert flow_state.HEAD_REDUCTIONS == models.analysis.HEAD_REDUCTIONS
    assert flow_state.FLOW_MAX_TOKENS == models.analysis.FLOW_MAX_TOKENS


def test_map_and_bars_are_the_apis_numbers_and_follow_the_controls(qtbot, window, smollm):
    tool = flow_tool(window)
    assert tool.rollout is None, "a hidden tool computes nothing"
    tool = open_flow(qtbot, window)
    run = smollm.run(TEXT)
    np.testing.assert_allclose(tool.view.heatmap.matrix, rollout(run), atol=1e-6)
    qtbot.waitUntil(lambda: tool.flow is not None, timeout=LOAD_TIMEOUT_MS)
    n = len(run.ids[0])
    assert tool.flow.query == n - 1
    np.testing.assert_allclose(tool.view.bars.values, flow(run), atol=1e-6)
    with qtbot.waitSignal(tool.rollout_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.head_reduce.setCurrentIndex(tool.view.head_reduce.findData("max"))
    with qtbot.waitSignal(tool.flow_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.residual.setValue(0.25)
    qtbot.waitUntil(lambda: tool.rollout.residual == 0.25, timeout=LOAD_TIMEOUT_MS)
    np.testing.assert_allclose(tool.view.heatmap.matrix, rollout(run, residual=0.25, head_reduce="max"), atol=1e-6)
    np.testing.assert_allclose(tool.view.bars.values, flow(run, residual=0.25), atol=1e-6)
    heatmap = tool.view.heatmap
    scene = heatmap.plot.getViewBox().mapViewToScene(QPointF(0, 3))  # a cell of row 3
    with qtbot.waitSignal(tool.flow_shown, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(heatmap.viewport(), Qt.LeftButton, pos=heatmap.mapFromScene(scene))
    assert tool.state.query == 3 and tool.view.query.value() == 3
    np.testing.assert_allclose(tool.view.bars.values, flow(run, query=3, residual=0.25), atol=1e-6)
    assert np.all(tool.view.bars.values[4:] == 0), "no flow from later tokens under a causal mask"


def test_a_text_longer_than_the_flow_limit_gets_a_message_and_still_its_rollout(qtbot, window):
    tool = open_flow(qtbot, window)
    long_text = " ".join(["word"] * (flow_state.FLOW_MAX_TOKENS + 10))
    with qtbot.waitSignal(tool.rollout_shown, timeout=LOAD_TIMEOUT_MS):
        window.workspace.set_text(long_text)
    assert tool.view.heatmap.matrix.shape[0] > flow_state.FLOW_MAX_TOKENS
    assert tool.flow is None and tool.view.bars.values is None
    assert "up to 128 tokens" in tool.view.bars.getPlotItem().titleLabel.text


def test_export_writes_the_shown_numbers_and_figures_and_state_round_trips(qtbot, window, tmp_path):
    tool = open_flow(qtbot, window)
    qtbot.waitUntil(lambda: tool.flow is not None, timeout=LOAD_TIMEOUT_MS)
    assert tool.export.export_to(tmp_path / "r.npy", "rollout")
    np.testing.assert_array_equal(np.load(tmp_path / "r.npy"), tool.rollout.matrix)
    assert tool.export.export_to(tmp_path / "f.json", "flow")
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    np.testing.assert_allclose(data["flow"], tool.flow.values, rtol=1e-6)
    assert data["query"] == tool.flow.query and data["tokens"][0] == "The"
    for what in ("rollout", "flow"):
        with qtbot.waitSignal(tool.export.exported, timeout=LOAD_TIMEOUT_MS):
            assert tool.export.export_to(tmp_path / f"{what}.png", what, width=600)
        assert (tmp_path / f"{what}.png").stat().st_size > 1000
    with qtbot.waitSignal(tool.rollout_shown, timeout=LOAD_TIMEOUT_MS):
        tool.restore_state({"residual": 0.3, "head_reduce": "min", "query": 2})
    assert tool.save_state() == {"residual": 0.3, "head_reduce": "min", "query": 2}
    assert tool.view.head_reduce.currentData() == "min" and tool.view.query.value() == 2
    for bad, field in (
        ({"residual": 2}, "residual"),
        ({"residual": float("nan")}, "residual"),
        ({"head_reduce": "sum"}, "head_reduce"),
        ({"query": -3}, "query"),
        ({"query": True}, "query"),
        ({"colour": 1}, "unknown"),
    ):
        with pytest.raises(ValueError, match=field):
            tool.check_state(bad)
