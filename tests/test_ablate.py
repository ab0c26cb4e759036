"""Head knockout (RunOptions.ablate): its exact semantics on real weights, and transformers as a reference."""

import json

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
from models.options import RunOptions, parse_ablate, resolve

SENTENCE = "The old lighthouse keeper watched the stormy sea every night"


def maps_of(run, seq=0):
    return [run.layer_attention(layer, seq) for layer in range(run.n_layers)]


def logits_of(run):
    return run._last_logits.clone()  # (B, V): what next_tokens reads


# -- the option --------------------------------------------------------------------------------------------------


def test_ablate_is_a_sorted_set_of_pairs_and_round_trips_through_json():
    options = RunOptions(ablate=[[3, 1], (0, 2), (3, 1), (np.int64(1), 0)]).checked()
    assert options.ablate == ((0, 2), (1, 0), (3, 1))
    assert all(type(part) is int for pair in options.ablate for part in pair)
    data = json.loads(json.dumps(options.to_dict()))
    assert data["ablate"] == [[0, 2], [1, 0], [3, 1]]
    assert RunOptions.from_dict(data) == options
    assert RunOptions.from_dict({"ablate": []}) == RunOptions()


@pytest.mark.parametrize(
    "value", ["3:1", [1, 2], [(1,)], [(1, 2, 3)], [(True, 0)], [(-1, 0)], [(1.0, 2)], [("1", "2")], None, 7]
)
def test_a_bad_ablate_is_a_value_error_naming_it(value):
    with pytest.raises(ValueError, match="^ablate: "):
        RunOptions(ablate=value).checked()


def test_parse_ablate_reads_the_command_lines_pairs():
    assert parse_ablate("3:1, 0:2,3:1") == ((0, 2), (3, 1))
    assert parse_ablate("") == () and parse_ablate(None) == () and parse_ablate("  ") == ()
    for bad in ["3", "3:", ":1", "a:b", "1:2:3", "-1:0", "٣:1", "1_0:1", "3:1,,"]:
        with pytest.raises(ValueError, match="^--ablate: "):
            parse_ablate(bad)


def test_heads_the_model_lacks_are_refused_naming_ablate(smollm):
    config = smollm.config  # 30 layers x 9 heads
    assert resolve(RunOptions(ablate=[(29, 8)]), config).ablate == ((29, 8),)
    for pair in [(30, 0), (0, 9)]:
        with pytest.raises(ValueError, match=r"^ablate: .*layers are 0\.\.29 and heads 0\.\.8"):
            smollm.run(SENTENCE, ablate=[pair])


def test_describe_mentions_ablate_only_when_some_head_is_knocked_out(smollm):
    assert "ablate" not in resolve(RunOptions(), smollm.config).describe()
    assert resolve(RunOptions(ablate=[(2, 1)]), smollm.config).describe()["ablate"] == [[2, 1]]


# -- exact semantics ---------------------------------------------------------------------------------------------


def test_an_empty_knockout_is_the_plain_run_bit_for_bit(smollm, minilm):
    for model in (smollm, minilm):
        plain, empty = model.run(SENTENCE), model.run(SENTENCE, ablate=[])
        for ours, theirs in zip(maps_of(plain), maps_of(empty)):
            assert np.array_equal(ours, theirs)
    assert torch.equal(logits_of(smollm.run(SENTENCE)), logits_of(smollm.run(SENTENCE, ablate=())))


@pytest.mark.parametrize("options", [{}, {"mask": "causal,window=3"}, {"kv_heads": 1}, {"temperature": 0.5}])
def test_a_knockout_in_layer_l_leaves_layers_up_to_l_exact_and_changes_the_later_ones(smollm, options):
    layer = 4
    plain = maps_of(smollm.run(SENTENCE, **options))
    knocked = maps_of(smollm.run(SENTENCE, ablate=[(layer, 0), (layer, 5)], **options))
    for index in range(layer + 1):
        assert np.array_equal(plain[index], knocked[index]), index
    for index in range(layer + 1, len(plain)):
        assert np.abs(plain[index] - knocked[index]).max() > 1e-4, index


def test_the_knocked_out_heads_own_maps_and_their_kv_siblings_are_unchanged(smollm):
    run = smollm.run(SENTENCE)
    assert run.kv_groups[0] == [0, 1, 2]  # SmolLM2: 9 query heads share 3 KV heads
    knocked = smollm.run(SENTENCE, ablate=[(6, 1)])
    for head in (0, 1, 2):  # head 1 and the two heads that read the same keys and values
        assert np.array_equal(run.attention(6, head), knocked.attention(6, head))
    assert not np.allclose(run.attention(7, 0), knocked.attention(7, 0), atol=1e-4)


def test_next_tokens_reflect_the_knockout(smollm):
    plain = smollm.run(SENTENCE).next_tokens(5)
    knocked = smollm.run(SENTENCE, ablate=[(layer, head) for layer in range(3) for head in range(9)]).next_tokens(5)
    assert plain != knocked
    changed = max(abs(a - b) for (_, a), (_, b) in zip(plain, knocked))
    assert changed > 1e-3


def test_knocking_out_every_head_of_a_layer_removes_its_attention_from_the_residual_stream(smollm):
    """With all heads of layer 0 out, layer 0 adds only its o-proj bias (none in SmolLM2) to the stream: the same
    as a model whose layer-0 o-proj weight is zero."""
    every = [(0, head) for head in range(9)]
    knocked = logits_of(smollm.run(SENTENCE, ablate=every))
    weight = smollm.module.blocks[0].attn.o.weight
    saved = weight.detach().clone()
    try:
        with torch.no_grad():
            weight.zero_()
        zeroed = logits_of(smollm.run(SENTENCE))
    finally:
        with torch.no_grad():
            weight.copy_(saved)
    assert torch.allclose(knocked, zeroed, atol=1e-5)


def test_a_knockout_composes_with_a_padded_batch(smollm):
    texts = [SENTENCE, "A short one"]
    ablate = [(3, 2), (10, 7)]
    batch = smollm.run(texts, ablate=ablate)
    for seq, text in enumerate(texts):
        alone = smollm.run(text, ablate=ablate)
        assert torch.allclose(logits_of(batch)[seq], logits_of(alone)[0], atol=1e-4)
        assert batch.next_token_ids(3, seq) == alone.next_token_ids(3)


def test_a_knockout_composes_with_alibi_and_a_prefix_mask(smollm):
    for options in ({"pos": "alibi"}, {"mask": "prefix=3"}, {"pos": "none", "kv_heads": 9}):
        plain, knocked = smollm.run(SENTENCE, **options), smollm.run(SENTENCE, ablate=[(2, 4)], **options)
        assert np.array_equal(plain.layer_attention(2), knocked.layer_attention(2))
        assert not torch.equal(logits_of(plain), logits_of(knocked))


# -- prefix reuse ------------------------------------------------------------------------------------------------


def test_reuse_never_takes_a_run_made_with_another_knockout(smollm):
    first = smollm.run(SENTENCE, ablate=[(5, 1)])
    other = smollm.run(SENTENCE + " and", ablate=[(5, 2)], reuse=first)
    assert other.timings.reused_tokens == 0
    fresh = smollm.run(SENTENCE + " and", ablate=[(5, 2)])
    assert torch.equal(logits_of(other), logits_of(fresh))


def test_reuse_takes_a_run_made_with_the_same_knockout_and_agrees_with_a_fresh_run(smollm):
    first = smollm.run(SENTENCE, ablate=[(5, 1), (0, 0)])
    grown = smollm.run(SENTENCE + " and", ablate=[(0, 0), (5, 1)], reuse=first)  # the same set, another order
    assert grown.timings.reused_tokens > 0
    fresh = smollm.run(SENTENCE + " and", ablate=[(5, 1), (0, 0)])
    assert torch.allclose(logits_of(grown), logits_of(fresh), atol=1e-4)
    for layer in (0, 5, 6, 29):
        assert np.allclose(grown.layer_attention(layer), fresh.layer_attention(layer), atol=1e-5)


# -- transformers as an independent reference --------------------------------------------------------------------


def hf_logits_with_heads_zeroed(hf, heads, ids):
    """transformers' last-position logits with the chosen heads zeroed at the input of the output projection."""
    config = hf.config
    n_heads = config.num_attention_heads if hasattr(config, "num_attention_heads") else config.n_head
    width = config.hidden_size // n_heads
    is_gpt2 = config.model_type == "gpt2"
    layers = hf.transformer.h if is_gpt2 else hf.model.layers
    handles = []
    for layer, head in heads:
        projection = layers[layer].attn.c_proj if is_gpt2 else layers[layer].self_attn.o_proj

        def zero_head(module, inputs, head=head):
            merged = inputs[0].clone()  # (B, N, H·d): head h is columns h·d .. (h+1)·d
            merged[..., head * width : (head + 1) * width] = 0.0
            return (merged, *inputs[1:])

        handles.append(projection.register_forward_pre_hook(zero_head))
    try:
        with torch.no_grad():
            return hf(torch.tensor(ids)).logits[0, -1]
    finally:
        for handle in handles:
            handle.remove()


@pytest.mark.parametrize("family", ["gpt2", "llama"])
def test_a_knockout_equals_zeroing_the_heads_at_transformers_output_projection(tmp_path, family):
    hf = write_hf_model(tmp_path / family, family)
    model = models.load(str(tmp_path / family), device="cpu")
    heads = [(0, 1), (1, 3)]  # llama: 8 query heads on 2 KV heads, so heads 1 and 3 share KV with others
    run = model.run(SENTENCE, ablate=heads)
    expected = hf_logits_with_heads_zeroed(hf, heads, run.ids)
    plain = hf_logits_with_heads_zeroed(hf, [], run.ids)
    assert (expected - plain).abs().max() > 1e-3, "the knockout must change transformers' logits"
    assert (logits_of(run)[0] - expected).abs().max() <= 1e-5
