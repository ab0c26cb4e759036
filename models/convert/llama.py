"""Llama-family decoders from Hugging Face config.json + safetensors: llama, mistral, qwen2."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import Fields, take
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig


def rope_settings(hf: dict) -> dict:
    """RoPE θ and scaling from either config layout (transformers 4: rope_theta + rope_scaling;
    transformers 5: rope_parameters)."""
    for key in ("rope_parameters", "rope_scaling"):
        if hf.get(key) is not None and not isinstance(hf[key], dict):
            raise Fields(hf).refuse(key, hf[key], "an object (or null)")
    params = dict(hf.get("rope_parameters") or {})
    scaling = dict(hf.get("rope_scaling") or {})
    theta = Fields(hf).real("rope_theta", 10000.0)
    merged = Fields({**scaling, **params, "rope_theta": params.get("rope_theta", theta)}, "rope_scaling.")
    kind = merged.text("rope_type", merged.text("type", "default"))
    settings = {"rope_theta": merged.real("rope_theta")}
    if kind == "default":
        return settings
    if kind == "linear":
        return {**settings, "rope_scaling": "linear", "rope_scaling_factor": merged.real("factor")}
    if kind == "llama3":
        return {
            **settings,
            "rope_scaling": "llama3",
            "rope_scaling_factor": merged.real("factor"),
            "rope_low_freq_factor": merged.real("low_freq_factor"),
            "rope_high_freq_factor": merged.real("high_freq_factor"),
            "rope_original_n_ctx": merged.integer("original_max_position_embeddings"),
        }
    raise UnsupportedArchitectureError(
        f"RoPE scaling type '{kind}' is not supported (supported: default, linear, llama3)"
    )


def config_from_hf(hf: dict) -> TransformerConfig:
    f = Fields(hf)
    family = f.text("model_type", "llama")
    activation = f.text("hidden_act", "silu")
    if activation != "silu":
        raise UnsupportedArchitectureError(f"{family} with hidden_act '{activation}' is not supported")
    sliding_window = None
    if family == "mistral":
        sliding_window = f.optional_integer("sliding_window")
    elif family == "qwen2" and f.flag("use_sliding_window", False):
        raise UnsupportedArchitectureError("qwen2 with use_sliding_window=true is not supported")
    n_heads, d_model = f.integer("num_attention_heads"), f.integer("hidden_size")
    vocab_size = f.integer("vocab_size")
    # head_dim is explicit in newer configs (and need not divide hidden_size); else hidden_size / heads.
    if hf.get("head_dim"):
        d_head = f.integer("head_dim")
    else:
        d_head = f.head_size(d_model, n_heads, "hidden_size", "num_attention_heads")
    n_kv_heads = f.integer("num_key_value_heads") if hf.get("num_key_value_heads") is not None else n_heads
    if n_heads % n_kv_heads:
        raise f.refuse("num_key_value_heads", n_kv_heads, f"a divisor of num_attention_heads={n_heads}")
    attention_bias = f.flag("attention_bias", False)
    return TransformerConfig(
        architecture=family,
        d_model=d_model,
        n_layers=f.integer("num_hidden_layers"),
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        d_head=d_head,
        d_mlp=f.integer("intermediate_size"),
        vocab_size=vocab_size,
        n_ctx=f.integer("max_position_embeddings", 2048),
        norm="rms",
        norm_eps=f.real("rms_norm_eps", 1e-6),
        norm_placement="pre",
        mlp="swiglu",
        positional="rope",
        causal=True,
        sliding_window=sliding_window,
        # Qwen2 always has Q/K/V biases; Llama has them only when attention_bias is set.
        qkv_bias=family == "qwen2" or attention_bias,
        out_bias=family != "qwen2" and attention_bias,
        mlp_bias=f.flag("mlp_bias", False),
        tie_embeddings=f.flag("tie_word_embeddings", False),
        pad_token_id=f.token_id("pad_token_id", vocab_size),
        padding_side="left",
        **rope_settings(hf),
    )


def convert(t: Mapping[str, torch.Tensor], config: TransformerConfig) -> dict[str, torch.Tensor]:
    out = {
        "embed.tokens.weight": take(t, "model.embed_tokens.weight"),
        "final_norm.weight": take(t, "model.norm.weight"),
    }
    if not config.tie_embeddings:
        out["lm_head.weight"] = take(t, "lm_head.weight")
    for i in range(config.n_layers):
        src, dst = f"model.layers.{i}.", f"blocks.{i}."
        out[f"{dst}norm1.weight"] = take(t, f"{src}input_layernorm.weight")
        out[f"{dst}norm2.weight"] = take(t, f"{src}post_attention_layernorm.weight")
        for name in "qkvo":
            out[f"{dst}attn.{name}.weight"] = take(t, f"{src}self_attn.{name}_proj.weight")
            has_bias = config.out_bias if name == "o" else config.qkv_bias
            if has_bias:
                out[f"{dst}attn.{name}.bias"] = take(t, f"{src}self_attn.{name}_proj.bias")
        for name in ("gate", "up", "down"):
            out[f"{dst}mlp.{name}.weight"] = take(t, f"{src}mlp.{name}_proj.weight")
            if config.mlp_bias:
                out[f"{dst}mlp.{name}.bias"] = take(t, f"{src}mlp.{name}_proj.bias")
    return out
