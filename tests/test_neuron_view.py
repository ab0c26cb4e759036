"""The neuron view: one query's q, each key's k, their products, dot products, scaled scores, bias and softmax,
checked against the engine's own hook_attn_scores and hook_pattern for that query (issue 28)."""

from __future__ import annotations

import numpy as np
import pytest

from models.analysis import query_key_terms

IDS = [[5, 9, 3, 7, 2, 11, 4, 8, 6, 10, 12, 3]]
LAYER = 1


def engine_rows(model, options: dict, head: int, query: int):
    names = [f"blocks.{LAYER}.attn.hook_attn_scores", f"blocks.{LAYER}.attn.hook_pattern"]
    run = model.run_ids(IDS, capture=names, **options)
    return run.activation(names[0])[head, query], run.activation(names[1])[head, query]


@pytest.mark.parametrize("options", [{}, {"pos": "alibi"}, {"kv_heads": 1}, {"temperature": 0.5}])
def test_every_number_equals_the_engines_scores_and_pattern(tiny_causal_lm, options):
    """A plain run (no capture) gives the view; a run that captures the scores and the pattern checks it. The tiny
    llama is GQA (8 query heads on 2 KV heads); ALiBi adds a per-head bias; kv_heads=1 regroups to MQA."""
    plain = tiny_causal_lm.run_ids(IDS, **options)
    for head in (0, 3, 7):
        for query in (0, 5, 11):
            view = query_key_terms(plain, LAYER, head, query)
            scores, pattern = engine_rows(tiny_causal_lm, options, head, query)
            shown = np.isfinite(scores)
            assert (np.isfinite(view.scores) == shown).all() and (view.visible == shown).all()
            np.testing.assert_allclose(view.scores[shown], scores[shown], rtol=0, atol=1e-5)
            np.testing.assert_allclose(view.probabilities, pattern, rtol=0, atol=1e-5)
            # The terms add up: the products sum to the dots, the dots times the scale plus the bias are the scores.
            np.testing.assert_allclose(view.products.sum(axis=1), view.dots, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(view.scaled, view.dots * view.scale, rtol=1e-6)
            assert view.scale == pytest.approx(tiny_causal_lm.config.d_head**-0.5 / options.get("temperature", 1.0))
            assert view.keys.shape == (len(IDS[0]), tiny_causal_lm.config.d_head)
    if options.get("pos") == "alibi":
        assert np.ptp(view.bias[view.visible]) > 0  # the bias is not zero: ALiBi's distance penalty is in it
    else:
        assert (view.bias[view.visible] == 0).all()


def test_gqa_heads_read_their_kv_groups_key(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS, capture=[f"blocks.{LAYER}.attn.hook_k"])
    keys = run.activation(f"blocks.{LAYER}.attn.hook_k")  # (N, G, d)
    for head, group in ((0, 0), (3, 0), (4, 1), (7, 1)):
        view = query_key_terms(run, LAYER, head, 2)
        assert view.kv_head == group
        np.testing.assert_array_equal(view.keys, keys[:, group])


def test_bad_arguments_are_named(tiny_causal_lm):
    run = tiny_causal_lm.run_ids(IDS)
    with pytest.raises(ValueError, match="head: 8 is out of range"):
        query_key_terms(run, LAYER, 8, 0)
    with pytest.raises(ValueError, match="layer: -1 is out of range"):
        query_key_terms(run, -1, 0, 0)
    with pytest.raises(ValueError, match="query: 12 is out of range"):
        query_key_terms(run, LAYER, 0, 12)
    with pytest.raises(ValueError, match="run: "):
        query_key_terms("a text", LAYER, 0, 0)
    assert query_key_terms(run, LAYER, 0, -1).query == 11  # -1: the last token


def test_smollm2_gqa_nine_heads_on_three(smollm):
    text = "The Eiffel Tower is in the city of Paris"
    run = smollm.run(text, capture=["blocks.5.attn.hook_q", "blocks.5.attn.hook_k"])  # read, not re-run
    assert (run.n_heads, run.kv_heads) == (9, 3)
    names = ["blocks.5.attn.hook_attn_scores", "blocks.5.attn.hook_pattern"]
    captured = smollm.run(text, capture=names)
    for head in (0, 4, 8):
        view = query_key_terms(run, 5, head, -1)
        assert view.kv_head == head // 3
        np.testing.assert_allclose(view.scores, captured.activation(names[0])[head, -1], rtol=0, atol=1e-5)
        np.testing.assert_allclose(view.probabilities, captured.activation(names[1])[head, -1], rtol=0, atol=1e-5)


def test_a_padded_bidirectional_batch_reads_only_the_real_tokens(tmp_path):
    """A tiny BERT (post-norm, bidirectional, learned positions) on two texts of different lengths: the shorter one
    is padded, and its view covers its real tokens only, equal to the engine's scores and pattern there."""
    from builders import write_hf_model

    import models

    write_hf_model(tmp_path / "bert", "bert")
    model = models.load(str(tmp_path / "bert"), device="cpu")
    names = ["blocks.1.attn.hook_attn_scores", "blocks.1.attn.hook_pattern"]
    run = model.run_ids([[5, 9, 3, 7, 2, 11], [4, 8, 6]], capture=names)
    for seq in (0, 1):
        real = np.flatnonzero(run.is_real[seq])
        view = query_key_terms(run, 1, 2, 1, seq)
        assert len(view.tokens) == len(real) == (6, 3)[seq] and view.visible.all()
        np.testing.assert_allclose(view.scores, run.activation(names[0], seq)[2, real[1]][real], atol=1e-5)
        np.testing.assert_allclose(view.probabilities, run.activation(names[1], seq)[2, real[1]][real], atol=1e-5)
