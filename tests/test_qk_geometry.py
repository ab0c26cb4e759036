"""Query–key geometry (AttentionViz): the normalisation leaves the head's attention unchanged, PCA is
scikit-learn's (and the SVD's) of the normalised vectors, and what a projection cannot do is refused by name."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from models.analysis import head_geometry
from models.analysis.head_vectors import head_vectors
from models.analysis.qk_geometry import normalise, project

IDS = [[5, 9, 3, 7, 2, 11, 4, 8, 6, 10, 12, 3, 9, 14, 1, 6]]
N = len(IDS[0])
LAYER = 1


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("options", [{}, {"pos": "alibi"}])
def test_the_normalisation_leaves_the_heads_attention_unchanged(tiny_causal_lm, options):
    names = [f"blocks.{LAYER}.attn.hook_q", f"blocks.{LAYER}.attn.hook_k", f"blocks.{LAYER}.attn.hook_attn_scores"]
    run = tiny_causal_lm.run_ids(IDS, capture=names, **options)
    scores = run.activation(names[2])  # (H, N, N), -inf where masked
    for head in range(run.n_heads):
        vectors = head_vectors(run, LAYER, head)
        q, k = vectors.queries.astype(np.float64), vectors.keys.astype(np.float64)
        bias = scores[head] - vectors.scale * (q @ k.T)  # the mask (-inf above the diagonal) and ALiBi's bias
        assert np.isneginf(bias[np.triu_indices(N, 1)]).all()  # the causal mask is applied
        normalised = normalise(q, k)
        attention = softmax_rows(vectors.scale * normalised.queries @ normalised.keys.T + bias)
        np.testing.assert_allclose(attention, run.attention(LAYER, head), rtol=0, atol=1e-5)
        # ...and the normalisation did something: the centroids coincide (before the inverse scaling, which moves
        # them apart by c²), the mean norms match.
        c = normalised.factor
        np.testing.assert_allclose(normalised.queries.mean(axis=0) / c, normalised.keys.mean(axis=0) * c, atol=1e-9)
        norms = [np.linalg.norm(x, axis=1).mean() for x in (normalised.queries, normalised.keys)]
        assert norms[0] == pytest.approx(norms[1], rel=1e-9)
        assert np.abs(normalised.keys - k).max() > 1e-3


def test_pca_is_scikit_learns_pca_of_the_normalised_vectors_up_to_sign(tiny_causal_lm):
    from sklearn.decomposition import PCA

    run = tiny_causal_lm.run_ids(IDS)
    picture = head_geometry(run, LAYER, 2)  # PCA by default
    vectors = head_vectors(run, LAYER, 2)
    normalised = normalise(vectors.queries, vectors.keys)
    points = np.concatenate([normalised.queries, normalised.keys])
    for reference in (
        PCA(n_components=2).fit_transform(points),
        # and the textbook's: the centred points on their two leading right singular vectors
        (points - points.mean(axis=0)) @ np.linalg.svd(points - points.mean(axis=0))[2][:2].T,
    ):
        signs = np.sign((picture.coords * reference).sum(axis=0))
        np.testing.assert_allclose(picture.coords * signs, reference, rtol=0, atol=1e-6)
    assert picture.kinds == ["query"] * N + ["key"] * N
    assert list(picture.positions) == [*range(N), *range(N)]
    assert picture.tokens[:N] == picture.tokens[N:] == run.tokens[0]
    entry = picture.to_dict()["points"][N + 3]
    assert entry["kind"] == "key" and entry["position"] == 3 and entry["token"] == run.tokens[0][3]


def test_tsne_places_every_point_and_refuses_too_few_for_its_perplexity(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS)
    picture = head_geometry(run, LAYER, 0, method="tsne", perplexity=5)
    assert picture.coords.shape == (2 * N, 2) and np.isfinite(picture.coords).all()
    short = tiny_causal_lm.run_ids([IDS[0][:6]])
    with pytest.raises(ValueError, match=r"perplexity: t-SNE needs fewer than the 12 points .* 30"):
        head_geometry(short, LAYER, 0, method="tsne")


def test_umap_not_installed_says_how_to_install_it(tiny_causal_lm, monkeypatch):
    monkeypatch.setitem(sys.modules, "umap", None)  # import umap now raises ImportError
    run = tiny_causal_lm.run_ids(IDS)
    with pytest.raises(ValueError, match="umap-learn package, which is not installed; pip install umap-learn"):
        head_geometry(run, LAYER, 0, method="umap")


def test_bad_arguments_are_named(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS)
    with pytest.raises(ValueError, match="head: 8 is out of range; this model's heads are 0..7"):
        head_geometry(run, LAYER, 8)
    with pytest.raises(ValueError, match="layer: 2 is out of range"):
        head_geometry(run, 2, 0)
    with pytest.raises(ValueError, match="method: 'lda' is not one of pca, tsne, umap"):
        head_geometry(run, LAYER, 0, method="lda")
    with pytest.raises(ValueError, match="perplexity: -1 must be a positive number"):
        project(np.zeros((8, 4)), "tsne", perplexity=-1)


@pytest.mark.slow  # umap-learn compiles its numba kernels on first use: seconds, even from its cache
def test_umap_places_every_point(tiny_causal_lm):
    picture = head_geometry(tiny_causal_lm.run_ids(IDS), LAYER, 0, method="umap", neighbours=5)
    assert picture.coords.shape == (2 * N, 2) and np.isfinite(picture.coords).all()
    assert np.ptp(picture.coords, axis=0).min() > 0
