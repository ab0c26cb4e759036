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


def test_export_comparison_writes_what_the_api_and_analyze_compare_give(qtbot, window, smollm, tmp_path, monkeypatch):
    import json

    from explorer.export.compare_files import comparison_payload

    tool = open_compare(qtbot, window)
    with qtbot.waitSignal(tool.head_shown, timeout=LOAD_TIMEOUT_MS):
        tool.open_head(3, 4)
    assert tool.export_action in tool.actions()["&File"]
    assert tool.export.suggested_name().endswith("_L03_H04_compare.png")
    expected = compare(smollm, TEXT, a=None, b={"mask": "window=8"})
    head = diff_map(expected.run_a, expected.run_b, 3, 4)
    for name in ("c.json", "c.npy", "c.csv", "c.png", "c.svg"):
        with qtbot.waitSignal(tool.export.exported, timeout=LOAD_TIMEOUT_MS):
            assert tool.export.export_to(tmp_path / name, width=900, dpi=150)
    written = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    reference = comparison_payload(expected, head)  # what `analyze compare --out x.json` writes
    assert set(written) == set(reference) and written["head"]["layer"] == 3 and written["head"]["head"] == 4
    for key in ("model_a", "model_b", "variant_a", "variant_b", "tokens", "ids", "compared_rows", "kl"):
        assert written[key] == reference[key], key  # KL: "inf" in every head (B's window hides keys A sees)
    assert written["kl_infinite_rows"] == reference["kl_infinite_rows"]
    np.testing.assert_allclose(written["js"], reference["js"], atol=1e-6)
    for key in ("a", "b", "diff"):
        np.testing.assert_allclose(written["head"][key], reference["head"][key], atol=1e-6)
    assert written["head"]["visible_b"] == reference["head"]["visible_b"]
    assert [row["token"] for row in written["next_tokens_b"]] == [row["token"] for row in reference["next_tokens_b"]]
    np.testing.assert_allclose(np.load(tmp_path / "c.npy"), head.diff, atol=1e-6)
    rows = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(expected.tokens) + 1
    assert (tmp_path / "c.png").stat().st_size > 5000
    assert "B − A" in (tmp_path / "c.svg").read_text(encoding="utf-8")

    errors = []
    monkeypatch.setattr(tool.context, "show_error", lambda title, message: errors.append(message))
    assert not tool.export.export_to(tmp_path / "c.txt")  # an unknown format is refused at once, in a dialog
    assert "unknown format '.txt'" in errors[0] and not (tmp_path / "c.txt").exists()
