"""Maps at any length (issue 27 item 3): block summaries from the cached Q and K, checked against numpy's block
max and mean of the exact full map, exact regions, and chunks that never hold N × N."""

from __future__ import annotations

import numpy as np
import pytest

from models.runtime import summary_maps
from models.runtime.summary_maps import block_edges

TEXT = (
    "Grouped-query attention shares keys and values between heads. The quick brown fox jumps over the lazy dog. "
    "Rotary position embeddings rotate queries and keys by position, so attention maps show which tokens each "
    "token reads from."
)


def numpy_blocks(full: np.ndarray, visible: np.ndarray, row_edges, col_edges, reduce: str):
    """The reference: each block's max or mean over its visible cells, by plain loops over the full map."""
    rows, cols = len(row_edges) - 1, len(col_edges) - 1
    values = np.zeros((rows, cols), dtype=np.float64)
    seen = np.zeros((rows, cols), dtype=bool)
    for r in range(rows):
        for c in range(cols):
            block = (slice(row_edges[r], row_edges[r + 1]), slice(col_edges[c], col_edges[c + 1]))
            cells = full[block][visible[block]]
            if cells.size:
                seen[r, c] = True
                values[r, c] = cells.max() if reduce == "max" else cells.mean()
    return values, seen


@pytest.fixture(scope="module")
def windowed_run(tiny_causal_lm):
    """A causal run with a sliding window, so blocks mix visible and masked cells in both directions."""
    return tiny_causal_lm.run(TEXT, mask="causal,window=9")


def test_block_edges_cover_everything_in_nearly_equal_blocks():
    edges = block_edges(3, 40, 5)
    assert edges[0] == 3 and edges[-1] == 40
    assert set(np.diff(edges)) <= {7, 8}
    assert list(block_edges(0, 4, 10)) == [0, 1, 2, 3, 4]  # never more blocks than cells


@pytest.mark.parametrize("reduce", ["max", "mean"])
@pytest.mark.parametrize("mask", ["causal", "causal,window=9"])
def test_summary_equals_numpy_block_reduction_of_the_full_map(tiny_causal_lm, reduce, mask):
    run = tiny_causal_lm.run(TEXT, mask=mask)
    n = len(run.tokens[0])
    assert n > 30
    full, visible = run.attention_and_visibility(1, 3)
    summary = run.attention_summary(1, 3, rows_out=7, cols_out=5, reduce=reduce)  # uneven blocks: n is not 7·k
    assert len(set(np.diff(summary.row_edges))) == 2 and len(set(np.diff(summary.col_edges))) == 2
    expected, seen = numpy_blocks(full, visible, summary.row_edges, summary.col_edges, reduce)
    np.testing.assert_array_equal(summary.visible, seen)
    assert not summary.visible.all()  # the upper triangle's blocks are masked
    np.testing.assert_allclose(summary.values, expected, atol=1e-6, rtol=1e-5)


def test_mean_and_all_heads_summaries_match_the_layer_maps(windowed_run):
    layer = windowed_run.layer_attention(0)  # (H, N, N)
    visible = windowed_run.visible()
    heads = windowed_run.layer_attention_summary(0, rows_out=6, cols_out=6, reduce="max")
    mean = windowed_run.mean_attention_summary(0, rows_out=6, cols_out=6, reduce="mean")
    for head in range(windowed_run.n_heads):
        expected, _ = numpy_blocks(layer[head], visible, heads.row_edges, heads.col_edges, "max")
        np.testing.assert_allclose(heads.values[head], expected, atol=1e-6)
    expected, _ = numpy_blocks(layer.mean(axis=0), visible, mean.row_edges, mean.col_edges, "mean")
    np.testing.assert_allclose(mean.values, expected, atol=1e-6)


def test_a_region_that_fits_the_pixels_is_the_full_maps_region_exactly(windowed_run):
    full, visible = windowed_run.attention_and_visibility(1, 0)
    region = (10, 25, 4, 19)
    summary = windowed_run.attention_summary(1, 0, rows_out=40, cols_out=40, reduce="mean", region=region)
    assert summary.exact and summary.region == region
    np.testing.assert_array_equal(summary.visible, visible[10:25, 4:19])
    np.testing.assert_allclose(summary.values, full[10:25, 4:19], atol=1e-7)


def test_a_region_larger_than_the_pixels_is_summarised_within_it(windowed_run):
    full, visible = windowed_run.attention_and_visibility(0, 5)
    summary = windowed_run.attention_summary(0, 5, rows_out=4, cols_out=3, reduce="max", region=(5, 30, 2, 20))
    assert summary.region == (5, 30, 2, 20) and summary.values.shape == (4, 3)
    expected, seen = numpy_blocks(full, visible, summary.row_edges, summary.col_edges, "max")
    np.testing.assert_array_equal(summary.visible, seen)
    np.testing.assert_allclose(summary.values, expected, atol=1e-7)


@pytest.mark.parametrize(
    "arguments, named",
    [
        ({"rows_out": 0}, "rows_out"),
        ({"cols_out": 2.5}, "cols_out"),
        ({"reduce": "median"}, "reduce"),
        ({"region": (5, 5, 0, 3)}, "region"),
        ({"region": (0, 3, 0, 10_000)}, "region"),
        ({"region": "all"}, "region"),
    ],
)
def test_bad_requests_are_value_errors_naming_the_argument(windowed_run, arguments, named):
    with pytest.raises(ValueError, match=named):
        windowed_run.attention_summary(0, 0, **arguments)


def test_a_long_summary_never_holds_more_than_one_chunk(tiny_causal_lm, monkeypatch):
    """By construction: every block of probabilities asked for is within CHUNK_ELEMENTS, whatever N is, and the
    result is rows_out × cols_out. Here N = 2,000 with chunks of 20,000 scores (N² = 4,000,000)."""
    monkeypatch.setattr(summary_maps, "CHUNK_ELEMENTS", 12_000)
    sizes = []
    real = summary_maps.block_probabilities

    def recording(q_sel, k_sel, plan, seq, heads, rows, keys):
        probs, visible = real(q_sel, k_sel, plan, seq, heads, rows, keys)
        sizes.append(probs.numel())
        return probs, visible

    monkeypatch.setattr(summary_maps, "block_probabilities", recording)
    ids = (np.arange(1200) % 300 + 3).tolist()
    run = tiny_causal_lm.run_ids([ids])
    summary = run.attention_summary(1, 2, rows_out=64, cols_out=64)
    assert summary.values.shape == (64, 64) and len(sizes) > 50
    assert max(sizes) <= 12_000
    rows = run.attention_rows(1, 2, [0, 599, 1199])  # spot-check three full rows against the blocks they fall in
    for row, index in zip(rows, (0, 599, 1199)):
        r = int(np.searchsorted(summary.row_edges, index, side="right")) - 1
        for c in range(64):
            cells = row[summary.col_edges[c] : summary.col_edges[c + 1]]
            assert summary.values[r, c] >= cells.max() - 1e-7


@pytest.mark.parametrize("reduce", ["max", "mean"])
def test_row_blocks_taller_than_a_chunk_are_folded_across_chunks(windowed_run, monkeypatch, reduce):
    n = len(windowed_run.tokens[0])
    monkeypatch.setattr(summary_maps, "CHUNK_ELEMENTS", 7 * n)  # 7 rows per chunk; row blocks of ceil(n / 3)
    full, visible = windowed_run.attention_and_visibility(1, 6)
    summary = windowed_run.attention_summary(1, 6, rows_out=3, cols_out=4, reduce=reduce, region=(1, n, 0, n))
    assert all(np.diff(summary.row_edges) % 7 != 0)
    expected, seen = numpy_blocks(full, visible, summary.row_edges, summary.col_edges, reduce)
    np.testing.assert_array_equal(summary.visible, seen)
    np.testing.assert_allclose(summary.values, expected, atol=1e-6)


def test_a_windowed_forward_scores_only_each_blocks_band(tiny_causal_lm, monkeypatch):
    """Long context on local layers: the forward pass's masked path asks for the keys a block of rows can see
    (rows + W - 1 of them), not all N, and gives the same result as scoring every key."""
    from models.nn import attention, masks

    ids = (np.arange(600) % 300 + 3).tolist()
    monkeypatch.setattr(attention, "SCORE_BLOCK_ELEMENTS", 8 * 600 * 25)  # blocks of 25 rows
    widths = []
    real = masks.score_bias

    def recording(plan, seq, rows, keys, heads=None):
        widths.append((rows.stop - rows.start, keys.stop - keys.start))
        return real(plan, seq, rows, keys, heads)

    monkeypatch.setattr(masks, "score_bias", recording)
    banded = tiny_causal_lm.run_ids([ids], mask="causal,window=16").next_token_logits()
    assert widths and all(keys <= rows + 15 for rows, keys in widths)
    monkeypatch.setattr(masks, "key_span", lambda spec, n, first, end: (0, n))  # every key, as before
    everything = tiny_causal_lm.run_ids([ids], mask="causal,window=16").next_token_logits()
    np.testing.assert_allclose(banded, everything, atol=1e-4)
