"""Every hook point's captured values against transformers on the real shipped weights (issue 24).

transformers exposes: hidden states (the residual stream), o_proj's input (z) and output (attn_out), the MLP's
output, v_proj's output (V) and output_attentions (the pattern). Each must agree within 1e-4 of the largest value.
"""

import numpy as np
import pytest
import torch

RELATIVE = 1e-4
TEXT = "The quick brown fox jumps over the lazy dog, and the dog does not mind at all."


@pytest.fixture(scope="module")
def hf_smollm(smollm):
    """transformers' reading of the same GGUF file. Not conftest's hf_smollm: with this transformers a model read
    from GGUF refuses save_pretrained (ValueError, 'not serializable'), which that fixture does not catch."""
    from pathlib import Path

    from transformers import AutoModelForCausalLM

    gguf = Path(smollm.source.path)
    return AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, attn_implementation="eager").eval()


def assert_close(ours: np.ndarray, theirs: np.ndarray, what: str) -> None:
    assert ours.shape == theirs.shape, f"{what}: {ours.shape} != {theirs.shape}"
    worst = float(np.abs(ours - theirs).max())
    scale = float(np.abs(theirs).max())
    assert worst <= RELATIVE * scale, f"{what}: off by {worst:.3g}, largest value {scale:.3g}"


@torch.no_grad()
def hf_recording(hf_model, ids, modules: dict) -> tuple[object, dict]:
    """Run transformers once, recording (input, output) of the named modules: name -> (in, out) numpy."""
    seen, handles = {}, []
    for name, module in modules.items():

        def keep(_module, args, output, name=name):
            seen[name] = (args[0][0].numpy().copy(), output[0].numpy().copy())

        handles.append(module.register_forward_hook(keep))
    try:
        out = hf_model(torch.tensor(ids), output_hidden_states=True, output_attentions=True)
    finally:
        for handle in handles:
            handle.remove()
    return out, seen


def test_smollm_hook_points_equal_transformers(smollm, hf_smollm):
    run = smollm.run(TEXT, capture=["*"])
    layers = hf_smollm.model.layers
    modules = {}
    for layer, block in enumerate(layers):
        modules[f"o{layer}"], modules[f"mlp{layer}"], modules[f"v{layer}"] = (
            block.self_attn.o_proj,
            block.mlp,
            block.self_attn.v_proj,
        )
    out, seen = hf_recording(hf_smollm, run.ids, modules)
    n, heads, kv = len(run.ids[0]), smollm.config.n_heads, smollm.config.n_kv_heads
    hidden = [h[0].numpy() for h in out.hidden_states]  # L + 1 of (N, D); the last after the final norm
    assert_close(run.activation("hook_embed"), hidden[0], "hook_embed")
    for layer in range(len(layers)):
        name = f"blocks.{layer}."
        assert_close(run.activation(name + "hook_resid_pre"), hidden[layer], name + "hook_resid_pre")
        z_in, attn_out = seen[f"o{layer}"]
        assert_close(run.activation(name + "attn.hook_z"), z_in.reshape(n, heads, -1), name + "attn.hook_z")
        assert_close(run.activation(name + "hook_attn_out"), attn_out, name + "hook_attn_out")
        v = seen[f"v{layer}"][1].reshape(n, kv, -1)
        assert_close(run.activation(name + "attn.hook_v"), v, name + "attn.hook_v")
        assert_close(run.activation(name + "hook_mlp_out"), seen[f"mlp{layer}"][1], name + "hook_mlp_out")
        mid = hidden[layer] + attn_out  # transformers has no resid_mid: its two terms are
        assert_close(run.activation(name + "hook_resid_mid"), mid, name + "hook_resid_mid")
        pattern = out.attentions[layer][0].numpy()
        assert_close(run.activation(name + "attn.hook_pattern"), pattern, name + "attn.hook_pattern")
        if layer + 1 < len(layers):
            assert_close(run.activation(name + "hook_resid_post"), hidden[layer + 1], name + "hook_resid_post")
    assert_close(run.activation("ln_final.hook_normalized"), hidden[-1], "ln_final.hook_normalized")
    assert_close(run.logits(), out.logits[0, -1:].numpy(), "logits")


def test_minilm_hook_points_equal_transformers(minilm, hf_minilm):
    run = minilm.run(TEXT, capture=["*"])
    layers = hf_minilm.encoder.layer
    modules = {}
    for layer, block in enumerate(layers):
        modules[f"o{layer}"], modules[f"mlp{layer}"] = block.attention.output.dense, block.output.dense
        modules[f"v{layer}"], modules[f"ln1{layer}"] = block.attention.self.value, block.attention.output.LayerNorm
    out, seen = hf_recording(hf_minilm, run.ids, modules)
    n, heads = len(run.ids[0]), minilm.config.n_heads
    hidden = [h[0].numpy() for h in out.hidden_states]
    assert "ln_final.hook_normalized" not in run.activations  # post-norm: no final norm (models/nn/hooks.py)
    for layer in range(len(layers)):
        name = f"blocks.{layer}."
        assert_close(run.activation(name + "hook_resid_pre"), hidden[layer], name + "hook_resid_pre")
        z_in, attn_out = seen[f"o{layer}"]
        assert_close(run.activation(name + "attn.hook_z"), z_in.reshape(n, heads, -1), name + "attn.hook_z")
        assert_close(run.activation(name + "hook_attn_out"), attn_out, name + "hook_attn_out")
        v = seen[f"v{layer}"][1].reshape(n, heads, -1)
        assert_close(run.activation(name + "attn.hook_v"), v, name + "attn.hook_v")
        assert_close(run.activation(name + "ln1.hook_normalized"), seen[f"ln1{layer}"][1], name + "ln1")
        assert_close(run.activation(name + "hook_mlp_out"), seen[f"mlp{layer}"][1], name + "hook_mlp_out")
        assert_close(run.activation(name + "ln2.hook_normalized"), hidden[layer + 1], name + "ln2")
        pattern = out.attentions[layer][0].numpy()
        assert_close(run.activation(name + "attn.hook_pattern"), pattern, name + "attn.hook_pattern")


@pytest.mark.parametrize("fixture", ["smollm", "minilm"])
def test_captured_patterns_are_the_maps_the_run_draws(fixture, request):
    """One score bias: hook_pattern is computed as the displayed maps are (maps.py), cell for cell."""
    model = request.getfixturevalue(fixture)
    run = model.run(TEXT, capture=["blocks.1.attn.hook_pattern", "blocks.1.attn.hook_attn_scores"])
    assert run.activations == ["blocks.1.attn.hook_attn_scores", "blocks.1.attn.hook_pattern"]
    np.testing.assert_allclose(run.activation("blocks.1.attn.hook_pattern"), run.layer_attention(1), atol=1e-6)
    scores = run.activation("blocks.1.attn.hook_attn_scores")  # (H, N, N), -inf where masked
    visible = run.visible()
    assert np.isneginf(scores[:, ~visible]).all() and np.isfinite(scores[:, visible]).all()
