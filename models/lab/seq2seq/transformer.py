"""torch.nn.Transformer itself, with its attention captured per layer and head by hooks.

Each nn.MultiheadAttention gets a forward pre-hook that asks it for need_weights=True and
average_attn_weights=False, and a forward hook that keeps the weights it returns; the module is never copied or
changed. Hooks are always attached, which also keeps PyTorch off its fused inference path (it skips modules
with hooks), so training and evaluation run the same code.
"""

from __future__ import annotations

import math
import warnings

import torch
from torch import nn

from models.lab.seq2seq.settings import LabSettings
from models.lab.seq2seq.tasks import PAD


def sinusoidal(n: int, d: int) -> torch.Tensor:
    """(n, d) the original Transformer's sine/cosine position table."""
    position = torch.arange(n, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    table = torch.zeros(n, d)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate[: d // 2])
    return table


class Positions(nn.Module):
    """Token embeddings scaled by √d plus sinusoidal or learned positions: (B, N) ids -> (B, N, D)."""

    def __init__(self, vocab: int, d_model: int, n_ctx: int, kind: str):
        super().__init__()
        self.scale = math.sqrt(d_model)
        self.tokens = nn.Embedding(vocab, d_model)
        # Unit-size entries after the √d scale (the paper's recipe): the positions, of unit size too, stay visible.
        nn.init.normal_(self.tokens.weight, std=d_model**-0.5)
        if kind == "learned":
            self.learned = nn.Parameter(torch.randn(n_ctx, d_model) * 0.02)
        else:
            self.register_buffer("table", sinusoidal(n_ctx, d_model), persistent=False)
            self.learned = None

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        table = self.learned if self.learned is not None else self.table
        return self.tokens(ids) * self.scale + table[: ids.shape[1]]


class TransformerSeq2Seq(nn.Module):
    kinds = ("encoder", "decoder", "cross")

    def __init__(self, settings: LabSettings, vocab: int, n_ctx: int):
        super().__init__()
        d = settings.d_model
        self.embed = Positions(vocab, d, n_ctx, settings.positions)
        with warnings.catch_warnings():  # "enable_nested_tensor is True, but ... norm_first": as intended
            warnings.filterwarnings("ignore", message="enable_nested_tensor")
            self.transformer = self._transformer(settings)
        # Padded batches as nested tensors would bypass the layers' attention modules (and their hooks).
        self.transformer.encoder.use_nested_tensor = False
        self.head = nn.Linear(d, vocab)
        self.capturing = False
        self.captured: dict[str, list[torch.Tensor]] = {kind: [] for kind in self.kinds}
        for kind, attention in self.attention_modules():
            attention.register_forward_pre_hook(self._ask_for_weights, with_kwargs=True)
            attention.register_forward_hook(self._keeper(kind))

    @staticmethod
    def _transformer(settings: LabSettings) -> nn.Transformer:
        d = settings.d_model
        return nn.Transformer(
            d_model=d,
            nhead=settings.heads,
            num_encoder_layers=settings.layers,
            num_decoder_layers=settings.layers,
            dim_feedforward=4 * d,
            dropout=settings.dropout,
            batch_first=True,
            norm_first=True,  # pre-norm trains faster and more stably at the lab's learning rates
        )

    def attention_modules(self):
        """(kind, nn.MultiheadAttention) in layer order: encoder self, decoder self, decoder cross."""
        for layer in self.transformer.encoder.layers:
            yield "encoder", layer.self_attn
        for layer in self.transformer.decoder.layers:
            yield "decoder", layer.self_attn
        for layer in self.transformer.decoder.layers:
            yield "cross", layer.multihead_attn

    def _ask_for_weights(self, module, args, kwargs):
        if not self.capturing:
            return None
        return args, {**kwargs, "need_weights": True, "average_attn_weights": False}

    def _keeper(self, kind: str):
        def keep(module, args, output):
            if self.capturing:
                self.captured[kind].append(output[1].detach())  # (B, H, N_query, N_key)

        return keep

    def forward(self, source: torch.Tensor, decoder_in: torch.Tensor) -> torch.Tensor:
        """source (B, S), decoder_in (B, T) ids (<bos> then the target so far) -> logits (B, T, V)."""
        t = decoder_in.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool, device=source.device).triu(1)  # (T, T), True: hidden
        source_pad, target_pad = source == PAD, decoder_in == PAD  # (B, S), (B, T)
        hidden = self.transformer(
            self.embed(source),
            self.embed(decoder_in),
            tgt_mask=causal,
            src_key_padding_mask=source_pad,
            tgt_key_padding_mask=target_pad,
            memory_key_padding_mask=source_pad,
            tgt_is_causal=True,
        )  # (B, T, D)
        return self.head(hidden)

    def attention(self, source: torch.Tensor, decoder_in: torch.Tensor) -> dict[str, torch.Tensor]:
        """One teacher-forced pass, its maps by kind: encoder (B, L, H, S, S), decoder and cross (B, L, H, T, ·)."""
        self.captured = {kind: [] for kind in self.kinds}
        self.capturing = True
        try:
            self(source, decoder_in)
        finally:
            self.capturing = False
        return {kind: torch.stack(maps, dim=1) for kind, maps in self.captured.items()}
