"""Attribution patching (Nanda 2023): every patch of a sweep from one forward and one backward pass.

The metric is linear enough near the target run that patching an activation a changes it by about
(a_source − a_target) · ∂m/∂a, the gradient taken on the target run. One backward pass gives ∂m/∂a for every
layer at once. Denoising takes the gradient on the corrupted run, noising on the clean one.

How far to trust the shortcut is measured, not assumed: agreement(exact, approx) compares it with the exact
sweep (patching.sweep): the correlation over all cells, and the cells where the two differ most. It is known to
fail where the metric saturates (a probability near 0 or 1) and for the residual stream at early layers, where
one patch moves the model far from the point the gradient describes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.patching import HOOK_POINTS, PatchSetup, PatchSweep, checked_sweep, result_of
from models.analysis.patching_runs import last_logits
from models.options import short_repr

log = logging.getLogger(__name__)

__all__ = ["Agreement", "agreement", "approximate"]

WORST = 10  # cells listed where the approximation is furthest from the exact patch


@dataclass(frozen=True)
class Agreement:
    """How the linear approximation compares with exact patching, cell by cell."""

    correlation: float | None  # Pearson's r over every cell both have; None when either is constant
    exact: np.ndarray  # (cells,) the exact restored fractions, flattened
    approx: np.ndarray  # (cells,) the approximated ones, in the same order
    worst: list[tuple]  # (layer, head or position, exact, approx), the largest |exact − approx| first

    @property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(exact, approx): the points of a scatter plot."""
        return self.exact, self.approx

    def to_dict(self) -> dict:
        return {
            "correlation": self.correlation,
            "worst": [
                {"layer": layer, "index": index, "exact": exact, "approx": approx}
                for layer, index, exact, approx in self.worst
            ],
        }


def approximate(setup: PatchSetup, what: str, direction: str = "denoise") -> PatchSweep:
    """The sweep of `what` (patching.WHATS) estimated from the gradient: same axes as patching.sweep."""
    what, direction = checked_sweep(setup, what, direction)
    source, target = ("clean", "corrupt") if direction == "denoise" else ("corrupt", "clean")
    started = time.perf_counter()
    gradients = _gradients(setup, target, HOOK_POINTS[what])
    per_layer = []
    for layer, gradient in enumerate(gradients):
        name = f"blocks.{layer}.{HOOK_POINTS[what]}"
        change = (setup.activation(source, name) - setup.activation(target, name)).double() * gradient.double()
        per_layer.append(_summed(change, what))
    delta = torch.stack(per_layer).cpu().numpy()  # estimated m_patched − m_target
    span = setup.metric_clean - setup.metric_corrupt
    estimated = delta / span if direction == "denoise" else 1.0 + delta / span
    if span == 0:
        estimated = np.full(delta.shape, np.nan)
    seconds = time.perf_counter() - started
    log.info("attribution patching: %s (%s) of %s in %.2f s", what, direction, setup.model.name, seconds)
    return result_of(setup, what, direction, estimated, "attribution", seconds)


def _gradients(setup: PatchSetup, target: str, point: str) -> list[torch.Tensor]:
    """∂metric/∂activation at `point` of every layer, on the target run: one forward and one backward pass.

    Each hook adds a zero tensor that requires grad: its gradient is the activation's, and the graph through
    the activation itself stays whole (detaching it there would cut the earlier layers' paths)."""
    model = setup.model
    ids = setup.ids_clean if target == "clean" else setup.ids_corrupt
    zeros: list[torch.Tensor] = []

    def probe(activation: torch.Tensor, hook) -> torch.Tensor:
        zero = torch.zeros_like(activation, requires_grad=True)
        zeros.append(zero)
        return activation + zero

    hooks = [(f"blocks.*.{point}", probe)]
    with torch.enable_grad():
        logits = last_logits(setup, torch.tensor([ids], device=model.device), hooks=hooks)  # (1, V)
        logits = logits.double()
        if setup.metric == "prob":
            metric = torch.softmax(logits, dim=-1)[0, setup.answer_id]
        else:
            metric = logits[0, setup.answer_id] - logits[0, setup.wrong_id]
        gradients = torch.autograd.grad(metric, zeros)
    return [g[0].detach() for g in gradients]  # each without its batch axis


def _summed(change: torch.Tensor, what: str) -> torch.Tensor:
    """A layer's per-cell change (the activation's shape, no batch axis) summed to the sweep's cells."""
    if what in ("resid", "attn_out", "mlp_out"):  # (N, D) -> (N,)
        return change.sum(dim=-1)
    if what == "heads":  # (N, H, d) -> (H,)
        return change.sum(dim=(0, 2))
    if what == "heads_by_position":  # (N, H, d) -> (H, N)
        return change.sum(dim=-1).T
    return change.sum(dim=(1, 2))  # pattern (H, N, N) -> (H,)


def agreement(exact: PatchSweep, approx: PatchSweep) -> Agreement:
    """Compare an exact sweep with its approximation: the same what, direction and shape."""
    for name, value in (("exact", exact), ("approx", approx)):
        if not isinstance(value, PatchSweep):
            raise ValueError(f"{name}: {short_repr(value)} is not a PatchSweep; pass sweep(...) / approximate(...)")
    if (exact.what, exact.direction) != (
        approx.what,
        approx.direction,
    ) or exact.restored.shape != approx.restored.shape:
        raise ValueError(
            f"approx: a {approx.what} {approx.direction} sweep {approx.restored.shape} cannot be compared with "
            f"a {exact.what} {exact.direction} sweep {exact.restored.shape}"
        )
    both = np.isfinite(exact.restored) & np.isfinite(approx.restored)
    x, y = exact.restored[both], approx.restored[both]
    correlation = None
    if x.size > 1 and np.ptp(x) > 0 and np.ptp(y) > 0:
        correlation = float(np.corrcoef(x, y)[0, 1])
    gap = np.where(both, np.abs(exact.restored - approx.restored), -1.0)
    worst = []
    for flat in np.argsort(-gap, axis=None, kind="stable")[:WORST]:
        index = np.unravel_index(flat, gap.shape)
        if gap[index] < 0:
            break
        rest = int(index[1]) if len(index) == 2 else (int(index[1]), int(index[2]))
        worst.append((int(index[0]), rest, float(exact.restored[index]), float(approx.restored[index])))
    return Agreement(correlation=correlation, exact=x, approx=y, worst=worst)
