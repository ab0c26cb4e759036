"""GPT-2 from Hugging Face config.json + safetensors."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import Fields, strip_prefix, take
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig

ACTIVATIONS = {"gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh", "gelu": "gelu"}


def config_from_hf(hf: dict) -> TransformerConfig:
    f = Fields(hf)
    activation = f.text("activation_function", "gelu_new")
    if activation not in ACTIVATIONS:
        raise UnsupportedArchitectureError(f"gpt2 with activation_function '{activation}' is not supported")
    if f.flag("scale_attn_by_inverse_layer_idx", False) or not f.flag("scale_attn_weights", True):
        raise UnsupportedArchitectureError("gpt2 with non-standard attention scaling is not supported")
    d_model, n_heads = f.integer("n_embd"), f.integer("n_head")
    vocab_size = f.integer("vocab_size")
    return TransformerConfig(
        architecture="gpt2",
        d_model=d_model,
        n_layers=f.integer("n_layer"),
        n_heads=n_heads,
        n_kv_heads=n_heads,
        d_head=f.head_size(d_model, n_heads, "n_embd", "n_head"),
        # n_inner: null means 4·n_embd; checked only when present, and 4·n_embd only once n_embd is.
        d_mlp=f.integer("n_inner") if hf.get("n_inner") is not None else 4 * d_model,
        vocab_size=vocab_size,
        n_ctx=f.integer("n_positions", 1024),
        norm="layer",
        norm_eps=f.real("layer_norm_epsilon", 1e-5),
        norm_placement="pre",
        mlp=ACTIVATIONS[activation],
        positional="learned",
        causal=True,
        qkv_bias=True,
        out_bias=True,
        mlp_bias=True,
        tie_embeddings=True,
        pad_token_id=f.token_id("pad_token_id", vocab_size),
        padding_side="left",
    )


def convert(checkpoint: Mapping[str, torch.Tensor], config: TransformerConfig) -> dict[str, torch.Tensor]:
    t = strip_prefix(checkpoint, ("transformer.",))
    out = {
        "embed.tokens.weight": take(t, "wte.weight"),
        "embed.positions.weight": take(t, "wpe.weight"),
        "final_norm.weight": take(t, "ln_f.weight"),
        "final_norm.bias": take(t, "ln_f.bias"),
    }
    for i in range(config.n_layers):
        src, dst = f"h.{i}.", f"blocks.{i}."
        # GPT-2 stores Conv1D weights as (in, out); nn.Linear wants (out, in).
        qkv_weight = take(t, f"{src}attn.c_attn.weight").T  # (3D, D)
        qkv_bias = take(t, f"{src}attn.c_attn.bias")  # (3D,)
        for name, weight, bias in zip("qkv", qkv_weight.chunk(3, dim=0), qkv_bias.chunk(3, dim=0)):
            out[f"{dst}attn.{name}.weight"] = weight.contiguous()
            out[f"{dst}attn.{name}.bias"] = bias.contiguous()
        for ours, theirs in {"attn.o": "attn.c_proj", "mlp.up": "mlp.c_fc", "mlp.down": "mlp.c_proj"}.items():
            out[f"{dst}{ours}.weight"] = take(t, f"{src}{theirs}.weight").T.contiguous()
            out[f"{dst}{ours}.bias"] = take(t, f"{src}{theirs}.bias")
        for ours, theirs in {"norm1": "ln_1", "norm2": "ln_2"}.items():
            out[f"{dst}{ours}.weight"] = take(t, f"{src}{theirs}.weight")
            out[f"{dst}{ours}.bias"] = take(t, f"{src}{theirs}.bias")
    return out
