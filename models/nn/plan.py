"""AttentionPlan: everything about one run that attention needs, shared by all layers.

A plan is built once per run (Model._forward) and read by the forward pass and by the maps drawn afterwards,
so both see the same mask, positions and scale.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field, replace

import torch

from models.nn.config import TransformerConfig
from models.nn.positional import alibi_slopes, rope_inverse_frequencies, rope_tables
from models.options import MaskSpec, ResolvedOptions

FLOAT32_MAX = 3.4028234663852886e38  # runs compute in float32: a scale or an angle beyond this is inf
FLOAT32_SMALLEST = 1.401298464324817e-45  # float32's smallest subnormal: anything under half of it is 0


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
    # Knocked-out heads: layer -> (B|1, H) bool, True where a head's output is zeroed before the output
    # projection. Layers without a knockout are absent, so they run exactly the plain code path.
    silenced: dict[int, torch.Tensor] = field(default_factory=dict)
    # Models whose layers differ (Gemma 3: local and global) have one mask and one RoPE table per layer; then
    # `mask` and `rope` above are the global layers' and for_layer(i) gives layer i's plan. Empty: all alike.
    layer_masks: tuple[MaskSpec, ...] = ()
    layer_ropes: tuple[tuple[torch.Tensor, torch.Tensor] | None, ...] = ()
    _layers: dict[int, AttentionPlan] = field(default_factory=dict, init=False, repr=False, compare=False)

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
        for layer, head in options.ablate:
            plan.silenced.setdefault(layer, torch.zeros(1, config.n_heads, dtype=torch.bool, device=device))
            plan.silenced[layer][0, head] = True
        if options.positional == "rope":
            tables = {}  # θ -> (cos, sin): one table per distinct θ, shared by the layers that use it
            for theta in {options.rope_theta, *options.layer_rope_thetas}:
                inv_freq = rope_inverse_frequencies(config.d_head, theta, config)
                tables[theta] = rope_tables(positions[:, start:], inv_freq)
            plan.rope = tables[options.rope_theta]
            plan.layer_ropes = tuple(tables[theta] for theta in options.layer_rope_thetas)
        elif options.positional == "alibi":
            plan.alibi_slopes = alibi_slopes(config.n_heads).to(device)
        plan.layer_masks = options.layer_masks
        if plan.layer_masks and not plan.layer_ropes:
            plan.layer_ropes = (plan.rope,) * len(plan.layer_masks)
        if plan.layer_ropes and not plan.layer_masks:
            plan.layer_masks = (plan.mask,) * len(plan.layer_ropes)
        return plan

    def for_layer(self, layer: int) -> AttentionPlan:
        """The plan layer `layer` attends with: this one, unless the model's layers differ (layer_masks)."""
        if not self.layer_masks:
            return self
        found = self._layers.get(layer)
        if found is None:
            mask, rope = self.layer_masks[layer], self.layer_ropes[layer]
            found = replace(self, mask=mask, rope=rope, layer_masks=(), layer_ropes=())
            self._layers[layer] = found
        return found

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


def _float32(value: float) -> float:
    """value as float32 holds it: inf beyond float32's range, 0 below its smallest number."""
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def check_float32_limits(options: ResolvedOptions, config: TransformerConfig) -> None:
    """Refuse, before a run, options certain to overflow float32: its temperature, and its RoPE θ if it has one.

    What only overflows on some inputs is caught where maps and probabilities are made (runtime.maps.check_rows).
    """
    _check_scale(options.temperature, config.d_head)
    if options.positional == "rope":
        for theta in {options.rope_theta, *options.layer_rope_thetas}:
            _check_rope_angles(theta, config)


def _check_scale(temperature: float, d_head: int) -> None:
    """Refuse a temperature whose score scale, d_head**-0.5 / temperature, is inf or 0 in float32.

    Either is certain to fail: an inf scale turns every score into ±inf and every softmax row into NaN; a
    zero one makes the fused attention kernel return NaN. A scale just inside float32 can still overflow large
    scores; the maps and next tokens check their own results for that (runtime.maps.check_rows).
    """
    scale = _float32(d_head**-0.5 / temperature)
    if math.isinf(scale):
        lowest = d_head**-0.5 / FLOAT32_MAX * 1.001  # rounded up, so the value shown is allowed
        raise ValueError(
            f"temperature: {temperature:g} makes every score overflow float32 (each is multiplied by "
            f"{d_head**-0.5 / temperature:.3g}); use a temperature >= {lowest:.3g}, in practice nearer 1"
        )
    if scale == 0.0:
        highest = d_head**-0.5 / FLOAT32_SMALLEST * 0.999  # float32's smallest number, rounded down likewise
        raise ValueError(
            f"temperature: {temperature:g} makes every score underflow to 0 in float32 (each is multiplied by "
            f"{d_head**-0.5 / temperature:.3g}); use a temperature <= {highest:.3g}, in practice nearer 1"
        )


def _check_rope_angles(theta: float, config: TransformerConfig) -> None:
    """Refuse a θ whose RoPE angles overflow float32 within the model's context.

    Position p turns into angles p·θ^(-2i/d) (positional.rope_inverse_frequencies). Below θ = 1 the highest
    frequency, θ^(-(d-2)/d), grows without bound: once p times it passes float32's range, cos and sin are NaN
    and so is every score. A θ too large only stops the rotation, which is the limit it tends to: allowed.
    """
    d, last = config.d_head, max(1, config.n_ctx - 1)
    limit = FLOAT32_MAX * 0.99  # margin for float32 rounding of the frequencies themselves
    theta32 = _float32(theta)
    if theta32 >= 1.0 or d <= 2:
        return
    if theta32 > 0 and last * theta32 ** (-(d - 2) / d) <= limit:
        return
    # Never below twice float32's smallest number: under half of it θ itself is 0, and the frequencies inf.
    lowest = max((last / limit) ** (d / (d - 2)) * 1.001, 2 * FLOAT32_SMALLEST)
    raise ValueError(
        f"rope-theta: {theta:g} makes RoPE's angles overflow float32 by position {last} (the model's context); "
        f"use a rope-theta >= {lowest:.3g}"
    )
