"""Parity with transformers on the real shipped weights: every layer and head within 1e-4."""

import numpy as np
import pytest
import torch
from reference import hf_attentions, worst_difference

TOLERANCE = 1e-4
LOGIT_TOLERANCE = 2e-4  # logits reach ~20; seen 4.7e-5 apart after 30 float32 layers
TEXT = "The quick brown fox jumps over the lazy dog, and the dog does not mind at all."


def test_minilm_matches_transformers_on_every_head(minilm, hf_minilm):
    run = minilm.run(TEXT)
    reference = hf_attentions(hf_minilm, run.ids)
    assert reference.shape == (6, 1, 12, len(run.ids[0]), len(run.ids[0]))
    worst = worst_difference(run, reference)
    print(f"MiniLM worst |Δ| = {worst:.3g}")
    assert worst <= TOLERANCE


def test_smollm_matches_transformers_on_every_head(smollm, hf_smollm):
    run = smollm.run(TEXT)
    reference = hf_attentions(hf_smollm, run.ids)
    assert reference.shape == (30, 1, 9, len(run.ids[0]), len(run.ids[0]))
    worst = worst_difference(run, reference)
    print(f"SmolLM2 worst |Δ| = {worst:.3g}")
    assert worst <= TOLERANCE


def test_minilm_padded_batch_matches_transformers(minilm, hf_minilm):
    texts = ["A short one.", "A noticeably longer sentence that forces the first one to be padded."]
    run = minilm.run(texts)
    reference = hf_attentions(hf_minilm, run.ids, attention_mask=[[int(r) for r in s] for s in run.is_real])
    for seq in range(2):
        rows = np.flatnonzero(run.is_real[seq])
        assert worst_difference(run, reference, seq, rows) <= TOLERANCE


def test_smollm_left_padded_batch_matches_transformers(smollm, hf_smollm):
    texts = ["Hi there.", "The capital of France is a city with many museums."]
    run = smollm.run(texts)
    assert run.is_real[0][0] is False, "causal LMs pad on the left"
    mask = [[int(r) for r in s] for s in run.is_real]
    positions = [list(np.maximum(np.cumsum(m) - 1, 0)) for m in mask]
    reference = hf_attentions(hf_smollm, run.ids, attention_mask=mask, position_ids=positions)
    for seq in range(2):
        rows = np.flatnonzero(run.is_real[seq])
        assert worst_difference(run, reference, seq, rows) <= TOLERANCE


def test_smollm_completes_capital_of_france_with_paris(smollm):
    run = smollm.run("The capital of France is")
    token, probability = run.next_tokens(5)[0]
    assert token == " Paris"
    assert probability > 0.5


@pytest.mark.parametrize(
    "text", ["Hello world", "In 2024, 12345 apples!  x", "<|im_start|>user\nHi<|im_end|>", "猫が座った。"]
)
def test_smollm_tokenizer_matches_transformers_gguf_tokenizer(smollm, hf_smollm_tokenizer, text):
    ours = smollm.run(text).ids[0]
    theirs = hf_smollm_tokenizer(text)["input_ids"]
    assert ours == theirs


def test_smollm_special_tokens_stay_whole(smollm):
    run = smollm.run("<|im_start|>user\nHello<|im_end|>")
    assert run.tokens[0][0] == "<|im_start|>"
    assert run.ids[0][0] == 1
    assert "<|im_end|>" in run.tokens[0]
    assert run.special[0][0] and not run.special[0][1]


def test_minilm_single_text_is_not_padded(minilm):
    run = minilm.run("the cat sat")
    assert run.tokens[0] == ["[CLS]", "the", "cat", "sat", "[SEP]"]
    assert run.attention(0, 0).shape == (5, 5)


def test_smollm_next_token_logits_of_a_padded_batch_match_transformers(smollm, hf_smollm):
    # Only the last position's final hidden state is computed in the last layer: its logits must still be
    # the model's own for every sequence of a left-padded batch.
    texts = ["The capital of France is", "Attention lets every token decide which of the other tokens matter, so"]
    run = smollm.run(texts)
    mask = [[int(r) for r in s] for s in run.is_real]
    positions = [list(np.maximum(np.cumsum(m) - 1, 0)) for m in mask]
    with torch.inference_mode():
        theirs = hf_smollm(
            torch.tensor(run.ids), attention_mask=torch.tensor(mask), position_ids=torch.tensor(positions)
        ).logits[:, -1]  # (B, V)
    ours = run._last_logits  # (B, V)
    assert ours.shape == theirs.shape
    assert (ours - theirs).abs().max() <= LOGIT_TOLERANCE
    for seq in range(2):
        assert run.next_tokens(1, seq)[0][0] == smollm.tokenizer.label(int(theirs[seq].argmax()))
