"""One attention module for MHA, GQA and MQA, with masks and positions supplied per run.

The weights never change between variants. A run's AttentionPlan (plan.py) says which keys each query may
see, how positions enter (RoPE tables, ALiBi slopes), the temperature, and how many KV heads to use. The forward
pass uses scaled_dot_product_attention; the maps shown to the user are recomputed from the captured Q and K by
maps.py, the textbook softmax(QKᵀ·scale + bias). Both take the bias from masks.score_bias.
"""

from __future__ import annotations

from dataclasses import replace

import torch
from torch import nn
from torch.nn import functional as F

from models.nn import masks
from models.nn.config import TransformerConfig
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan
from models.nn.positional import apply_rope
from models.options import MaskSpec

# Upper bound on the elements of one block of attention scores in the masked path (B·H·rows·N), ~128 MB
# of float32; long inputs are processed in query blocks so memory stays linear in N.
SCORE_BLOCK_ELEMENTS = 32 * 1024 * 1024
# A sliding window's query blocks: W / 4 rows (see query_block_rows), never fewer than this, so a small window
# does not turn into thousands of tiny kernel calls.
MIN_WINDOW_BLOCK_ROWS = 64


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
        # QK-norm (Gemma 3): each head's query and key RMS-normalised over its d dims, before RoPE.
        self.q_norm = nn.RMSNorm(config.d_head, eps=config.norm_eps) if config.qk_norm else None
        self.k_norm = nn.RMSNorm(config.d_head, eps=config.norm_eps) if config.qk_norm else None

    def normed(self, qk: torch.Tensor) -> torch.Tensor:
        """(B, H+KV, n, d) queries then keys, through QK-norm where the model has it (else as they are).

        One RMSNorm over all H + KV heads, each head with its own weight (the queries' or the keys'), written
        out: nn.RMSNorm on the strided heads of the fused projection took 2.5-6 times as long, in two calls and a
        cat, for the same values (tests/test_attend_blocks.py compares them).
        """
        if self.q_norm is None:
            return qk
        h, kv, d = self.n_heads, self.n_kv_heads, self.d_head
        weight = torch.cat((self.q_norm.weight.expand(h, d), self.k_norm.weight.expand(kv, d)))  # (H+KV, d)
        mean_square = qk.pow(2).mean(dim=-1, keepdim=True)  # (B, H+KV, n, 1)
        return torch.mul(qk, mean_square.add_(self.q_norm.eps).rsqrt_()).mul_(weight[:, None])

    def forward(
        self,
        x: torch.Tensor,
        plan: AttentionPlan,
        capture: LayerCapture,
        outputs_from: int | None = 0,
        silenced: torch.Tensor | None = None,
    ) -> torch.Tensor | None:
        """x: (B, n, D) for the positions plan.query_start.. ; earlier positions come from the capture.

        Q, K and V of all n positions go into the capture (they are what the maps are drawn from); the output
        (B, n - outputs_from, D) is computed only for rows outputs_from.. , and not at all when it is None.
        silenced: (B|1, H) bool, the heads knocked out in this layer (RunOptions.ablate), or None.
        """
        b, n, _ = x.shape
        h, kv, groups = self.n_heads, self.n_kv_heads, plan.kv_heads
        qkv = self.qkv(x).view(b, n, h + 2 * kv, self.d_head).transpose(1, 2)  # (B, H+2KV, n, d)
        slot = capture.extend(plan.query_start, n, h, groups, like=qkv)  # (B, H+2G, n, d) in the run's buffer
        qk, v = qkv.split([h + kv, kv], dim=1)
        qk = self.normed(qk)
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
        if silenced is not None:
            # Filled rather than multiplied by 0: a knocked-out head contributes exactly nothing, even if its
            # output overflowed (inf·0 is NaN). Its Q, K and V stay captured, so this layer's maps are unchanged.
            out.masked_fill_(silenced[:, :, None, None], 0.0)
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
    block = query_block_rows(plan.mask, b * h, n_q, n_k)
    # A band's bias depends only on where the block's rows sit against its keys, so every full block of a
    # sliding-window layer shares one: built once, not per block (see bias_geometry).
    biases: dict[tuple[int, int, int], tuple[torch.Tensor, torch.Tensor | None]] = {}
    for start in range(0, n_q, block):
        rows = slice(start, min(start + block, n_q))
        # Only the keys these rows' mask can let through (a sliding window's band, a causal row's past): the rest
        # are -inf, so leaving them out changes no probability and saves N / (rows + W) of a local layer's work.
        keys = slice(*masks.key_span(plan.mask, n_k, start + plan.query_start, rows.stop + plan.query_start))
        geometry = bias_geometry(plan, rows, keys)
        found = biases.get(geometry) if geometry is not None else None
        if found is None:
            bias, has_key = batch_bias(plan, rows, keys)  # (B, H|1, R, K), (B, 1, R, 1)
            found = (bias.to(q.dtype), None if bool(has_key.all()) else has_key)
            if geometry is not None:
                biases[geometry] = found
        bias, has_key = found
        part = F.scaled_dot_product_attention(
            q[:, :, rows], k[:, :, keys], v[:, :, keys], attn_mask=bias, scale=plan.scale, enable_gqa=gqa
        )
        # A query with no visible key attends to nothing: its output is zero, not an average of values.
        out[:, :, rows] = part if has_key is None else part.masked_fill(~has_key, 0.0)
    return out


def query_block_rows(spec: MaskSpec, heads: int, n_q: int, n_k: int) -> int:
    """Query rows per block of the masked path: as many as SCORE_BLOCK_ELEMENTS of scores allow against the keys
    a block can see, and for a sliding window of W no more than W / 4 (or MIN_WINDOW_BLOCK_ROWS).

    A block of R rows in a window of W computes R + W - 1 keys per row, of which W at most are visible: with
    R = W / 4 it computes 1.25 times the band, where a single block over N = 2,048 tokens computed 4.5 times it
    (W = 512). Smaller blocks waste less but make more kernel calls: Gemma 3's whole forward pass at 2,048
    tokens took 10 % less time with W / 4 than with W, W / 2 in between, W / 8 no better than W / 4.
    """
    if spec.window is None:
        return max(1, min(n_q, SCORE_BLOCK_ELEMENTS // (heads * n_k)))
    rows = max(MIN_WINDOW_BLOCK_ROWS, spec.window // 4)
    # The keys one block may see at most (masks.key_span): W - 1 before its rows and, unless causal, after them;
    # a prefix-LM's block may also see the whole prefix.
    span = n_k if spec.prefix is not None else min(n_k, rows + (1 if spec.causal else 2) * spec.window)
    return max(1, min(n_q, rows, SCORE_BLOCK_ELEMENTS // (heads * span)))


def bias_geometry(plan: AttentionPlan, rows: slice, keys: slice) -> tuple[int, int, int] | None:
    """What a block's bias depends on when the mask is a band alone: the first row's position past the first key,
    and the block's rows and keys. None where it depends on more (padding, ALiBi's positions, a prefix) or when
    blocks seldom repeat (no window: a causal block's keys grow with it)."""
    spec = plan.mask
    if spec.window is None or spec.prefix is not None or plan.key_is_real is not None:
        return None
    if plan.alibi_slopes is not None:
        return None
    return (rows.start + plan.query_start - keys.start, rows.stop - rows.start, keys.stop - keys.start)


def batch_bias(plan: AttentionPlan, rows: slice, keys: slice) -> tuple[torch.Tensor, torch.Tensor]:
    """The score bias (B, H|1, R, K) for this pass's query rows against keys[keys], and which rows see any key
    (B, 1, R, 1).

    rows count from plan.query_start; every sequence's bias comes from masks.score_bias.
    """
    absolute = slice(rows.start + plan.query_start, rows.stop + plan.query_start)
    biases, has_keys = [], []
    for seq in range(plan.positions.shape[0]):
        bias, visible = masks.score_bias(plan, seq, absolute, keys)  # (H|1, R, K), (R, K)
        has_key = visible.any(dim=-1, keepdim=True)  # (R, 1)
        # SDPA would turn a row of -inf into NaN. attend zeroes such a row's output, so any finite bias will do.
        biases.append(bias.masked_fill_(~has_key, 0.0))
        has_keys.append(has_key)
    return torch.stack(biases), torch.stack(has_keys)[:, None]
