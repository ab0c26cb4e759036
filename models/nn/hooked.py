"""The forward pass of one block with hook points: what a run with capture= or hooks= takes instead of the plain one.

The same weights and the same order of operations as Block.forward and Attention.forward, written out of place
so that every named activation (hooks.py) can be read and replaced. Scores and patterns are made only in the
layers that ask for them (HookSet.square_layers); every other layer attends with scaled_dot_product_attention as
the plain path does. Q, K and V go into the run's capture after their hooks, so the maps drawn afterwards show
the queries and keys the model used.
"""

from __future__ import annotations

import torch

from models.nn import masks
from models.nn.attention import Attention, attend, regroup_kv
from models.nn.hooks import HookSet
from models.nn.plan import AttentionPlan
from models.nn.positional import apply_rope


def hooked_block(
    block, x: torch.Tensor, plan: AttentionPlan, capture, hooks: HookSet, layer: int, silenced
) -> torch.Tensor:
    """(B, n, D) -> (B, n, D): block `layer` (a blocks.Block) over every row, through its hook points.

    capture: the layer's kv_buffer.LayerCapture."""
    name = f"blocks.{layer}."
    x = hooks(name + "hook_resid_pre", x)
    if block.post_norm:  # BERT, as TransformerLens's BertBlock: the norms come after each residual add
        attn_out = hooks(name + "hook_attn_out", hooked_attention(block.attn, x, plan, capture, hooks, layer, silenced))
        mid = hooks(name + "hook_resid_mid", x + attn_out)
        normed = hooks(name + "ln1.hook_normalized", block.norm1(mid))
        mlp_out = hooks(name + "hook_mlp_out", block.mlp(normed))
        post = hooks(name + "hook_resid_post", normed + mlp_out)
        return hooks(name + "ln2.hook_normalized", block.norm2(post))
    attended = hooked_attention(block.attn, block.norm1(x), plan, capture, hooks, layer, silenced)
    # Sandwich norms (Gemma): hook_attn_out and hook_mlp_out are what joins the residual stream, after the norm.
    attn_out = hooks(name + "hook_attn_out", block.after_attention(attended))
    mid = hooks(name + "hook_resid_mid", x + attn_out)
    mlp_out = hooks(name + "hook_mlp_out", block.after_mlp(block.mlp(block.norm2(mid))))
    return hooks(name + "hook_resid_post", mid + mlp_out)


def hooked_attention(
    attn: Attention,
    x: torch.Tensor,
    plan: AttentionPlan,
    capture,
    hooks: HookSet,
    layer: int,
    silenced: torch.Tensor | None,
) -> torch.Tensor:
    """x: (B, n, D), already normalised where the model does so -> the output projection's output (B, n, D)."""
    b, n, _ = x.shape
    h, kv, groups = attn.n_heads, attn.n_kv_heads, plan.kv_heads
    name = f"blocks.{layer}.attn."
    qkv = attn.qkv(x).view(b, n, h + 2 * kv, attn.d_head).transpose(1, 2)  # (B, H+2KV, n, d)
    qk, v = qkv.split([h + kv, kv], dim=1)
    qk = attn.normed(qk)  # QK-norm where the model has it: before RoPE, so hook_q and hook_k see both applied
    if plan.rope is not None:
        qk = apply_rope(qk, *plan.rope)
    q, k = qk.split([h, kv], dim=1)  # (B, H, n, d), (B, KV, n, d)
    q = _per_head(hooks, name + "hook_q", q)
    k = _per_head(hooks, name + "hook_k", regroup_kv(k, h, groups))  # (B, G, n, d)
    v = _per_head(hooks, name + "hook_v", regroup_kv(v, h, groups))
    slot = capture.extend(plan.query_start, n, h, groups, like=qkv)  # (B, H+2G, n, d)
    slot[:, :h], slot[:, h : h + groups], slot[:, h + groups :] = q, k, v
    if layer in hooks.square_layers:
        z = explicit_attention(q, capture.k, capture.v, plan, hooks, name)
    else:
        z = attend(q, capture.k, capture.v, plan)  # (B, H, n, d)
    if silenced is not None:  # RunOptions.ablate, as Attention.forward does it; hook_z sees the zeros
        z = z.masked_fill(silenced[:, :, None, None], 0.0)
    z = _per_head(hooks, name + "hook_z", z)
    return attn.o(z.transpose(1, 2).reshape(b, n, h * attn.d_head))


def explicit_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, plan: AttentionPlan, hooks: HookSet, name: str
) -> torch.Tensor:
    """softmax(QKᵀ·scale + bias)·V with the scores and the pattern (B, H, n, Nk) through their hooks.

    q: (B, H, n, d) for positions plan.query_start.. ; k, v: (B, G, Nk, d). The order of operations of
    maps.block_probabilities (matmul, scale, bias from masks.score_bias, softmax in float32), so a captured
    pattern is the map the run draws. A row that sees no key attends to nothing: its pattern row is 0.
    """
    b, h, n, _ = q.shape
    n_keys, group = k.shape[2], h // k.shape[1]
    keys = k.repeat_interleave(group, dim=1) if group > 1 else k  # (B, H, Nk, d)
    values = v.repeat_interleave(group, dim=1) if group > 1 else v
    scores = torch.matmul(q.float(), keys.float().transpose(-1, -2)).mul_(plan.scale)  # (B, H, n, Nk)
    rows = slice(plan.query_start, plan.query_start + n)
    biases, has_key = [], []
    for seq in range(b):
        bias, visible = masks.score_bias(plan, seq, rows, slice(0, n_keys))  # (H|1, n, Nk), (n, Nk)
        biases.append(bias.expand(h, n, n_keys))
        has_key.append(visible.any(dim=-1))
    scores = hooks(name + "hook_attn_scores", scores.add_(torch.stack(biases)))
    pattern = torch.softmax(scores, dim=-1).masked_fill(~torch.stack(has_key)[:, None, :, None], 0.0)
    pattern = hooks(name + "hook_pattern", pattern)
    return torch.matmul(pattern, values.float()).to(q.dtype)  # (B, H, n, d)


def _per_head(hooks: HookSet, name: str, x: torch.Tensor) -> torch.Tensor:
    """x (B, heads, n, d) through the hook at `name`, which sees it as TransformerLens does: (B, n, heads, d)."""
    if not hooks.wants(name):
        return x
    return hooks(name, x.transpose(1, 2)).transpose(1, 2)
