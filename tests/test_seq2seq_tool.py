"""The Seq2seq lab tool in a real shell: settings checked by LabSettings, training as a job whose losses and maps
equal a headless Trainer's with the same seed, pause/resume/stop/reset, examples, save/load, costs, export, state.
"""

import json

import numpy as np
import pytest
from builders import write_hf_model
from gui_helpers import temporary_settings

from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.tools import TOOLS
from explorer.gui.tools.seq2seq.state import KINDS, Seq2seqState
from explorer.gui.workspace import Workspace
from models.lab.seq2seq import ATTENTION_KINDS, LabSettings, Trainer, defaults, load_checkpoint

TINY = {"system": "transformer", "task": "reverse", "layers": 1, "heads": 2, "d_model": 16, "length": 4,
        "vocab": 5, "steps": 30, "snapshot_every": 10, "batch_size": 8, "seed": 3}  # fmt: skip
WAIT = 60_000


@pytest.fixture(scope="module")
def shell(qapp, tmp_path_factory):
    """One shell for the module, with no model loaded: the lab must work without one."""
    window = Shell(Workspace(JobRunner()), temporary_settings(tmp_path_factory.mktemp("lab")), tools=TOOLS)
    window.resize(1300, 850)
    window.show()
    yield window
    window.close()


def open_lab(qtbot, shell):
    """The lab in front, its form filled, no model from an earlier test."""
    tool = shell.open_tool("seq2seq")
    qtbot.waitUntil(lambda: tool._filled, timeout=WAIT)
    tool.training.reset()
    qtbot.waitUntil(lambda: shell.workspace.jobs.idle(), timeout=WAIT)
    return tool


def settings_of(**changes) -> dict:
    return LabSettings(**{**TINY, **changes}).check().to_json()


def train(qtbot, tool, **changes):
    tool.view.form.set_values(settings_of(**changes))
    with qtbot.waitSignal(tool.trained, timeout=WAIT):
        tool.view.start_button.click()
    return tool


def headless(**changes) -> Trainer:
    trainer = Trainer(LabSettings(**{**TINY, **changes}))
    events = list(trainer.train())
    trainer.events = events
    return trainer


def test_the_form_opens_on_the_labs_defaults_and_refuses_bad_settings_on_their_field(qtbot, shell):
    tool = open_lab(qtbot, shell)
    assert KINDS == ATTENTION_KINDS
    tool.view.form.set_values(defaults().to_json())  # what the form holds when the lab opens the first time
    assert tool.view.form.values() == defaults().to_json()
    form = tool.view.form
    form.editors["heads"].setValue(3)  # 3 does not divide d_model 64
    assert "heads: 3 does not divide d_model=64" in form.problem.text() and form.problem.isVisible()
    assert "border" in form.editors["heads"].styleSheet()
    tool.view.start_button.click()
    assert tool.training.phase == "idle" and tool.training.handle is None
    form.editors["heads"].setValue(4)
    assert not form.problem.isVisible()
    form.editors["system"].setCurrentIndex(form.editors["system"].findData("gru"))
    assert form.values() == defaults("gru", "reverse").to_json()  # each system starts from its tuned sizes
    assert form.editors["score"].isEnabled() and not form.editors["kv_heads"].isEnabled()


def test_training_streams_the_same_losses_and_maps_as_a_headless_trainer(qtbot, shell):
    tool = train(qtbot, open_lab(qtbot, shell))
    reference = headless()
    history = tool.training.history
    assert tool.training.phase == "finished"
    assert history.losses == pytest.approx(reference.losses, rel=1e-6)
    assert history.snapshot_steps == [10, 20, 30]
    x, y = tool.view.curves.loss_curve.getOriginalDataset()
    assert np.array_equal(x, np.arange(1, 31)) and np.allclose(y, reference.losses)
    snapshots = [e for e in reference.events if hasattr(e, "attention")]
    shown = tool.maps.shown
    assert shown.kind == "cross" and shown.step == 30
    expected = snapshots[-1].attention["cross"][0, 0]  # layer 0, head 0: (T, S)
    assert np.allclose(shown.matrix, expected, atol=1e-6)
    assert shown.key_tokens == snapshots[-1].source and shown.query_tokens == snapshots[-1].output
    assert np.allclose(tool.view.heatmap.matrix, expected, atol=1e-6)
    tool.view.picker.slider.setValue(0)  # scrub back to the first snapshot
    assert tool.maps.shown.step == 10
    assert np.allclose(tool.maps.shown.matrix, snapshots[0].attention["cross"][0, 0], atol=1e-6)
    assert tool.view.curves.marks[0].value() == 10
    picker = tool.view.picker
    picker.choose(kind="encoder", layer=0, head=1)
    assert np.allclose(tool.maps.shown.matrix, snapshots[0].attention["encoder"][0, 1], atol=1e-6)
    assert "correct alignment" in tool.view.map_note.text()


def test_the_map_on_screen_exports_as_data_and_figure(qtbot, shell, tmp_path):
    tool = train(qtbot, open_lab(qtbot, shell))
    tool.view.picker.choose(kind="cross", layer=0, head=1)
    shown = tool.maps.shown
    for suffix in (".npy", ".csv", ".json", ".png"):
        with qtbot.waitSignal(tool.export.exported, timeout=WAIT):
            tool.export.export_to(str(tmp_path / f"map{suffix}"))
    assert np.array_equal(np.load(tmp_path / "map.npy"), shown.matrix)
    rows = (tmp_path / "map.csv").read_text().splitlines()
    assert rows[0].split(",")[1:] == [f"{i}:{t}" for i, t in enumerate(shown.key_tokens)]
    assert np.allclose([float(v) for v in rows[1].split(",")[1:]], shown.matrix[0], atol=1e-8)
    data = json.loads((tmp_path / "map.json").read_text())
    assert data["kind"] == "cross" and data["head"] == 1 and data["output"] == shown.query_tokens
    assert np.allclose(data["attention"], shown.matrix) and data["settings"]["task"] == "reverse"
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"


def test_pause_resume_and_stop_continue_the_same_seeded_run(qtbot, shell):
    tool = open_lab(qtbot, shell)
    tool.view.form.set_values(settings_of(steps=150, snapshot_every=150))
    tool.view.start_button.click()
    qtbot.waitUntil(lambda: tool.training.history.summary()["step"] >= 5, timeout=WAIT)
    tool.view.pause_button.click()
    assert tool.training.phase == "paused" and tool.view.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: shell.workspace.jobs.idle(), timeout=WAIT)
    qtbot.waitUntil(lambda: not tool.training.handle.busy, timeout=WAIT)
    qtbot.wait(400)  # the tool looks again DRAIN_MS after the job stopped; no explicit take_events
    paused_at = tool.training.history.summary()["step"]
    assert paused_at == tool.training.handle.trainer.step  # the step done after Pause is counted and shown
    assert tool.view.status.text().startswith(f"Paused · step {paused_at}")
    assert 5 <= paused_at < 150
    with qtbot.waitSignal(tool.trained, timeout=WAIT):
        tool.view.pause_button.click()  # Resume, to the end
    assert tool.training.phase == "finished"
    assert tool.training.history.losses == pytest.approx(headless(steps=150, snapshot_every=150).losses, rel=1e-6)
    tool.view.reset_button.click()
    assert tool.training.handle is None and tool.maps.shown is None and not tool.training.history.losses


def test_another_tools_job_pauses_training_instead_of_waiting_behind_it(qtbot, shell):
    tool = open_lab(qtbot, shell)
    tool.view.form.set_values(settings_of(steps=150, snapshot_every=150))
    tool.view.start_button.click()
    qtbot.waitUntil(lambda: shell.workspace.jobs.busy("lab-train"), timeout=WAIT)
    done = []
    shell.workspace.jobs.submit("map", lambda ctx: 42, done.append)  # what the Maps tool asks when a head changes
    assert tool.training.phase == "paused" and "Paused so the explorer" in tool.view.status.text()
    qtbot.waitUntil(lambda: done == [42], timeout=WAIT)
    tool.view.stop_button.click()
    assert tool.training.phase == "stopped" and not tool.view.pause_button.isEnabled()


def test_typed_example_save_and_load_give_the_same_output_and_maps(qtbot, shell, tmp_path):
    tool = train(qtbot, open_lab(qtbot, shell))
    tool.view.picker.choose(kind="cross", layer=0, head=0)
    tool.view.examples.source.setEditText("a b c d")
    with qtbot.waitSignal(tool.map_changed, timeout=WAIT):
        tool.view.examples.translate_button.click()
    reference = headless().translate("a b c d")
    shown = tool.maps.shown
    assert tool.maps.translation.output == reference.output
    assert np.allclose(shown.matrix, reference.attention["cross"][0, 0], atol=1e-6)
    assert "your example: a b c d →" in tool.view.examples.result.text()
    path = tmp_path / "run.safetensors"
    tool.training.checkpoints.save_to(str(path))
    qtbot.waitUntil(lambda: (tmp_path / "run.json").exists(), timeout=WAIT)
    assert load_checkpoint(path).translate("a b c d").output == reference.output
    tool.view.reset_button.click()
    with qtbot.waitSignal(tool.map_changed, timeout=WAIT):
        tool.training.checkpoints.load_from(str(path))
    assert tool.training.phase == "stopped"
    assert np.allclose(tool.maps.shown.matrix, shown.matrix, atol=1e-6)
    assert tool.training.history.losses == pytest.approx(headless().losses, rel=1e-6)


def test_a_bad_checkpoint_is_a_dialog_not_a_traceback(qtbot, shell, tmp_path, monkeypatch):
    tool = open_lab(qtbot, shell)
    errors = []
    monkeypatch.setattr(tool.context, "show_error", lambda title, message: errors.append((title, message)))
    (tmp_path / "bad.safetensors").write_bytes(b"not a checkpoint")
    tool.training.checkpoints.load_from(str(tmp_path / "bad.safetensors"))
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert errors[0][0] == "Could not load the model" and tool.training.handle is None


def test_state_round_trips_and_bad_state_names_its_field(qtbot, shell):
    tool = open_lab(qtbot, shell)
    tool.view.form.set_values(settings_of(task="copy"))
    state = tool.save_state()
    assert state["settings"]["task"] == "copy" and Seq2seqState.from_dict(state).to_dict() == state
    tool.view.form.set_values(settings_of(task="sort"))
    tool.restore_state(state)
    assert tool.view.form.values()["task"] == "copy"
    bad = dict(state, settings=dict(state["settings"], kv_heads=3, heads=4))
    with pytest.raises(ValueError, match=r"tools.seq2seq.settings.*kv_heads: 3 does not divide heads=4"):
        tool.check_state(bad)
    with pytest.raises(ValueError, match="tools.seq2seq.kind"):
        tool.check_state(dict(state, kind="sideways"))
    tool._remember()
    assert json.loads(tool.context.settings.value("seq2seq/state"))["settings"]["task"] == "copy"


def test_the_form_greys_out_what_the_system_and_task_do_not_use_however_they_change(qtbot, shell):
    tool = open_lab(qtbot, shell)
    form = tool.view.form
    enabled = lambda name: form.editors[name].isEnabled()  # noqa: E731
    state = tool.save_state()
    tool.restore_state(dict(state, settings=defaults("gru", "reverse").to_json()))
    assert enabled("score") and enabled("d_model") and enabled("length")
    assert not any(enabled(name) for name in ("heads", "kv_heads", "layers", "positions"))
    form.set_values(settings_of(system="transformer"))  # from code, no edit in the form
    assert enabled("heads") and enabled("layers") and enabled("positions")
    assert not enabled("score") and not enabled("kv_heads")
    tool.restore_state(dict(state, settings=defaults("gpt", "dates").to_json()))
    assert enabled("kv_heads") and enabled("heads") and not enabled("score")
    assert not enabled("length") and not enabled("vocab") and enabled("difficulty")  # dates set their own
    tool.training.reset()  # Reset keeps the settings, and their greying
    assert enabled("kv_heads") and not enabled("score")


@pytest.mark.slow  # a model load and three GPTs trained and evaluated: ~20 s on an idle 2-core machine
def test_the_cost_table_trains_each_grouping_and_adds_the_loaded_models_kv_cache(qtbot, shell, tmp_path):
    folder = tmp_path / "tiny-llama"
    write_hf_model(folder, "llama")  # 2 layers, 8 query heads, 2 KV heads of d_head 64 / 8 = 8
    tool = open_lab(qtbot, shell)
    with qtbot.waitSignal(shell.workspace.run_changed, timeout=WAIT):
        shell.workspace.load_model(str(folder))
    tool.view.costs.set_context(4096, 2)
    tool.view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tool.costs.shape is not None, timeout=WAIT)
    table = tool.view.costs.table
    model_rows = {table.text(r, "kv_heads"): r for r in range(table.rowCount())}
    # 2 (K and V) × 2 layers × KV heads × 8 (d_head) × 2 bytes, and × 4,096 tokens of context
    assert table.text(model_rows["2"], "kv_cache_bytes_per_token") == "128 B  (512 KiB at 4,096 tokens)"
    assert table.text(model_rows["8"], "kv_cache_bytes_per_token") == "512 B  (2 MiB at 4,096 tokens)"
    assert "(its own)" in table.text(model_rows["2"], "grouping") and table.text(model_rows["1"], "accuracy") == "—"

    gpt = settings_of(system="gpt", task="copy", heads=4, steps=5, snapshot_every=5)
    tool.view.form.set_values(gpt)
    with qtbot.waitSignal(tool.costs_changed, timeout=WAIT, check_params_cb=lambda rows: len(rows) == 6):
        tool.view.costs.run_button.click()
    lab = tool.costs.lab_rows
    assert [row["grouping"] for row in lab] == ["MHA", "GQA", "MQA"] and [row["kv_heads"] for row in lab] == [4, 2, 1]
    for r, row in enumerate(lab):
        trainer = Trainer(LabSettings(**{**gpt, "kv_heads": row["kv_heads"]}))
        assert row["parameters"] == trainer.parameters == sum(p.numel() for p in trainer.model.parameters())
        assert row["kv_cache_bytes_per_token"] == 2 * 1 * row["kv_heads"] * (16 // 4) * 4  # float32 in the lab
        assert 0 <= row["accuracy"] <= 1 and row["seconds_per_step"] > 0
        assert table.text(r, "parameters") == f"{trainer.parameters:,}"
