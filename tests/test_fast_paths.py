"""The fast paths are exact: incremental runs, block-wise on-demand maps, and uint8 rendering."""

import numpy as np
import pytest
import torch
from builders import CORPUS

import models
import models.runtime.maps
from explorer.core.display import MASKED_CODE, SCALES, encode
from explorer.core.map_pixels import head_map
from models.options import MaskSpec
from models.runtime.maps import key_range

BASE = " ".join(f"Sentence {i} tells the model something new about attention." for i in range(45))  # ~500 tokens
VARIANTS = [{}, {"mask": "causal,window=16,no-self"}, {"pos": "alibi"}, {"kv_heads": 1}, {"mask": "prefix=8"}]


def assert_same_run(incremental, full, tolerance=1e-5):
    assert incremental.ids == full.ids
    for layer in range(full.n_layers):
        assert np.abs(incremental.layer_attention(layer) - full.layer_attention(layer)).max() <= tolerance
    ours = dict(incremental.next_tokens(5))
    theirs = dict(full.next_tokens(5))
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[t] - theirs[t]) <= 1e-4 for t in ours)


# The tiny model's byte-level vocabulary was trained on builders.CORPUS: its sentences make ~450 tokens there,
# as BASE makes ~500 in SmolLM2's, and its typed tail is 3 tokens, as " And one more" is in SmolLM2's.
TINY_BASE = " ".join(CORPUS[:4] * 10)
TEXTS = {"smollm": (BASE, " And one more"), "tiny_causal_lm": (TINY_BASE, " the lazy dog")}


def variant_id(options) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "own"


def on_models(variants):
    """Each variant on the tiny random llama (reuse is the same logic on any causal model), and the model's own
    settings once more on SmolLM2: 500 tokens through 30 layers cost seconds a run."""
    cases = [pytest.param("tiny_causal_lm", options, id=f"tiny-{variant_id(options)}") for options in variants]
    return [*cases, pytest.param("smollm", {}, id="smollm-own")]


@pytest.mark.parametrize(("model", "options"), on_models(VARIANTS))
def test_appending_text_reuses_the_prefix_and_equals_a_full_run(model, options, request):
    base, tail = TEXTS[model]
    model = request.getfixturevalue(model)
    previous = model.run(base, **options)
    incremental = model.run(base + tail, reuse=previous, **options)
    assert incremental.timings.reused_tokens >= len(previous.ids[0]) - 1
    assert incremental.timings.n_tokens <= 4
    assert_same_run(incremental, model.run(base + tail, **options))


def append_one_token(model, options, base=BASE):
    """(the incremental run, the full run) of base's ids plus one token, typed after a run of base."""
    ids = model.run(base, **options).ids[0]
    typed = ids + [ids[5]]
    previous = model.run_ids([ids], **options)
    incremental = model.run_ids([typed], reuse=previous, **options)
    assert incremental.timings.n_tokens == 1
    return incremental, model.run_ids([typed], **options)


# Every variant but the pooled KV heads (see the test after this one).
WELL_CONDITIONED = [options for options in VARIANTS if "kv_heads" not in options]


@pytest.mark.parametrize(("model", "options"), on_models(WELL_CONDITIONED))
def test_one_typed_token_equals_a_full_run(model, options, request):
    # A single new row sees every key, so it takes SDPA's unmasked path wherever the mask allows it.
    assert_same_run(*append_one_token(request.getfixturevalue(model), options, TEXTS[model][0]))


def test_one_typed_token_with_pooled_kv_heads_is_as_exact_as_a_full_run(smollm):
    # Pooling SmolLM2's KV heads into one takes it far from what it was trained on: its scores grow, and float32
    # rounding that differs between two orders of summation (1 row against 533) grows with them through the
    # layers. Measured: the incremental and the full run both sit 9e-5 from the same run in float64, and 1.0e-5
    # from each other. So each is held to float64, and the incremental run must be no further from it.
    incremental, full = append_one_token(smollm, {"kv_heads": 1})
    exact = models.load("smollm2-135m-instruct", device="cpu")
    exact.module.double()  # the engine runs in its weights' dtype
    reference = exact.run_ids(full.ids, kv_heads=1)
    assert reference._captures[0].q.dtype == torch.float64
    for layer in range(full.n_layers):
        truth = reference.layer_attention(layer)
        full_error = np.abs(full.layer_attention(layer) - truth).max()
        incremental_error = np.abs(incremental.layer_attention(layer) - truth).max()
        assert full_error <= 2e-4
        assert incremental_error <= full_error + 1e-5


def test_retokenised_tail_deleted_text_and_chains_of_edits(smollm):
    run = smollm.run("The quick brown fox")
    for text in ("The quick brown foxes", "The quick brown", "The quick brown cat sat", "The quick brown cat sat."):
        run = smollm.run(text, reuse=run)
        assert_same_run(run, smollm.run(text))
        assert run.timings.reused_tokens >= 2


def test_a_cancelled_incremental_run_leaves_the_prefix_reusable(smollm):
    previous = smollm.run(BASE)

    def stop_half_way(done, total):
        if done == total // 2:
            raise models.Cancelled()

    with pytest.raises(models.Cancelled):
        smollm.run(BASE + " First edit", reuse=previous, progress=stop_half_way)
    assert previous.superseded
    # The cancelled run only appended: it wrote past the previous run's tokens, which still answer, unchanged.
    assert np.array_equal(previous.attention(0, 0), smollm.run(BASE).attention(0, 0))
    after = smollm.run(BASE + " Second edit", reuse=previous)
    assert after.timings.reused_tokens > 400
    assert_same_run(after, smollm.run(BASE + " Second edit"))


def test_a_run_whose_tokens_a_newer_run_rewrote_refuses_to_answer(tiny_causal_lm):
    first = tiny_causal_lm.run_ids([[5, 9, 13, 2, 7, 11, 4, 8]])
    second = tiny_causal_lm.run_ids([[5, 9, 13, 2, 7, 3, 3]], reuse=first)
    assert second.timings.reused_tokens == 5 and first.superseded
    with pytest.raises(ValueError, match="handed to a newer run .* that rewrote its tokens from 5 on"):
        first.attention(0, 0)
    with pytest.raises(ValueError, match="handed to a newer run"):
        first.next_token_logits()


def test_no_reuse_where_it_would_be_wrong(minilm, smollm):
    encoder = minilm.run("the cat sat on the mat")
    again = minilm.run("the cat sat on the mat today", reuse=encoder)
    assert again.timings.reused_tokens == 0, "an encoder's bidirectional mask makes every row depend on the tail"
    causal = smollm.run(BASE)
    other_options = smollm.run(BASE + " more", reuse=causal, temperature=2.0)
    assert other_options.timings.reused_tokens == 0
    batch = smollm.run([BASE, "short"])
    assert smollm.run([BASE + " more", "short"], reuse=batch).timings.reused_tokens == 0
    prefix = smollm.run("one two three four five six", mask="prefix=4")
    changed_inside_prefix = smollm.run("one TWO three four five six seven", mask="prefix=4", reuse=prefix)
    assert changed_inside_prefix.timings.reused_tokens == 0


def reference_map(run, layer, head, seq=0):
    """softmax(QKᵀ·scale + bias) from the captured Q and K in float64 numpy, the whole matrix at once."""
    plan = run._plan
    capture = run._captures[layer]
    group = plan.n_heads // plan.kv_heads
    q = capture.q[seq, head].double().numpy()
    k = capture.k[seq, head // group].double().numpy()
    scores = q @ k.T * plan.scale
    if plan.alibi_slopes is not None:
        pos = plan.positions[seq].double().numpy()
        scores -= float(plan.alibi_slopes[head]) * np.abs(pos[:, None] - pos[None, :])
    visible = run.visible(seq)
    scores = np.where(visible, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = weights / weights.sum(axis=-1, keepdims=True)
    return np.nan_to_num(probs, nan=0.0), visible


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mask": "causal,window=5"},
        {"mask": "prefix=7,no-self"},
        {"mask": "bidirectional,window=3"},
        {"pos": "alibi"},
    ],
)
def test_block_wise_maps_equal_the_whole_matrix_computation(smollm, monkeypatch, options):
    monkeypatch.setattr(models.runtime.maps, "BLOCK_ELEMENTS", 1000)  # many small blocks with different key ranges
    texts = [BASE[:300], "A shorter second sequence, padded on the left."]
    run = smollm.run(texts, **options)
    for seq in (0, 1):
        for layer, head in ((0, 0), (17, 5), (29, 8)):
            expected, visible = reference_map(run, layer, head, seq)
            ours, ours_visible = run.attention_and_visibility(layer, head, seq)
            assert np.array_equal(ours_visible, visible)
            assert np.abs(ours - expected).max() <= 1e-5
            matrix, pixels = head_map(run, layer, head, seq, "linear")
            assert np.array_equal(matrix, ours)
            assert np.array_equal(pixels, encode(ours, visible, "linear"))


def test_key_ranges_cover_every_visible_key():
    for spec in (
        MaskSpec(base="causal"),
        MaskSpec(base="causal", window=4),
        MaskSpec(prefix=6),
        MaskSpec(base="bidirectional", window=3),
        MaskSpec(base="bidirectional"),
    ):
        for first, end in ((0, 5), (5, 9), (20, 32)):
            lo, hi = key_range(spec, 32, first, end)
            visible = models.nn.masks.visibility(spec, 32, rows=slice(first, end)).numpy()
            columns = np.flatnonzero(visible.any(axis=0))
            assert columns.min() >= lo and columns.max() < hi, (spec, first, end)


@pytest.mark.parametrize("scale", list(SCALES))
def test_uint8_rendering_keeps_the_order_of_values(scale):
    rng = np.random.default_rng(0)
    matrix = rng.dirichlet(np.full(64, 0.3), size=64).astype(np.float32)  # rows of attention weights
    matrix[3, :5] = [0.0, 1e-6, 1e-3, 0.25, 0.5]
    visible = rng.random((64, 64)) > 0.2
    matrix = np.where(visible, matrix, 0.0).astype(np.float32)
    pixels = encode(matrix, visible, scale)
    assert pixels.dtype == np.uint8
    assert np.all(pixels[~visible] == MASKED_CODE) and np.all(pixels[visible] < MASKED_CODE)
    rows = range(64) if scale == "row" else [None]  # per-row scaling only orders values within a row
    for row in rows:
        values = matrix[visible] if row is None else matrix[row][visible[row]]
        codes = pixels[visible] if row is None else pixels[row][visible[row]]
        order = np.argsort(values, kind="stable")
        assert np.all(np.diff(codes[order].astype(int)) >= 0), "a larger weight never gets a lower colour"
    if scale == "linear":
        assert encode(np.array([[0.0, 1.0]], np.float32), np.ones((1, 2), bool), scale).tolist() == [[0, 254]]


def test_gui_worker_uses_the_incremental_path(qtbot, tmp_path):
    from gui_helpers import close, maps_of, open_window

    window = open_window(qtbot, tmp_path, model="smollm2-135m-instruct", text=BASE)
    editor = window.shared.editor
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000) as blocker:
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        qtbot.keyClicks(editor, " Yes")
    run = blocker.args[0]
    assert run.reused_tokens > 400 and "reused" in window.shared.timings_panel.summary.text()
    heatmap = maps_of(window).view.heatmap
    qtbot.waitUntil(lambda: heatmap.matrix is not None and heatmap.matrix.shape[0] == len(run.tokens[0]))
    close(window)


def test_run_ids_takes_exact_ids(smollm):
    ids = smollm.run("The capital of France is").ids[0]
    assert smollm.run_ids([ids]).next_tokens(1)[0][0] == " Paris"
    with pytest.raises(ValueError, match="outside 0..49151"):
        smollm.run_ids([[1, 2, 10**6]])
    with pytest.raises(ValueError, match="sequence 0 is empty"):
        smollm.run_ids([[]])
    assert torch.is_tensor(smollm.run_ids([ids])._last_logits)
