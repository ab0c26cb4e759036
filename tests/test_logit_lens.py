"""The logit lens: each layer's residual stream at the last real token, read through the final norm and LM head."""

import pytest
import torch
from builders import write_hf_model

import models

SENTENCE = "The capital of France is Paris, and the capital of Germany is"


def test_the_last_layers_lens_is_next_tokens_exactly(smollm):
    run = smollm.run(SENTENCE)
    lens = run.logit_lens(k=5)
    assert len(lens) == run.n_layers == 30 and all(len(layer) == 5 for layer in lens)
    assert lens[-1] == run.next_tokens(5)
    assert lens[-1][0][0] == " Berlin"
    assert run.logit_lens(k=3, position=len(run.ids[0]) - 1) == run.logit_lens(3)


def test_the_last_layers_lens_is_next_tokens_in_a_padded_batch_with_a_knockout(smollm):
    run = smollm.run([SENTENCE, "One two three"], ablate=[(4, 4)])
    for seq in (0, 1):
        assert run.logit_lens(4, seq=seq)[-1] == run.next_tokens(4, seq=seq)


def test_the_lens_agrees_with_transformers_hidden_states(tmp_path):
    """transformers' hidden_states[l + 1] is the stream after block l (the last one already normed)."""
    hf = write_hf_model(tmp_path / "llama", "llama", num_hidden_layers=3)
    model = models.load(str(tmp_path / "llama"), device="cpu")
    run = model.run(SENTENCE)
    with torch.no_grad():
        states = hf(torch.tensor(run.ids), output_hidden_states=True).hidden_states
        for layer, ours in enumerate(run.logit_lens(k=3)):
            stream = states[layer + 1][0, -1]
            normed = stream if layer == 2 else hf.model.norm(stream)
            probs = torch.softmax(hf.lm_head(normed), dim=-1)
            expected = probs.topk(3)
            assert [p for _, p in ours] == pytest.approx(expected.values.tolist(), abs=1e-5)
            labels = [model.tokenizer.label_after(run.ids[0], int(i)) for i in expected.indices]
            assert [label for label, _ in ours] == labels


def test_the_lens_is_for_causal_lms_at_the_kept_position_only(smollm, minilm):
    with pytest.raises(ValueError, match="^logit lens: .*encoder"):
        minilm.run(SENTENCE).logit_lens()
    run = smollm.run(SENTENCE)
    for bad in [0, 3, len(run.ids[0]), -2, 1.5, True]:
        with pytest.raises(ValueError, match="^position: "):
            run.logit_lens(position=bad)
    for bad in [0, -1, 2.0, True]:
        with pytest.raises(ValueError, match="^logit lens: k="):
            run.logit_lens(k=bad)
    with pytest.raises(ValueError, match="^seq: "):
        run.logit_lens(seq=1)


def test_a_run_keeps_only_one_position_per_layer_for_the_lens(smollm):
    short, long = smollm.run("Hello"), smollm.run(SENTENCE * 8)
    kept = 30 * smollm.config.d_model * 4  # (L, D) float32 per sequence
    assert short._residuals.numel() * 4 == kept == long._residuals.numel() * 4


def test_the_lens_survives_prefix_reuse(smollm):
    first = smollm.run(SENTENCE)
    grown = smollm.run(SENTENCE + " a", reuse=first)
    assert grown.timings.reused_tokens > 0
    fresh = smollm.run(SENTENCE + " a")
    for ours, theirs in zip(grown.logit_lens(3), fresh.logit_lens(3)):
        assert [t for t, _ in ours] == [t for t, _ in theirs]
        assert [p for _, p in ours] == pytest.approx([p for _, p in theirs], abs=1e-4)
