"""Token attribution (issue 25 item 3): ours against Captum run on transformers' model, and against plain torch.

The references read the model through transformers (inputs_embeds), not through the engine: Captum's
IntegratedGradients, and the same Gauss-Legendre quadrature written out with torch.autograd. Attention ×
gradient is checked by a central difference: Σ A ⊙ ∂p/∂A over one head is the derivative of p when that head's
pattern is scaled by (1 + ε).
"""

import numpy as np
import pytest
import torch

from models.analysis import token_attribution
from models.analysis.patching_templates import TEMPLATES, template_named

TEXT = "the cat sat on the mat"


def hf_probability(hf_model, target):
    def probability(embeddings):  # (B, N, D) -> (B,)
        return torch.softmax(hf_model(inputs_embeds=embeddings).logits[:, -1].float(), dim=-1)[:, target]

    return probability


def hf_embeddings(hf_model, ids):
    return hf_model.get_input_embeddings()(torch.tensor([ids])).detach()  # (1, N, D)


def plain_integrated_gradients(function, x, baseline, steps):
    """Σ_i w_i ∂f/∂x at baseline + α_i (x − baseline), times (x − baseline): Gauss-Legendre on [0, 1]."""
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    total = torch.zeros_like(x)
    for alpha, weight in zip((nodes + 1) / 2, weights / 2):
        point = (baseline + float(alpha) * (x - baseline)).requires_grad_(True)
        (gradient,) = torch.autograd.grad(function(point).sum(), point)
        total += float(weight) * gradient
    return ((x - baseline) * total).sum(dim=-1)[0].double().numpy()


def assert_close(ours, theirs, what):
    scale = float(np.abs(theirs).max())
    assert np.abs(ours - theirs).max() <= 1e-4 * scale, (what, ours, theirs)


@pytest.fixture(scope="module")
def hf_tiny(tiny_causal_lm):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(tiny_causal_lm.source.path, attn_implementation="eager").eval()


def test_integrated_gradients_equal_captum_and_plain_torch(tiny_causal_lm, hf_tiny):
    from captum.attr import IntegratedGradients

    ours = token_attribution.attribute(tiny_causal_lm, TEXT, method="ig", steps=24)
    function = hf_probability(hf_tiny, ours.target_id)
    x = hf_embeddings(hf_tiny, ours.ids)
    captum = IntegratedGradients(function).attribute(x, baselines=torch.zeros_like(x), n_steps=24)
    assert_close(ours.scores, captum.sum(dim=-1)[0].double().numpy(), "captum")
    assert_close(ours.scores, plain_integrated_gradients(function, x, torch.zeros_like(x), 24), "plain torch")
    with torch.no_grad():
        assert ours.f_x == pytest.approx(float(function(x)[0]), rel=1e-5)
        assert ours.f_baseline == pytest.approx(float(function(torch.zeros_like(x))[0]), rel=1e-5)
    change = ours.f_x - ours.f_baseline
    assert ours.completeness_error == pytest.approx(abs(ours.scores.sum() - change) / abs(change))
    pad = token_attribution.attribute(tiny_causal_lm, TEXT, method="ig", steps=8, baseline="pad")
    pads = hf_embeddings(hf_tiny, [tiny_causal_lm.tokenizer.pad_id] * len(ours.ids))
    assert_close(pad.scores, plain_integrated_gradients(function, x, pads, 8), "pad baseline")


def test_input_times_gradient_and_gradient_norm_equal_plain_torch(tiny_causal_lm, hf_tiny):
    target = tiny_causal_lm.tokenizer.backend.encode(" the", add_special_tokens=False).ids[0]
    function = hf_probability(hf_tiny, target)
    ids = tiny_causal_lm.tokenizer.encode([TEXT]).ids[0]
    x = hf_embeddings(hf_tiny, ids).requires_grad_(True)
    (gradient,) = torch.autograd.grad(function(x).sum(), x)
    times_input = token_attribution.attribute(tiny_causal_lm, TEXT, target=" the", method="grad-input")
    assert_close(times_input.scores, (x * gradient).sum(dim=-1)[0].detach().double().numpy(), "grad-input")
    norm = token_attribution.attribute(tiny_causal_lm, TEXT, target=target, method="grad-norm")
    assert_close(norm.scores, gradient.norm(dim=-1)[0].double().numpy(), "grad-norm")
    assert norm.completeness_error is None and norm.target_id == target


def test_attention_times_gradient_is_the_derivative_of_scaling_a_pattern(tiny_causal_lm):
    values = token_attribution.attention_gradient(tiny_causal_lm, TEXT)
    n = len(tiny_causal_lm.tokenizer.encode([TEXT]).ids[0])
    assert values.shape == (2, 8, n, n)
    assert np.all(np.triu(values[:, :, :, :], k=1) == 0)  # masked cells: no attention, no product
    target = tiny_causal_lm.run(TEXT).next_token_ids(1)[0]
    layer, head, eps = 1, 5, 1e-3

    def probability(scale):
        def hook(pattern, _hook):
            pattern = pattern.clone()
            pattern[:, head] *= scale
            return pattern

        logits = tiny_causal_lm.run(TEXT, hooks=[(f"blocks.{layer}.attn.hook_pattern", hook)]).logits()[-1]
        exp = np.exp(logits.astype(np.float64) - logits.max())
        return exp[target] / exp.sum()

    derivative = (probability(1 + eps) - probability(1 - eps)) / (2 * eps)
    assert values[layer, head].sum() == pytest.approx(derivative, rel=1e-3, abs=1e-6)
    one = token_attribution.attention_gradient(tiny_causal_lm, TEXT, layer=1)
    np.testing.assert_allclose(one, values[1], rtol=1e-5, atol=1e-9)


def test_bad_input_is_refused_by_name(tiny_causal_lm, minilm):
    with pytest.raises(ValueError, match="method: 'lime'"):
        token_attribution.attribute(tiny_causal_lm, TEXT, method="lime")
    with pytest.raises(ValueError, match="steps: 0"):
        token_attribution.attribute(tiny_causal_lm, TEXT, steps=0)
    with pytest.raises(ValueError, match="baseline: 'mask'"):
        token_attribution.attribute(tiny_causal_lm, TEXT, baseline="mask")
    with pytest.raises(ValueError, match="target: ' mat' is 3 tokens"):
        token_attribution.attribute(tiny_causal_lm, TEXT, target=" mat")
    with pytest.raises(ValueError, match="layer: 2 is out of range"):
        token_attribution.attention_gradient(tiny_causal_lm, TEXT, layer=2)
    with pytest.raises(ValueError, match="encoder .*masked-token target"):
        token_attribution.attribute(minilm, TEXT)


def test_smollm2_integrated_gradients_equal_captum_and_are_complete_on_the_templates(smollm, hf_smollm):
    """Captum on transformers' SmolLM2 gives our scores; at 64 steps the attributions sum to f(x) − f(baseline)
    within 5 % on every template (the completeness axiom of Sundararajan et al.)."""
    from captum.attr import IntegratedGradients

    factual = template_named("factual")
    ours = token_attribution.attribute(smollm, factual.clean, factual.answer, steps=16)
    function = hf_probability(hf_smollm, ours.target_id)
    x = hf_embeddings(hf_smollm, ours.ids)
    captum = IntegratedGradients(function).attribute(x, baselines=torch.zeros_like(x), n_steps=16)
    assert_close(ours.scores, captum.sum(dim=-1)[0].double().numpy(), "captum on SmolLM2")
    for template in TEMPLATES:
        result = token_attribution.attribute(smollm, template.clean, template.answer, steps=64)
        assert result.completeness_error < 0.05, (template.name, result.completeness_error)
