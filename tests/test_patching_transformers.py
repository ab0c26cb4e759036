"""Activation patching on SmolLM2 against an independent implementation: transformers with forward hooks (issue 25).

transformers reads the same GGUF file with its own code. A head is patched by replacing its slice of o_proj's
input; the residual stream by replacing a decoder layer's input at a position; a head's pattern by recomputing
the head's output from the source run's attention weights (output_attentions) and the target run's values
(v_proj's output), in o_proj's input. Each restored fraction must agree within 1e-4, in both directions.
"""

import pytest
import torch

from models.analysis import patching
from models.analysis.patching_templates import template_named

IOI = template_named("ioi")
# (what, layer, index): the IOI sweep's strongest heads and some quiet ones, the residual stream at the changed
# name and at the last token, and two patterns.
CELLS = [
    ("heads", 23, 3),
    ("resid", 0, 9),
    ("resid", 16, 13),
    ("pattern", 24, 4),
]


@pytest.fixture(scope="module")
def setup(smollm):
    return patching.prepare(smollm, IOI.clean, IOI.corrupt, IOI.answer, IOI.wrong)


@torch.no_grad()
def hf_run(hf_model, ids, pre_hooks=(), hooks=(), attentions=False):
    """transformers' forward pass with (module, function) pre-hooks and hooks; the output."""
    handles = [module.register_forward_pre_hook(fn, with_kwargs=True) for module, fn in pre_hooks]
    handles += [module.register_forward_hook(fn) for module, fn in hooks]
    try:
        return hf_model(torch.tensor([ids]), output_hidden_states=True, output_attentions=attentions)
    finally:
        for handle in handles:
            handle.remove()


def hf_metric(setup, output) -> float:
    logits = output.logits[0, -1].double()
    return float(logits[setup.answer_id] - logits[setup.wrong_id])


def hf_patched(hf_model, setup, what, layer, index, source_ids, target_ids) -> float:
    """The metric of the target run with one activation of the source run written in, by transformers."""
    block = hf_model.model.layers[layer]
    attention = block.self_attn
    d_head = attention.head_dim
    source = hf_run(hf_model, source_ids, attentions=what == "pattern")
    if what == "resid":
        saved = source.hidden_states[layer][0, index].clone()  # the residual stream entering block `layer`

        def enter(module, args, kwargs):
            hidden = (args[0] if args else kwargs["hidden_states"]).clone()
            hidden[0, index] = saved
            return ((hidden, *args[1:]), kwargs) if args else (args, {**kwargs, "hidden_states": hidden})

        return hf_metric(setup, hf_run(hf_model, target_ids, pre_hooks=[(block, enter)]))
    if what == "heads":
        kept = {}

        def keep(module, args, kwargs):
            kept["z"] = args[0].clone()

        hf_run(hf_model, source_ids, pre_hooks=[(attention.o_proj, keep)])
        columns = slice(index * d_head, (index + 1) * d_head)

        def write(module, args, kwargs):
            z = args[0].clone()
            z[..., columns] = kept["z"][..., columns]
            return (z, *args[1:]), kwargs

        return hf_metric(setup, hf_run(hf_model, target_ids, pre_hooks=[(attention.o_proj, write)]))
    pattern = source.attentions[layer][0, index]  # (N, N): the head's attention weights in the source run
    group = attention.num_key_value_groups
    values = {}

    def keep_values(module, args, output):
        values["v"] = output[0].view(output.shape[1], -1, d_head)  # (N, KV, d)

    def write_pattern(module, args, kwargs):
        z = args[0].clone()
        z[0, :, index * d_head : (index + 1) * d_head] = pattern @ values["v"][:, index // group]
        return (z, *args[1:]), kwargs

    output = hf_run(hf_model, target_ids, [(attention.o_proj, write_pattern)], [(attention.v_proj, keep_values)])
    return hf_metric(setup, output)


@pytest.mark.parametrize("direction", ["denoise", "noise"])
def test_patching_equals_transformers_with_forward_hooks(setup, hf_smollm, direction):
    clean, corrupt = setup.ids_clean, setup.ids_corrupt
    m_clean, m_corrupt = hf_metric(setup, hf_run(hf_smollm, clean)), hf_metric(setup, hf_run(hf_smollm, corrupt))
    assert setup.metric_clean == pytest.approx(m_clean, abs=1e-3) and setup.metric_corrupt == pytest.approx(
        m_corrupt, abs=1e-3
    )
    source, target = (clean, corrupt) if direction == "denoise" else (corrupt, clean)
    for what, layer, index in CELLS:
        theirs = (hf_patched(hf_smollm, setup, what, layer, index, source, target) - m_corrupt) / (m_clean - m_corrupt)
        heads = [index] if what != "resid" else None
        positions = [index] if what == "resid" else None
        ours = patching.patch(setup, what, layer, positions=positions, heads=heads, direction=direction)
        assert ours == pytest.approx(theirs, abs=1e-4), (what, layer, index, direction)


def test_whole_residual_stream_restores_exactly_and_nothing_is_zero(setup):
    """Patching every position at layer 0 gives the clean run (1.0), nothing gives the corrupted one (0.0). (The
    batched sweep's cells are checked against whole runs in test_patching.py; `bench --patching` times it.)"""
    assert patching.patch(setup, "resid", 0) == pytest.approx(1.0, abs=1e-5)
    assert patching.patch(setup, "resid", 0, positions=[]) == pytest.approx(0.0, abs=1e-5)
    assert patching.patch(setup, "heads", 12, heads=[]) == pytest.approx(0.0, abs=1e-5)
    assert patching.patch(setup, "heads", 23, heads=[3]) > 0.4  # the IOI sweep's top head on SmolLM2
