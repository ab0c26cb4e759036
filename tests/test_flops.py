"""The benchmark floor's arithmetic (explorer/bench/flops.py) against hand counts: Gemma 3 270M's shape at
2,048 tokens, and the visible pairs of every layer counted cell by cell from the engine's own mask rule."""

from __future__ import annotations

import pytest

from explorer.bench.flops import attention_flops, model_flops, projection_flops
from models.nn.config import TransformerConfig
from models.nn.masks import visibility
from models.options import MaskSpec


def gemma_270m_shape(**changes) -> TransformerConfig:
    """Gemma 3 270M's shape: 18 layers of 640, 4 query heads on 1 KV head of 256, GeGLU of 2,048, window 512 in
    every layer but 5, 11 and 17, a 262,144-token vocabulary."""
    fields = dict(
        norm="rms", norm_placement="sandwich", mlp="geglu", positional="rope", sliding_window=512, qk_norm=True,
        local_layers=tuple(i for i in range(18) if i not in (5, 11, 17)), scale_embeddings=True,
        tie_embeddings=True,
    )  # fmt: skip
    fields.update(changes)
    return TransformerConfig("gemma3", 640, 18, 4, 1, 256, 2048, 262_144, 32_768, **fields)


def test_gemma_270m_at_2048_tokens_by_hand():
    n = 2048
    qkv = 640 * (4 + 2 * 1) * 256  # multiply-adds per token and layer: 983,040
    o, mlp = 4 * 256 * 640, 3 * 640 * 2048  # output projection; GeGLU's gate, up and down
    head = 640 * 262_144  # the logits of the last token only
    # Every layer projects Q, K and V for all 2,048 tokens; all but the last run o and the MLP for all of them,
    # the last for its last row alone.
    assert projection_flops(gemma_270m_shape(), n) == 2 * (18 * n * qkv + 17 * n * (o + mlp) + (o + mlp) + head)
    global_pairs = n * (n + 1) // 2  # layers 5 and 11: each query sees itself and every earlier key
    local_pairs = 512 * 513 // 2 + (n - 512) * 512  # 15 local layers: at most 512 keys per query
    last_pairs = n  # layer 17 (global): the last row against every key
    per_pair = 2 * 2 * 4 * 256  # QKᵀ and AV, 4 heads of 256, two FLOPs per multiply-add
    expected = per_pair * (2 * global_pairs + 15 * local_pairs + last_pairs)
    assert attention_flops(gemma_270m_shape(), n) == expected
    assert model_flops(gemma_270m_shape(), n) == projection_flops(gemma_270m_shape(), n) + expected


def counted_pairs(config: TransformerConfig, n: int) -> int:
    """Visible (query, key) pairs of a forward pass, cell by cell from masks.visibility: every row in all layers
    but the last, the last row alone there."""
    total = 0
    for layer in range(config.n_layers):
        spec = MaskSpec(base="causal", window=config.layer_window(layer))
        rows = slice(0, n) if layer < config.n_layers - 1 else slice(n - 1, n)
        total += int(visibility(spec, n, rows=rows).sum())
    return total


@pytest.mark.parametrize("last_local", [False, True])
@pytest.mark.parametrize("n", [3, 7, 20])
def test_visible_pairs_are_those_the_mask_lets_through(n, last_local):
    # A local last layer (not Gemma 270M's, but any model whose layer count is not a multiple of 6) attends from
    # its last row to its window only: n keys would overcount it.
    local = (0, 2) if last_local else (0, 1)
    config = TransformerConfig(
        "tiny", 16, 3, 2, 1, 8, 32, 50, 64, norm="rms", mlp="geglu", positional="rope", sliding_window=4,
        local_layers=local,
    )  # fmt: skip
    assert attention_flops(config, n) == 2 * 2 * 2 * 8 * counted_pairs(config, n)
