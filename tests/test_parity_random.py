"""Parity with transformers on small random checkpoints the tests write to disk, one per family."""

import numpy as np
import pytest
from builders import rewrite_config, write_hf_model
from reference import hf_attentions, worst_difference

import models

TEXT = "The quick brown fox reads attention maps with grouped keys and rotary positions."
TOLERANCE = 1e-4


def check_parity(folder, hf_model, **run_options):
    model = models.load(str(folder), device="cpu")
    run = model.run(TEXT, **run_options)
    reference = hf_attentions(hf_model, run.ids)
    worst = worst_difference(run, reference)
    peak = max(float(run.layer_attention(layer).max()) for layer in range(run.n_layers))
    assert peak > 0.3, "random weights too small: near-uniform maps would make parity trivial"
    assert worst <= TOLERANCE, worst
    return model, run


def test_gpt2(tmp_path):
    hf = write_hf_model(tmp_path / "gpt2", "gpt2")
    model, run = check_parity(tmp_path / "gpt2", hf)
    assert model.config.architecture == "gpt2" and model.config.positional == "learned"
    # next-token probabilities come from the same logits
    import torch

    with torch.no_grad():
        logits = hf(torch.tensor(run.ids)).logits[0, -1]
    expected = torch.softmax(logits, -1).topk(3)
    ours = run.next_tokens(3)
    assert np.allclose([p for _, p in ours], expected.values.numpy(), atol=1e-5)


def test_bert(tmp_path):
    hf = write_hf_model(tmp_path / "bert", "bert")
    model, _ = check_parity(tmp_path / "bert", hf)
    assert not model.is_causal_lm and model.config.norm_placement == "post"


def test_llama_with_gqa_and_sharded_safetensors(tmp_path):
    hf = write_hf_model(tmp_path / "llama", "llama", shard=True)
    assert (tmp_path / "llama" / "model.safetensors.index.json").exists()
    model, run = check_parity(tmp_path / "llama", hf)
    assert (model.config.n_heads, model.config.n_kv_heads) == (8, 2)
    assert run.kv_groups == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_llama3_rope_scaling_in_the_transformers_4_config_layout(tmp_path):
    folder = tmp_path / "llama3"
    write_hf_model(folder, "llama")
    scaling = {
        "rope_type": "llama3",
        "factor": 8.0,
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
        "original_max_position_embeddings": 16,
    }
    rewrite_config(folder, rope_parameters=None, rope_theta=5000.0, rope_scaling=scaling)
    from transformers import AutoModelForCausalLM

    hf = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager").eval()
    model, _ = check_parity(folder, hf)
    assert model.config.rope_scaling == "llama3" and model.config.rope_theta == 5000.0


def test_qwen2_with_qkv_biases(tmp_path):
    hf = write_hf_model(tmp_path / "qwen2", "qwen2")
    model, _ = check_parity(tmp_path / "qwen2", hf)
    assert model.config.qkv_bias and not model.config.out_bias


def test_mistral_keeps_its_sliding_window(tmp_path):
    hf = write_hf_model(tmp_path / "mistral", "mistral", sliding_window=4)
    model, run = check_parity(tmp_path / "mistral", hf)
    assert run.options.mask.window == 4
    n = run.attention(0, 0).shape[0]
    i, j = np.indices((n, n))
    assert np.all(run.attention(1, 3)[i - j >= 4] == 0.0)


@pytest.mark.parametrize("family", ["gpt2", "llama"])
def test_variants_run_on_random_models(tmp_path, family):
    write_hf_model(tmp_path / family, family)
    model = models.load(str(tmp_path / family), device="cpu")
    for options in ({"kv_heads": 1}, {"pos": "alibi"}, {"pos": "sinusoidal"}, {"mask": "bidirectional,no-self"}):
        maps = model.run(TEXT, **options).layer_attention(1)
        assert np.isfinite(maps).all() and np.allclose(maps.sum(-1), 1.0, atol=1e-5)
