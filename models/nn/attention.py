"""One attention module for MHA, GQA and MQA, with masks and positions supplied per run.

The weights never change between variants. A run's AttentionPlan says which keys each query may see,
how positions enter (RoPE tables, ALiBi slopes), the temperature, and how many KV heads to use. The forward
pass uses scaled_dot_product_attention; the maps shown to the user are recomputed from the captured Q and K
by maps.py, which is the textbook softmax(QKᵀ·scale + bias) with masked cells at 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from torch import nn
from torch.nn import functional as F

from models.nn.config import TransformerConfig
from models.nn.masks import visibility
from models.nn.positional import alibi_bias, apply_rope
from models.options import MaskSpec
from models.runtime.capture import LayerCapture

# Upper bound on the elements of one block of attention scores in the masked path (B·H·rows·N), ~128 MB
# of float32; long inputs are processed in query blocks so memory stays linear in N.
SCORE_BLOCK_ELEMENTS = 32 * 1024 * 1024


@dataclass
class AttentionPlan:
    """Everything about a run that attention needs, shared by all layers."""

    n_heads: int
    kv_heads: int  # G, after regrouping
    scale: float  # d_head**-0.5 / temperature
    mask: MaskSpec
    positions: torch.Tensor  # (B, N) position of each token (pads excluded from the count when masked)
    key_is_real: torch.Tensor | None = None  # (B, N) bool; None when the padding mask is off
    rope: tuple[torch.Tensor, torch.Tensor] | None = None  # cos, signed sin: (B, 1, N_new, d)
    alibi_slopes: torch.Tensor | None = None  # (H,)
    query_start: int = 0  # > 0 when only the tail of the sequence is being computed

    def sdpa_causal(self, n_queries: int) -> bool | None:
        """How SDPA can apply this plan's mask to n_queries rows by itself: the is_causal flag to pass, or None
        when it needs a mask matrix.

        SDPA's causal mask is aligned top-left, so rows that start after position 0 need a matrix, except a
        single row (the one token typed, or the last layer's last row), which sees every key there is.
        """
        spec = self.mask
        if self.key_is_real is not None or self.alibi_slopes is not None:
            return None
        if spec.prefix is not None or spec.window is not None or spec.no_self:
            return None
        if not spec.causal or n_queries == 1:
            return False
        return None if self.query_start else True

    def head_group_size(self) -> int:
        return self.n_heads // self.kv_heads


def regroup_kv(x: torch.Tensor, n_heads: int, groups: int) -> torch.Tensor:
    """(B, KV, N, d) -> (B, G, N, d): repeat to one head per query head, then mean-pool G groups.

    Repeating is exact, so G == n_heads reproduces the model; pooling is the GQA paper's MHA→GQA
    conversion. Both are linear, so pooling K here equals pooling the K projection weights.
    """
    kv = x.shape[1]
    if groups == kv:
        return x
    expanded = x.repeat_interleave(n_heads // kv, dim=1)  # (B, H, N, d)
    if groups == n_heads:
        return expanded
    b, h, n, d = expanded.shape
    return expanded.view(b, groups, h // groups, n, d).mean(dim=2)


def kv_groups(n_heads: int, kv_heads: int) -> list[list[int]]:
    """Which query heads share each KV head: kv_groups(9, 3) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]."""
    size = n_heads // kv_heads
    return [list(range(g * size, (g + 1) * size)) for g in range(kv_heads)]


class Attention(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.n_heads, self.n_kv_heads, self.d_head = config.n_heads, config.n_kv_heads, config.d_head
        # Q, K and V read the same input: one fused projection, one GEMM (see fusion.py).
        width = (config.n_heads + 2 * config.n_kv_heads) * config.d_head
        self.qkv = nn.Linear(config.d_model, width, bias=config.qkv_bias)
        self.o = nn.Linear(config.n_heads * config.d_head, config.d_model, bias=config.out_bias)

    def forward(
        self, x: torch.Tensor, plan: AttentionPlan, capture: LayerCapture, outputs_from: int | None = 0
    ) -> torch.Tensor | None:
        """x: (B, n, D) for the positions plan.query_start.. ; earlier positions come from the capture.

        Q, K and V of all n positions go into the capture (they are what the maps are drawn from); the output
        (B, n - outputs_from, D) is computed only for rows outputs_from.. , and not at all when it is None.
        """
        b, n, _ = x.shape
        h, kv, groups = self.n_heads, self.n_kv_heads, plan.kv_heads
        qkv = self.qkv(x).view(b, n, h + 2 * kv, self.d_head).transpose(1, 2)  # (B, H+2KV, n, d)
        slot = capture.extend(plan.query_start, n, h, groups, like=qkv)  # (B, H+2G, n, d) in the run's buffer
        qk, v = qkv.split([h + kv, kv], dim=1)
        if groups == kv:  # the model's own grouping: queries and keys go straight into the buffer
            if plan.rope is not None:
                apply_rope(qk, *plan.rope, out=slot[:, : h + kv])  # queries and keys rotate alike: one pass
            else:
                slot[:, : h + kv] = qk
            slot[:, h + kv :] = v
        else:
            if plan.rope is not None:
                qk = apply_rope(qk, *plan.rope)
            q, k = qk.split([h, kv], dim=1)  # (B, H, n, d), (B, KV, n, d)
            slot[:, :h] = q
            slot[:, h : h + groups] = regroup_kv(k, h, groups)
            slot[:, h + groups :] = regroup_kv(v, h, groups)
        if outputs_from is None:
            return None
        if outputs_from:  # a tail of the rows: attention sees them as positions further along
            plan = replace(plan, query_start=plan.query_start + outputs_from)
        rows = n - outputs_from
        out = attend(slot[:, :h, outputs_from:], capture.k, capture.v, plan)  # (B, H, rows, d) against all keys
        return self.o(out.transpose(1, 2).reshape(b, rows, h * self.d_head))


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, plan: AttentionPlan) -> torch.Tensor:
    """Attention output (B, H, Nq, d) for q (B, H, Nq, d) and k, v (B, G, Nk, d)."""
    gqa = plan.kv_heads != plan.n_heads
    causal = plan.sdpa_causal(q.shape[2])
    if causal is not None:
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=plan.scale, enable_gqa=gqa)

    b, h, n_q, _ = q.shape
    n_k = k.shape[2]
    out = torch.empty_like(q)
    block = max(1, min(n_q, SCORE_BLOCK_ELEMENTS // (b * h * n_k)))
    for start in range(0, n_q, block):
        rows = slice(start, min(start + block, n_q))
        bias, has_key = score_bias(plan, rows, n_k, q.device)  # (B, H|1, R, Nk), (B, 1, R, 1)
        part = F.scaled_dot_product_attention(q[:, :, rows], k, v, attn_mask=bias, scale=plan.scale, enable_gqa=gqa)
        # A query with no visible key attends to nothing: its output is zero, not an average of values.
        out[:, :, rows] = part.masked_fill(~has_key, 0.0)
    return out


def score_bias(plan: AttentionPlan, rows: slice, n_keys: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """Additive score bias (B, H|1, R, Nk) for query rows, and which rows see any key (B, 1, R, 1).

    Rows that see no key get a bias of 0 everywhere so softmax stays finite; callers zero them afterwards.
    """
    absolute = slice(rows.start + plan.query_start, rows.stop + plan.query_start)
    batch = plan.positions.shape[0]
    biases, has_keys = [], []
    for seq in range(batch):
        real = None if plan.key_is_real is None else plan.key_is_real[seq]
        visible = visibility(plan.mask, n_keys, real, absolute, device)  # (R, Nk)
        has_key = visible.any(dim=-1, keepdim=True)  # (R, 1)
        visible = visible | ~has_key
        if plan.alibi_slopes is not None:
            positions = plan.positions[seq]
            bias = alibi_bias(plan.alibi_slopes, positions[absolute], positions[:n_keys])  # (H, R, Nk)
            bias = bias.masked_fill(~visible, float("-inf"))
        else:
            bias = torch.zeros(visible.shape, device=device).masked_fill(~visible, float("-inf"))[None]
        biases.append(bias)
        has_keys.append(has_key)
    return torch.stack(biases), torch.stack(has_keys)[:, None]
