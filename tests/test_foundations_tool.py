"""The Foundations tool in a real shell without a model: every number a page draws against the textbook formula
computed here in numpy, errors shown instead of wrong figures, live training, export and saved state."""

import json

import numpy as np
import pytest
from gui_helpers import temporary_settings

from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.workspace import Workspace

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def tool(qapp, tmp_path_factory):
    """One shell for the module: building one costs seconds; each test sets the settings it reads."""
    jobs = JobRunner()
    window = Shell(Workspace(jobs), temporary_settings(tmp_path_factory.mktemp("foundations")))
    window.resize(1300, 850)
    window.show()
    tool = window.open_tool("foundations")
    yield tool
    window.close()


def show(qtbot, tool, name: str, **settings):
    page = tool.by_name[name]
    tool.show_page(name)
    with qtbot.waitSignal(page.computed, timeout=TIMEOUT_MS):
        page.controls.restore(settings)
        page.recompute()
    return page


def test_pooling_shows_the_nadaraya_watson_weights_of_the_gaussian_kernel(qtbot, tool):
    page = show(qtbot, tool, "pooling", kernel="gaussian", bandwidth=0.4, n=30, noise=0.3, seed=2)
    rng = np.random.default_rng(2)  # the data: x sorted uniform in [0, 5], y = 2 sin x + x^0.8 + noise
    x = np.sort(rng.uniform(0, 5, 30))
    y = 2 * np.sin(x) + x**0.8 + rng.normal(0, 0.3, 30)
    queries = np.arange(30) * 5 / 30
    kernel = np.exp(-(((queries[:, None] - x[None, :]) / 0.4) ** 2) / 2)
    expected = kernel / kernel.sum(axis=1, keepdims=True)
    shown = page.views["attention"].matrix
    assert np.allclose(shown, expected, atol=1e-12) and np.allclose(shown.sum(axis=1), 1)
    fit = {s.name: s for s in page.views["fit"].series}
    assert np.allclose(fit["Nadaraya–Watson"].y, expected @ y) and np.allclose(fit["samples"].x, x)


def test_a_bandwidth_that_leaves_a_point_alone_is_an_error_not_a_figure(qtbot, tool):
    page = show(qtbot, tool, "pooling")
    page.controls.restore({"kernel": "boxcar", "bandwidth": 0.02, "n": 5})
    page.recompute()
    assert "⚠" in page.status.text() and "bandwidth" in page.status.text()
    assert "attention" not in page.views and not page.frames["attention"].export_button.isEnabled()


def test_the_parametric_weights_train_live_and_follow_the_softmax_formula(qtbot, tool):
    page = show(qtbot, tool, "pooling", kernel="gaussian", bandwidth=0.5, n=20, steps=40)
    frame = page.frames["parametric"]  # untrained: a line saying how to fill it, not empty axes
    assert frame.hint.isVisible() and "Train w" in frame.hint.text() and not frame.figure.isVisible()
    page.train_button.click()
    qtbot.waitUntil(lambda: page.train_button.isEnabled(), timeout=TIMEOUT_MS)
    assert frame.figure.isVisible() and not frame.hint.isVisible()
    assert [step for step, _, _ in page.history] == list(range(1, 41))
    assert len(page.views["loss"].series[0].y) == 40
    w = page.model.w
    x = page.model.x_train
    queries = np.arange(20) * 5 / 20
    logits = -(((queries[:, None] - x[None, :]) * w) ** 2) / 2
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.allclose(page.views["parametric"].matrix, expected)
    page.controls.restore({"seed": 1})  # new data: w was fitted to the old points, so it goes, and the hint is back
    page.setting_changed("seed")
    assert page.model is None and frame.hint.isVisible() and not frame.figure.isVisible()


def test_sinusoidal_and_2d_sincos_encodings_equal_the_papers(qtbot, tool):
    page = show(qtbot, tool, "positions", kind="sinusoidal", length=20, dim=8)
    pos, i = np.arange(20)[:, None], np.arange(4)[None, :]
    expected = np.empty((20, 8))
    expected[:, 0::2], expected[:, 1::2] = np.sin(pos / 10000 ** (2 * i / 8)), np.cos(pos / 10000 ** (2 * i / 8))
    assert np.allclose(page.views["pe"].matrix, expected)
    assert np.allclose(page.views["pe-similarity"].matrix, expected @ expected.T)
    show(qtbot, tool, "positions", kind="2d-sincos", height=3, width=4, dim=8, row=1, column=2)
    omega = 1 / 10000 ** (np.arange(2) / 2)  # MAE: each half (d/2 = 4) is [sin, cos] of d/4 = 2 frequencies

    def code(p):
        return np.concatenate([np.sin(p * omega), np.cos(p * omega)])

    grid = np.array([np.concatenate([code(c), code(r)]) for r in range(3) for c in range(4)])
    unit = grid / np.linalg.norm(grid, axis=1, keepdims=True)
    assert np.allclose(page.views["patch-similarity"].matrix, (unit @ unit[1 * 4 + 2]).reshape(3, 4))


def test_alibi_shows_the_papers_slopes_and_learned_positions_ask_for_a_model(qtbot, tool):
    page = show(qtbot, tool, "positions", kind="alibi", heads=8, head=2, length=6)
    # An exported figure's caption names the settings this encoding reads, not RoPE's θ or T5's buckets
    # (issue 21 item 22: the caption listed all 15 and ran off both edges of the figure).
    assert page.caption() == "kind alibi · length 6 · heads 8 · head 2"
    # Restored settings (as from a saved session) show their encoding's figures, not the last one chosen by hand.
    assert page.frames["alibi-bias"].isVisibleTo(page) and not page.frames["pe"].isVisibleTo(page)
    assert np.allclose(page.views["alibi-slopes"].series[0].y, [2.0 ** -(k + 1) for k in range(8)])
    assert np.allclose(page.views["alibi-bias"].matrix, -(2.0**-3) * np.abs(np.subtract.outer(range(6), range(6))))
    page.controls.restore({"kind": "learned"})
    page.recompute()
    assert "all-minilm-l6-v2" in page.status.text() and "learned" not in page.views
    for key in ("learned", "learned-similarity"):  # the empty figures say what will appear, not bare −1…0 axes
        frame = page.frames[key]
        assert "all-minilm-l6-v2" in frame.hint.text() and not frame.figure.isVisibleTo(frame)


def test_scaled_dot_weights_and_the_entropy_curve_match_numpy(qtbot, tool):
    page = show(qtbot, tool, "scores", show="scores", source="random", n=5, m=7, d=16, seed=3)
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal((5, 16)), rng.standard_normal((7, 16))

    def softmax(s):
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    assert np.allclose(page.views["score-scaled-dot"].matrix, softmax(q @ k.T / 4))
    assert np.allclose(
        page.views["score-cosine"].matrix,
        softmax((q / np.linalg.norm(q, axis=1, keepdims=True)) @ (k / np.linalg.norm(k, axis=1, keepdims=True)).T),
    )
    # The five panels share one colour scale (issue 21 item 14): the largest weight of any of them.
    kinds = ("dot", "scaled-dot", "general", "additive", "cosine")
    top = max(page.views[f"score-{kind}"].matrix.max() for kind in kinds)
    assert {page.views[f"score-{kind}"].color_levels for kind in kinds} == {(0.0, top)}
    page = show(qtbot, tool, "scores", show="scale", n=4, m=6, seed=0)
    curves = {s.name: s for s in page.views["entropy"].series}
    d = 8
    rng = np.random.default_rng(0 + d)
    q, k = rng.standard_normal((4, d)), rng.standard_normal((6, d))
    p = softmax(q @ k.T / np.sqrt(d))
    at = list(curves["softmax(QKᵀ/√d)"].x).index(d)
    assert np.isclose(curves["softmax(QKᵀ/√d)"].y[at], (-(p * np.log(p)).sum(axis=1)).mean())


def test_the_state_round_trips_and_bad_state_names_its_field(qtbot, tool):
    show(qtbot, tool, "positions", kind="t5", buckets=16)
    saved = tool.save_state()
    assert saved["page"] == "positions" and saved["pages"]["positions"]["buckets"] == 16
    tool.restore_state({"page": "pooling", "pages": {"pooling": {"bandwidth": 1.25}}})
    assert tool.page.name == "pooling" and tool.by_name["pooling"].controls.value("bandwidth") == 1.25
    with pytest.raises(ValueError, match="tools.foundations.pooling.bandwidth"):
        tool.check_state({"pages": {"pooling": {"bandwidth": 99.0}}})
    with pytest.raises(ValueError, match="tools.foundations.page"):
        tool.check_state({"page": "nowhere"})


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".json", ".png"])
def test_a_figure_exports_as_data_or_image(qtbot, tool, tmp_path, suffix):
    page = show(qtbot, tool, "positions", kind="sinusoidal", length=6, dim=4)
    view = page.views["pe"]
    path = tmp_path / f"pe{suffix}"
    with qtbot.waitSignal(tool.export.exported, timeout=TIMEOUT_MS):
        tool.export.export_to(path, view, page.caption(), width=400, dpi=100)
    if suffix == ".npy":
        assert np.array_equal(np.load(path), view.matrix)
    elif suffix == ".csv":
        rows = path.read_text(encoding="utf-8").splitlines()
        assert len(rows) == 7 and np.allclose([float(c) for c in rows[3].split(",")[1:]], view.matrix[2])
    elif suffix == ".json":
        assert np.allclose(json.loads(path.read_text(encoding="utf-8"))["matrix"], view.matrix)
    else:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_classifier_trains_live_and_highlights_a_distribution(qtbot, tool):
    page = show(qtbot, tool, "classifier", steps=30)
    with qtbot.waitSignal(page.computed, timeout=TIMEOUT_MS):
        page.train_button.click()
    assert len(page.views["loss"].series[0].x) == 30 and page.views["accuracy"].series[0].y[-1] >= 0
    words = page.views["words"]
    typed = page.controls.value("sentence").split()
    assert words.matrix.shape == (1, len(typed)) and np.isclose(words.matrix.sum(), 1)
    assert np.allclose(page.views["batch"].matrix.sum(axis=1), 1, atol=1e-5)


def test_bpe_learns_merges_and_zero_merges_leave_characters(qtbot, tool):
    page = show(qtbot, tool, "bpe", corpus="typed", text="low lower lowest\nnewer newest", merges=10, k=0)
    assert page.merge_list.count() == len(page.merges) > 0
    pieces = page.views["pieces"].series[1].y[0]
    assert pieces == sum(len(w) for w in "low lower lowest newer newest".split())
