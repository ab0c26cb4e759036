"""Capture and intervention on a run: Model.run(capture=..., hooks=..., logits=...) and what the Run gives back.

    run = model.run(text, capture=["blocks.*.hook_resid_post"])
    run.activations                          # the names kept, in the order the forward pass reached them
    run.activation("blocks.3.hook_resid_post")   # numpy, one sequence: (N, D)
    model.run(text, hooks=[("blocks.3.attn.hook_z", fn)])   # fn(activation, hook) -> tensor | None

Names and shapes: models/nn/hooks.py. A run with neither capture nor hooks takes the plain forward pass and
keeps what it always kept. A hooked run neither takes a prefix over from an earlier run nor lends its own
buffers to a later one (Model.run(reuse=...)), so a plain run is never read from a hooked one or the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.nn.hooks import SQUARE_POINTS, HookSet
from models.options import short_repr
from models.runtime.budget import MemoryBudgetError, budget_bytes, budget_note, gigabytes

LOGITS = ("last", "all")


@dataclass
class Probes:
    """What one run was asked to read and change: its hook set, and whether every position's logits are kept."""

    hooks: HookSet
    all_logits: bool


def probes_for(config, capture: object, hooks: object, logits: object) -> Probes | None:
    """The Probes of a run's capture=, hooks= and logits= arguments; None for a plain run. ValueError naming
    the argument for anything else."""
    if logits not in LOGITS:
        raise ValueError(f"logits: {short_repr(logits)} is not allowed; allowed: last, all")
    if capture is None and hooks is None and logits == "last":
        return None
    for what, value in (("capture", capture), ("hooks", hooks)):
        if value is not None and not isinstance(value, (str, list, tuple)):
            raise ValueError(f"{what}: {short_repr(value)} is not a list; give a list of hook names")
    post_norm = config.norm_placement == "post"
    hook_set = HookSet(config.n_layers, post_norm, capture or (), hooks or ())
    return Probes(hook_set, logits == "all")


def restarted(probes: Probes | None) -> Probes | None:
    """The same probes with nothing kept or changed yet: for a run started again (on the CPU after running out
    of GPU memory)."""
    if probes is not None:
        probes.hooks.kept.clear()
        probes.hooks.changed.clear()
    return probes


def check_probe_memory(probes: Probes | None, config, batch: int, n: int, budget: int | None = None) -> None:
    """Refuse (MemoryBudgetError) scores or patterns that would not fit: each captured one keeps B·H·N² floats,
    and a layer that computes them explicitly needs its scores and pattern at once while it runs."""
    if probes is None:
        return
    square = batch * config.n_heads * n * n * 4  # float32, as the explicit attention computes them
    kept = sum(1 for name in probes.hooks.capture if name.endswith(SQUARE_POINTS))
    need = (kept + 2 * bool(probes.hooks.square_layers)) * square
    if probes.all_logits and config.causal:
        need += batch * n * config.vocab_size * 4
    budget = budget_bytes() if budget is None else budget
    if need > budget:
        raise MemoryBudgetError(
            f"memory: the scores, patterns and logits asked for ({kept} captured maps of {batch}×{config.n_heads}"
            f"×{n}×{n}) need about {gigabytes(need)}, more than {budget_note(budget)}; capture fewer layers "
            "or use a shorter text"
        )


class ProbedRun:
    """What Run adds for capture and intervention; Run sets _probes and _all_logits."""

    _probes: Probes | None
    _all_logits: torch.Tensor | None  # (B, N, V) with logits="all", else None

    @property
    def activations(self) -> list[str]:
        """The hook names this run captured, in the order the forward pass reached them."""
        return [] if self._probes is None else list(self._probes.hooks.kept)

    @property
    def interventions(self) -> list[str]:
        """The hook points whose function returned a replacement: what changed this run. [] for a plain run."""
        return [] if self._probes is None else list(self._probes.hooks.changed)

    @property
    def hooked(self) -> bool:
        """Whether this run was made with capture=, hooks= or logits='all' (then it takes no part in reuse)."""
        return self._probes is not None

    @property
    def activation_bytes(self) -> int:
        """Bytes the captured activations keep."""
        kept = [] if self._probes is None else self._probes.hooks.kept.values()
        return sum(t.numel() * t.element_size() for t in kept)

    def activation(self, name: str, seq: int = 0) -> np.ndarray:
        """One sequence's captured activation as numpy: the hook's shape without the batch axis, pads included."""
        seq = self._seq(seq)
        kept = {} if self._probes is None else self._probes.hooks.kept
        if name not in kept:
            have = ", ".join(kept) if kept else "nothing (run with capture=[...] to keep activations)"
            raise ValueError(f"name: {short_repr(name)} was not captured by this run; it kept {have}")
        return kept[name][seq].float().cpu().numpy()

    def logits(self, seq: int = 0) -> np.ndarray:
        """float32 [N, V]: every position's logits, when the run was made with logits="all"; else [1, V]: the
        last real token's only, which is all a run computes by default. Causal language models only."""
        seq = self._seq(seq)
        self._check_causal("logits")
        if self._all_logits is not None:
            return self._all_logits[seq].float().cpu().numpy()
        return self._last_logits[seq : seq + 1].float().cpu().numpy()
