"""Every attention variant, on real weights, shows the effect it promises."""

import copy
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from reference import hf_attentions, worst_difference

from models.io.hf_folder import read_folder
from models.io.loader import build_module
from models.nn.positional import alibi_slopes, rope_inverse_frequencies, rope_tables
from models.runtime.model import Model

SENTENCE = "The old lighthouse keeper watched the stormy sea every night"


def test_causal_on_minilm_gives_an_exactly_zero_upper_triangle(minilm):
    run = minilm.run(SENTENCE, mask="causal")
    for layer in range(run.n_layers):
        maps = run.layer_attention(layer)
        assert np.all(np.triu(maps, k=1) == 0.0)
        assert np.allclose(maps.sum(-1), 1.0, atol=1e-5)
    own = minilm.run(SENTENCE).attention(0, 0)
    assert np.triu(own, k=1).sum() > 0.1, "MiniLM's own mask is bidirectional"


def test_bidirectional_on_smollm_gives_a_nonzero_upper_triangle(smollm):
    own = smollm.run(SENTENCE)
    assert np.all(np.triu(own.layer_attention(5), k=1) == 0.0)
    run = smollm.run(SENTENCE, mask="bidirectional")
    upper = np.triu(run.layer_attention(5), k=1)  # (H, N, N)
    assert upper.sum(axis=(1, 2)).min() > 0.01


def test_no_self_gives_a_zero_diagonal(minilm, smollm):
    for model in (minilm, smollm):
        run = model.run(SENTENCE, mask="no-self")
        maps = run.layer_attention(2)
        assert np.all(np.diagonal(maps, axis1=1, axis2=2) == 0.0)
    own = minilm.run(SENTENCE).layer_attention(2)
    assert np.diagonal(own, axis1=1, axis2=2).sum() > 0.1


def test_a_query_without_visible_keys_is_masked_not_nan_or_uniform(smollm):
    run = smollm.run(SENTENCE, mask="causal,no-self")
    maps = run.layer_attention(0)
    assert not np.isnan(maps).any()
    assert np.all(maps[:, 0, :] == 0.0), "position 0 sees nothing under causal,no-self"
    visible = run.visible()
    assert not visible[0].any() and visible[1, 0]
    assert np.allclose(maps[:, 1:].sum(-1), 1.0, atol=1e-5)


@pytest.mark.parametrize("window", [1, 3])
def test_causal_window_zeroes_everything_beyond_w(smollm, window):
    run = smollm.run(SENTENCE, mask=f"causal,window={window}")
    maps = run.layer_attention(4)
    n = maps.shape[-1]
    i, j = np.indices((n, n))
    assert np.all(maps[:, (i - j >= window) | (j > i)] == 0.0)
    assert np.all(maps[:, (i - j < window) & (j <= i)] > 0.0)
    if window == 1:
        assert np.allclose(maps, np.eye(n)), "a window of 1 leaves only the token itself"


def test_bidirectional_window_on_minilm(minilm):
    run = minilm.run(SENTENCE, mask="window=2")
    maps = run.layer_attention(1)
    n = maps.shape[-1]
    i, j = np.indices((n, n))
    assert np.all(maps[:, np.abs(i - j) >= 2] == 0.0)
    assert np.all(maps[:, np.abs(i - j) < 2] > 0.0)


def test_prefix_lm_sees_the_prefix_both_ways_and_is_causal_after(smollm):
    run = smollm.run(SENTENCE, mask="prefix=4")
    maps = run.layer_attention(3)
    n = maps.shape[-1]
    assert np.all(maps[:, :4, :4] > 0.0)
    assert np.all(np.triu(maps[:, 4:, :], k=5) == 0.0)
    assert np.all(maps[:, :4, 4:] == 0.0)
    assert maps.shape == (9, n, n)


def test_padding_mask_on_hides_pads_and_off_shows_them(minilm, smollm):
    texts = ["Short.", "This second sentence is much longer than the first one."]
    for model in (minilm, smollm):
        on = model.run(texts, padding_mask=True)
        off = model.run(texts, padding_mask=False)
        pads = ~np.array(on.is_real[0])
        assert pads.any()
        assert on.is_real == off.is_real
        real_rows = np.flatnonzero(on.is_real[0])
        assert np.all(on.layer_attention(1, seq=0)[:, :, pads] == 0.0)
        assert off.layer_attention(1, seq=0)[:, real_rows][:, :, pads].sum() > 0.01
        # the unpadded sequence is unaffected by the padding switch
        assert np.allclose(on.attention(1, 0, seq=1), off.attention(1, 0, seq=1), atol=1e-5)


def pooled_llama_reference(hf_model, groups: int):
    """transformers Llama with K/V projections mean-pooled into `groups` heads: the GQA paper's conversion."""
    from transformers import LlamaForCausalLM

    config = copy.deepcopy(hf_model.config)
    n_heads, n_kv, d_head = config.num_attention_heads, config.num_key_value_heads, config.head_dim
    config.num_key_value_heads = groups
    state = {}
    for name, weight in hf_model.state_dict().items():
        if name.endswith(("k_proj.weight", "v_proj.weight")):
            per_query_head = weight.view(n_kv, d_head, -1).repeat_interleave(n_heads // n_kv, dim=0)  # (H, d, D)
            weight = per_query_head.view(groups, n_heads // groups, d_head, -1).mean(dim=1).reshape(groups * d_head, -1)
        state[name] = weight
    reference = LlamaForCausalLM(config)
    reference.load_state_dict(state, strict=False)
    return reference.eval()


def test_kv_heads_1_equals_a_model_with_mean_pooled_kv_weights(smollm, hf_smollm):
    run = smollm.run(SENTENCE, kv_heads=1)
    assert run.kv_groups == [list(range(9))]
    reference = hf_attentions(pooled_llama_reference(hf_smollm, 1), run.ids)
    assert worst_difference(run, reference) <= 1e-4
    own = smollm.run(SENTENCE)
    assert not np.allclose(run.attention(10, 4), own.attention(10, 4), atol=1e-3)


def test_kv_heads_equal_to_query_heads_is_an_exact_expansion(smollm):
    own = smollm.run(SENTENCE)
    expanded = smollm.run(SENTENCE, kv_heads=9)
    assert own.kv_groups == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert expanded.kv_groups == [[h] for h in range(9)]
    for layer in (0, 15, 29):
        assert np.abs(own.layer_attention(layer) - expanded.layer_attention(layer)).max() <= 1e-6


def test_kv_heads_on_an_mha_encoder_equals_pooled_weights(minilm):
    groups = 4
    run = minilm.run(SENTENCE, kv_heads=groups)
    assert run.kv_groups == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
    config, state, _ = read_folder(Path(minilm.source.path))  # the checkpoint, K and V still separate
    for name in list(state):
        if name.endswith(("attn.k.weight", "attn.v.weight", "attn.k.bias", "attn.v.bias")):
            tensor = state[name]
            grouped = tensor.view(groups, config.n_heads // groups, config.d_head, *tensor.shape[1:])
            state[name] = grouped.mean(dim=1).reshape(groups * config.d_head, *tensor.shape[1:])
    pooled_config = replace(config, n_kv_heads=groups)
    reference = Model(
        "pooled", pooled_config, build_module(pooled_config, state), minilm.tokenizer, minilm.source, "cpu"
    )
    expected = reference.run(SENTENCE)
    for layer in range(config.n_layers):
        assert np.abs(run.layer_attention(layer) - expected.layer_attention(layer)).max() <= 1e-5


def test_pos_none_makes_attention_to_identical_tokens_position_independent(minilm, smollm):
    text = "dog dog dog dog dog dog"
    run = minilm.run(text, pos="none")
    dogs = [i for i, t in enumerate(run.tokens[0]) if t == "dog"]
    assert len(dogs) == 6
    for layer in range(run.n_layers):
        maps = run.layer_attention(layer)[:, :, dogs]  # (H, N, 6)
        assert np.allclose(maps, maps[..., :1], atol=1e-6)
    own = minilm.run(text).layer_attention(0)[:, :, dogs]
    assert not np.allclose(own, own[..., :1], atol=1e-3), "learned positions break the tie"

    run = smollm.run(" the the the the the the", pos="none")
    maps = run.layer_attention(0)  # causal: row i spreads evenly over the i+1 identical keys
    for i in range(maps.shape[-1]):
        assert np.allclose(maps[:, i, : i + 1], 1.0 / (i + 1), atol=1e-6)


def test_pos_alibi_decays_geometrically_with_distance(smollm):
    run = smollm.run(" the the the the the the", pos="alibi")
    maps = run.layer_attention(0)  # identical keys: only the ALiBi bias separates them
    slopes = alibi_slopes(9).numpy()
    last = maps[:, -1, :]  # (H, N)
    ratios = last[:, 1:] / last[:, :-1]  # p(j+1)/p(j) = exp(slope)
    assert np.allclose(ratios, np.exp(slopes)[:, None], rtol=1e-4)


def test_pos_rope_swap_on_minilm_depends_only_on_relative_offset(minilm):
    run = minilm.run("dog dog dog dog dog dog dog", pos="rope", rope_theta=100.0)
    logp = np.log(run.layer_attention(0)[:, 1:-1, 1:-1])  # the dog block
    # For identical tokens, RoPE scores depend only on j - i: log-ratios are shift-invariant.
    step_here = logp[:, 1, 2] - logp[:, 1, 3]
    step_next = logp[:, 2, 3] - logp[:, 2, 4]
    assert np.allclose(step_here, step_next, atol=1e-4)
    other = minilm.run("dog dog dog dog dog dog dog", pos="rope", rope_theta=10.0).attention(0, 0)
    assert not np.allclose(other, run.attention(0, 0), atol=1e-3)


def test_pos_sinusoidal_replaces_the_learned_table(minilm):
    text = "dog dog dog dog"
    none = minilm.run(text, pos="none").attention(0, 3)
    sinusoidal = minilm.run(text, pos="sinusoidal").attention(0, 3)
    learned = minilm.run(text).attention(0, 3)
    assert not np.allclose(sinusoidal, none, atol=1e-3)
    assert not np.allclose(sinusoidal, learned, atol=1e-3)


def test_rope_theta_on_smollm(smollm):
    own = smollm.run(SENTENCE).attention(3, 1)
    same = smollm.run(SENTENCE, rope_theta=100000.0).attention(3, 1)
    other = smollm.run(SENTENCE, rope_theta=10.0).attention(3, 1)
    assert np.array_equal(own, same)
    assert not np.allclose(own, other, atol=1e-3)


def test_rope_tables_are_the_correctly_rounded_cos_and_sin_up_to_8k():
    # The float32 kernels were once off by 2e-4 in some processes; numpy's float64 trig is the referee.
    positions = torch.arange(8192)[None]
    inv_freq = rope_inverse_frequencies(64, 100000.0)
    cos, signed_sin = rope_tables(positions, inv_freq)  # (1, 1, N, 64) each
    angles = (positions[..., None].float() * inv_freq)[0].numpy().astype(np.float64)  # (N, 32)
    assert np.array_equal(cos[0, 0, :, :32].numpy(), np.cos(angles).astype(np.float32))
    assert np.array_equal(signed_sin[0, 0, :, 32:].numpy(), np.sin(angles).astype(np.float32))
    assert np.array_equal(signed_sin[0, 0, :, :32].numpy(), -np.sin(angles).astype(np.float32))


def test_temperature_sharpens_or_flattens_layer_zero_exactly(minilm):
    base = minilm.run(SENTENCE).layer_attention(0).astype(np.float64)
    hot = minilm.run(SENTENCE, temperature=2.0).layer_attention(0)
    expected = np.sqrt(base) / np.sqrt(base).sum(-1, keepdims=True)  # softmax(s/2) = p^(1/2) renormalised
    assert np.allclose(hot, expected, atol=1e-5)
    assert hot.max() < base.max()


def test_variants_never_touch_the_weights(smollm):
    before = {k: v.data_ptr() for k, v in smollm.module.state_dict().items()}
    checksum = sum(float(v.double().sum()) for v in smollm.module.state_dict().values())
    for options in ({"kv_heads": 1}, {"pos": "alibi"}, {"mask": "bidirectional"}, {"temperature": 3.0}):
        smollm.run(SENTENCE, **options)
    assert before == {k: v.data_ptr() for k, v in smollm.module.state_dict().items()}
    assert checksum == sum(float(v.double().sum()) for v in smollm.module.state_dict().values())


def test_all_attention_equals_per_head_maps(minilm):
    run = minilm.run(SENTENCE)
    everything = run.all_attention()
    assert everything.shape == (6, 12, run.visible().shape[0], run.visible().shape[0])
    assert everything.dtype == np.float32
    for layer, head in ((0, 0), (3, 7), (5, 11)):
        assert np.array_equal(everything[layer, head], run.attention(layer, head))
    assert np.allclose(run.mean_attention(2), everything[2].mean(0))


def test_bad_indices_and_options_raise_value_errors(minilm):
    run = minilm.run(SENTENCE)
    with pytest.raises(ValueError, match=r"layer: 6 is out of range; allowed: 0..5"):
        run.attention(6, 0)
    with pytest.raises(ValueError, match=r"head: -1"):
        run.attention(0, -1)
    with pytest.raises(ValueError, match=r"next tokens: all-minilm-l6-v2 is an encoder"):
        run.next_tokens(5)
    with pytest.raises(ValueError, match=r"run: unknown option"):
        minilm.run(SENTENCE, masks="causal")
    with pytest.raises(ValueError, match=r"kv-heads: 5 does not divide the 12 query heads"):
        minilm.run(SENTENCE, kv_heads=5)


def test_run_keeps_linear_memory_not_maps(smollm):
    from models.nn.kv_buffer import HEADROOM_TOKENS

    c = smollm.config
    for words in (50, 200):
        run = smollm.run("word " * words)
        n = len(run.ids[0])
        per_layer = (c.n_heads + 2 * c.n_kv_heads) * (n + HEADROOM_TOKENS) * c.d_head * 4  # Q, K, V buffers
        expected = c.n_layers * per_layer + c.vocab_size * 4  # + the last position's logits
        expected += c.n_layers * c.d_model * 4  # + its residual stream after each layer, for the logit lens
        assert run.retained_bytes == expected  # linear in N: no N×N map is kept


def test_timings_cover_every_layer(smollm):
    run = smollm.run(SENTENCE)
    timings = run.timings
    assert len(timings.layer_ms) == 30 and all(ms > 0 for ms in timings.layer_ms)
    assert timings.total_ms >= sum(timings.layer_ms)
    assert timings.device == "cpu" and timings.n_tokens == len(run.ids[0])
    assert torch.isfinite(torch.tensor(timings.tokens_per_second))
