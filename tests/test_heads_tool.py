"""The Heads tool in a real window: the atlas shows the run's head scores, clicks open Maps, Ctrl+click knocks a
head out (the run, the next tokens and their baseline follow), importance, the logit lens, export and state."""

import json

import numpy as np
import pytest
from builders import write_hf_model
from gui_helpers import LOAD_TIMEOUT_MS, close, maps_of, open_window
from PySide6.QtCore import QPointF, Qt

import models
from explorer.core.state import DEFAULT_TEXT
from explorer.gui.tools import TOOLS
from explorer.gui.tools.base import Tool
from explorer.gui.tools.heads.state import IMPORTANCE, SCORES
from models.analysis import SCORE_NAMES, head_importance, head_scores, repeated_random
from models.options import RunOptions

TEXT = "The cat sat on the mat. The cat"


def heads_of(window):
    return window.tools["heads"]


def open_heads(qtbot, window):
    """Bring the Heads tool to the front and wait for its atlas (and its lens, when the model has one)."""
    tool = heads_of(window)
    with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("heads")
    return tool


def click_cell(qtbot, atlas, layer: int, head: int, modifier=Qt.NoModifier) -> None:
    scene = atlas.plot.getViewBox().mapViewToScene(QPointF(head, layer))
    qtbot.mouseClick(atlas.viewport(), Qt.LeftButton, modifier, atlas.mapFromScene(scene))


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    folder = tmp_path_factory.mktemp("heads-models") / "tiny-llama"
    write_hf_model(folder, "llama")
    return str(folder)


@pytest.fixture
def smol_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, text=TEXT)
    yield window
    close(window)


@pytest.fixture
def tiny_window(qtbot, tmp_path, tiny_llama):
    window = open_window(qtbot, tmp_path, model=tiny_llama, text="a b c a b c")
    yield window
    close(window)


def test_the_tool_names_every_engine_score_and_is_in_the_tools_menu(tiny_window):
    assert SCORES == SCORE_NAMES
    actions = tiny_window.tool_actions.actions()
    titles = [action.text() for action in actions]
    assert titles == [tool_class.title for tool_class in TOOLS], "the Tools menu lists every tool, in order"
    assert titles[:2] == ["&Maps", "&Heads"], "Maps first, Heads second (whatever tools come after)"
    heads_action = actions[1]
    assert heads_action.shortcut().toString() == "Ctrl+2"
    assert heads_of(tiny_window).scores is None, "a hidden tool computes nothing"
    heads_action.trigger()
    assert tiny_window.active_tool is heads_of(tiny_window)
    assert Tool.open_head(heads_of(tiny_window), 0, 0) is None, "the protocol's default: a tool without heads"


def test_the_atlas_shows_the_runs_head_scores_and_clicks_open_maps(qtbot, smol_window, smollm):
    window = smol_window
    tool = open_heads(qtbot, window)
    expected = head_scores(smollm.run(TEXT))
    atlas, table = tool.view.atlas, tool.view.table
    assert tool.state.score == "previous_token"
    np.testing.assert_allclose(atlas.values, expected["previous_token"], atol=1e-5, equal_nan=True)
    assert atlas.values.shape == (30, 9) and atlas.image.image.shape == (30, 9, 3)
    assert table.row_count() == 270
    np.testing.assert_allclose(table.values("entropy"), expected["entropy"], atol=1e-3, equal_nan=True)
    na = [table.text(row, table.column_of("prefix_matching")) for row in range(table.row_count())]
    assert ("n/a" in na) == bool(np.isnan(expected["prefix_matching"]).any())

    # The lens dock came with the tool: its last layer is the Next tokens dock's list.
    qtbot.waitUntil(lambda: tool.lens is not None, timeout=LOAD_TIMEOUT_MS)
    assert tool.lens_dock.isVisible()
    assert tool.lens.lens[-1] == window.workspace.run.next_tokens[0]
    panel = window.shared.next_panel.table
    assert [tool.lens_panel.table.item(29, rank).text().split("  ")[0] for rank in range(5)] == [
        panel.item(row, 0).text() for row in range(5)
    ]

    with qtbot.waitSignal(maps_of(window).map_changed, timeout=LOAD_TIMEOUT_MS):
        click_cell(qtbot, atlas, 5, 4)
    maps = maps_of(window)
    assert window.active_tool is maps and (maps.state.layer, maps.state.head, maps.state.view) == (5, 4, "head")
    assert not tool.lens_dock.isVisible(), "the lens leaves with its tool"

    window.open_tool("heads")
    row = table.row_of(7, 2)
    with qtbot.waitSignal(maps.map_changed, timeout=LOAD_TIMEOUT_MS):
        table.clicked.emit(table.model().index(row, 2))  # a row's head cell, as a click delivers it
    assert (maps.state.layer, maps.state.head) == (7, 2)


def test_ctrl_click_knocks_a_head_out_and_next_tokens_show_the_baseline(qtbot, smol_window, smollm):
    window = smol_window
    tool = open_heads(qtbot, window)
    plain = window.workspace.run
    assert plain.baseline_next_tokens is None and window.shared.next_panel.table.columnCount() == 2
    with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
        click_cell(qtbot, tool.view.atlas, 0, 3, Qt.ControlModifier)
    run = window.workspace.run
    assert window.active_tool is tool, "Ctrl+click knocks out; it does not open Maps"
    assert window.workspace.state.options.ablate == ((0, 3),) and run.options.ablate == ((0, 3),)
    knocked = smollm.run(TEXT, options=RunOptions(ablate=((0, 3),)))
    assert run.next_tokens[0] == knocked.next_tokens()
    assert run.next_tokens[0] != plain.next_tokens[0], "the prediction changed"
    changes = run.baseline_next_tokens[0]
    assert [c.label for c in changes[:5]] == [label for label, _ in knocked.next_tokens()]
    baseline = dict(plain.next_tokens[0])
    for change in changes:
        if change.label in baseline:
            assert change.baseline == pytest.approx(baseline[change.label], abs=1e-6)
    panel = window.shared.next_panel
    assert panel.table.columnCount() == 4 and panel.table.horizontalHeaderItem(2).text() == "Baseline"
    delta = changes[0].probability - changes[0].baseline
    assert panel.table.item(0, 3).text() == f"{delta * 100:+.1f} pp"
    assert tool.view.atlas.knocked_out == ((0, 3),) and len(tool.view.atlas.crosses.data) == 1
    assert tool.view.table.is_knocked_out(tool.view.table.row_of(0, 3))
    assert tool.view.clear_button.isEnabled()

    # The variant panel keeps the knockout; the checkbox column adds one; Clear resets.
    with qtbot.waitSignal(window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        tool.view.table.tick(tool.view.table.row_of(2, 1), True)
    assert window.workspace.run.options.ablate == ((0, 3), (2, 1))
    with qtbot.waitSignal(window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        window.shared.variant_panel.temperature.setValue(2.0)
    assert window.workspace.run.options.ablate == ((0, 3), (2, 1))
    with qtbot.waitSignal(window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        tool.view.clear_button.click()
    assert window.workspace.run.options.ablate == () and window.workspace.run.baseline_next_tokens is None
    assert panel.table.columnCount() == 2 and tool.view.atlas.knocked_out == ()


def test_heads_opens_on_a_score_that_applies_to_the_default_text(qtbot, tmp_path):
    """Issue 21 item 11: the default sentence repeats no SmolLM2 token, so prefix matching is n/a for every head."""
    window = open_window(qtbot, tmp_path, text=DEFAULT_TEXT)
    try:
        tool = open_heads(qtbot, window)
        assert np.isfinite(tool.view.atlas.values).all(), "no grey atlas on opening"
        assert tool.view.picker.currentData() == tool.state.score
        with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
            tool.set_score("prefix_matching")
        assert np.isnan(tool.view.atlas.values).all()
        assert "n/a for every head" in tool.view.status.text() and "Induction probe" in tool.view.status.text()
    finally:
        close(window)


def test_importance_fills_the_grid_with_each_heads_knockout_effect(qtbot, tiny_window, tiny_llama):
    tool = open_heads(qtbot, tiny_window)
    with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
        tool.view.picker.setCurrentIndex(tool.view.picker.findData(IMPORTANCE))
    run = tiny_window.workspace.run
    expected = head_importance(models.load(tiny_llama), "a b c a b c")
    assert tool.shown.choice == IMPORTANCE and tool.shown.values.shape == (run.n_layers, run.n_heads)
    np.testing.assert_allclose(tool.view.atlas.values, expected.scores, atol=1e-5)  # the CLI's sign
    assert "negative: the head helps" in tool.shown.label and "x0.0" not in tool.view.atlas.bar.axis.labelString()
    assert not tool.view.atlas.bar.axis.autoSIPrefix, "plain units: pyqtgraph's SI prefix would rescale nats"
    assert f"target: the model's own top next token {expected.target!r}" in tool.view.status.text()
    assert tool.view.table.column_of(IMPORTANCE) is not None

    # A knockout makes a new run: the old scan's numbers leave the atlas while the new scan runs.
    during = []
    tiny_window.jobs.started.connect(lambda kind: kind == "head-importance" and during.append(tool.view.atlas.values))
    with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
        tool.toggle_knockout(1, 0)
    assert during == [None], "no importance of the previous run under the new one"
    knocked = head_importance(models.load(tiny_llama), "a b c a b c", options=RunOptions(ablate=((1, 0),)))
    np.testing.assert_allclose(tool.view.atlas.values, knocked.scores, atol=1e-5)


def test_export_writes_the_atlas_as_figure_csv_and_json(qtbot, tiny_window, tmp_path):
    tool = open_heads(qtbot, tiny_window)
    run = tiny_window.workspace.run
    assert tool.export.export_to(tmp_path / "atlas.json")
    data = json.loads((tmp_path / "atlas.json").read_text())
    assert set(data) == {"model", "tokens", "ids", "options", "scores"}
    assert list(data["scores"]) == list(SCORE_NAMES)
    assert np.array(data["scores"]["self"], dtype=float).shape == (run.n_layers, run.n_heads)
    assert tool.export.export_to(tmp_path / "atlas.csv")
    lines = (tmp_path / "atlas.csv").read_text().splitlines()
    assert lines[0] == "layer,head,kv_group," + ",".join(SCORE_NAMES)
    assert len(lines) == 1 + run.n_layers * run.n_heads
    with qtbot.waitSignal(tool.export.exported, timeout=LOAD_TIMEOUT_MS):
        assert tool.export.export_to(tmp_path / "atlas.png", width=600, dpi=100)
    assert (tmp_path / "atlas.png").read_bytes()[:4] == b"\x89PNG"
    assert not tool.export.export_to(tmp_path / "atlas.txt")
    assert "unknown format" in tiny_window.error_dialog.text()


def test_state_round_trips_through_a_session_and_bad_state_is_refused(qtbot, tiny_window, tmp_path):
    tool = open_heads(qtbot, tiny_window)
    tool.set_score("entropy")
    tool.view.table.sort_by("entropy", False)
    assert tool.save_state() == {"score": "entropy", "sort": "entropy", "ascending": False}
    path = tmp_path / "session.json"
    assert tiny_window.files.save_session_to(str(path))
    tool.set_score("self")
    tool.view.table.sort_by("layer", True)
    with qtbot.waitSignal(tiny_window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        assert tiny_window.files.open_path(str(path))
    assert tool.save_state() == {"score": "entropy", "sort": "entropy", "ascending": False}
    assert tool.view.picker.currentData() == "entropy"
    data = json.loads(path.read_text())
    data["tools"]["heads"]["score"] = "nope"
    path.write_text(json.dumps(data))
    assert not tiny_window.files.open_path(str(path))
    assert "tools.heads.score" in tiny_window.error_dialog.text()
    for bad, field in (({"sort": 3}, "sort"), ({"ascending": "yes"}, "ascending"), ({"x": 1}, "unknown")):
        with pytest.raises(ValueError, match=field):
            tool.check_state(bad)


def test_an_encoder_gets_scores_and_clear_notes_for_the_lens_and_importance(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, model="all-minilm-l6-v2", text="the cat sat on the mat")
    try:
        tool = open_heads(qtbot, window)
        assert tool.view.atlas.values.shape == (6, 12)
        assert "encoder" in tool.lens_panel.note.text() and not tool.lens_panel.table.isEnabled()
        tool.set_score(IMPORTANCE)
        assert "encoder" in tool.view.status.text() and tool.view.atlas.values is None
    finally:
        close(window)


def test_the_probe_button_fills_the_induction_probe_and_induction_heads_light_up(qtbot, smol_window, smollm):
    window = smol_window
    tool = open_heads(qtbot, window)
    window.shared.probe_seed.setValue(3)
    assert "repeated twice" in window.shared.probe_button.toolTip()
    with qtbot.waitSignal(tool.atlas_changed, timeout=LOAD_TIMEOUT_MS):
        window.shared.probe_button.click()
    assert window.shared.editor.toPlainText() == repeated_random(smollm, length=50, seed=3).text
    assert tool.state.score == "prefix_matching", "the probe shows the score it is made for"
    assert np.nanmax(tool.view.atlas.values) > 0.5, "prefix matching finds SmolLM2's induction heads"
