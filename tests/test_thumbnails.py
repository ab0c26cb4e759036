"""The overview's thumbnails: sampled rows, key mass summed into bins, and which bins the mask hides entirely,
checked against plain loops; and compute_overview hands the window that visibility with the thumbnails."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.thumbnails import bin_keys, bin_visible, sample_rows
from explorer.gui.tools.maps.compute import compute_overview


def reference_bins(n: int, size: int) -> list[range]:
    edges = np.linspace(0, n, size + 1).round().astype(int)
    return [range(edges[b], edges[b + 1]) for b in range(size)]


@given(n=st.integers(1, 80), size=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_a_bin_is_visible_when_any_of_its_keys_is(n, size, seed):
    visible = np.random.default_rng(seed).random((3, n)) < 0.3
    got = bin_visible(visible, size)
    if n <= size:
        assert np.array_equal(got, visible)
        return
    expected = np.array([[any(row[k] for k in keys) for keys in reference_bins(n, size)] for row in visible])
    assert np.array_equal(got, expected)
    weights = np.where(visible, 1.0, 0.0)
    assert np.array_equal(bin_keys(weights, size) > 0, got), "grey exactly where a bin holds no visible key"


class CausalRun:
    """The few things compute_overview asks of a run, for a causal map of n tokens (rows uniform over the
    keys they see)."""

    n_layers, n_heads = 2, 3

    def __init__(self, n: int):
        self.tokens = [[f"t{i}" for i in range(n)]]
        self.mask = np.tril(np.ones((n, n), dtype=bool))

    def visible(self, seq=0, layer=None, rows=None):
        return self.mask if rows is None else self.mask[rows]

    def attention_rows(self, layer, head, rows, seq=0):
        return self.mask[rows] / self.mask[rows].sum(axis=1, keepdims=True)


def run_overview(run, size):
    job = compute_overview(run, 0, size, run_id=1, job_id=2)
    try:
        while True:
            next(job)
    except StopIteration as done:
        return done.value


def test_compute_overview_names_the_masked_bins():
    run = CausalRun(100)
    result = run_overview(run, 8)
    rows = sample_rows(100, 8)
    expected = np.array([[keys.start <= row for keys in reference_bins(100, 8)] for row in rows])
    assert np.array_equal(result.visible, expected)
    assert result.thumbnails.shape == (2, 3, 8, 8)
    np.testing.assert_allclose(result.thumbnails.sum(axis=-1), 1.0, atol=1e-6)
    assert np.all(result.thumbnails[:, :, ~expected] == 0), "a hidden bin holds no attention"
