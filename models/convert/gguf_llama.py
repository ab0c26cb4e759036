"""Llama-architecture GGUF files: metadata to config, dequantized tensors to our state dict."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import Fields, take, take_shaped
from models.errors import ModelLoadError
from models.nn.config import TransformerConfig


def config_from_metadata(meta: Mapping[str, object]) -> TransformerConfig:
    """meta holds the GGUF key/values with the 'llama.' prefix removed; the reader adds vocab_size from the
    vocabulary's length when the file does not state it."""
    for key in ("embedding_length", "attention.head_count", "block_count", "feed_forward_length", "context_length"):
        if key not in meta:
            raise ModelLoadError(f"the GGUF file lacks 'llama.{key}'; it is incomplete or not a llama model")
    f = Fields(meta, "llama.")
    d_model, n_heads = f.integer("embedding_length"), f.integer("attention.head_count")
    if "attention.key_length" in meta:
        d_head = f.integer("attention.key_length")
    else:
        d_head = f.head_size(d_model, n_heads, "embedding_length", "attention.head_count")
    n_kv_heads = f.integer("attention.head_count_kv", n_heads)
    if n_heads % n_kv_heads:
        raise f.refuse("attention.head_count_kv", n_kv_heads, f"a divisor of llama.attention.head_count={n_heads}")
    return TransformerConfig(
        architecture="llama",
        d_model=d_model,
        n_layers=f.integer("block_count"),
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        d_head=d_head,
        d_mlp=f.integer("feed_forward_length"),
        vocab_size=f.integer("vocab_size"),
        n_ctx=f.integer("context_length"),
        norm="rms",
        norm_eps=f.real("attention.layer_norm_rms_epsilon", 1e-5),
        norm_placement="pre",
        mlp="swiglu",
        positional="rope",
        rope_theta=f.real("rope.freq_base", 10000.0),
        causal=True,
        tie_embeddings=False,  # decided by the caller from whether output.weight exists
        padding_side="left",
    )


def unpermute_rope_rows(weight: torch.Tensor, n_heads: int) -> torch.Tensor:
    """Undo llama.cpp's Q/K row order (pairs interleaved) back to HF's rotate-half order (halves).

    (heads·d, D): within each head, GGUF rows go (0, d/2, 1, d/2+1, ...); HF rows go (0, 1, ..., d-1).
    """
    rows, cols = weight.shape
    d_half = rows // n_heads // 2
    return weight.reshape(n_heads, d_half, 2, cols).transpose(1, 2).reshape(rows, cols)


def convert(t: Mapping[str, torch.Tensor], config: TransformerConfig) -> dict[str, torch.Tensor]:
    out = {
        "embed.tokens.weight": take(t, "token_embd.weight"),
        "final_norm.weight": take(t, "output_norm.weight"),
    }
    if not config.tie_embeddings:
        out["lm_head.weight"] = take(t, "output.weight")
    for i in range(config.n_layers):
        src, dst = f"blk.{i}.", f"blocks.{i}."
        out[f"{dst}norm1.weight"] = take(t, f"{src}attn_norm.weight")
        out[f"{dst}norm2.weight"] = take(t, f"{src}ffn_norm.weight")
        # Shapes first: the unpermute reshapes by the config's head count, and would fail without naming either.
        q_shape = (config.n_heads * config.d_head, config.d_model)
        kv_shape = (config.n_kv_heads * config.d_head, config.d_model)
        out[f"{dst}attn.q.weight"] = unpermute_rope_rows(take_shaped(t, f"{src}attn_q.weight", q_shape), config.n_heads)
        out[f"{dst}attn.k.weight"] = unpermute_rope_rows(
            take_shaped(t, f"{src}attn_k.weight", kv_shape), config.n_kv_heads
        )
        out[f"{dst}attn.v.weight"] = take(t, f"{src}attn_v.weight")
        out[f"{dst}attn.o.weight"] = take(t, f"{src}attn_output.weight")
        for ours, theirs in {"gate": "ffn_gate", "up": "ffn_up", "down": "ffn_down"}.items():
            out[f"{dst}mlp.{ours}.weight"] = take(t, f"{src}{theirs}.weight")
    return out
