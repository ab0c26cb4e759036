"""The Generate tool in a real window: the steps equal model.generate's, each step's row and map equal a full run's,
scrubbing, Stop keeps the steps so far, the variant applies, exports, state, and an encoder refused."""

import time

import numpy as np
import pytest
from gui_helpers import LOAD_TIMEOUT_MS, close, maps_of, temporary_settings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shared_models import SharedModels

from explorer.gui.app import build_window
from models.options import RunOptions

TEXT = "The capital of France is"


def wait_until(condition, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """qtbot.waitUntil for a module-scoped fixture (qtbot is per test)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the module: loading SmolLM2 into a new shell per test cost most of this file's time."""
    settings = temporary_settings(tmp_path_factory.mktemp("generate"))
    window = build_window(settings=settings, text=TEXT, preloaded=SharedModels())
    window.resize(1300, 850)
    window.show()
    wait_until(lambda: maps_of(window).last_map is not None)
    yield window
    close(window)


@pytest.fixture
def window(qtbot, shared_window):
    """The shared window, put back as a fresh one would be after each test: default variant and tool settings."""
    yield shared_window
    workspace = shared_window.workspace
    qtbot.waitUntil(workspace.jobs.idle, timeout=LOAD_TIMEOUT_MS)
    if workspace.state.options != RunOptions():
        with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
            workspace.set_options(RunOptions())
    shared_window.tools["generate"].restore_state({})
    qtbot.waitUntil(workspace.jobs.idle, timeout=LOAD_TIMEOUT_MS)


def generate(qtbot, window, count: int, layer: int = 3, head: int = 5):
    tool = window.open_tool("generate")
    tool.view.count.setValue(count)
    tool.open_head(layer, head)
    with qtbot.waitSignal(tool.finished, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(tool.view.generate_button, Qt.LeftButton)
    return tool


def test_each_steps_row_and_map_equal_a_full_run_of_the_same_ids(qtbot, window, smollm):
    tool = generate(qtbot, window, 4)
    expected = list(smollm.generate(TEXT, 4))  # the API: each run is read before the next step is asked for
    assert [info.token for info in tool.steps] == [step.token for step in expected]
    assert [info.probability for info in tool.steps] == pytest.approx([s.probability for s in expected], abs=1e-6)
    ids = smollm.tokenizer.encode([TEXT]).ids[0] + [info.token_id for info in tool.steps]
    shown = tool.shown
    assert shown.info.step == 3 and tool.view.slider.value() == 3 and not tool.view.stop_button.isEnabled()
    full = smollm.run_ids([ids]).attention(3, 5)
    np.testing.assert_allclose(shown.matrix, full, atol=1e-5)
    np.testing.assert_allclose(tool.view.row_plot.values, full[-1], atol=1e-5)
    with qtbot.waitSignal(tool.step_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.slider.setValue(1)  # scrub back: the map of the text up to the second new token
    earlier = smollm.run_ids([ids[: len(ids) - 2]]).attention(3, 5)
    np.testing.assert_allclose(tool.shown.matrix, earlier, atol=1e-5)
    assert tool.shown.tokens[-1] == tool.steps[1].token
    with qtbot.waitSignal(tool.step_shown, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(tool.view.row_plot, Qt.Key_Right)
    assert tool.shown.info.step == 2
    with qtbot.waitSignal(tool.step_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.head.setValue(0)  # another head of the same step
    np.testing.assert_allclose(tool.shown.row, smollm.run_ids([ids[:-1]]).attention(3, 0)[-1], atol=1e-5)


def test_stop_keeps_the_steps_so_far(qtbot, window):
    tool = window.open_tool("generate")
    tool.view.count.setValue(200)
    with qtbot.waitSignal(tool.step_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.generate_button.click()
    with qtbot.waitSignal(tool.finished, timeout=LOAD_TIMEOUT_MS):
        tool.view.stop_button.click()
    count = len(tool.steps)
    assert 1 <= count < 200 and tool.view.generate_button.isEnabled()
    assert "stopped" in tool.view.status.text() or str(count) in tool.view.status.text()
    assert tool.view.slider.maximum() == count - 1


def test_the_variant_applies_to_every_step_and_sampling_is_seeded(qtbot, window, smollm):
    workspace = window.tools["generate"].context.workspace
    with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        workspace.set_options(RunOptions(mask="causal,window=4"))
    tool = window.open_tool("generate")
    tool.view.sampling.setCurrentIndex(1)
    tool.view.temperature.setValue(0.7)
    tool.view.seed.setValue(11)
    tool = generate(qtbot, window, 3, layer=2, head=1)
    expected = list(smollm.generate(TEXT, 3, temperature=0.7, seed=11, mask="causal,window=4"))
    assert [info.token for info in tool.steps] == [step.token for step in expected]
    row = tool.shown.row
    assert np.all(row[:-4] == 0) and not tool.shown.row_visible[:-4].any()
    assert tool.shown.options["mask"] == "causal,window=4"
    assert tool.save_state() == {"count": 3, "sampling": True, "temperature": 0.7, "seed": 11, "layer": 2, "head": 1}


def test_exports_write_the_row_and_the_map(qtbot, window, tmp_path):
    tool = generate(qtbot, window, 2)
    assert tool.export.export_to(tmp_path / "row.npy", "row")
    np.testing.assert_array_equal(np.load(tmp_path / "row.npy"), tool.shown.row)
    assert tool.export.export_to(tmp_path / "map.csv", "map")
    lines = (tmp_path / "map.csv").read_text().splitlines()
    assert len(lines) == len(tool.shown.tokens) + 1
    with qtbot.waitSignal(tool.export.exported, timeout=LOAD_TIMEOUT_MS):
        assert tool.export.export_to(tmp_path / "row.png", "row")
    assert (tmp_path / "row.png").read_bytes()[:4] == b"\x89PNG"


def test_state_is_checked_and_restored(window):
    tool = window.tools["generate"]
    with pytest.raises(ValueError, match="tools.generate.count"):
        tool.check_state({"count": 0})
    with pytest.raises(ValueError, match="tools.generate.temperature"):
        tool.check_state({"temperature": float("nan")})
    with pytest.raises(ValueError, match="unknown fields"):
        tool.check_state({"colour": 1})
    tool.restore_state({"count": 7, "sampling": True, "temperature": 1.3, "seed": 5, "layer": 29, "head": 8})
    assert tool.view.count.value() == 7 and tool.view.temperature.isEnabled() and tool.view.layer.value() == 29


def test_chinese_is_summarised_as_text_while_each_step_keeps_its_label(qtbot, window, smollm):
    """Issue 21 item 7: SmolLM2 answers 中国的首都是 with 一位美丽, written in byte pieces. The summary read
    '一[佀–使]位(2/2)[瀀–翿]…' (the labels joined); it is the text, as the tokenizers library decodes the ids."""
    workspace = window.workspace
    with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        workspace.set_texts(["中国的首都是"])
    try:
        tool = generate(qtbot, window, 8)
        ids = [info.token_id for info in tool.steps]
        text = smollm.tokenizer.backend.decode(ids)  # the reference: the library's own ByteLevel decoding
        assert text == "一位美丽" and len(tool.steps) == 8
        assert tool.view.status.text() == f"8 tokens written: {text!r}"
        labels = [info.token for info in tool.steps]
        assert labels[1:3] == ["[佀–使]", "位(2/2)"], "each step keeps its readable label"
        tool.set_step(2)
        qtbot.waitUntil(lambda: tool.shown is not None and tool.shown.info.step == 2, timeout=LOAD_TIMEOUT_MS)
        assert "位(2/2)" in tool.view.token.text()
    finally:
        with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
            workspace.set_texts([TEXT])


def test_an_encoder_is_refused_with_a_message(qtbot, window):
    """Last in the file: it loads MiniLM into the shared window rather than building a second one."""
    workspace = window.workspace
    with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        workspace.load_model("all-minilm-l6-v2")
    tool = window.open_tool("generate")
    tool.view.generate_button.click()
    assert "encoder" in tool.view.status.text() and not tool.steps
