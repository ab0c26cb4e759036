"""The three systems behind one interface: a batch's loss, greedy decoding, and the attention maps of a pass.

Token ids come in as Python lists (no specials: the source, and the target without <eos>); every tensor
boundary is padded with <pad> here, so the trainer never sees a system's layout.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import torch
from torch.nn import functional as F

from models.lab.seq2seq.gpt import TinyGPT
from models.lab.seq2seq.gru import GRUSeq2Seq
from models.lab.seq2seq.settings import LabSettings
from models.lab.seq2seq.tasks import BOS, EOS, PAD, SEP
from models.lab.seq2seq.transformer import TransformerSeq2Seq


def pad(rows: list[list[int]], value: int = PAD) -> torch.Tensor:
    """(B, longest) long tensor of rows, right-padded."""
    width = max(1, max(len(r) for r in rows))
    return torch.tensor([r + [value] * (width - len(r)) for r in rows], dtype=torch.long)


def _cut(ids: list[int]) -> list[int]:
    return ids[: ids.index(EOS)] if EOS in ids else ids


class EncoderDecoder:
    """The transformer and the GRU: the source goes to the encoder, <bos> + target to the decoder."""

    def __init__(self, model):
        self.model = model

    def loss(self, sources: list[list[int]], targets: list[list[int]]) -> torch.Tensor:
        logits = self.model(pad(sources), pad([[BOS, *t] for t in targets]))  # (B, T+1, V)
        labels = pad([[*t, EOS] for t in targets])  # (B, T+1); <pad> is ignored
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=PAD)

    @torch.no_grad()
    def greedy(self, sources: list[list[int]], max_length: int) -> list[list[int]]:
        source = pad(sources)
        out = torch.full((len(sources), 1), BOS, dtype=torch.long)  # (B, 1 + t)
        for _ in range(max_length + 1):
            following = self.model(source, out)[:, -1].argmax(dim=-1)  # (B,)
            out = torch.cat([out, following[:, None]], dim=1)
            if bool((out == EOS).any(dim=1).all()):
                break
        return [_cut(row[1:]) for row in out.tolist()]

    @torch.no_grad()
    def attention(self, sources: list[list[int]], outputs: list[list[int]]) -> list[dict[str, np.ndarray]]:
        maps = self.model.attention(pad(sources), pad([[BOS, *o] for o in outputs]))  # kind -> (B, L, H, ·, ·)
        shown = []
        for i, (s, o) in enumerate(zip(sources, outputs)):
            # Decoder row t produces output t; its keys are <bos> and the outputs before t.
            sizes = {"encoder": (len(s), len(s)), "decoder": (len(o), len(o)), "cross": (len(o), len(s))}
            shown.append({kind: _rows(m[i], *sizes[kind]) for kind, m in maps.items()})
        return shown


class DecoderOnly:
    """The GPT: source, <sep>, target, <eos> in one causal sequence; "cross" is its output → source slice."""

    def __init__(self, model: TinyGPT):
        self.model = model

    def loss(self, sources: list[list[int]], targets: list[list[int]]) -> torch.Tensor:
        rows = [[*s, SEP, *t, EOS] for s, t in zip(sources, targets)]
        ids = pad(rows)  # (B, N)
        labels = pad([[PAD] * len(s) + [*t, EOS] for s, t in zip(sources, targets)])  # only after <sep> counts
        logits = self.model(ids[:, :-1])  # (B, N-1, V)
        return F.cross_entropy(logits.flatten(0, 1), labels[:, : ids.shape[1] - 1].flatten(), ignore_index=PAD)

    @torch.no_grad()
    def greedy(self, sources: list[list[int]], max_length: int) -> list[list[int]]:
        results: list[list[int]] = [[] for _ in sources]
        for indices in _same_length(sources):  # right padding would sit between source and output
            ids = torch.tensor([[*sources[i], SEP] for i in indices], dtype=torch.long)  # (b, S + 1)
            start = ids.shape[1]
            for _ in range(max_length + 1):
                following = self.model(ids)[:, -1].argmax(dim=-1)
                ids = torch.cat([ids, following[:, None]], dim=1)
                if bool((ids[:, start:] == EOS).any(dim=1).all()):
                    break
            for i, row in zip(indices, ids[:, start:].tolist()):
                results[i] = _cut(row)
        return results

    @torch.no_grad()
    def attention(self, sources: list[list[int]], outputs: list[list[int]]) -> list[dict[str, np.ndarray]]:
        shown: list[dict[str, np.ndarray]] = [{} for _ in sources]
        for indices in _same_length([[*sources[i], SEP, *outputs[i]] for i in range(len(sources))]):
            maps = self.model.maps(torch.tensor([[*sources[i], SEP, *outputs[i]] for i in indices]))
            for row, i in enumerate(indices):
                s, t = len(sources[i]), len(outputs[i])
                full = maps[row].numpy()  # (L, H, N, N), N = S + 1 + T
                # Row S + j is where output token j is predicted (its input is <sep> or output j-1).
                shown[i] = {"self": full, "cross": np.ascontiguousarray(full[:, :, s : s + t, :s])}
        return shown


def _rows(m: torch.Tensor, rows: int, cols: int) -> np.ndarray:
    return np.ascontiguousarray(m[:, :, :rows, :cols].numpy())  # (L, H, rows, cols)


def _same_length(rows: list[list[int]]) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[len(row)].append(i)
    return list(groups.values())


def build_system(settings: LabSettings, vocab: int, n_ctx: int):
    """The model for settings and its interface (EncoderDecoder or DecoderOnly)."""
    if settings.system == "transformer":
        return EncoderDecoder(TransformerSeq2Seq(settings, vocab, n_ctx))
    if settings.system == "gru":
        return EncoderDecoder(GRUSeq2Seq(settings, vocab))
    return DecoderOnly(TinyGPT(settings, vocab, n_ctx))
