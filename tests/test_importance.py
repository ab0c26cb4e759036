"""Head importance: every head's score equals a knockout run's, on tiny random models and on SmolLM2."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
from models.analysis.importance import head_importance
from models.errors import Cancelled
from models.options import RunOptions

TEXT = "The quick brown fox reads attention maps with grouped keys"


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    folder = tmp_path_factory.mktemp("llama")
    write_hf_model(folder, "llama")  # 2 layers, 8 query heads on 2 KV heads
    return models.load(str(folder), device="cpu")


def logprob(run, token):
    return float(torch.log_softmax(run._last_logits[0].double(), dim=-1)[token])


@pytest.mark.parametrize("options", [None, RunOptions(mask="causal,window=3", kv_heads=8), RunOptions(ablate=[(1, 2)])])
def test_every_score_is_the_change_a_knockout_run_makes(tiny_llama, options):
    result = head_importance(tiny_llama, TEXT, options=options)
    options = options or RunOptions()
    plain = tiny_llama.run(TEXT, options=options)
    assert result.target_id == plain.next_token_ids(1)[0]  # the model's own top next token by default
    assert result.baseline_logprob == pytest.approx(logprob(plain, result.target_id), abs=1e-6)
    assert result.scores.shape == (2, 8)
    for layer in range(2):
        for head in range(8):
            ablate = set(options.ablate) | {(layer, head)}
            knocked = tiny_llama.run(TEXT, options=replace(options, ablate=tuple(ablate)))
            expected = logprob(knocked, result.target_id) - logprob(plain, result.target_id)
            assert result.scores[layer, head] == pytest.approx(expected, abs=1e-5), (layer, head)
    if options.ablate:
        assert result.scores[1, 2] == 0.0  # already knocked out by the options
    assert np.abs(result.scores).max() > 1e-3


def test_a_target_is_an_id_or_one_tokens_text(tiny_llama):
    run = tiny_llama.run(TEXT)
    second = run.next_token_ids(2)[1]
    by_id = head_importance(tiny_llama, TEXT, target=second)
    assert by_id.target_id == second
    piece = tiny_llama.tokenizer.backend.decode([second])
    if tiny_llama.tokenizer.backend.encode(piece, add_special_tokens=False).ids == [second]:
        assert head_importance(tiny_llama, TEXT, target=piece).target_id == second
    for bad in ["the quick brown fox jumps", "", -1, 10**9, 1.0, True, [3]]:
        with pytest.raises(ValueError, match="^target: "):
            head_importance(tiny_llama, TEXT, target=bad)


def test_progress_reports_each_head_and_cancels_by_raising(tiny_llama):
    seen = []
    head_importance(tiny_llama, TEXT, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 16) for i in range(1, 17)]

    def cancel_after_three(done, total):
        if done == 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        head_importance(tiny_llama, TEXT, progress=cancel_after_three)


def test_encoders_and_bad_arguments_are_refused(minilm, tiny_llama):
    with pytest.raises(ValueError, match="^model: .*encoder"):
        head_importance(minilm, TEXT)
    with pytest.raises(ValueError, match="^model: "):
        head_importance("smollm2", TEXT)
    with pytest.raises(ValueError, match="^text: "):
        head_importance(tiny_llama, [TEXT])
    with pytest.raises(ValueError, match="^progress: "):
        head_importance(tiny_llama, TEXT, progress=3)
    with pytest.raises(ValueError, match="^options: "):
        head_importance(tiny_llama, TEXT, options={"mask": "causal"})
    with pytest.raises(ValueError, match="^ablate: "):
        head_importance(tiny_llama, TEXT, options=RunOptions(ablate=[(2, 0)]))


def test_smollm2_heads_that_matter_agree_with_knockout_runs(smollm):
    """On real weights, the layer-by-layer restart from the cached residual stream gives the knockout's effect."""
    text = "The capital of France is Paris, and the capital of Germany is"
    seen = []
    result = head_importance(smollm, text, progress=lambda done, total: seen.append(total))
    assert result.target.strip() == "Berlin" and result.scores.shape == (30, 9) and seen[-1] == 270
    plain = smollm.run(text)
    for layer, head, change in result.most_important(2) + [(29, 8, result.scores[29, 8])]:
        knocked = smollm.run(text, ablate=[(layer, head)])
        expected = logprob(knocked, result.target_id) - logprob(plain, result.target_id)
        assert change == pytest.approx(expected, abs=1e-4)
    assert result.most_important(1)[0][2] < -0.05  # some head matters
    data = result.to_dict()
    assert len(data["importance"]) == 30 and data["target_id"] == result.target_id
