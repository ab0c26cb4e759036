"""attention.attend's masked path in many query blocks (a sliding window's are W / 4 rows, at least 64) against
the textbook softmax(QKᵀ·scale + mask)·V with a mask written out cell by cell here, and its bias built once per
block shape."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.nn import attention
from models.nn.plan import AttentionPlan
from models.options import MaskSpec

H, G, D = 4, 2, 8


def textbook(q, k, v, spec: MaskSpec, scale: float, query_start: int, real: np.ndarray | None) -> torch.Tensor:
    """(1, H, Nq, D): every row's softmax over the keys the rule below lets it see, zero where it sees none."""
    n_q, n_k = q.shape[2], k.shape[2]
    i = np.arange(query_start, query_start + n_q)[:, None]
    j = np.arange(n_k)[None, :]
    visible = np.ones((n_q, n_k), dtype=bool)
    if spec.base == "causal":
        visible &= j <= i
    if spec.window is not None:
        visible &= np.abs(i - j) < spec.window
    if spec.no_self:
        visible &= i != j
    if real is not None:
        visible &= real[None, :]
    keys, values = k.repeat_interleave(H // G, dim=1), v.repeat_interleave(H // G, dim=1)  # (1, H, Nk, D)
    scores = (q.double() @ keys.double().transpose(-1, -2)) * scale  # (1, H, Nq, Nk)
    scores = scores.masked_fill(torch.from_numpy(~visible), float("-inf"))
    probs = torch.softmax(scores, dim=-1).nan_to_num(0.0)  # a row without a visible key: all -inf, NaN -> 0
    return (probs @ values.double()).float()


CASES = {
    "causal window": (MaskSpec(base="causal", window=8), 0, None),
    "bidirectional window": (MaskSpec(base="bidirectional", window=8), 0, None),
    "window, no self": (MaskSpec(base="causal", window=8, no_self=True), 0, None),
    "window after a reused prefix": (MaskSpec(base="causal", window=8), 37, None),
    "window with left padding": (MaskSpec(base="causal", window=8), 0, 70),
}


@pytest.mark.parametrize("case", list(CASES))
def test_many_window_blocks_equal_the_textbook_attention(case):
    spec, query_start, pads = CASES[case]
    n = 300  # blocks of 64 rows (the least a window's block has): 5 of them, the last one short
    torch.manual_seed(3)
    q = torch.randn(1, H, n - query_start, D)
    k, v = torch.randn(1, G, n, D), torch.randn(1, G, n, D)
    real = None if pads is None else np.arange(n) >= pads
    plan = AttentionPlan(
        n_heads=H, kv_heads=G, scale=D**-0.5, mask=spec, positions=torch.arange(n)[None], query_start=query_start,
        key_is_real=None if real is None else torch.from_numpy(real)[None],
    )  # fmt: skip
    assert attention.query_block_rows(spec, H, n - query_start, n) == 64
    ours = attention.attend(q, k, v, plan)
    expected = textbook(q, k, v, spec, D**-0.5, query_start, real)
    assert (ours - expected).abs().max() <= 1e-5
    if pads is not None:  # rows that see only pads attend to nothing; every later row to something
        assert ours[0, :, :pads].abs().max() == 0.0 and ours[0, :, pads:].abs().amax(dim=-1).min() > 0.0


def test_a_window_of_512_runs_in_blocks_of_128_rows_and_no_window_in_blocks_that_fit_the_score_budget():
    # Gemma 3's local layers: each block of 128 rows computes 639 keys, 1.25 times the band it needs.
    assert attention.query_block_rows(MaskSpec(base="causal", window=512), 4, 2048, 2048) == 128
    assert attention.query_block_rows(MaskSpec(base="causal", window=512), 4, 100, 2048) == 100
    rows = attention.query_block_rows(MaskSpec(base="causal", no_self=True), 4, 32768, 32768)
    assert rows == attention.SCORE_BLOCK_ELEMENTS // (4 * 32768) == 256


def test_a_bands_bias_is_built_once_per_block_shape(monkeypatch):
    built = []
    real_batch_bias = attention.batch_bias

    def counting(plan, rows, keys):
        built.append((rows, keys))
        return real_batch_bias(plan, rows, keys)

    monkeypatch.setattr(attention, "batch_bias", counting)
    spec, n, window = MaskSpec(base="causal", window=64), 640, 64
    torch.manual_seed(4)
    q, k, v = torch.randn(1, H, n, D), torch.randn(1, G, n, D), torch.randn(1, G, n, D)
    plan = AttentionPlan(n_heads=H, kv_heads=G, scale=D**-0.5, mask=spec, positions=torch.arange(n)[None])
    ours = attention.attend(q, k, v, plan)
    # Ten blocks of 64 rows: the first sees its own 64 keys, every later one the 63 before it too.
    assert [(r.start, r.stop, kk.start, kk.stop) for r, kk in built] == [(0, 64, 0, 64), (64, 128, 1, 128)]
    assert (ours - textbook(q, k, v, spec, D**-0.5, 0, None)).abs().max() <= 1e-5
    assert attention.query_block_rows(spec, H, n, n) == attention.MIN_WINDOW_BLOCK_ROWS == window


def test_qk_norm_over_all_heads_at_once_is_each_heads_rmsnorm():
    from models.nn.attention import Attention
    from models.nn.config import TransformerConfig

    config = TransformerConfig("tiny", 16, 1, H, 1, D, 32, 50, 64, norm="rms", qk_norm=True, norm_eps=1e-6)
    attn = Attention(config)
    torch.manual_seed(5)
    with torch.no_grad():
        attn.q_norm.weight.normal_(1.0, 0.5)
        attn.k_norm.weight.normal_(1.0, 0.5)
        qkv = (torch.randn(2, 9, H + 2, D) * 3).transpose(1, 2)  # (B, H+2KV, n, d): the fused projection's heads
        qk = qkv[:, : H + 1]  # strided, as the forward pass gives it
        x = qk.double()
        expected = torch.cat(  # the textbook RMSNorm of each head, queries' weight then keys'
            (
                x[:, :H] * torch.rsqrt(x[:, :H].pow(2).mean(-1, keepdim=True) + 1e-6) * attn.q_norm.weight.double(),
                x[:, H:] * torch.rsqrt(x[:, H:].pow(2).mean(-1, keepdim=True) + 1e-6) * attn.k_norm.weight.double(),
            ),
            dim=1,
        )
        assert (attn.normed(qk).double() - expected).abs().max() <= 1e-5
        modules = torch.cat((attn.q_norm(qk[:, :H]), attn.k_norm(qk[:, H:])), dim=1)
        assert (attn.normed(qk) - modules).abs().max() <= 1e-6
