"""Query–key geometry pooled over many texts: the pooled normalisation leaves each text's attention unchanged,
PCA is scikit-learn's of the sampled normalised vectors, the sample is seeded and of the stated size, and bad
input is refused by name."""

from __future__ import annotations

import numpy as np
import pytest

from models.analysis.corpus_reading import read_corpus
from models.analysis.head_vectors import head_vectors
from models.analysis.qk_pooled import pooled_geometry

TEXTS = ["the cat sat on the mat", "a dog ran after the ball in the park", "one two three four five six", "hello"]
LAYER, HEAD = 1, 5


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def test_the_pooled_normalisation_leaves_each_texts_attention_unchanged(tiny_causal_lm):
    picture = pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=10_000)  # every vector kept
    ids = np.array(picture.text_ids)
    kinds = np.array(picture.kinds)
    n_queries = int((kinds == "query").sum())
    assert picture.n_texts == 4 and len(picture.kinds) == picture.n_vectors
    for number, text in enumerate(TEXTS, start=1):
        run = tiny_causal_lm.run(text)
        mine_q = np.flatnonzero((ids == str(number)) & (kinds == "query"))
        mine_k = np.flatnonzero((ids == str(number)) & (kinds == "key")) - n_queries
        q = picture.normalised.queries[mine_q][np.argsort(picture.positions[mine_q])]  # (N, d)
        k = picture.normalised.keys[mine_k][np.argsort(picture.positions[mine_k + n_queries])]  # (N, d)
        n = len(q)
        assert n == len(k) == sum(run.is_real[0])
        scale = head_vectors(run, LAYER, HEAD).scale
        scores = scale * q @ k.T
        scores[np.triu_indices(n, 1)] = -np.inf  # the causal mask
        np.testing.assert_allclose(softmax_rows(scores), run.attention(LAYER, HEAD), rtol=0, atol=1e-5)
    # ...and the normalisation is the pooled set's, computed here from every text run alone: the key shift is the
    # difference of the pooled centroids, c² the ratio of the shifted keys' and the queries' mean norms.
    every = [head_vectors(tiny_causal_lm.run(text), LAYER, HEAD) for text in TEXTS]
    q_all = np.concatenate([v.queries for v in every]).astype(np.float64)
    k_all = np.concatenate([v.keys for v in every]).astype(np.float64)
    shift = q_all.mean(axis=0) - k_all.mean(axis=0)
    c = np.sqrt(np.linalg.norm(k_all + shift, axis=1).mean() / np.linalg.norm(q_all, axis=1).mean())
    np.testing.assert_allclose(picture.normalised.shift, shift, rtol=1e-5, atol=1e-6)
    assert picture.normalised.factor == pytest.approx(c, rel=1e-6)
    from models.analysis.qk_geometry import normalise

    alone = normalise(every[0].queries, every[0].keys)
    assert abs(alone.factor - c) > 1e-6, "one text alone would give another factor"


def test_pooled_pca_is_scikit_learns_of_the_sampled_normalised_vectors(tiny_causal_lm):
    from sklearn.decomposition import PCA

    picture = pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=20, seed=3)
    points = np.concatenate([picture.normalised.queries, picture.normalised.keys])
    reference = PCA(n_components=2).fit_transform(points)
    signs = np.sign((picture.coords * reference).sum(axis=0))
    np.testing.assert_allclose(picture.coords * signs, reference, rtol=0, atol=1e-6)
    # each sampled point's normalised vector is its token's: a query times c, a key shifted and divided by c
    entry = picture.to_dict()["points"][0]
    text = TEXTS[int(entry["text_id"]) - 1]
    vectors = head_vectors(tiny_causal_lm.run(text), LAYER, HEAD)
    np.testing.assert_allclose(picture.normalised.queries[0], vectors.queries[entry["position"]] *
                               picture.normalised.factor, rtol=1e-6, atol=1e-6)  # fmt: skip
    assert entry["token"] == vectors.tokens[entry["position"]] and entry["kind"] == "query"


def test_the_sample_is_seeded_and_of_the_stated_size(tiny_causal_lm):
    total = 2 * sum(sum(tiny_causal_lm.run(text).is_real[0]) for text in TEXTS)
    first = pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=12, seed=7)
    again = pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=12, seed=7)
    other = pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=12, seed=8)
    assert first.kinds == ["query"] * 6 + ["key"] * 6 and first.n_vectors == total
    assert first.sample_text() == f"12 of {total} vectors from 4 texts"
    np.testing.assert_array_equal(first.coords, again.coords)
    assert list(zip(first.text_ids, first.positions)) == list(zip(again.text_ids, again.positions))
    assert list(zip(first.text_ids, first.positions)) != list(zip(other.text_ids, other.positions))
    pairs = list(zip(first.text_ids[:6], first.positions[:6]))
    assert len(set(pairs)) == 6  # without replacement
    sample = first.to_dict()["sample"]
    assert sample == {"points": 12, "vectors": total, "texts": 4, "seed": 7, "text": first.sample_text()}


def test_corpus_texts_keep_their_ids(tiny_causal_lm, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a-1", "text": "the cat sat"}\n{"id": "b-2", "text": "on the mat again"}\n')
    picture = pooled_geometry(tiny_causal_lm, read_corpus(corpus), LAYER, HEAD, points=1000)
    assert set(picture.text_ids) == {"a-1", "b-2"}
    assert all("text_id" in entry for entry in picture.to_dict()["points"])


def test_bad_input_is_named(tiny_causal_lm):
    model = tiny_causal_lm
    with pytest.raises(ValueError, match="texts: .* must be a non-empty list"):
        pooled_geometry(model, [], LAYER, HEAD)
    with pytest.raises(ValueError, match="texts: .* must be a non-empty list"):
        pooled_geometry(model, "one text", LAYER, HEAD)
    with pytest.raises(ValueError, match="texts: item 2 .* is not a non-blank string"):
        pooled_geometry(model, ["fine", "  "], LAYER, HEAD)
    with pytest.raises(ValueError, match="points: 1 must be an integer >= 2"):
        pooled_geometry(model, TEXTS, LAYER, HEAD, points=1)
    with pytest.raises(ValueError, match="layer: 2 is out of range"):
        pooled_geometry(model, TEXTS, 2, HEAD)
    with pytest.raises(ValueError, match="head: 8 is out of range; this model's heads are 0..7"):
        pooled_geometry(model, TEXTS, LAYER, 8)
    with pytest.raises(ValueError, match="method: 'lda' is not one of"):
        pooled_geometry(model, TEXTS, LAYER, HEAD, method="lda")
    with pytest.raises(ValueError, match="model: .* is not a loaded Model"):
        pooled_geometry("smollm", TEXTS, LAYER, HEAD)
    with pytest.raises(ValueError, match=r"perplexity: t-SNE needs fewer than the 4 points"):
        pooled_geometry(model, TEXTS, LAYER, HEAD, method="tsne", points=4)


def test_progress_is_called_per_batch_and_can_cancel(tiny_causal_lm):
    import models
    from models.errors import Cancelled

    calls = []
    pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=8, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(4, 5), (5, 5)], "four short texts run as one batch"
    calls.clear()
    alone = models.RunOptions(padding_mask=False)  # pads attended to: a batch would change the maps, so none
    pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=8, options=alone,
                    progress=lambda d, t: calls.append((d, t)))  # fmt: skip
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]

    def cancel(done, total):
        if done == 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        pooled_geometry(tiny_causal_lm, TEXTS, LAYER, HEAD, points=8, options=alone, progress=cancel)
