"""masks.score_bias: the one score bias, checked cell by cell against a textbook construction, and the proof
that the forward pass and the displayed maps both go through it."""

import sys

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
import models.nn.masks
from models.nn.masks import score_bias
from models.nn.plan import AttentionPlan
from models.nn.positional import alibi_slopes
from models.options import MaskSpec

N, HEADS = 12, 4
LEFT_PADS = 3  # a sequence padded on the left, as decoders pad a batch

SPECS = [
    MaskSpec(base="causal"),
    MaskSpec(base="bidirectional"),
    MaskSpec(base="causal", window=3),
    MaskSpec(base="bidirectional", window=2),
    MaskSpec(prefix=4),
    MaskSpec(prefix=4, window=3, no_self=True),
    MaskSpec(base="causal", no_self=True),  # row 0 sees nothing
    MaskSpec(base="bidirectional", no_self=True),
]


def textbook_bias(spec: MaskSpec, real: list[bool] | None, positions: list[int], slopes: list[float] | None):
    """(h|1, N, N) float64 bias, built one cell at a time from the definitions; -inf where the key is hidden."""
    n = len(positions)
    visible = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(n):
            if spec.prefix is not None:
                seen = j <= i or (i < spec.prefix and j < spec.prefix)
            else:
                seen = j <= i if spec.base == "causal" else True
            if spec.window is not None:
                seen = seen and abs(i - j) < spec.window
            if spec.no_self:
                seen = seen and i != j
            if real is not None:
                seen = seen and real[j]
            visible[i, j] = seen
    if slopes is None:
        bias = np.zeros((1, n, n))
    else:
        distance = np.abs(np.subtract.outer(positions, positions))  # |pos_i - pos_j|
        bias = np.stack([-slope * distance for slope in slopes])
    return np.where(visible, bias, -np.inf), visible


def make_plan(spec: MaskSpec, padded: bool, alibi: bool) -> tuple[AttentionPlan, list[bool] | None, list[int]]:
    """A plan for one sequence of N tokens; with padding, its first LEFT_PADS are pads and positions skip them."""
    real = [False] * LEFT_PADS + [True] * (N - LEFT_PADS) if padded else None
    positions = [max(0, i - LEFT_PADS) for i in range(N)] if padded else list(range(N))
    plan = AttentionPlan(
        n_heads=HEADS,
        kv_heads=HEADS,
        scale=0.125,
        mask=spec,
        positions=torch.tensor([positions]),
        key_is_real=torch.tensor([real]) if padded else None,
        alibi_slopes=alibi_slopes(HEADS) if alibi else None,
    )
    return plan, real, positions


def assert_same_bias(ours: torch.Tensor, expected: np.ndarray) -> None:
    ours = ours.numpy()
    assert ours.dtype == np.float32 and ours.shape == expected.shape
    hidden = np.isneginf(expected)
    assert np.array_equal(np.isneginf(ours), hidden)
    np.testing.assert_allclose(ours[~hidden], expected[~hidden], rtol=1e-6, atol=0)


@pytest.mark.parametrize("alibi", [False, True], ids=["no-alibi", "alibi"])
@pytest.mark.parametrize("padded", [False, True], ids=["no-pads", "left-pads"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.describe())
def test_score_bias_equals_the_textbook_construction(spec, padded, alibi):
    plan, real, positions = make_plan(spec, padded, alibi)
    slopes = alibi_slopes(HEADS).tolist() if alibi else None
    expected, expected_visible = textbook_bias(spec, real, positions, slopes)

    bias, visible = score_bias(plan, 0, slice(0, N), slice(0, N))
    assert np.array_equal(visible.numpy(), expected_visible)
    assert_same_bias(bias, expected)

    # A block of rows against a block of keys, as the maps are drawn and the forward pass works in blocks.
    bias, visible = score_bias(plan, 0, slice(3, 9), slice(2, 8))
    assert np.array_equal(visible.numpy(), expected_visible[3:9, 2:8])
    assert_same_bias(bias, expected[:, 3:9, 2:8])

    # Sampled rows as an index tensor (out of order, repeated), as a thumbnail asks for them.
    rows = [11, 0, 5, 5, 7]
    bias, visible = score_bias(plan, 0, torch.tensor(rows), slice(0, N))
    assert np.array_equal(visible.numpy(), expected_visible[rows])
    assert_same_bias(bias, expected[:, rows])


@pytest.mark.parametrize("heads", [range(0, 1), range(1, 3), range(0, HEADS, 2)])
def test_alibi_bias_for_a_subset_of_heads_keeps_each_heads_slope(heads):
    plan, real, positions = make_plan(MaskSpec(base="causal", window=5), padded=True, alibi=True)
    expected, _ = textbook_bias(plan.mask, real, positions, alibi_slopes(HEADS).tolist())
    bias, _ = score_bias(plan, 0, slice(2, 10), slice(1, 11), heads)
    assert_same_bias(bias, expected[list(heads), 2:10, 1:11])


def test_each_sequence_of_a_batch_gets_its_own_padding_and_positions():
    real = [[False, False, True, True, True], [True, True, True, True, True]]
    positions = [[0, 0, 0, 1, 2], [0, 1, 2, 3, 4]]
    plan = AttentionPlan(
        n_heads=2,
        kv_heads=2,
        scale=1.0,
        mask=MaskSpec(base="causal"),
        positions=torch.tensor(positions),
        key_is_real=torch.tensor(real),
        alibi_slopes=alibi_slopes(2),
    )
    for seq in (0, 1):
        expected, _ = textbook_bias(plan.mask, real[seq], positions[seq], alibi_slopes(2).tolist())
        assert_same_bias(score_bias(plan, seq, slice(0, 5), slice(0, 5))[0], expected)


# -- one function for both paths -------------------------------------------------------------------------------

# Variants whose mask SDPA cannot apply by itself, so the forward pass needs a bias matrix.
BIASED_VARIANTS = [{"mask": "causal,window=3"}, {"pos": "alibi"}, {"mask": "prefix=4,no-self"}]
TEXTS = ["The quick brown fox jumps over the lazy dog.", "Short and padded."]


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    folder = tmp_path_factory.mktemp("score-bias") / "llama"
    write_hf_model(folder, "llama")
    return models.load(str(folder), device="cpu")


def count_callers(monkeypatch) -> list[str]:
    """Wrap masks.score_bias so each call records the name of the function that made it."""
    callers: list[str] = []
    original = models.nn.masks.score_bias

    def counting(*args, **kwargs):
        callers.append(sys._getframe(1).f_code.co_name)
        return original(*args, **kwargs)

    monkeypatch.setattr(models.nn.masks, "score_bias", counting)
    return callers


@pytest.mark.parametrize("options", BIASED_VARIANTS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_forward_pass_and_maps_both_call_score_bias(tiny_llama, monkeypatch, options):
    callers = count_callers(monkeypatch)
    run = tiny_llama.run(TEXTS, **options)
    assert set(callers) == {"batch_bias"}, "the forward pass takes its bias from masks.score_bias"
    assert callers.count("batch_bias") >= len(TEXTS) * run.n_layers  # every sequence, every layer

    callers.clear()
    run.attention(1, 2, seq=1)
    run.attention_rows(0, 3, [0, 4, 2])
    list(run.attention_blocks(1, 0))
    assert callers and set(callers) == {"block_probabilities"}, "every map takes its bias from masks.score_bias"


@pytest.mark.parametrize("options", BIASED_VARIANTS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_the_forward_pass_attends_with_exactly_the_maps_it_shows(tiny_llama, options):
    """Each layer's attention output (the input of its output projection) equals the shown maps times V."""
    seen: dict[int, torch.Tensor] = {}
    hooks = [
        block.attn.o.register_forward_pre_hook(lambda module, args, layer=layer: seen.__setitem__(layer, args[0]))
        for layer, block in enumerate(tiny_llama.module.blocks)
    ]
    try:
        run = tiny_llama.run(TEXTS, **options)
    finally:
        for hook in hooks:
            hook.remove()
    group = run.n_heads // run.kv_heads
    for layer in range(run.n_layers):
        v = run._captures[layer].v.double().numpy()  # (B, G, N, d)
        out = seen[layer].double().numpy()  # (B, rows, H·d): the last layer computes only the last rows
        rows = out.shape[1]
        for seq in range(run.n_sequences):
            maps = run.layer_attention(layer, seq).astype(np.float64)  # (H, N, N)
            expected = np.stack([maps[h] @ v[seq, h // group] for h in range(run.n_heads)])  # (H, N, d)
            expected = expected[:, -rows:].transpose(1, 0, 2).reshape(rows, -1)
            np.testing.assert_allclose(out[seq], expected, atol=2e-5, rtol=0)
