"""The desktop explorer driven through its real widgets (pytest-qt, offscreen Qt)."""

import json
import threading

import numpy as np
import pytest
from gui_helpers import close, maps_of, open_window, temporary_settings, wait_for_map
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from explorer.core.display import MASKED_CODE, MASKED_RGB, display_label

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture
def smol_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    close(window)


@pytest.fixture
def mini_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, model="all-minilm-l6-v2", text="the cat sat on the mat")
    yield window
    close(window)


def shown(window) -> np.ndarray:
    return maps_of(window).view.heatmap.matrix


def heatmap(window):
    return maps_of(window).view.heatmap


def position(window) -> tuple[int, int]:
    state = maps_of(window).state
    return state.layer, state.head


def test_window_opens_on_the_default_model_with_a_heatmap(smol_window, smollm):
    window = smol_window
    assert window.workspace.model.name == "smollm2-135m-instruct"
    assert window.shared.editor.toPlainText() == SENTENCE
    expected = smollm.run(SENTENCE)
    n = len(expected.tokens[0])
    assert shown(window).shape == (n, n)
    assert np.allclose(shown(window), expected.attention(0, 0), atol=1e-6)
    assert heatmap(window).image.image is not None and heatmap(window).image.image.dtype == np.uint8
    assert window.shared.token_strip.count() == n
    assert heatmap(window).title.text == "layer 0 · head 0"
    assert "KV heads 3/9 (GQA)" in window.options_label.text()
    assert window.shared.next_panel.table.rowCount() == 5
    assert "tokens/s" in window.shared.timings_panel.summary.text()


def test_typing_changes_the_tokens_and_the_heatmap(qtbot, smol_window, smollm):
    window = smol_window
    before = shown(window).shape
    window.shared.editor.moveCursor(window.shared.editor.textCursor().MoveOperation.End)
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000):
        qtbot.keyClicks(window.shared.editor, " It slept.")
    qtbot.waitUntil(lambda: shown(window).shape != before, timeout=60000)
    text = SENTENCE + " It slept."
    expected = smollm.run(text)
    assert window.workspace.run.tokens[0] == expected.tokens[0]
    assert window.shared.token_strip.count() == len(expected.tokens[0])
    assert np.allclose(shown(window), expected.attention(0, 0), atol=1e-6)


def test_overtaken_runs_are_never_shown(qtbot, smol_window, smollm):
    workspace = smol_window.workspace
    final = smollm.run("Third and final text.").tokens[0]
    shown_runs = []
    workspace.run_changed.connect(lambda run: shown_runs.append(run.tokens[0]))
    # Hold the job thread, so all three runs are queued behind it, then let go.
    release = threading.Event()
    workspace.jobs.submit("hold", lambda ctx: release.wait(60))
    for text in ("First text.", "Second text, longer.", "Third and final text."):
        workspace.state.texts = [text]
        workspace.rerun()
    release.set()
    qtbot.waitUntil(lambda: not workspace.jobs.busy("run"), timeout=60000)
    assert shown_runs == [final], shown_runs  # the two overtaken runs never reached the screen


def test_a_cancelled_run_says_so_and_f5_runs_again(qtbot, smol_window, smollm):
    window = smol_window
    workspace, engine = window.workspace, window.workspace._engine_jobs
    run_texts = engine.run_texts

    def cancelled_at_layer_3(ctx, texts, options):
        report = ctx.report

        def report_then_cancel(done, total, message=""):
            if done == 3:
                workspace.jobs._newest.cancel("run")  # what the status bar's Cancel does, at a known moment
            report(done, total, message)

        ctx.report = report_then_cancel
        return run_texts(ctx, texts, options)

    engine.run_texts = cancelled_at_layer_3
    with qtbot.waitSignal(workspace.jobs.ended, check_params_cb=lambda kind: kind == "run", timeout=60000):
        window.shared.editor.moveCursor(window.shared.editor.textCursor().MoveOperation.End)
        qtbot.keyClicks(window.shared.editor, " It slept.")
    assert workspace.run.tokens[0] == smollm.run(SENTENCE).tokens[0], "the cancelled run never reached the screen"
    engine.run_texts = run_texts
    with qtbot.waitSignal(workspace.run_failed, timeout=60000) as failed:
        qtbot.keyClick(heatmap(window), Qt.Key_Right)
    assert "cancelled before it finished" in failed.args[0] and "F5" in failed.args[0]
    assert "cancelled before it finished" in window.statusBar().currentMessage()
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key_F5))
    expected = smollm.run(SENTENCE + " It slept.")
    assert workspace.run.tokens[0] == expected.tokens[0]
    assert np.allclose(shown(window), expected.attention(*position(window)), atol=1e-6)


def test_keys_change_layer_and_head(qtbot, smol_window, smollm):
    window = smol_window
    heatmap(window).setFocus()
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Right))
    assert position(window) == (0, 1)
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Down))
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Down))
    assert position(window) == (2, 1)
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_End))
    assert maps_of(window).state.head == 8
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_End, Qt.ControlModifier))
    assert position(window) == (29, 8)
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Left))
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Up))
    assert position(window) == (28, 7)
    assert heatmap(window).title.text == "layer 28 · head 7"
    assert (maps_of(window).view.navigation.layer.value(), maps_of(window).view.navigation.head.value()) == (28, 7)
    assert np.allclose(shown(window), smollm.run(SENTENCE).attention(28, 7), atol=1e-6)
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Home, Qt.ControlModifier))
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Home))
    assert position(window) == (0, 0)


def test_causal_control_masks_the_upper_triangle_on_minilm(qtbot, mini_window):
    window, panel = mini_window, mini_window.shared.variant_panel
    assert np.triu(shown(window), k=1).sum() > 0.1
    wait_for_map(qtbot, window, lambda: panel.mask_base.setCurrentIndex(panel.mask_base.findData("causal")))
    matrix, visible = shown(window), heatmap(window).visible
    assert np.all(np.triu(matrix, k=1) == 0.0)
    assert not np.triu(visible, k=1).any()
    pixels = heatmap(window).image.image
    assert pixels[0, -1] == MASKED_CODE and pixels[-1, 0] != MASKED_CODE, "masked cells are drawn grey, others not"
    assert tuple(heatmap(window).image.lut[MASKED_CODE]) == MASKED_RGB
    assert "mask causal" in window.options_label.text()


def test_no_self_window_and_kv_controls(qtbot, mini_window, minilm):
    window, panel = mini_window, mini_window.shared.variant_panel
    wait_for_map(qtbot, window, lambda: panel.no_self.setChecked(True))
    assert np.all(np.diagonal(shown(window)) == 0.0)
    wait_for_map(qtbot, window, lambda: panel.no_self.setChecked(False))
    wait_for_map(qtbot, window, lambda: panel.window_on.setChecked(True))  # default W = 4
    n = shown(window).shape[0]
    i, j = np.indices((n, n))
    assert np.all(shown(window)[np.abs(i - j) >= 4] == 0.0)
    wait_for_map(qtbot, window, lambda: panel.window_on.setChecked(False))
    wait_for_map(qtbot, window, lambda: panel.kv_heads.setCurrentIndex(panel.kv_heads.findData(1)))
    assert window.workspace.run.kv_groups == [list(range(12))]
    assert panel.kv_diagram.groups == [list(range(12))]
    expected = minilm.run("the cat sat on the mat", kv_heads=1).attention(0, 0)
    assert np.allclose(shown(window), expected, atol=1e-6)


def test_positional_and_temperature_controls(qtbot, mini_window, minilm):
    window, panel = mini_window, mini_window.shared.variant_panel
    wait_for_map(qtbot, window, lambda: panel.position.setCurrentIndex(panel.position.findData("none")))
    assert np.allclose(shown(window), minilm.run("the cat sat on the mat", pos="none").attention(0, 0), atol=1e-6)
    assert "pos none" in window.options_label.text()
    assert not panel.rope_theta.isEnabled()
    wait_for_map(qtbot, window, lambda: panel.position.setCurrentIndex(panel.position.findData("rope")))
    assert panel.rope_theta.isEnabled()
    wait_for_map(qtbot, window, lambda: panel.rope_theta.setValue(500.0))
    expected = minilm.run("the cat sat on the mat", pos="rope", rope_theta=500.0).attention(0, 0)
    assert np.allclose(shown(window), expected, atol=1e-6)
    wait_for_map(qtbot, window, lambda: panel.temperature.setValue(3.0))
    expected = minilm.run("the cat sat on the mat", pos="rope", rope_theta=500.0, temperature=3.0).attention(0, 0)
    assert np.allclose(shown(window), expected, atol=1e-6)
    wait_for_map(qtbot, window, panel.reset_to_model)
    assert np.allclose(shown(window), minilm.run("the cat sat on the mat").attention(0, 0), atol=1e-6)


def test_a_file_batch_shows_padding_and_the_sequence_selector(qtbot, mini_window, tmp_path):
    window = mini_window
    source = tmp_path / "batch.txt"
    source.write_text("a short one\na considerably longer sentence for padding\n", encoding="utf-8")
    with qtbot.waitSignal(maps_of(window).map_changed, timeout=60000):
        assert window.files.open_path(str(source))
    assert maps_of(window).view.navigation.seq.count() == 2 and maps_of(window).view.navigation.seq.isVisibleTo(window)
    kinds = [window.shared.token_strip.item(i).data(Qt.UserRole) for i in range(window.shared.token_strip.count())]
    assert "pad" in kinds
    pads = ~np.array(window.workspace.run.is_real[0])
    assert np.all(shown(window)[:, pads] == 0.0) and not heatmap(window).visible[:, pads].any()
    wait_for_map(qtbot, window, lambda: maps_of(window).view.navigation.seq.setCurrentIndex(1))
    assert window.shared.editor.toPlainText() == "a considerably longer sentence for padding"
    wait_for_map(qtbot, window, lambda: window.shared.variant_panel.padding_mask.setChecked(False))
    wait_for_map(qtbot, window, lambda: maps_of(window).view.navigation.seq.setCurrentIndex(0))
    assert shown(window)[:, pads].sum() > 0.01, "without the padding mask, pads receive attention"


def test_mean_grid_and_overview(qtbot, smol_window):
    window = smol_window
    result = wait_for_map(qtbot, window, lambda: maps_of(window).view.navigation.view.setCurrentIndex(1))
    assert result.request.mode == "mean" and heatmap(window).title.text == "layer 0 · mean over heads"
    result = wait_for_map(qtbot, window, lambda: maps_of(window).view.navigation.view.setCurrentIndex(2))
    assert result.matrix.shape[0] == 9 and maps_of(window).view.stack.currentWidget() is maps_of(window).view.head_grid
    assert len(maps_of(window).view.head_grid.views) == 9
    wait_for_map(qtbot, window, lambda: maps_of(window).view.head_grid.head_clicked.emit(4))
    assert maps_of(window).state.view == "head" and maps_of(window).state.head == 4
    with qtbot.waitSignal(maps_of(window).overview_changed, timeout=60000):
        maps_of(window).overview_dock.show()
    assert maps_of(window).overview.thumbnails.shape[:2] == (30, 9)
    wait_for_map(qtbot, window, lambda: maps_of(window).overview.head_clicked.emit(12, 3))
    assert position(window) == (12, 3)


def test_clicking_a_token_highlights_its_row_and_column(qtbot, smol_window):
    window = smol_window
    item = window.shared.token_strip.item(3)
    rect = window.shared.token_strip.visualItemRect(item)
    qtbot.mouseClick(window.shared.token_strip.viewport(), Qt.LeftButton, pos=rect.center())
    assert heatmap(window).highlighted == (3, 3)
    assert heatmap(window).row_mark.isVisible() and heatmap(window).column_mark.isVisible()
    centre = heatmap(window).plot.getViewBox().mapViewToScene(QPointF(1, 3))  # key column 1, query row 3
    heatmap(window).scene().sigMouseMoved.emit(centre)  # what hovering the pointer there does
    value = heatmap(window).matrix[3, 1]
    animal = heatmap(window).key_axis.labels[1]  # " animal", with its leading space made visible
    assert maps_of(window).view.hover.text() == f'q 3 "\'t" → k 1 "{animal}": {value:.4f}'
    assert heatmap(window).describe_cell(3, 1) == f'q 3 "\'t" → k 1 "{animal}": {value:.4f}'
    assert heatmap(window).describe_cell(1, 3) == f'q 1 "{animal}" → k 3 "\'t": masked'


def test_png_and_svg_exports(qtbot, smol_window, tmp_path):
    window = smol_window
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    with qtbot.waitSignal(maps_of(window).export.exported, timeout=60000):  # figures are drawn by a job
        assert maps_of(window).export.export_to(png, width=1200, dpi=150)
    image = QImage(str(png))
    assert image.width() == 1200 and not image.isNull()
    assert round(image.dotsPerMeterX() * 0.0254) == 150
    pixels = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, image.height(), 7)}
    assert len(pixels) > 30, "an exported heatmap has many colours, not a blank canvas"
    with qtbot.waitSignal(maps_of(window).export.exported, timeout=60000):
        assert maps_of(window).export.export_to(svg)
    text = svg.read_text()
    for token in ("animal", "street", "tired"):
        assert token in text


def test_npy_csv_and_all_heads_exports(qtbot, smol_window, tmp_path, smollm):
    window = smol_window
    assert maps_of(window).export.export_to(tmp_path / "map.npy") and maps_of(window).export.export_to(
        tmp_path / "map.csv"
    )
    assert np.array_equal(np.load(tmp_path / "map.npy"), shown(window))
    header = (tmp_path / "map.csv").read_text().splitlines()[0].split(",")
    assert header[2] == f"1:{display_label(window.workspace.run.tokens[0][1])}", "position-qualified labels"
    folder = tmp_path / "layer"
    with qtbot.waitSignal(maps_of(window).export.layer_exported, timeout=60000):
        maps_of(window).export.export_layer_to(folder, ".npy")
    files = sorted(folder.glob("*.npy"))
    assert len(files) == 9
    expected = smollm.run(SENTENCE).attention(0, 5)
    assert np.allclose(np.load(files[5]), expected, atol=1e-6)
    with qtbot.waitSignal(maps_of(window).export.layer_exported, timeout=60000):
        maps_of(window).export.export_layer_to(tmp_path / "pngs", ".png", width=400)
    assert len(list((tmp_path / "pngs").glob("*.png"))) == 9


def test_corrupt_model_file_shows_a_dialog_and_the_app_stays_usable(qtbot, smol_window, tmp_path):
    window = smol_window
    corrupt = tmp_path / "broken.gguf"
    corrupt.write_bytes(b"GGUF" + bytes(range(256)) * 4)
    with qtbot.waitSignal(window.workspace.load_failed, timeout=60000):
        window.model_picker.add_model_path(str(corrupt))
    assert window.error_dialog is not None and window.error_dialog.isVisible()
    assert "could not read the GGUF file" in window.error_dialog.text()
    window.error_dialog.accept()
    assert window.workspace.model.name == "smollm2-135m-instruct"
    assert str(corrupt) not in window.workspace.extra_paths, "a model that failed is not remembered"
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000):
        window.shared.editor.setPlainText("Still working fine.")
    assert window.workspace.run.tokens[0][:3] == ["Still", " working", " fine"]


def test_binary_text_file_shows_a_dialog_and_the_app_stays_usable(qtbot, smol_window, tmp_path):
    window = smol_window
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not window.files.open_path(str(binary))
    assert window.error_dialog.isVisible() and "binary file" in window.error_dialog.text()
    window.error_dialog.accept()
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(heatmap(window), Qt.Key_Right))
    assert maps_of(window).state.head == 1


def test_empty_text_is_reported_in_the_status_bar(qtbot, smol_window):
    window = smol_window
    with qtbot.waitSignal(window.workspace.run_failed, timeout=60000) as blocker:
        window.shared.editor.setPlainText("   ")
    assert "is empty" in blocker.args[0]
    assert "is empty" in window.statusBar().currentMessage()
    assert heatmap(window).matrix is not None, "the last good map stays on screen"


def test_sessions_round_trip(qtbot, smol_window, tmp_path):
    window = smol_window
    wait_for_map(qtbot, window, lambda: maps_of(window).set_layer_head(7, 4))
    wait_for_map(qtbot, window, lambda: window.shared.variant_panel.no_self.setChecked(True))
    path = tmp_path / "session.json"
    assert window.files.save_session_to(str(path))
    saved = json.loads(path.read_text())
    assert (saved["tools"]["maps"]["layer"], saved["tools"]["maps"]["head"]) == (7, 4)
    assert saved["options"]["mask"] == "no-self"
    wait_for_map(qtbot, window, lambda: maps_of(window).set_layer_head(1, 1))
    wait_for_map(qtbot, window, lambda: window.files.open_path(str(path)))
    assert position(window) == (7, 4)
    assert window.shared.variant_panel.no_self.isChecked()
    assert np.all(np.diagonal(shown(window)) == 0.0)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    assert not window.files.open_path(str(bad))
    assert "not an Attention Explorer session" in window.error_dialog.text()


def test_settings_remember_model_recent_files_and_added_models(qtbot, tmp_path):
    from builders import write_hf_model

    settings = temporary_settings(tmp_path)
    window = open_window(qtbot, tmp_path, settings=settings, model="all-minilm-l6-v2", text="hello there")
    batch = tmp_path / "lines.txt"
    batch.write_text("one line\nanother line\n")
    with qtbot.waitSignal(maps_of(window).map_changed, timeout=60000):
        window.files.open_path(str(batch))
    folder = tmp_path / "my-gpt2"
    write_hf_model(folder, "gpt2")
    with qtbot.waitSignal(window.workspace.model_changed, timeout=60000):
        window.model_picker.add_model_path(str(folder))
    qtbot.waitUntil(lambda: window.model_picker.combo.findData("my-gpt2") >= 0, timeout=60000)
    close(window)
    assert settings.value("lastModel") == "my-gpt2"
    assert str(batch.resolve()) in settings.value("recentFiles")
    reopened = open_window(qtbot, tmp_path, settings=temporary_settings(tmp_path))
    assert reopened.workspace.model.name == "my-gpt2", "the last model opens again"
    assert reopened.files.recent_menu.actions()[0].text() == "lines.txt"
    assert any(str(folder) == p for p in reopened.workspace.extra_paths)
    close(reopened)


def test_colormap_and_scale(qtbot, mini_window):
    window = mini_window
    lut_before = heatmap(window).image.lut.copy()
    window.colormap_combo.setCurrentText("magma")
    assert not np.array_equal(heatmap(window).image.lut, lut_before)
    window.scale_combo.setCurrentIndex(window.scale_combo.findData("log"))
    assert heatmap(window).bar.levels() == (-4.0, 0.0)
    window.scale_combo.setCurrentIndex(window.scale_combo.findData("row"))
    row_max = heatmap(window).image.image.max(axis=1)
    assert np.all(row_max == MASKED_CODE - 1), "per-row max: every row's strongest cell gets the top colour"


def test_a_session_of_another_model_opens_at_its_own_layer_and_head(qtbot, mini_window, tmp_path, smollm):
    """Saved on SmolLM2 (30 layers) at layer 20, opened while MiniLM (6 layers) is loaded: not clamped to 5."""
    window, path = mini_window, tmp_path / "smol.json"
    workspace = {
        "format": "attention-explorer-session",
        "version": 2,
        "model": "smollm2-135m-instruct",
        "texts": [SENTENCE],
        "options": {"kv_heads": 1},
        "tools": {"maps": {"layer": 20, "head": 7, "view": "head"}},
    }
    path.write_text(json.dumps(workspace))
    qtbot.waitUntil(lambda: not window.workspace.jobs.busy("map"), timeout=60000)
    with qtbot.waitSignal(window.workspace.run_changed, timeout=120000):
        assert window.files.open_path(str(path))
    qtbot.waitUntil(lambda: shown(window).shape[0] == len(smollm.run(SENTENCE).tokens[0]), timeout=60000)
    assert window.workspace.model.name == "smollm2-135m-instruct" and position(window) == (20, 7)
    assert np.allclose(shown(window), smollm.run(SENTENCE, kv_heads=1).attention(20, 7), atol=1e-6)


def test_a_damaged_added_model_is_listed_as_unusable_and_the_rest_works(qtbot, tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "bert", "num_attention_heads": 0}')
    settings = temporary_settings(tmp_path)
    settings.setValue("addedModels", [str(broken)])
    window = open_window(qtbot, tmp_path, settings=settings, model="all-minilm-l6-v2", text="the cat sat")
    combo = window.model_picker.combo
    qtbot.waitUntil(lambda: combo.findData("broken-model") >= 0, timeout=60000)
    index = combo.findData("broken-model")
    assert combo.itemText(index) == "broken-model  (unusable)"
    assert not combo.model().item(index).isEnabled(), "an unusable model cannot be chosen"
    assert "config.json: the field 'hidden_size' is missing" in combo.itemData(index, Qt.ToolTipRole)
    assert combo.findData("smollm2-135m-instruct") >= 0 and window.workspace.model.name == "all-minilm-l6-v2"
    close(window)


def test_closing_the_window_frees_the_models_weights(qtbot, tmp_path):
    # Qt connections to lambdas can keep a closed window's Python objects alive; the weights must not stay
    # with them (every test window kept SmolLM2's 540 MB until CI's suite ran out of memory).
    import gc
    import weakref

    window = open_window(qtbot, tmp_path, preloaded={})  # a model of its own, loaded from disk, to watch it go
    compare = window.tools["compare"]
    with qtbot.waitSignal(compare.compared, timeout=120_000):
        window.open_tool("compare")
    engine = window.workspace._engine_jobs  # noqa: SLF001 - the job thread's side, read here to watch its model go
    model, run_a = weakref.ref(engine.model), weakref.ref(compare.cache.runs[0])
    del engine
    close(window)
    gc.collect()
    assert model() is None and run_a() is None
