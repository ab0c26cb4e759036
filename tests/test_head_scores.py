"""Head scores: each definition on hand-made maps, and every score against plain numpy on real weights."""

import math

import numpy as np
import pytest

from models.analysis import SCORE_NAMES, head_scores, repeated_random
from models.analysis.scores import HeadScores, score_maps

pytestmark = pytest.mark.slow

# -- a plain numpy reference, written from the table one query at a time -------------------------------


def reference_scores(maps, visible, ids, real, special) -> np.ndarray:
    """(S, H): the definitions literally, over (H, N, N) maps; positions count from the first real token."""
    n_heads, n, _ = maps.shape
    first = real.index(True)
    found = {name: [] for name in SCORE_NAMES}
    for i in range(n):
        if not real[i] or not visible[i].any():
            continue
        row = maps[:, i, :].astype(np.float64)  # (H, N)
        if i > first:
            found["previous_token"].append(row[:, i - 1])
            found["first_token"].append(row[:, first])
        found["self"].append(row[:, i])
        matches = [k for k in range(1, n) if visible[i, k] and real[k - 1] and ids[k - 1] == ids[i] and k - 1 < i]
        if matches:
            found["prefix_matching"].append(row[:, matches].sum(axis=1))
        found["special_tokens"].append(row[:, np.asarray(special, dtype=bool)].sum(axis=1))
        positive = np.where(row > 0, row, 1.0)
        found["entropy"].append(-(row * np.log(positive)).sum(axis=1))
        found["mean_distance"].append((row * np.abs(i - np.arange(n))).sum(axis=1))
    return np.array([np.mean(found[name], axis=0) if found[name] else np.full(n_heads, np.nan) for name in SCORE_NAMES])


def check_run(run, seq: int = 0) -> HeadScores:
    scores = head_scores(run, seq)
    visible = run.visible(seq)
    for layer in range(run.n_layers):
        expected = reference_scores(
            run.layer_attention(layer, seq), visible, run.ids[seq], run.is_real[seq], run.special[seq]
        )
        for index, name in enumerate(SCORE_NAMES):
            np.testing.assert_allclose(
                scores[name][layer], expected[index], rtol=1e-4, atol=1e-5, err_msg=f"{name}, layer {layer}"
            )
    return scores


# -- hand-made maps -----------------------------------------------------------------------------------------------

CAUSAL = np.tril(np.ones((4, 4), dtype=bool))
# One head over ids [7, 8, 7, 8]: token 3 (an 8) follows the earlier 7→8, so its prefix match is key 1.
HAND = np.array(
    [
        [1.0, 0.0, 0.0, 0.0],
        [0.25, 0.75, 0.0, 0.0],
        [0.5, 0.25, 0.25, 0.0],
        [0.1, 0.6, 0.2, 0.1],
    ]
)[None]


def test_each_definition_on_a_hand_made_map():
    scores = dict(zip(SCORE_NAMES, score_maps(HAND, CAUSAL, [7, 8, 7, 8], [True] * 4, [True, False, False, False])))
    assert scores["previous_token"][0] == pytest.approx((0.25 + 0.25 + 0.2) / 3)
    assert scores["self"][0] == pytest.approx((1.0 + 0.75 + 0.25 + 0.1) / 4)
    assert scores["first_token"][0] == pytest.approx((0.25 + 0.5 + 0.1) / 3)
    # query 2 (a 7) matches key 1 (after the 7 at 0); query 3 (an 8) matches key 2 (after the 8 at 1)
    assert scores["prefix_matching"][0] == pytest.approx((0.25 + 0.2) / 2)
    assert scores["special_tokens"][0] == pytest.approx((1.0 + 0.25 + 0.5 + 0.1) / 4)
    entropies = [0.0, -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)), -(0.5 * math.log(0.5) + 0.5 * math.log(0.25))]
    entropies.append(-sum(p * math.log(p) for p in (0.1, 0.6, 0.2, 0.1)))
    assert scores["entropy"][0] == pytest.approx(sum(entropies) / 4)
    distances = [0.0, 0.25, 0.5 * 2 + 0.25, 0.1 * 3 + 0.6 * 2 + 0.2]
    assert scores["mean_distance"][0] == pytest.approx(sum(distances) / 4)


def test_a_score_with_no_qualifying_query_is_nan():
    # One token: no i >= 1 and no repeat. Distinct ids: no prefix match.
    alone = dict(zip(SCORE_NAMES, score_maps(np.ones((2, 1, 1)), np.ones((1, 1), bool), [5], [True], [False])))
    for name in ("previous_token", "first_token", "prefix_matching"):
        assert np.isnan(alone[name]).all(), name
    assert alone["self"].tolist() == [1.0, 1.0]
    assert alone["entropy"].tolist() == [0.0, 0.0]
    distinct = dict(zip(SCORE_NAMES, score_maps(HAND, CAUSAL, [1, 2, 3, 4], [True] * 4, [False] * 4)))
    assert np.isnan(distinct["prefix_matching"]).all()
    assert distinct["special_tokens"].tolist() == [0.0]
    assert HeadScores({name: value[None] for name, value in distinct.items()}).to_dict()["prefix_matching"] == [[None]]


def test_pads_and_queries_without_keys_are_skipped_and_positions_start_at_the_first_real_token():
    # Left padding: position 0 is a pad, so "first" is position 1, and query 1 has no i−1.
    # Query 2 sees no key at all (a no-self row that is first among the real keys): it is skipped.
    maps = np.array([[[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0.3, 0.2, 0.5]]], dtype=np.float32)
    visible = np.array([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 1, 1, 1]], dtype=bool)
    scores = dict(zip(SCORE_NAMES, score_maps(maps, visible, [0, 7, 8, 9], [False, True, True, True], [True] * 4)))
    assert scores["previous_token"][0] == pytest.approx(0.2)  # query 3 only
    assert scores["first_token"][0] == pytest.approx(0.3)
    assert scores["self"][0] == pytest.approx((1.0 + 0.5) / 2)
    assert scores["mean_distance"][0] == pytest.approx((0.0 + 0.3 * 2 + 0.2) / 2)


def test_hand_made_maps_agree_with_the_reference_including_keys_after_the_query():
    rng = np.random.default_rng(0)
    n = 12
    visible = np.ones((n, n), dtype=bool)
    visible[:, -2:] = False  # right padding, padding mask on
    visible[3, :] = False  # a query that sees nothing
    maps = rng.random((3, n, n)) * visible
    maps /= np.maximum(maps.sum(-1, keepdims=True), 1e-12)
    ids = rng.integers(0, 4, n).tolist()
    real = [True] * (n - 2) + [False] * 2
    special = [i == 0 for i in range(n)]
    np.testing.assert_allclose(
        score_maps(maps, visible, ids, real, special), reference_scores(maps, visible, ids, real, special), rtol=1e-5
    )


def test_the_core_refuses_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match="maps"):
        score_maps(np.ones((2, 3)), np.ones((2, 3), bool), [1, 2], [True] * 2, [False] * 2)
    with pytest.raises(ValueError, match="visible"):
        score_maps(np.ones((1, 2, 2)), np.ones((3, 3), bool), [1, 2], [True] * 2, [False] * 2)


# -- real weights -----------------------------------------------------------------------------------------------


def test_smollm_scores_match_numpy_on_every_head(smollm):
    scores = check_run(smollm.run("The cat sat on the mat. The cat sat on the"))
    assert scores.shape == (30, 9)
    assert list(scores.to_dict()) == list(SCORE_NAMES)


def test_smollm_padded_batch_and_a_variant_match_numpy(smollm):
    run = smollm.run(["one two three one two three", "A dog"], mask="causal,no-self")  # left padding
    check_run(run, 0)
    check_run(run, 1)


def test_minilm_scores_match_numpy_with_special_tokens_and_right_padding(minilm):
    run = minilm.run(["The cat sat on the mat, the cat sat.", "Short one."])
    scores = check_run(run, 0)
    check_run(run, 1)
    assert scores.shape == (6, 12)
    assert (scores["special_tokens"] > 0).all()  # [CLS] and [SEP] draw attention in every BERT head


def test_head_scores_refuses_a_bad_sequence_index(minilm):
    run = minilm.run("Hello")
    for seq in (1, -1, True, 0.0):
        with pytest.raises(ValueError, match="seq"):
            head_scores(run, seq)


def test_the_induction_probe_finds_induction_heads_and_sinks_on_smollm(smollm):
    probe = repeated_random(smollm, length=50, seed=0)
    scores = head_scores(smollm.run(probe.text))
    assert np.nanmax(scores["prefix_matching"]) > 0.5
    sink = np.nanmean(scores["first_token"], axis=1)  # (L,)
    assert sink[2:].mean() > 4 * sink[:2].mean()
