"""Positional encodings that a run can switch between: RoPE, sinusoidal, ALiBi (learned lives in the model)."""

from __future__ import annotations

import math

import torch

from models.nn.config import TransformerConfig


def rope_inverse_frequencies(d_head: int, theta: float, config: TransformerConfig | None = None) -> torch.Tensor:
    """(d_head/2,) inverse frequencies, with the model's own RoPE scaling when it has one."""
    # float32 throughout, as the reference implementation does: at position 8k a float64 table would
    # already differ from what the model was trained with by ~1e-3 rad.
    inv_freq = 1.0 / (theta ** (torch.arange(0, d_head, 2, dtype=torch.int64).float() / d_head))
    if config is None or config.positional != "rope" or config.rope_scaling == "none":
        return inv_freq
    if config.rope_scaling == "linear":
        return inv_freq / config.rope_scaling_factor
    # llama3: long wavelengths are slowed by the factor, short ones kept, and the band between blended.
    factor = config.rope_scaling_factor
    low_wavelen = config.rope_original_n_ctx / config.rope_low_freq_factor
    high_wavelen = config.rope_original_n_ctx / config.rope_high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    scaled = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (config.rope_original_n_ctx / wavelen - config.rope_low_freq_factor) / (
        config.rope_high_freq_factor - config.rope_low_freq_factor
    )
    blended = (1 - smooth) * scaled / factor + smooth * scaled
    medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen)
    return torch.where(medium, blended, scaled)


def rope_tables(positions: torch.Tensor, inv_freq: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and signed sin, each (B, 1, N, d_head), for the rotate-half layout HF Llama checkpoints use.

    The sign of the first half of sin is folded in here, so apply_rope needs no negation per layer.
    """
    angles = positions[..., None].float() * inv_freq.to(positions.device)  # (B, N, d/2), float32 as in HF
    cos, sin = correctly_rounded_cos_sin(angles)
    return torch.cat((cos, cos), dim=-1)[:, None], torch.cat((-sin, sin), dim=-1)[:, None]


def correctly_rounded_cos_sin(angles: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of float32 angles, evaluated in float64 and rounded back to float32.

    The float32 kernels were seen to return values off by ~2e-4 in the first forward of some processes
    (about 1 in 20), which broke parity at 6e-4; float64 evaluation is exact to the last float32 bit.
    """
    wide = angles.double()
    return wide.cos().to(angles.dtype), wide.sin().to(angles.dtype)


def apply_rope(
    x: torch.Tensor, cos: torch.Tensor, signed_sin: torch.Tensor, out: torch.Tensor | None = None
) -> torch.Tensor:
    """Rotate (B, heads, N, d) by position: x·cos + rotate_half(x)·sin, the two halves of d being the real
    and imaginary parts. `out` (same shape, may be a strided view) receives the result instead of a new tensor."""
    half = x.shape[-1] // 2
    swapped = torch.cat((x[..., half:], x[..., :half]), dim=-1)
    return torch.mul(x, cos, out=out).addcmul_(swapped, signed_sin)


def sinusoidal_table(positions: torch.Tensor, d_model: int) -> torch.Tensor:
    """(B, N, d_model) encodings from "Attention Is All You Need": sin on even dims, cos on odd."""
    half = torch.arange(0, d_model, 2, dtype=torch.float32, device=positions.device)
    inv_freq = torch.exp(-math.log(10000.0) * half / d_model)  # (ceil(d/2),)
    angles = positions[..., None].float() * inv_freq  # (B, N, ceil(d/2))
    cos, sin = correctly_rounded_cos_sin(angles)
    table = torch.zeros(*positions.shape, d_model, device=positions.device)
    table[..., 0::2] = sin
    table[..., 1::2] = cos[..., : d_model // 2]
    return table


def alibi_slopes(n_heads: int) -> torch.Tensor:
    """(H,) head slopes from the ALiBi paper, with its rule for head counts that are not a power of two."""
    closest = 2 ** math.floor(math.log2(n_heads))
    base = 2.0 ** (-8.0 / closest)
    slopes = [base ** (k + 1) for k in range(closest)]
    if closest < n_heads:
        extra_base = 2.0 ** (-4.0 / closest)
        slopes += [extra_base ** (2 * k + 1) for k in range(n_heads - closest)]
    return torch.tensor(slopes, dtype=torch.float32)


def alibi_bias(slopes: torch.Tensor, query_positions: torch.Tensor, key_positions: torch.Tensor) -> torch.Tensor:
    """(H, R, N) additive bias -slope·|pos_i − pos_j| for (R,) query and (N,) key positions."""
    distance = (query_positions[:, None] - key_positions[None, :]).abs().float()  # (R, N)
    return -slopes.to(distance.device)[:, None, None] * distance
