"""AttentionPlan: everything about one run that attention needs, shared by all layers.

A plan is built once per run (Model._forward) and read by the forward pass and by the maps drawn afterwards,
so both see the same mask, positions and scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from models.nn.config import TransformerConfig
from models.nn.positional import alibi_slopes, rope_inverse_frequencies, rope_tables
from models.options import MaskSpec, ResolvedOptions


@dataclass
class AttentionPlan:
    n_heads: int
    kv_heads: int  # G, after regrouping
    scale: float  # d_head**-0.5 / temperature
    mask: MaskSpec
    positions: torch.Tensor  # (B, N) position of each token (pads excluded from the count when masked)
    key_is_real: torch.Tensor | None = None  # (B, N) bool; None when the padding mask is off
    rope: tuple[torch.Tensor, torch.Tensor] | None = None  # cos, signed sin: (B, 1, N_new, d)
    alibi_slopes: torch.Tensor | None = None  # (H,)
    query_start: int = 0  # > 0 when only the tail of the sequence is being computed

    @classmethod
    def for_run(
        cls, config: TransformerConfig, options: ResolvedOptions, is_real: torch.Tensor, start: int = 0
    ) -> AttentionPlan:
        """The plan of a run over is_real (B, N) bool tokens whose positions start.. are computed afresh."""
        device = is_real.device
        masked = options.padding_mask and not bool(is_real.all())
        if masked:
            # Count positions from each sequence's first real token, so padding does not shift them.
            positions = (is_real.long().cumsum(dim=1) - 1).clamp(min=0)  # (B, N)
        else:
            positions = torch.arange(is_real.shape[1], device=device).expand_as(is_real)  # (B, N)
        plan = cls(
            n_heads=config.n_heads,
            kv_heads=options.kv_heads,
            scale=config.d_head**-0.5 / options.temperature,
            mask=options.mask,
            positions=positions,
            key_is_real=is_real if masked else None,
            query_start=start,
        )
        if options.positional == "rope":
            inv_freq = rope_inverse_frequencies(config.d_head, options.rope_theta, config)
            plan.rope = rope_tables(positions[:, start:], inv_freq)
        elif options.positional == "alibi":
            plan.alibi_slopes = alibi_slopes(config.n_heads).to(device)
        return plan

    def sdpa_causal(self, n_queries: int) -> bool | None:
        """How SDPA can apply this plan's mask to n_queries rows by itself: the is_causal flag to pass, or None
        when it needs a mask matrix.

        SDPA's causal mask is aligned top-left, so rows that start after position 0 need a matrix, except a
        single row (the one token typed, or the last layer's last row), which sees every key there is.
        """
        spec = self.mask
        if self.key_is_real is not None or self.alibi_slopes is not None:
            return None
        if spec.prefix is not None or spec.window is not None or spec.no_self:
            return None
        if not spec.causal or n_queries == 1:
            return False
        return None if self.query_start else True

    def head_group_size(self) -> int:
        return self.n_heads // self.kv_heads
