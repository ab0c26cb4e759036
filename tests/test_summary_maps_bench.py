"""The long-context benchmark (issue 27 item 4): its floor counts only the pairs each layer's mask lets through,
its head switch computes what the window draws at 1,600 pixels, and its report holds the figures and budgets."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from explorer.bench import long_context
from explorer.bench.flops import visible_pairs
from explorer.core import summary_pixels


@pytest.mark.parametrize("window, local", [(None, None), (5, (0,)), (40, (0, 1))])
def test_visible_pairs_count_the_masks_cells(tiny_causal_lm, window, local):
    config = replace(tiny_causal_lm.config, sliding_window=window, local_layers=local)
    n = 23
    for layer in range(config.n_layers):
        rows, cols = np.indices((n, n))
        visible = cols <= rows
        if window is not None and layer in local:
            visible &= rows - cols < window
        assert visible_pairs(config, layer, n) == visible.sum()


def test_a_long_measure_times_our_side_and_reports_its_figures(tiny_causal_lm, monkeypatch):
    monkeypatch.setattr(long_context, "SWITCH_PIXELS", 64)
    monkeypatch.setattr(long_context, "peak_rss", lambda *args: 123.0)  # a subprocess of its own, tested in test_bench
    monkeypatch.setattr(summary_pixels, "EXACT_UP_TO", 100)
    monkeypatch.setattr(long_context, "needs_summary", summary_pixels.needs_summary)
    result = long_context.measure_long(tiny_causal_lm, None, 300, 5, 2, lambda message: None)
    assert result.rounds == 1 and result.hf_ms is None and result.parity_max_abs is None
    assert result.summarised and set(result.switch_ms) == {"global"} and result.switch_ms["global"] > 0
    # floor_ms and forward_ms are reported to 0.1 ms and the fraction to 0.001, each from the unrounded times: on a
    # tiny model (a floor under 1 ms) the rounded times bound the fraction, they do not give it to 1 %.
    low = (result.floor_ms - 0.05) / (result.forward_ms + 0.05)
    high = (result.floor_ms + 0.05) / (result.forward_ms - 0.05)
    assert low - 0.0005 <= result.floor_fraction <= high + 0.0005
    run = tiny_causal_lm.run_ids([long_context.bench_ids(tiny_causal_lm, 300)])
    assert result.retained_mb == pytest.approx(run.retained_bytes / 1024**2, abs=0.1)
    values, pixels, rows, cols = long_context.switch_to_pixels(run, 1, 2)
    assert values.shape == (64, 64) and rows[-1] == 300  # block summaries, not the 300 × 300 map
    text = long_context.render_long(tiny_causal_lm, "cpu", [result], as_json=False)
    assert "| 300 | 1 |" in text and "block summaries" in text and "123" in text
