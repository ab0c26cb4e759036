"""Norms, MLPs and the residual block that wraps attention."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from models.nn.attention import Attention
from models.nn.config import TransformerConfig
from models.nn.plan import AttentionPlan
from models.runtime.capture import LayerCapture


def make_norm(config: TransformerConfig) -> nn.Module:
    if config.norm == "rms":
        return nn.RMSNorm(config.d_model, eps=config.norm_eps)
    return nn.LayerNorm(config.d_model, eps=config.norm_eps)


class MLP(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.kind = config.mlp
        if self.kind == "swiglu":  # gate and up read the same input: one fused GEMM (see fusion.py)
            self.gate_up = nn.Linear(config.d_model, 2 * config.d_mlp, bias=config.mlp_bias)
        else:
            self.up = nn.Linear(config.d_model, config.d_mlp, bias=config.mlp_bias)
        self.down = nn.Linear(config.d_mlp, config.d_model, bias=config.mlp_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, N, D) -> (B, N, D)
        if self.kind == "swiglu":
            gate, up = self.gate_up(x).chunk(2, dim=-1)  # (B, N, F) each
            return self.down(F.silu(gate).mul_(up))
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
        x = x[:, outputs_from:].add_(attended)
        return x.add_(self.mlp(self.norm2(x)))
