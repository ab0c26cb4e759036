"""Norms, MLPs and the residual block that wraps attention."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from models.nn.attention import Attention
from models.nn.config import GATED_MLPS, TransformerConfig
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan


def make_norm(config: TransformerConfig, width: int | None = None) -> nn.Module:
    """A norm over the model's width (or `width`: a head's, for QK-norm).

    Gemma's RMSNorm multiplies by (1 + w); its GGUF files store 1 + w (llama.cpp adds the 1 on conversion), so
    a plain RMSNorm over the stored weight is that form exactly.
    """
    size = width or config.d_model
    if config.norm == "rms":
        return nn.RMSNorm(size, eps=config.norm_eps)
    return nn.LayerNorm(size, eps=config.norm_eps)


class MLP(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.kind = config.mlp
        if self.kind in GATED_MLPS:  # gate and up read the same input: one fused GEMM (see fusion.py)
            self.gate_up = nn.Linear(config.d_model, 2 * config.d_mlp, bias=config.mlp_bias)
        else:
            self.up = nn.Linear(config.d_model, config.d_mlp, bias=config.mlp_bias)
        self.down = nn.Linear(config.d_mlp, config.d_model, bias=config.mlp_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, N, D) -> (B, N, D)
        if self.kind in GATED_MLPS:
            gate, up = self.gate_up(x).chunk(2, dim=-1)  # (B, N, F) each
            active = F.silu(gate) if self.kind == "swiglu" else F.gelu(gate, approximate="tanh")
            return self.down(active.mul_(up))
        # GPT-2 was trained with the tanh approximation of GELU, BERT with the exact erf form.
        approximate = "tanh" if self.kind == "gelu_tanh" else "none"
        return self.down(F.gelu(self.up(x), approximate=approximate))


class Block(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.post_norm = config.norm_placement == "post"
        self.norm1 = make_norm(config)
        self.attn = Attention(config)
        self.norm2 = make_norm(config)
        self.mlp = MLP(config)
        # Sandwich norms (Gemma): the attention's and the MLP's outputs are normalised before each residual add.
        sandwich = config.norm_placement == "sandwich"
        self.attn_out_norm = make_norm(config) if sandwich else None
        self.mlp_out_norm = make_norm(config) if sandwich else None

    def forward(
        self,
        x: torch.Tensor,
        plan: AttentionPlan,
        capture: LayerCapture,
        outputs_from: int | None = 0,
        silenced: torch.Tensor | None = None,
    ) -> torch.Tensor | None:
        """(B, n, D) -> (B, n - outputs_from, D): the block's output for rows outputs_from.. only, or None when
        no row is needed (the attention capture is filled for all n rows either way). silenced: see Attention."""
        if self.post_norm:  # BERT: normalise after each residual add
            attended = self.attn(x, plan, capture, outputs_from, silenced)
            if attended is None:
                return None
            x = self.norm1(x[:, outputs_from:] + attended)
            return self.norm2(x + self.mlp(x))
        attended = self.attn(self.norm1(x), plan, capture, outputs_from, silenced)
        if attended is None:
            return None
        # The residual stream is this block's own tensor, so it is updated in place (inference only).
        x = x[:, outputs_from:].add_(self.after_attention(attended))
        return x.add_(self.after_mlp(self.mlp(self.norm2(x))))

    def after_attention(self, attended: torch.Tensor) -> torch.Tensor:
        """The attention's output as it joins the residual stream: normalised first in a sandwich-norm block."""
        return attended if self.attn_out_norm is None else self.attn_out_norm(attended)

    def after_mlp(self, out: torch.Tensor) -> torch.Tensor:
        return out if self.mlp_out_norm is None else self.mlp_out_norm(out)
