"""Gemma 3 without its weights: the config from GGUF metadata, per-layer masks and θ in the run options, the
per-layer plans, and the clear errors (a K-quant tensor that does not hold its shape, a missing sliding window).

The real model's parity with transformers is tests/test_gemma3_real.py."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from gguf import GGMLQuantizationType

from models.convert.gemma3 import config_from_metadata, local_layers
from models.errors import ModelLoadError
from models.io.gguf_file import check_tensor_bytes
from models.nn.config import TransformerConfig
from models.nn.plan import AttentionPlan
from models.options import MaskSpec, RunOptions, resolve

# The metadata of gemma-3-270m-q4_k_m.gguf, 'gemma3.' removed (vocab_size added by the reader)
METADATA = {
    "context_length": 32768,
    "embedding_length": 640,
    "block_count": 18,
    "feed_forward_length": 2048,
    "attention.head_count": 4,
    "attention.layer_norm_rms_epsilon": 1e-6,
    "attention.key_length": 256,
    "attention.value_length": 256,
    "rope.freq_base": 1e6,
    "attention.sliding_window": 512,
    "attention.head_count_kv": 1,
    "vocab_size": 262144,
}
GLOBAL_LAYERS = [5, 11, 17]


def test_the_config_holds_every_fact_of_the_architecture():
    config = config_from_metadata(METADATA)
    assert (config.n_layers, config.d_model, config.n_heads, config.n_kv_heads, config.d_head) == (18, 640, 4, 1, 256)
    assert (config.sliding_window, config.rope_theta, config.rope_local_theta) == (512, 1e6, 10_000.0)
    assert (config.norm, config.norm_placement, config.mlp) == ("rms", "sandwich", "geglu")
    assert config.qk_norm and config.scale_embeddings and config.causal
    assert [layer for layer in range(18) if config.layer_window(layer) is None] == GLOBAL_LAYERS
    assert all(config.layer_window(layer) == 512 for layer in range(18) if layer not in GLOBAL_LAYERS)


def test_the_config_survives_a_round_trip_through_json_form():
    config = config_from_metadata(METADATA)
    data = config.to_dict()
    data["local_layers"] = list(data["local_layers"])  # as JSON gives it back
    assert TransformerConfig.from_dict(data) == config


def test_five_of_every_six_layers_are_local():
    assert local_layers(12) == (0, 1, 2, 3, 4, 6, 7, 8, 9, 10)


def test_metadata_without_the_sliding_window_is_refused_by_name():
    meta = {key: value for key, value in METADATA.items() if key != "attention.sliding_window"}
    with pytest.raises(ModelLoadError, match=r"gemma3\.attention\.sliding_window"):
        config_from_metadata(meta)


def test_local_layers_without_a_window_are_refused():
    with pytest.raises(ValueError, match="sliding_window"):
        TransformerConfig("gemma3", 8, 2, 2, 1, 4, 16, 10, 32, local_layers=(0,))
    with pytest.raises(ValueError, match="layer index"):
        TransformerConfig("gemma3", 8, 2, 2, 1, 4, 16, 10, 32, sliding_window=4, local_layers=(2,))


def quantized_tensor(kind: GGMLQuantizationType, shape: list[int], nbytes: int):
    """What gguf's reader gives for a tensor: its name, type, shape (fastest dimension first) and bytes."""
    data = np.zeros(nbytes, np.uint8)
    return SimpleNamespace(name="blk.0.attn_output.weight", tensor_type=kind, shape=shape, data=data)


def test_a_k_quant_tensor_whose_bytes_do_not_hold_its_shape_is_refused_by_name(tmp_path):
    check_tensor_bytes(quantized_tensor(GGMLQuantizationType.Q4_K, [1024, 640], 640 * 4 * 144), tmp_path)  # whole
    with pytest.raises(ModelLoadError, match=r"blk\.0\.attn_output\.weight \(Q4_K, shape \[1024, 640\]\) holds"):
        check_tensor_bytes(quantized_tensor(GGMLQuantizationType.Q4_K, [1024, 640], 640 * 4 * 144 - 144), tmp_path)
    with pytest.raises(ModelLoadError, match="multiple of 256"):  # a row that is not a whole number of blocks
        check_tensor_bytes(quantized_tensor(GGMLQuantizationType.Q6_K, [640, 2], 2 * 210 * 2), tmp_path)


def gemma_config(**changes) -> TransformerConfig:
    return config_from_metadata({**METADATA, **changes})


def test_the_models_own_mask_is_per_layer_and_any_mask_set_applies_to_every_layer():
    config = gemma_config()
    own = resolve(RunOptions(), config)
    assert [own.mask_of(layer).window for layer in range(18)] == [
        None if layer in GLOBAL_LAYERS else 512 for layer in range(18)
    ]
    assert own.mask == MaskSpec(base="causal")
    assert own.layer_rope_thetas == tuple(1e6 if layer in GLOBAL_LAYERS else 1e4 for layer in range(18))
    assert own.describe()["mask"] == "causal,window=512 ×15; causal ×3"
    assert (own.describe()["rope_theta"], own.describe()["local_rope_theta"]) == (1e6, 1e4)
    assert (own.describe(0)["mask"], own.describe(0)["rope_theta"]) == ("causal,window=512", 1e4)  # a layer's own
    assert (own.describe(5)["mask"], own.describe(5)["rope_theta"]) == ("causal", 1e6)
    every_global = resolve(RunOptions(mask="causal"), config)
    assert every_global.layer_masks == () and every_global.mask == MaskSpec(base="causal")
    assert every_global.layer_rope_thetas == own.layer_rope_thetas, "θ belongs to the weights, not the mask"
    windowed = resolve(RunOptions(mask="causal,window=8"), config)
    assert windowed.layer_masks == () and windowed.mask.window == 8
    one_theta = resolve(RunOptions(rope_theta=5e5), config)
    assert one_theta.layer_rope_thetas == () and one_theta.rope_theta == 5e5
    for resolved in (own, every_global, windowed, one_theta):
        assert resolve(resolved.as_run_options(), config) == resolved


def test_each_layer_plans_with_its_own_mask_and_rope_table():
    config = gemma_config()
    plan = AttentionPlan.for_run(config, resolve(RunOptions(), config), torch.ones(1, 20, dtype=torch.bool))
    local, global_ = plan.for_layer(0), plan.for_layer(5)
    assert local.mask.window == 512 and global_.mask.window is None
    angle = 19 * 10_000.0 ** (-2 / 256)  # position 19, the second frequency pair
    assert local.rope[0][0, 0, 19, 1].item() == pytest.approx(np.cos(angle), abs=1e-6)
    angle = 19 * 1e6 ** (-2 / 256)
    assert global_.rope[0][0, 0, 19, 1].item() == pytest.approx(np.cos(angle), abs=1e-6)
    assert plan.for_layer(0) is local, "a layer's plan is made once per run"


def test_a_model_whose_layers_are_alike_plans_once():
    config = TransformerConfig("llama", 8, 2, 2, 1, 4, 16, 10, 32, positional="rope", sliding_window=4)
    plan = AttentionPlan.for_run(config, resolve(RunOptions(), config), torch.ones(1, 6, dtype=torch.bool))
    assert plan.for_layer(1) is plan and plan.mask.window == 4


def test_the_header_reader_gives_the_config_gguf_itself_gives(tmp_path):
    """The catalogue's fast path (models/io/gguf_header.py) against gguf's own reader, on a written file."""
    from builders import byte_level_vocab, write_gguf_model

    from models.io.gguf_file import describe_gguf, open_reader, read_config
    from models.io.gguf_header import read_header

    path = tmp_path / "tiny.gguf"
    write_gguf_model(path, byte_level_vocab())
    config, meta = read_config(open_reader(path), path)
    assert describe_gguf(path) == config
    header = read_header(path)
    assert header.metadata == meta
    assert header.array_lengths["tokenizer.ggml.tokens"] == config.vocab_size


def test_the_header_reader_names_a_damaged_file(tmp_path):
    from builders import byte_level_vocab, write_gguf_model

    from models.io.gguf_header import read_header

    path = tmp_path / "cut.gguf"
    write_gguf_model(path, byte_level_vocab())
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ModelLoadError, match="cut.gguf"):
        read_header(path)
    path.write_bytes(b"")
    with pytest.raises(ModelLoadError, match="cut.gguf"):
        read_header(path)


# -- a tiny random Gemma 3 against transformers' Gemma3ForCausalLM: windows that bite at a dozen tokens --------

WINDOW, TINY_TYPES = 4, ["sliding_attention", "full_attention", "sliding_attention"]


def tiny_pair(hf_window: int = WINDOW):
    """Our model and transformers' with the same random weights: 3 layers (local, global, local; window 4),
    4 query heads on 1 KV head of 8 dims, norms and QK-norms with random (1 + w). hf_window: transformers' window
    (wider than the text: its local layers see every key, keeping their own RoPE θ)."""
    from builders import tiny_tokenizer_json
    from tokenizers import Tokenizer
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    from models.io.loader import build_module
    from models.io.tokenizer import TextTokenizer
    from models.runtime.model import Model, ModelSource

    tokenizer = Tokenizer.from_str(tiny_tokenizer_json())
    vocab = tokenizer.get_vocab_size()
    hf_config = Gemma3TextConfig(
        vocab_size=vocab, hidden_size=16, intermediate_size=32, num_hidden_layers=3, num_attention_heads=4,
        num_key_value_heads=1, head_dim=8, sliding_window=hf_window, layer_types=TINY_TYPES,
        query_pre_attn_scalar=8, max_position_embeddings=64, rms_norm_eps=1e-6,
    )  # fmt: skip
    torch.manual_seed(7)
    hf = Gemma3ForCausalLM(hf_config).eval()
    hf.config._attn_implementation = "eager"
    with torch.no_grad():
        for name, weight in hf.named_parameters():
            if "norm" in name:  # zeros at init: random, so (1 + w) is tested; QK-norms larger, for peaked maps
                weight.normal_(1.0 if ("q_norm" in name or "k_norm" in name) else 0.0, 0.5)
    ours = TransformerConfig(
        "gemma3", 16, 3, 4, 1, 8, 32, vocab, 64, norm="rms", norm_eps=1e-6, norm_placement="sandwich", mlp="geglu",
        positional="rope", rope_theta=1e6, rope_local_theta=1e4, sliding_window=WINDOW,
        local_layers=tuple(i for i, kind in enumerate(TINY_TYPES) if kind == "sliding_attention"),
        qk_norm=True, scale_embeddings=True, tie_embeddings=True, padding_side="left",
    )  # fmt: skip
    names = {"input_layernorm": "norm1", "post_attention_layernorm": "attn_out_norm", "pre_feedforward_layernorm":
             "norm2", "post_feedforward_layernorm": "mlp_out_norm", "self_attn.q_norm": "attn.q_norm",
             "self_attn.k_norm": "attn.k_norm"}  # fmt: skip
    names |= {f"self_attn.{p}_proj": f"attn.{p}" for p in "qkvo"}
    names |= {f"mlp.{p}_proj": f"mlp.{p}" for p in ("gate", "up", "down")}
    state = {"embed.tokens.weight": hf.model.embed_tokens.weight.detach().clone(),
             "final_norm.weight": hf.model.norm.weight.detach() + 1}  # fmt: skip
    for i in range(3):
        for theirs, mine in names.items():
            weight = hf.get_parameter(f"model.layers.{i}.{theirs}.weight").detach().clone()
            state[f"blocks.{i}.{mine}.weight"] = weight + 1 if "norm" in mine else weight  # Gemma's 1 + w, as GGUF
    module = build_module(ours, state)
    text_tokenizer = TextTokenizer(tokenizer, 64, None, "left")
    return Model("tiny-gemma3", ours, module, text_tokenizer, ModelSource("memory", "test"), "cpu"), hf


IDS = [[5, 17, 42, 8, 99, 23, 61, 7, 150, 33, 12, 77, 5, 17]]


@torch.no_grad()
def test_a_tiny_gemma_matches_transformers_with_its_windows():
    model, hf = tiny_pair()
    run = model.run_ids(IDS)
    out = hf(torch.tensor(IDS), output_attentions=True)
    peak = 0.0
    for layer in range(3):
        ours, theirs = run.layer_attention(layer), out.attentions[layer][0].numpy()
        assert np.abs(ours - theirs).max() <= 1e-5, layer
        peak = max(peak, float(ours.max()))
    assert peak > 0.5, "near-uniform maps would make parity trivial"
    assert run.attention(0, 0)[10, :7].max() == 0.0 and run.attention(1, 0)[10, :7].max() > 0.0  # the window bites
    ours = torch.softmax(torch.as_tensor(run.next_token_logits()), dim=-1)
    assert (ours - torch.softmax(out.logits[0, -1], dim=-1)).abs().max() <= 1e-5


@torch.no_grad()
def test_every_layer_global_keeps_each_layers_rope_and_matches_transformers_without_a_window():
    model, _ = tiny_pair()
    _, hf_global = tiny_pair(hf_window=64)  # the same weights (same seed); no window bites within 64 tokens
    run = model.run_ids(IDS, mask="causal")
    out = hf_global(torch.tensor(IDS), output_attentions=True)
    for layer in range(3):
        assert np.abs(run.layer_attention(layer) - out.attentions[layer][0].numpy()).max() <= 1e-5, layer


def test_a_reused_prefix_and_the_hook_points_follow_each_layers_mask():
    model, _ = tiny_pair()
    fresh = model.run_ids(IDS)
    reused = model.run_ids(IDS, reuse=model.run_ids([IDS[0][:9]]))
    assert reused.timings.reused_tokens == 9  # the shared prefix; rows 9.. are new, and see past the window
    hooked = model.run_ids(IDS, capture=["blocks.*.attn.hook_pattern"])
    for layer in range(3):
        assert np.abs(reused.layer_attention(layer) - fresh.layer_attention(layer)).max() <= 1e-5  # float32 order
        pattern = np.asarray(hooked.activation(f"blocks.{layer}.attn.hook_pattern", 0))
        assert np.abs(pattern - fresh.layer_attention(layer)).max() <= 1e-5


def test_the_benchmarks_matrix_product_count_includes_the_gated_mlp():
    """The floor fraction divides projection_flops by the GEMM rate: for GeGLU, gate, up and down all count."""
    from torch.utils.flop_counter import FlopCounterMode

    from explorer.bench.flops import projection_flops

    model, _ = tiny_pair()
    with FlopCounterMode(display=False) as counter:
        model.run_ids(IDS)
    assert counter.get_total_flops() == projection_flops(model.config, len(IDS[0]))
