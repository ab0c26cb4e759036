"""Norms, MLPs and the residual block that wraps attention."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .attention import Attention, AttentionPlan, LayerCapture
from .config import TransformerConfig


def make_norm(config: TransformerConfig) -> nn.Module:
    if config.norm == "rms":
        return nn.RMSNorm(config.d_model, eps=config.norm_eps)
    return nn.LayerNorm(config.d_model, eps=config.norm_eps)


class MLP(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.kind = config.mlp
        self.up = nn.Linear(config.d_model, config.d_mlp, bias=config.mlp_bias)
        self.gate = nn.Linear(config.d_model, config.d_mlp, bias=config.mlp_bias) if self.kind == "swiglu" else None
        self.down = nn.Linear(config.d_mlp, config.d_model, bias=config.mlp_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, N, D) -> (B, N, D)
        if self.gate is not None:
            return self.down(F.silu(self.gate(x)) * self.up(x))
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

    def forward(self, x: torch.Tensor, plan: AttentionPlan, capture: LayerCapture | None = None) -> torch.Tensor:
        if self.post_norm:  # BERT: normalise after each residual add
            x = self.norm1(x + self.attn(x, plan, capture))
            return self.norm2(x + self.mlp(x))
        x = x + self.attn(self.norm1(x), plan, capture)
        return x + self.mlp(self.norm2(x))
