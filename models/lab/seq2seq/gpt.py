"""A decoder-only tiny GPT in the nanoGPT style, built on the engine's own attention (models/nn/attention.py).

A sequence is the source, <sep>, then the target and <eos>; the loss counts only what follows <sep>. KV heads are
settable (MHA, GQA, MQA) through the engine's TransformerConfig.n_kv_heads. The maps come from the engine's
capture of Q and K and its map code (runtime.maps.full_map), exactly as the explorer draws a real model's.
"""

from __future__ import annotations

import torch
from torch import nn

from models.lab.seq2seq.settings import LabSettings
from models.lab.seq2seq.tasks import PAD
from models.nn.attention import Attention
from models.nn.blocks import MLP, make_norm
from models.nn.config import TransformerConfig
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan
from models.nn.positional import sinusoidal_table
from models.options import MaskSpec
from models.runtime.maps import full_map


def gpt_config(settings: LabSettings, vocab: int, n_ctx: int) -> TransformerConfig:
    d_head = settings.d_model // settings.heads
    return TransformerConfig(
        architecture="lab-gpt",
        d_model=settings.d_model,
        n_layers=settings.layers,
        n_heads=settings.heads,
        n_kv_heads=settings.groups,
        d_head=d_head,
        d_mlp=4 * settings.d_model,
        vocab_size=vocab,
        n_ctx=n_ctx,
        positional=settings.positions,
        causal=True,
        qkv_bias=True,
        out_bias=True,
        mlp_bias=True,
    )


class TrainingBlock(nn.Module):
    """Pre-norm block around the engine's Attention; the residual adds are out of place, so autograd can run
    (the engine's own Block adds in place, which is for inference only)."""

    def __init__(self, config: TransformerConfig, dropout: float):
        super().__init__()
        self.norm1, self.attn = make_norm(config), Attention(config)
        self.norm2, self.mlp = make_norm(config), MLP(config)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, plan: AttentionPlan, capture: LayerCapture) -> torch.Tensor:
        x = x + self.dropout(self.attn(self.norm1(x), plan, capture))  # (B, N, D)
        return x + self.dropout(self.mlp(self.norm2(x)))


class TinyGPT(nn.Module):
    kinds = ("self", "cross")

    def __init__(self, settings: LabSettings, vocab: int, n_ctx: int):
        super().__init__()
        self.config = gpt_config(settings, vocab, n_ctx)
        d = settings.d_model
        self.tokens = nn.Embedding(vocab, d)
        self.learned = nn.Parameter(torch.randn(n_ctx, d) * 0.02) if settings.positions == "learned" else None
        self.blocks = nn.ModuleList(TrainingBlock(self.config, settings.dropout) for _ in range(settings.layers))
        self.norm = make_norm(self.config)
        self.head = nn.Linear(d, vocab, bias=False)
        self.apply(_init)

    def plan(self, ids: torch.Tensor) -> AttentionPlan:
        b, n = ids.shape
        return AttentionPlan(
            n_heads=self.config.n_heads,
            kv_heads=self.config.n_kv_heads,
            scale=self.config.d_head**-0.5,
            mask=MaskSpec(base="causal"),
            positions=torch.arange(n, device=ids.device).expand(b, n),  # (B, N); pads sit at the end
        )

    def forward(self, ids: torch.Tensor, captures: list[LayerCapture] | None = None) -> torch.Tensor:
        """ids (B, N): source, <sep>, target, <eos>, right-padded -> logits (B, N, V) for the next token."""
        plan = self.plan(ids)
        captures = captures if captures is not None else [LayerCapture() for _ in self.blocks]
        x = self.tokens(ids)  # (B, N, D)
        if self.learned is not None:
            x = x + self.learned[: ids.shape[1]]
        else:
            x = x + sinusoidal_table(plan.positions, self.config.d_model)
        for block, capture in zip(self.blocks, captures):
            x = block(x, plan, capture)
        return self.head(self.norm(x))

    def maps(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, N) -> self-attention (B, L, H, N, N) from the captured Q and K (the engine's map code)."""
        captures = [LayerCapture() for _ in self.blocks]
        self(ids, captures)
        plan, heads = self.plan(ids), range(self.config.n_heads)
        per_sequence = [
            torch.stack([full_map(c.q.detach(), c.k.detach(), plan, seq, heads)[0] for c in captures])
            for seq in range(ids.shape[0])
        ]  # B × (L, H, N, N)
        return torch.stack(per_sequence)


def _init(module: nn.Module) -> None:
    # nanoGPT's initialisation: small normal weights, zero biases.
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)


__all__ = ["TinyGPT", "gpt_config", "PAD"]
