"""Capture and intervention through named hook points (issue 24): names, checks, knockout, patching, memory."""

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
from models.nn.hooks import hook_names

RELATIVE = 1e-4
IDS = [[5, 9, 13, 2, 7, 11, 4, 8]]


def assert_close(ours, theirs, what=""):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, what
    assert float(np.abs(ours - theirs).max()) <= RELATIVE * float(np.abs(theirs).max()), what


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-bert")
    write_hf_model(folder, "bert")
    return models.load(str(folder), device="cpu")


# -- names and shapes ------------------------------------------------------------------------------------------


def test_every_hook_point_has_transformer_lens_shape(tiny_causal_lm):
    config = tiny_causal_lm.config
    run = tiny_causal_lm.run_ids(IDS, capture=["*"])
    n, d, h, g, dh = len(IDS[0]), config.d_model, config.n_heads, config.n_kv_heads, config.d_head
    assert run.activations == hook_names(config.n_layers, post_norm=False)  # every point, in forward order
    expected = {
        "hook_resid_pre": (n, d),
        "attn.hook_q": (n, h, dh),
        "attn.hook_k": (n, g, dh),
        "attn.hook_v": (n, g, dh),
        "attn.hook_attn_scores": (h, n, n),
        "attn.hook_pattern": (h, n, n),
        "attn.hook_z": (n, h, dh),
        "hook_attn_out": (n, d),
        "hook_resid_mid": (n, d),
        "hook_mlp_out": (n, d),
        "hook_resid_post": (n, d),
    }
    for layer in range(config.n_layers):
        for point, shape in expected.items():
            assert run.activation(f"blocks.{layer}.{point}").shape == shape, point
    assert run.activation("hook_embed").shape == run.activation("ln_final.hook_normalized").shape == (n, d)


def test_captured_q_and_k_are_what_the_run_keeps_for_its_maps(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS, capture=["blocks.1.attn.hook_q", "blocks.1.attn.hook_k"])
    plain = tiny_causal_lm.run_ids(IDS)
    np.testing.assert_allclose(
        run.activation("blocks.1.attn.hook_q"), plain._captures[1].q[0].transpose(0, 1), atol=1e-5
    )
    np.testing.assert_allclose(
        run.activation("blocks.1.attn.hook_k"), plain._captures[1].k[0].transpose(0, 1), atol=1e-5
    )


def test_post_norm_models_have_ln1_and_ln2_and_no_final_norm(tiny_bert):
    names = hook_names(tiny_bert.config.n_layers, post_norm=True)
    assert "blocks.0.ln2.hook_normalized" in names and "ln_final.hook_normalized" not in names
    run = tiny_bert.run("hello world", capture=["blocks.*.ln2.hook_normalized", "blocks.*.hook_resid_pre"])
    for layer in range(tiny_bert.config.n_layers - 1):  # a block's output is the next one's input
        np.testing.assert_array_equal(
            run.activation(f"blocks.{layer}.ln2.hook_normalized"), run.activation(f"blocks.{layer + 1}.hook_resid_pre")
        )


@pytest.mark.parametrize(
    "keywords, argument",
    [
        ({"capture": ["blocks.0.hook_nothing"]}, "capture"),
        ({"capture": ["blocks.99.hook_z"]}, "capture"),
        ({"capture": [3]}, "capture"),
        ({"capture": 3}, "capture"),
        ({"hooks": [("blocks.0.attn.hook_z",)]}, "hooks"),
        ({"hooks": [("blocks.0.attn.hook_z", "not callable")]}, "hooks"),
        ({"hooks": [("ln_final.hook_nope", lambda x, hook: None)]}, "hooks"),
        ({"logits": "every"}, "logits"),
    ],
)
def test_bad_names_and_arguments_are_refused_naming_them(tiny_causal_lm, keywords, argument):
    with pytest.raises(ValueError, match=f"^{argument}:") as error:
        tiny_causal_lm.run_ids(IDS, **keywords)
    if "names no hook point" in str(error.value):
        assert "blocks.*.hook_resid_post" in str(error.value)  # the valid names are listed


def test_a_replacement_of_the_wrong_shape_is_refused(tiny_causal_lm):
    with pytest.raises(ValueError, match=r"^hooks: the function at blocks\.0\.hook_resid_pre returned shape"):
        tiny_causal_lm.run_ids(IDS, hooks=[("blocks.0.hook_resid_pre", lambda x, hook: x[:, :2])])


def test_an_activation_not_captured_is_a_value_error_saying_what_was(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS, capture=["blocks.0.hook_z".replace("hook_z", "attn.hook_z")])
    with pytest.raises(ValueError, match="kept blocks.0.attn.hook_z"):
        run.activation("blocks.1.attn.hook_z")
    with pytest.raises(ValueError, match="nothing"):
        tiny_causal_lm.run_ids(IDS).activation("blocks.0.attn.hook_z")


# -- logits and the plain path -----------------------------------------------------------------------------------


def test_logits_are_every_position_only_when_asked(tiny_causal_lm):
    plain = tiny_causal_lm.run_ids(IDS)
    every = tiny_causal_lm.run_ids(IDS, logits="all")
    assert plain.logits().shape == (1, tiny_causal_lm.config.vocab_size)
    assert every.logits().shape == (len(IDS[0]), tiny_causal_lm.config.vocab_size)
    assert_close(every.logits()[-1:], plain.logits())
    prefix = tiny_causal_lm.run_ids([IDS[0][:5]])  # a causal model: position 4's logits are those of the prefix
    assert_close(every.logits()[4:5], prefix.logits())
    assert plain.activations == [] and plain.interventions == [] and not plain.hooked


# -- interventions ---------------------------------------------------------------------------------------------


def test_hooks_see_their_name_and_reading_changes_nothing(tiny_causal_lm):
    seen = []
    run = tiny_causal_lm.run_ids(IDS, hooks=[("blocks.*.attn.hook_pattern", lambda x, hook: seen.append(hook.name))])
    assert seen == [f"blocks.{layer}.attn.hook_pattern" for layer in range(tiny_causal_lm.config.n_layers)]
    assert run.interventions == []
    assert_close(run.logits(), tiny_causal_lm.run_ids(IDS).logits())


def test_zeroing_heads_through_hook_z_equals_ablate(tiny_causal_lm):
    heads = [(0, 1), (1, 3), (1, 6)]

    def silence(z, hook):
        z = z.clone()  # (B, N, H, d)
        for layer, head in heads:
            if hook.layer() == layer:
                z[:, :, head] = 0.0
        return z

    hooked = tiny_causal_lm.run_ids(IDS, hooks=[("blocks.*.attn.hook_z", silence)])
    ablated = tiny_causal_lm.run_ids(IDS, ablate=heads)
    assert_close(hooked.logits(), ablated.logits())
    assert hooked.interventions == ["blocks.0.attn.hook_z", "blocks.1.attn.hook_z"]
    assert not np.allclose(hooked.logits(), tiny_causal_lm.run_ids(IDS).logits(), atol=1e-4)  # it did change


def test_smollm_zeroing_heads_through_hook_z_equals_ablate(smollm):
    heads = [(3, 1), (7, 4), (20, 0)]

    def silence(z, hook):
        for layer, head in heads:
            if hook.layer() == layer:
                z = z.clone()
                z[:, :, head] = 0.0
        return z

    text = "The Eiffel Tower is in the city of"
    hooked = smollm.run(text, hooks=[("blocks.*.attn.hook_z", silence)])
    ablated = smollm.run(text, ablate=heads)
    assert_close(hooked.logits(), ablated.logits())


def test_smollm_patching_the_clean_residual_into_a_corrupted_run_gives_the_clean_logits(smollm):
    clean_ids = smollm.tokenizer.encode(["The Eiffel Tower is in the city of"]).ids
    corrupted_ids = [list(clean_ids[0])]
    corrupted_ids[0][3] = smollm.tokenizer.encode(["The Colosseum"]).ids[0][-1]  # one token swapped
    clean = smollm.run_ids(clean_ids, capture=["blocks.*.hook_resid_pre"], logits="all")
    corrupted = smollm.run_ids(corrupted_ids, logits="all")
    assert not np.allclose(corrupted.logits(), clean.logits(), atol=1e-2)
    for layer in range(smollm.config.n_layers):
        saved = torch.from_numpy(clean.activation(f"blocks.{layer}.hook_resid_pre"))[None]
        patched = smollm.run_ids(
            corrupted_ids, hooks=[(f"blocks.{layer}.hook_resid_pre", lambda x, hook, saved=saved: saved)], logits="all"
        )
        assert_close(patched.logits(), clean.logits(), f"layer {layer}")
        assert patched.interventions == [f"blocks.{layer}.hook_resid_pre"]


def test_interventions_on_q_k_v_and_the_pattern_act(tiny_causal_lm):
    n = len(IDS[0])
    zero = [("blocks.0.attn.hook_q", lambda x, hook: torch.zeros_like(x))]
    run = tiny_causal_lm.run_ids(IDS, hooks=zero, capture=["blocks.0.attn.hook_pattern"])
    uniform = np.tril(np.ones((n, n))) / np.arange(1, n + 1)[:, None]  # no query: every visible key alike
    np.testing.assert_allclose(
        run.activation("blocks.0.attn.hook_pattern"), np.broadcast_to(uniform, (8, n, n)), atol=1e-6
    )
    np.testing.assert_allclose(run.layer_attention(0), np.broadcast_to(uniform, (8, n, n)), atol=1e-6)  # the maps too
    same = [("blocks.0.attn.hook_pattern", lambda x, hook: torch.from_numpy(np.broadcast_to(uniform, x.shape).copy()))]
    assert_close(tiny_causal_lm.run_ids(IDS, hooks=same).logits(), run.logits())  # pattern replaced = Q zeroed
    keys = tiny_causal_lm.run_ids(IDS, hooks=[("blocks.0.attn.hook_k", lambda x, hook: x * 0)])
    assert_close(keys.logits(), run.logits())
    values = tiny_causal_lm.run_ids(
        IDS, hooks=[("blocks.1.attn.hook_v", lambda x, hook: x * 0)], capture=["blocks.1.hook_attn_out"]
    )
    assert np.abs(values.activation("blocks.1.hook_attn_out")).max() == 0.0  # llama's o_proj has no bias


# -- reuse and memory --------------------------------------------------------------------------------------------


def test_a_hooked_run_never_takes_or_lends_a_cached_prefix(tiny_causal_lm):
    longer = [IDS[0] + [3]]
    plain = tiny_causal_lm.run_ids(IDS)
    hooked = tiny_causal_lm.run_ids(longer, reuse=plain, hooks=[("blocks.0.hook_resid_pre", lambda x, hook: x * 2)])
    assert hooked.timings.reused_tokens == 0 and hooked.interventions == ["blocks.0.hook_resid_pre"]
    after = tiny_causal_lm.run_ids(longer, reuse=hooked)
    assert after.timings.reused_tokens == 0
    assert_close(after.logits(), tiny_causal_lm.run_ids(longer).logits())
    assert not np.allclose(after.logits(), hooked.logits(), atol=1e-3)


def test_smollm_capturing_every_resid_post_at_2048_keeps_l_n_d_floats(smollm):
    config, n = smollm.config, 2048
    ids = [[(7 * i) % 1000 + 100 for i in range(n)]]
    plain = smollm.run_ids(ids)
    run = smollm.run_ids(ids, capture=["blocks.*.hook_resid_post"])
    arrays = [run.activation(name) for name in run.activations]
    assert len(arrays) == config.n_layers and all(a.shape == (n, config.d_model) for a in arrays)
    floats = config.n_layers * n * config.d_model
    assert sum(a.nbytes for a in arrays) == run.activation_bytes == 4 * floats
    assert run.retained_bytes - plain.retained_bytes == 4 * floats  # and nothing else: no N×N, no logits


def test_a_padded_batch_captures_each_sequence_as_its_maps(tiny_causal_lm):
    ids = [[5, 9, 13, 2, 7, 11, 4, 8], [6, 3, 12]]
    plain = tiny_causal_lm.run_ids(ids)
    run = tiny_causal_lm.run_ids(ids, capture=["blocks.*.attn.hook_pattern"])
    for seq in range(2):
        real = np.flatnonzero(run.is_real[seq])
        for layer in range(run.n_layers):
            pattern = run.activation(f"blocks.{layer}.attn.hook_pattern", seq)
            np.testing.assert_allclose(pattern[:, real], plain.layer_attention(layer, seq)[:, real], atol=1e-5)
        assert_close(run.logits(seq), plain.logits(seq))


def test_scores_and_patterns_are_checked_against_the_memory_budget_first(tiny_causal_lm, monkeypatch):
    from models.runtime.budget import ENV, MemoryBudgetError

    monkeypatch.setenv(ENV, "1M")
    ids = [[(i * 7) % 50 + 1 for i in range(256)]]  # one (H, N, N) map: 8 × 256² floats, 2 MB
    with pytest.raises(MemoryBudgetError, match="memory: the scores, patterns"):
        tiny_causal_lm.run_ids(ids, capture=["blocks.0.attn.hook_pattern"])
    run = tiny_causal_lm.run_ids(ids, capture=["blocks.*.hook_resid_post"])  # linear in N: allowed
    assert run.activation_bytes == tiny_causal_lm.config.n_layers * 256 * tiny_causal_lm.config.d_model * 4


def test_interventions_on_the_outputs_act(tiny_causal_lm):
    zero = lambda x, hook: torch.zeros_like(x)  # noqa: E731
    names = ["blocks.1.hook_resid_mid", "blocks.1.hook_resid_post", "ln_final.hook_normalized"]
    run = tiny_causal_lm.run_ids(IDS, hooks=[("blocks.1.hook_mlp_out", zero)], capture=names)
    np.testing.assert_array_equal(run.activation("blocks.1.hook_resid_post"), run.activation("blocks.1.hook_resid_mid"))
    attn = tiny_causal_lm.run_ids(IDS, hooks=[("blocks.1.hook_attn_out", zero)], capture=["blocks.1.*"])
    np.testing.assert_array_equal(
        attn.activation("blocks.1.hook_resid_mid"), attn.activation("blocks.1.hook_resid_pre")
    )
    final = tiny_causal_lm.run_ids(IDS, hooks=[("ln_final.hook_normalized", zero)], logits="all")
    assert np.abs(final.logits()).max() == 0.0  # the LM head has no bias: zero in, zero out


def test_regrouped_kv_heads_are_hooked_as_the_run_uses_them(tiny_causal_lm):
    names = ["blocks.0.attn.hook_k", "blocks.0.attn.hook_pattern"]
    run = tiny_causal_lm.run_ids(IDS, kv_heads=1, capture=names)
    assert run.activation("blocks.0.attn.hook_k").shape == (len(IDS[0]), 1, tiny_causal_lm.config.d_head)
    np.testing.assert_allclose(run.activation("blocks.0.attn.hook_pattern"), run.layer_attention(0), atol=1e-6)
    assert_close(run.logits(), tiny_causal_lm.run_ids(IDS, kv_heads=1).logits())
