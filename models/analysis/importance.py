"""Head importance: knock out each head in turn and measure the change in the log-probability of the next token.

Knocking out a head in layer l (zeroing its output at blocks.{l}.attn.hook_z, before the output projection, as
RunOptions.ablate does) leaves every layer before it unchanged. So the baseline pass keeps the residual stream
entering each layer (blocks.{l}.hook_resid_pre), and each knockout restarts the forward pass at its own layer from
there (Model.forward(start_at_layer=l, resid_pre=...)): on average half the layers are run again, not all of
them. The heads of one layer go through together, as a batch with one head knocked out per sequence; only the
last position's final hidden state is computed, since only its prediction is read.
"""

from __future__ import annotations

import logging
import numbers
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from models.errors import NumericalError
from models.nn.plan import check_float32_limits
from models.options import RunOptions, resolve, short_repr
from models.runtime.model import Model

log = logging.getLogger(__name__)

__all__ = ["HeadImportance", "head_importance"]

BATCH_TOKENS = 16384  # knockouts run together, up to this many tokens in one batch, so memory stays bounded


@dataclass(frozen=True)
class HeadImportance:
    """scores[l, h] = log p(target | head (l, h) knocked out) − log p(target), in nats.

    Negative: the head helps predict the target. 0 for a head the run's options already knock out.
    """

    scores: np.ndarray  # (L, H) float64
    target_id: int
    target: str  # the target token's readable label
    baseline_logprob: float  # log p(target) with no further head knocked out
    model: str
    tokens: list[str]
    ids: list[int]
    options: dict  # the resolved run options (ResolvedOptions.describe)
    seconds: float  # wall-clock time of the whole scan

    def most_important(self, n: int = 5) -> list[tuple[int, int, float]]:
        """The n heads whose knockout lowers the target's log-probability most: (layer, head, change)."""
        order = np.argsort(self.scores, axis=None, kind="stable")[:n]
        return [
            (int(i // self.scores.shape[1]), int(i % self.scores.shape[1]), float(self.scores.flat[i])) for i in order
        ]

    def to_dict(self) -> dict:
        """Plain values for JSON."""
        return {
            "model": self.model,
            "tokens": self.tokens,
            "ids": self.ids,
            "options": self.options,
            "target": self.target,
            "target_id": self.target_id,
            "baseline_logprob": self.baseline_logprob,
            "importance": self.scores.tolist(),
            "seconds": self.seconds,
        }


def head_importance(
    model: Model,
    text: str,
    target: int | str | None = None,
    options: RunOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> HeadImportance:
    """Knock out each head of a causal LM in turn; report the change in the target token's log-probability.

    target: a token id, a string that is exactly one token (" Paris", with its leading space), or None for the
    model's own most probable next token. options: the run's variant (any RunOptions; heads it already knocks
    out score 0). progress(done, total) is called after each head; it may raise Cancelled to stop the scan.
    """
    if not isinstance(model, Model):
        raise ValueError(f"model: {short_repr(model)} is not a loaded Model; pass models.load(...)")
    if not model.is_causal_lm:
        raise ValueError(
            f"model: {model.name} is an encoder ({model.config.architecture}); head importance reads a causal "
            "language model's next-token prediction"
        )
    if not isinstance(text, str):
        raise ValueError(f"text: {short_repr(text)} is not a string; head importance reads one text")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: {short_repr(progress)} is not callable; pass a function(done, total) or None")
    if options is not None and not isinstance(options, RunOptions):
        raise ValueError(f"options: {short_repr(options)} is not a RunOptions; pass RunOptions(...) or None")
    resolved = resolve(options or RunOptions(), model.config)
    check_float32_limits(resolved, model.config)
    ids = model.tokenizer.encode([text]).ids[0]
    target_id = target if target is None else _target_id(model, target)
    started = time.perf_counter()
    scores, target_id, baseline = _scan(model, ids, options or RunOptions(), resolved.ablate, target_id, progress)
    seconds = time.perf_counter() - started
    log.info("head importance: %d heads of %s over %d tokens in %.2f s", scores.size, model.name, len(ids), seconds)
    return HeadImportance(
        scores=scores,
        target_id=target_id,
        target=model.tokenizer.label_after(ids, target_id),
        baseline_logprob=baseline,
        model=model.name,
        tokens=model.tokenizer.labels(ids),
        ids=ids,
        options=resolved.describe(),
        seconds=seconds,
    )


def _target_id(model: Model, target: object) -> int:
    """A target token id from an id or from text that is exactly one token."""
    vocab = model.config.vocab_size
    if isinstance(target, str):
        ids = model.tokenizer.backend.encode(target, add_special_tokens=False).ids
        if len(ids) != 1:
            raise ValueError(
                f"target: {short_repr(target)} is {len(ids)} tokens, not one; give a single token (mind the "
                "leading space: ' Paris') or a token id"
            )
        return ids[0]
    if isinstance(target, bool) or not isinstance(target, numbers.Integral) or not 0 <= target < vocab:
        raise ValueError(
            f"target: {short_repr(target)} is not a token; give a token id in 0..{vocab - 1} or one token's text"
        )
    return int(target)


@torch.inference_mode()
def _scan(model: Model, ids: list[int], options: RunOptions, ablated: tuple, target: int | None, progress) -> tuple:
    """(scores (L, H), target id, baseline log-probability): the baseline pass, then each layer's knockouts.

    ablated: the (layer, head) pairs the options knock out anyway."""
    n_layers, n_heads, n = model.config.n_layers, model.config.n_heads, len(ids)
    ids_t = torch.tensor([ids], device=model.device)  # (1, N)
    entering = []  # (1, N, D) per layer: the residual stream entering it

    def keep(resid: torch.Tensor, hook) -> None:
        entering.append(resid.clone())  # a copy: the blocks update the stream in place

    hooks = [("blocks.*.hook_resid_pre", keep)]
    logits = model.forward(ids_t, options=options, hooks=hooks, logits="last")  # (1, V)
    baseline = torch.log_softmax(logits.double(), dim=-1)[0]  # (V,)
    if not bool(torch.isfinite(baseline).all()):
        raise NumericalError("head importance: the model's output is not finite on this text with these options")
    if target is None:
        target = int(baseline.argmax())
    scores = np.zeros((n_layers, n_heads))
    done, total = 0, n_layers * n_heads
    chunk = max(1, BATCH_TOKENS // n)
    for layer in range(n_layers):
        heads = [h for h in range(n_heads) if (layer, h) not in ablated]
        for first in range(0, len(heads), chunk):
            batch = heads[first : first + chunk]
            logprobs = _knockouts(model, options, ids_t, entering[layer], layer, batch)  # (len(batch), V)
            scores[layer, batch] = (logprobs[:, target] - baseline[target]).cpu().numpy()
            for _ in batch:
                done += 1
                if progress is not None:
                    progress(done, total)
        done += n_heads - len(heads)  # heads already out score 0, and count as done
        if progress is not None and len(heads) < n_heads:
            progress(done, total)
    return scores, target, float(baseline[target])


def _knockouts(
    model: Model, options: RunOptions, ids: torch.Tensor, entering: torch.Tensor, layer: int, heads: list[int]
) -> torch.Tensor:
    """Log-probabilities (B, V) of the next token with one of `heads` knocked out in `layer` per sequence.

    ids: (1, N); entering: (1, N, D), the baseline's residual stream entering `layer`, which no knockout there
    changes. The options' own knockouts in this layer stay out too (the run applies them before hook_z).
    """
    b, device = len(heads), entering.device
    sequences, knocked = torch.arange(b, device=device), torch.tensor(heads, device=device)  # (B,), (B,)

    def knock_out(z: torch.Tensor, hook) -> torch.Tensor:  # z: (B, N, H, d)
        z[sequences, :, knocked] = 0.0  # sequence i loses head heads[i]
        return z

    logits = model.forward(
        ids.expand(b, -1),
        options=options,
        hooks=[(f"blocks.{layer}.attn.hook_z", knock_out)],
        start_at_layer=layer,
        resid_pre=entering.expand(b, -1, -1),  # forward copies it before the blocks update it in place
        logits="last",
    )  # (B, V)
    return torch.log_softmax(logits.double(), dim=-1)
