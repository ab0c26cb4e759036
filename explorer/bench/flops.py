"""How much arithmetic a forward pass of ours must do: the numerator of the benchmark's floor.

`tests/test_bench.py` checks the matrix-product part against torch's own FLOP counter on real runs.
"""

from __future__ import annotations

from models.nn.config import GATED_MLPS, TransformerConfig


def model_flops(config: TransformerConfig, n: int) -> float:
    """FLOPs our forward pass must do for one sequence of n tokens: matrix products plus attention."""
    return projection_flops(config, n) + attention_flops(config, n)


def projection_flops(config: TransformerConfig, n: int) -> float:
    """FLOPs of the forward pass's matrix products (two per multiply-add).

    Every layer projects Q, K and V for every token (the maps are drawn from them). The output projection and
    the MLP run for every token in all layers but the last; there only the last position's row is computed,
    since its final hidden state is all the LM head reads, and an encoder, having no head, needs none of that
    layer's output. The LM head itself runs for the last position only.
    """
    d, h, kv = config.d_head, config.n_heads, config.n_kv_heads
    mlp_matrices = 3 if config.mlp in GATED_MLPS else 2  # SwiGLU and GeGLU: gate, up and down
    qkv = config.d_model * (h + 2 * kv) * d  # multiply-adds per token
    after_attention = h * d * config.d_model + mlp_matrices * config.d_model * config.d_mlp
    last_rows = 1 if config.causal else 0
    head = config.d_model * config.vocab_size if config.causal else 0
    per_sequence = (config.n_layers - 1) * n * (qkv + after_attention) + n * qkv + last_rows * after_attention
    return 2 * (per_sequence + head)


def attention_flops(config: TransformerConfig, n: int) -> float:
    """FLOPs of QKᵀ and AV over the visible pairs (half the square for a causal model, a band for a sliding-window
    layer), in every layer but the last, where a causal model attends from the last position only (to the keys
    of its window, if that layer has one) and an encoder not at all."""
    per_pair = 2 * 2 * config.d_head * config.n_heads  # two products, two FLOPs per multiply-add
    last = config.n_layers - 1
    last_window = config.layer_window(last)
    last_layer_pairs = (n if last_window is None else min(n, last_window)) if config.causal else 0
    pairs = sum(visible_pairs(config, layer, n) for layer in range(last))
    return per_pair * (pairs + last_layer_pairs)


def visible_pairs(config: TransformerConfig, layer: int, n: int) -> float:
    """(query, key) pairs one layer's mask lets through for n tokens: a causal layer with a window of W sees
    min(i + 1, W) keys at query i (Gemma 3's local layers, Mistral's every layer)."""
    if not config.causal:
        return n * n
    window = config.layer_window(layer)
    if window is None or window >= n:
        return n * (n + 1) / 2
    return window * (window + 1) / 2 + (n - window) * window


def floor_ms(config: TransformerConfig, n: int, gflops: float) -> float:
    """The fastest a forward pass of n tokens could be at `gflops` GFLOP/s, in milliseconds."""
    return model_flops(config, n) / (gflops * 1e9) * 1000
