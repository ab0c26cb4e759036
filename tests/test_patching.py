"""Activation patching and attribution patching on a tiny random llama (issue 25 items 1 and 2).

The references here take another road than the sweeps: every patch is a whole run of its own through Model.run's
hook points (no restart at the layer, no batch), the metric read from Run.logits. The real-model checks against
transformers are in test_patching_transformers.py.
"""

import numpy as np
import pytest
import torch

from models.analysis import attribution_patching, patching
from models.errors import Cancelled
from models.options import RunOptions

CLEAN, CORRUPT = "the cat sat on the mat", "the hat sat on the mat"  # 15 tokens each on the tiny tokenizer
POINTS = {
    "heads": "attn.hook_z",
    "heads_by_position": "attn.hook_z",
    "pattern": "attn.hook_pattern",
    "attn_out": "hook_attn_out",
    "mlp_out": "hook_mlp_out",
    "resid": "hook_resid_pre",
}


@pytest.fixture(scope="module")
def setup(tiny_causal_lm):
    run = tiny_causal_lm.run(CLEAN)
    answer, wrong = run.next_token_ids(2)
    return patching.prepare(tiny_causal_lm, CLEAN, CORRUPT, answer, wrong)


def reference_metric(setup, text, hooks=()):
    logits = setup.model.run(text, hooks=list(hooks), options=setup.options).logits()[-1].astype(np.float64)
    if setup.metric == "prob":
        exp = np.exp(logits - logits.max())
        return exp[setup.answer_id] / exp.sum()
    return logits[setup.answer_id] - logits[setup.wrong_id]


def reference_restored(setup, what, direction, layer, index):
    """One patch as a whole hooked run: the source run's activation captured, written into the target run."""
    source, target = (CLEAN, CORRUPT) if direction == "denoise" else (CORRUPT, CLEAN)
    name = f"blocks.{layer}.{POINTS[what]}"
    saved = torch.from_numpy(setup.model.run(source, capture=[name], options=setup.options).activation(name))

    def write(activation, hook):  # activation: batch first
        activation = activation.clone()
        if what == "heads":
            activation[0, :, index] = saved[:, index]
        elif what == "heads_by_position":
            head, position = index
            activation[0, position, head] = saved[position, head]
        elif what == "pattern":
            activation[0, index] = saved[index]
        else:
            activation[0, index] = saved[index]
        return activation

    m_clean, m_corrupt = reference_metric(setup, CLEAN), reference_metric(setup, CORRUPT)
    return (reference_metric(setup, target, [(name, write)]) - m_corrupt) / (m_clean - m_corrupt)


SWEEPS = [(what, "denoise") for what in POINTS] + [(what, "noise") for what in ("heads", "resid", "pattern")]


@pytest.mark.parametrize(("what", "direction"), SWEEPS)
def test_every_cell_of_a_sweep_is_the_whole_patched_run(setup, what, direction):
    result = patching.sweep(setup, what, direction)
    n, heads = setup.n_tokens, setup.n_heads
    expected_shape = {"resid": (2, n), "attn_out": (2, n), "mlp_out": (2, n), "heads_by_position": (2, heads, n)}
    assert result.restored.shape == expected_shape.get(what, (2, heads))
    assert result.axes[0] == "layer" and result.method == "exact"
    rng = np.random.default_rng(0)
    cells = [tuple(int(rng.integers(size)) for size in result.restored.shape) for _ in range(2)]
    for cell in cells:
        index = cell[1] if len(cell) == 2 else cell[1:]
        expected = reference_restored(setup, what, direction, cell[0], index)
        assert result.restored[cell] == pytest.approx(expected, abs=1e-4), (what, direction, cell)


def test_patching_everything_restores_one_and_nothing_zero(setup):
    for direction in ("denoise", "noise"):
        everything = 1.0 if direction == "denoise" else 0.0
        assert patching.patch(setup, "resid", 0, direction=direction) == pytest.approx(everything, abs=1e-5)
        nothing = 0.0 if direction == "denoise" else 1.0
        assert patching.patch(setup, "resid", 1, positions=[], direction=direction) == pytest.approx(nothing, abs=1e-5)
    # Only the differing position of the residual stream matters at layer 0: the rest are the same tokens.
    assert patching.patch(setup, "resid", 0, positions=setup.differing) == pytest.approx(1.0, abs=1e-5)
    assert setup.differing == [3] and setup.tokens_clean[3] != setup.tokens_corrupt[3]


def test_probability_metric_and_the_json_form(tiny_causal_lm):
    answer = tiny_causal_lm.run(CLEAN).next_token_ids(1)[0]
    setup = patching.prepare(tiny_causal_lm, CLEAN, CORRUPT, answer, metric="prob")
    assert setup.metric_clean == pytest.approx(reference_metric(setup, CLEAN), rel=1e-5)
    result = patching.sweep(setup, "heads")
    # A random model barely prefers its answer: the span is small and restored fractions large, so relative.
    assert result.restored[1, 3] == pytest.approx(reference_restored(setup, "heads", "denoise", 1, 3), rel=1e-4)
    payload = result.to_dict()
    assert payload["metric"] == {"name": "prob", "clean": setup.metric_clean, "corrupt": setup.metric_corrupt}
    assert payload["tokens"]["clean"] == setup.tokens_clean and len(payload["restored"]) == 2
    assert abs(result.ranked(1)[0][2]) == np.abs(result.restored).max()


def test_options_reach_every_patched_run(tiny_causal_lm):
    options = RunOptions(mask="causal,window=8", kv_heads=8)  # two layers reach back 14 tokens
    run = tiny_causal_lm.run(CLEAN, options=options)
    answer, wrong = run.next_token_ids(2)
    setup = patching.prepare(tiny_causal_lm, CLEAN, CORRUPT, answer, wrong, options=options)
    result = patching.sweep(setup, "heads", "noise")
    assert result.restored[0, 5] == pytest.approx(reference_restored(setup, "heads", "noise", 0, 5), abs=1e-4)


def test_progress_counts_every_patch_and_cancels(setup):
    seen = []
    patching.sweep(setup, "heads", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (2 * setup.n_heads, 2 * setup.n_heads) and seen == sorted(seen)

    def cancel(done, total):
        raise Cancelled()

    with pytest.raises(Cancelled):
        patching.sweep(setup, "resid", progress=cancel)


def test_attribution_patching_is_the_gradient_times_the_change(setup):
    """Each cell is the directional derivative of the metric along (a_source − a_target), checked by a central
    difference of whole hooked runs; the agreement's numbers are numpy's."""
    approx = attribution_patching.approximate(setup, "heads")
    layer, head, eps = 1, 2, 1e-2
    name = f"blocks.{layer}.attn.hook_z"
    clean = torch.from_numpy(setup.model.run(CLEAN, capture=[name]).activation(name))
    corrupt = torch.from_numpy(setup.model.run(CORRUPT, capture=[name]).activation(name))

    def moved(step):
        def hook(z, _hook):
            z = z.clone()
            z[0, :, head] += step * (clean[:, head] - corrupt[:, head])
            return z

        return reference_metric(setup, CORRUPT, [(name, hook)])

    derivative = (moved(eps) - moved(-eps)) / (2 * eps)
    span = setup.metric_clean - setup.metric_corrupt
    assert approx.restored[layer, head] == pytest.approx(derivative / span, abs=1e-3 * max(1.0, abs(derivative)))
    exact = patching.sweep(setup, "heads")
    agreement = attribution_patching.agreement(exact, approx)
    assert agreement.correlation == pytest.approx(np.corrcoef(exact.restored.ravel(), approx.restored.ravel())[0, 1])
    gaps = [abs(e - a) for _, _, e, a in agreement.worst]
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[0] == pytest.approx(np.abs(exact.restored - approx.restored).max())
    noise = attribution_patching.approximate(setup, "resid", "noise")
    layer, position, value = noise.ranked(1)[0]  # noising ranks by the change from the clean run: |1 − restored|
    assert abs(1 - value) == np.abs(1 - noise.restored).max() and noise.restored[layer, position] == value
    assert noise.restored.shape == (2, setup.n_tokens) and noise.direction == "noise"
    with pytest.raises(ValueError, match="cannot be compared"):
        attribution_patching.agreement(exact, noise)


def test_bad_input_is_refused_by_name(tiny_causal_lm, setup):
    model = tiny_causal_lm
    with pytest.raises(ValueError, match=r"different token lengths \(15 clean, 16 corrupted\).*clean: \[") as error:
        patching.prepare(model, CLEAN, "the cap sat on the mat", 1, 2)
    assert "'c', 'a', 'p'" in str(error.value)  # both tokenizations are shown
    with pytest.raises(ValueError, match="answer: ' mat' is 3 tokens"):
        patching.prepare(model, CLEAN, CORRUPT, " mat", 2)
    with pytest.raises(ValueError, match="leading space"):
        patching.prepare(model, CLEAN, CORRUPT, 1, " mat")
    with pytest.raises(ValueError, match="same logit_diff"):
        patching.prepare(model, CLEAN, CLEAN, 1, 2)
    with pytest.raises(ValueError, match="needs a wrong answer"):
        patching.prepare(model, CLEAN, CORRUPT, 1)
    with pytest.raises(ValueError, match="metric: 'kl'"):
        patching.prepare(model, CLEAN, CORRUPT, 1, 2, metric="kl")
    with pytest.raises(ValueError, match="what: 'neurons'"):
        patching.sweep(setup, "neurons")
    with pytest.raises(ValueError, match="direction: 'up'"):
        patching.sweep(setup, "heads", "up")
    with pytest.raises(ValueError, match="layer: 2 is not a layer"):
        patching.patch(setup, "resid", 2)
    with pytest.raises(ValueError, match="setup:"):
        attribution_patching.approximate("setup", "heads")


def test_encoders_are_refused_with_what_patching_needs(minilm):
    with pytest.raises(ValueError, match="encoder .*causal language model.*masked-token target"):
        patching.prepare(minilm, "a b", "a c", 1, 2)
