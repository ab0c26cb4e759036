"""Model.forward: logits as a tensor function, restarts at a layer (start_at_layer, resid_pre), and gradients."""

import numpy as np
import pytest
import torch

IDS = [[5, 9, 13, 2, 7, 11, 4, 8], [3, 1, 12, 6, 10, 2, 9, 5]]


def test_forward_gives_the_logits_of_a_run(tiny_causal_lm):
    with torch.inference_mode():
        logits = tiny_causal_lm.forward(IDS)  # (B, N, V)
        last = tiny_causal_lm.forward(torch.tensor(IDS), logits="last")  # (B, V)
    run = tiny_causal_lm.run_ids(IDS, logits="all")
    for seq in range(len(IDS)):
        assert np.abs(logits[seq].numpy() - run.logits(seq)).max() <= 1e-5
        assert np.abs(last[seq].numpy() - run.next_token_logits(seq)).max() <= 1e-5
    assert last.shape == (len(IDS), tiny_causal_lm.config.vocab_size)


def test_forward_with_gradients_on_equals_forward_under_inference_mode(tiny_causal_lm):
    with torch.inference_mode():
        fast = tiny_causal_lm.forward(IDS, logits="last")
    slow = tiny_causal_lm.forward(IDS, logits="last")  # the out-of-place path autograd can follow
    assert torch.allclose(fast, slow.detach(), atol=1e-5)


@pytest.mark.parametrize("grad", [False, True])
def test_starting_at_every_layer_from_the_captured_residual_gives_the_full_forward(tiny_causal_lm, grad):
    n_layers = tiny_causal_lm.config.n_layers
    run = tiny_causal_lm.run_ids(IDS, capture=["blocks.*.hook_resid_pre", "blocks.*.hook_resid_post"])
    with torch.inference_mode():
        full = tiny_causal_lm.forward(IDS)
    for layer in range(n_layers + 1):
        name = f"blocks.{layer}.hook_resid_pre" if layer < n_layers else f"blocks.{n_layers - 1}.hook_resid_post"
        resid = torch.from_numpy(np.stack([run.activation(name, seq) for seq in range(len(IDS))]))  # (B, N, D)
        kept = resid.clone()
        with torch.set_grad_enabled(grad):
            restarted = tiny_causal_lm.forward(IDS, start_at_layer=layer, resid_pre=resid)
            last = tiny_causal_lm.forward(IDS, start_at_layer=layer, resid_pre=resid, logits="last")
        assert torch.equal(resid, kept), "forward must not change the caller's resid_pre"
        assert (restarted.detach() - full).abs().max() <= 1e-5, layer
        assert (last.detach() - full[:, -1]).abs().max() <= 1e-5, layer


def test_hooks_act_in_forward_and_see_the_restart_layer(tiny_causal_lm):
    heads = {0: [1, 5], 1: [2]}

    def silence(z, hook):  # z (B, N, H, d)
        z = z.clone()
        z[:, :, heads[hook.layer()]] = 0.0
        return z

    hooks = [(f"blocks.{layer}.attn.hook_z", silence) for layer in heads]
    ablated = tiny_causal_lm.run_ids(IDS, ablate=[(layer, h) for layer, hs in heads.items() for h in hs], logits="all")
    with torch.inference_mode():
        knocked = tiny_causal_lm.forward(IDS, hooks=hooks)
    for seq in range(len(IDS)):
        assert np.abs(knocked[seq].numpy() - ablated.logits(seq)).max() <= 1e-4
    seen = []
    run = tiny_causal_lm.run_ids(IDS, capture=["blocks.1.hook_resid_pre"])
    resid = torch.from_numpy(np.stack([run.activation("blocks.1.hook_resid_pre", s) for s in range(len(IDS))]))
    with torch.inference_mode():
        tiny_causal_lm.forward(IDS, start_at_layer=1, resid_pre=resid, hooks=[("*", lambda x, h: seen.append(h.name))])
    assert seen[0] == "blocks.1.hook_resid_pre" and "hook_embed" not in seen and "blocks.0.hook_resid_pre" not in seen


def test_a_hook_returning_the_callers_tensor_never_has_it_changed(tiny_causal_lm):
    run = tiny_causal_lm.run_ids([IDS[0]], capture=["blocks.0.hook_resid_post"])
    saved = torch.from_numpy(run.activation("blocks.0.hook_resid_post"))[None]  # (1, N, D)
    kept = saved.clone()
    with torch.inference_mode():
        tiny_causal_lm.forward([IDS[0]], hooks=[("blocks.0.hook_resid_post", lambda x, hook: saved)])
    tiny_causal_lm.run_ids([IDS[0]], hooks=[("blocks.0.hook_resid_post", lambda x, hook: saved)])
    assert torch.equal(saved, kept)  # the next block takes the plain, in-place path: on a copy


def test_the_gradient_to_resid_pre_matches_finite_differences(tiny_causal_lm):
    run = tiny_causal_lm.run_ids([IDS[0]], capture=["blocks.1.hook_resid_pre"])
    resid = torch.from_numpy(run.activation("blocks.1.hook_resid_pre"))[None].double()  # (1, N, D)
    target = 7

    def objective(x):
        return tiny_causal_lm.forward([IDS[0]], start_at_layer=1, resid_pre=x, logits="last")[0, target]

    x = resid.clone().float().requires_grad_(True)
    (gradient,) = torch.autograd.grad(objective(x), x)  # (1, N, D)
    assert bool(torch.isfinite(gradient).all()) and float(gradient.abs().max()) > 0
    assert float(gradient[0, :-1].abs().max()) > 0  # earlier positions reach the last one through attention
    rng = np.random.default_rng(0)
    direction = torch.from_numpy(rng.standard_normal(resid.shape))  # (1, N, D)
    step = 1e-2
    with torch.inference_mode():
        plus = float(objective((resid + step * direction).float()))
        minus = float(objective((resid - step * direction).float()))
    numeric = (plus - minus) / (2 * step)
    analytic = float((gradient.double() * direction).sum())
    assert abs(numeric - analytic) <= 2e-2 * max(1.0, abs(analytic)), (numeric, analytic)


def test_gradients_reach_a_tensor_a_hook_returns(tiny_causal_lm):
    scale = torch.ones((), requires_grad=True)

    def scaled(z, hook):
        return z * scale

    out = tiny_causal_lm.forward([IDS[0]], hooks=[("blocks.0.attn.hook_z", scaled)], logits="last")
    (gradient,) = torch.autograd.grad(out[0, 3], scale)
    assert bool(torch.isfinite(gradient)) and float(gradient) != 0.0


@pytest.mark.parametrize(
    ("keywords", "argument"),
    [
        ({"ids": [[1, 2, 3], [1, 2]]}, "ids"),
        ({"ids": [[1, 2, 10**6]]}, "ids"),
        ({"ids": torch.zeros(2, 3)}, "ids"),
        ({"ids": [[1, 2, 3]], "start_at_layer": 9}, "start_at_layer"),
        ({"ids": [[1, 2, 3]], "start_at_layer": -1}, "start_at_layer"),
        ({"ids": [[1, 2, 3]], "start_at_layer": 1}, "resid_pre"),
        ({"ids": [[1, 2, 3]], "start_at_layer": 1, "resid_pre": torch.zeros(1, 2, 64)}, "resid_pre"),
        ({"ids": [[1, 2, 3]], "resid_pre": [[0.0]]}, "resid_pre"),
        ({"ids": [[1, 2, 3]], "logits": "first"}, "logits"),
        ({"ids": [[1, 2, 3]], "hooks": [("blocks.0.nothing", print)]}, "hooks"),
        ({"ids": [[1, 2, 3]], "options": {"mask": "causal"}}, "options"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_argument(tiny_causal_lm, keywords, argument):
    with pytest.raises(ValueError, match=f"^{argument}"):
        tiny_causal_lm.forward(**keywords)
