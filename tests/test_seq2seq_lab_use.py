"""The Seq2seq lab in use (issue 21): one torch thread said in the status line, a session saved before the lab
was opened, the form and the model agreeing, inputs outside the training data, closing with an unsaved model.
"""

import json

import numpy as np
import pytest
import torch
from gui_helpers import temporary_settings

from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.tools import TOOLS
from explorer.gui.tools.seq2seq import checkpoints
from explorer.gui.tools.seq2seq.state import Seq2seqState
from explorer.gui.workspace import Workspace
from models.lab.seq2seq import LabSettings, load_checkpoint

TINY = {"system": "transformer", "task": "reverse", "layers": 1, "heads": 2, "d_model": 16, "length": 4,
        "vocab": 5, "steps": 20, "snapshot_every": 10, "batch_size": 8, "seed": 3}  # fmt: skip
WAIT = 60_000


def settings_of(**changes) -> dict:
    return LabSettings(**{**TINY, **changes}).check().to_json()


def new_shell(tmp_path, settings=None) -> Shell:
    window = Shell(Workspace(JobRunner()), settings or temporary_settings(tmp_path), tools=TOOLS)
    window.resize(1300, 850)
    window.show()
    return window


@pytest.fixture(scope="module")
def shell(qapp, tmp_path_factory):
    window = new_shell(tmp_path_factory.mktemp("lab-use"))
    yield window
    window.tools["seq2seq"].training.reset()  # nothing unsaved: closing does not ask
    window.close()


def open_lab(qtbot, window):
    tool = window.open_tool("seq2seq")
    qtbot.waitUntil(lambda: tool._filled, timeout=WAIT)
    tool.training.reset()
    qtbot.waitUntil(lambda: window.workspace.jobs.idle(), timeout=WAIT)
    return tool


def train(qtbot, tool, **changes):
    tool.view.form.set_values(settings_of(**changes))
    with qtbot.waitSignal(tool.trained, timeout=WAIT):
        tool.view.start_button.click()
    qtbot.waitUntil(lambda: tool.context.jobs.idle(), timeout=WAIT)
    return tool


def translate(qtbot, tool, text: str) -> str:
    tool.view.examples.source.setEditText(text)
    with qtbot.waitSignal(tool.map_changed, timeout=WAIT):
        tool.view.examples.translate_button.click()
    return tool.view.examples.result.text()


def job_thread_count(qtbot, window) -> int:
    got = []
    window.workspace.jobs.submit("lab-probe", lambda ctx: torch.get_num_threads(), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    return got[0]


def test_the_status_line_says_training_runs_on_one_thread_and_the_job_thread_gets_its_count_back(qtbot, shell):
    tool = open_lab(qtbot, shell)
    before = job_thread_count(qtbot, shell)
    train(qtbot, tool)
    assert tool.training.handle.threads == 1
    assert tool.view.status.text().startswith("Finished · step 20") and tool.view.status.text().endswith("on 1 thread")
    assert job_thread_count(qtbot, shell) == before  # the explorer's own runs are not left on one thread


def test_a_session_saved_before_the_lab_was_opened_leaves_its_remembered_settings(qtbot, qapp, tmp_path):
    settings = temporary_settings(tmp_path)
    remembered = Seq2seqState(settings=settings_of(task="copy"), context=8192, cache_bytes=1).to_dict()
    settings.setValue("seq2seq/state", json.dumps(remembered))
    first = new_shell(tmp_path, settings)
    saved = first.session_state().tools["seq2seq"]  # Ctrl+S with the lab never opened
    first.close()
    assert saved == {}
    again = new_shell(tmp_path, settings)
    try:
        again.tools["seq2seq"].check_state(saved)
        again.tools["seq2seq"].restore_state(saved)  # what opening that session does
        tool = again.open_tool("seq2seq")
        qtbot.waitUntil(lambda: tool._filled, timeout=WAIT)
        assert tool.view.form.values() == remembered["settings"]
        assert tool.view.costs.context.value() == 8192 and tool.view.costs.cache.currentData() == 1
    finally:
        again.close()


def test_a_tool_never_opened_holds_the_states_defaults_not_a_one_token_context(qtbot, qapp, tmp_path):
    window = new_shell(tmp_path)
    try:
        costs = window.tools["seq2seq"].view.costs
        assert (costs.context.value(), costs.cache.currentData()) == (Seq2seqState().context, 2)
    finally:
        window.close()


def test_the_form_and_the_model_agree_and_reset_forgets_the_model(qtbot, shell, tmp_path):
    tool = train(qtbot, open_lab(qtbot, shell))
    path = tmp_path / "reverse.safetensors"
    tool.training.checkpoints.save_to(str(path))
    qtbot.waitUntil(lambda: tool.training.checkpoints.saved_step == 20, timeout=WAIT)
    tool.training.reset()
    assert "none yet" in tool.view.model_label.text()
    tool.training.checkpoints.load_from(str(path))
    qtbot.waitUntil(lambda: bool(tool.training.history.snapshots), timeout=WAIT)  # the loaded model is evaluated
    history = tool.training.history
    reference = load_checkpoint(path).evaluate()
    assert history.eval_steps == [20] and history.accuracy == [reference.accuracy]
    x, y = tool.view.curves.accuracy_curve.getData()
    assert list(x) == [20] and list(y) == [reference.accuracy]
    assert tool.view.picker.index == 0 and history.snapshot_steps == [20]
    qtbot.waitUntil(lambda: tool.maps.shown is not None and shell.workspace.jobs.idle(), timeout=WAIT)
    # The same held-out tokens as before Reset: the axes are labelled again, not left blank.
    assert tool.view.heatmap.key_axis.labels == tool.maps.shown.key_tokens != []
    assert "Model: transformer on reverse · file reverse.safetensors" in tool.view.model_label.text()

    form = tool.view.form
    form.editors["system"].setCurrentIndex(form.editors["system"].findData("gru"))  # as a user picks it
    form.editors["task"].setCurrentIndex(form.editors["task"].findData("dates"))
    assert "The form's settings are not the model's (System, Task" in tool.view.model_label.text()
    assert tool.view.match_button.isVisible()
    tool.view.examples.source.setEditText("21 Nov 2026")
    before = tool.maps.translation  # the held-out example the load translated
    tool.view.examples.translate_button.click()
    assert tool.view.examples.result.text().startswith("⚠ The form's settings are not the model's (System, Task")
    assert shell.workspace.jobs.idle() and tool.maps.translation is before  # nothing was asked of the old model
    tool.view.match_button.click()
    assert form.values() == dict(settings_of(), steps=form.values()["steps"])  # Steps stay: Resume trains to them
    assert not tool.view.match_button.isVisible()

    assert translate(qtbot, tool, "a b c d").startswith("your example: a b c d")
    assert tool.view.heatmap.key_axis.labels
    tool.view.reset_button.click()
    assert tool.view.heatmap.key_axis.labels == [] and tool.view.heatmap.query_axis.labels == []
    assert tool.view.examples.result.text() == "Train or load a model, then type or pick a source."
    assert tool.view.examples.source.count() == 0 and tool.view.heatmap.matrix is None


def test_an_input_unlike_the_training_data_is_answered_with_a_warning(qtbot, shell):
    tool = train(qtbot, open_lab(qtbot, shell), difficulty=1)  # length-4 sources only
    result = translate(qtbot, tool, "a b")
    assert "Outside what the model was trained on: it saw sources of exactly 4 symbols, this one has 2" in result
    assert tool.view.map_note.text().endswith("· ⚠ outside the training data")
    assert "Outside" not in translate(qtbot, tool, "a b c d")
    tool = train(qtbot, tool, difficulty=2)  # lengths 2..4
    assert "Outside" not in translate(qtbot, tool, "a b")
    assert "sources of 2 to 4 symbols, this one has 1" in translate(qtbot, tool, "a")


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_closing_with_an_unsaved_model_asks_save_discard_or_cancel(qtbot, qapp, tmp_path, monkeypatch, answer):
    window = new_shell(tmp_path)
    asked = []
    monkeypatch.setattr(checkpoints, "ask_to_save", lambda parent, steps: asked.append(steps) or answer)
    path = tmp_path / "kept.safetensors"
    try:
        tool = open_lab(qtbot, window)
        tool.view.form.set_values(settings_of(steps=100_000, snapshot_every=1000))
        tool.view.start_button.click()
        qtbot.waitUntil(lambda: tool.training.history.summary()["step"] >= 5, timeout=WAIT)
        monkeypatch.setattr(tool.training.checkpoints, "ask_save_path", lambda: str(path))
        closed = window.close()
        assert len(asked) == 1 and asked[0] >= 5
        if answer == "cancel":
            assert not closed and window.isVisible() and tool.training.phase == "training"
        elif answer == "discard":
            assert closed and not window.isVisible()
        else:
            assert closed and not window.isVisible() and tool.training.phase == "stopped"  # once written
            saved = load_checkpoint(path)
            assert saved.step >= asked[0] and len(saved.losses) == saved.step
            assert np.allclose(saved.losses[: len(tool.training.history.losses)], tool.training.history.losses)
    finally:
        if window.isVisible():
            tool.training.reset()
            window.close()


def test_a_language_restart_asks_first_and_cancel_starts_no_second_explorer(qtbot, shell, monkeypatch):
    from explorer.gui.language import restart

    tool = train(qtbot, open_lab(qtbot, shell))
    monkeypatch.setattr(checkpoints, "ask_to_save", lambda parent, steps: "cancel")
    started = []
    assert restart(shell, start=lambda argv, environment: started.append(argv) or True) is False
    assert started == [] and shell.isVisible() and tool.training.phase == "finished"
    tool.training.reset()


def test_save_and_load_dialogs_open_in_the_remembered_folder_never_the_working_directory(
    qtbot, shell, tmp_path, monkeypatch
):
    from pathlib import Path

    tool = train(qtbot, open_lab(qtbot, shell))
    asked = []

    def dialog(kind):
        return lambda parent, title, start, filters: asked.append((kind, start)) or ("", "")

    monkeypatch.setattr(checkpoints.QFileDialog, "getSaveFileName", dialog("save"))
    monkeypatch.setattr(checkpoints.QFileDialog, "getOpenFileName", dialog("load"))
    tool.context.settings.remove("lastFolder")
    tool.view.save_button.click()
    assert asked[-1] == ("save", str(Path.home() / "lab-model.safetensors"))  # nothing remembered: home
    folder = tmp_path / "runs"
    folder.mkdir()
    tool.training.checkpoints.save_to(str(folder / "mine.safetensors"))
    qtbot.waitUntil(lambda: tool.training.checkpoints.saved_step == 20, timeout=WAIT)
    tool.view.save_button.click()
    tool.view.load_button.click()
    assert asked[-2:] == [("save", str(folder / "mine.safetensors")), ("load", str(folder))]
    tool.training.reset()
