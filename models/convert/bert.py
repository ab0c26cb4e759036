"""BERT (and MiniLM-style BERT encoders) from Hugging Face config.json + safetensors."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.convert.tensors import Fields, strip_prefix, take
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig

ACTIVATIONS = {"gelu": "gelu", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh"}


def config_from_hf(hf: dict) -> TransformerConfig:
    f = Fields(hf)
    position_type = f.text("position_embedding_type", "absolute")
    if position_type != "absolute":
        raise UnsupportedArchitectureError(f"bert with position_embedding_type '{position_type}' is not supported")
    activation = f.text("hidden_act", "gelu")
    if activation not in ACTIVATIONS:
        raise UnsupportedArchitectureError(f"bert with hidden_act '{activation}' is not supported")
    d_model, n_heads = f.integer("hidden_size"), f.integer("num_attention_heads")
    vocab_size = f.integer("vocab_size")
    return TransformerConfig(
        architecture="bert",
        d_model=d_model,
        n_layers=f.integer("num_hidden_layers"),
        n_heads=n_heads,
        n_kv_heads=n_heads,
        d_head=f.head_size(d_model, n_heads, "hidden_size", "num_attention_heads"),
        d_mlp=f.integer("intermediate_size"),
        vocab_size=vocab_size,
        n_ctx=f.integer("max_position_embeddings", 512),
        norm="layer",
        norm_eps=f.real("layer_norm_eps", 1e-12),
        norm_placement="post",
        mlp=ACTIVATIONS[activation],
        positional="learned",
        causal=False,
        n_token_types=f.integer("type_vocab_size", 2, low=0),
        qkv_bias=True,
        out_bias=True,
        mlp_bias=True,
        pad_token_id=f.token_id("pad_token_id", vocab_size),
        padding_side="right",
    )


def convert(checkpoint: Mapping[str, torch.Tensor], config: TransformerConfig) -> dict[str, torch.Tensor]:
    t = strip_prefix(checkpoint, ("bert.",))
    out = {
        "embed.tokens.weight": take(t, "embeddings.word_embeddings.weight"),
        "embed.positions.weight": take(t, "embeddings.position_embeddings.weight"),
        "embed.token_types.weight": take(t, "embeddings.token_type_embeddings.weight"),
        "embed.norm.weight": take(t, "embeddings.LayerNorm.weight"),
        "embed.norm.bias": take(t, "embeddings.LayerNorm.bias"),
    }
    for i in range(config.n_layers):
        src, dst = f"encoder.layer.{i}.", f"blocks.{i}."
        pairs = {
            "attn.q": "attention.self.query",
            "attn.k": "attention.self.key",
            "attn.v": "attention.self.value",
            "attn.o": "attention.output.dense",
            "norm1": "attention.output.LayerNorm",
            "mlp.up": "intermediate.dense",
            "mlp.down": "output.dense",
            "norm2": "output.LayerNorm",
        }
        for ours, theirs in pairs.items():
            for kind in ("weight", "bias"):
                out[f"{dst}{ours}.{kind}"] = take(t, f"{src}{theirs}.{kind}")
    return out
