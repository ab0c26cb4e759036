"""model.generate: each step equals a full run of the same ids, at append cost, for any variant; bad input refused."""

import numpy as np
import pytest

import models
from tests.builders import write_hf_model

PROMPT = "The capital of France is"
PROBED = [(0, 0), (7, 4), (18, 2), (29, 8)]  # (layer, head): first, middle and last layers, several KV groups


def full_run_next(model, ids, **options):
    """The reference: a fresh full run of the ids (no reuse) and its most probable next token."""
    full = model.run_ids([ids], **options)
    (token_id,) = full.next_token_ids(1)
    return full, token_id


def test_greedy_generation_equals_repeated_full_runs_and_their_attention(smollm):
    ids = smollm.tokenizer.encode([PROMPT]).ids[0]
    full, expected = full_run_next(smollm, ids)
    steps = 0
    for token, probability, run in smollm.generate(PROMPT, 10):
        ids = [*ids, expected]
        assert run.ids == [ids], f"step {steps}: greedy chose another token than the full run's argmax"
        assert probability == pytest.approx(full.next_tokens(1)[0][1], abs=1e-5)
        assert run.timings.reused_tokens == len(ids) - 1  # the step computed one token: append cost
        full, expected = full_run_next(smollm, ids)  # the full run of the text including the new token
        assert token == full.tokens[0][-1]
        for layer, head in PROBED:
            row = run.attention_rows(layer, head, [len(ids) - 1])[0]
            np.testing.assert_allclose(row, full.attention(layer, head)[-1], atol=1e-5)
            assert row.sum() == pytest.approx(1.0, abs=1e-5)
        steps += 1
    assert steps == 10


def test_the_first_token_and_its_probability_are_the_models_own_prediction(smollm):
    token, probability, _run = next(iter(smollm.generate(PROMPT, 1)))
    (top,) = smollm.run(PROMPT).next_tokens(1)
    assert (token, probability) == (top[0], pytest.approx(top[1], abs=1e-6))
    assert token == " Paris"


def test_seeded_sampling_is_reproducible_and_reports_the_tempered_probability(smollm):
    def sample(seed):
        return [(run.ids[0][-1], p) for _token, p, run in smollm.generate(PROMPT, 6, temperature=1.5, seed=seed)]

    first, again, other = sample(7), sample(7), sample(8)
    assert first == again
    assert [i for i, _ in first] != [i for i, _ in other]
    ids = smollm.tokenizer.encode([PROMPT]).ids[0]
    for token_id, probability in first[:3]:
        logits = smollm.run_ids([ids])._last_logits[0].double().numpy() / 1.5  # softmax(logits / T) in numpy
        tempered = np.exp(logits - logits.max())
        assert probability == pytest.approx(tempered[token_id] / tempered.sum(), rel=1e-4)
        ids = [*ids, token_id]


def test_a_window_mask_applies_to_every_step(smollm):
    ids = smollm.tokenizer.encode([PROMPT]).ids[0]
    for _token, _p, run in smollm.generate(PROMPT, 3, mask="causal,window=4", kv_heads=1):
        _full, expected = full_run_next(smollm, ids, mask="causal,window=4", kv_heads=1)
        ids = [*ids, expected]
        assert run.ids == [ids] and run.options.mask.window == 4 and run.kv_heads == 1
        row = run.attention_rows(5, 3, [len(ids) - 1])[0]
        assert np.all(row[: len(ids) - 4] == 0) and row[-4:].sum() == pytest.approx(1.0, abs=1e-5)
        reference = smollm.run_ids([ids], mask="causal,window=4", kv_heads=1)
        np.testing.assert_allclose(row, reference.attention(5, 3)[-1], atol=1e-5)


def test_generation_stops_after_an_end_of_turn_token(smollm):
    chat = "<|im_start|>user\nSay yes.<|im_end|>\n<|im_start|>assistant\nYes."
    steps = list(smollm.generate(chat, 10))
    assert [step.token for step in steps] == ["<|im_end|>"]


def test_generation_stops_at_the_context_length(tmp_path):
    write_hf_model(tmp_path / "gpt2", "gpt2", n_positions=12)
    model = models.load(str(tmp_path / "gpt2"), device="cpu")
    prompt_length = len(model.tokenizer.encode(["The quick brown fox"]).ids[0])
    steps = list(model.generate("The quick brown fox", 50, temperature=1.0, seed=0))
    assert len(steps) == 12 - prompt_length and len(steps[-1].run.ids[0]) == 12


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (dict(max_new_tokens=0), "max_new_tokens"),
        (dict(max_new_tokens=True), "max_new_tokens"),
        (dict(max_new_tokens=2.5), "max_new_tokens"),
        (dict(temperature=-1.0), "temperature"),
        (dict(temperature=float("nan")), "temperature"),
        (dict(temperature="hot"), "temperature"),
        (dict(temperature=10**400), "temperature"),
        (dict(temperature=0.5, seed=-1), "seed"),
        (dict(seed=1.5), "seed"),
        (dict(text=["two", "texts"]), "text"),
        (dict(text=""), "text"),
        (dict(text="a " * 9000), "text"),  # more than the 8,192-token context: no room to write
        (dict(mask="sideways"), "mask"),
        (dict(kv_heads=4), "kv-heads"),
        (dict(colour="red"), "unknown option"),
        (dict(options=models.RunOptions(), mask="causal"), "options"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(smollm, arguments, named):
    arguments = {"text": PROMPT, "max_new_tokens": 3, **arguments}
    with pytest.raises(ValueError, match=named):
        smollm.generate(arguments.pop("text"), arguments.pop("max_new_tokens"), **arguments)


def test_a_list_of_generated_runs_can_be_read_afterwards(tiny_causal_lm):
    """Each step appends, so no later step rewrites what an earlier run reads, across buffer reallocations too."""
    steps = list(models.runtime.generate.generate_ids(tiny_causal_lm, [5, 9, 13, 2], 40))
    assert len(steps) == 40 and steps[-1].run.timings.reused_tokens == 43  # past the buffers' 32-token headroom
    for step in steps[::3] + steps[-2:]:
        run = step.run
        fresh = tiny_causal_lm.run_ids(run.ids)
        assert run.superseded or run is steps[-1].run
        for layer in range(run.n_layers):
            assert np.abs(run.layer_attention(layer) - fresh.layer_attention(layer)).max() <= 1e-5
        assert np.abs(run.next_token_logits() - fresh.next_token_logits()).max() <= 1e-4
        assert run.tokens == fresh.tokens


def test_an_encoder_cannot_generate(minilm):
    with pytest.raises(ValueError, match="model: .*encoder"):
        minilm.generate(PROMPT, 3)
