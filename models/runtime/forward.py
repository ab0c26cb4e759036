"""Model.forward: the bare forward pass as a tensor function, for patching, attribution and restarts at a layer.

    logits = model.forward(ids)                                         # (B, N, V)
    logits = model.forward(ids, start_at_layer=l, resid_pre=resid, logits="last")   # (B, V), blocks l.. only

Unlike Model.run it keeps nothing (no Run, no buffers handed over) and it follows the caller's autograd mode,
as TransformerLens's `model(...)` does: under torch.enable_grad() gradients flow to resid_pre, to the weights,
and to any tensor a hook function returns, so attribution patching and integrated gradients can backpropagate.
With gradients on, every block takes the out-of-place path of models/nn/hooked.py (the plain blocks update the
residual stream in place, which autograd cannot differentiate); under torch.inference_mode() the blocks
without a hook take the plain path, and the last block computes only the last row when only it is asked for.
"""

from __future__ import annotations

import numbers

import torch

from models.nn.hooks import HookSet
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan
from models.options import RunOptions, short_repr
from models.runtime.inputs import checked_ids

LOGITS = ("all", "last")


def forward(
    model,  # models.Model (not imported: model.py imports this module)
    ids: object,
    *,
    options: RunOptions | None = None,
    hooks: list | None = None,
    start_at_layer: int = 0,
    resid_pre: torch.Tensor | None = None,
    logits: str = "all",
) -> torch.Tensor:
    """Logits (B, N, V) with logits="all", (B, V) of the last position with logits="last". See Model.forward."""
    config, device = model.config, model.device
    if not model.is_causal_lm:
        raise ValueError(
            f"model: {model.name} is an encoder ({config.architecture}); forward returns a causal language "
            "model's logits (use Model.run for an encoder's maps)"
        )
    if logits not in LOGITS:
        raise ValueError(f"logits: {short_repr(logits)} is not allowed; allowed: all, last")
    ids_t = _checked_ids(ids, config, device)  # (B, N)
    b, n = ids_t.shape
    layer = _checked_layer(start_at_layer, config.n_layers, resid_pre)
    if options is not None and not isinstance(options, RunOptions):
        raise ValueError(f"options: {short_repr(options)} is not a RunOptions; pass RunOptions(...) or None")
    resolved = model._resolve(options, {})  # noqa: SLF001 - the Model's own option checks, inside runtime
    differentiable = torch.is_grad_enabled()  # False under inference_mode and no_grad
    hook_set = None
    if hooks is not None or differentiable:
        if hooks is not None and not isinstance(hooks, (list, tuple)):
            raise ValueError(f"hooks: {short_repr(hooks)} is not a list; give a list of (name, function) pairs")
        hook_set = HookSet(config.n_layers, config.norm_placement == "post", (), hooks or ())
        hook_set.every_layer = differentiable
    plan = AttentionPlan.for_run(config, resolved, torch.ones(b, n, dtype=torch.bool, device=device))
    # One buffer serves every layer when nothing is differentiated (each layer reads its own Q, K, V at once);
    # with gradients each layer keeps its own, as backward reads them all after the pass.
    shared = LayerCapture()
    captures = [LayerCapture() if differentiable else shared for _ in range(config.n_layers)]
    wants_final = hook_set is not None and hook_set.wants("ln_final.hook_normalized")
    outputs_from = n - 1 if logits == "last" and not wants_final else 0
    module = model.module
    if resid_pre is None:
        hidden = module(ids_t, plan, resolved.positional, captures, outputs_from=outputs_from, hooks=hook_set)
    else:
        x = _checked_resid(resid_pre, b, n, config.d_model, device, module.embed.tokens.weight.dtype)
        if hook_set is None:
            x = x.clone()  # the plain blocks update the stream in place: never the caller's tensor
        hidden = module.resume(x, layer, plan, captures, outputs_from=outputs_from, hooks=hook_set)
    if logits == "last":
        return module.logits(hidden[:, -1])  # (B, V)
    return module.logits(hidden)  # (B, N, V)


def _checked_ids(ids: object, config, device: torch.device) -> torch.Tensor:
    """ids as a (B, N) long tensor on the device: B equal-length sequences of token ids within the vocabulary."""
    vocab = config.vocab_size
    if isinstance(ids, torch.Tensor):  # checked as a whole: no Python loop over its B·N ids
        if ids.ndim != 2 or ids.dtype.is_floating_point or ids.dtype.is_complex or ids.dtype == torch.bool:
            raise ValueError(
                f"ids: a tensor of shape {tuple(ids.shape)} and dtype {ids.dtype}; give a (B, N) long tensor"
            )
        if 0 in ids.shape or ids.shape[1] > config.n_ctx:
            raise ValueError(f"ids: shape {tuple(ids.shape)}; give 1..{config.n_ctx} tokens per sequence")
        if int(ids.min()) < 0 or int(ids.max()) >= vocab:
            raise ValueError(f"ids: holds ids outside 0..{vocab - 1}")
        return ids.to(device=device, dtype=torch.long)
    sequences = checked_ids(ids)
    lengths = {len(seq) for seq in sequences}
    if len(lengths) != 1:
        raise ValueError(
            f"ids: sequences of unequal lengths ({', '.join(str(len(s)) for s in sequences)}); forward takes "
            "sequences of one length with no padding"
        )
    n = lengths.pop()
    if n > config.n_ctx:
        raise ValueError(f"ids: {n} tokens per sequence; the context holds {config.n_ctx}")
    if min(min(seq) for seq in sequences) < 0 or max(max(seq) for seq in sequences) >= vocab:
        raise ValueError(f"ids: holds ids outside 0..{vocab - 1}")
    return torch.tensor(sequences, dtype=torch.long, device=device)


def _checked_layer(start_at_layer: object, n_layers: int, resid_pre: object) -> int:
    if isinstance(start_at_layer, bool) or not isinstance(start_at_layer, numbers.Integral):
        raise ValueError(f"start_at_layer: {short_repr(start_at_layer)} is not an integer; allowed: 0..{n_layers}")
    if not 0 <= start_at_layer <= n_layers:
        raise ValueError(f"start_at_layer: {start_at_layer} is out of range; allowed: 0..{n_layers}")
    if start_at_layer and resid_pre is None:
        raise ValueError(
            f"resid_pre: needed with start_at_layer={start_at_layer}: the residual stream entering that block, "
            "(B, N, D)"
        )
    return int(start_at_layer)


def _checked_resid(resid: object, b: int, n: int, d: int, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    """resid_pre as a (B, N, D) floating tensor on the model's device and dtype (autograd follows .to)."""
    if not isinstance(resid, torch.Tensor) or not resid.dtype.is_floating_point:
        raise ValueError(f"resid_pre: {short_repr(resid)} is not a floating-point tensor; give a (B, N, D) tensor")
    if tuple(resid.shape) != (b, n, d):
        raise ValueError(f"resid_pre: shape {tuple(resid.shape)}; with these ids it must be ({b}, {n}, {d})")
    return resid.to(device=device, dtype=dtype)
