"""A GRU encoder-decoder with attention: Bahdanau's additive score, or Luong's dot, general or concat.

Additive (Bahdanau et al. 2015) scores the previous decoder state against each encoder state, so the decoder
steps one output at a time. Luong et al. (2015) score the current state: the decoder GRU runs over the whole
target at once and attention follows, which is faster to train. Either way there is one alignment map per
output step: attention (B, 1, 1, T, S).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from models.lab.seq2seq.settings import LabSettings
from models.lab.seq2seq.tasks import PAD


class Score(nn.Module):
    """score(query (B, T, D), keys (B, S, D)) -> (B, T, S) for one of the four textbook forms."""

    def __init__(self, kind: str, d: int):
        super().__init__()
        self.kind = kind
        if kind == "general":
            self.w = nn.Linear(d, d, bias=False)
        elif kind in ("additive", "concat"):
            self.w_query = nn.Linear(d, d, bias=False)
            self.w_key = nn.Linear(d, d, bias=kind == "concat")
            self.v = nn.Linear(d, 1, bias=False)

    def forward(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        if self.kind == "dot":
            return query @ keys.transpose(1, 2)
        if self.kind == "general":
            return query @ self.w(keys).transpose(1, 2)
        # additive: vᵀ tanh(W s + U h); concat: vᵀ tanh(W [h_t; h_s]) written as the same two halves of W.
        mixed = torch.tanh(self.w_query(query)[:, :, None] + self.w_key(keys)[:, None])  # (B, T, S, D)
        return self.v(mixed).squeeze(-1)


class GRUSeq2Seq(nn.Module):
    kinds = ("cross",)

    def __init__(self, settings: LabSettings, vocab: int):
        super().__init__()
        d = settings.d_model
        self.kind = settings.score
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.encoder = nn.GRU(d, d, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * d, d)  # both directions' states -> one D-wide memory
        self.score = Score(self.kind, d)
        self.dropout = nn.Dropout(settings.dropout)
        if self.kind == "additive":
            self.cell = nn.GRUCell(2 * d, d)  # input: the previous token and the context
        else:
            self.decoder = nn.GRU(d, d, batch_first=True)
            self.combine = nn.Linear(2 * d, d)  # Luong's attentional state tanh(W_c [c_t; h_t])
        self.head = nn.Linear(2 * d, vocab) if self.kind == "additive" else nn.Linear(d, vocab)

    def encode(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """source (B, S) -> memory (B, S, D) and the decoder's first state (B, D)."""
        states, last = self.encoder(self.dropout(self.embed(source)))  # (B, S, 2D), (2, B, D)
        memory = torch.tanh(self.bridge(states))
        return memory, torch.tanh(last.mean(dim=0))

    def weights(self, query: torch.Tensor, memory: torch.Tensor, source_pad: torch.Tensor) -> torch.Tensor:
        scores = self.score(query, memory).masked_fill(source_pad[:, None], float("-inf"))  # (B, T, S)
        return F.softmax(scores, dim=-1)

    def forward(self, source: torch.Tensor, decoder_in: torch.Tensor, keep: list | None = None) -> torch.Tensor:
        """source (B, S), decoder_in (B, T) -> logits (B, T, V); keep, if given, receives the maps (B, T, S)."""
        memory, state = self.encode(source)
        source_pad = source == PAD  # (B, S)
        inputs = self.dropout(self.embed(decoder_in))  # (B, T, D)
        if self.kind != "additive":
            hidden, _ = self.decoder(inputs, state[None])  # (B, T, D)
            alpha = self.weights(hidden, memory, source_pad)  # (B, T, S)
            context = alpha @ memory  # (B, T, D)
            out = torch.tanh(self.combine(torch.cat([context, hidden], dim=-1)))
        else:
            keys = self.score.w_key(memory)  # (B, S, D): U h_j is the same for every step
            outs, alphas = [], []
            for t in range(decoder_in.shape[1]):
                mixed = torch.tanh(self.score.w_query(state)[:, None] + keys)  # (B, S, D), scored from s_{t-1}
                scores = self.score.v(mixed).squeeze(-1).masked_fill(source_pad, float("-inf"))
                alpha = F.softmax(scores, dim=-1)  # (B, S)
                context = (alpha[:, :, None] * memory).sum(dim=1)  # (B, D)
                state = self.cell(torch.cat([inputs[:, t], context], dim=-1), state)
                outs.append(torch.cat([state, context], dim=-1))
                alphas.append(alpha)
            out, alpha = torch.stack(outs, dim=1), torch.stack(alphas, dim=1)  # (B, T, 2D), (B, T, S)
        if keep is not None:
            keep.append(alpha.detach())
        return self.head(self.dropout(out))

    def attention(self, source: torch.Tensor, decoder_in: torch.Tensor) -> dict[str, torch.Tensor]:
        """One teacher-forced pass: {"cross": (B, 1, 1, T, S)}, one alignment row per output step."""
        keep: list[torch.Tensor] = []
        self(source, decoder_in, keep)
        return {"cross": keep[0][:, None, None]}
