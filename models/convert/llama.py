"""Llama-family decoders from Hugging Face config.json + safetensors: llama, mistral, qwen2."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import take
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig


def rope_settings(hf: dict) -> dict:
    """RoPE θ and scaling from either config layout (transformers 4: rope_theta + rope_scaling;
    transformers 5: rope_parameters)."""
    params = dict(hf.get("rope_parameters") or {})
    scaling = dict(hf.get("rope_scaling") or {})
    theta = params.get("rope_theta", hf.get("rope_theta", 10000.0))
    merged = {**scaling, **params}
    kind = merged.get("rope_type", merged.get("type", "default"))
    if kind == "default":
        return {"rope_theta": float(theta)}
    if kind == "linear":
        return {"rope_theta": float(theta), "rope_scaling": "linear", "rope_scaling_factor": float(merged["factor"])}
    if kind == "llama3":
        return {
            "rope_theta": float(theta),
            "rope_scaling": "llama3",
            "rope_scaling_factor": float(merged["factor"]),
            "rope_low_freq_factor": float(merged["low_freq_factor"]),
            "rope_high_freq_factor": float(merged["high_freq_factor"]),
            "rope_original_n_ctx": int(merged["original_max_position_embeddings"]),
        }
    raise UnsupportedArchitectureError(
        f"RoPE scaling type '{kind}' is not supported (supported: default, linear, llama3)"
    )


def config_from_hf(hf: dict) -> TransformerConfig:
    family = hf.get("model_type", "llama")
    activation = hf.get("hidden_act", "silu")
    if activation != "silu":
        raise UnsupportedArchitectureError(f"{family} with hidden_act '{activation}' is not supported")
    sliding_window = None
    if family == "mistral":
        sliding_window = hf.get("sliding_window")
    elif family == "qwen2" and hf.get("use_sliding_window"):
        raise UnsupportedArchitectureError("qwen2 with use_sliding_window=true is not supported")
    n_heads = hf["num_attention_heads"]
    d_model = hf["hidden_size"]
    return TransformerConfig(
        architecture=family,
        d_model=d_model,
        n_layers=hf["num_hidden_layers"],
        n_heads=n_heads,
        n_kv_heads=hf.get("num_key_value_heads") or n_heads,
        d_head=hf.get("head_dim") or d_model // n_heads,
        d_mlp=hf["intermediate_size"],
        vocab_size=hf["vocab_size"],
        n_ctx=hf.get("max_position_embeddings", 2048),
        norm="rms",
        norm_eps=hf.get("rms_norm_eps", 1e-6),
        norm_placement="pre",
        mlp="swiglu",
        positional="rope",
        causal=True,
        sliding_window=sliding_window,
        # Qwen2 always has Q/K/V biases; Llama has them only when attention_bias is set.
        qkv_bias=family == "qwen2" or bool(hf.get("attention_bias", False)),
        out_bias=family != "qwen2" and bool(hf.get("attention_bias", False)),
        mlp_bias=bool(hf.get("mlp_bias", False)),
        tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
        pad_token_id=hf.get("pad_token_id"),
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
