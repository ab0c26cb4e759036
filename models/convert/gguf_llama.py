"""Llama-architecture GGUF files: metadata to config, dequantized tensors to our state dict."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import take
from models.errors import ModelLoadError
from models.nn.config import TransformerConfig


def config_from_metadata(meta: Mapping[str, object]) -> TransformerConfig:
    """meta holds the GGUF key/values with the 'llama.' prefix removed; the reader adds vocab_size from the
    vocabulary's length when the file does not state it."""

    def need(key: str):
        if key not in meta:
            raise ModelLoadError(f"the GGUF file lacks 'llama.{key}'; it is incomplete or not a llama model")
        return meta[key]

    d_model = int(need("embedding_length"))
    n_heads = int(need("attention.head_count"))
    d_head = int(meta.get("attention.key_length", d_model // n_heads))
    return TransformerConfig(
        architecture="llama",
        d_model=d_model,
        n_layers=int(need("block_count")),
        n_heads=n_heads,
        n_kv_heads=int(meta.get("attention.head_count_kv", n_heads)),
        d_head=d_head,
        d_mlp=int(need("feed_forward_length")),
        vocab_size=int(need("vocab_size")),
        n_ctx=int(need("context_length")),
        norm="rms",
        norm_eps=float(meta.get("attention.layer_norm_rms_epsilon", 1e-5)),
        norm_placement="pre",
        mlp="swiglu",
        positional="rope",
        rope_theta=float(meta.get("rope.freq_base", 10000.0)),
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
        out[f"{dst}attn.q.weight"] = unpermute_rope_rows(take(t, f"{src}attn_q.weight"), config.n_heads)
        out[f"{dst}attn.k.weight"] = unpermute_rope_rows(take(t, f"{src}attn_k.weight"), config.n_kv_heads)
        out[f"{dst}attn.v.weight"] = take(t, f"{src}attn_v.weight")
        out[f"{dst}attn.o.weight"] = take(t, f"{src}attn_output.weight")
        for ours, theirs in {"gate": "ffn_gate", "up": "ffn_up", "down": "ffn_down"}.items():
            out[f"{dst}mlp.{ours}.weight"] = take(t, f"{src}{theirs}.weight")
    return out
