"""The Patching tool in a real window: its two texts become the workspace's sequences, tokens aligned and
differences marked, the answer pickers filled from the clean run, a head sweep shown beside the Heads atlas with
the engine's numbers, a click opens Maps, bad input is a message, state round-trips, figures export."""

import json

import numpy as np
import pytest
from builders import write_hf_model
from gui_helpers import close, maps_of, open_window
from PySide6.QtCore import QPointF, Qt

from explorer.gui.tools import TOOLS
from explorer.gui.tools.patching import state as tool_state
from explorer.gui.tools.patching.state import PatchingState
from explorer.gui.tools.patching.tool import PatchingTool

WAIT_MS = 30_000  # a tiny model: every job here takes well under a second
CLEAN, CORRUPT = "a b c a b", "a b d a b"  # one token apart on the tiny tokenizer


def patching_of(window) -> PatchingTool:
    return window.tools["patching"]


def use_texts(qtbot, tool, clean: str, corrupt: str) -> None:
    """Type both texts as a user does and wait for their run (tokens, predictions)."""
    tool.inputs.clean.setText(clean)
    tool.inputs.corrupt.setText(corrupt)
    with qtbot.waitSignal(tool.context.workspace.run_changed, timeout=WAIT_MS):
        tool.apply_texts()


def sweep(qtbot, tool, what="heads", method="exact"):
    from explorer.gui.tools.patching.inputs import choose

    choose(tool.inputs.what, what)
    choose(tool.inputs.method, method)
    with qtbot.waitSignal(tool.swept, timeout=WAIT_MS) as blocker:
        tool.run_sweep()
    return blocker.args[0]


def patching_approx(setup):
    from models.analysis import attribution_patching

    return attribution_patching.approximate(setup, "heads").restored


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    folder = tmp_path_factory.mktemp("patching-models") / "tiny-llama"
    write_hf_model(folder, "llama")
    return str(folder)


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory, tiny_llama):
    """One window for the module's tiny-model tests (a window costs seconds to build); each test starts the tool
    from its default state."""
    from gui_helpers import temporary_settings
    from PySide6.QtTest import QTest
    from shared_models import SharedModels

    from explorer.gui.app import build_window

    folder = tmp_path_factory.mktemp("patching-window")
    window = build_window(settings=temporary_settings(folder), model=tiny_llama, text="a b c", preloaded=SharedModels())
    window.resize(1300, 850)
    window.show()
    for _ in range(WAIT_MS // 20):
        if maps_of(window).last_map is not None:
            break
        QTest.qWait(20)
    yield window
    close(window)


@pytest.fixture
def window(qtbot, shared_window):
    shared_window.open_tool("patching")
    patching_of(shared_window).restore_state(PatchingState().to_dict())
    qtbot.waitUntil(shared_window.workspace.jobs.idle, timeout=WAIT_MS)
    if shared_window.workspace.state.texts != ["a b c"]:  # each test's texts make a new run, as in a new window
        with qtbot.waitSignal(shared_window.workspace.run_changed, timeout=WAIT_MS):
            shared_window.workspace.set_texts(["a b c"])
    return shared_window


def test_the_tool_names_agree_with_the_engine():
    from models.analysis import patching
    from models.analysis.patching_templates import TEMPLATES

    token_attribution = pytest.importorskip("models.analysis.token_attribution")

    assert tool_state.WHATS == patching.WHATS and tool_state.DIRECTIONS == patching.DIRECTIONS
    assert tool_state.METRICS == patching.METRICS and tool_state.ATTRIBUTIONS == token_attribution.METHODS
    ioi = next(t for t in TEMPLATES if t.name == "ioi")
    assert (tool_state.IOI_CLEAN, tool_state.IOI_CORRUPT) == (ioi.clean, ioi.corrupt)
    assert [cls.name for cls in TOOLS].index("patching") == 7, "Ctrl+8: after the seven tools before it"


def test_state_round_trips_and_bad_fields_are_named():
    state = PatchingState(clean="x y", corrupt="x z", what="resid", direction="noise", method="both", layer=1)
    assert PatchingState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
    for field, bad in (("what", "everything"), ("layer", -1), ("clean", 3), ("steps", True), ("method", None)):
        with pytest.raises(ValueError, match=f'"tools.patching.{field}"'):
            PatchingState.from_dict({field: bad})
    with pytest.raises(ValueError, match="unknown fields"):
        PatchingState.from_dict({"colour": "red"})


def test_a_head_sweep_shows_the_engines_numbers_beside_the_heads_atlas(qtbot, window):
    tool = patching_of(window)
    assert window.tool_actions.actions()[7].shortcut().toString() == "Ctrl+8"
    use_texts(qtbot, tool, CLEAN, CORRUPT)
    assert window.workspace.state.texts == [CLEAN, CORRUPT], "the two texts are the workspace's sequences"
    run = window.workspace.run
    pairs = tool.inputs.pairs
    assert pairs.columnCount() == len(run.tokens[0])
    assert run.tokens[0] != run.tokens[1] and len(run.tokens[0]) == len(run.tokens[1])
    assert pairs.differing == [i for i, (a, b) in enumerate(zip(run.tokens[0], run.tokens[1])) if a != b] == [3]
    predictions = [label for label, _ in run.next_tokens[0]]
    assert [tool.inputs.answer.itemData(i) for i in range(tool.inputs.answer.count())] == predictions
    tool.inputs.answer.setCurrentIndex(0)
    tool.inputs.wrong.setCurrentIndex(1)
    result = sweep(qtbot, tool, "heads", "both")

    from models.analysis import patching

    model = window.workspace._engine_jobs.model  # the test reads the engine's model to compute the reference
    setup = patching.prepare(model, CLEAN, CORRUPT, predictions[0], predictions[1])
    expected = patching.sweep(setup, "heads").restored
    atlas = tool.results.heads.atlas
    assert np.allclose(atlas.values, expected, atol=1e-6, equal_nan=True), "the atlas shows the engine's sweep"
    assert result.metric_clean == pytest.approx(setup.metric_clean)
    qtbot.waitUntil(lambda: tool.results.heads.scores_atlas.values is not None, timeout=WAIT_MS)
    top = tool.results.heads.top
    layer, head = int(top.item(0, 0).text()), int(top.item(0, 1).text())
    assert abs(expected[layer, head]) == pytest.approx(np.nanmax(np.abs(expected)), abs=1e-6)
    score = tool.scores.scores[tool.results.heads.score.currentData()][layer, head]
    line = tool.presenter.describe_head(layer, head)
    assert f"restored {expected[layer, head]:.3f}" in line and f"{score:.3f}" in line

    agreement = tool.results.agreement
    assert result.agreement is not None and agreement.worst.rowCount() == len(result.agreement.worst) > 0
    approx = patching_approx(setup)
    assert np.allclose(result.approx, approx, atol=1e-6, equal_nan=True)
    scatter = tool.export.figure("agreement")
    finite = np.isfinite(expected.ravel()) & np.isfinite(approx.ravel())
    assert np.allclose(np.sort(scatter.series[0].x), np.sort(expected.ravel()[finite]), atol=1e-6)
    assert f"{np.corrcoef(expected.ravel()[finite], approx.ravel()[finite])[0, 1]:.3f}" in agreement.summary.text()

    scene = atlas.plot.getViewBox().mapViewToScene(QPointF(head, layer))
    qtbot.mouseClick(atlas.viewport(), Qt.LeftButton, Qt.NoModifier, atlas.mapFromScene(scene))
    maps = maps_of(window)
    assert window.active_tool is maps and (maps.state.layer, maps.state.head) == (layer, head)
    assert window.workspace.state.seq == 0 and window.workspace.run.n_sequences == 2


def test_a_position_sweep_is_labelled_by_tokens_and_exports(qtbot, window, tmp_path):
    tool = patching_of(window)
    use_texts(qtbot, tool, CLEAN, CORRUPT)
    tool.inputs.answer.setCurrentIndex(0)
    tool.inputs.wrong.setCurrentIndex(1)
    result = sweep(qtbot, tool, "resid", "exact")
    view = tool.results.positions.view
    assert view.matrix.shape == (window.workspace.run.n_layers, len(result.tokens_clean))
    # At layer 0 the texts differ only at position 3: patching it alone restores everything, any other nothing.
    assert view.matrix[0, 3] == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(np.delete(view.matrix[0], 3), 0.0, atol=1e-5)
    assert view.column_ticks[0].startswith("0 ")
    path = tmp_path / "resid.svg"
    with qtbot.waitSignal(tool.export.exported, timeout=WAIT_MS):
        tool.export.export_to(path, tool.export.figure("sweep"), caption=tool.export.caption())
    assert path.read_text().lstrip().startswith("<?xml")
    data = tmp_path / "resid.json"
    with qtbot.waitSignal(tool.export.exported, timeout=WAIT_MS):
        tool.export.export_to(data, tool.export.figure("sweep"))
    assert np.allclose(np.array(json.loads(data.read_text())["matrix"]), result.restored)


def test_bad_input_is_a_message_never_a_traceback(qtbot, window):
    tool = patching_of(window)
    use_texts(qtbot, tool, "the cat sat", "the big cat sat on it")
    assert "⚠" in tool.inputs.status.text(), "different lengths are said at once, from the run's tokens"
    tool.inputs.answer.setEditText("cat sat on")
    tool.inputs.wrong.setEditText("the")
    with qtbot.waitSignal(tool.context.jobs.ended, timeout=WAIT_MS):
        tool.run_sweep()
    qtbot.waitUntil(lambda: "different token lengths" in tool.inputs.status.text(), timeout=WAIT_MS)
    assert tool.inputs.run_button.isEnabled()
    use_texts(qtbot, tool, CLEAN, CORRUPT)
    with qtbot.waitSignal(tool.context.jobs.ended, timeout=WAIT_MS):
        tool.run_sweep()
    qtbot.waitUntil(lambda: "answer" in tool.inputs.status.text(), timeout=WAIT_MS)
    assert "⚠" in tool.inputs.status.text() and tool.result is None
    use_texts(qtbot, tool, CLEAN, CLEAN)
    assert "same tokens" in tool.inputs.status.text(), "said at once, from the run's tokens"
    predictions = [label for label, _ in window.workspace.run.next_tokens[0]]
    tool.inputs.answer.setEditText(predictions[0])
    tool.inputs.wrong.setEditText(predictions[1])
    with qtbot.waitSignal(tool.context.jobs.ended, timeout=WAIT_MS):
        tool.run_sweep()
    qtbot.waitUntil(lambda: "nothing to restore" in tool.inputs.status.text(), timeout=WAIT_MS)


def test_the_state_round_trips_through_the_tool(qtbot, window):
    tool = patching_of(window)
    saved = PatchingState(
        clean="a b",
        corrupt="a c",
        answer=" d",
        wrong=" e",
        what="mlp_out",
        method="approximate",
        direction="noise",
        metric="prob",
        layer=1,
        head=2,
        steps=16,
    )
    tool.restore_state(saved.to_dict())
    assert tool.save_state() == saved.to_dict()
    assert tool.inputs.what.currentData() == "mlp_out" and tool.results.attribution.steps.value() == 16


def test_the_attribution_view_colours_the_tokens_by_each_method_beside_a_head(qtbot, window):
    from models.analysis import token_attribution

    tool = patching_of(window)
    use_texts(qtbot, tool, CLEAN, CORRUPT)
    answer = window.workspace.run.next_tokens[0][0][0]
    tool.inputs.answer.setEditText(answer)
    page = tool.results.attribution
    page.layer.setValue(1)
    page.head.setValue(2)
    page.steps.setValue(8)
    with qtbot.waitSignal(tool.attributed, timeout=WAIT_MS) as blocker:
        tool.run_attribution()
    result = blocker.args[0]
    model = window.workspace._engine_jobs.model
    ig = token_attribution.attribute(model, CLEAN, answer, method="ig", steps=8)
    assert result.rows[:3] == ["ig", "grad-input", "grad-norm"] and (result.layer, result.head) == (1, 2)
    assert np.allclose(result.scores[0], ig.scores, atol=1e-6)
    attention = model.run(CLEAN).attention(1, 2)[-1]
    assert np.allclose(result.scores[3], attention, atol=1e-6) and result.scores[3].sum() == pytest.approx(1.0)
    # attention × gradient for the token the methods attributed, by id (its label need not re-tokenize to it)
    gradient = token_attribution.attention_gradient(model, CLEAN, ig.target_id, layer=1)[2, -1]
    assert np.allclose(result.scores[4], gradient, atol=1e-9)
    assert np.allclose(page.tokens.scores, result.scores)
    assert f"{ig.completeness_error:.2%}" in page.summary.text()


@pytest.mark.slow
def test_the_ioi_template_on_smollm2_ranks_heads_as_the_engine_does(qtbot, tmp_path):
    from models.analysis import attribution_patching, patching
    from models.analysis.patching_templates import template_named

    window = open_window(qtbot, tmp_path, text="When Mary and John")
    try:
        window.open_tool("patching")
        tool = patching_of(window)
        with qtbot.waitSignal(window.workspace.run_changed, timeout=120_000):
            tool.use_template("ioi")
        ioi = template_named("ioi")
        assert window.workspace.state.texts == [ioi.clean, ioi.corrupt]
        assert tool.inputs.pairs.differing == [9], "the repeated name, John → Mary"
        result = sweep(qtbot, tool, "heads", "approximate")
        assert result.metric_clean > 0 > result.metric_corrupt, "SmolLM2 answers Mary, and John once corrupted"
        setup = patching.prepare(window.workspace._engine_jobs.model, ioi.clean, ioi.corrupt, ioi.answer, ioi.wrong)
        expected = attribution_patching.approximate(setup, "heads").restored
        assert np.allclose(tool.results.heads.atlas.values, expected, atol=1e-5)
        top = tool.results.heads.top
        layer, head = int(top.item(0, 0).text()), int(top.item(0, 1).text())
        assert abs(expected[layer, head]) == pytest.approx(np.abs(expected).max(), abs=1e-6)
    finally:
        close(window)


@pytest.mark.slow
def test_an_encoder_gets_a_message_not_a_traceback(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, model="all-minilm-l6-v2", text="a text")
    try:
        window.open_tool("patching")
        tool = patching_of(window)
        use_texts(qtbot, tool, "The cat sat on the mat.", "The dog sat on the mat.")
        assert "not a causal language model" in tool.inputs.status.text()
        with qtbot.waitSignal(tool.context.jobs.ended, timeout=WAIT_MS):
            tool.run_sweep()
        qtbot.waitUntil(lambda: "encoder" in tool.inputs.status.text(), timeout=WAIT_MS)
        assert tool.inputs.status.text().startswith("⚠") and tool.result is None
    finally:
        close(window)


def test_every_sweep_and_direction_shows_the_engines_numbers(qtbot, window, tmp_path):
    from explorer.gui.tools.patching.inputs import choose
    from models.analysis import patching

    tool = patching_of(window)
    use_texts(qtbot, tool, CLEAN, CORRUPT)
    predictions = [label for label, _ in window.workspace.run.next_tokens[0]]
    tool.inputs.answer.setEditText(predictions[0])
    tool.inputs.wrong.setEditText(predictions[1])
    setup = patching.prepare(window.workspace._engine_jobs.model, CLEAN, CORRUPT, predictions[0], predictions[1])
    for what, direction in (("pattern", "noise"), ("heads_by_position", "denoise"), ("mlp_out", "noise")):
        choose(tool.inputs.direction, direction)
        result = sweep(qtbot, tool, what, "exact")
        expected = patching.sweep(setup, what, direction).restored
        shown = tool.export.figure("sweep").matrix
        if what == "heads_by_position":  # the atlas shows the chosen position, the last at first
            assert tool.results.heads.position.currentData() == expected.shape[2] - 1
            expected = expected[:, :, -1]
        assert np.allclose(shown, expected, atol=1e-6), f"{what}, {direction}"
        assert result.request.direction == direction
    path = tmp_path / "mlp.pdf"
    with qtbot.waitSignal(tool.export.exported, timeout=WAIT_MS):
        tool.export.export_to(path, tool.export.figure("sweep"), caption=tool.export.caption())
    assert path.read_bytes().startswith(b"%PDF")


def test_the_last_choices_are_remembered_for_the_next_window(window):
    from explorer.gui.tools.patching.inputs import choose

    tool = patching_of(window)
    for box, key in ((tool.inputs.what, "attn_out"), (tool.inputs.direction, "noise"), (tool.inputs.method, "both")):
        choose(box, key)
        box.activated.emit(box.currentIndex())  # as a user's pick does
    assert tool.context.settings.value("patching/what") == "attn_out"
    again = PatchingTool(tool.context)  # a new window's tool reads the same settings
    assert (again.state.what, again.state.direction, again.state.method) == ("attn_out", "noise", "both")
    assert again.inputs.what.currentData() == "attn_out"
    tool.context.settings.setValue("patching/what", "everything")  # a settings file from elsewhere: the defaults
    assert PatchingTool(tool.context).state.what == PatchingState().what
