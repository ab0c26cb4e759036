"""Norm-weighted maps (Kobayashi et al. 2020): A[i, j]·‖v_j W_O^h‖ against direct computations from the weights.

A causal GQA model is checked against transformers (its eager attention weights, its value projection's output
caught by a hook, its o_proj columns); an encoder, under the model's own variant and under regrouped KV heads
with a windowed mask, against queries, keys, values and softmax computed by hand from our own weights.
"""

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
from models.errors import NumericalError
from models.options import RunOptions
from models.runtime.weighting import (
    weigh,
    weighted_all_attention,
    weighted_attention,
    weighted_layer_attention,
    weighted_layer_rows,
)

TEXT = "The quick brown fox reads attention maps with grouped keys"


@pytest.fixture(scope="module")
def llama(tmp_path_factory):
    folder = tmp_path_factory.mktemp("llama")
    reference = write_hf_model(folder, "llama")  # 2 layers, 8 query heads on 2 KV heads
    return models.load(str(folder), device="cpu"), reference


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bert")
    write_hf_model(folder, "bert")  # 2 layers, 4 heads, bidirectional
    return models.load(str(folder), device="cpu")


def test_a_causal_gqa_models_norm_map_is_transformers_attention_times_the_transformed_value_norms(llama):
    model, reference = llama
    run = model.run(TEXT)
    ids = torch.tensor(run.ids)
    values = {}
    hooks = [
        layer.self_attn.v_proj.register_forward_hook(lambda _m, _i, out, at=i: values.__setitem__(at, out.detach()))
        for i, layer in enumerate(reference.model.layers)
    ]
    try:
        with torch.no_grad():
            attentions = reference(ids, output_attentions=True).attentions  # L × (1, H, N, N)
    finally:
        for hook in hooks:
            hook.remove()
    config = reference.config
    n_heads, kv_heads = config.num_attention_heads, config.num_key_value_heads
    d_head = config.hidden_size // n_heads
    for layer in range(config.num_hidden_layers):
        v = values[layer][0].view(-1, kv_heads, d_head).double()  # (N, KV, d)
        w_o = reference.model.layers[layer].self_attn.o_proj.weight.detach().double()  # (D, H·d)
        for head in range(n_heads):
            slice_o = w_o[:, head * d_head : (head + 1) * d_head]  # (D, d)
            norms = torch.linalg.vector_norm(v[:, head // (n_heads // kv_heads)] @ slice_o.T, dim=-1)  # (N,)
            expected = attentions[layer][0, head].double() * norms[None, :]
            ours = weighted_attention(run, layer, head, weighting="norm")
            np.testing.assert_allclose(ours, expected.numpy(), atol=1e-5, rtol=1e-5, err_msg=f"{layer}:{head}")
    assert np.triu(weighted_attention(run, 1, 3, weighting="norm"), k=1).max() == 0.0  # masked cells stay 0


def by_hand(model, x: torch.Tensor, layer: int, head: int, kv_heads: int, visible: np.ndarray) -> np.ndarray:
    """The norm-weighted map from the block's input x (N, D) and the weights, in float64 numpy."""
    config = model.config
    attn = model.module.blocks[layer].attn
    h, kv, d = config.n_heads, config.n_kv_heads, config.d_head
    w, b = attn.qkv.weight.detach().double().numpy(), attn.qkv.bias.detach().double().numpy()
    qkv = x.double().numpy() @ w.T + b  # (N, (H + 2KV)·d)
    q = qkv[:, : h * d].reshape(-1, h, d)[:, head]  # (N, d)
    k = qkv[:, h * d : (h + kv) * d].reshape(-1, kv, d)
    v = qkv[:, (h + kv) * d :].reshape(-1, kv, d)
    # KV regrouping by hand: one KV head per query head, then the mean over each of kv_heads groups.
    group = h // kv_heads
    members = [g * group + i for g in [head // group] for i in range(group)]
    k_h = np.mean([k[:, m // (h // kv)] for m in members], axis=0)  # (N, d)
    v_h = np.mean([v[:, m // (h // kv)] for m in members], axis=0)
    scores = q @ k_h.T / np.sqrt(d)
    scores = np.where(visible, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    w_o = attn.o.weight.detach().double().numpy()[:, head * d : (head + 1) * d]  # (D, d)
    return probs * np.linalg.norm(v_h @ w_o.T, axis=-1)[None, :]


@pytest.mark.parametrize(
    "options", [RunOptions(), RunOptions(kv_heads=2, mask="causal,window=3")], ids=["own", "kv2-window"]
)
def test_an_encoders_norm_map_is_computed_by_hand_from_the_weights(bert, options):
    inputs = {}
    hooks = [
        block.attn.register_forward_pre_hook(lambda _m, args, at=i: inputs.__setitem__(at, args[0][0].detach()))
        for i, block in enumerate(bert.module.blocks)
    ]
    try:
        run = bert.run(TEXT, options=options)
    finally:
        for hook in hooks:
            hook.remove()
    n = len(run.ids[0])
    rows, cols = np.indices((n, n))
    visible = (cols <= rows) & (cols > rows - 3) if options.mask else np.ones((n, n), dtype=bool)
    np.testing.assert_array_equal(run.visible(), visible)
    kv_heads = options.kv_heads or bert.config.n_kv_heads
    for layer in range(bert.config.n_layers):
        for head in range(bert.config.n_heads):
            expected = by_hand(bert, inputs[layer], layer, head, kv_heads, visible)
            ours = weighted_attention(run, layer, head, weighting="norm")
            np.testing.assert_allclose(ours, expected, atol=1e-5, rtol=1e-5, err_msg=f"{layer}:{head}")
            assert (ours[~visible] == 0.0).all()
    maps = weighted_layer_attention(run, 1, weighting="norm")
    np.testing.assert_allclose(maps[2], weighted_attention(run, 1, 2, weighting="norm"), rtol=1e-6, atol=1e-7)


def test_renormalised_rows_sum_to_one_and_keep_each_rows_proportions(llama):
    model, _ = llama
    run = model.run(TEXT, mask="causal,window=4")
    raw = weighted_layer_attention(run, 1, weighting="norm")  # (H, N, N)
    renormalised = weighted_layer_attention(run, 1, weighting="norm", renormalize=True)
    np.testing.assert_allclose(renormalised.sum(axis=-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(renormalised, raw / raw.sum(axis=-1, keepdims=True), rtol=1e-5, atol=1e-7)
    assert (renormalised[:, ~run.visible()] == 0.0).all()
    assert not np.allclose(renormalised, run.layer_attention(1), atol=1e-3)  # the weighting changes the map
    rows = [0, 3, len(run.ids[0]) - 1]
    np.testing.assert_allclose(
        weighted_layer_rows(run, 1, rows, weighting="norm", renormalize=True), renormalised[:, rows], atol=1e-6
    )
    stacked = weighted_all_attention(run, weighting="norm", renormalize=True)  # (L, H, N, N)
    np.testing.assert_array_equal(stacked[1], renormalised)


def test_attention_weighting_is_todays_map_unchanged_on_smollm(smollm):
    run = smollm.run("The capital of France is Paris, and the capital of Italy is")
    for layer, head in [(0, 0), (7, 4), (29, 8)]:
        plain = run.attention(layer, head)
        np.testing.assert_array_equal(weighted_attention(run, layer, head), plain)
        np.testing.assert_array_equal(weighted_attention(run, layer, head, weighting="attention"), plain)
        np.testing.assert_array_equal(
            weighted_attention(run, layer, head, weighting="attention", renormalize=True), plain
        )
    np.testing.assert_array_equal(weighted_layer_attention(run, 5), run.layer_attention(5))
    rows = [0, 4, 9]
    assert weighted_layer_rows(run, 5, rows).shape == (9, 3, len(run.ids[0]))
    np.testing.assert_array_equal(weighted_layer_rows(run, 5, rows)[2], run.attention_rows(5, 2, rows))
    norm = weighted_layer_attention(run, 5, weighting="norm", renormalize=True)
    assert np.isfinite(norm).all()
    np.testing.assert_allclose(norm.sum(axis=-1), 1.0, atol=1e-5)
    assert (np.triu(norm, k=1) == 0.0).all()


def test_bad_arguments_are_value_errors_that_name_them(llama):
    run = llama[0].run(TEXT)
    for bad in ["Norm", "", None, 1, "attention,norm"]:
        with pytest.raises(ValueError, match="^weighting: "):
            weighted_attention(run, 0, 0, weighting=bad)
        with pytest.raises(ValueError, match="^weighting: "):
            weighted_layer_attention(run, 0, weighting=bad)
    for bad in ["yes", 1, None]:
        with pytest.raises(ValueError, match="^renormalize: "):
            weighted_attention(run, 0, 0, weighting="norm", renormalize=bad)
    with pytest.raises(ValueError, match="^head: "):
        weighted_attention(run, 0, 99, weighting="norm")
    with pytest.raises(ValueError, match="^layer: "):
        weighted_layer_attention(run, 7, weighting="norm")


def test_what_cannot_be_shown_is_refused_not_drawn():
    maps = np.array([[1.0, 0.0], [0.5, 0.5]], dtype=np.float32)
    visible = np.array([[True, False], [True, True]])
    with pytest.raises(NumericalError, match="not finite"):
        weigh(maps, np.array([np.inf, 1.0], dtype=np.float32), visible, renormalize=False)
    with pytest.raises(NumericalError, match="cannot be renormalised"):
        weigh(maps, np.array([0.0, 0.0], dtype=np.float32), visible, renormalize=True)
    empty_row = np.array([[0.0, 0.0], [0.5, 0.5]], dtype=np.float32)
    hidden = np.array([[False, False], [True, True]])
    out = weigh(empty_row, np.array([2.0, 6.0], dtype=np.float32), hidden, renormalize=True)
    np.testing.assert_allclose(out, [[0.0, 0.0], [0.25, 0.75]])  # a row that sees no key stays all 0
