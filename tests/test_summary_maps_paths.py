"""Summary maps' fast path (issue 27): masks.shared_span against the keys every row really sees, block_probabilities
masked only outside them against a textbook softmax, and summaries against a plain numpy block reduction of the
textbook map, for every mask part, padding and ALiBi; a deliberately wrong fold must fail that comparison."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_score_bias import HEADS, LEFT_PADS, SPECS, N, make_plan, textbook_bias
from test_summary_maps import numpy_blocks

from models.nn import masks
from models.nn.masks import shared_span
from models.nn.plan import AttentionPlan
from models.options import MaskSpec
from models.runtime import summary_fold, summary_maps
from models.runtime.maps import block_probabilities, head_views
from models.runtime.summary_maps import block_edges, summarise

D = 8


def textbook_map(q: np.ndarray, k: np.ndarray, scale: float, bias: np.ndarray, visible: np.ndarray) -> np.ndarray:
    """float64 (h, N, N) softmax(q kᵀ · scale + bias) from the definitions; a row that sees no key is all 0."""
    scores = np.einsum("hid,hjd->hij", q.astype(np.float64), k.astype(np.float64)) * scale + bias
    probs = np.zeros_like(scores)
    rows = visible.any(axis=1)
    shifted = np.exp(scores[:, rows] - scores[:, rows].max(axis=-1, keepdims=True))
    probs[:, rows] = shifted / shifted.sum(axis=-1, keepdims=True)
    return probs


def random_case(spec: MaskSpec, padded: bool, alibi: bool, seed: int = 0):
    """A plan over N tokens, random q and k (1, H, N, D) and the textbook map and visibility they make."""
    plan, real, positions = make_plan(spec, padded, alibi)
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(1, HEADS, N, D, generator=generator) * 3  # sharp rows: the block max is not everywhere alike
    k = torch.randn(1, HEADS, N, D, generator=generator) * 3
    bias, visible = textbook_bias(spec, real, positions, plan.alibi_slopes.tolist() if alibi else None)
    full = textbook_map(q[0].numpy(), k[0].numpy(), plan.scale, bias, visible)
    return plan, q, k, full, visible


def every_spec():
    extra = [
        MaskSpec(base="causal", window=5),
        MaskSpec(prefix=6, window=4),
        MaskSpec(base="causal", window=5, no_self=True),
    ]
    return SPECS + extra


@pytest.mark.parametrize("spec", every_spec(), ids=lambda s: s.describe())
def test_shared_span_is_the_keys_every_row_sees(spec):
    """Exactly the keys every row of the block sees (an interval); with no-self, where those are two intervals
    (below and above the rows), the larger one."""
    _, visible = textbook_bias(spec, None, list(range(N)), None)
    for first in range(N):
        for end in range(first + 1, N + 1):
            lo, hi = shared_span(spec, N, first, end)
            seen_by_all = np.flatnonzero(visible[first:end].all(axis=0))
            assert 0 <= lo <= hi <= N
            assert set(range(lo, hi)) <= set(seen_by_all), (first, end)
            runs = np.split(seen_by_all, np.flatnonzero(np.diff(seen_by_all) > 1) + 1) if seen_by_all.size else []
            longest = max((len(run) for run in runs), default=0)
            if spec.no_self:
                assert hi - lo == longest, (first, end)
            else:
                assert len(runs) <= 1 and hi - lo == longest, (first, end)


@pytest.mark.parametrize("alibi", [False, True], ids=["no-alibi", "alibi"])
@pytest.mark.parametrize("padded", [False, True], ids=["no-pads", "left-pads"])
@pytest.mark.parametrize("spec", every_spec(), ids=lambda s: s.describe())
def test_block_probabilities_equal_the_textbook_softmax(spec, padded, alibi):
    plan, q, k, full, visible = random_case(spec, padded, alibi)
    heads = range(1, 3)
    for first, end in [(0, N), (3, 9), (7, 8), (9, N)]:
        lo, hi = masks.key_span(spec, N, first, end)
        probs, visibility = block_probabilities(
            q[0, heads.start : heads.stop],
            k[0, heads.start : heads.stop],
            plan,
            0,
            heads,
            slice(first, end),
            slice(lo, hi),
        )
        np.testing.assert_allclose(probs.numpy(), full[1:3, first:end, lo:hi], atol=2e-6, rtol=1e-5)
        assert np.array_equal(visibility.dense().numpy(), visible[first:end, lo:hi])
        assert np.array_equal(visibility.has_key().numpy(), visible[first:end].any(axis=1))
        assert visible[first:end, :lo].sum() == 0 and visible[first:end, hi:].sum() == 0  # key_span's promise
        if not alibi and spec == MaskSpec(base="causal") and first > 0:  # masked only at the edges (left pads, if any)
            assert visibility.shared == slice(LEFT_PADS if padded else 0, first + 1)
            assert len(visibility.edges) == (end - first > 1) + padded


def test_a_causal_chunk_builds_its_bias_only_for_the_keys_past_its_first_row(monkeypatch):
    plan, q, k, full, _ = random_case(MaskSpec(base="causal"), padded=False, alibi=False)
    widths = []
    real = masks.score_bias

    def recording(plan, seq, rows, keys, heads=None):
        widths.append(keys.stop - keys.start)
        return real(plan, seq, rows, keys, heads)

    monkeypatch.setattr(masks, "score_bias", recording)
    probs, _ = block_probabilities(q[0, :1], k[0, :1], plan, 0, range(1), slice(6, 10), slice(0, 10))
    assert widths == [3]  # keys 7, 8, 9: the only ones some of rows 6..9 do not see
    np.testing.assert_allclose(probs[0].numpy(), full[0, 6:10, :10], atol=2e-6)


def summary_matches(plan, q, k, full, visible, reduce, region, out=(7, 5)):
    """Summarise heads 1 and 2 of the random case and compare each block with numpy's reduction of the textbook
    map (raises AssertionError where they differ)."""
    r0, r1, c0, c1 = region
    rows, cols = block_edges(r0, r1, out[0]), block_edges(c0, c1, out[1])
    values, seen = summarise(q, k, plan, 0, range(1, 3), rows, cols, reduce)
    for head in (1, 2):
        expected, expected_seen = numpy_blocks(full[head], visible, rows, cols, reduce)
        np.testing.assert_array_equal(seen, expected_seen)
        np.testing.assert_allclose(values[head - 1], expected, atol=2e-6, rtol=1e-5)
    mean_values, _ = summarise(q, k, plan, 0, range(1, 3), rows, cols, reduce, mean_heads=True)
    expected, _ = numpy_blocks(full[1:3].mean(axis=0), visible, rows, cols, reduce)
    np.testing.assert_allclose(mean_values[0], expected, atol=2e-6, rtol=1e-5)


@pytest.mark.parametrize("reduce", ["max", "mean"])
@pytest.mark.parametrize("alibi", [False, True], ids=["no-alibi", "alibi"])
@pytest.mark.parametrize("padded", [False, True], ids=["no-pads", "left-pads"])
@pytest.mark.parametrize("spec", every_spec(), ids=lambda s: s.describe())
def test_summaries_equal_numpy_block_reductions_of_the_textbook_map(monkeypatch, spec, padded, alibi, reduce):
    """Every mask part, padding and ALiBi; chunks of 2 rows (row blocks span chunks), whole maps and regions."""
    monkeypatch.setattr(summary_maps, "CHUNK_ELEMENTS", 2 * 2 * N)
    plan, q, k, full, visible = random_case(spec, padded, alibi)
    summary_matches(plan, q, k, full, visible, reduce, (0, N, 0, N))
    summary_matches(plan, q, k, full, visible, reduce, (2, 11, 1, 10), out=(3, 9))  # a region: exact key blocks


@pytest.mark.parametrize("reduce", ["max", "mean"])
def test_a_chunk_split_over_threads_folds_the_same(monkeypatch, reduce):
    monkeypatch.setattr(summary_fold, "SPLIT_FROM", 1)
    monkeypatch.setattr(summary_fold.torch, "get_num_threads", lambda: 3)
    split_rows = []
    real = summary_fold._reduce_blocks

    def recording(probs, row_bounds, col_edges, reduce):
        split_rows.append((int(row_bounds[0]), int(row_bounds[-1])))
        return real(probs, row_bounds, col_edges, reduce)

    monkeypatch.setattr(summary_fold, "_reduce_blocks", recording)
    plan, q, k, full, visible = random_case(MaskSpec(base="causal", window=5), padded=True, alibi=False)
    summary_matches(plan, q, k, full, visible, reduce, (0, N, 0, N), out=(6, 5))
    assert (0, 4) in split_rows and (4, 8) in split_rows  # one chunk's six row blocks, two per thread


@pytest.mark.parametrize("reduce", ["max", "mean"])
def test_a_fold_off_by_one_key_fails_the_comparison(monkeypatch, reduce):
    """The reference catches a subtle fold bug: every key block boundary moved one key to the right."""
    plan, q, k, full, visible = random_case(MaskSpec(base="causal"), padded=False, alibi=False, seed=3)
    summary_matches(plan, q, k, full, visible, reduce, (0, N, 0, N))
    real = summary_fold._reduce_blocks

    def shifted(probs, row_bounds, col_edges, reduce):
        edges = col_edges.copy()
        edges[1:-1] += 1
        return real(probs, row_bounds, edges, reduce)

    monkeypatch.setattr(summary_fold, "_reduce_blocks", shifted)
    with pytest.raises(AssertionError):
        summary_matches(plan, q, k, full, visible, reduce, (0, N, 0, N))


def test_a_windowed_layers_chunks_are_a_window_tall_so_their_band_is_mostly_visible():
    plan, *_ = random_case(MaskSpec(base="causal", window=512), padded=False, alibi=False)
    assert summary_maps.chunk_rows(plan, 32768, 1) == 512  # not the 1,808 rows the chunk budget alone allows
    assert masks.key_span(plan.mask, 32768, 1000, 1512) == (489, 1512)  # 1,023 keys: under 2 W
    assert shared_span(plan.mask, 32768, 1000, 1512) == (1000, 1001)
    assert shared_span(plan.mask, 32768, 1000, 1256) == (744, 1001)  # shorter chunks share more keys


@pytest.mark.parametrize("scale", [1 / 16, 1 / 8, 128**-0.5, 0.3])
def test_block_probabilities_are_the_textbook_order_of_operations_to_the_bit(scale):
    """matmul, then scale, then bias, then softmax: a power-of-two scale is applied to the queries instead (exact),
    and the keys every row sees get no bias added (adding 0 is exact); the result is the same to the last bit."""
    generator = torch.Generator().manual_seed(1)
    n, d = 300, 256
    q = torch.randn(1, 2, n, d, generator=generator) * 2  # (B, H, N, d): head size 256, as Gemma 3
    k = torch.randn(1, 1, n, d, generator=generator) * 2  # one KV head for both
    plan = AttentionPlan(
        n_heads=2, kv_heads=1, scale=scale, mask=MaskSpec(base="causal"), positions=torch.arange(n)[None]
    )
    q_sel, k_sel = head_views(q, k, plan, 0, range(2))
    rows, keys = slice(100, 164), slice(0, 164)
    probs, visibility = block_probabilities(q_sel, k_sel, plan, 0, range(2), rows, keys)
    assert visibility.shared == slice(0, 101)  # the fast path: masked only past row 100
    scores = torch.matmul(q_sel[:, rows], k_sel[:, keys].transpose(-1, -2))  # (2, 64, 164)
    scores.mul_(scale)
    bias, _ = masks.score_bias(plan, 0, rows, keys)
    assert torch.equal(probs, torch.softmax(scores + bias, dim=-1))
