"""Gemma 3 GGUF files: local and global layers, QK-norm and sandwich norms, metadata to config and tensors to ours.

What the file states (llama.cpp's gemma3.* keys): 18 layers 640 wide, 4 query heads sharing 1 KV head of 256
dims, a 512-token sliding window, RoPE θ 1e6. What it does not state, the reference (transformers'
Gemma3TextConfig) takes from the architecture, and so do we: every 6th layer is global and the others local,
and local layers rotate with θ 10,000 (unless the file gives rope.freq_base_swa). The query scale is
key_length^-0.5 (query_pre_attn_scalar = 256 = d_head for the released sizes up to 12B).
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import Fields, take, take_shaped
from models.errors import ModelLoadError
from models.nn.config import TransformerConfig

GLOBAL_EVERY = 6  # transformers' sliding_window_pattern: layers 5, 11, 17, ... are global, the others local
LOCAL_ROPE_THETA = 10_000.0  # transformers' default rope_local_base_freq (llama.cpp's freq_base_swa)
REQUIRED = (
    "embedding_length",
    "attention.head_count",
    "block_count",
    "feed_forward_length",
    "context_length",
    "attention.sliding_window",
)


def local_layers(n_layers: int, every: int = GLOBAL_EVERY) -> tuple[int, ...]:
    """The layers that see only their sliding window: all but every `every`-th (counting from 1)."""
    return tuple(layer for layer in range(n_layers) if (layer + 1) % every)


def config_from_metadata(meta: Mapping[str, object]) -> TransformerConfig:
    """meta holds the GGUF key/values with the 'gemma3.' prefix removed (vocab_size added by the reader)."""
    for key in REQUIRED:
        if key not in meta:
            why = "every layer's window depends on it" if key == "attention.sliding_window" else "it is incomplete"
            raise ModelLoadError(f"the GGUF file lacks 'gemma3.{key}'; {why}")
    f = Fields(meta, "gemma3.")
    d_model, n_heads = f.integer("embedding_length"), f.integer("attention.head_count")
    n_layers = f.integer("block_count")
    if "attention.key_length" in meta:
        d_head = f.integer("attention.key_length")
    else:
        d_head = f.head_size(d_model, n_heads, "embedding_length", "attention.head_count")
    if f.integer("attention.value_length", d_head) != d_head:
        raise f.refuse("attention.value_length", meta["attention.value_length"], f"equal to key_length ({d_head})")
    n_kv_heads = f.integer("attention.head_count_kv", n_heads)
    if n_heads % n_kv_heads:
        raise f.refuse("attention.head_count_kv", n_kv_heads, f"a divisor of gemma3.attention.head_count={n_heads}")
    return TransformerConfig(
        architecture="gemma3",
        d_model=d_model,
        n_layers=n_layers,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        d_head=d_head,
        d_mlp=f.integer("feed_forward_length"),
        vocab_size=f.integer("vocab_size"),
        n_ctx=f.integer("context_length"),
        norm="rms",
        norm_eps=f.real("attention.layer_norm_rms_epsilon", 1e-6),
        norm_placement="sandwich",
        mlp="geglu",
        positional="rope",
        rope_theta=f.real("rope.freq_base", 1_000_000.0),
        rope_local_theta=f.real("rope.freq_base_swa", LOCAL_ROPE_THETA),
        causal=True,
        sliding_window=f.integer("attention.sliding_window"),
        local_layers=local_layers(n_layers),
        qk_norm=True,
        scale_embeddings=True,
        tie_embeddings=True,  # decided by the reader from whether output.weight exists
        padding_side="left",
    )


# ours (under blocks.{i}.) -> the GGUF's (under blk.{i}.)
LAYER_TENSORS = {
    "norm1": "attn_norm",
    "attn.q_norm": "attn_q_norm",
    "attn.k_norm": "attn_k_norm",
    "attn.v": "attn_v",
    "attn.o": "attn_output",
    "attn_out_norm": "post_attention_norm",
    "norm2": "ffn_norm",
    "mlp.gate": "ffn_gate",
    "mlp.up": "ffn_up",
    "mlp.down": "ffn_down",
    "mlp_out_norm": "post_ffw_norm",
}


def convert(t: Mapping[str, torch.Tensor], config: TransformerConfig) -> dict[str, torch.Tensor]:
    """Norm weights are used as stored: llama.cpp wrote Gemma's 1 + w, which is what our RMSNorm multiplies by.
    Q and K rows are in the checkpoint's own (rotate-half) order: llama.cpp does not permute Gemma's."""
    out = {
        "embed.tokens.weight": take(t, "token_embd.weight"),
        "final_norm.weight": take(t, "output_norm.weight"),
    }
    if not config.tie_embeddings:
        out["lm_head.weight"] = take(t, "output.weight")
    for i in range(config.n_layers):
        src, dst = f"blk.{i}.", f"blocks.{i}."
        q_shape = (config.n_heads * config.d_head, config.d_model)
        kv_shape = (config.n_kv_heads * config.d_head, config.d_model)
        out[f"{dst}attn.q.weight"] = take_shaped(t, f"{src}attn_q.weight", q_shape)
        out[f"{dst}attn.k.weight"] = take_shaped(t, f"{src}attn_k.weight", kv_shape)
        for ours, theirs in LAYER_TENSORS.items():
            out[f"{dst}{ours}.weight"] = take(t, f"{src}{theirs}.weight")
    return out

